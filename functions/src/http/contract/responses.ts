import { z } from 'zod';
import { DRAFT_FIELDS } from '../../domain/product.js';
import { ORDER_STATUSES } from '../../domain/order.js';
import { PAYMENT_PROVIDERS, PAYMENT_STATUSES } from '../../domain/payment.js';

/**
 * What the API answers, as zod schemas: the OpenAPI document is generated from them, the web
 * clients take their types from them (z.output), and the integration tests parse real replies
 * with them, which is what keeps them true.
 */

const isoTime = z.string().describe('ISO 8601 time');
const statusSchema = z.enum(ORDER_STATUSES);
const draftField = z.enum(DRAFT_FIELDS);

/** One thing wrong: where (a field's path) and why, with what some errors add (insufficient_stock, stale_version). */
export const errorDetail = z.looseObject({
  message: z.string(),
  path: z.string().optional(),
  productId: z.string().optional().describe('insufficient_stock: the product short of stock'),
  available: z.number().int().optional().describe('insufficient_stock: how many are left'),
  current: z.number().int().optional().describe('stale_version: the version now stored'),
});

/** Every error reply: a code to branch on, a sentence to show, and what was wrong where. */
export const errorReply = z.object({
  error: z.object({ code: z.string(), message: z.string(), details: z.array(errorDetail) }),
});

const pageOf = <T extends z.ZodType>(item: T) =>
  z.object({ items: z.array(item), nextCursor: z.string().nullable().describe('Pass as ?cursor= for the next page; null on the last.') });

/** The product as the storefront sees it. */
export const product = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string(),
  priceCents: z.number().int(),
  imageUrl: z.string(),
  tags: z.array(z.string()),
  stock: z.number().int(),
  version: z.number().int(),
  updatedAt: isoTime,
});
/** GET /api/products/{id}/related: in-stock products sharing its tags, most shared first. */
export const relatedProductList = z.object({ items: z.array(product) });
/** GET /api/products/{id}: the product, and how many of it one order may hold (MAX_UNITS_PER_LINE). */
export const productForSale = product.extend({ maxPerOrder: z.number().int() });
export const productPage = pageOf(product).extend({ total: z.number().int().describe('How many products match the search in all.') });

/** AI suggestions waiting for an employee's review. */
export const productDraft = z.object({
  description: z.string().optional(),
  imageUrl: z.string().optional(),
  at: isoTime,
  jobId: z.string().optional(),
});
/** The product as employees see it: with its draft, if any. */
export const adminProduct = product.extend({ draft: productDraft.optional() });

export const tagList = z.object({ items: z.array(z.string()) });

/** Where an order goes; orders placed before addresses were taken have none. */
export const shippingAddress = z.object({ name: z.string(), street: z.string(), city: z.string(), postalCode: z.string(), country: z.string() });

/** How the order is paid: only the card's brand and last four digits, never its number, expiry or CVC. */
export const payment = z.object({
  status: z.enum(PAYMENT_STATUSES),
  provider: z.enum(PAYMENT_PROVIDERS),
  attempts: z.number().int().describe('Tries so far.'),
  method: z.object({ brand: z.string(), last4: z.string() }).optional(),
  failure: z.string().optional().describe('The last decline, in words for the customer.'),
  paidAt: isoTime.optional(),
  refund: z.object({ amountCents: z.number().int(), at: isoTime.optional().describe('Set once the money went back.') }).optional(),
});

