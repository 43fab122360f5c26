import type { Logger, Services } from './ports.js';

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

/**
 * What one timer run stands for: the seconds since its schedule's previous occurrence. A run
 * catches up the whole interval (the virtual actors pace themselves by it), so hourly rates hold
 * on any schedule. By the schedule, not by elapsed time: nothing to remember between runs, and
 * an app that was down does not come back with a burst.
 */
export interface TimerTick {
  seconds: number;
}

export type TimerHandler = (services: Services, log: Logger, tick: TimerTick) => Promise<void>;

/** The Service Bus queue between order intake and the makeline. */
export const ORDERS_QUEUE = 'orders';
