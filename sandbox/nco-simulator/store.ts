// The simulated NCO's state: orders (Order API v0 semantics) and channel configurations.
// Every change to an order goes through `commit`, the one place where NCO's hooks are called before a
// change is stored (order-hooks.ts), and where tests may intercept changes (`BeforeCommit`).
import { isLeft, left, right, type Either } from 'fp-ts/Either';
import { ncoIds } from './ids';
import { HOOK_SUBJECTS, runOrderHooks, type HookCall, type OrderHookSettings } from './order-hooks';

export type JsonObject = Record<string, unknown>;

/** An Order API error as NCO answers it: HTTP status + `{code, message}`. */
export interface NcoError {
  readonly status: number;
  readonly code: string;
  readonly message: string;
  /** A denying hook's answer body (code `order-hook-failed`), passed on to the writer. */
  readonly hookResponse?: unknown;
}
export type NcoResult<T> = Either<NcoError, T>;

/** The merchant and channel of a request (`x-merchant`, `x-channel`). */
export interface NcoScope {
  readonly merchant: string;
  readonly channel: string;
}

export interface SimAmount {
  includingVat: number;
  excludingVat: number;
}

export interface SimTransition {
  status: string;
  timeStamp: string;
}

export interface SimOrder extends JsonObject {
  id: string;
  merchant?: string;
  channel?: string;
  currency: string;
  country: string;
  state: { currentStatus: string; transitions: SimTransition[]; [k: string]: unknown };
  cart: JsonObject & { items: JsonObject[]; total?: SimAmount };
  shippings: JsonObject[];
  payments: JsonObject[];
  customer: JsonObject;
  hooks: JsonObject[];
  total: SimAmount;
}

/** The part of the order a change touches: the JSON path NCO hooks subscribe to. */
export type OrderSubject = '/cart' | '/shippings' | '/payments' | '/customer' | '/state' | '/hooks' | '/reference';

export interface CommitContext {
  readonly orderId: string;
  readonly scope: NcoScope;
  readonly subject: OrderSubject;
  /** `x-adapterid` of the write: that adapter's own hooks are not called for it. */
  readonly adapterId?: string;
}

/**
 * Runs before a change is stored, after the order's hooks approved it, with the proposed order: a test
 * interceptor (left denies the change, right is what gets stored).
 */
export type BeforeCommit = (proposed: SimOrder, context: CommitContext) => Promise<NcoResult<SimOrder>>;

/** One write request as the simulator received it (tests assert on `adapterId`). */
export interface WriteRecord {
  readonly method: string;
  readonly path: string;
  /** The `x-adapterid` header, when sent. */
  readonly adapterId: string | undefined;
  readonly merchant: string | undefined;
  readonly channel: string | undefined;
  readonly status: number;
}

export interface RequestRecord {
  readonly method: string;
  readonly path: string;
  readonly status: number;
}

export type Configurations = Record<string, Record<string, Record<string, unknown>>>;

export const ORDER_STATUSES = ['checkout', 'processing', 'accepted', 'completed', 'declined', 'removed'] as const;
export const PAYMENT_STATES = [
  'intent',
  'removed',
  'processing',
  'failed',
  'confirmed',
  'pending',
  'declined',
  'reserved',
  'credited',
  'captured',
  'cancelled',
  'refunded',
] as const;
export const SHIPPING_STATES = ['intent', 'removed', 'processing', 'failed', 'confirmed'] as const;
export const PAYMENT_TYPES = ['default', 'prepaid', 'voucher'] as const;
export const TRANSACTION_EVENTS = ['open', 'process', 'confirm', 'reopen', 'cancel', 'paymentAction', 'capture', 'refund'] as const;

interface StoredOrder {
  order: SimOrder;
  /** payment id → its transactions (GET …/transactions), kept beside the order as NCO does. */
  transactions: Map<string, JsonObject[]>;
}

// ---------------------------------------------------------------------------------------------
// Validation helpers

