// Qliro's Admin API ledger rules (reference §5): which MarkItemsAsShipped / ReturnItems / cancelOrder requests are
// accepted, which transactions they start, and what a transaction's outcome does to the order's item actions.
// No I/O and no clock: used by the simulator (order-management.ts) and by the in-memory fake Admin gateway of the tests.
import type { OrderManagementStatusPush } from './push-delivery';
import { canonicalKeys, hasAtMostTwoDecimals, toMinorUnits, type SimulatedOrderItem } from './rules';
import type { SimulatedTransaction } from './store';

// ---------------------------------------------------------------------------------------------
// Vocabulary

export type ItemActionType = 'Reserve' | 'Ship' | 'Release' | 'Return';
export type AdminTransactionType = 'Capture' | 'Refund' | 'Reversal';

/** An `OrderItemActions[]` entry of the Admin GetOrder (fixture admin-api/get-order.response.with-transactions…). */
export interface SimulatedItemAction {
  readonly MerchantReference: string;
  readonly Description: string | null;
  readonly Id: number;
  readonly Quantity: number;
  readonly PricePerItemIncVat: number;
  readonly PricePerItemExVat: number;
  readonly VatRate: number | null;
  readonly ActionType: ItemActionType;
  readonly PaymentTransactionId: number;
  readonly Type: string;
  readonly MetaData: Record<string, unknown> | null;
}

export type PlannedItemAction = Omit<SimulatedItemAction, 'Id' | 'PaymentTransactionId'>;

/** A transaction an accepted write starts: what it relates to, its amount, and the item actions it applies on Success. */
export interface PlannedTransaction {
  readonly Type: AdminTransactionType;
  readonly OriginalPaymentTransactionId: number;
  readonly Amount: number;
  readonly actions: readonly PlannedItemAction[];
  /** Started by the merchant's cancelOrder: on Success the order counts as cancelled. */
  readonly cancel: boolean;
}

/** What the rules know about one order. Changed only through the functions of this module. */
export interface LedgerState {
  readonly orderId: number;
  readonly merchantReference: string;
  readonly currency: string;
  /** The order's payment transactions, Admin shape, the checkout's Preauthorization first. */
  readonly transactions: SimulatedTransaction[];
  readonly itemActions: SimulatedItemAction[];
  /** Transactions started and waiting for their outcome, with what they apply on Success. */
  readonly pending: Map<number, PlannedTransaction>;
  /** Preauthorization/Debit ids whose Reserve actions are recorded. */
  readonly reserved: Set<number>;
  /** A cancelOrder of the merchant succeeded. */
  cancelled: boolean;
}

export interface LedgerViolation {
  readonly status: 400 | 404;
  readonly ErrorCode: string;
  readonly ErrorMessage: string;
}

export type LedgerResult<A> = { readonly ok: true; readonly value: A } | { readonly ok: false; readonly violation: LedgerViolation };

export function newLedgerState(order: { orderId: number; merchantReference: string; currency: string }, transactions: SimulatedTransaction[] = []): LedgerState {
  return { ...order, transactions, itemActions: [], pending: new Map(), reserved: new Set(), cancelled: false };
}

const ok = <A>(value: A): LedgerResult<A> => ({ ok: true, value });
const fail = <A>(ErrorCode: string, ErrorMessage: string, status: 400 | 404 = 400): LedgerResult<A> => ({ ok: false, violation: { status, ErrorCode, ErrorMessage } });
const invalidInput = <A>(property: string, message: string): LedgerResult<A> => fail('INVALID_INPUT', `Property: ${property}, Message: ${message}`);
const required = <A>(property: string): LedgerResult<A> => invalidInput(property, `The ${property.replace(/^.*[.\]]/, '')} field is required.`);

// ---------------------------------------------------------------------------------------------
// Requests: property names case-insensitive (.NET binding), then typed.

const ADMIN_KEYS = ['RequestId', 'OrderId', 'Shipments', 'Returns', 'PaymentTransactionId', 'Fees', 'Discounts', 'OrderItems', 'MerchantApiKey', 'Currency'];
const ADMIN_CANONICAL = new Map(ADMIN_KEYS.map((k) => [k.toLowerCase(), k]));

/** canonicalKeys of the Merchant API rules, plus the Admin API's own property names. */
export function adminCanonicalKeys(value: unknown): unknown {
  const renamed = (u: unknown): unknown => {
    if (Array.isArray(u)) return u.map(renamed);
    if (u === null || typeof u !== 'object') return u;
    const out: Record<string, unknown> = {};
    for (const [key, inner] of Object.entries(u as Record<string, unknown>)) {
      const name = ADMIN_CANONICAL.get(key.toLowerCase()) ?? key;
      if (name in out && key !== name) continue;
      out[name] = key === 'Metadata' || key === 'MerchantData' ? inner : renamed(inner);
    }
    return out;
  };
  return renamed(canonicalKeys(value));
}

