// Koa routes of the simulated Qliro: Merchant API (signed), the checkout web app placeholder, and /sandbox controls.
import { randomUUID } from 'node:crypto';
import Koa from 'koa';
import Router, { type RouterContext } from '@koa/router';
import { checkCreateOrder, checkUpdateOrder, type RuleOptions } from './rules';
import { defaultFaultBody, SIMULATED_OPERATIONS, type FaultQueue, type QliroFault } from './faults';
import type { MerchantDirectory, SimulatedMerchant } from './signature';
import type { QliroSimulatorStore, SimulatedOperation, SimulatedRequest } from './store';
import { paymentLinkOf, toGetOrderResponse, toSandboxView } from './order-response';
import { BOOTSTRAP_JS } from './snippet';
import { renderCheckoutPage, renderPaymentLinkPage } from './webapp';
import type { ControlResult, CustomerCheckout } from './checkout-flow';
import { checkPushFault, type PushDelivery } from './push-delivery';

export interface SimulatorContext {
  readonly store: QliroSimulatorStore;
  readonly merchants: MerchantDirectory;
  readonly faults: FaultQueue;
  readonly rules: RuleOptions;
  /** Base URL the simulator is reached at (known only once it listens). */
  readonly baseUrl: () => string;
  /** A delay that close() cuts short. */
  readonly sleep: (ms: number) => Promise<void>;
  /** The shopper's actions (complete, resolve) behind the /sandbox controls. */
  readonly checkout: CustomerCheckout;
  readonly pushes: PushDelivery;
}

const MAX_BODY_BYTES = 1024 * 1024;

interface State {
  rawBody: Buffer;
}
type Ctx = Koa.ParameterizedContext<State> & Partial<Pick<RouterContext<State>, 'params'>>;

/** Reads the body byte for byte: the signature is over exactly these bytes, so nothing may re-serialise it. */
async function readRawBody(ctx: Ctx, next: Koa.Next): Promise<void> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of ctx.req) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string);
    size += buffer.length;
    if (size > MAX_BODY_BYTES) {
      ctx.status = 413;
      ctx.body = '';
      return;
    }
    chunks.push(buffer);
  }
  ctx.state.rawBody = Buffer.concat(chunks);
  await next();
}

const sendJson = (ctx: Ctx, status: number, body: unknown): void => {
  ctx.status = status;
  ctx.type = 'application/json; charset=utf-8';
  ctx.body = JSON.stringify(body);
};

const sendEmpty = (ctx: Ctx, status: number): void => {
  ctx.status = status;
  ctx.body = '';
};

const sendQliroError = (ctx: Ctx, status: number, error: { ErrorCode: string; ErrorMessage: string }): void =>
  sendJson(ctx, status, { ErrorCode: error.ErrorCode, ErrorMessage: error.ErrorMessage, ErrorReference: randomUUID() });

const parseJsonBody = (raw: Buffer): { ok: true; value: unknown } | { ok: false } => {
  try {
    return { ok: true, value: JSON.parse(raw.toString('utf8')) };
  } catch {
    return { ok: false };
  }
};

/** The MerchantApiKey of a body, whatever the casing of the property name. */
const apiKeyOf = (body: unknown): string | undefined => {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return undefined;
  const entry = Object.entries(body).find(([k]) => k.toLowerCase() === 'merchantapikey');
  return typeof entry?.[1] === 'string' && entry[1] !== '' ? entry[1] : undefined;
};

const parseOrderId = (s: string | undefined): number | undefined =>
  s !== undefined && /^\d{1,15}$/.test(s) ? Number(s) : undefined;

