import { EmbeddedQueue } from '../../src/adapters/embedded/queue.js';
import { ORDERS_QUEUE } from '../../src/triggers.js';
import { inHostStore } from './hostStore.js';
import { ADMIN, call, eventually, type Reply } from './localHost.js';

/**
 * Sends a message the makeline cannot handle into a running host's queue, as another sender
 * would, and waits until the host has dead-lettered it. Returns its sequence number.
 */
export async function makeDeadLetter(host: { url: string; dataDir: string }, messageId: string, body = '{"not":"an order"}'): Promise<string> {
  await inHostStore(host.dataDir, (file) =>
    new EmbeddedQueue(file, { queueName: ORDERS_QUEUE, lockDurationMs: 60_000, maxDeliveryCount: 10, duplicateDetectionWindowMs: 600_000 }).sendRaw(body, messageId),
  );
  return eventually(async () => (await allDeadLetters(host.url)).find((letter) => letter.messageId === messageId)?.sequenceNumber);
}

export interface ListedDeadLetter {
  sequenceNumber: string;
  messageId: string;
  body: string;
  bodyLength: number;
}

/** Every dead letter the employee API lists, across all its pages of `limit`. */
export async function allDeadLetters(base: string, limit = 100): Promise<ListedDeadLetter[]> {
  const found: ListedDeadLetter[] = [];
  let cursor: string | null = null;
  do {
    const page: Reply<{ items: ListedDeadLetter[]; nextCursor: string | null }> = await call(
      base,
      'GET',
      `/api/manage/deadletters?limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`,
      { headers: ADMIN },
    );
    found.push(...page.body.items);
    cursor = page.body.nextCursor;
  } while (cursor);
  return found;
}