export const GUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface AdminItemRequest {
  readonly MerchantReference: string;
  readonly Type?: string;
  readonly Quantity: number;
  readonly PricePerItemIncVat: number;
}

export interface AdminFeeRequest {
  readonly MerchantReference: string;
  readonly Quantity: number;
  readonly PricePerItemIncVat: number;
}

interface AdminRequestBase {
  readonly merchantApiKey: string;
  /** Lower-cased. */
  readonly requestId: string;
  readonly orderId: number;
}

export interface CheckedMarkItemsAsShipped extends AdminRequestBase {
  readonly currency: string;
  readonly shipments: readonly { readonly paymentTransactionId: number | null; readonly items: readonly AdminItemRequest[] }[];
}

export interface CheckedReturnItems extends AdminRequestBase {
  readonly currency: string;
  readonly returns: readonly {
    readonly paymentTransactionId: number;
    readonly items: readonly AdminItemRequest[];
    readonly fees: readonly AdminFeeRequest[];
    readonly discounts: readonly AdminFeeRequest[];
  }[];
}

export type CheckedCancelOrder = AdminRequestBase;

const isRecord = (u: unknown): u is Record<string, unknown> => typeof u === 'object' && u !== null && !Array.isArray(u);
const isMissing = (u: unknown): boolean => u === undefined || u === null || (typeof u === 'string' && u.trim() === '');
const toNumber = (u: unknown): number | undefined => {
  if (typeof u === 'number' && Number.isFinite(u)) return u;
  if (typeof u === 'string' && u.trim() !== '' && Number.isFinite(Number(u))) return Number(u);
  return undefined;
};
const toId = (u: unknown): number | undefined => {
  const n = toNumber(u);
  return n !== undefined && Number.isSafeInteger(n) && n > 0 ? n : undefined;
};

function checkBase(raw: unknown): LedgerResult<{ body: Record<string, unknown>; base: AdminRequestBase }> {
  const body = adminCanonicalKeys(raw);
  if (!isRecord(body)) return invalidInput('request', 'The request field is required.');
  const apiKey = body['MerchantApiKey'];
  if (isMissing(apiKey) || typeof apiKey !== 'string') return required('MerchantApiKey');
  const requestId = body['RequestId'];
  if (isMissing(requestId)) return required('RequestId');
  if (typeof requestId !== 'string' || !GUID_PATTERN.test(requestId.trim())) {
    return invalidInput('RequestId', `The value '${String(requestId)}' is not valid for RequestId.`);
  }
  if (isMissing(body['OrderId'])) return required('OrderId');
  const orderId = toId(body['OrderId']);
  if (orderId === undefined) return invalidInput('OrderId', `The value '${String(body['OrderId'])}' is not valid for OrderId.`);
  return ok({ body, base: { merchantApiKey: apiKey, requestId: requestId.trim().toLowerCase(), orderId } });
}

function checkCurrency(body: Record<string, unknown>): LedgerResult<string> {
  const currency = body['Currency'];
  if (isMissing(currency)) return required('Currency');
  if (typeof currency !== 'string') return invalidInput('Currency', 'The field Currency must be a string.');
  return ok(currency.toUpperCase());
}

function checkAmount(at: string, raw: unknown): LedgerResult<number> {
  if (isMissing(raw)) return required(at);
  const n = toNumber(raw);
  if (n === undefined) return invalidInput(at, `The field ${at.replace(/^.*[.\]]/, '')} must be a number.`);
  if (!hasAtMostTwoDecimals(n)) return fail('SYSTEM_ERROR', 'Input must have no more than two decimal places');
  return ok(n);
}

function checkQuantity(at: string, raw: unknown, fallback?: number): LedgerResult<number> {
  if (isMissing(raw)) return fallback === undefined ? required(at) : ok(fallback);
  const n = toNumber(raw);
  if (n === undefined || !Number.isInteger(n)) return invalidInput(at, 'The field Quantity must be an integer.');
  if (n < 1 || n > 2147483647) return invalidInput(at, 'The field Quantity must be between 1 and 2147483647.');
  return ok(n);
}

