// The simulated Qliro's order management (reference §4.4, §5): the Admin API's ledger per order, writes that start
// transactions in `Created`, their outcome a moment later (Success, or Error when a test asks for it) with the
// order-management status push delivered like checkout pushes (same retries and faults), and Qliro's own reversals.
import {
  checkCancelOrder,
  checkMarkItemsAsShipped,
  checkReturnItems,
  ledgerView,
  newLedgerState,
  orderManagementPushOf,
  planCancelOrder,
  planMarkItemsAsShipped,
  planReturnItems,
  planStrayReversal,
  recordStrayReversal,
  RequestIdRegistry,
  settleTransaction,
  startedAnswer,
  startTransactions,
  syncReservations,
  type AdminTransactionType,
  type LedgerResult,
  type LedgerState,
  type NewTransaction,
  type PlannedTransaction,
  type SimulatedItemAction,
} from './admin-ledger';
import type { ControlResult } from './checkout-flow';
import { checkPushFault, type OrderManagementPushAttempt, type PushDelivery, type PushFault } from './push-delivery';
import { linesOf, qliroTimestamp, type QliroSimulatorStore, type SimulatedOrder, type SimulatedTransaction } from './store';

/**
 * How a reused RequestId is denied. Qliro documents the denial ("any requests sent with the same GUID will be denied",
 * OAS-A RequestBase) but not its status or ErrorCode. Default: HTTP 400, OPERATION_NOT_SUPPORTED, "Evaluation, A
 * request with the same RequestId has already been received" — a 4xx business refusal like Qliro's other
 * "Evaluation, …" answers, so a client treats it as "look at the ledger", not as something to retry blindly.
 */
export interface RequestIdReuseAnswer {
  readonly status: number;
  readonly ErrorCode: string;
  readonly ErrorMessage: string;
  /** Also remember the RequestIds of refused requests (default false: only accepted requests are remembered). */
  readonly rememberRefused: boolean;
}

export const DEFAULT_REQUEST_ID_REUSE: RequestIdReuseAnswer = {
  status: 400,
  ErrorCode: 'OPERATION_NOT_SUPPORTED',
  ErrorMessage: 'Evaluation, A request with the same RequestId has already been received',
  rememberRefused: false,
};

/** The next Admin outcome of an order (of `type`, when given) ends in Error with these codes (default null, as Qliro's). */
export interface OutcomeFault {
  readonly type?: AdminTransactionType;
  readonly errorCode?: string | null;
  readonly errorDescription?: string | null;
}

export interface ReverseOptions {
  /** Default: what is still reserved and unshipped, else the reservation's amount. */
  readonly amount?: number;
  readonly push?: PushFault;
}

export interface ReversalAnswer {
  readonly orderId: number;
  readonly paymentTransactionId: number;
  readonly amount: number;
}

/** What an Admin API call answers: 200 with a body, or a Qliro error with its status. */
export type AdminAnswer =
  | { readonly ok: true; readonly body: unknown }
  | { readonly ok: false; readonly status: number; readonly error: { readonly ErrorCode: string; readonly ErrorMessage: string } };

export interface OrderManagementSettings {
  readonly store: QliroSimulatorStore;
  readonly pushes: PushDelivery;
  /** How long a started transaction stays `Created` before its outcome (0 = on the next tick). */
  readonly outcomeDelayMs: number;
  readonly requestIdReuse: RequestIdReuseAnswer;
  /** First OrderItemActions Id handed out (default 18841201, as in the fixtures). */
  readonly firstItemActionId?: number;
}

interface OrderLedger {
  readonly state: LedgerState;
  readonly pushAttempts: OrderManagementPushAttempt[];
  readonly outcomeFaults: OutcomeFault[];
}

interface ScheduledOutcome {
  readonly orderId: number;
  readonly timer: NodeJS.Timeout;
  /** Date.now() clock. */
  readonly dueAt: number;
}

interface Waiter {
  readonly orderId: number | undefined;
  readonly horizonMs: number;
  readonly resolve: () => void;
}

const ADMIN_TRANSACTION_TYPES: readonly AdminTransactionType[] = ['Capture', 'Refund', 'Reversal'];
const isRecord = (u: unknown): u is Record<string, unknown> => typeof u === 'object' && u !== null && !Array.isArray(u);
const invalid = <A>(error: string): ControlResult<A> => ({ ok: false, status: 400, error });
const orderNotFound: AdminAnswer = { ok: false, status: 404, error: { ErrorCode: 'ORDER_NOT_FOUND', ErrorMessage: 'Order not found' } };
const refused = (r: LedgerResult<unknown> & { ok: false }): AdminAnswer => ({
  ok: false,
  status: r.violation.status,
  error: { ErrorCode: r.violation.ErrorCode, ErrorMessage: r.violation.ErrorMessage },
});

