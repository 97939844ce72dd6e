// One order of the chaos run, driven as real callers would: the storefront creates the Norce order and the checkout,
// changes the cart through NCO, the shopper completes in Qliro; the OMS captures and refunds. Callers retry a
// 502/503/409 (and a dropped connection) with backoff a bounded number of times, and the OMS asks `refresh` when an
// outcome has not arrived within a bound. Faults of the order's plan are armed just before their step.
import http from 'node:http';
import fetch from 'node-fetch';
import type { RunningNcoSimulator, NcoFault } from '../sandbox/nco-simulator';
import { sandboxDemoOrder } from '../sandbox/nco-simulator';
import type { RunningQliroSimulator, CompleteOptions, PushFault } from '../sandbox/qliro-simulator';
import { SANDBOX } from '../src/infrastructure/sandbox';
import type { FaultKind, NcoCall, OrderPlan, Step, UpstreamFault } from './plan';
import type { Rng } from './rng';

export interface Counters {
  /** Faults injected (armed), by kind. */
  readonly faults: Record<FaultKind, number>;
  /** Retries callers made, by call. */
  readonly retries: Record<string, number>;
  /** NCO faults armed (to tell how many were left unused at the end). */
  ncoArmed: number;
}

export const newCounters = (): Counters => ({
  faults: {
    latency: 0,
    'upstream-500': 0,
    reset: 0,
    'checkout-push-duplicates': 0,
    'checkout-push-reordered': 0,
    'om-push-dropped': 0,
    'om-push-duplicates': 0,
    'admin-outcome-error': 0,
    'parallel-captures': 0,
    'parallel-refunds': 0,
  },
  retries: {},
  ncoArmed: 0,
});

export interface World {
  readonly nco: RunningNcoSimulator;
  readonly qliro: RunningQliroSimulator;
  /** The load balancer in front of the replicas: every adapter call goes here. */
  readonly proxyUrl: string;
  readonly qliroTimeoutMs: number;
  readonly norceTimeoutMs: number;
  readonly counters: Counters;
  /** Backoff jitter only (plans come from their own generators). */
  readonly jitter: Rng;
  /** No retry or wait starts after this (Date.now() clock). */
  readonly hardDeadline: number;
  readonly agent: http.Agent;
}

/** What happened to one order, for the summary and for reporting a violation. */
export interface OrderRecord {
  readonly plan: OrderPlan;
  orderId?: string;
  paymentId?: string;
  qliroOrderId?: number;
  /** The furthest step the driver finished. */
  reached: 'none' | 'order' | 'checkout' | 'cart' | 'purchase' | 'capture' | 'refund';
  /** Where the driver gave up (retry budget or time exhausted), if it did. */
  gaveUp?: string;
  /** It gave up because the run's time bound was reached (not counted as a stuck caller). */
  cutByDeadline?: boolean;
  /** Notable events, in order (steps, armed faults, retries, refreshes, give-ups), with their time. */
  readonly notes: { readonly at: number; readonly text: string }[];
}

interface Answer {
  readonly status: number;
  readonly body: any; // eslint-disable-line @typescript-eslint/no-explicit-any
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const note = (record: OrderRecord, text: string) => void record.notes.push({ at: Date.now(), text });
function giveUp(world: World, record: OrderRecord, why: string): void {
  record.gaveUp = why;
  record.cutByDeadline = Date.now() >= world.hardDeadline;
  note(record, `gave up: ${why}`);
}

/** `promise`, or nothing after `ms` — whichever comes first; the timer does not outlive the race. */
export async function bounded(promise: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([promise, new Promise<void>((resolve) => (timer = setTimeout(resolve, Math.max(0, ms))))]);
  clearTimeout(timer);
}
const headers = (channel: string) => ({ authorization: `Bearer ${SANDBOX.token}`, 'x-merchant': SANDBOX.merchant, 'x-channel': channel });

/** One HTTP call with a hard timeout; status 0 when there was no answer (reset, refused, timeout). */
async function call(world: World, method: string, url: string, channel: string, body?: unknown, timeoutMs = 8000): Promise<Answer> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  try {
    const response = await fetch(url, {
      method,
      headers: { ...headers(channel), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      agent: world.agent,
      signal: controller.signal as never,
    });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = text === '' ? undefined : JSON.parse(text);
    } catch {
      /* keep the text */
    }
    return { status: response.status, body: parsed };
  } catch (e) {
    return { status: 0, body: { error: (e as Error).message } };
  } finally {
    clearTimeout(timer);
  }
}

