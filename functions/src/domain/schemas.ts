import { z } from 'zod';
import { DRAFT_FIELDS, MAX_ENRICHMENT_PRODUCTS, MAX_RESTOCK, MAX_STOCK } from './product.js';
import { MAX_PRICE_CENTS } from './money.js';
import { ORDER_STATUSES } from './order.js';
import { normalizeOrderNumber } from './orderNumber.js';
import { COPY_TONES, MAX_DESCRIPTION_CHARS } from './productCopy.js';
import { MAX_QUERY_CHARS, MAX_QUERY_WORDS, queryProblem } from './search.js';

/** Ids are url-safe tokens: generated ids, seeded slugs and idempotency-derived ids all fit. */
export const idSchema = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be 1-64 letters, digits, "-" or "_"');

export const idParams = z.strictObject({ id: idSchema });

export const idempotencyKeySchema = z
  .string()
  .regex(/^[A-Za-z0-9._:-]{8,128}$/, 'must be 8-128 letters, digits or ". _ : -"');

const cursorSchema = z.string().regex(/^[A-Za-z0-9_-]{1,300}$/, 'not a cursor this API returned');

const limitSchema = (fallback: number) =>
  z
    .string()
    .regex(/^\d{1,3}$/, 'must be a whole number from 1 to 100')
    .transform(Number)
    .pipe(z.number().int().min(1, 'must be at least 1').max(100, 'must be at most 100'))
    .default(fallback);

export const productQuery = z.object({
  q: z
    .string()
    .superRefine((q, context) => {
      const problem = queryProblem(q);
      if (problem) context.addIssue({ code: 'custom', message: problem });
    })
    .transform((q) => q.normalize('NFC').trim())
    .optional()
    .describe(`Words to find (domain/search.ts): each must start a word of the product's name, description or tags, in any case; at most ${MAX_QUERY_CHARS} characters and ${MAX_QUERY_WORDS} words, no control characters.`),
  tag: z.string().trim().toLowerCase().max(32).optional(),
  limit: limitSchema(24),
  cursor: cursorSchema.optional(),
});

/** No control characters, and none of Unicode's own line and paragraph separators (U+2028, U+2029). */
const ONE_LINE = /^[^\p{Cc}\p{Zl}\p{Zp}]*$/u;

/**
 * Characters that change how text around them shows without showing themselves: bidi controls
 * (a name that reads backwards on a label or the admin page), zero-width ones (two names that
 * look the same and are not), and lone surrogates (half a character, which no encoder can write).
 */
const HIDDEN = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u200b-\u200d\u2060\ufeff]|\p{Cs}/u;

/** Text people read: trimmed, in NFC (one spelling for "é"), and refused with any HIDDEN character. */
const visibleText = () =>
  z
    .string()
    .trim()
    .normalize('NFC')
    .refine((text) => !HIDDEN.test(text), 'must not contain invisible characters (bidi controls, zero-width characters or broken surrogates)');

/** A line of an address: required, trimmed, one line of printable text. */
const addressLine = (max: number) =>
  visibleText()
    .min(1, 'is required')
    .max(max, `must be at most ${max} characters`)
    .regex(ONE_LINE, 'must be one line of text');

export const shippingSchema = z.strictObject({
  name: addressLine(100),
  street: addressLine(200),
  city: addressLine(100),
  postalCode: addressLine(20).regex(/^[\p{L}\p{N}][\p{L}\p{N} -]*$/u, 'must be letters, digits, spaces or "-"'),
  country: addressLine(60),
});

export const customerSchema = z.strictObject({
  name: visibleText().min(1).max(100).regex(ONE_LINE, 'must be one line of text').optional(),
  email: z.email('must be an email address like name@example.com').max(254),
});

/** The most any order may hold, whatever the settings: MAX_UNITS_PER_LINE and MAX_ORDER_LINES may lower them (domain/orderSize.ts). */
export const MAX_UNITS_PER_LINE = 99;
export const MAX_ORDER_LINES = 50;

/**
 * A card for the demo provider, as typed (spaces and dashes in the number are dropped). Its rules
 * (digits, an expiry in the future, the CVC) are domain/payment.ts cardProblems: 400 invalid_card.
 */
export const cardSchema = z.strictObject({
  number: z.string().max(40).transform((number) => number.replace(/[\s-]/g, '')),
  expiry: z.string().trim().max(10).describe('MM/YY'),
  cvc: z.string().trim().max(10),
});