const isRecord = (u: unknown): u is JsonObject => typeof u === 'object' && u !== null && !Array.isArray(u);
const isNumber = (u: unknown): u is number => typeof u === 'number' && Number.isFinite(u);
const isAmount = (u: unknown): u is SimAmount => isRecord(u) && isNumber(u['includingVat']) && isNumber(u['excludingVat']);
const oneOf = (values: readonly string[], u: unknown): u is string =>
  typeof u === 'string' && values.includes(u.toLowerCase()) ;

const badRequest = (message: string): NcoError => ({ status: 400, code: 'bad-request', message });
const orderNotFound = (id: string): NcoError => ({ status: 404, code: 'order-not-found', message: `Order with id:${id} not found.` });
const paymentNotFound = (id: string): NcoError => ({ status: 404, code: 'payment-not-found', message: `Payment with id:${id} not found.` });
const shippingNotFound = (id: string): NcoError => ({ status: 404, code: 'shipping-not-found', message: `Shipping with id:${id} not found.` });
const hookNotFound = (id: string): NcoError => ({ status: 404, code: 'hook-not-found', message: `Hook with id:${id} not found.` });

const round2 = (n: number): number => Math.round((n + Number.EPSILON) * 100) / 100;
const addAmounts = (amounts: readonly SimAmount[]): SimAmount => ({
  includingVat: round2(amounts.reduce((s, a) => s + a.includingVat, 0)),
  excludingVat: round2(amounts.reduce((s, a) => s + a.excludingVat, 0)),
});
const clone = <T>(value: T): T => structuredClone(value);

/** Cart items as NCO stores them: ids assigned, `total` from `price × quantity` when missing. */
function normaliseItems(items: unknown, path: string): NcoResult<JsonObject[]> {
  if (!Array.isArray(items)) return left(badRequest(`${path} is required and must be an array`));
  const out: JsonObject[] = [];
  for (const [i, raw] of items.entries()) {
    if (!isRecord(raw)) return left(badRequest(`${path}[${i}] must be an object`));
    const item: JsonObject = { ...raw };
    if (!isNumber(item['quantity']) || item['quantity'] <= 0) return left(badRequest(`${path}[${i}].quantity must be a number > 0`));
    if (!isNumber(item['vatRate']) || item['vatRate'] < 0 || item['vatRate'] >= 1) {
      return left(badRequest(`${path}[${i}].vatRate must be a fraction (0.25 = 25 %)`));
    }
    if (item['total'] === undefined || item['total'] === null) {
      const price = item['price'];
      if (!isAmount(price)) return left(badRequest(`${path}[${i}] needs total or price`));
      const quantity = item['quantity'];
      item['total'] = { includingVat: round2(price.includingVat * quantity), excludingVat: round2(price.excludingVat * quantity) };
    }
    if (!isAmount(item['total'])) return left(badRequest(`${path}[${i}].total must be {includingVat, excludingVat}`));
    if (typeof item['id'] !== 'string' || item['id'] === '') item['id'] = ncoIds.cartItem();
    out.push(item);
  }
  return right(out);
}

function normaliseCart(body: unknown, path = 'cart'): NcoResult<SimOrder['cart']> {
  if (!isRecord(body)) return left(badRequest(`${path} is required and must be an object`));
  const items = normaliseItems(body['items'], `${path}.items`);
  if (isLeft(items)) return items;
  const cart: SimOrder['cart'] = { ...body, items: items.right };
  if (body['total'] === undefined || body['total'] === null) cart.total = addAmounts(items.right.map((i) => i['total'] as SimAmount));
  else if (!isAmount(body['total'])) return left(badRequest(`${path}.total must be {includingVat, excludingVat}`));
  return right(cart);
}

function validateShipping(body: unknown, path = 'shipping'): NcoResult<JsonObject> {
  if (!isRecord(body)) return left(badRequest(`${path} must be an object`));
  if (!isAmount(body['total'])) return left(badRequest(`${path}.total is required: {includingVat, excludingVat}`));
  if (!isNumber(body['vatRate']) || body['vatRate'] < 0 || body['vatRate'] >= 1) {
    return left(badRequest(`${path}.vatRate is required: a fraction (0.25 = 25 %)`));
  }
  const state = body['state'] ?? 'intent';
  if (!oneOf(SHIPPING_STATES, state)) return left(badRequest(`${path}.state must be one of ${SHIPPING_STATES.join(', ')}`));
  return right({ ...body, state: state.toLowerCase() });
}