/** The body of POST /sandbox/orders/{id}/fail-next-outcome (or the in-process options), checked. */
export function checkOutcomeFault(u: unknown): ControlResult<OutcomeFault> {
  const usage = 'body must be {"type"?: "Capture"|"Refund"|"Reversal", "errorCode"?: string, "errorDescription"?: string}';
  if (u === undefined || u === null) return { ok: true, value: {} };
  if (!isRecord(u)) return invalid(usage);
  const type = ADMIN_TRANSACTION_TYPES.find((t) => typeof u['type'] === 'string' && t.toLowerCase() === u['type'].toLowerCase());
  if (u['type'] !== undefined && !type) return invalid(usage);
  for (const field of ['errorCode', 'errorDescription']) {
    if (u[field] !== undefined && u[field] !== null && typeof u[field] !== 'string') return invalid(usage);
  }
  return {
    ok: true,
    value: {
      ...(type ? { type } : {}),
      ...(u['errorCode'] !== undefined ? { errorCode: u['errorCode'] as string | null } : {}),
      ...(u['errorDescription'] !== undefined ? { errorDescription: u['errorDescription'] as string | null } : {}),
    },
  };
}

/** The body of POST /sandbox/orders/{id}/reverse (or the in-process options), checked. */
export function checkReverseOptions(u: unknown): ControlResult<ReverseOptions> {
  const usage = 'body must be {"amount"?: number > 0, "push"?: {"duplicates"?, "delayMs"?, "drop"?}}';
  if (u === undefined || u === null) return { ok: true, value: {} };
  if (!isRecord(u)) return invalid(usage);
  if (u['amount'] !== undefined && (typeof u['amount'] !== 'number' || !(u['amount'] > 0))) return invalid(usage);
  const push = u['push'] === undefined ? undefined : checkPushFault(u['push']);
  if (push !== undefined && !push.ok) return invalid(`push: ${push.error}`);
  return { ok: true, value: { ...(typeof u['amount'] === 'number' ? { amount: u['amount'] } : {}), ...(push?.ok ? { push: push.value } : {}) } };
}

export class OrderManagement {
  private readonly ledgers = new Map<number, OrderLedger>();
  private readonly requestIds = new RequestIdRegistry();
  private readonly scheduled = new Map<number, ScheduledOutcome>();
  private readonly waiters = new Set<Waiter>();
  /** Never rewound, like the order and transaction ids. */
  private nextItemActionId: number;
  private closed = false;

  constructor(private readonly settings: OrderManagementSettings) {
    this.nextItemActionId = settings.firstItemActionId ?? 18841201;
  }

  // -------------------------------------------------------------------------------------------
  // Admin API

  /** GET /v2/orders/{OrderId} (also by MerchantReference): the ledger in the shape of Qliro's Admin GetOrder. */
  getOrder(idOrReference: string, merchantApiKey: string): AdminAnswer {
    const order = /^\d{1,15}$/.test(idOrReference)
      ? this.settings.store.get(Number(idOrReference))
      : this.settings.store.findByMerchantReference(merchantApiKey, idOrReference);
    if (!order) return orderNotFound;
    if (order.merchantApiKey !== merchantApiKey) return this.mismatch(order.orderId);
    return { ok: true, body: this.adminOrderOf(order) };
  }

  /** GET /v2/paymentTransactions/{id}: one transaction of any order of the merchant. */
  getTransaction(id: number, merchantApiKey: string): AdminAnswer {
    for (const order of this.settings.store.list()) {
      const transaction = order.transactions.find((t) => t.PaymentTransactionId === id);
      if (!transaction) continue;
      if (order.merchantApiKey !== merchantApiKey) return this.mismatch(order.orderId);
      return { ok: true, body: { ...transaction } };
    }
    return { ok: false, status: 404, error: { ErrorCode: 'NO_PAYMENT_TRANSACTION', ErrorMessage: 'Payment transaction not found' } };
  }

  /** POST /v2/MarkItemsAsShipped (body authenticated for `merchantApiKey`). */
  markItemsAsShipped(merchantApiKey: string, body: unknown): AdminAnswer {
    return this.write(merchantApiKey, checkMarkItemsAsShipped(body), (ledger, request) => planMarkItemsAsShipped(ledger, request));
  }

  /** POST /v2/ReturnItems. */
  returnItems(merchantApiKey: string, body: unknown): AdminAnswer {
    return this.write(merchantApiKey, checkReturnItems(body), (ledger, request) => planReturnItems(ledger, request));
  }

  /** POST /v2/cancelOrder. */
  cancelOrder(merchantApiKey: string, body: unknown): AdminAnswer {
    return this.write(merchantApiKey, checkCancelOrder(body), (ledger) => planCancelOrder(ledger));
  }

  // -------------------------------------------------------------------------------------------
  // Controls