export const order = z.object({
  orderId: z.string(),
  number: z.string().optional().describe('BB-7K3Q9P: what people read; orders from before numbers may lack it.'),
  customer: z.object({ name: z.string().optional(), email: z.string().optional() }),
  shipping: shippingAddress.optional(),
  owner: z.object({ identityProvider: z.string(), userId: z.string(), name: z.string() }).optional().describe('The signed-in customer who placed it; none for a guest\'s order.'),
  items: z.array(z.object({ productId: z.string(), name: z.string(), quantity: z.number().int(), unitPriceCents: z.number().int() })),
  totalCents: z.number().int(),
  status: statusSchema,
  history: z.array(z.object({ status: statusSchema, at: isoTime, reason: z.string().optional() })),
  version: z.number().int(),
  createdAt: isoTime,
  updatedAt: isoTime,
  payment: payment.optional().describe('None on orders placed before payments existed.'),
  holdExpiresAt: isoTime.optional().describe('While awaiting_payment: when the stock it holds goes back.'),
  holdReleased: z.boolean().optional().describe('True once its stock went back; paying takes it again if it is still there.'),
});
export const orderPage = pageOf(order);
/** An order as whoever holds its link sees it: who placed it, but not the account id their orders are keyed by. */
export const linkedOrder = order.extend({
  owner: z.object({ identityProvider: z.string(), name: z.string() }).optional().describe('The signed-in customer who placed it; none for a guest\'s order.'),
});
/** POST /api/me/orders/claim: each order named, decided alone. */
export const claimedOrders = z.object({
  results: z.array(z.object({ orderId: z.string(), outcome: z.enum(['claimed', 'already_yours', 'owned_by_someone_else', 'not_found']) })),
});
/** POST /api/manage/orders/bulk: each order's outcome, in the order asked. */
export const bulkOutcomes = z.object({
  results: z.array(
    z.union([
      z.object({ orderId: z.string(), number: z.string().optional(), outcome: z.literal('done'), status: statusSchema, version: z.number().int() }),
      z.object({ orderId: z.string(), outcome: z.literal('refused'), code: z.string(), message: z.string() }),
    ]),
  ),
});
/** GET /api/me/checkout-defaults: the details of the customer's newest order, to fill the checkout in. */
export const checkoutDefaults = z.object({
  orderId: z.string().nullable(),
  customer: z.object({ name: z.string().optional(), email: z.string().optional() }),
  shipping: shippingAddress.nullable(),
});
/** POST /api/orders: the order, and where to follow it. */
export const placedOrder = linkedOrder.extend({
  statusUrl: z.string(),
  claimToken: z.string().optional().describe("A guest's order only: keep it in the placing browser; claiming the order for an account needs it."),
  clientSecret: z.string().optional().describe('Stripe only, with a payment in the body: confirm the PaymentIntent with it in Stripe.js.'),
});

/** POST /api/orders/{id}/payment: the order, and with Stripe the secret Stripe.js confirms the payment with. */
export const paidOrder = linkedOrder.extend({
  clientSecret: z.string().optional().describe('Stripe only: confirm the PaymentIntent with it in Stripe.js.'),
});

/** GET /api/payments/setup: what the checkout needs to take a card. */
export const paymentSetup = z.union([
  z.object({ provider: z.literal('demo'), testCards: z.array(z.object({ number: z.string(), outcome: z.string() })) }),
  z.object({ provider: z.literal('stripe'), publishableKey: z.string() }),
]);

const check = z.object({ status: z.enum(['ok', 'down']), latencyMs: z.number(), error: z.string().optional().describe('Employees only.') });
const checks = z.object({ store: check, queue: check, images: check });
/** 200 when every dependency answers, 503 (same shape) when one does not. */
export const health = z.object({ status: z.enum(['ok', 'degraded']), checks });

export const overview = z.object({
  ordersPerMinute: z.array(z.object({ minute: z.string(), count: z.number().int() })),
  ordersByStatus: z.record(statusSchema, z.number().int()),
  stuckOrders: z.object({ count: z.number().int(), limit: z.number().int(), receivedBefore: isoTime }),
  payments: z.object({
    unpaid: z.number().int().describe('Orders awaiting payment.'),
    expiredHolds: z.object({ count: z.number().int(), limit: z.number().int() }).describe('Unpaid orders whose stock went back, counted up to limit.'),
  }),
  queue: z.object({ active: z.number().int(), deadLettered: z.number().int() }).nullable(),
  health,
  /** Products with fewer than `threshold` in stock, fewest first, at most `limit`; Restock adds `restockQuantity`. */
  lowStock: z.object({
    threshold: z.number().int(),
    restockQuantity: z.number().int(),
    limit: z.number().int(),
    products: z.array(z.object({ id: z.string(), name: z.string(), stock: z.number().int() })),
  }),
});

