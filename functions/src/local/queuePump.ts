import type { QueueDefinition } from '../definitions.js';
import type { Services } from '../ports.js';
import type { EmbeddedQueue, ReceivedMessage } from '../adapters/embedded/queue.js';
import { isPassingFailure } from '../adapters/embedded/database.js';
import { consoleLogger } from './logger.js';

const IDLE_POLL_MS = 200;
/** Pause after a passing failure (a full disk): doubled on each one in a row, reset by a delivery that works. */
const BACKOFF_FIRST_MS = 250;
const BACKOFF_MAX_MS = 5_000;

/** What the Functions host hands a Service Bus trigger: parsed JSON when the body is JSON. */
function triggerPayload(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch {
    return body;
  }
}

/**
 * Drives the embedded queue into a Service Bus–triggered handler the way the Functions host
 * does: up to `concurrency` messages at once, complete on success, abandon on failure.
 * A failure of the store itself (full, I/O, busy) is not the message's: the message goes back
 * without counting the delivery, and the pump pauses, longer each time, instead of spending
 * every delivery in a second and dead-lettering orders that only needed disk space.
 */
export class QueuePump {
  private running = true;
  private readonly inFlight = new Set<Promise<void>>();
  private readonly loop: Promise<void>;
  private readonly log;
  private backoffMs = 0;
  private wake: (() => void) | undefined;

  constructor(
    private readonly definition: QueueDefinition,
    private readonly queue: EmbeddedQueue,
    private readonly services: Services,
    private readonly concurrency: number,
  ) {
    this.log = consoleLogger(definition.name);
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.wake?.();
    await this.loop;
    await Promise.all(this.inFlight);
  }

  private async run(): Promise<void> {
    while (this.running) {
      if (this.backoffMs > 0) await this.pause(this.backoffMs);
      if (!this.running) break;
      const free = this.concurrency - this.inFlight.size;
      const messages = free > 0 ? await this.receive(free) : [];
      for (const message of messages) {
        const work = this.deliver(message).finally(() => this.inFlight.delete(work));
        this.inFlight.add(work);
      }
      if (free <= messages.length) await Promise.race(this.inFlight); // saturated: wait for a slot
      else if (messages.length === 0) await this.queue.waitForMessages(IDLE_POLL_MS);
    }
  }

  private async receive(max: number): Promise<ReceivedMessage[]> {
    try {
      const received = await this.queue.receive(max);
      // Nothing to deliver, not even a message given back: no failure is left to wait out.
      if (received.length === 0) this.backoffMs = 0;
      return received;
    } catch (error) {
      if (isPassingFailure(error)) this.backOff(`receiving from the queue failed: ${error.message}`);
      else this.log.error('receiving from the queue failed', error);
      return [];
    }
  }

  private async deliver(message: ReceivedMessage): Promise<void> {
    const { messageId, deliveryCount, enqueuedTimeUtc } = message;
    try {
      await this.definition.handler(triggerPayload(message.body), { messageId, deliveryCount, enqueuedTimeUtc }, this.services, this.log);
    } catch (error) {
      if (isPassingFailure(error)) {
        this.backOff(`message ${messageId} goes back undelivered: ${error.message}`);
        await this.settle(() => this.queue.release(message.lockToken));
        return;
      }
      this.log.warn(`delivery ${deliveryCount} of message ${messageId} failed: ${(error as Error).message}`);
      await this.settle(() => this.queue.abandon(message.lockToken, (error as Error).message));
      return;
    }
    this.backoffMs = 0;
    await this.settle(() => this.queue.complete(message.lockToken));
  }

  private backOff(reason: string): void {
    this.backoffMs = Math.min(BACKOFF_MAX_MS, this.backoffMs === 0 ? BACKOFF_FIRST_MS : this.backoffMs * 2);
    this.log.warn(`${reason}; pausing ${this.backoffMs} ms`);
  }

  /** Sleeps, but stop() cuts it short. */
  private pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wake = done;
    });
  }

  /** A lost lock means someone else has the message now; it will be handled there. */
  private async settle(action: () => Promise<void>): Promise<void> {
    try {
      await action();
    } catch (error) {
      this.log.warn(`settling a message failed: ${(error as Error).message}`);
    }
  }
}