  /** The next Admin outcome of the order (of `type`, when given) ends in Error. Queued: several faults apply in order. */
  failNextOutcome(orderId: number, raw: OutcomeFault | unknown = {}): ControlResult<{ orderId: number; queued: number }> {
    const checked = checkOutcomeFault(raw);
    if (!checked.ok) return checked;
    const order = this.settings.store.get(orderId);
    if (!order) return { ok: false, status: 404, error: `order ${orderId} not found` };
    const ledger = this.ledgerOf(order);
    ledger.outcomeFaults.push(checked.value);
    return { ok: true, value: { orderId, queued: ledger.outcomeFaults.length } };
  }

  /** Qliro reverses money on its own (not a cancel the merchant asked for): a Success Reversal and its push. */
  reverse(orderId: number, raw: ReverseOptions | unknown = {}): ControlResult<ReversalAnswer> {
    const checked = checkReverseOptions(raw);
    if (!checked.ok) return checked;
    const order = this.settings.store.get(orderId);
    if (!order) return { ok: false, status: 404, error: `order ${orderId} not found` };
    const ledger = this.ledgerOf(order);
    const plan = planStrayReversal(ledger.state, checked.value.amount);
    if (!plan.ok) return { ok: false, status: 409, error: plan.violation.ErrorMessage };
    const transaction = recordStrayReversal(plan.value, this.newTransaction(order));
    this.push(order, ledger, transaction, checked.value.push);
    return { ok: true, value: { orderId, paymentTransactionId: transaction.PaymentTransactionId, amount: transaction.Amount } };
  }

  /** Runs the pending outcomes (of one order, or all) now instead of after their delay. How many ran. */
  flushOutcomes(orderId?: number): number {
    const due = [...this.scheduled].filter(([, s]) => orderId === undefined || s.orderId === orderId);
    for (const [transactionId, s] of due) {
      clearTimeout(s.timer);
      this.settle(s.orderId, transactionId);
    }
    return due.length;
  }

  /** Every order-management push attempt of the order. */
  pushesOf(orderId: number): OrderManagementPushAttempt[] {
    return [...(this.ledgers.get(orderId)?.pushAttempts ?? [])];
  }

  /** The order's item actions (Reserve, Ship, Release, Return), as GetOrder lists them. */
  itemActionsOf(orderId: number): SimulatedItemAction[] {
    const order = this.settings.store.get(orderId);
    return order ? ledgerView(this.ledgerOf(order).state).OrderItemActions : [];
  }

  /** Admin transactions waiting for their outcome, of one order or all. */
  pending(orderId?: number): number {
    return [...this.scheduled.values()].filter((s) => orderId === undefined || s.orderId === orderId).length;
  }

  /**
   * Resolves once no outcome (of `orderId`, or of any order) is due within `horizonMs`; an outcome held longer (a
   * large adminOutcomeDelayMs) counts as settled until flushOutcomes() runs it.
   */
  whenSettled(orderId?: number, horizonMs = 1000): Promise<void> {
    return new Promise<void>((resolve) => {
      const waiter: Waiter = { orderId, horizonMs, resolve };
      if (this.isSettled(waiter)) resolve();
      else this.waiters.add(waiter);
    });
  }

  /** Forgets ledgers, remembered RequestIds and pending outcomes (store reset). */
  reset(): void {
    for (const s of this.scheduled.values()) clearTimeout(s.timer);
    this.scheduled.clear();
    this.ledgers.clear();
    this.requestIds.clear();
    this.notify();
  }

  close(): void {
    this.closed = true;
    this.reset();
    for (const w of this.waiters) w.resolve();
    this.waiters.clear();
  }

  // -------------------------------------------------------------------------------------------

  private mismatch(orderId: number): AdminAnswer {
    return { ok: false, status: 400, error: { ErrorCode: 'MERCHANT_MISMATCH', ErrorMessage: `Evaluation, Order ${orderId} does not belong to the merchant` } };
  }

  /** The order's ledger, created on first use; Reserve actions follow the order's Preauthorization(s). */
  private ledgerOf(order: SimulatedOrder): OrderLedger {
    let ledger = this.ledgers.get(order.orderId);
    if (!ledger) {
      ledger = {
        state: newLedgerState({ orderId: order.orderId, merchantReference: order.merchantReference, currency: order.currency }, order.transactions),
        pushAttempts: [],
        outcomeFaults: [],
      };
      this.ledgers.set(order.orderId, ledger);
    }
    syncReservations(ledger.state, linesOf(order), () => this.nextItemActionId++);
    return ledger;
  }