/** How the order is paid: a card for the demo provider; nothing for Stripe, which takes the card in the browser. */
export const payOrderBody = z.strictObject({ card: cardSchema.optional() });
export type PayOrderInput = z.infer<typeof payOrderBody>;

/** POST /api/orders/{id}/payment/confirm: the customer's answer to the demo provider's second step. */
export const confirmPaymentBody = z.strictObject({ approve: z.boolean() });

export const placeOrderBody = z.strictObject({
  items: z
    .array(
      z.strictObject({
        productId: idSchema,
        quantity: z.number().int('must be a whole number').min(1).max(MAX_UNITS_PER_LINE),
      }),
    )
    .min(1, 'an order needs at least one item')
    .max(MAX_ORDER_LINES, `an order holds at most ${MAX_ORDER_LINES} distinct items`)
    .refine((items) => new Set(items.map((item) => item.productId)).size === items.length, {
      message: 'each product may appear only once; use quantity instead',
    }),
  customer: customerSchema,
  shipping: shippingSchema,
  /** Pays in the same call: the reply comes once the payment is decided. */
  payment: payOrderBody.optional(),
});
export type PlaceOrderInput = z.infer<typeof placeOrderBody>;

export const orderStatusSchema = z.enum(ORDER_STATUSES);

/** An order number as people type it: any case, "BB-" optional; the stored spelling comes out. */
export const orderNumberSearch = z.string().transform((typed, context) => {
  const number = normalizeOrderNumber(typed);
  if (number === null) {
    context.addIssue({ code: 'custom', message: 'not an order number: 6 letters and digits, "BB-" optional, e.g. BB-7K3Q9P' });
    return z.NEVER;
  }
  return number;
}).describe('An order number as people type it: any case, spaces ignored, "BB-" optional (BB-7K3Q9P, bb 7k3q9p, 7K3Q9P); anything else is 400.');

export const manageOrdersQuery = z.object({
  status: orderStatusSchema.optional(),
  number: orderNumberSearch.optional(),
  limit: limitSchema(25),
  cursor: cursorSchema.optional(),
});

export const transitionBody = z.strictObject({
  to: orderStatusSchema,
  version: z.number().int().min(1),
});

/** POST /api/manage/orders/{id}/cancel: why, for the customer to read, guarded by the version seen. */
export const employeeCancelBody = z.strictObject({
  // Lines are fine (the admin asks in a textarea); other control characters are not text for the customer.
  reason: visibleText().min(3, 'say in a few words why, for the customer').max(300).regex(/^(?:[^\p{Cc}]|[\t\r\n])*$/u, 'must be text, without control characters'),
  version: z.number().int().min(1),
});

/** The most orders one bulk action decides: a board page and then some, few enough for one request's time. */
export const MAX_BULK_ORDERS = 50;

/** POST /api/manage/orders/bulk: one move or cancel for many orders, each at the version the board showed. */
export const bulkOrdersBody = z
  .strictObject({
    to: z.enum(['processing', 'completed', 'cancelled']),
    orders: z
      .array(z.strictObject({ orderId: idSchema, version: z.number().int().min(1) }))
      .min(1, 'choose at least one order')
      .max(MAX_BULK_ORDERS)
      .refine((orders) => new Set(orders.map((order) => order.orderId)).size === orders.length, 'names an order twice'),
    reason: employeeCancelBody.shape.reason.optional(),
  })
  .refine((body) => body.to !== 'cancelled' || body.reason !== undefined, { path: ['reason'], message: 'say in a few words why, for the customers' });
export type BulkOrdersInput = z.infer<typeof bulkOrdersBody>;

/** A calendar day as the export form sends it (UTC). */
const day = z.iso.date('must be a date as YYYY-MM-DD');
/** The longest range one order export covers: a year, so one request's reading stays bounded. */
export const MAX_EXPORT_DAYS = 366;
const DAY_MS = 86_400_000;

/** GET /api/manage/exports/orders: the orders placed from `from` to `to`, both days included. */
export const orderExportQuery = z
  .object({ from: day, to: day })
  .refine(({ from, to }) => from <= to, { path: ['to'], message: 'must not be before from' })
  .refine(({ from, to }) => (Date.parse(to) - Date.parse(from)) / DAY_MS < MAX_EXPORT_DAYS, { path: ['to'], message: `must be within ${MAX_EXPORT_DAYS} days of from` })
  .transform(({ from, to }) => ({ from, to, created: { after: new Date(from), before: new Date(Date.parse(to) + DAY_MS) } }));

