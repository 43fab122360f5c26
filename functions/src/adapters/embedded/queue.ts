import { EventEmitter } from 'node:events';
import { randomUUID } from 'node:crypto';
import type { OrderMessage } from '../../domain/schemas.js';
import type { DeadLetter, DeadLetterQuery, OrderQueue, Page } from '../../ports.js';
import { pageOf, sequenceCursor } from '../cursor.js';
import type { SqliteFile } from './database.js';

export interface QueueOptions {
  queueName: string;
  lockDurationMs: number;
  maxDeliveryCount: number;
  duplicateDetectionWindowMs: number;
  /** Milliseconds since the epoch; injectable so lock expiry can be tested without waiting. */
  now?: () => number;
}

export interface ReceivedMessage {
  sequenceNumber: number;
  lockToken: string;
  messageId: string;
  /** The body as sent; garbage stays garbage so the consumer can refuse it. */
  body: string;
  deliveryCount: number;
  enqueuedTimeUtc: string;
}

export class MessageLockLostError extends Error {
  constructor(lockToken: string) {
    super(`The lock ${lockToken} has expired or the message was settled already.`);
    this.name = 'MessageLockLostError';
  }
}

interface MessageRow {
  seq: number;
  message_id: string;
  body: string;
  enqueued_at: number;
  delivery_count: number;
  dead_lettered_at: number | null;
  dead_letter_reason: string | null;
  dead_letter_description: string | null;
}

const MAX_DELIVERY_EXCEEDED = 'MaxDeliveryCountExceeded';

function toDeadLetter(row: MessageRow): DeadLetter {
  return {
    sequenceNumber: String(row.seq),
    messageId: row.message_id,
    body: row.body,
    deliveryCount: row.delivery_count,
    enqueuedTimeUtc: new Date(row.enqueued_at).toISOString(),
    deadLetteredTimeUtc: new Date(row.dead_lettered_at!).toISOString(),
    reason: row.dead_letter_reason ?? '',
    description: row.dead_letter_description ?? '',
  };
}

/**
 * A durable queue in the store's SQLite file with Service Bus semantics: peek-lock with a lock
 * duration, redelivery after a failure or an expired lock with a growing deliveryCount,
 * dead-lettering after maxDeliveryCount deliveries, and duplicate detection by messageId.
 */
export class EmbeddedQueue implements OrderQueue {
  private readonly events = new EventEmitter();
  private readonly now: () => number;

  constructor(
    private readonly file: SqliteFile,
    private readonly options: QueueOptions,
  ) {
    this.now = options.now ?? Date.now;
  }

  async send(message: OrderMessage, messageId: string): Promise<void> {
    await this.sendRaw(JSON.stringify(message), messageId);
  }

  /**
   * Any body at all, as a Service Bus sender could send; tests use it for poison messages.
   * Relaxed: the send resolves once committed, without its own fsync. What a power cut can take
   * is a suffix of commits, so at worst an order stored (durably, before its send) but not
   * queued: the state a Functions instance dying between the insert and the send leaves on
   * Azure, and the one the outbox sweeper re-sends. Sending after a durable insert costs no
   * second fsync wait.
   */
  async sendRaw(body: string, messageId: string): Promise<void> {
    const { queueName } = this.options;
    const accepted = await this.file.write(() => {
      const now = this.now();
      const seen = this.file
        .statement<[string, string, number], { seen_at: number }>(
          'SELECT seen_at FROM queue_seen_ids WHERE queue = ? AND message_id = ? AND seen_at > ?',
        )
        .get(queueName, messageId, now - this.options.duplicateDetectionWindowMs);
      // Like Service Bus: a duplicate inside the window is accepted and silently dropped.
      if (seen) return false;
      this.file
        .statement(
          `INSERT INTO queue_seen_ids (queue, message_id, seen_at) VALUES (?, ?, ?)
           ON CONFLICT (queue, message_id) DO UPDATE SET seen_at = excluded.seen_at`,
        )
        .run(queueName, messageId, now);
      this.file
        .statement('INSERT INTO queue_messages (queue, message_id, body, enqueued_at) VALUES (?, ?, ?, ?)')
        .run(queueName, messageId, body, now);
      return true;
    }, 'relaxed');
    if (accepted) this.events.emit('sent');
  }

