// Qliro's pushes (reference §4.1–4.2, §4.4): checkout-status pushes POSTed to MerchantCheckoutStatusPushUrl and
// order-management status pushes to MerchantOrderManagementStatusPushUrl, delivered only when the merchant answers
// HTTP 200 with {"CallbackResponse":"received"}; anything else is retried immediately, then after 2 s, 5 s, 10 s,
// 30 s, 1 min, 2 min, 30 min, 1 h, 24 h and 3 days. Each copy of a push is delivered on its own, so pushes of one
// order can overlap and arrive out of order, as Qliro's do.
import type { CallbackAnswer, CallbackPoster } from './callback-client';
import type { PushAttempt, SimulatedOrder } from './store';

type AnyPush = CheckoutStatusPush | OrderManagementStatusPush;
type AttemptResult = Pick<PushAttempt, 'attempt' | 'httpStatus' | 'body' | 'error' | 'outcome'>;

export interface CheckoutStatusPush {
  readonly OrderId: number;
  readonly MerchantReference: string;
  readonly Status: string;
  /** "2016-03-03T11:43:05.567": no offset. The same in every retry and copy (merchants de-duplicate on it). */
  readonly Timestamp: string;
  readonly NotificationType: 'CustomerCheckoutStatus';
  readonly PaymentTransactionId: number | null;
}

/** The order-management status push (reference §4.4; fixtures callbacks/om-status-push.*.json), one per outcome. */
export interface OrderManagementStatusPush {
  readonly OrderId: number;
  readonly MerchantReference: string;
  readonly PaymentTransactionId: number;
  readonly OriginalPaymentTransactionId: number | null;
  readonly PaymentReference: null;
  /** The transaction's type: Capture, Refund, Reversal… */
  readonly PaymentType: string;
  readonly Status: string;
  readonly Amount: number;
  readonly Currency: string;
  readonly ProviderTransactionId: null;
  readonly ProviderResultCode: null;
  readonly ProviderResultDescription: null;
  readonly ErrorCode: string | null;
  readonly ErrorCodeDescription: string | null;
  /** The transaction's Timestamp: the same in every retry and copy. */
  readonly Timestamp: string;
}

/** Which URL of the order a push goes to. */
export type PushKind = 'CheckoutStatus' | 'OrderManagementStatus';

/** One attempt to deliver an order-management push (GET /sandbox/orders/{id}/om-pushes). */
export interface OrderManagementPushAttempt extends PushAttempt {
  readonly paymentTransactionId: number;
  readonly paymentType: string;
}

/** Failure injection for one push: extra copies in parallel, a hold before the first try, or no push at all. */
export interface PushFault {
  /** Send this many extra copies at once (n + 1 in all), each with its own retries. */
  readonly duplicates?: number;
  /** Hold the push this long before its first try (lets a later push overtake it). */
  readonly delayMs?: number;
  /** Never send it (a lost push; the merchant must repair from GetOrder). */
  readonly drop?: boolean;
}

/** A push fault from a control body: {duplicates?: 0…20, delayMs?: ≥ 0, drop?: boolean}. */
export function checkPushFault(u: unknown): { readonly ok: true; readonly value: PushFault } | { readonly ok: false; readonly error: string } {
  const usage = 'must be {"duplicates"?: 0…20, "delayMs"?: number ≥ 0, "drop"?: boolean}';
  if (typeof u !== 'object' || u === null || Array.isArray(u)) return { ok: false, error: usage };
  const f = u as Record<string, unknown>;
  const duplicatesOk = f['duplicates'] === undefined || (Number.isInteger(f['duplicates']) && (f['duplicates'] as number) >= 0 && (f['duplicates'] as number) <= 20);
  const delayOk = f['delayMs'] === undefined || (typeof f['delayMs'] === 'number' && Number.isFinite(f['delayMs']) && f['delayMs'] >= 0);
  const dropOk = f['drop'] === undefined || typeof f['drop'] === 'boolean';
  if (!duplicatesOk || !delayOk || !dropOk) return { ok: false, error: usage };
  return {
    ok: true,
    value: {
      ...(f['duplicates'] !== undefined ? { duplicates: f['duplicates'] as number } : {}),
      ...(f['delayMs'] !== undefined ? { delayMs: f['delayMs'] as number } : {}),
      ...(f['drop'] !== undefined ? { drop: f['drop'] as boolean } : {}),
    },
  };
}