function validatePayment(body: unknown, path = 'payment'): NcoResult<JsonObject> {
  if (!isRecord(body)) return left(badRequest(`${path} must be an object`));
  if (!isNumber(body['amount'])) return left(badRequest(`${path}.amount is required: a number`));
  const state = body['state'] ?? 'intent';
  if (!oneOf(PAYMENT_STATES, state)) return left(badRequest(`${path}.state must be one of ${PAYMENT_STATES.join(', ')}`));
  const type = body['type'] ?? 'default';
  if (!oneOf(PAYMENT_TYPES, type)) return left(badRequest(`${path}.type must be one of ${PAYMENT_TYPES.join(', ')}`));
  if (body['attributes'] !== undefined && body['attributes'] !== null && !isRecord(body['attributes'])) {
    return left(badRequest(`${path}.attributes must be an object`));
  }
  return right({ ...body, state: state.toLowerCase(), type: type.toLowerCase() });
}

function validateActions(body: unknown): NcoResult<JsonObject[]> {
  if (!Array.isArray(body)) return left(badRequest('body must be an array of payment actions'));
  for (const [i, a] of body.entries()) {
    if (!isRecord(a) || typeof a['adapterId'] !== 'string' || typeof a['type'] !== 'string' || typeof a['url'] !== 'string') {
      return left(badRequest(`actions[${i}] needs adapterId, type and url`));
    }
  }
  return right(body as JsonObject[]);
}

const isValidJsonString = (u: unknown): boolean => {
  if (typeof u !== 'string') return false;
  try {
    JSON.parse(u);
    return true;
  } catch {
    return false;
  }
};

function validateTransaction(body: unknown): NcoResult<JsonObject> {
  if (!isRecord(body)) return left(badRequest('transaction must be an object'));
  if (!(TRANSACTION_EVENTS as readonly unknown[]).includes(body['event'])) {
    return left(badRequest(`transaction.event must be one of ${TRANSACTION_EVENTS.join(', ')}`));
  }
  if (!isNumber(body['amount'])) return left(badRequest('transaction.amount is required: a number'));
  if (typeof body['isSuccess'] !== 'boolean') return left(badRequest('transaction.isSuccess is required: a boolean'));
  for (const field of ['requestJson', 'responseJson'] as const) {
    const value = body[field];
    if (value !== undefined && value !== null && !isValidJsonString(value)) {
      return left(badRequest(`transaction.${field} must be a valid JSON string`));
    }
  }
  return right(body);
}

function validateHook(body: unknown): NcoResult<JsonObject> {
  if (!isRecord(body)) return left(badRequest('hook must be an object'));
  if (typeof body['invoke'] !== 'string' || body['invoke'] === '') return left(badRequest('hook.invoke is required: a URL'));
  if (body['version'] !== undefined && body['version'] !== 'v0' && body['version'] !== 'v1') {
    return left(badRequest('hook.version must be v0 or v1'));
  }
  return right(body);
}

// ---------------------------------------------------------------------------------------------

export interface NcoStoreOptions {
  readonly now?: () => Date;
  readonly configurations?: Configurations;
  readonly beforeCommit?: BeforeCommit;
  /** Call the orders' hooks on changes (startNcoSimulator sets this; without it no hook is called). */
  readonly hooks?: OrderHookSettings;
}

export class NcoStore {
  /** Every write request (POST/PUT/PATCH/DELETE) to the Order API, with its `x-adapterid`. */
  readonly writes: WriteRecord[] = [];
  /** Every request the simulator answered. */
  readonly requests: RequestRecord[] = [];
  /** Set to intercept changes before they are stored (after the hooks; see BeforeCommit). */
  beforeCommit: BeforeCommit | undefined;
  /** How hooks are called; undefined = no hook calls (the in-process fakes). */
  hooks: OrderHookSettings | undefined;
  /** Every hook call, in order (tests assert on them). */
  readonly hookCalls: HookCall[] = [];