export function createQliroSimulatorApp(sim: SimulatorContext): Koa<State> {
  const app = new Koa<State>();
  app.use(readRawBody);

  const merchantApi = new Router<State>({ prefix: '/checkout/merchantapi', sensitive: false });

  /** Logs the request, applies an injected fault if one is pending, then runs the real handler. */
  const operation =
    (op: SimulatedOperation, handler: (ctx: Ctx, request: SimulatedRequest) => Promise<void> | void) =>
    async (ctx: Ctx): Promise<void> => {
      const request: SimulatedRequest = {
        op,
        method: ctx.method,
        path: ctx.url,
        authorization: ctx.get('authorization') || undefined,
        rawBody: ctx.state.rawBody.toString('utf8'),
        receivedAt: sim.store.now().toISOString(),
      };
      sim.store.log(request);
      const fault = sim.faults.take(op);
      if (fault?.delayMs) await sim.sleep(fault.delayMs);
      if (fault?.status !== undefined) {
        const body = fault.body === undefined ? defaultFaultBody(fault.status) : fault.body;
        if (body === undefined) sendEmpty(ctx, fault.status);
        else if (typeof body === 'string') {
          ctx.status = fault.status;
          ctx.type = 'application/json; charset=utf-8';
          ctx.body = body;
        } else if (typeof body === 'object' && body !== null && 'ErrorCode' in body && !('ErrorReference' in body)) {
          sendQliroError(ctx, fault.status, body as { ErrorCode: string; ErrorMessage: string });
        } else sendJson(ctx, fault.status, body);
      } else {
        await handler(ctx, request);
      }
      request.status = ctx.status;
    };

  /** POST/PUT: MerchantApiKey in the body names the merchant; the token must sign the raw body. 401 empty otherwise. */
  const authenticateBody = (ctx: Ctx): { merchant: SimulatedMerchant; body: unknown } | undefined => {
    const parsed = parseJsonBody(ctx.state.rawBody);
    if (!parsed.ok) {
      sendQliroError(ctx, 400, { ErrorCode: 'INVALID_INPUT', ErrorMessage: 'Property: request, Message: The request body is not valid JSON.' });
      return undefined;
    }
    const apiKey = apiKeyOf(parsed.value);
    if (apiKey === undefined) {
      sendQliroError(ctx, 400, {
        ErrorCode: 'INVALID_INPUT',
        ErrorMessage: 'Property: MerchantApiKey, Message: The MerchantApiKey field is required.',
      });
      return undefined;
    }
    const merchant = sim.merchants.forSignedBody(apiKey, ctx.state.rawBody, ctx.get('authorization') || undefined);
    if (!merchant) {
      sendEmpty(ctx, 401);
      return undefined;
    }
    return { merchant, body: parsed.value };
  };

  /** GET: the token (sha256 of the secret) identifies the merchant. */
  const authenticateGet = (ctx: Ctx): SimulatedMerchant | undefined => {
    const merchant = sim.merchants.forGet(ctx.get('authorization') || undefined);
    if (!merchant) sendEmpty(ctx, 401);
    return merchant;
  };

  merchantApi.post(
    '/orders',
    operation('createOrder', (ctx, request) => {
      const auth = authenticateBody(ctx);
      if (!auth) return;
      const valid = checkCreateOrder(auth.body, sim.rules);
      if (!valid.ok) return sendQliroError(ctx, valid.violation.status, valid.violation);
      const created = sim.store.create(valid.value, request);
      if (!created.ok) return sendQliroError(ctx, created.status, created.violation);
      const order = created.value;
      ctx.set('Location', `${sim.baseUrl()}/checkout/merchantapi/Orders/${order.orderId}`);
      sendJson(ctx, 201, { OrderId: order.orderId, PaymentLink: paymentLinkOf(order, sim.baseUrl()) });
    }),
  );

  merchantApi.get(
    '/orders',
    operation('getOrder', (ctx) => {
      const merchant = authenticateGet(ctx);
      if (!merchant) return;
      const reference = Object.entries(ctx.query).find(([k]) => k.toLowerCase() === 'merchantreference')?.[1];
      if (typeof reference !== 'string' || reference === '') {
        return sendQliroError(ctx, 400, {
          ErrorCode: 'INVALID_INPUT',
          ErrorMessage: 'Property: merchantReference, Message: The merchantReference field is required.',
        });
      }
      const order = sim.store.findByMerchantReference(merchant.apiKey, reference);
      if (!order) return sendQliroError(ctx, 404, { ErrorCode: 'ORDER_NOT_FOUND', ErrorMessage: 'Order not found' });
      sendJson(ctx, 200, toGetOrderResponse(order, sim.baseUrl()));
    }),
  );

  merchantApi.get(
    '/orders/:orderId',
    operation('getOrder', (ctx, request) => {
      const merchant = authenticateGet(ctx);
      if (!merchant) return;
      const orderId = parseOrderId(ctx.params?.['orderId']);
      const found = orderId === undefined ? undefined : sim.store.read(orderId, merchant.apiKey, request);
      if (!found || !found.ok) {
        const error = found && !found.ok ? found : { status: 404 as const, violation: { ErrorCode: 'ORDER_NOT_FOUND', ErrorMessage: 'Order not found' } };
        return sendQliroError(ctx, error.status, error.violation);
      }
      sendJson(ctx, 200, toGetOrderResponse(found.value, sim.baseUrl()));
    }),
  );

  merchantApi.put(
    '/orders/:orderId',
    operation('updateOrder', (ctx, request) => {
      const auth = authenticateBody(ctx);
      if (!auth) return;
      const orderId = parseOrderId(ctx.params?.['orderId']);
      if (orderId === undefined || !sim.store.get(orderId)) {
        return sendQliroError(ctx, 404, { ErrorCode: 'ORDER_NOT_FOUND', ErrorMessage: 'Order not found' });
      }
      const valid = checkUpdateOrder(auth.body, sim.rules);
      if (!valid.ok) {
        sim.store.get(orderId)?.requests.push(request);
        return sendQliroError(ctx, valid.violation.status, valid.violation);
      }
      const updated = sim.store.update(orderId, valid.value, request);
      if (!updated.ok) return sendQliroError(ctx, updated.status, updated.violation);
      sendEmpty(ctx, 200);
    }),
  );

  // The web app the snippet loads (placeholder pages; not part of the Merchant API).
  const webapp = new Router<State>({ sensitive: false });
  webapp.get('/checkout/webapp/bootstrap.js', (ctx) => {
    ctx.type = 'application/javascript; charset=utf-8';
    ctx.body = BOOTSTRAP_JS;
  });
  webapp.get('/checkout/webapp/orders/:orderId', (ctx) => {
    const order = sim.store.get(parseOrderId(ctx.params['orderId']) ?? -1);
    if (!order) return sendEmpty(ctx as Ctx, 404);
    ctx.type = 'text/html; charset=utf-8';
    ctx.body = renderCheckoutPage(order);
  });
  webapp.get('/checkout/paymentlink/:orderId', (ctx) => {
    const order = sim.store.get(parseOrderId(ctx.params['orderId']) ?? -1);
    if (!order) return sendEmpty(ctx as Ctx, 404);
    ctx.type = 'text/html; charset=utf-8';
    ctx.body = renderPaymentLinkPage(order, sim.baseUrl());
  });

  // Test and demo controls; unauthenticated, local use only.
  const controls = new Router<State>({ prefix: '/sandbox' });
  const orderOr404 = (ctx: Ctx, id: string | undefined) => {
    const order = sim.store.get(parseOrderId(id) ?? -1);
    if (!order) sendJson(ctx, 404, { error: 'order not found' });
    return order;
  };
  controls.get('/orders', (ctx) => sendJson(ctx as Ctx, 200, sim.store.list().map((o) => toSandboxView(o, sim.baseUrl()))));
  controls.get('/orders/:orderId', (ctx) => {
    const order = orderOr404(ctx as Ctx, ctx.params['orderId']);
    if (order) sendJson(ctx as Ctx, 200, toSandboxView(order, sim.baseUrl()));
  });
  controls.post('/orders/:orderId/expire', (ctx) => {
    const order = orderOr404(ctx as Ctx, ctx.params['orderId']);
    if (order) sendJson(ctx as Ctx, 200, toSandboxView(sim.store.expire(order.orderId)!, sim.baseUrl()));
  });
  controls.post('/orders/:orderId/status', (ctx) => {
    const order = orderOr404(ctx as Ctx, ctx.params['orderId']);
    if (!order) return;
    const parsed = parseJsonBody(ctx.state.rawBody);
    const status = parsed.ok ? (parsed.value as { status?: unknown } | null)?.status : undefined;
    if (typeof status !== 'string' || status === '') return sendJson(ctx as Ctx, 400, { error: 'body must be {"status": "<CustomerCheckoutStatus>"}' });
    sendJson(ctx as Ctx, 200, toSandboxView(sim.store.setStatus(order.orderId, status)!, sim.baseUrl()));
  });
  const answerControl = <A>(ctx: Ctx, result: ControlResult<A>): void =>
    result.ok ? sendJson(ctx, 200, result.value) : sendJson(ctx, result.status, { error: result.error });
  const bodyOf = (ctx: Ctx): unknown => {
    const parsed = parseJsonBody(ctx.state.rawBody);
    return parsed.ok ? parsed.value : undefined;
  };
  // The shopper completes the checkout: {outcome, paymentMethod?, customer?, shippingMethod?, push?}.
  controls.post('/orders/:orderId/complete', async (ctx) => {
    const order = orderOr404(ctx as Ctx, ctx.params['orderId']);
    if (order) answerControl(ctx as Ctx, await sim.checkout.complete(order.orderId, bodyOf(ctx as Ctx)));
  });
  // Qliro ends an OnHold: {outcome: Completed|Refused, push?}.
  controls.post('/orders/:orderId/resolve', (ctx) => {
    const order = orderOr404(ctx as Ctx, ctx.params['orderId']);
    if (order) answerControl(ctx as Ctx, sim.checkout.resolve(order.orderId, bodyOf(ctx as Ctx)));
  });
  controls.get('/orders/:orderId/pushes', (ctx) => {
    const order = orderOr404(ctx as Ctx, ctx.params['orderId']);
    if (order) sendJson(ctx as Ctx, 200, order.pushAttempts);
  });
  // The next push of an order: {orderId, duplicates?, delayMs?, drop?}.
  controls.post('/push-faults', (ctx) => {
    const body = bodyOf(ctx as Ctx) as Record<string, unknown> | undefined;
    const { orderId, ...fault } = typeof body === 'object' && body !== null ? body : { orderId: undefined };
    const order = typeof orderId === 'number' ? sim.store.get(orderId) : undefined;
    if (!order) return sendJson(ctx as Ctx, 400, { error: 'body must name an existing order: {"orderId": number, …}' });
    const checked = checkPushFault(fault);
    if (!checked.ok) return sendJson(ctx as Ctx, 400, { error: `push fault ${checked.error}` });
    sim.pushes.faultNextPush(order.orderId, checked.value);
    sendEmpty(ctx as Ctx, 204);
  });
  controls.post('/fail-next', (ctx) => {
    const parsed = parseJsonBody(ctx.state.rawBody);
    const fault = parsed.ok ? (parsed.value as QliroFault | null) : null;
    const valid =
      fault !== null &&
      typeof fault === 'object' &&
      SIMULATED_OPERATIONS.includes(fault.op) &&
      (fault.status === undefined || (Number.isInteger(fault.status) && fault.status >= 100 && fault.status <= 599)) &&
      (fault.delayMs === undefined || (typeof fault.delayMs === 'number' && fault.delayMs >= 0)) &&
      (fault.status !== undefined || fault.delayMs !== undefined);
    if (!valid) {
      return sendJson(ctx as Ctx, 400, {
        error: `body must be {"op": ${SIMULATED_OPERATIONS.map((o) => `"${o}"`).join('|')}, "status"?: number, "body"?: any, "delayMs"?: number, "times"?: number} with status or delayMs`,
      });
    }
    sim.faults.add(fault);
    sendEmpty(ctx as Ctx, 204);
  });
  controls.get('/requests', (ctx) => sendJson(ctx as Ctx, 200, sim.store.requests));
  controls.post('/reset', (ctx) => {
    sim.store.reset();
    sim.faults.clear();
    sim.pushes.cancelAll();
    sendEmpty(ctx as Ctx, 204);
  });

  app.use(merchantApi.routes()).use(merchantApi.allowedMethods());
  app.use(webapp.routes());
  app.use(controls.routes()).use(controls.allowedMethods());
  return app;
}