function checkItems(at: string, raw: unknown): LedgerResult<AdminItemRequest[]> {
  if (raw === undefined || raw === null) return required(at);
  if (!Array.isArray(raw) || raw.length === 0) return invalidInput(at, `The field ${at.replace(/^.*[.\]]/, '')} must be a non-empty list.`);
  const items: AdminItemRequest[] = [];
  for (const [i, entry] of raw.entries()) {
    const here = `${at}[${i}]`;
    if (!isRecord(entry)) return invalidInput(here, 'The order item is invalid.');
    const reference = entry['MerchantReference'];
    if (isMissing(reference) || typeof reference !== 'string') return required(`${here}.MerchantReference`);
    const quantity = checkQuantity(`${here}.Quantity`, entry['Quantity']);
    if (!quantity.ok) return quantity;
    const price = checkAmount(`${here}.PricePerItemIncVat`, entry['PricePerItemIncVat']);
    if (!price.ok) return price;
    const type = entry['Type'];
    items.push({
      MerchantReference: reference,
      ...(typeof type === 'string' && type !== '' ? { Type: type } : {}),
      Quantity: quantity.value,
      PricePerItemIncVat: price.value,
    });
  }
  return ok(items);
}

function checkFees(at: string, raw: unknown, sign: 'positive' | 'negative'): LedgerResult<AdminFeeRequest[]> {
  if (raw === undefined || raw === null) return ok([]);
  if (!Array.isArray(raw)) return invalidInput(at, `The field ${at.replace(/^.*[.\]]/, '')} must be a list.`);
  const out: AdminFeeRequest[] = [];
  for (const [i, entry] of raw.entries()) {
    const here = `${at}[${i}]`;
    if (!isRecord(entry)) return invalidInput(here, 'The item is invalid.');
    const reference = entry['MerchantReference'];
    if (isMissing(reference) || typeof reference !== 'string') return required(`${here}.MerchantReference`);
    const price = checkAmount(`${here}.PricePerItemIncVat`, entry['PricePerItemIncVat']);
    if (!price.ok) return price;
    if (sign === 'negative' ? price.value >= 0 : price.value <= 0) {
      return invalidInput(`${here}.PricePerItemIncVat`, sign === 'negative' ? 'Discounts must have a price less than 0.' : 'Fees must have a price greater than 0.');
    }
    const quantity = checkQuantity(`${here}.Quantity`, entry['Quantity'], 1);
    if (!quantity.ok) return quantity;
    out.push({ MerchantReference: reference, Quantity: quantity.value, PricePerItemIncVat: price.value });
  }
  return ok(out);
}

/** MarkItemsAsShipped's body: `{MerchantApiKey, RequestId, OrderId, Currency, Shipments: [{PaymentTransactionId?, OrderItems}]}`. */
export function checkMarkItemsAsShipped(raw: unknown): LedgerResult<CheckedMarkItemsAsShipped> {
  const checked = checkBase(raw);
  if (!checked.ok) return checked;
  const { body, base } = checked.value;
  const currency = checkCurrency(body);
  if (!currency.ok) return currency;
  const shipments = body['Shipments'];
  if (shipments === undefined || shipments === null) return required('Shipments');
  if (!Array.isArray(shipments) || shipments.length === 0) return invalidInput('Shipments', 'The field Shipments must be a non-empty list.');
  const out: { paymentTransactionId: number | null; items: AdminItemRequest[] }[] = [];
  for (const [i, shipment] of shipments.entries()) {
    if (!isRecord(shipment)) return invalidInput(`Shipments[${i}]`, 'The shipment is invalid.');
    const rawId = shipment['PaymentTransactionId'];
    const id = isMissing(rawId) ? null : toId(rawId);
    if (id === undefined) return invalidInput(`Shipments[${i}].PaymentTransactionId`, `The value '${String(rawId)}' is not valid for PaymentTransactionId.`);
    const items = checkItems(`Shipments[${i}].OrderItems`, shipment['OrderItems']);
    if (!items.ok) return items;
    out.push({ paymentTransactionId: id, items: items.value });
  }
  return ok({ ...base, currency: currency.value, shipments: out });
}

/** ReturnItems' body: `{MerchantApiKey, RequestId, OrderId, Currency, Returns: [{PaymentTransactionId, OrderItems, Fees?, Discounts?}]}`. */
export function checkReturnItems(raw: unknown): LedgerResult<CheckedReturnItems> {
  const checked = checkBase(raw);
  if (!checked.ok) return checked;
  const { body, base } = checked.value;
  const currency = checkCurrency(body);
  if (!currency.ok) return currency;
  const returns = body['Returns'];
  if (returns === undefined || returns === null) return required('Returns');
  if (!Array.isArray(returns) || returns.length === 0) return invalidInput('Returns', 'The field Returns must be a non-empty list.');
  const out: CheckedReturnItems['returns'][number][] = [];
  for (const [i, entry] of returns.entries()) {
    if (!isRecord(entry)) return invalidInput(`Returns[${i}]`, 'The return is invalid.');
    const rawId = entry['PaymentTransactionId'];
    if (isMissing(rawId)) return required(`Returns[${i}].PaymentTransactionId`);
    const id = toId(rawId);
    if (id === undefined) return invalidInput(`Returns[${i}].PaymentTransactionId`, `The value '${String(rawId)}' is not valid for PaymentTransactionId.`);
    const items = checkItems(`Returns[${i}].OrderItems`, entry['OrderItems']);
    if (!items.ok) return items;
    const fees = checkFees(`Returns[${i}].Fees`, entry['Fees'], 'positive');
    if (!fees.ok) return fees;
    const discounts = checkFees(`Returns[${i}].Discounts`, entry['Discounts'], 'negative');
    if (!discounts.ok) return discounts;
    out.push({ paymentTransactionId: id, items: items.value, fees: fees.value, discounts: discounts.value });
  }
  return ok({ ...base, currency: currency.value, returns: out });
}