  private readonly orders = new Map<string, StoredOrder>();
  private readonly configurations = new Map<string, Map<string, Map<string, unknown>>>();
  private readonly queues = new Map<string, Promise<unknown>>();
  /** Ids of hooks added through POST …/hooks (see OrderHookSettings.which). */
  private readonly registeredHooks = new Set<string>();
  private readonly now: () => Date;

  constructor(options: NcoStoreOptions = {}) {
    this.now = options.now ?? (() => new Date());
    this.beforeCommit = options.beforeCommit;
    this.hooks = options.hooks;
    for (const [merchant, channels] of Object.entries(options.configurations ?? {})) {
      for (const [channel, documents] of Object.entries(channels)) {
        for (const [name, document] of Object.entries(documents)) this.putConfiguration(merchant, channel, name, document);
      }
    }
  }

  private timestamp(): string {
    return this.now().toISOString();
  }

  // -------------------------------------------------------------------------------------------
  // Controls (tests, sandbox): no scope checks

  /** Stores an order as given (e.g. a fixture), filling only what NCO always has. Returns its id. */
  insertOrder(order: JsonObject, scope?: NcoScope): string {
    const o = clone(order) as JsonObject;
    const id = typeof o['id'] === 'string' && o['id'] !== '' ? o['id'] : ncoIds.order();
    const state = isRecord(o['state']) ? o['state'] : {};
    const stored = {
      ...o,
      id,
      ...(scope ? { merchant: scope.merchant, channel: scope.channel } : {}),
      state: {
        ...state,
        currentStatus: typeof state['currentStatus'] === 'string' ? state['currentStatus'] : 'checkout',
        transitions: Array.isArray(state['transitions']) ? state['transitions'] : [],
      },
      cart: isRecord(o['cart']) ? o['cart'] : { items: [] },
      shippings: Array.isArray(o['shippings']) ? o['shippings'] : [],
      payments: Array.isArray(o['payments']) ? o['payments'] : [],
      customer: isRecord(o['customer']) ? o['customer'] : {},
      hooks: Array.isArray(o['hooks']) ? o['hooks'] : [],
    } as SimOrder;
    if (!isAmount(stored.total)) stored.total = this.orderTotal(stored);
    this.orders.set(id, { order: stored, transactions: new Map() });
    return id;
  }

  /** The order as stored, whoever it belongs to. */
  order(orderId: string): SimOrder | undefined {
    const stored = this.orders.get(orderId);
    return stored ? clone(stored.order) : undefined;
  }

  orderIds(): string[] {
    return [...this.orders.keys()];
  }

  transactionsOf(orderId: string, paymentId: string): JsonObject[] {
    return clone(this.orders.get(orderId)?.transactions.get(paymentId) ?? []);
  }

  /** Forgets orders, configurations and the request logs. */
  reset(): void {
    this.orders.clear();
    this.configurations.clear();
    this.writes.length = 0;
    this.requests.length = 0;
    this.hookCalls.length = 0;
    this.registeredHooks.clear();
  }

  // -------------------------------------------------------------------------------------------
  // Order API v0