/** Qliro's retry schedule after a failed delivery, from the first retry on (reference §4.1). */
export const QLIRO_RETRY_DELAYS_MS: readonly number[] = [
  0,
  2_000,
  5_000,
  10_000,
  30_000,
  60_000,
  120_000,
  30 * 60_000,
  60 * 60_000,
  24 * 60 * 60_000,
  3 * 24 * 60 * 60_000,
];

export interface PushDeliverySettings {
  readonly post: CallbackPoster;
  /** Delays before retry 1, 2, …; after the last one the push is given up. */
  readonly retryDelaysMs: readonly number[];
  /** Per attempt (Qliro's is not documented). */
  readonly timeoutMs: number;
  readonly now: () => Date;
}

/** Delivered: HTTP 200 and a JSON body whose CallbackResponse (any casing) is "received". */
export function isAcknowledged(answer: CallbackAnswer): boolean {
  if (answer.kind !== 'answered' || answer.status !== 200) return false;
  let body: unknown;
  try {
    body = JSON.parse(answer.text);
  } catch {
    return false;
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return false;
  const entry = Object.entries(body).find(([k]) => k.toLowerCase() === 'callbackresponse');
  return entry?.[1] === 'received';
}

interface Delivery {
  readonly order: SimulatedOrder;
  readonly url: string;
  readonly push: AnyPush;
  readonly pushId: number;
  readonly copy: number;
  /** Where the attempts of this push are logged. */
  readonly record: (delivery: Pick<Delivery, 'push' | 'pushId' | 'copy'>, result: AttemptResult) => void;
  attempts: number;
  phase: 'waiting' | 'sending';
  /** When the next try is due (Date.now() clock), while waiting. */
  dueAt: number;
  timer: NodeJS.Timeout | undefined;
}

interface Waiter {
  readonly orderId: number | undefined;
  readonly horizonMs: number;
  readonly resolve: () => void;
}

export class PushDelivery {
  private readonly deliveries = new Set<Delivery>();
  private readonly waiters = new Set<Waiter>();
  /** Faults queued for the next push of an order, per kind (POST /sandbox/push-faults). */
  private readonly nextFaults = new Map<string, PushFault>();
  private nextPushId = 1;
  private closed = false;

  constructor(private readonly settings: PushDeliverySettings) {}

  /**
   * The next push of this order of that kind (default: checkout status) gets `fault` (a fault given with the push
   * itself wins, field by field).
   */
  faultNextPush(orderId: number, fault: PushFault, kind: PushKind = 'CheckoutStatus'): void {
    this.nextFaults.set(`${kind}:${orderId}`, fault);
  }

  /** Starts delivering a checkout-status push in the background; returns at once. No push URL on the order, no push. */
  send(order: SimulatedOrder, push: CheckoutStatusPush, fault: PushFault = {}): void {
    this.deliver(order, 'CheckoutStatus', order.urls.checkoutStatusPush, push, fault, (d, result) => this.log(order.pushAttempts, d, result));
  }

  /**
   * Starts delivering an order-management status push in the background, attempts logged in `attempts`; returns at
   * once. No MerchantOrderManagementStatusPushUrl on the order, no push.
   */
  sendOrderManagement(order: SimulatedOrder, push: OrderManagementStatusPush, attempts: OrderManagementPushAttempt[], fault: PushFault = {}): void {
    this.deliver(order, 'OrderManagementStatus', order.urls.orderManagementStatusPush, push, fault, (d, result) =>
      this.log(attempts, d, result, { paymentTransactionId: push.PaymentTransactionId, paymentType: push.PaymentType }),
    );
  }

  private deliver(order: SimulatedOrder, kind: PushKind, url: string | undefined, push: AnyPush, fault: PushFault, record: Delivery['record']): void {
    if (url === undefined || this.closed) return;
    const key = `${kind}:${order.orderId}`;
    const queued = this.nextFaults.get(key);
    this.nextFaults.delete(key);
    const effective: PushFault = { ...queued, ...fault };
    const pushId = this.nextPushId++;
    if (effective.drop) {
      record({ push, pushId, copy: 0 }, { attempt: 0, httpStatus: null, body: null, outcome: 'dropped' });
      return;
    }
    const copies = 1 + Math.max(0, Math.floor(effective.duplicates ?? 0));
    for (let copy = 0; copy < copies; copy++) {
      const delivery: Delivery = { order, url, push, pushId, copy, record, attempts: 0, phase: 'waiting', dueAt: 0, timer: undefined };
      this.deliveries.add(delivery);
      this.schedule(delivery, Math.max(0, effective.delayMs ?? 0));
    }
  }

  /** Deliveries not finished (sending, or waiting for a try), for one order or all. */
  pending(orderId?: number): number {
    return [...this.deliveries].filter((d) => orderId === undefined || d.order.orderId === orderId).length;
  }

  /**
   * Resolves once no push (of `orderId`, or of any order) is being sent or due within `horizonMs`: what is left
   * waits for a late retry (30 min … 3 days, scaled) and will not change anything soon. Tests await this instead
   * of sleeping.
   */
  whenSettled(orderId?: number, horizonMs = 1000): Promise<void> {
    return new Promise<void>((resolve) => {
      const waiter: Waiter = { orderId, horizonMs, resolve };
      if (this.isSettled(waiter)) resolve();
      else this.waiters.add(waiter);
    });
  }

  /** Forgets every push still pending (store reset). */
  cancelAll(): void {
    for (const d of this.deliveries) clearTimeout(d.timer);
    this.deliveries.clear();
    this.nextFaults.clear();
    this.notify();
  }

  /** Stops for good: scheduled retries are cancelled, waiters released. */
  close(): void {
    this.closed = true;
    this.cancelAll();
    for (const w of this.waiters) w.resolve();
    this.waiters.clear();
  }

  private schedule(delivery: Delivery, delayMs: number): void {
    delivery.phase = 'waiting';
    delivery.dueAt = Date.now() + delayMs;
    delivery.timer = setTimeout(() => void this.attempt(delivery), delayMs);
    this.notify();
  }

  private async attempt(delivery: Delivery): Promise<void> {
    delivery.phase = 'sending';
    delivery.timer = undefined;
    delivery.attempts += 1;
    const answer = await this.settings.post(delivery.url, delivery.push, this.settings.timeoutMs);
    if (this.closed || !this.deliveries.has(delivery)) return;
    const delivered = isAcknowledged(answer);
    delivery.record(delivery, {
      attempt: delivery.attempts,
      httpStatus: answer.kind === 'answered' ? answer.status : null,
      body: answer.kind === 'answered' ? answer.text : null,
      ...(answer.kind === 'answered' ? {} : { error: answer.kind }),
      outcome: delivered ? 'delivered' : 'failed',
    });
    const nextDelay = this.settings.retryDelaysMs[delivery.attempts - 1];
    if (delivered || nextDelay === undefined) {
      // Delivered, or out of retries: Qliro gives up.
      this.deliveries.delete(delivery);
      this.notify();
    } else {
      this.schedule(delivery, nextDelay);
    }
  }

  private log<E extends object>(
    attempts: (PushAttempt & E)[],
    delivery: Pick<Delivery, 'push' | 'pushId' | 'copy'>,
    result: AttemptResult,
    extra?: E,
  ): void {
    attempts.push({
      pushId: delivery.pushId,
      copy: delivery.copy,
      status: delivery.push.Status,
      ...result,
      at: this.settings.now().toISOString(),
      ...extra,
    } as PushAttempt & E);
  }

  private isSettled(waiter: Waiter): boolean {
    const now = Date.now();
    for (const d of this.deliveries) {
      if (waiter.orderId !== undefined && d.order.orderId !== waiter.orderId) continue;
      if (d.phase === 'sending' || d.dueAt - now <= waiter.horizonMs) return false;
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
