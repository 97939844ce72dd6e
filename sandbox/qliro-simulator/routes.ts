// Koa routes of the simulated Qliro: Merchant API and Admin API (signed), the checkout web app placeholder, and
// /sandbox controls.
import type { CustomerInput } from './test-identity';
import Koa from 'koa';
import Router from '@koa/router';
import { checkCreateOrder, checkUpdateOrder, type RuleOptions } from './rules';
import { SIMULATED_OPERATIONS, type FaultQueue, type QliroFault } from './faults';
import type { MerchantDirectory } from './signature';
import type { QliroSimulatorStore, SimulatedOperation, SimulatedRequest } from './store';
import { paymentLinkOf, toGetOrderResponse, toSandboxView } from './order-response';
import { BOOTSTRAP_JS } from './snippet';
import { renderCheckoutPage, renderPaymentLinkPage } from './webapp';
import type { ControlResult, CustomerCheckout } from './checkout-flow';
import { checkPushFault, type PushDelivery, type PushKind } from './push-delivery';
import { createAdminApiRouter } from './admin-routes';
import type { OrderManagement } from './order-management';
import {
  authenticateBody as kitAuthenticateBody,
  authenticateGet as kitAuthenticateGet,
  operation as kitOperation,
  parseJsonBody,
  parseOrderId,
  readRawBody,
  sendEmpty,
  sendJson,
  sendQliroError,
  type Ctx,
  type State,
} from './http-kit';

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
  /** The Admin API's ledgers, transaction outcomes and order-management pushes. */
  readonly admin: OrderManagement;
}

const PUSH_KINDS: readonly PushKind[] = ['CheckoutStatus', 'OrderManagementStatus'];

export function createQliroSimulatorApp(sim: SimulatorContext): Koa<State> {
  const app = new Koa<State>();
  app.use(readRawBody);

  const merchantApi = new Router<State>({ prefix: '/checkout/merchantapi', sensitive: false });

  const operation = (op: SimulatedOperation, handler: (ctx: Ctx, request: SimulatedRequest) => Promise<void> | void) => kitOperation(sim, op, handler);
  const authenticateBody = (ctx: Ctx) => kitAuthenticateBody(sim, ctx);
  const authenticateGet = (ctx: Ctx) => kitAuthenticateGet(sim, ctx);

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
  // The shopper identifies in the checkout: {customer?} (default: Qliro's test identity of the order's country).
  controls.post('/orders/:orderId/identify', (ctx) => {
    const order = orderOr404(ctx as Ctx, ctx.params['orderId']);
    const body = bodyOf(ctx as Ctx) as { customer?: CustomerInput } | undefined;
    if (order) answerControl(ctx as Ctx, sim.checkout.identify(order.orderId, body?.customer));
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
  // The next push of an order: {orderId, kind?: CheckoutStatus (default) | OrderManagementStatus, duplicates?, delayMs?, drop?}.
  controls.post('/push-faults', (ctx) => {
    const body = bodyOf(ctx as Ctx) as Record<string, unknown> | undefined;
    const { orderId, kind: rawKind, ...fault } = typeof body === 'object' && body !== null ? body : { orderId: undefined, kind: undefined };
    const order = typeof orderId === 'number' ? sim.store.get(orderId) : undefined;
    if (!order) return sendJson(ctx as Ctx, 400, { error: 'body must name an existing order: {"orderId": number, …}' });
    const kind = rawKind === undefined ? 'CheckoutStatus' : PUSH_KINDS.find((k) => typeof rawKind === 'string' && k.toLowerCase() === rawKind.toLowerCase());
    if (!kind) return sendJson(ctx as Ctx, 400, { error: `kind must be ${PUSH_KINDS.map((k) => `"${k}"`).join(' or ')}` });
    const checked = checkPushFault(fault);
    if (!checked.ok) return sendJson(ctx as Ctx, 400, { error: `push fault ${checked.error}` });
    sim.pushes.faultNextPush(order.orderId, checked.value, kind);
    sendEmpty(ctx as Ctx, 204);
  });
  // Order management: the Admin ledger, outcome faults, Qliro's own reversals, held outcomes, the OM push log.
  controls.get('/orders/:orderId/ledger', (ctx) => {
    const order = orderOr404(ctx as Ctx, ctx.params['orderId']);
    if (!order) return;
    const ledger = sim.admin.getOrder(String(order.orderId), order.merchantApiKey);
    sendJson(ctx as Ctx, 200, ledger.ok ? ledger.body : ledger.error);
  });
  controls.post('/orders/:orderId/fail-next-outcome', (ctx) => {
    const order = orderOr404(ctx as Ctx, ctx.params['orderId']);
    if (order) answerControl(ctx as Ctx, sim.admin.failNextOutcome(order.orderId, bodyOf(ctx as Ctx)));
  });
  controls.post('/orders/:orderId/reverse', (ctx) => {
    const order = orderOr404(ctx as Ctx, ctx.params['orderId']);
    if (order) answerControl(ctx as Ctx, sim.admin.reverse(order.orderId, bodyOf(ctx as Ctx)));
  });
  controls.post('/orders/:orderId/flush-outcomes', (ctx) => {
    const order = orderOr404(ctx as Ctx, ctx.params['orderId']);
    if (order) sendJson(ctx as Ctx, 200, { orderId: order.orderId, flushed: sim.admin.flushOutcomes(order.orderId) });
  });
  controls.get('/orders/:orderId/om-pushes', (ctx) => {
    const order = orderOr404(ctx as Ctx, ctx.params['orderId']);
    if (order) sendJson(ctx as Ctx, 200, sim.admin.pushesOf(order.orderId));
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
      (fault.reset === undefined || typeof fault.reset === 'boolean') &&
      (fault.status !== undefined || fault.delayMs !== undefined || fault.reset === true);
    if (!valid) {
      return sendJson(ctx as Ctx, 400, {
        error: `body must be {"op": ${SIMULATED_OPERATIONS.map((o) => `"${o}"`).join('|')}, "status"?: number, "body"?: any, "delayMs"?: number, "reset"?: boolean, "times"?: number} with status, delayMs or reset`,
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
    sim.admin.reset();
    sendEmpty(ctx as Ctx, 204);
  });

  app.use(merchantApi.routes()).use(merchantApi.allowedMethods());
  const adminApi = createAdminApiRouter(sim);
  app.use(adminApi.routes()).use(adminApi.allowedMethods());
  app.use(webapp.routes());
  app.use(controls.routes()).use(controls.allowedMethods());
  return app;
}