  async createOrder(scope: NcoScope, body: unknown, adapterId?: string): Promise<NcoResult<{ id: string }>> {
    void adapterId; // creation calls no hooks: none are registered yet
    if (!isRecord(body)) return left(badRequest('order must be an object'));
    const cart = normaliseCart(body['cart']);
    if (isLeft(cart)) return cart;
    const id = typeof body['id'] === 'string' && body['id'] !== '' ? body['id'] : ncoIds.order();
    if (this.orders.has(id)) return left({ status: 409, code: 'order-conflict', message: `Order with id:${id} already exists.` });
    const created = this.timestamp();
    const owned = { merchant: scope.merchant, channel: scope.channel, orderId: id };

    const shippings: JsonObject[] = [];
    for (const [i, raw] of (Array.isArray(body['shippings']) ? body['shippings'] : []).entries()) {
      const s = validateShipping(raw, `shippings[${i}]`);
      if (isLeft(s)) return s;
      shippings.push({ ...s.right, id: typeof s.right['id'] === 'string' ? s.right['id'] : ncoIds.shipping(), ...owned });
    }
    const payments: JsonObject[] = [];
    for (const [i, raw] of (Array.isArray(body['payments']) ? body['payments'] : []).entries()) {
      const p = validatePayment(raw, `payments[${i}]`);
      if (isLeft(p)) return p;
      payments.push({ ...p.right, id: typeof p.right['id'] === 'string' ? p.right['id'] : ncoIds.payment(), ...owned });
    }
    const hooks: JsonObject[] = [];
    for (const raw of Array.isArray(body['hooks']) ? body['hooks'] : []) {
      const h = validateHook(raw);
      if (isLeft(h)) return h;
      hooks.push({ ...h.right, id: typeof h.right['id'] === 'string' ? h.right['id'] : ncoIds.hook() });
    }

    const order: SimOrder = {
      ...body,
      id,
      merchant: scope.merchant,
      channel: scope.channel,
      created,
      lastModified: created,
      // Defaults of the tutorial channel (fixture order 1) when the request leaves them out.
      culture: typeof body['culture'] === 'string' ? body['culture'] : 'sv-SE',
      currency: typeof body['currency'] === 'string' ? body['currency'] : 'SEK',
      country: typeof body['country'] === 'string' ? body['country'] : 'SE',
      state: { currentStatus: 'checkout', transitions: [{ status: 'checkout', timeStamp: created }] },
      cart: cart.right,
      shippings,
      payments,
      customer: isRecord(body['customer']) ? body['customer'] : {},
      consents: Array.isArray(body['consents']) ? body['consents'] : [],
      validations: Array.isArray(body['validations']) ? body['validations'] : [],
      hooks,
      notifications: Array.isArray(body['notifications']) ? body['notifications'] : [],
      total: { includingVat: 0, excludingVat: 0 },
    };
    order.total = isAmount(body['total']) ? body['total'] : this.orderTotal(order);
    this.orders.set(id, { order, transactions: new Map() });
    return right({ id });
  }

  getOrder(scope: NcoScope, orderId: string): NcoResult<SimOrder> {
    const found = this.find(scope, orderId);
    return isLeft(found) ? found : right(clone(found.right.order));
  }

  listPayments(scope: NcoScope, orderId: string): NcoResult<JsonObject[]> {
    const found = this.find(scope, orderId);
    return isLeft(found) ? found : right(clone(found.right.order.payments));
  }

  getPayment(scope: NcoScope, orderId: string, paymentId: string): NcoResult<JsonObject> {
    const found = this.find(scope, orderId);
    if (isLeft(found)) return found;
    const payment = found.right.order.payments.find((p) => p['id'] === paymentId);
    return payment ? right(clone(payment)) : left(paymentNotFound(paymentId));
  }

  createPayment(scope: NcoScope, orderId: string, body: unknown, adapterId?: string): Promise<NcoResult<{ id: string }>> {
    return this.commit(scope, orderId, '/payments', adapterId, ({ order }) => {
      const valid = validatePayment(body);
      if (isLeft(valid)) return valid;
      const id = ncoIds.payment();
      order.payments.push({ ...valid.right, id, merchant: order.merchant, channel: order.channel, orderId: order.id });
      return right({ id });
    });
  }

  /** PUT …/payments/{id}: the whole payment replaces the stored one (its transactions stay). */
  updatePayment(scope: NcoScope, orderId: string, paymentId: string, body: unknown, adapterId?: string): Promise<NcoResult<JsonObject>> {
    return this.commit(scope, orderId, '/payments', adapterId, ({ order }) => {
      const index = order.payments.findIndex((p) => p['id'] === paymentId);
      if (index < 0) return left(paymentNotFound(paymentId));
      const valid = validatePayment(body);
      if (isLeft(valid)) return valid;
      if (valid.right['id'] !== undefined && valid.right['id'] !== paymentId) return left(badRequest('payment.id does not match the path'));
      const updated = { ...valid.right, id: paymentId, merchant: order.merchant, channel: order.channel, orderId: order.id };
      order.payments[index] = updated;
      return right(clone(updated));
    });
  }