/** What a real caller retries: no answer, 502, 503, 409. */
const retryableAdapterAnswer = (a: Answer) => a.status === 0 || a.status === 502 || a.status === 503 || a.status === 409;

/** NCO refused a change because our hook failed transiently (the hook's 5xx, timeout or reset), or NCO itself failed. */
const retryableNcoAnswer = (a: Answer) =>
  a.status === 0 ||
  a.status >= 500 ||
  a.status === 409 ||
  (a.status === 400 && a.body?.code === 'order-hook-failed' && /HTTP 5\d\d|did not answer|could not be reached/.test(String(a.body?.message)));

async function retrying(world: World, record: OrderRecord, label: string, attempt: () => Promise<Answer>, retryable: (a: Answer) => boolean, attempts = 8): Promise<Answer> {
  let answer = await attempt();
  for (let i = 1; i < attempts && retryable(answer) && Date.now() < world.hardDeadline; i++) {
    world.counters.retries[label] = (world.counters.retries[label] ?? 0) + 1;
    await sleep(Math.min(1000, 40 * 2 ** i) * (0.5 + world.jitter.next()));
    answer = await attempt();
  }
  if (retryable(answer)) note(record, `${label}: gave up after retries (last ${answer.status} ${short(answer.body)})`);
  return answer;
}

const short = (body: unknown): string => {
  const text = typeof body === 'string' ? body : JSON.stringify(body ?? null);
  return text.length > 160 ? `${text.slice(0, 160)}…` : text;
};

/** Waits (bounded) until Qliro has no push or Admin outcome of the order due soon: the simulators' settle helper. */
async function settle(world: World, qliroOrderId: number): Promise<void> {
  await bounded(world.qliro.whenPushesSettled(qliroOrderId, { horizonMs: 5000 }), Math.min(15_000, world.hardDeadline - Date.now()));
}

const NCO_PATHS: Record<NcoCall, { method: string; path: (id: string) => RegExp }> = {
  getOrder: { method: 'GET', path: (id) => new RegExp(`^/api/v0/checkout/orders/${id}$`) },
  createPayment: { method: 'POST', path: (id) => new RegExp(`^/api/v0/checkout/orders/${id}/payments$`) },
  updatePayment: { method: 'PUT', path: (id) => new RegExp(`^/api/v0/checkout/orders/${id}/payments/[^/]+$`) },
  addTransaction: { method: 'POST', path: (id) => new RegExp(`^/api/v0/checkout/orders/${id}/payments/[^/]+/transactions$`) },
  putState: { method: 'PUT', path: (id) => new RegExp(`^/api/v0/checkout/orders/${id}/state$`) },
};

/** Arms the plan's faults of `step`: Qliro's fault queue is global (the next call of that op anywhere), NCO's per order. */
function arm(world: World, record: OrderRecord, step: Step): void {
  for (const { step: at, fault } of record.plan.faults) {
    if (at !== step) continue;
    world.counters.faults[fault.kind] += 1;
    if (fault.upstream === 'qliro') world.qliro.failNext(qliroFault(world, fault));
    else {
      const target = NCO_PATHS[fault.call];
      const base = { method: target.method, path: target.path(record.orderId!) };
      const ncoFault: NcoFault =
        fault.kind === 'latency'
          ? fault.late
            ? { ...base, delayMs: world.norceTimeoutMs + 600 }
            : { ...base, hang: true }
          : fault.kind === 'reset'
            ? { ...base, reset: true }
            : { ...base, status: 500 };
      world.counters.ncoArmed += 1;
      world.nco.failNext(ncoFault);
    }
    note(record, `${step}: armed ${describeFault(fault)}`);
  }
}

function qliroFault(world: World, fault: Extract<UpstreamFault, { upstream: 'qliro' }>) {
  // A latency spike beyond the adapter's timeout: the call is still handled, late (a write lands after the caller gave up).
  if (fault.kind === 'latency') return { op: fault.op, delayMs: world.qliroTimeoutMs + 600 };
  if (fault.kind === 'reset') return { op: fault.op, reset: true };
  return { op: fault.op, status: 500 };
}

export const describeFault = (f: UpstreamFault): string =>
  `${f.upstream} ${f.upstream === 'qliro' ? f.op : f.call} ${f.kind}${f.upstream === 'nco' && f.kind === 'latency' ? (f.late ? ' (handled late)' : ' (never answered)') : ''}`;

