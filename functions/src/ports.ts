import type { Order, OrderStatus, StoredOrder } from './domain/order.js';
import type { Product, ProductContentDraft } from './domain/product.js';
import type { DescribeInput, DrawInput } from './domain/productCopy.js';
import type { OrderMessage } from './domain/schemas.js';
import type { AcceptedImageType, ImageType } from './domain/images.js';
import type { DraftField } from './domain/product.js';
import type { Config } from './config.js';
import type { Cents } from './domain/money.js';
import type { Card, ChargeOutcome, PaymentMethod } from './domain/payment.js';

/**
 * The interfaces use cases and handlers depend on. Every method is async and keyed so that the embedded
 * (SQLite) adapters and the Azure ones (Cosmos DB for MongoDB, Service Bus) fit the same shape.
 */

export interface Page<T> {
  items: T[];
  /** Opaque; pass back as `cursor` for the next page. Null on the last page. */
  nextCursor: string | null;
}

/** A page of the catalog, with how many products match the query in all. */
export interface ProductPage extends Page<Product> {
  total: number;
}

export interface ProductQuery {
  /** Words, each matched as the start of a word of the product's name, description or tags, in any case (domain/search.ts). */
  q?: string | undefined;
  tag?: string | undefined;
  limit: number;
  cursor?: string | undefined;
}

/** One line of an order as the stock sees it. */
export interface StockRequest {
  productId: string;
  quantity: number;
}

/** What reserving an order's items came to: all held, or the first item (in the order given) that is short. */
export type Reservation = { outcome: 'reserved' } | { outcome: 'insufficient'; productId: string };

export type ReplaceResult<T> = { outcome: 'replaced'; value: T } | { outcome: 'stale' | 'missing' };

/** What adding stock came to: the product after it, or why nothing changed. */
export type RestockResult = { outcome: 'restocked'; value: Product } | { outcome: 'missing' | 'too_much' };

export interface ProductStore {
  list(query: ProductQuery): Promise<ProductPage>;
  /** Every tag some product carries, each once, sorted: the catalog's tag filter. */
  tags(): Promise<string[]>;
  get(id: string): Promise<Product | null>;
  getMany(ids: readonly string[]): Promise<Product[]>;
  /** False when a product with that id exists already. */
  create(product: Product): Promise<boolean>;
  /** Compare-and-set on version. */
  replace(product: Product, expectedVersion: number): Promise<ReplaceResult<Product>>;
  delete(id: string): Promise<boolean>;
  /**
   * Stores AI suggestions beside the product, replacing any earlier draft, without touching its
   * fields or version. list() leaves drafts out (the catalog never shows them); get() has them.
   * False when there is no such product.
   */
  saveDraft(id: string, draft: ProductContentDraft): Promise<boolean>;
  /** Removes the draft; false when there was none (or no product). */
  clearDraft(id: string): Promise<boolean>;
  /**
   * Takes every item's quantity from stock under this hold key (an order's id, or the key a
   * payment took its stock again under: domain/order.ts holdKeyOf) in one call, never going below
   * zero. Repeating it takes nothing twice: an item the key already holds counts as reserved. When
   * an item is short, items may stay held until releaseStock; the caller rejects the order (or
   * refuses the payment), then releases. Nothing here knows the order's status.
   */
  reserveStock(holdKey: string, items: readonly StockRequest[]): Promise<Reservation>;
  /** Gives back what the key holds of these products, once, and forgets the holds. */
  releaseStock(holdKey: string, productIds: readonly string[]): Promise<void>;
  /** The order kept its stock for good (completed): forgets its holds, leaving stock as it is. */
  forgetHolds(holdKey: string, productIds: readonly string[]): Promise<void>;
  /**
   * The hold keys holding stock of any product, each once, in no set order: the live orders', and
   * any a crash left (a final order's, an ended unpaid hold's, one an order replaced), which
   * settleStrandedHolds finds (orderIdOfHold names each key's order).
   */
  heldOrderIds(): Promise<string[]>;
  /** Products with fewer than `below` in stock, fewest first (then by name), at most `limit`; without drafts. */
  lowStock(below: number, limit: number): Promise<Product[]>;
  /**
   * Adds `quantity` to the stock as one atomic increment (bumping the version), so it never undoes
   * a reservation made at the same moment. `too_much` when the stock would pass MAX_STOCK.
   */
  restock(id: string, quantity: number): Promise<RestockResult>;
  ping(): Promise<void>;
}