  listTransactions(scope: NcoScope, orderId: string, paymentId: string): NcoResult<JsonObject[]> {
    const found = this.find(scope, orderId);
    if (isLeft(found)) return found;
    if (!found.right.order.payments.some((p) => p['id'] === paymentId)) return left(paymentNotFound(paymentId));
    return right(clone(found.right.transactions.get(paymentId) ?? []));
  }

  addTransaction(scope: NcoScope, orderId: string, paymentId: string, body: unknown, adapterId?: string): Promise<NcoResult<JsonObject>> {
    return this.commit(scope, orderId, '/payments', adapterId, ({ order, transactions }) => {
      if (!order.payments.some((p) => p['id'] === paymentId)) return left(paymentNotFound(paymentId));
      const valid = validateTransaction(body);
      if (isLeft(valid)) return valid;
      const transaction = { ...valid.right, created: this.timestamp() };
      transactions.set(paymentId, [...(transactions.get(paymentId) ?? []), transaction]);
      return right(clone(transaction));
    });
  }

  /**
   * POST …/payments/{id}/actions. Appends (Norce's docs do not say whether it appends or replaces); an
   * action equal in adapterId, type and url to one already there is not added twice. Replace the
   * whole list with PUT …/payments/{id}.
   */
  addPaymentActions(scope: NcoScope, orderId: string, paymentId: string, body: unknown, adapterId?: string): Promise<NcoResult<JsonObject[]>> {
    return this.commit(scope, orderId, '/payments', adapterId, ({ order }) => {
      const payment = order.payments.find((p) => p['id'] === paymentId);
      if (!payment) return left(paymentNotFound(paymentId));
      const valid = validateActions(body);
      if (isLeft(valid)) return valid;
      const actions = Array.isArray(payment['actions']) ? (payment['actions'] as JsonObject[]) : [];
      for (const a of valid.right) {
        const same = actions.some((x) => x['adapterId'] === a['adapterId'] && x['type'] === a['type'] && x['url'] === a['url']);
        if (!same) actions.push({ id: ncoIds.paymentAction(), adapterId: a['adapterId'], type: a['type'], url: a['url'] });
      }
      payment['actions'] = actions;
      return right(clone(actions));
    });
  }

  addHook(scope: NcoScope, orderId: string, body: unknown, adapterId?: string): Promise<NcoResult<{ id: string }>> {
    return this.commit(scope, orderId, '/hooks', adapterId, ({ order }) => {
      const valid = validateHook(body);
      if (isLeft(valid)) return valid;
      const id = ncoIds.hook();
      order.hooks.push({ ...valid.right, id });
      this.registeredHooks.add(id);
      return right({ id });
    });
  }

  deleteHook(scope: NcoScope, orderId: string, hookId: string, adapterId?: string): Promise<NcoResult<void>> {
    return this.commit(scope, orderId, '/hooks', adapterId, ({ order }) => {
      const index = order.hooks.findIndex((h) => h['id'] === hookId);
      if (index < 0) return left(hookNotFound(hookId));
      order.hooks.splice(index, 1);
      return right(undefined);
    });
  }

  listShippings(scope: NcoScope, orderId: string): NcoResult<JsonObject[]> {
    const found = this.find(scope, orderId);
    return isLeft(found) ? found : right(clone(found.right.order.shippings));
  }

  getShipping(scope: NcoScope, orderId: string, shippingId: string): NcoResult<JsonObject> {
    const found = this.find(scope, orderId);
    if (isLeft(found)) return found;
    const shipping = found.right.order.shippings.find((s) => s['id'] === shippingId);
    return shipping ? right(clone(shipping)) : left(shippingNotFound(shippingId));
  }