const tagSchema = z.string().trim().min(1).max(32);

/** The store's own pictures: uploaded or drawn ones, and the files of the site's /images/ folder (the demo catalog's). */
const ownImage = (url: string) =>
  /^\/api\/images\/[A-Za-z0-9_-]{1,100}$/.test(url) || /^\/images\/[A-Za-z0-9_-][A-Za-z0-9_.-]{0,99}\.(svg|png|jpe?g|webp)$/.test(url);
const httpsUrl = (url: string) => /^https:\/\/[^\s"'<>]+$/.test(url);

/**
 * The store's own pictures or https URLs: nothing a browser would run, and no "//host" in disguise.
 * Which https hosts are allowed is a setting, checked by checkImageUrlHost (domain/images.ts).
 */
const imageUrlSchema = z
  .string()
  .max(2048)
  .refine((url) => ownImage(url) || httpsUrl(url), {
    message: 'must be one of the store\'s pictures (/api/images/…, /images/…) or an https URL',
  });

export const productDraftBody = z.strictObject({
  name: z.string().trim().min(1).max(120),
  description: z.string().trim().max(2000),
  priceCents: z.number().int('must be whole cents').min(0).max(MAX_PRICE_CENTS),
  stock: z.number().int().min(0).max(MAX_STOCK),
  tags: z.array(tagSchema).max(20),
  imageUrl: imageUrlSchema.optional(),
});

export const productUpdateBody = productDraftBody.extend({ version: z.number().int().min(1) });

export const orderMessageSchema = z.strictObject({ orderId: idSchema });
export type OrderMessage = z.infer<typeof orderMessageSchema>;

export const sequenceParams = z.strictObject({
  sequenceNumber: z.string().regex(/^\d{1,20}$/, 'must be a sequence number'),
});

export const pageQuery = z.object({ limit: limitSchema(25), cursor: cursorSchema.optional() });

/** As many as the storefront keeps of a guest's orders in one browser. */
export const MAX_CLAIMED_ORDERS = 50;

/** POST /api/me/orders/claim: orders placed in this browser before signing in, each with the claim token POST /orders gave it. */
export const claimOrdersBody = z.strictObject({
  orders: z
    .array(z.strictObject({ orderId: idSchema, claimToken: z.string().regex(/^[A-Za-z0-9_-]{43}$/, 'must be the claimToken POST /orders answered') }))
    .min(1, 'name at least one order')
    .max(MAX_CLAIMED_ORDERS),
});

/** POST /api/manage/ai/description: what the draft may build on. */
export const aiDescriptionBody = z.strictObject({
  name: z.string().trim().min(1).max(120),
  tags: z.array(tagSchema).max(20).default([]),
  tone: z.enum(COPY_TONES).optional(),
});

/** POST /api/manage/ai/image: the picture's subject; productId only names the product it is for. */
export const aiImageBody = z.strictObject({
  productId: idSchema.optional(),
  name: z.string().trim().min(1).max(120),
  description: z.string().trim().max(MAX_DESCRIPTION_CHARS).default(''),
});

/** POST /api/manage/products/{id}/draft/accept: version-guarded like PUT; all draft fields unless named. */
export const draftAcceptBody = z.strictObject({
  version: z.number().int().min(1),
  fields: z.array(z.enum(DRAFT_FIELDS)).min(1).max(2).optional(),
});

/** POST /api/manage/drafts/accept: every draft of these products, at whatever version they are. */
export const draftsAcceptBody = z.strictObject({
  productIds: z.array(idSchema).min(1).max(MAX_ENRICHMENT_PRODUCTS),
});

/** POST /api/manage/enrichment: the products by id, or all those missing a description or an image. */
export const enrichmentStartBody = z.strictObject({
  productIds: z.array(idSchema).min(1).max(MAX_ENRICHMENT_PRODUCTS).optional(),
  without: z.enum(DRAFT_FIELDS).optional(),
  want: z.array(z.enum(DRAFT_FIELDS)).min(1).max(2),
}).refine((body) => (body.productIds === undefined) !== (body.without === undefined), {
  message: 'give either productIds or without, not both',
});

export const restockBody = z.strictObject({ quantity: z.number().int('must be a whole number').min(1).max(MAX_RESTOCK) });

export const enrichmentParams = z.strictObject({ id: z.string().regex(/^[A-Za-z0-9_-]{1,100}$/, 'must be a job id') });
