// Starts the simulated Qliro (Merchant API, the shopper's checkout with validation callback and status pushes, the
// Admin API with its ledger and order-management pushes, /sandbox controls) on a port; tests use port 0 and close() it.
import type { CustomerInput as IdentifyingCustomer } from './test-identity';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createCallbackClient } from './callback-client';
import { CustomerCheckout, type CompleteOptions, type CompletionAnswer, type ControlResult, type ResolutionAnswer, type ResolveOptions } from './checkout-flow';
import { FaultQueue, type QliroFault } from './faults';
import { PushDelivery, QLIRO_RETRY_DELAYS_MS, type OrderManagementPushAttempt, type PushFault, type PushKind } from './push-delivery';
import { DEFAULT_REQUEST_ID_REUSE, OrderManagement, type OutcomeFault, type RequestIdReuseAnswer, type ReversalAnswer, type ReverseOptions } from './order-management';
import type { SimulatedItemAction } from './admin-ledger';
import { createQliroSimulatorApp } from './routes';
import { MerchantDirectory, type SimulatedMerchant } from './signature';
import { QliroSimulatorStore, type PushAttempt, type SimulatedCheckoutStatus, type SimulatedOrder } from './store';
import type { ValidationTimeoutOutcome } from './validation-callback';

export type { QliroFault } from './faults';
export type { SimulatedMerchant } from './signature';
export type {
  PushAttempt,
  SimulatedOrder,
  SimulatedRequest,
  SimulatedCheckoutStatus,
  SimulatedOperation,
  SimulatedTransaction,
} from './store';
export type {
  CompleteOptions,
  CompletionAnswer,
  CompletionOutcome,
  ControlResult,
  ResolutionAnswer,
  ResolveOptions,
  ShippingMethodChoice,
  ValidationCall,
} from './checkout-flow';
export type { CheckoutStatusPush, OrderManagementPushAttempt, OrderManagementStatusPush, PushFault, PushKind } from './push-delivery';
export type { AdminAnswer, OutcomeFault, RequestIdReuseAnswer, ReversalAnswer, ReverseOptions } from './order-management';
export type { AdminTransactionType, SimulatedItemAction } from './admin-ledger';
export { DEFAULT_REQUEST_ID_REUSE } from './order-management';
export type { CustomerInput } from './test-identity';
export type { ValidationTimeoutOutcome } from './validation-callback';
export { QLIRO_RETRY_DELAYS_MS } from './push-delivery';
export { QliroSimulatorStore } from './store';

export interface QliroSimulatorOptions {
  /** 0 (default) = an ephemeral port. */
  readonly port?: number;
  /** Default 127.0.0.1. */
  readonly host?: string;
  readonly merchants: readonly SimulatedMerchant[];
  /** Reject Discount items with positive prices (default true). */
  readonly strictDiscountSign?: boolean;
  /** Base URL put into snippets, links and Location headers (default http://{host}:{port}). */
  readonly publicUrl?: string;
  /** First OrderId handed out (default 4950001). */
  readonly firstOrderId?: number;
  /** Clock (default the system clock). */
  readonly now?: () => Date;
  /** First PaymentTransactionId handed out (default 3294101). */
  readonly firstPaymentTransactionId?: number;
  /** How long Qliro waits for the validation answer (default 5000, as Qliro). */
  readonly validationTimeoutMs?: number;
  /** No validation answer in time (or no connection): 'approve' (default, as Qliro) or 'decline' (a Qliro setting). */
  readonly validationTimeoutOutcome?: ValidationTimeoutOutcome;
  /** Multiplies Qliro's push retry delays (default 1; tests use e.g. 0.001: 0, 2, 5, 10, 30, 60, 120 ms, 1.8 s …). */
  readonly retryDelayScale?: number;
  /** The delays before retry 1, 2, … instead of Qliro's schedule (then retryDelayScale is not applied). */
  readonly retryDelaysMs?: readonly number[];
  /** Per push attempt (default 10000; Qliro's is not documented). */
  readonly pushTimeoutMs?: number;
  /**
   * How long an Admin transaction (Capture, Refund, Reversal) stays `Created` before its outcome and order-management
   * push (default 50; 0 = on the next tick; a large value holds outcomes until flushAdminOutcomes()).
   */
  readonly adminOutcomeDelayMs?: number;
  /**
   * The answer to a reused RequestId (Qliro's is undocumented): default 400 OPERATION_NOT_SUPPORTED "Evaluation, A
   * request with the same RequestId has already been received"; `rememberRefused` (default false) also remembers the
   * RequestIds of refused requests.
   */
  readonly requestIdReuse?: Partial<RequestIdReuseAnswer>;
  /** First OrderItemActions Id handed out (default 18841201). */
  readonly firstItemActionId?: number;
  /** Added before every answer, in ms: a realistic upstream round trip for benchmarks (default 0 = none). */
  readonly latencyMs?: number;
}

