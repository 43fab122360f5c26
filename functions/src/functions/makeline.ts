import { makeOrder } from '../app/makeline.js';
import { orderMessageSchema } from '../domain/schemas.js';
import type { QueueHandler } from '../triggers.js';

/** The host hands over JSON bodies parsed; anything else arrives as text or bytes. */
function readMessage(message: unknown): unknown {
  if (typeof message === 'string') return JSON.parse(message);
  if (Buffer.isBuffer(message)) return JSON.parse(message.toString('utf8'));
  return message;
}

/**
 * Service Bus–triggered. Throwing makes the queue redeliver; after the max delivery count the
 * message is dead-lettered, which is where garbage and orders that do not exist end up.
 */
export const makeline: QueueHandler = async (message, metadata, services, log) => {
  const parsed = orderMessageSchema.safeParse(readMessage(message));
  if (!parsed.success) {
    throw new Error(`message ${metadata.messageId} is not an order message: ${parsed.error.issues[0]?.message}`);
  }
  const order = await makeOrder(services, parsed.data.orderId);
  log.info(`makeline: order ${order.orderId} is ${order.status} (delivery ${metadata.deliveryCount})`);
};