/** Whether the plan has faults for `step` (their push is then held back briefly, so they are armed before it goes out). */
const hasFaults = (plan: OrderPlan, step: Step) => plan.faults.some((f) => f.step === step);
const HOLD_PUSH_MS = 150;

const norceOrder = (world: World, id: string): any => world.nco.store.order(id); // eslint-disable-line @typescript-eslint/no-explicit-any
const paymentOf = (world: World, record: OrderRecord): any => // eslint-disable-line @typescript-eslint/no-explicit-any
  (norceOrder(world, record.orderId!)?.payments ?? []).find((p: { id: string }) => p.id === record.paymentId);

/** The cart with one more of a single-quantity item (all amounts of that row doubled exactly); NCO re-totals. */
function changedCart(order: any, pick: number): unknown { // eslint-disable-line @typescript-eslint/no-explicit-any
  const cart = structuredClone(order.cart);
  const singles = (cart.items as any[]).filter((i) => i.quantity === 1); // eslint-disable-line @typescript-eslint/no-explicit-any
  const item = singles[pick % Math.max(1, singles.length)] ?? cart.items[0];
  const twice = (a: { includingVat: number; excludingVat: number } | undefined) =>
    a && { includingVat: Math.round(a.includingVat * 200) / 100, excludingVat: Math.round(a.excludingVat * 200) / 100 };
  item.quantity = item.quantity * 2;
  item.total = twice(item.total);
  if (item.originalTotal) item.originalTotal = twice(item.originalTotal);
  item.discounts = (item.discounts ?? []).map((d: { value: { includingVat: number; excludingVat: number } }) => ({ ...d, value: twice(d.value) }));
  delete cart.total;
  delete cart.discounts;
  return cart;
}

export async function driveOrder(world: World, plan: OrderPlan): Promise<OrderRecord> {
  const record: OrderRecord = { plan, reached: 'none', notes: [] };
  try {
    await drive(world, record);
  } catch (e) {
    giveUp(world, record, `driver error: ${(e as Error).message}`);
  }
  return record;
}