export interface OrderListQuery {
  status?: OrderStatus | undefined;
  /** Only the orders of this account (ownerKey in domain/owner.ts). */
  ownerKey?: string | undefined;
  /** Exactly this order number (as stored: "BB-" and capitals). */
  number?: string | undefined;
  /** Only the orders created in this range (exports read a range page by page). */
  created?: CreatedBetween | undefined;
  limit: number;
  cursor?: string | undefined;
  /** Newest first unless set: the board shows new orders on top, workers take the oldest. */
  oldestFirst?: boolean | undefined;
}

/** Created at or after `after` and before `before`. */
export interface CreatedBetween {
  after: Date;
  before: Date;
}

export interface OrderStore {
  /**
   * Inserts unless an order with the same orderId exists; returns whichever is stored.
   * 'number_taken' when another order already has this order's number (numbers are unique).
   */
  insertIfAbsent(order: StoredOrder): Promise<{ inserted: boolean; order: StoredOrder } | 'number_taken'>;
  get(orderId: string): Promise<StoredOrder | null>;
  /** The orders with these ids that exist, in no set order, in one call; pass a few hundred ids at most. */
  getMany(orderIds: readonly string[]): Promise<StoredOrder[]>;
  /** Compare-and-set on version. */
  replace(order: StoredOrder, expectedVersion: number): Promise<ReplaceResult<StoredOrder>>;
  list(query: OrderListQuery): Promise<Page<Order>>;
  /** Oldest first: orders still `received` that were created in that range. */
  listReceived(created: CreatedBetween, limit: number): Promise<StoredOrder[]>;
  /** How many orders listReceived would list, counting no further than `limit`. */
  countReceived(created: CreatedBetween, limit: number): Promise<number>;
  /** How many orders are in each status now. */
  countByStatus(): Promise<Record<OrderStatus, number>>;
  /**
   * Orders the outbox sweeper has work for by `now` (domain/payment.ts sweepDueAt: an unpaid hold
   * that ended, a payment or refund left unfinished), soonest first, at most `limit`.
   */
  listSweepDue(now: Date, limit: number): Promise<StoredOrder[]>;
  /** How many unpaid orders have had their stock given back (holdReleased), counting no further than `limit`. */
  countExpiredHolds(limit: number): Promise<number>;
  /** Orders created per minute since `since`, minutes without orders left out; minute as "YYYY-MM-DDTHH:MM". */
  countPerMinute(since: Date): Promise<Array<{ minute: string; count: number }>>;
  ping(): Promise<void>;
}

/** A message the queue gave up on after its max delivery count, kept for a human to look at. */
export interface DeadLetter {
  /** The queue's own number for it, as text (Service Bus numbers are 64-bit). */
  sequenceNumber: string;
  messageId: string;
  /** The body as text, whatever it was. */
  body: string;
  reason: string;
  description: string;
  deliveryCount: number;
  enqueuedTimeUtc: string;
  deadLetteredTimeUtc: string | null;
}

export interface DeadLetterQuery {
  limit: number;
  cursor?: string | undefined;
}

export interface OrderQueue {
  /** messageId lets the queue drop a duplicate sent within its detection window. */
  send(message: OrderMessage, messageId: string): Promise<void>;
  /** Oldest first, `limit` at a time; the cursor continues after the last one of the page before. */
  deadLetters(query: DeadLetterQuery): Promise<Page<DeadLetter>>;
  /** Sends the body again as a new message and removes the dead letter; returns it, or null if it is gone. */
  replayDeadLetter(sequenceNumber: string): Promise<DeadLetter | null>;
  /** Removes the dead letter for good; returns it, or null if it is gone. */
  discardDeadLetter(sequenceNumber: string): Promise<DeadLetter | null>;
  depth(): Promise<{ active: number; deadLettered: number }>;
  ping(): Promise<void>;
}

export interface ImageContent {
  bytes: Uint8Array;
  contentType: ImageType;
}