/** cancelOrder's body: `{MerchantApiKey, RequestId, OrderId}`. */
export function checkCancelOrder(raw: unknown): LedgerResult<CheckedCancelOrder> {
  const checked = checkBase(raw);
  return checked.ok ? ok(checked.value.base) : checked;
}

// ---------------------------------------------------------------------------------------------
// Reading the ledger

const isPayment = (t: SimulatedTransaction): boolean => t.Type === 'Preauthorization' || t.Type === 'Debit';
const IN_FLIGHT_STATUSES = new Set(['Created', 'InProcess']);
const price2 = (n: number): string => n.toFixed(2);
const fromMinor = (minor: number): number => minor / 100;

interface Group {
  readonly sample: PlannedItemAction;
  quantity: number;
}

const keyOf = (i: { MerchantReference: string; PricePerItemIncVat: number }): string => `${i.MerchantReference}\u001f${toMinorUnits(i.PricePerItemIncVat)}`;

function groups(actions: Iterable<PlannedItemAction>): Map<string, Group> {
  const out = new Map<string, Group>();
  for (const a of actions) {
    const key = keyOf(a);
    const group = out.get(key);
    if (group) group.quantity += a.Quantity;
    else out.set(key, { sample: { ...a }, quantity: a.Quantity });
  }
  return out;
}

const quantityIn = (g: Map<string, Group>, key: string): number => g.get(key)?.quantity ?? 0;

/** Successful transactions of a type made against `originalId`. */
const childrenOf = (ledger: LedgerState, originalId: number, type: AdminTransactionType): Set<number> =>
  new Set(ledger.transactions.filter((t) => t.OriginalPaymentTransactionId === originalId && t.Type === type && t.Status === 'Success').map((t) => t.PaymentTransactionId));

const actionsOf = (ledger: LedgerState, actionType: ItemActionType, txIds: ReadonlySet<number>): SimulatedItemAction[] =>
  ledger.itemActions.filter((a) => a.ActionType === actionType && txIds.has(a.PaymentTransactionId));

const pendingActionsOf = (ledger: LedgerState, originalId: number, types: readonly AdminTransactionType[]): PlannedItemAction[] =>
  [...ledger.pending.values()].filter((p) => p.OriginalPaymentTransactionId === originalId && types.includes(p.Type)).flatMap((p) => p.actions);

/** Per item of a Preauthorization/Debit: reserved, and what is left after what was shipped, released or is in flight. */
export function remainingInReservation(ledger: LedgerState, paymentId: number): Map<string, Group> {
  const reserved = groups(actionsOf(ledger, 'Reserve', new Set([paymentId])));
  const shipped = groups(actionsOf(ledger, 'Ship', childrenOf(ledger, paymentId, 'Capture')));
  const released = groups(actionsOf(ledger, 'Release', childrenOf(ledger, paymentId, 'Reversal')));
  const inFlight = groups(pendingActionsOf(ledger, paymentId, ['Capture', 'Reversal']));
  const out = new Map<string, Group>();
  for (const [key, g] of reserved) {
    out.set(key, { sample: g.sample, quantity: g.quantity - quantityIn(shipped, key) - quantityIn(released, key) - quantityIn(inFlight, key) });
  }
  return out;
}

/** Per item of a Capture: shipped by it, and what is left after what was returned or is being returned. */
export function remainingInShipment(ledger: LedgerState, captureId: number): Map<string, Group> {
  const shipped = groups(actionsOf(ledger, 'Ship', new Set([captureId])));
  const returned = groups(actionsOf(ledger, 'Return', childrenOf(ledger, captureId, 'Refund')));
  const inFlight = groups(pendingActionsOf(ledger, captureId, ['Refund']));
  const out = new Map<string, Group>();
  for (const [key, g] of shipped) out.set(key, { sample: g.sample, quantity: g.quantity - quantityIn(returned, key) - quantityIn(inFlight, key) });
  return out;
}

const total = (groupsLeft: Map<string, Group>): number => [...groupsLeft.values()].reduce((n, g) => n + Math.max(0, g.quantity), 0);