  /** Locks up to `max` messages for this consumer, dead-lettering any that were delivered too often. */
  receive(max: number): Promise<ReceivedMessage[]> {
    // Relaxed: a lock lost to a power cut only means the message is delivered again.
    return this.file.write(() => {
      const now = this.now();
      const candidates = this.file
        .statement<[string, number, number], MessageRow>(
          `SELECT * FROM queue_messages WHERE queue = ? AND dead_lettered_at IS NULL AND locked_until <= ?
           ORDER BY seq LIMIT ?`,
        )
        .all(this.options.queueName, now, max);
      const received: ReceivedMessage[] = [];
      for (const row of candidates) {
        if (row.delivery_count >= this.options.maxDeliveryCount) {
          this.moveToDeadLetter(row.seq, MAX_DELIVERY_EXCEEDED, 'The lock expired on the last allowed delivery.');
          continue;
        }
        const lockToken = randomUUID();
        this.file
          .statement(
            'UPDATE queue_messages SET lock_token = ?, locked_until = ?, delivery_count = delivery_count + 1 WHERE seq = ?',
          )
          .run(lockToken, now + this.options.lockDurationMs, row.seq);
        received.push({
          sequenceNumber: row.seq,
          lockToken,
          messageId: row.message_id,
          body: row.body,
          deliveryCount: row.delivery_count + 1,
          enqueuedTimeUtc: new Date(row.enqueued_at).toISOString(),
        });
      }
      return received;
    }, 'relaxed');
  }

  async complete(lockToken: string): Promise<void> {
    const removed = await this.file.write(
      () =>
        this.file
          .statement('DELETE FROM queue_messages WHERE lock_token = ? AND locked_until > ? AND dead_lettered_at IS NULL')
          .run(lockToken, this.now()).changes,
      'relaxed',
    );
    if (removed === 0) throw new MessageLockLostError(lockToken);
  }

  /** Gives the message back after a failure; past the max delivery count it is dead-lettered. */
  async abandon(lockToken: string, failure: string): Promise<void> {
    await this.file.write(() => {
      const row = this.lockedRow(lockToken);
      if (row.delivery_count >= this.options.maxDeliveryCount) {
        this.moveToDeadLetter(row.seq, MAX_DELIVERY_EXCEEDED, failure);
      } else {
        this.file.statement('UPDATE queue_messages SET lock_token = NULL, locked_until = 0 WHERE seq = ?').run(row.seq);
      }
    }, 'relaxed');
    this.events.emit('sent');
  }

  /**
   * Gives the message back as if this delivery had not happened. Not a Service Bus operation:
   * for a consumer whose failure was the store's (a full disk), not the message's, so a
   * passing outage cannot use up its deliveries and dead-letter it.
   */
  async release(lockToken: string): Promise<void> {
    const released = await this.file.write(
      () =>
        this.file
          .statement(
            `UPDATE queue_messages SET lock_token = NULL, locked_until = 0, delivery_count = delivery_count - 1
             WHERE lock_token = ? AND locked_until > ? AND dead_lettered_at IS NULL`,
          )
          .run(lockToken, this.now()).changes,
      'relaxed',
    );
    if (released === 0) throw new MessageLockLostError(lockToken);
    this.events.emit('sent');
  }

  async deadLetter(lockToken: string, reason: string, description: string): Promise<void> {
    await this.file.write(() => this.moveToDeadLetter(this.lockedRow(lockToken).seq, reason, description));
  }

  async deadLetters({ limit, cursor }: DeadLetterQuery): Promise<Page<DeadLetter>> {
    const after = Number(sequenceCursor(cursor) ?? 0);
    const rows = this.file
      .statement<[string, number, number], MessageRow>(
        'SELECT * FROM queue_messages WHERE queue = ? AND dead_lettered_at IS NOT NULL AND seq > ? ORDER BY seq LIMIT ?',
      )
      .all(this.options.queueName, after, limit + 1);
    return pageOf(rows, limit, toDeadLetter, (row) => [String(row.seq)]);
  }

