// What the bench sends: order pools made through the real flow, and one request generator per hot path.
import http from 'node:http';
import fetch from 'node-fetch';
import { isLeft } from 'fp-ts/Either';
import { sandboxDemoOrder } from '../sandbox/nco-simulator';
import { SANDBOX } from '../src/infrastructure/sandbox';
import { CallbackTokens } from '../src/application/callback-urls';
import { customerWrites } from '../src/application/customer-from-qliro';
import { toQliroOrderLines } from '../src/domain/qliro-order-lines';
import { NorceOrderCodec } from '../src/adapters/norce/codecs';
import { decodeWith } from '../src/adapters/norce/codecs';
import type { NorceOrder } from '../src/domain/norce-order';
import type { BaselineFixtures } from './baseline';
import { sleep, type OneRequest, type Simulators } from './harness';

export const PATHS = ['get-payment', 'cart-changed', 'push', 'validate'] as const;
export type PathName = (typeof PATHS)[number];

export const PATH_NOTES: Record<PathName, string> = {
  'get-payment': 'GET …/payments/{id} of an open checkout (the storefront re-reads the snippet)',
  'cart-changed': 'NCO hook POST with the proposed order (amount unchanged: UpdateOrder sent, patch `[]`)',
  push: 'checkout-status push for an order already Completed in Norce: the duplicate path (Qliro retries)',
  validate: 'validation POST that approves: one fresh order per request from a pool (5 Norce writes each)',
};

const norceHeaders = {
  authorization: `Bearer ${SANDBOX.token}`,
  'x-merchant': SANDBOX.merchant,
  'x-channel': 'se',
};
const json = { 'content-type': 'application/json' };
const tokens = new CallbackTokens(SANDBOX.callbackSigningSecret);

export interface Checkout {
  readonly orderId: string;
  readonly paymentId: string;
  readonly qliroOrderId: number;
}

// Set-up calls open a connection each (no keep-alive): nothing pooled outlives the phase whose servers it reached.
const setupAgent = new http.Agent({ keepAlive: false });

async function call(url: string, init: { method?: string; headers?: Record<string, string>; body?: unknown } = {}): Promise<{ status: number; body: any }> {
  const response = await fetch(url, {
    method: init.method ?? 'GET',
    headers: { ...(init.body !== undefined ? json : {}), ...init.headers },
    agent: setupAgent,
    ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
  });
  const text = await response.text();
  let body: any;
  try {
    body = text === '' ? undefined : JSON.parse(text);
  } catch {
    body = text;
  }
  return { status: response.status, body };
}

/** Runs `task` for 0…n-1, `parallel` at a time. */
async function inParallel<T>(n: number, parallel: number, task: (i: number) => Promise<T>): Promise<T[]> {
  const out: T[] = new Array(n);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(parallel, n) }, async () => {
      while (next < n) {
        const i = next++;
        out[i] = await task(i);
      }
    }),
  );
  return out;
}

/** A Norce order with an open Qliro checkout, made as a storefront would: NCO create, then the adapter's create payment. */
async function openCheckout(sims: Simulators, adapterUrl: string): Promise<Checkout> {
  let created = await call(`${sims.ncoUrl}/api/v0/checkout/orders`, { method: 'POST', headers: norceHeaders, body: sandboxDemoOrder('se') });
  for (let retry = 0; created.status !== 201 && retry < 2; retry++) {
    process.stderr.write(`NCO answered ${created.status} to a new order; trying again\n`);
    created = await call(`${sims.ncoUrl}/api/v0/checkout/orders`, { method: 'POST', headers: norceHeaders, body: sandboxDemoOrder('se') });
  }
  if (created.status !== 201) throw new Error(`NCO refused the order: ${created.status}`);
  const orderId = created.body.id as string;
  const payment = await call(`${adapterUrl}/api/checkout/v1/orders/${orderId}/payments`, { method: 'POST', headers: norceHeaders });
  if (payment.status !== 200) throw new Error(`create payment: ${payment.status} ${JSON.stringify(payment.body)}`);
  const order = await call(`${sims.ncoUrl}/api/v0/checkout/orders/${orderId}`, { headers: norceHeaders });
  const reference = (order.body.payments as any[]).find((p) => p.id === payment.body.paymentId).reference;
  return { orderId, paymentId: payment.body.paymentId, qliroOrderId: Number(reference) };
}

/** The shopper completes the purchase in Qliro (validation, then the push); resolves once Norce shows it. */
async function completeCheckout(sims: Simulators, checkout: Checkout): Promise<void> {
  const answer = await call(`${sims.qliroUrl}/sandbox/orders/${checkout.qliroOrderId}/complete`, { method: 'POST', body: { outcome: 'Completed' } });
  if (answer.status !== 200 || answer.body.validation !== 200) throw new Error(`complete: ${answer.status} ${JSON.stringify(answer.body)}`);
  for (let i = 0; i < 200; i++) {
    const order = await sims.call<any>('order', { orderId: checkout.orderId });
    if (order.state.currentStatus === 'completed') return;
    await sleep(50);
  }
  throw new Error(`order ${checkout.orderId} did not reach completed`);
}