/** Another Admin transaction of the order still waiting for its outcome. */
export const transactionInProcess = (ledger: LedgerState): boolean =>
  ledger.pending.size > 0 || ledger.transactions.some((t) => !isPayment(t) && IN_FLIGHT_STATUSES.has(t.Status));

const inProcess = <A>(): LedgerResult<A> =>
  fail('OPERATION_NOT_SUPPORTED', 'Evaluation, Operation is not supported for this order Another transaction is already in process. Please retry shortly');
const hasBeenCancelled = <A>(ledger: LedgerState): LedgerResult<A> => fail('ORDER_HAS_BEEN_CANCELLED', `Evaluation, Order ${ledger.orderId} has been cancelled`);
const onHold = <A>(ledger: LedgerState): LedgerResult<A> =>
  fail('PAYMENT_ONHOLD', `Evaluation, The payment of the order ${ledger.orderId} is on hold. Please retry later`);
const currencyMismatch = <A>(ledger: LedgerState, currency: string): LedgerResult<A> =>
  fail('CURRENCY_MISMATCH', `Evaluation, Currency '${currency}' does not match the currency '${ledger.currency}' of the order ${ledger.orderId}`);
const notPositive = <A>(minor: number): LedgerResult<A> =>
  fail(
    'INVALID_REQUEST_TOTAL_AMOUNT',
    `Item prices in the request should add up to a positive total amount in order to proceed. Actual Request Total '${fromMinor(minor)}'`,
  );

/** The Preauthorization/Debit a shipment is taken from: the one named (a successful one), or the order's latest successful one. */
function paymentOf(ledger: LedgerState, id: number | null): LedgerResult<SimulatedTransaction> {
  const payments = ledger.transactions.filter(isPayment);
  if (id === null) {
    const success = [...payments].reverse().find((t) => t.Status === 'Success');
    if (success) return ok(success);
    if (payments.some((t) => t.Status === 'OnHold')) return onHold(ledger);
    if (payments.length === 0) return fail('NO_PAYMENT_TRANSACTION', `Evaluation, Order ${ledger.orderId} has no payment transaction`);
    return fail('PAYMENT_REFERENCE_IS_INCORRECT', `Payment references ${payments[payments.length - 1]!.PaymentTransactionId} does not connect to a success PreAuthrization or Debit`);
  }
  const named = ledger.transactions.find((t) => t.PaymentTransactionId === id);
  if (named && isPayment(named) && named.Status === 'OnHold') return onHold(ledger);
  // Qliro's own spelling ("PreAuthrization"), fixture errors/payment-reference-is-incorrect.json.
  if (!named || !isPayment(named) || named.Status !== 'Success') {
    return fail('PAYMENT_REFERENCE_IS_INCORRECT', `Payment references ${id} does not connect to a success PreAuthrization or Debit`);
  }
  return ok(named);
}

// ---------------------------------------------------------------------------------------------
// Plans: what an accepted write starts (nothing changes until the transaction's outcome)

/**
 * MarkItemsAsShipped: one Capture per shipment, against a successful Preauthorization/Debit; every item must match a
 * reserved one by MerchantReference + PricePerItemIncVat, in a quantity still reserved (not shipped, released or in
 * flight); its Ship actions are applied on Success.
 */
export function planMarkItemsAsShipped(ledger: LedgerState, request: CheckedMarkItemsAsShipped): LedgerResult<PlannedTransaction[]> {
  if (request.currency !== ledger.currency.toUpperCase()) return currencyMismatch(ledger, request.currency);
  if (ledger.cancelled) return hasBeenCancelled(ledger);
  if (transactionInProcess(ledger)) return inProcess();
  const plans: PlannedTransaction[] = [];
  /** What earlier shipments of this request take, per payment. */
  const taken = new Map<number, Map<string, number>>();
  for (const shipment of request.shipments) {
    const payment = paymentOf(ledger, shipment.paymentTransactionId);
    if (!payment.ok) return payment;
    const paymentId = payment.value.PaymentTransactionId;
    const left = remainingInReservation(ledger, paymentId);
    const already = taken.get(paymentId) ?? new Map<string, number>();
    taken.set(paymentId, already);
    if (total(left) - [...already.values()].reduce((a, b) => a + b, 0) <= 0) {
      return fail('NO_ITEMS_LEFT_IN_RESERVATION', `Evaluation, There are no items left in the reservation of the order ${ledger.orderId}`);
    }
    const actions: PlannedItemAction[] = [];
    let amountMinor = 0;
    for (const item of shipment.items) {
      const key = keyOf(item);
      const group = left.get(key);
      if (!group) {
        return fail(
          'INVALID_ITEM',
          `Evaluation, Could not find a matching item in the original order with MerchantReference '${item.MerchantReference}' and PricePerItemIncludingVat ${price2(item.PricePerItemIncVat)} in the order ${ledger.orderId}`,
        );
      }
      const available = group.quantity - (already.get(key) ?? 0);
      if (item.Quantity > available) {
        return fail(
          'EXCEEDING_QUANTITY',
          `Evaluation, The quantity ${item.Quantity} of the item with MerchantReference '${item.MerchantReference}' and PricePerItemIncludingVat ${price2(item.PricePerItemIncVat)} exceeds the quantity left in the reservation (${Math.max(0, available)})`,
        );
      }
      already.set(key, (already.get(key) ?? 0) + item.Quantity);
      actions.push({ ...group.sample, Quantity: item.Quantity, ActionType: 'Ship' });
      amountMinor += toMinorUnits(item.PricePerItemIncVat) * item.Quantity;
    }
    if (amountMinor <= 0) return notPositive(amountMinor);
    plans.push({ Type: 'Capture', OriginalPaymentTransactionId: paymentId, Amount: fromMinor(amountMinor), actions, cancel: false });
  }
  return ok(plans);
}

