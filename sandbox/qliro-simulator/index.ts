// Starts the simulated Qliro (Merchant API, the shopper's checkout with validation callback and status pushes,
// /sandbox controls) on a port; tests use port 0 and close() it.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createCallbackClient } from './callback-client';
import { CustomerCheckout, type CompleteOptions, type CompletionAnswer, type ControlResult, type ResolutionAnswer, type ResolveOptions } from './checkout-flow';
import { FaultQueue, type QliroFault } from './faults';
import { PushDelivery, QLIRO_RETRY_DELAYS_MS, type PushFault } from './push-delivery';
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
export type { CheckoutStatusPush, PushFault } from './push-delivery';
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
}

export interface RunningQliroSimulator {
  readonly url: string;
  readonly port: number;
  readonly store: QliroSimulatorStore;
  /** The next matching Merchant API call answers `status`/`body`, or is delayed by `delayMs` (see QliroFault). */
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
  /** An OnHold order becomes Completed or Refused, with a push (POST /sandbox/orders/{id}/resolve). 409 unless OnHold. */
  resolve(orderId: number, options: ResolveOptions): ControlResult<ResolutionAnswer>;
  /** The next push of the order gets this fault (POST /sandbox/push-faults). */
  faultNextPush(orderId: number, fault: PushFault): void;
  /** Every push attempt for the order (GET /sandbox/orders/{id}/pushes). */
  pushesOf(orderId: number): PushAttempt[];
  /**
   * Resolves when no push (of this order, or any) is being sent or due within `horizonMs` (default 1000): await it
   * instead of sleeping. With compressed retry delays, a push that keeps failing settles once its next retry is
   * beyond the horizon.
   */
  whenPushesSettled(orderId?: number, options?: { readonly horizonMs?: number }): Promise<void>;
  /** whenPushesSettled() for every order. */
  idle(): Promise<void>;
  /** Push deliveries not finished (being sent or waiting for a retry), of one order or all. */
  pendingPushes(orderId?: number): number;
  /** Forgets orders, requests and pending faults (OrderIds keep counting). */
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
  const sleeping = new Set<{ timer: NodeJS.Timeout; wake: () => void }>();
  let baseUrl = options.publicUrl?.replace(/\/+$/, '') ?? '';

  const app = createQliroSimulatorApp({
    store,
    merchants: new MerchantDirectory(options.merchants),
    faults,
    rules: { strictDiscountSign: options.strictDiscountSign ?? true },
    checkout,
    pushes,
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

  const server = http.createServer(app.callback());
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
    failNext: (fault) => faults.add(fault),
    expireOrder: (orderId) => store.expire(orderId),
    setStatus: (orderId, status) => store.setStatus(orderId, status),
    complete: (orderId, completeOptions) => checkout.complete(orderId, completeOptions),
    resolve: (orderId, resolveOptions) => checkout.resolve(orderId, resolveOptions),
    faultNextPush: (orderId, fault) => pushes.faultNextPush(orderId, fault),
    pushesOf: (orderId) => [...(store.get(orderId)?.pushAttempts ?? [])],
    whenPushesSettled: (orderId, settle) => pushes.whenSettled(orderId, settle?.horizonMs),
    idle: () => pushes.whenSettled(),
    pendingPushes: (orderId) => pushes.pending(orderId),
    reset: () => {
      store.reset();
      faults.clear();
      pushes.cancelAll();
    },
    close: () => {
      closing ??= new Promise<void>((resolve, reject) => {
        for (const entry of sleeping) {
          clearTimeout(entry.timer);
          entry.wake();
        }
        sleeping.clear();
        // Scheduled push retries and callbacks in flight end here.
        pushes.close();
        callbacks.destroy();
        server.close((e) => (e ? reject(e) : resolve()));
        server.closeAllConnections();
      });
      return closing;
    },
  };
}
