import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { newId } from '../../src/domain/ids.js';
import { transition } from '../../src/domain/order.js';
import { newOrder } from '../../src/domain/pricing.js';
import { outboxSweeper } from '../../src/functions/outboxSweeper.js';
import { silentLog, tempServices } from '../support/services.js';
import { randomOrderNumber } from '../../src/domain/orderNumber.js';
import { CHECKOUT } from '../support/checkout.js';

/** Defaults: re-send after 30 s, until 300 s (half the 600 s duplicate detection window). */
describe('the outbox sweeper', () => {
  let services: ReturnType<typeof tempServices>;
  let sent: string[];
  beforeEach(() => {
    services = tempServices();
    sent = [];
    const send = services.queue.send.bind(services.queue);
    services.queue.send = async (message, messageId) => {
      sent.push(messageId);
      await send(message, messageId);
    };
  });
  afterEach(() => services.dispose());

  const placedSecondsAgo = async (seconds: number) => {
    const order = newOrder(newId(), randomOrderNumber(), CHECKOUT, [{ productId: 'lamp', name: 'Lamp', quantity: 1, unitPriceCents: 100 }], 'hash', new Date(Date.now() - seconds * 1000));
    await services.orders.insertIfAbsent(order);
    return order;
  };

  it('re-sends orders received for a while, but not fresh ones, moved ones, or ones past the duplicate window', async () => {
    const fresh = await placedSecondsAgo(5);
    const lost = await placedSecondsAgo(60);
    const moved = await placedSecondsAgo(90);
    await services.orders.replace(transition(moved, 'pending', new Date()), 1);
    const almostTooOld = await placedSecondsAgo(290);
    // Still received after half the window: its message was most likely dead-lettered, and a
    // re-send now would be a second message the queue no longer drops. A human decides.
    const stuck = await placedSecondsAgo(400);

    await outboxSweeper(services, silentLog, { seconds: 60 });
    expect(sent).toEqual([almostTooOld.orderId, lost.orderId]); // oldest first
    expect(sent).not.toContain(fresh.orderId);
    expect(sent).not.toContain(stuck.orderId);
  });

  it('reaches a lost order behind more stuck orders than one batch holds', async () => {
    for (let i = 0; i < 250; i++) await placedSecondsAgo(1000 + i);
    const lost = await placedSecondsAgo(45);
    await outboxSweeper(services, silentLog, { seconds: 60 });
    expect(sent).toEqual([lost.orderId]);
  });
});