/**
 * ReturnItems: one Refund per return, against a successful Capture of the order; every item must have been shipped
 * by that capture and not returned yet. The amount is Σ items − Σ Fees + Σ Discounts (Discounts are negative) and must
 * be positive. Return actions are applied on Success.
 */
export function planReturnItems(ledger: LedgerState, request: CheckedReturnItems): LedgerResult<PlannedTransaction[]> {
  if (request.currency !== ledger.currency.toUpperCase()) return currencyMismatch(ledger, request.currency);
  if (transactionInProcess(ledger)) return inProcess();
  const plans: PlannedTransaction[] = [];
  const taken = new Map<number, Map<string, number>>();
  for (const entry of request.returns) {
    const id = entry.paymentTransactionId;
    const capture = ledger.transactions.find((t) => t.PaymentTransactionId === id);
    if (!capture) {
      return fail('NO_PAYMENT_TRANSACTION', `Evaluation, Payment transaction '${id}' was not found in the order '${ledger.orderId}'`);
    }
    if (capture.Type !== 'Capture') {
      return fail(
        'INVALID_PAYMENT_TYPE',
        `Evaluation, Type of transaction '${id}' of order '${ledger.orderId}' is invalid. Expected type 'Capture' but actual type '${capture.Type}'`,
      );
    }
    if (capture.Status !== 'Success') {
      return fail(
        'INVALID_PAYMENT_TYPE',
        `Evaluation, Status of transaction '${id}' of order '${ledger.orderId}' is invalid. Expected status 'Success' but actual status '${capture.Status}'`,
      );
    }
    const left = remainingInShipment(ledger, id);
    const already = taken.get(id) ?? new Map<string, number>();
    taken.set(id, already);
    const actions: PlannedItemAction[] = [];
    let amountMinor = 0;
    for (const item of entry.items) {
      const key = keyOf(item);
      const group = left.get(key);
      if (!group) {
        return fail(
          'INVALID_ITEM',
          `Evaluation, Could not find a matching item in the original shipment with MerchantReference '${item.MerchantReference}' and PricePerItemIncludingVat ${price2(item.PricePerItemIncVat)} in the shipment ${id}`,
        );
      }
      const available = group.quantity - (already.get(key) ?? 0);
      if (item.Quantity > available) {
        return fail(
          'EXCEEDING_QUANTITY',
          `Evaluation, The quantity ${item.Quantity} of the item with MerchantReference '${item.MerchantReference}' and PricePerItemIncludingVat ${price2(item.PricePerItemIncVat)} exceeds the quantity left to return in the shipment ${id} (${Math.max(0, available)})`,
        );
      }
      already.set(key, (already.get(key) ?? 0) + item.Quantity);
      actions.push({ ...group.sample, Quantity: item.Quantity, ActionType: 'Return' });
      amountMinor += toMinorUnits(item.PricePerItemIncVat) * item.Quantity;
    }
    for (const fee of entry.fees) amountMinor -= toMinorUnits(fee.PricePerItemIncVat) * fee.Quantity;
    for (const discount of entry.discounts) amountMinor += toMinorUnits(discount.PricePerItemIncVat) * discount.Quantity;
    if (amountMinor <= 0) return notPositive(amountMinor);
    plans.push({ Type: 'Refund', OriginalPaymentTransactionId: id, Amount: fromMinor(amountMinor), actions, cancel: false });
  }
  return ok(plans);
}

/**
 * cancelOrder: releases everything reserved and neither shipped nor released, one Reversal per Preauthorization/Debit
 * with something left (Release actions on Success). An on-hold payment answers PAYMENT_ONHOLD (retry once Qliro has
 * decided; Qliro documents this code for UpdateItems, the simulator uses it for every item operation).
 */