/** Product pictures. Ids are derived from the bytes, so storing the same picture twice is harmless. */
export interface ImageStore {
  put(image: ImageContent): Promise<{ id: string }>;
  get(id: string): Promise<ImageContent | null>;
  ping(): Promise<void>;
}

/** A picture as decoding found it: a type new pictures may have, and its size. */
export interface CheckedImage {
  contentType: AcceptedImageType;
  width: number;
  height: number;
}

/** Tells what a picture is from its bytes alone, never from its name or a declared Content-Type. */
export interface ImageDecoder {
  /**
   * Decodes the bytes to their last pixel; only a whole PNG or JPEG, within MAX_IMAGE_PIXELS, passes.
   * Throws StoreError: 415 not_an_image / unsupported_image_type, 422 broken_image / interlaced_png / image_too_large.
   */
  check(bytes: Uint8Array): Promise<CheckedImage>;
}

export type { ChargeOutcome } from './domain/payment.js';

export interface ChargeRequest {
  /** paymentKey(orderId, attempts): the same key is the same charge, however often it is sent. */
  idempotencyKey: string;
  orderId: string;
  amountCents: Cents;
  currency: 'USD';
  /** The demo provider's card (takesCard); never stored, never logged. */
  card?: Card;
}

/** What the checkout needs to know to take a card: the demo's test cards, or Stripe's publishable key. */
export type PaymentSetup =
  | { provider: 'demo'; testCards: Array<{ number: string; outcome: string }> }
  | { provider: 'stripe'; publishableKey: string };

/**
 * Who takes the money. Every call is idempotent by its key, so a call repeated after a crash or a
 * timeout never charges or refunds twice; a call must give up within 20 s, well inside the time
 * the outbox sweeper waits (OUTBOX_RESEND_AFTER_SECONDS) before it asks `find` what became of it.
 */
export interface PaymentProvider {
  readonly name: 'demo' | 'stripe';
  /** True when a charge carries the card (the demo); Stripe's is entered in Stripe.js, never sent here. */
  readonly takesCard: boolean;
  setup(): PaymentSetup;
  charge(request: ChargeRequest): Promise<ChargeOutcome>;
  /** The customer's second step on a requires_action charge: approved, or not (then declined). */
  confirm(request: { idempotencyKey: string; reference: string; approve: boolean }): Promise<ChargeOutcome>;
  /** What became of the charge sent with this key; null when the provider never received it. */
  find(idempotencyKey: string): Promise<ChargeOutcome | null>;
  /** Gives the money of a paid charge back; refundKey(orderId) makes it once. */
  refund(request: { idempotencyKey: string; orderId: string; reference: string; amountCents: Cents }): Promise<{ reference: string }>;
}

/** One line of the demo provider's ledger: a charge or a refund, by the idempotency key it was sent with. */
export interface LedgerEntry {
  key: string;
  kind: 'charge' | 'refund';
  orderId: string;
  amountCents: Cents;
  state: 'paid' | 'declined' | 'requires_action' | 'refunded';
  reference: string;
  method?: PaymentMethod;
  code?: string;
  message?: string;
  at: string;
}

/** The demo provider's record of what it charged and refunded, kept in the store: "charged once" is countable. */
export interface PaymentLedger {
  /** Records the entry unless one with its key exists; returns whichever is stored. */
  recordIfAbsent(entry: LedgerEntry): Promise<LedgerEntry>;
  get(key: string): Promise<LedgerEntry | null>;
  /** Decides a requires_action charge, once: returns the entry as stored after (the first decision wins). */
  decide(key: string, decided: LedgerEntry): Promise<LedgerEntry | null>;
  /** Every entry of one order, oldest first. */
  forOrder(orderId: string): Promise<LedgerEntry[]>;
}

export interface Clock {
  now(): Date;
}

export interface Logger {
  info(message: string, ...details: unknown[]): void;
  warn(message: string, ...details: unknown[]): void;
  error(message: string, ...details: unknown[]): void;
}

/** Who did something in the employee API: the Static Web Apps principal. */
export interface Actor {
  userId?: string | undefined;
  userDetails?: string | undefined;
  identityProvider?: string | undefined;
}

/** A signed-in caller as the pipeline read it: an Actor with the roles Static Web Apps gave them. */
export interface Principal extends Actor {
  userRoles: string[];
}