  async replayDeadLetter(sequenceNumber: string): Promise<DeadLetter | null> {
    const replayed = await this.file.write(() => {
      const row = this.deadLetterRow(sequenceNumber);
      if (!row) return null;
      // A new message, as a Service Bus resend would be; a new id so duplicate detection keeps it.
      this.file
        .statement('INSERT INTO queue_messages (queue, message_id, body, enqueued_at) VALUES (?, ?, ?, ?)')
        .run(this.options.queueName, `${row.message_id}/replay-${row.seq}`, row.body, this.now());
      this.file.statement('DELETE FROM queue_messages WHERE seq = ?').run(row.seq);
      return toDeadLetter(row);
    });
    if (replayed) this.events.emit('sent');
    return replayed;
  }

  async discardDeadLetter(sequenceNumber: string): Promise<DeadLetter | null> {
    return this.file.write(() => {
      const row = this.deadLetterRow(sequenceNumber);
      if (!row) return null;
      this.file.statement('DELETE FROM queue_messages WHERE seq = ?').run(row.seq);
      return toDeadLetter(row);
    });
  }

  async depth(): Promise<{ active: number; deadLettered: number }> {
    const row = this.file
      .statement<[string], { active: number; deadLettered: number }>(
        `SELECT COALESCE(SUM(dead_lettered_at IS NULL), 0) AS active, COALESCE(SUM(dead_lettered_at IS NOT NULL), 0) AS deadLettered
         FROM queue_messages WHERE queue = ?`,
      )
      .get(this.options.queueName);
    return row ?? { active: 0, deadLettered: 0 };
  }

  /** Resolves when a message may be ready, or after `ms` at the latest (other processes may send too). */
  waitForMessages(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.events.off('sent', done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.events.once('sent', done);
    });
  }

  /** Calls `listener` whenever this connection made a message ready (sent, given back, replayed); returns the unsubscribe. */
  onSent(listener: () => void): () => void {
    this.events.on('sent', listener);
    return () => this.events.off('sent', listener);
  }

  /** Ends waitForMessages now: another connection to the file made a message ready. */
  wakeReceivers(): void {
    this.events.emit('sent');
  }

  /** Forgets message ids older than the duplicate detection window. */
  async pruneSeenIds(): Promise<void> {
    await this.file.write(() => this.file
      .statement('DELETE FROM queue_seen_ids WHERE queue = ? AND seen_at <= ?')
      .run(this.options.queueName, this.now() - this.options.duplicateDetectionWindowMs), 'relaxed');
  }

  /** Sending is a write, so the queue is up only while its file has room. */
  async ping(): Promise<void> {
    this.file.statement('SELECT 1 FROM queue_messages LIMIT 1').get();
    await this.file.ping();
  }

  private deadLetterRow(sequenceNumber: string): MessageRow | undefined {
    if (!/^\d{1,15}$/.test(sequenceNumber)) return undefined;
    return this.file
      .statement<[number, string], MessageRow>(
        'SELECT * FROM queue_messages WHERE seq = ? AND queue = ? AND dead_lettered_at IS NOT NULL',
      )
      .get(Number(sequenceNumber), this.options.queueName);
  }

  private lockedRow(lockToken: string): MessageRow {
    const row = this.file
      .statement<[string, number], MessageRow>(
        'SELECT * FROM queue_messages WHERE lock_token = ? AND locked_until > ? AND dead_lettered_at IS NULL',
      )
      .get(lockToken, this.now());
    if (!row) throw new MessageLockLostError(lockToken);
    return row;
  }

  private moveToDeadLetter(seq: number, reason: string, description: string): void {
    this.file
      .statement(
        `UPDATE queue_messages SET dead_lettered_at = ?, dead_letter_reason = ?, dead_letter_description = ?,
           lock_token = NULL, locked_until = 0 WHERE seq = ?`,
      )
      .run(this.now(), reason, description.slice(0, 1024), seq);
  }
}