export function planCancelOrder(ledger: LedgerState): LedgerResult<PlannedTransaction[]> {
  if (ledger.cancelled) return hasBeenCancelled(ledger);
  if (transactionInProcess(ledger)) return inProcess();
  const payments = ledger.transactions.filter(isPayment);
  if (payments.some((t) => t.Status === 'OnHold')) return onHold(ledger);
  const plans: PlannedTransaction[] = [];
  for (const payment of payments.filter((t) => t.Status === 'Success')) {
    const left = [...remainingInReservation(ledger, payment.PaymentTransactionId).values()].filter((g) => g.quantity > 0);
    if (left.length === 0) continue;
    const amountMinor = left.reduce((n, g) => n + toMinorUnits(g.sample.PricePerItemIncVat) * g.quantity, 0);
    plans.push({
      Type: 'Reversal',
      OriginalPaymentTransactionId: payment.PaymentTransactionId,
      Amount: fromMinor(amountMinor),
      actions: left.map((g) => ({ ...g.sample, Quantity: g.quantity, ActionType: 'Release' as const })),
      cancel: true,
    });
  }
  if (plans.length === 0) return fail('NO_ITEMS_TO_CANCEL', `Evaluation, There are no items to cancel in the order ${ledger.orderId}`);
  return ok(plans);
}

/**
 * A Reversal Qliro makes on its own (e.g. after an invoice change), not asked for by the merchant: against the latest
 * successful Preauthorization/Debit, for `amount` (default: what is still reserved and unshipped, else the
 * reservation's amount). It releases no items: the reservation's items stay as they were, so a merchant that reads it
 * as a cancel is wrong — which is what it is for.
 */
export function planStrayReversal(ledger: LedgerState, amount?: number): LedgerResult<PlannedTransaction> {
  const payment = [...ledger.transactions].reverse().find((t) => isPayment(t) && t.Status === 'Success');
  if (!payment) return fail('NO_PAYMENT_TRANSACTION', `Evaluation, Order ${ledger.orderId} has no successful payment transaction`);
  if (amount !== undefined && (!(amount > 0) || !hasAtMostTwoDecimals(amount))) {
    return invalidInput('Amount', 'The amount must be greater than 0 with at most two decimals.');
  }
  const leftMinor = [...remainingInReservation(ledger, payment.PaymentTransactionId).values()].reduce(
    (n, g) => n + toMinorUnits(g.sample.PricePerItemIncVat) * Math.max(0, g.quantity),
    0,
  );
  const chosen = amount ?? (leftMinor > 0 ? fromMinor(leftMinor) : payment.Amount);
  return ok({ Type: 'Reversal', OriginalPaymentTransactionId: payment.PaymentTransactionId, Amount: chosen, actions: [], cancel: false });
}

// ---------------------------------------------------------------------------------------------
// Changes

/** Creates a transaction (the caller's id counter) and appends it to `ledger.transactions`. */
export type NewTransaction = (fields: { Type: string; Amount: number; Status: string; OriginalPaymentTransactionId: number | null }) => SimulatedTransaction;

/**
 * Records Reserve actions for each Preauthorization/Debit that is Success or OnHold and not recorded yet, from the
 * order's lines stamped with its id (the checkout stamps them at completion).
 */
export function syncReservations(ledger: LedgerState, lines: readonly SimulatedOrderItem[], nextActionId: () => number): void {
  for (const payment of ledger.transactions) {
    if (!isPayment(payment) || ledger.reserved.has(payment.PaymentTransactionId)) continue;
    if (payment.Status !== 'Success' && payment.Status !== 'OnHold') continue;
    ledger.reserved.add(payment.PaymentTransactionId);
    for (const line of lines.filter((l) => l.PaymentTransactionId === payment.PaymentTransactionId)) {
      ledger.itemActions.push({
        MerchantReference: line.MerchantReference,
        Description: line.Description ?? null,
        Id: nextActionId(),
        Quantity: line.Quantity,
        PricePerItemIncVat: line.PricePerItemIncVat,
        PricePerItemExVat: line.PricePerItemExVat ?? line.PricePerItemIncVat,
        VatRate: line.VatRate ?? null,
        ActionType: 'Reserve',
        PaymentTransactionId: payment.PaymentTransactionId,
        Type: line.Type,
        MetaData: line.Metadata ?? null,
      });
    }
  }
}

/** Starts the planned transactions in `Created`; what they do waits for settleTransaction. */
export function startTransactions(ledger: LedgerState, plans: readonly PlannedTransaction[], newTransaction: NewTransaction): SimulatedTransaction[] {
  return plans.map((plan) => {
    const transaction = newTransaction({ Type: plan.Type, Amount: plan.Amount, Status: 'Created', OriginalPaymentTransactionId: plan.OriginalPaymentTransactionId });
    ledger.pending.set(transaction.PaymentTransactionId, plan);
    return transaction;
  });
}

