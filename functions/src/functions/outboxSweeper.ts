import { announce } from '../app/placeOrder.js';
import type { TimerHandler } from '../triggers.js';

const BATCH = 200;

/** Re-sends orders still received after a while, so an order whose send failed is not lost. */
export const outboxSweeper: TimerHandler = async (services, log) => {
  const cutoff = new Date(services.clock.now().getTime() - services.config.outboxResendAfterMs);
  const stuck = await services.orders.listReceivedBefore(cutoff, BATCH);
  for (const order of stuck) await announce(services, order, log);
  if (stuck.length > 0) log.info(`outboxSweeper: re-sent ${stuck.length} order(s) still received`);
};