  createShipping(scope: NcoScope, orderId: string, body: unknown, adapterId?: string): Promise<NcoResult<{ id: string }>> {
    return this.commit(scope, orderId, '/shippings', adapterId, ({ order }) => {
      const valid = validateShipping(body);
      if (isLeft(valid)) return valid;
      const id = ncoIds.shipping();
      order.shippings.push({ ...valid.right, id, merchant: order.merchant, channel: order.channel, orderId: order.id });
      return right({ id });
    });
  }

  /** PUT …/shippings/{id}: whole shipping; soft delete is `state: removed`. */
  updateShipping(scope: NcoScope, orderId: string, shippingId: string, body: unknown, adapterId?: string): Promise<NcoResult<JsonObject>> {
    return this.commit(scope, orderId, '/shippings', adapterId, ({ order }) => {
      const index = order.shippings.findIndex((s) => s['id'] === shippingId);
      if (index < 0) return left(shippingNotFound(shippingId));
      const valid = validateShipping(body);
      if (isLeft(valid)) return valid;
      if (valid.right['id'] !== undefined && valid.right['id'] !== shippingId) return left(badRequest('shipping.id does not match the path'));
      const updated = { ...valid.right, id: shippingId, merchant: order.merchant, channel: order.channel, orderId: order.id };
      order.shippings[index] = updated;
      return right(clone(updated));
    });
  }

  putCustomerAddress(
    scope: NcoScope,
    orderId: string,
    which: 'billing' | 'shipping',
    body: unknown,
    adapterId?: string,
  ): Promise<NcoResult<JsonObject>> {
    return this.commit(scope, orderId, '/customer', adapterId, ({ order }) => {
      if (!isRecord(body)) return left(badRequest('address must be an object'));
      order.customer = { ...order.customer, [which]: body };
      return right(clone(body));
    });
  }

  /** PUT …/state: sets currentStatus and records the transition (no transition rules yet). */
  putState(scope: NcoScope, orderId: string, body: unknown, adapterId?: string): Promise<NcoResult<JsonObject>> {
    return this.commit(scope, orderId, '/state', adapterId, ({ order }) => {
      const status = isRecord(body) ? body['currentStatus'] : undefined;
      if (!oneOf(ORDER_STATUSES, status)) return left(badRequest(`currentStatus must be one of ${ORDER_STATUSES.join(', ')}`));
      const next = status.toLowerCase();
      if (order.state.currentStatus !== next) {
        order.state.currentStatus = next;
        order.state.transitions.push({ status: next, timeStamp: this.timestamp() });
      }
      return right(clone(order.state));
    });
  }

  /** PUT …/cart: replaces the cart; the order total follows (cart + non-removed shippings). */
  putCart(scope: NcoScope, orderId: string, body: unknown, adapterId?: string): Promise<NcoResult<JsonObject>> {
    return this.commit(scope, orderId, '/cart', adapterId, ({ order }) => {
      const cart = normaliseCart(body);
      if (isLeft(cart)) return cart;
      order.cart = cart.right;
      return right(clone(cart.right));
    });
  }

  putReference(scope: NcoScope, orderId: string, body: unknown, adapterId?: string): Promise<NcoResult<void>> {
    return this.commit(scope, orderId, '/reference', adapterId, ({ order }) => {
      if (typeof body !== 'string' && body !== null) return left(badRequest('reference must be a JSON string'));
      order['reference'] = body;
      return right(undefined);
    });
  }

  // -------------------------------------------------------------------------------------------
  // Configuration API

  listChannels(merchant: string): string[] {
    return [...(this.configurations.get(merchant)?.keys() ?? [])];
  }

  listConfigurations(merchant: string, channel: string): unknown[] {
    return [...(this.configurations.get(merchant)?.get(channel)?.values() ?? [])].map(clone);
  }

  getConfiguration(merchant: string, channel: string, name: string): unknown | undefined {
    const document = this.configurations.get(merchant)?.get(channel)?.get(name);
    return document === undefined ? undefined : clone(document);
  }

  putConfiguration(merchant: string, channel: string, name: string, document: unknown): void {
    let channels = this.configurations.get(merchant);
    if (!channels) this.configurations.set(merchant, (channels = new Map()));
    let documents = channels.get(channel);
    if (!documents) channels.set(channel, (documents = new Map()));
    documents.set(name, clone(document));
  }