export interface RunningQliroSimulator {
  readonly url: string;
  readonly port: number;
  readonly store: QliroSimulatorStore;
  /** The HTTP server (tests count the connections it accepts). */
  readonly server: http.Server;
  /**
   * The next matching Merchant or Admin API call answers `status`/`body`, is delayed by `delayMs`, or gets its connection
   * reset (`reset: true`) (see QliroFault).
   */
  failNext(fault: QliroFault): void;
  /** UpdateOrder on this order now answers 400 ORDER_EXPIRED. */
  expireOrder(orderId: number): SimulatedOrder | undefined;
  /** Sets CustomerCheckoutStatus directly: no validation, no transaction, no push (see complete()). */
  setStatus(orderId: number, status: SimulatedCheckoutStatus | string): SimulatedOrder | undefined;
  /**
   * The shopper completes the checkout (POST /sandbox/orders/{id}/complete): validation callback, then the
   * outcome, a Preauthorization and a push in the background. 409 unless InProcess.
   */
  complete(orderId: number, options: CompleteOptions): Promise<ControlResult<CompletionAnswer>>;
  /** The shopper identifies before buying: customer and addresses set (POST /sandbox/orders/{id}/identify). 409 unless InProcess. */
  identify(orderId: number, customer?: IdentifyingCustomer): ControlResult<{ orderId: number }>;
  /** An OnHold order becomes Completed or Refused, with a push (POST /sandbox/orders/{id}/resolve). 409 unless OnHold. */
  resolve(orderId: number, options: ResolveOptions): ControlResult<ResolutionAnswer>;
  /**
   * The next push of the order of that kind (default CheckoutStatus) gets this fault (POST /sandbox/push-faults with
   * `kind`).
   */
  faultNextPush(orderId: number, fault: PushFault, kind?: PushKind): void;
  /** The next push of the order of that kind (default OrderManagementStatus) is never sent. */
  dropNextPush(orderId: number, kind?: PushKind): void;
  /**
   * The next Admin outcome of the order (of `type`, when given) ends in Error, with ErrorCode/ErrorCodeDescription
   * (default null) — no item actions applied (POST /sandbox/orders/{id}/fail-next-outcome).
   */
  failNextOutcome(orderId: number, fault?: OutcomeFault): ControlResult<{ orderId: number; queued: number }>;
  /**
   * A Reversal Qliro makes on its own (not a cancel): Success at once, no Release actions, an order-management push
   * (POST /sandbox/orders/{id}/reverse). `amount` defaults to what is reserved and unshipped. 409 without a successful
   * reservation.
   */
  reverse(orderId: number, amountOrOptions?: number | ReverseOptions): ControlResult<ReversalAnswer>;
  /** Runs the pending Admin outcomes (of one order, or all) now (POST /sandbox/orders/{id}/flush-outcomes). How many. */
  flushAdminOutcomes(orderId?: number): number;
  /** Admin transactions still waiting for their outcome. */
  pendingAdminOutcomes(orderId?: number): number;
  /** The Admin GetOrder body of the order, as its merchant would read it (GET /sandbox/orders/{id}/ledger). */
  adminOrder(orderId: number): Record<string, unknown> | undefined;
  /** The order's OrderItemActions. */
  itemActionsOf(orderId: number): SimulatedItemAction[];
  /** Every order-management push attempt for the order (GET /sandbox/orders/{id}/om-pushes). */
  orderManagementPushesOf(orderId: number): OrderManagementPushAttempt[];
  /** Every push attempt for the order (GET /sandbox/orders/{id}/pushes). */
  pushesOf(orderId: number): PushAttempt[];
  /**
   * Resolves when no Admin outcome is due and no push (of this order, or any) is being sent or due within `horizonMs`
   * (default 1000): await it instead of sleeping. With compressed retry delays, a push that keeps failing settles once
   * its next retry is beyond the horizon; an outcome held beyond it (adminOutcomeDelayMs) waits for flushAdminOutcomes().
   */
  whenPushesSettled(orderId?: number, options?: { readonly horizonMs?: number }): Promise<void>;
  /** whenPushesSettled() for every order. */
  idle(): Promise<void>;
  /** Push deliveries not finished (being sent or waiting for a retry), of one order or all. */
  pendingPushes(orderId?: number): number;
  /** Forgets orders, requests, pending faults, ledgers and remembered RequestIds (ids keep counting). */
  reset(): void;
  close(): Promise<void>;
}