export interface TransactionOutcome {
  readonly status: 'Success' | 'Error';
  readonly errorCode?: string | null;
  readonly errorDescription?: string | null;
}

/**
 * A started transaction reaches its outcome at `timestamp`: Success applies its item actions (Ship / Return / Release,
 * stamped with its id) and, for a cancelOrder, marks the order cancelled; Error applies nothing. Undefined when the
 * transaction is not waiting for an outcome.
 */
export function settleTransaction(
  ledger: LedgerState,
  paymentTransactionId: number,
  outcome: TransactionOutcome,
  nextActionId: () => number,
  timestamp: string,
): SimulatedTransaction | undefined {
  const plan = ledger.pending.get(paymentTransactionId);
  const transaction = ledger.transactions.find((t) => t.PaymentTransactionId === paymentTransactionId);
  if (!plan || !transaction) return undefined;
  ledger.pending.delete(paymentTransactionId);
  transaction.Status = outcome.status;
  transaction.Timestamp = timestamp;
  if (outcome.status === 'Success') {
    for (const action of plan.actions) ledger.itemActions.push({ ...action, Id: nextActionId(), PaymentTransactionId: paymentTransactionId });
    if (plan.cancel) ledger.cancelled = true;
  } else {
    transaction.ErrorCode = outcome.errorCode ?? null;
    transaction.ErrorCodeDescription = outcome.errorDescription ?? null;
  }
  return transaction;
}

/** A Reversal Qliro made on its own, already successful (see planStrayReversal). */
export function recordStrayReversal(plan: PlannedTransaction, newTransaction: NewTransaction): SimulatedTransaction {
  return newTransaction({ Type: plan.Type, Amount: plan.Amount, Status: 'Success', OriginalPaymentTransactionId: plan.OriginalPaymentTransactionId });
}

// ---------------------------------------------------------------------------------------------
// Answers

/** The Admin GetOrder's ledger part: `{OrderItemActions, PaymentTransactions}` (copies). */
export function ledgerView(ledger: LedgerState): { OrderItemActions: SimulatedItemAction[]; PaymentTransactions: SimulatedTransaction[] } {
  return { OrderItemActions: ledger.itemActions.map((a) => ({ ...a })), PaymentTransactions: ledger.transactions.map((t) => ({ ...t })) };
}

/** What an accepted write answers: the transactions it started, in `Created`. */
export const startedAnswer = (transactions: readonly SimulatedTransaction[]): { PaymentTransactions: { PaymentTransactionId: number; Status: string }[] } => ({
  PaymentTransactions: transactions.map((t) => ({ PaymentTransactionId: t.PaymentTransactionId, Status: t.Status })),
});

/** The order-management push for a transaction's current state (fixtures callbacks/om-status-push.*.json). */
export function orderManagementPushOf(ledger: LedgerState, transaction: SimulatedTransaction): OrderManagementStatusPush {
  return {
    OrderId: ledger.orderId,
    MerchantReference: ledger.merchantReference,
    PaymentTransactionId: transaction.PaymentTransactionId,
    OriginalPaymentTransactionId: transaction.OriginalPaymentTransactionId,
    PaymentReference: null,
    PaymentType: transaction.Type,
    Status: transaction.Status,
    Amount: transaction.Amount,
    Currency: transaction.Currency,
    ProviderTransactionId: null,
    ProviderResultCode: null,
    ProviderResultDescription: null,
    ErrorCode: transaction.ErrorCode,
    ErrorCodeDescription: transaction.ErrorCodeDescription,
    Timestamp: transaction.Timestamp,
  };
}

// ---------------------------------------------------------------------------------------------
// RequestId: a duplicate guard, not an idempotent replay (reference §5.1)

/**
 * The RequestIds each merchant used. Qliro stores them for 7 days and denies a request that reuses one. Only requests
 * Qliro accepted are remembered by default (a refused request "was not executed", so its RequestId may be sent again
 * once the cause is fixed); `rememberRefused` remembers every RequestId that got past the body checks.
 */
export class RequestIdRegistry {
  private readonly byMerchant = new Map<string, Set<string>>();

  seen(merchantApiKey: string, requestId: string): boolean {
    return this.byMerchant.get(merchantApiKey)?.has(requestId.toLowerCase()) ?? false;
  }

  remember(merchantApiKey: string, requestId: string): void {
    const ids = this.byMerchant.get(merchantApiKey) ?? new Set<string>();
    ids.add(requestId.toLowerCase());
    this.byMerchant.set(merchantApiKey, ids);
  }

  clear(): void {
    this.byMerchant.clear();
  }
}