  /** Deleting the last configuration deletes the channel, as NCO does. */
  deleteConfiguration(merchant: string, channel: string, name: string): boolean {
    const documents = this.configurations.get(merchant)?.get(channel);
    const deleted = documents?.delete(name) ?? false;
    if (documents && documents.size === 0) this.configurations.get(merchant)?.delete(channel);
    return deleted;
  }

  // -------------------------------------------------------------------------------------------

  /** An order of another merchant or channel is not found, exactly like a missing one. */
  private find(scope: NcoScope, orderId: string): NcoResult<StoredOrder> {
    const stored = this.orders.get(orderId);
    if (!stored) return left(orderNotFound(orderId));
    const { merchant, channel } = stored.order;
    // Orders inserted without merchant/channel (test seeds) are visible to every scope.
    if ((merchant !== undefined && merchant !== scope.merchant) || (channel !== undefined && channel !== scope.channel)) {
      return left(orderNotFound(orderId));
    }
    return right(stored);
  }

  private orderTotal(order: SimOrder): SimAmount {
    const cartTotal = isAmount(order.cart.total)
      ? order.cart.total
      : addAmounts((order.cart.items ?? []).map((i) => i['total']).filter(isAmount));
    const shippingTotals = order.shippings.filter((s) => s['state'] !== 'removed').map((s) => s['total']).filter(isAmount);
    return addAmounts([cartTotal, ...shippingTotals]);
  }

  /**
   * The one write path: on a copy of the order, apply the change, recompute totals, call the hooks
   * subscribed to `subject` (they may patch or deny), let `beforeCommit` approve it, then store it.
   * Writes to one order run one at a time, so a slow hook holds back later writes to that order as
   * in NCO (a write to the same order from inside a hook waits for that hook, i.e. until it times out).
   */
  private commit<T>(
    scope: NcoScope,
    orderId: string,
    subject: OrderSubject,
    adapterId: string | undefined,
    change: (draft: StoredOrder) => NcoResult<T>,
  ): Promise<NcoResult<T>> {
    return this.serialised(orderId, async () => {
      const found = this.find(scope, orderId);
      if (isLeft(found)) return found;
      const draft: StoredOrder = { order: clone(found.right.order), transactions: clone(found.right.transactions) };
      const result = change(draft);
      if (isLeft(result)) return result;
      if (subject === '/cart' || subject === '/shippings') draft.order.total = this.orderTotal(draft.order);
      draft.order['lastModified'] = this.timestamp();
      let order = draft.order;
      if (this.hooks && (HOOK_SUBJECTS as readonly string[]).includes(subject)) {
        const settings = this.hooks;
        const hooked = await runOrderHooks(
          clone(order),
          { orderId, scope, subject, ...(adapterId !== undefined ? { adapterId } : {}) },
          settings,
          (call) => this.hookCalls.push(call),
          (hook) => settings.which === 'all' || this.registeredHooks.has(hook['id'] as string),
        );
        if (isLeft(hooked)) return hooked;
        order = hooked.right.order;
        if (hooked.right.patchedPaths.some((p) => p.startsWith('/cart') || p.startsWith('/shippings'))) order.total = this.orderTotal(order);
      }
      if (this.beforeCommit) {
        const approved = await this.beforeCommit(clone(order), {
          orderId,
          scope,
          subject,
          ...(adapterId !== undefined ? { adapterId } : {}),
        });
        if (isLeft(approved)) return approved;
        order = approved.right;
      }
      this.orders.set(orderId, { order, transactions: draft.transactions });
      return result;
    });
  }

  private serialised<T>(key: string, run: () => Promise<T>): Promise<T> {
    const previous = this.queues.get(key) ?? Promise.resolve();
    const next = previous.then(run, run);
    const tail = next.catch(() => undefined);
    this.queues.set(key, tail);
    void tail.then(() => {
      if (this.queues.get(key) === tail) this.queues.delete(key);
    });
    return next;
  }
}