export async function startQliroSimulator(options: QliroSimulatorOptions): Promise<RunningQliroSimulator> {
  const host = options.host ?? '127.0.0.1';
  const store = new QliroSimulatorStore({
    ...(options.firstOrderId !== undefined ? { firstOrderId: options.firstOrderId } : {}),
    ...(options.firstPaymentTransactionId !== undefined ? { firstPaymentTransactionId: options.firstPaymentTransactionId } : {}),
    ...(options.now ? { now: options.now } : {}),
  });
  const callbacks = createCallbackClient();
  const scale = options.retryDelayScale ?? 1;
  const pushes = new PushDelivery({
    post: callbacks.post,
    retryDelaysMs: options.retryDelaysMs ?? QLIRO_RETRY_DELAYS_MS.map((ms) => ms * scale),
    timeoutMs: options.pushTimeoutMs ?? 10000,
    now: store.now,
  });
  const checkout = new CustomerCheckout({
    store,
    post: callbacks.post,
    pushes,
    validationTimeoutMs: options.validationTimeoutMs ?? 5000,
    validationTimeoutOutcome: options.validationTimeoutOutcome ?? 'approve',
  });
  const faults = new FaultQueue();
  const admin = new OrderManagement({
    store,
    pushes,
    outcomeDelayMs: options.adminOutcomeDelayMs ?? 50,
    requestIdReuse: { ...DEFAULT_REQUEST_ID_REUSE, ...options.requestIdReuse },
    ...(options.firstItemActionId !== undefined ? { firstItemActionId: options.firstItemActionId } : {}),
  });
  const settled = async (orderId: number | undefined, horizonMs?: number): Promise<void> => {
    await admin.whenSettled(orderId, horizonMs);
    await pushes.whenSettled(orderId, horizonMs);
  };
  const sleeping = new Set<{ timer: NodeJS.Timeout; wake: () => void }>();
  let baseUrl = options.publicUrl?.replace(/\/+$/, '') ?? '';

  const app = createQliroSimulatorApp({
    store,
    merchants: new MerchantDirectory(options.merchants),
    faults,
    rules: { strictDiscountSign: options.strictDiscountSign ?? true },
    checkout,
    pushes,
    admin,
    baseUrl: () => baseUrl,
    sleep: (ms) =>
      new Promise<void>((resolve) => {
        const entry = {
          timer: setTimeout(() => {
            sleeping.delete(entry);
            resolve();
          }, ms),
          wake: resolve,
        };
        sleeping.add(entry);
      }),
  });

  const server = http.createServer(withLatency(app.callback(), options.latencyMs ?? 0));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  if (baseUrl === '') baseUrl = url;

  let closing: Promise<void> | undefined;
  return {
    url,
    port,
    store,
    server,
    failNext: (fault) => faults.add(fault),
    expireOrder: (orderId) => store.expire(orderId),
    setStatus: (orderId, status) => store.setStatus(orderId, status),
    complete: (orderId, completeOptions) => checkout.complete(orderId, completeOptions),
    identify: (orderId, customer) => checkout.identify(orderId, customer),
    resolve: (orderId, resolveOptions) => checkout.resolve(orderId, resolveOptions),
    faultNextPush: (orderId, fault, kind) => pushes.faultNextPush(orderId, fault, kind),
    dropNextPush: (orderId, kind = 'OrderManagementStatus') => pushes.faultNextPush(orderId, { drop: true }, kind),
    failNextOutcome: (orderId, fault = {}) => admin.failNextOutcome(orderId, fault),
    reverse: (orderId, amountOrOptions) => admin.reverse(orderId, typeof amountOrOptions === 'number' ? { amount: amountOrOptions } : (amountOrOptions ?? {})),
    flushAdminOutcomes: (orderId) => admin.flushOutcomes(orderId),
    pendingAdminOutcomes: (orderId) => admin.pending(orderId),
    adminOrder: (orderId) => {
      const order = store.get(orderId);
      const answer = order ? admin.getOrder(String(orderId), order.merchantApiKey) : undefined;
      return answer?.ok ? (answer.body as Record<string, unknown>) : undefined;
    },
    itemActionsOf: (orderId) => admin.itemActionsOf(orderId),
    orderManagementPushesOf: (orderId) => admin.pushesOf(orderId),
    pushesOf: (orderId) => [...(store.get(orderId)?.pushAttempts ?? [])],
    whenPushesSettled: (orderId, settle) => settled(orderId, settle?.horizonMs),
    idle: () => settled(undefined),
    pendingPushes: (orderId) => pushes.pending(orderId),
    reset: () => {
      store.reset();
      faults.clear();
      pushes.cancelAll();
      admin.reset();
    },
    close: () => {
      closing ??= new Promise<void>((resolve, reject) => {
        for (const entry of sleeping) {
          clearTimeout(entry.timer);
          entry.wake();
        }
        sleeping.clear();
        // Pending Admin outcomes, scheduled push retries and callbacks in flight end here.
        admin.close();
        pushes.close();
        callbacks.destroy();
        server.close((e) => (e ? reject(e) : resolve()));
        server.closeAllConnections();
      });
      return closing;
    },
  };
}

/** Every request is handled `latencyMs` later (0: the handler itself). */
function withLatency(handler: http.RequestListener, latencyMs: number): http.RequestListener {
  return latencyMs > 0 ? (req, res) => void setTimeout(handler, latencyMs, req, res) : handler;
}