export const deadLetter = z.object({
  sequenceNumber: z.string(),
  messageId: z.string(),
  body: z.string().describe('The start of the body; bodyLength is the length of all of it.'),
  bodyLength: z.number().int(),
  reason: z.string(),
  description: z.string(),
  deliveryCount: z.number().int(),
  enqueuedTimeUtc: isoTime,
  deadLetteredTimeUtc: isoTime.nullable(),
});
export const deadLetterPage = pageOf(deadLetter);
export const replayedDeadLetter = z.object({ sequenceNumber: z.string(), replayed: z.literal(true) });

export const auditEntry = z.object({
  id: z.string(),
  at: isoTime,
  actor: z.object({ userId: z.string().optional(), userDetails: z.string().optional(), identityProvider: z.string().optional() }),
  action: z.string(),
  target: z.string(),
  targetName: z.string().optional().describe('What people call the target, as it was then: a product\'s name, an order\'s number.'),
  before: z.unknown(),
  after: z.unknown(),
});
export const auditPage = pageOf(auditEntry);

export const storedImage = z.object({ id: z.string(), url: z.string(), contentType: z.string(), bytes: z.number().int() });
export const drawnImage = z.object({ url: z.string() });
export const descriptionDraft = z.object({ description: z.string() });

const capability = z.object({ available: z.boolean(), reason: z.string().optional() });
export const aiCapabilities = z.object({
  provider: z.enum(['azure-openai', 'openai-compatible', 'off']),
  description: capability,
  image: capability,
  enrichment: capability,
});

export const draftsAccepted = z.object({
  results: z.array(
    z.union([
      z.object({ productId: z.string(), outcome: z.literal('accepted'), version: z.number().int() }),
      z.object({ productId: z.string(), outcome: z.enum(['stale', 'missing', 'no_draft']) }),
    ]),
  ),
});

export const enrichmentStarted = z.object({ id: z.string(), total: z.number().int(), location: z.string() });

const productOutcome = z.union([
  z.object({ productId: z.string(), state: z.literal('ok'), wrote: z.array(draftField) }),
  z.object({ productId: z.string(), state: z.literal('failed'), reason: z.string() }),
]);
export const enrichmentStatus = z.object({
  id: z.string(),
  status: z.enum(['pending', 'running', 'completed', 'failed', 'terminated', 'unknown']),
  createdAt: isoTime.nullable(),
  progress: z
    .object({
      total: z.number().int(),
      done: z.number().int(),
      products: z.array(z.union([productOutcome, z.object({ productId: z.string(), state: z.enum(['pending', 'running']) })])),
    })
    .nullable(),
  result: z
    .object({
      jobId: z.string(),
      total: z.number().int(),
      ok: z.number().int(),
      failed: z.number().int(),
      outcomes: z.array(productOutcome),
      recorded: z.boolean(),
    })
    .nullable(),
});

/** GET /api/openapi.json: the OpenAPI document of this API, described as far as a client needs to tell it is one. */
export const openApi = z.looseObject({
  openapi: z.string(),
  info: z.looseObject({ title: z.string(), version: z.string() }),
  paths: z.record(z.string(), z.record(z.string(), z.unknown())),
  components: z.record(z.string(), z.unknown()),
});

export type ErrorDetail = z.output<typeof errorDetail>;
export type Product = z.output<typeof product>;
export type ProductPage = z.output<typeof productPage>;
export type AdminProduct = z.output<typeof adminProduct>;
export type ShippingAddress = z.output<typeof shippingAddress>;
export type Order = z.output<typeof order>;
export type LinkedOrder = z.output<typeof linkedOrder>;
export type OrderStatus = z.output<typeof statusSchema>;
export type Overview = z.output<typeof overview>;
export type DeadLetter = z.output<typeof deadLetter>;
export type AuditEntry = z.output<typeof auditEntry>;
export type AiCapabilities = z.output<typeof aiCapabilities>;
export type EnrichmentStatus = z.output<typeof enrichmentStatus>;
export type Page<T> = { items: T[]; nextCursor: string | null };
