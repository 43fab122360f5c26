import { placeOrder } from '../app/placeOrder.js';
import { restockLowProducts } from '../app/restock.js';
import { StoreError } from '../domain/errors.js';
import { actionsThisTick } from '../domain/pacing.js';
import type { PlaceOrderInput } from '../domain/schemas.js';
import type { ShippingAddress } from '../domain/order.js';
import { DECLINED_CARD_NUMBER, SUCCESS_CARD_NUMBER } from '../domain/payment.js';
import type { Product } from '../domain/product.js';
import type { TimerHandler } from '../triggers.js';
import type { Services } from '../ports.js';
import type { Logger } from '../ports.js';

const pick = <T>(items: readonly T[]): T => items[Math.floor(Math.random() * items.length)]!;

/** Where the virtual customer has things sent: complete addresses, as the checkout requires. */
const ADDRESSES: ReadonlyArray<Omit<ShippingAddress, 'name'>> = [
  { street: '1 Market Street', city: 'San Francisco', postalCode: '94105', country: 'United States' },
  { street: '221 King Street West', city: 'Toronto', postalCode: 'M5H 1K5', country: 'Canada' },
  { street: 'Karl-Liebknecht-Str. 5', city: 'Berlin', postalCode: '10178', country: 'Germany' },
  { street: '10 Downing Lane', city: 'Leeds', postalCode: 'LS1 4DY', country: 'United Kingdom' },
];

/** Pays with the demo's success card, or at `declineRate` with its decline card, so the board shows unpaid orders too. */
function demoPayment(declineRate: number): PlaceOrderInput['payment'] {
  const number = Math.random() < declineRate ? DECLINED_CARD_NUMBER : SUCCESS_CARD_NUMBER;
  return { card: { number, expiry: '12/39', cvc: '123' } };
}

function basket(inStock: readonly Product[], services: Services): PlaceOrderInput {
  const chosen = new Map<string, Product>();
  const wanted = 1 + Math.floor(Math.random() * Math.min(3, inStock.length));
  while (chosen.size < wanted) {
    const product = pick(inStock);
    chosen.set(product.id, product);
  }
  return {
    items: [...chosen.values()].map((product) => ({ productId: product.id, quantity: Math.min(product.stock, 1 + Math.floor(Math.random() * 2)) })),
    customer: { name: 'Virtual Customer', email: 'virtual.customer@example.com' },
    shipping: { name: 'Virtual Customer', ...pick(ADDRESSES) },
    // Another provider takes cards in the browser only: the virtual customer's orders then wait unpaid.
    ...(services.payments.takesCard && { payment: demoPayment(services.config.virtualCustomerDeclineRate) }),
  };
}

/**
 * Shops like a customer, through the same path as POST /api/orders, paying in the same call with
 * the demo provider's cards (VIRTUAL_CUSTOMER_DECLINE_RATE of them declined), at the configured
 * pace; then its supplier restocks what runs low (see restockLowProducts).
 */
export const virtualCustomer: TimerHandler = async (services, log, tick) => {
  await shop(services, log, actionsThisTick(services.config.virtualCustomerOrdersPerHour, tick.seconds));
  // A store that shops on its own restocks on its own, so left alive it never sells itself out; one
  // only people shop at keeps its stock as they leave it, and employees restock from the overview.
  if (services.config.virtualCustomerOrdersPerHour === 0) return;
  const restocked = await restockLowProducts(services);
  if (restocked > 0) log.info(`virtualSupplier: restocked ${restocked} products running low`);
};

async function shop(services: Services, log: Logger, count: number): Promise<void> {
  if (count === 0) return;
  const { items } = await services.products.list({ limit: 100 });
  const inStock = items.filter((product) => product.stock > 0);
  if (inStock.length === 0) return log.warn('virtualCustomer: nothing in stock to buy');
  for (let placed = 0; placed < count; placed++) {
    try {
      const { order } = await placeOrder(services, basket(inStock, services), undefined, log);
      log.info(`virtualCustomer: placed order ${order.number} (${order.orderId}), ${order.status}${order.payment?.failure ? `: ${order.payment.failure}` : ''}`);
    } catch (error) {
      if (!(error instanceof StoreError)) throw error;
      log.info(`virtualCustomer: ${error.message}`); // sold out since the catalog was read
    }
  }
}