export interface Pools {
  /** Open checkouts (payment intent, Qliro InProcess): GET payment and cart-changed. */
  readonly open: readonly Checkout[];
  /** Completed purchases (payment reserved, order completed): duplicate pushes. */
  readonly completed: readonly Checkout[];
  /** The raw Norce order of each open checkout: the hook body NCO would send. */
  readonly hookBodies: ReadonlyMap<string, string>;
  /** An open checkout's order, copied for validate pools. */
  readonly validateTemplate: { readonly order: unknown; readonly checkout: Checkout; readonly body: string };
  readonly fixtures: BaselineFixtures;
}

export async function createPools(sims: Simulators, adapterUrl: string, sizes: { open: number; completed: number }): Promise<Pools> {
  const open = await inParallel(sizes.open + 1, 16, () => openCheckout(sims, adapterUrl));
  const template = open.pop()!;
  const completed = await inParallel(sizes.completed, 16, () => openCheckout(sims, adapterUrl));
  await inParallel(completed.length, 16, (i) => completeCheckout(sims, completed[i]!));

  const hookBodies = new Map<string, string>();
  const cart: Record<string, { qliroOrderId: number; lines: any[] }> = {};
  for (const checkout of open) {
    const raw = await sims.call<unknown>('order', { orderId: checkout.orderId });
    hookBodies.set(checkout.orderId, JSON.stringify(raw));
    const order = decodeWith(NorceOrderCodec, raw);
    if (isLeft(order)) throw new Error(`pool order does not decode: ${order.left}`);
    const mapped = toQliroOrderLines(order.right, { mapDiscountPerRow: false, qliroOwnsShipping: false }, checkout.paymentId);
    if (isLeft(mapped)) throw new Error(mapped.left.message);
    cart[checkout.orderId] = { qliroOrderId: checkout.qliroOrderId, lines: mapped.right.lines };
  }
  const templateOrder = await sims.call<unknown>('order', { orderId: template.orderId });
  const validationBody = await sims.call<Record<string, unknown>>('validationBody', { qliroOrderId: template.qliroOrderId });
  const decodedTemplate = decodeWith(NorceOrderCodec, templateOrder);
  if (isLeft(decodedTemplate)) throw new Error(decodedTemplate.left);
  const writes = customerWrites(decodedTemplate.right as NorceOrder, validationBody as never);
  if (!writes.billing || !writes.shipping) throw new Error('the validation body should change billing and shipping');
  return {
    open,
    completed,
    hookBodies,
    validateTemplate: { order: templateOrder, checkout: template, body: JSON.stringify(validationBody) },
    fixtures: { billing: writes.billing, shipping: writes.shipping, cart },
  };
}

/** Copies of the template order, each with its own id: one validate request each. */
export async function validatePool(sims: Simulators, pools: Pools, count: number): Promise<Checkout[]> {
  const ids = await sims.call<string[]>('insertCopies', { order: pools.validateTemplate.order, count });
  const { paymentId, qliroOrderId } = pools.validateTemplate.checkout;
  return ids.map((orderId) => ({ orderId, paymentId, qliroOrderId }));
}

const callbackQuery = (c: Checkout) =>
  new URLSearchParams({ merchant: SANDBOX.merchant, channel: 'se', token: tokens.sign({ merchant: SANDBOX.merchant, channel: 'se', orderId: c.orderId, paymentId: c.paymentId }) }).toString();

const base = (c: Checkout) => `/api/checkout/v1/orders/${c.orderId}/payments/${c.paymentId}`;
const callbackBase = (c: Checkout) => `/api/checkout/v1/callback/orders/${c.orderId}/payments/${c.paymentId}`;

/** Round robin over a pool, or once through it (`undefined` when used up). */
function cycle<T>(items: readonly T[]): () => T {
  let i = 0;
  return () => items[i++ % items.length]!;
}
function once<T>(items: readonly T[]): () => T | undefined {
  let i = 0;
  return () => items[i++];
}

/** The request generator of a path; `validate` needs its own fresh pool. */
export function requestsFor(path: PathName, pools: Pools, validateOrders: readonly Checkout[] = []): () => OneRequest | undefined {
  switch (path) {
    case 'get-payment': {
      const requests = pools.open.map((c): OneRequest => ({ method: 'GET', path: base(c), headers: norceHeaders }));
      return cycle(requests);
    }
    case 'cart-changed': {
      const requests = pools.open.map(
        (c): OneRequest => ({ method: 'POST', path: `${callbackBase(c)}/cart-changed`, headers: { ...norceHeaders, ...json, accept: 'application/json' }, body: pools.hookBodies.get(c.orderId)! }),
      );
      return cycle(requests);
    }
    case 'push': {
      const requests = pools.completed.map(
        (c): OneRequest => ({
          method: 'POST',
          path: `${callbackBase(c)}/push?${callbackQuery(c)}`,
          headers: json,
          body: JSON.stringify({ OrderId: c.qliroOrderId, MerchantReference: c.orderId, Status: 'Completed', Timestamp: '2025-05-02T14:00:00' }),
        }),
      );
      return cycle(requests);
    }
    case 'validate': {
      const body = pools.validateTemplate.body;
      return once(validateOrders.map((c): OneRequest => ({ method: 'POST', path: `${callbackBase(c)}/validate?${callbackQuery(c)}`, headers: json, body })));
    }
  }
}
