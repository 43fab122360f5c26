import type { QueueDefinition } from '../definitions.js';
import type { Services } from '../composition.js';
import type { EmbeddedQueue, ReceivedMessage } from '../adapters/embedded/queue.js';
import { consoleLogger } from './logger.js';

const IDLE_POLL_MS = 200;

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
 */
export class QueuePump {
  private running = true;
  private readonly inFlight = new Set<Promise<void>>();
  private readonly loop: Promise<void>;
  private readonly log;

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
    await this.loop;
    await Promise.all(this.inFlight);
  }

  private async run(): Promise<void> {
    while (this.running) {
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
      return await this.queue.receive(max);
    } catch (error) {
      this.log.error('receiving from the queue failed', error);
      return [];
    }
  }

  private async deliver(message: ReceivedMessage): Promise<void> {
    const { messageId, deliveryCount, enqueuedTimeUtc } = message;
    try {
      await this.definition.handler(triggerPayload(message.body), { messageId, deliveryCount, enqueuedTimeUtc }, this.services, this.log);
    } catch (error) {
      this.log.warn(`delivery ${deliveryCount} of message ${messageId} failed: ${(error as Error).message}`);
      await this.settle(() => this.queue.abandon(message.lockToken, (error as Error).message));
      return;
    }
    await this.settle(() => this.queue.complete(message.lockToken));
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
