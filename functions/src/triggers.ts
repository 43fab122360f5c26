import type { Services } from './composition.js';
import type { Logger } from './ports.js';

/** The Service Bus trigger metadata the makeline reads, under the names the Functions host uses. */
export interface QueueTriggerMetadata {
  messageId: string;
  deliveryCount: number;
  enqueuedTimeUtc: string;
}

export type QueueHandler = (
  message: unknown,
  metadata: QueueTriggerMetadata,
  services: Services,
  log: Logger,
) => Promise<void>;

export type TimerHandler = (services: Services, log: Logger) => Promise<void>;

/** The Service Bus queue between order intake and the makeline. */
export const ORDERS_QUEUE = 'orders';

/** Timers tick on this NCRONTAB schedule; the virtual actors pace themselves per tick. */
export const TICK_SECONDS = 10;
export const EVERY_TICK = `*/${TICK_SECONDS} * * * * *`;