export interface AuditEntry {
  id: string;
  at: string;
  actor: Actor;
  /** e.g. "order.transition", "product.update", "deadletter.replay". */
  action: string;
  /** What it was done to: an orderId, a product id, a dead letter's sequence number. */
  target: string;
  /** What people call the target, as it was then (a product's name): still true once it is deleted or renamed. */
  targetName?: string;
  before: unknown;
  after: unknown;
}

/** Every employee action, and every order a customer claimed, kept for review; newest first. */
export interface AuditLog {
  record(entry: AuditEntry): Promise<void>;
  list(query: { limit: number; cursor?: string | undefined }): Promise<Page<AuditEntry>>;
}

/** Whether one AI feature can be used, and in plain words why not. */
export interface AiCapability {
  available: boolean;
  reason?: string;
}

export interface AiCapabilities {
  provider: 'azure-openai' | 'openai-compatible' | 'off';
  description: AiCapability;
  image: AiCapability;
}

/**
 * AI help for employees: product copy and product pictures. Never required by anything else in
 * the store. Every failure is a StoreError within the writer's time budget: code
 * `ai_not_configured` (503), `ai_unavailable` / `ai_busy` / `ai_bad_response` (503),
 * `ai_timeout` (504) or `content_filtered` (422).
 */
export interface ContentWriter {
  /** From configuration alone: answers at once, never calls the AI service. */
  capabilities(): AiCapabilities;
  /** A short description draft for a product. */
  describe(input: DescribeInput, signal?: AbortSignal): Promise<string>;
  /** A product picture, as bytes to put in the ImageStore. */
  draw(input: DrawInput, signal?: AbortSignal): Promise<ImageContent>;
}

export interface EnrichmentInput {
  productIds: string[];
  want: DraftField[];
  /** Who started it, for the audit log. */
  actor: Actor;
}

export type ProductOutcome =
  | { productId: string; state: 'ok'; wrote: DraftField[] }
  | { productId: string; state: 'failed'; reason: string };

export type ProductProgress = ProductOutcome | { productId: string; state: 'pending' | 'running' };

export interface EnrichmentProgress {
  total: number;
  done: number;
  products: ProductProgress[];
}

export interface EnrichmentResult {
  jobId: string;
  total: number;
  ok: number;
  failed: number;
  outcomes: ProductOutcome[];
  /** False when even the audit record could not be written. */
  recorded: boolean;
}

export type EnrichmentRuntimeStatus = 'pending' | 'running' | 'completed' | 'failed' | 'terminated' | 'unknown';

export interface EnrichmentStatus {
  id: string;
  status: EnrichmentRuntimeStatus;
  createdAt: string | null;
  progress: EnrichmentProgress | null;
  result: EnrichmentResult | null;
}

/** Starts and reads enrichment jobs; only under the Functions host, through its durable client. */
export interface EnrichmentClient {
  start(input: EnrichmentInput): Promise<string>;
  /** Null when there is no such job. */
  status(id: string): Promise<EnrichmentStatus | null>;
}

/**
 * Counts one client's requests in fixed windows. The store's counter is shared by every instance
 * (one write a hit); each counter forgets a window by itself once it is over.
 */
export interface RateCounter {
  /** Adds one hit to `key` in the window ending at `windowEndMs`; answers the window's hits, this one included. */
  hit(key: string, windowEndMs: number): Promise<number>;
}

/** Hands out the services, starting them if need be; `log` is the caller's, for what the start reports. */
export type ServicesSource = (log: Logger) => Promise<Services>;

/** The set of ports: what every use case and handler may use. They never learn which adapters these are. */
export interface Services {
  config: Config;
  clock: Clock;
  products: ProductStore;
  orders: OrderStore;
  queue: OrderQueue;
  images: ImageStore;
  imageDecoder: ImageDecoder;
  audit: AuditLog;
  /** Limits on writes: counted in the store, the same for every instance. */
  sharedRateCounter: RateCounter;
  /** Limits on reads: counted in this instance's memory. */
  instanceRateCounter: RateCounter;
  /** Who takes payments, chosen by PAYMENT_PROVIDER (composition.ts). */
  payments: PaymentProvider;
  /** AI help, chosen by the AI settings alone; off when none are set. */
  content: ContentWriter;
  close(): Promise<void>;
}
