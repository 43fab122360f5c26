import { sendToMakeline } from '../app/makeline.js';
import { settleStrandedHolds } from '../app/stock.js';
import { sweepPayments } from '../app/payments.js';
import type { TimerHandler } from '../triggers.js';

const BATCH = 200;

/**
 * Re-sends orders still received after a while, so an order whose send failed is not lost. Only
 * while the queue would drop the re-send of an order it already holds (config.outbox): an order
 * whose message was dead-lettered is left to a human, not sent round again and again.
 *
 * Then the payments' outbox: gives back the stock of unpaid orders whose hold ended, finishes
 * payments and refunds a crash left unfinished (sweepPayments). Last, settles the stock of final
 * orders that still hold it (a crash between an order's final status and its settling), in the
 * same run so the timer runs no more often than before.
 */
export const outboxSweeper: TimerHandler = async (services, log) => {
  const now = services.clock.now().getTime();
  const { resendAfterMs, resendUntilMs } = services.config.outbox;
  const stuck = await services.orders.listReceived({ after: new Date(now - resendUntilMs), before: new Date(now - resendAfterMs) }, BATCH);
  for (const order of stuck) await sendToMakeline(services, order, log);
  if (stuck.length > 0) log.info(`outboxSweeper: re-sent ${stuck.length} order(s) still received`);
  const swept = await sweepPayments(services, log);
  if (swept.holdsReleased + swept.paymentsFinished + swept.refundsRetried > 0) {
    log.info(`outboxSweeper: gave back the stock of ${swept.holdsReleased} unpaid order(s), finished ${swept.paymentsFinished} payment(s), refunded ${swept.refundsRetried}`);
  }
  const settled = await settleStrandedHolds(services, log);
  if (settled > 0) log.info(`outboxSweeper: settled the stock of ${settled} final order(s) a crash had left holding it`);
};