async function drive(world: World, record: OrderRecord): Promise<void> {
  const { plan } = record;
  const channel = plan.channel;
  const ordersUrl = `${world.nco.url}/api/v0/checkout/orders`;

  // 1. The storefront's platform adapter creates the Norce order (NCO itself, no adapter involved).
  const created = await retrying(world, record, 'nco-create-order', () => call(world, 'POST', ordersUrl, channel, sandboxDemoOrder(channel)), retryableNcoAnswer);
  if (created.status !== 201) return giveUp(world, record, `create Norce order: ${created.status}`);
  record.orderId = created.body.id as string;
  record.reached = 'order';

  // 2. The storefront asks the adapter for the checkout (idempotent: retried as is).
  note(record, 'create payment');
  arm(world, record, 'create');
  const paymentsUrl = `${world.proxyUrl}/api/checkout/v1/orders/${record.orderId}/payments`;
  const checkout = await retrying(world, record, 'create-payment', () => call(world, 'POST', paymentsUrl, channel), retryableAdapterAnswer);
  if (checkout.status !== 200) return giveUp(world, record, `create payment: ${checkout.status} ${short(checkout.body)}`);
  record.paymentId = checkout.body.paymentId as string;
  record.qliroOrderId = Number(paymentOf(world, record)?.reference);
  if (!Number.isInteger(record.qliroOrderId)) return giveUp(world, record, 'create payment: the Norce payment carries no Qliro order id');
  record.reached = 'checkout';
  // The storefront shows the snippet (again) — a read through the balancer.
  await retrying(world, record, 'get-payment', () => call(world, 'GET', `${paymentsUrl}/${record.paymentId}`, channel), retryableAdapterAnswer, 4);

  // 3. The shopper changes the cart: NCO calls the adapter's cart-changed hook (through the balancer) before storing it.
  if (plan.cartChange) {
    note(record, 'cart change');
    arm(world, record, 'cart');
    const changed = await retrying(
      world,
      record,
      'cart-change',
      () => call(world, 'PUT', `${ordersUrl}/${record.orderId}/cart`, channel, changedCart(norceOrder(world, record.orderId!), plan.cartItemPick)),
      retryableNcoAnswer,
    );
    if (changed.status !== 200) note(record, `cart change refused: ${changed.status} ${short(changed.body)}`);
    else record.reached = 'cart';
  }

  // 4. The shopper completes the purchase in Qliro (validation callback, then pushes, faulted per plan).
  note(record, `complete (${plan.outcome})`);
  arm(world, record, 'complete');
  let qid = record.qliroOrderId;
  // With faults planned for the push, it is held back briefly and the faults armed meanwhile (the handler meets them).
  const hold: PushFault = hasFaults(plan, 'push') ? { delayMs: HOLD_PUSH_MS } : {};
  const duplicates: PushFault = { ...hold, ...(plan.checkoutPushDuplicates > 0 ? { duplicates: plan.checkoutPushDuplicates } : {}) };
  if (plan.checkoutPushDuplicates > 0) world.counters.faults['checkout-push-duplicates'] += 1;
  if (plan.outcome === 'OnHold-Completed') {
    const onHoldPush: PushFault = plan.reorderCheckoutPushes ? { delayMs: 400 } : duplicates;
    if (!(await complete(world, record, { outcome: 'OnHold', push: onHoldPush }))) return;
    qid = record.qliroOrderId!; // a reload may have switched the checkout
    if (plan.reorderCheckoutPushes) {
      // Qliro decides before its OnHold push went out: the Completed push overtakes it (and is duplicated).
      world.counters.faults['checkout-push-reordered'] += 1;
      const resolved = world.qliro.resolve(qid, { outcome: 'Completed', push: { ...hold, duplicates: Math.max(1, plan.checkoutPushDuplicates) } });
      if (!resolved.ok) note(record, `resolve refused: ${resolved.error}`);
      arm(world, record, 'push');
      await settle(world, qid);
    } else {
      arm(world, record, 'push');
      await settle(world, qid);
      const resolved = world.qliro.resolve(qid, { outcome: 'Completed', push: duplicates });
      if (!resolved.ok) note(record, `resolve refused: ${resolved.error}`);
      await settle(world, qid);
    }
  } else {
    if (!(await complete(world, record, { outcome: plan.outcome, push: duplicates }))) return;
    qid = record.qliroOrderId!;
    arm(world, record, 'push');
    await settle(world, qid);
  }
  record.reached = 'purchase';
  if (plan.outcome === 'Refused') return;
  const state = paymentOf(world, record)?.state;
  if (state !== 'reserved') return giveUp(world, record, `after the purchase the Norce payment is ${state}, not reserved: the OMS cannot capture`);

  // 5. The OMS captures (sometimes several requests at once: the balancer sends them to different replicas).
  if (plan.captureOutcomeError) {
    world.counters.faults['admin-outcome-error'] += 1;
    world.qliro.failNextOutcome(qid, { type: 'Capture', errorCode: 'PROVIDER_ERROR', errorDescription: 'capture refused (chaos)' });
  }
  note(record, `capture ×${plan.parallelCaptures}`);
  omPushFault(world, record, plan.capturePush, hasFaults(plan, 'capture-push'));
  arm(world, record, 'capture');
  if (plan.parallelCaptures > 1) world.counters.faults['parallel-captures'] += 1;
  if (!(await orderManagement(world, record, 'capture', plan.parallelCaptures, 'captured', () => arm(world, record, 'capture-push')))) return;
  record.reached = 'capture';

  // 6. The shopper returns everything: refund.
  if (!plan.refund) return;
  note(record, `refund ×${plan.parallelRefunds}`);
  omPushFault(world, record, plan.refundPush, hasFaults(plan, 'refund-push'));
  arm(world, record, 'refund');
  if (plan.parallelRefunds > 1) world.counters.faults['parallel-refunds'] += 1;
  if (!(await orderManagement(world, record, 'refund', plan.parallelRefunds, 'refunded', () => arm(world, record, 'refund-push')))) return;
  record.reached = 'refund';
}

/** The next order-management push of the order: dropped, duplicated, and/or held back briefly (`hold`). */
function omPushFault(world: World, record: OrderRecord, fault: OrderPlan['capturePush'], hold: boolean): void {
  const delay: PushFault = hold ? { delayMs: HOLD_PUSH_MS } : {};
  if (fault === 'drop') {
    world.counters.faults['om-push-dropped'] += 1;
    world.qliro.dropNextPush(record.qliroOrderId!, 'OrderManagementStatus');
  } else if (fault === 'duplicates') {
    world.counters.faults['om-push-duplicates'] += 1;
    world.qliro.faultNextPush(record.qliroOrderId!, { ...delay, duplicates: 2 }, 'OrderManagementStatus');
  } else if (hold) world.qliro.faultNextPush(record.qliroOrderId!, delay, 'OrderManagementStatus');
}

