import { EmbeddedQueue } from '../../src/adapters/embedded/queue.js';
import { ORDERS_QUEUE } from '../../src/triggers.js';
import { inHostStore } from './hostStore.js';
import { ADMIN, call, eventually } from './localHost.js';

/**
 * Sends a message the makeline cannot handle into a running host's queue, as another sender
 * would, and waits until the host has dead-lettered it. Returns its sequence number.
 */
export async function makeDeadLetter(host: { url: string; dataDir: string }, messageId: string): Promise<string> {
  await inHostStore(host.dataDir, (file) =>
    new EmbeddedQueue(file, { queueName: ORDERS_QUEUE, lockDurationMs: 60_000, maxDeliveryCount: 10, duplicateDetectionWindowMs: 600_000 }).sendRaw('{"not":"an order"}', messageId),
  );
  return eventually(async () => {
    const { body } = await call(host.url, 'GET', '/api/manage/deadletters?limit=100', { headers: ADMIN });
    return body.items.find((letter: { messageId: string }) => letter.messageId === messageId)?.sequenceNumber as string | undefined;
  });
}