  private adminOrderOf(order: SimulatedOrder): Record<string, unknown> {
    const view = ledgerView(this.ledgerOf(order).state);
    return {
      OrderId: order.orderId,
      MerchantReference: order.merchantReference,
      Currency: order.currency,
      Country: order.country,
      SignupForNewsletter: false,
      MerchantProvidedQuestionAnswer: null,
      OrderItemActions: view.OrderItemActions,
      Customer: order.customer,
      BillingAddress: order.billingAddress,
      ShippingAddress: order.shippingAddress,
      PaymentTransactions: view.PaymentTransactions,
      IdentityVerification: {
        RequireIdentityVerification: order.createRequest['RequireIdentityVerification'] === true,
        IdentityVerified: null,
      },
      Upsell: { IsUpsellOrder: false, EligibleForUpsell: false, EligibleForUpsellUntil: null },
      MerchantProvidedMetadata: order.merchantProvidedMetadata,
    };
  }

  private newTransaction(order: SimulatedOrder): NewTransaction {
    // The same counter as the checkout's Preauthorization; store.addTransaction appends to order.transactions.
    return (fields) => this.settings.store.addTransaction(order, fields);
  }

  /**
   * A write: body checks, then the RequestId (a reuse is denied, not replayed), the order and its owner, the ledger
   * rules; an accepted write starts its transactions in `Created` and schedules their outcome.
   */
  private write<R extends { readonly requestId: string; readonly orderId: number }>(
    merchantApiKey: string,
    checked: LedgerResult<R>,
    plan: (ledger: LedgerState, request: R) => LedgerResult<PlannedTransaction[]>,
  ): AdminAnswer {
    if (!checked.ok) return refused(checked);
    const request = checked.value;
    const reuse = this.settings.requestIdReuse;
    if (this.requestIds.seen(merchantApiKey, request.requestId)) {
      return { ok: false, status: reuse.status, error: { ErrorCode: reuse.ErrorCode, ErrorMessage: reuse.ErrorMessage } };
    }
    const refuse = (answer: AdminAnswer): AdminAnswer => {
      if (reuse.rememberRefused) this.requestIds.remember(merchantApiKey, request.requestId);
      return answer;
    };
    const order = this.settings.store.get(request.orderId);
    if (!order) return refuse(orderNotFound);
    if (order.merchantApiKey !== merchantApiKey) return refuse(this.mismatch(order.orderId));
    const ledger = this.ledgerOf(order);
    const plans = plan(ledger.state, request);
    if (!plans.ok) return refuse(refused(plans));
    this.requestIds.remember(merchantApiKey, request.requestId);
    const started = startTransactions(ledger.state, plans.value, this.newTransaction(order));
    for (const transaction of started) this.schedule(order.orderId, transaction.PaymentTransactionId);
    return { ok: true, body: startedAnswer(started) };
  }

  private schedule(orderId: number, transactionId: number): void {
    if (this.closed) return;
    const delay = Math.max(0, this.settings.outcomeDelayMs);
    const timer = setTimeout(() => this.settle(orderId, transactionId), delay);
    this.scheduled.set(transactionId, { orderId, timer, dueAt: Date.now() + delay });
    this.notify();
  }

  /** The outcome: Error when a fault is queued for it, else Success; then the order-management push. */
  private settle(orderId: number, transactionId: number): void {
    this.scheduled.delete(transactionId);
    const order = this.settings.store.get(orderId);
    const ledger = this.ledgers.get(orderId);
    if (order && ledger) {
      const transaction = ledger.state.transactions.find((t) => t.PaymentTransactionId === transactionId);
      const faultAt = ledger.outcomeFaults.findIndex((f) => f.type === undefined || f.type === transaction?.Type);
      const fault = faultAt < 0 ? undefined : ledger.outcomeFaults.splice(faultAt, 1)[0];
      const settled = settleTransaction(
        ledger.state,
        transactionId,
        fault ? { status: 'Error', errorCode: fault.errorCode ?? null, errorDescription: fault.errorDescription ?? null } : { status: 'Success' },
        () => this.nextItemActionId++,
        qliroTimestamp(this.settings.store.now()),
      );
      if (settled) {
        order.updatedAt = this.settings.store.now();
        this.push(order, ledger, settled);
      }
    }
    this.notify();
  }

  private push(order: SimulatedOrder, ledger: OrderLedger, transaction: SimulatedTransaction, fault?: PushFault): void {
    this.settings.pushes.sendOrderManagement(order, orderManagementPushOf(ledger.state, transaction), ledger.pushAttempts, fault);
  }

  private isSettled(waiter: Waiter): boolean {
    const now = Date.now();
    for (const s of this.scheduled.values()) {
      if (waiter.orderId !== undefined && s.orderId !== waiter.orderId) continue;
      if (s.dueAt - now <= waiter.horizonMs) return false;
    }
    return true;
  }

  private notify(): void {
    for (const w of [...this.waiters]) {
      if (this.isSettled(w)) {
        this.waiters.delete(w);
        w.resolve();
      }
    }
  }
}