/** The shopper clicks "Complete purchase"; a decline (validation could not confirm) is tried again, a bounded number of times. */
async function complete(world: World, record: OrderRecord, options: CompleteOptions): Promise<boolean> {
  for (let attempt = 1; attempt <= 6 && Date.now() < world.hardDeadline; attempt++) {
    const answer = await world.qliro.complete(record.qliroOrderId!, options);
    if (!answer.ok) {
      giveUp(world, record, `complete: ${answer.status} ${answer.error}`);
      return false;
    }
    if (!('declined' in answer.value)) return true;
    world.counters.retries['complete-after-decline'] = (world.counters.retries['complete-after-decline'] ?? 0) + 1;
    const message = answer.value.declineReasonMessage ?? answer.value.declineReason;
    note(record, `complete: declined (${message}, validation ${answer.value.validation})`);
    await sleep(Math.min(1000, 100 * 2 ** attempt) * (0.5 + world.jitter.next()));
    // "Please reload the page": the storefront asks for the checkout again (idempotent) and shows what it answers.
    if (/reload/i.test(message)) await reloadCheckout(world, record);
  }
  giveUp(world, record, 'complete: declined every time');
  return false;
}

/** The storefront reloads the checkout page: create (idempotent) again, and the shopper sees that Qliro order. */
async function reloadCheckout(world: World, record: OrderRecord): Promise<void> {
  world.counters.retries['reload-checkout'] = (world.counters.retries['reload-checkout'] ?? 0) + 1;
  const url = `${world.proxyUrl}/api/checkout/v1/orders/${record.orderId}/payments`;
  const answer = await retrying(world, record, 'create-payment', () => call(world, 'POST', url, record.plan.channel), retryableAdapterAnswer);
  if (answer.status !== 200) return void note(record, `reload: create payment answered ${answer.status} ${short(answer.body)}`);
  record.paymentId = answer.body.paymentId as string;
  const qid = Number(paymentOf(world, record)?.reference);
  if (Number.isInteger(qid) && qid !== record.qliroOrderId) note(record, `reload: the checkout is now Qliro order ${qid} (was ${record.qliroOrderId})`);
  if (Number.isInteger(qid)) record.qliroOrderId = qid;
}

/**
 * Capture or refund as an OMS does: send it (retrying 502/503/409), wait (bounded, via the settle helper) for the
 * outcome to reach Norce; if it has not, ask `refresh`; if Qliro's ledger still shows no success (the transaction
 * ended in Error, or never started), start it again. At most four rounds.
 */
async function orderManagement(
  world: World,
  record: OrderRecord,
  op: 'capture' | 'refund',
  parallel: number,
  target: string,
  afterFirstRequests: () => void,
): Promise<boolean> {
  const url = `${world.proxyUrl}/api/order/v1/orders/${record.orderId}/payments/${record.paymentId}`;
  const channel = record.plan.channel;
  for (let round = 1, copies = parallel; round <= 4 && Date.now() < world.hardDeadline; round++, copies = 1) {
    const answers = await Promise.all(
      Array.from({ length: copies }, () => retrying(world, record, op, () => call(world, 'POST', `${url}/${op}`, channel), retryableAdapterAnswer)),
    );
    if (round === 1) afterFirstRequests();
    const statuses = answers.map((a) => a.status);
    if (statuses.some((s) => s !== 200)) note(record, `${op} round ${round}: answers ${statuses.join(',')} ${answers.filter((a) => a.status !== 200).map((a) => short(a.body)).join(' | ')}`);
    await settle(world, record.qliroOrderId!);
    if (paymentOf(world, record)?.state === target) return true;
    // The outcome did not arrive within the bound (lost push, Error outcome, or the call never got through): refresh.
    world.counters.retries['oms-refresh'] = (world.counters.retries['oms-refresh'] ?? 0) + 1;
    const refreshed = await retrying(world, record, 'refresh', () => call(world, 'POST', `${url}/refresh`, channel), retryableAdapterAnswer);
    note(record, `${op} round ${round}: not ${target} after settle; refresh → ${refreshed.status} ${short(refreshed.body)}`);
    if (paymentOf(world, record)?.state === target) return true;
  }
  giveUp(world, record, `${op}: payment still ${paymentOf(world, record)?.state} after 4 rounds`);
  return false;
}
