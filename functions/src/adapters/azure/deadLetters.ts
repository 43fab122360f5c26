import Long from 'long';
import type { PeekMessagesOptions } from '@azure/service-bus';
import type { DeadLetter, DeadLetterQuery, Page } from '../../ports.js';
import { pageOf, sequenceCursor } from '../cursor.js';

/** Service Bus takes sequence numbers as 64-bit Long values of the `long` package (its own dependency, declared here too). */
const nextSequenceNumber = (after: string): NonNullable<PeekMessagesOptions['fromSequenceNumber']> => Long.fromString(after).add(1);

/** The parts of a received Service Bus message the dead-letter view reads. */
export interface ReceivedLike {
  sequenceNumber?: { toString(): string } | undefined;
  messageId?: unknown;
  body: unknown;
  deadLetterReason?: string | undefined;
  deadLetterErrorDescription?: string | undefined;
  deliveryCount?: number | undefined;
  enqueuedTimeUtc?: Date | undefined;
}

export interface DeadLetterReceiver<M extends ReceivedLike> {
  receiveMessages(max: number, options: { maxWaitTimeInMs: number }): Promise<M[]>;
  completeMessage(message: M): Promise<void>;
  abandonMessage(message: M): Promise<void>;
}

/** A body as text, whatever the sender put in it. */
export function bodyText(body: unknown): string {
  if (typeof body === 'string') return body;
  if (body instanceof Uint8Array) return Buffer.from(body).toString('utf8');
  return JSON.stringify(body) ?? '';
}

export function toDeadLetter(message: ReceivedLike): DeadLetter {
  return {
    sequenceNumber: message.sequenceNumber?.toString() ?? '',
    messageId: String(message.messageId ?? ''),
    body: bodyText(message.body),
    reason: message.deadLetterReason ?? '',
    description: message.deadLetterErrorDescription ?? '',
    deliveryCount: message.deliveryCount ?? 0,
    enqueuedTimeUtc: message.enqueuedTimeUtc?.toISOString() ?? '',
    // Service Bus does not stamp the moment of dead-lettering on the message.
    deadLetteredTimeUtc: null,
  };
}

export interface DeadLetterPeeker<M extends ReceivedLike> {
  peekMessages(max: number, options?: PeekMessagesOptions): Promise<M[]>;
}

/** One page of dead letters: peeks one more than `limit` from just after the cursor's sequence number. */
export async function peekDeadLetters<M extends ReceivedLike>(peeker: DeadLetterPeeker<M>, { limit, cursor }: DeadLetterQuery): Promise<Page<DeadLetter>> {
  const after = sequenceCursor(cursor);
  const messages = await peeker.peekMessages(limit + 1, after === null ? {} : { fromSequenceNumber: nextSequenceNumber(after) });
  return pageOf(messages, limit, toDeadLetter, (message) => [message.sequenceNumber?.toString() ?? '']);
}

const BATCH = 50;
const MAX_ROUNDS = 20;

/**
 * Service Bus cannot receive one message by number, so this receives batches until it meets
 * `sequenceNumber`, acts on it, completes it and returns it (null if it is not there). Others stay locked until the end, so the
 * search never sees them twice, and are then given back untouched.
 */
export async function completeDeadLetter<M extends ReceivedLike>(
  receiver: DeadLetterReceiver<M>,
  sequenceNumber: string,
  act: (message: M) => Promise<void>,
): Promise<M | null> {
  const passedOver: M[] = [];
  try {
    for (let round = 0; round < MAX_ROUNDS; round++) {
      const batch = await receiver.receiveMessages(BATCH, { maxWaitTimeInMs: 1_000 });
      if (batch.length === 0) return null;
      for (const message of batch) {
        if (message.sequenceNumber?.toString() === sequenceNumber) {
          await act(message);
          await receiver.completeMessage(message);
          return message;
        }
        passedOver.push(message);
      }
    }
    return null;
  } finally {
    await Promise.all(passedOver.map((message) => receiver.abandonMessage(message)));
  }
}
