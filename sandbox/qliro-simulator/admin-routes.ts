// Koa routes of the simulated Qliro Admin API v2 (reference §5): signed like the Merchant API (GET: the token of the
// merchant's secret; POST: by MerchantApiKey), paths case-insensitive, failures injectable per operation.
import Router from '@koa/router';
import { authenticateBody, authenticateGet, operation, parseOrderId, sendJson, sendQliroError, type Ctx, type KitContext, type State } from './http-kit';
import type { AdminAnswer, OrderManagement } from './order-management';

export interface AdminRoutesContext extends KitContext {
  readonly admin: OrderManagement;
}

const answer = (ctx: Ctx, result: AdminAnswer): void =>
  result.ok ? sendJson(ctx, 200, result.body) : sendQliroError(ctx, result.status, result.error);

export function createAdminApiRouter(sim: AdminRoutesContext): Router<State> {
  const adminApi = new Router<State>({ prefix: '/checkout/adminapi/v2', sensitive: false });

  adminApi.get(
    '/orders/:orderId',
    operation(sim, 'adminGetOrder', (ctx) => {
      const merchant = authenticateGet(sim, ctx);
      if (!merchant) return;
      answer(ctx, sim.admin.getOrder(ctx.params?.['orderId'] ?? '', merchant.apiKey));
    }),
  );

  adminApi.get(
    '/paymentTransactions/:paymentTransactionId',
    operation(sim, 'getPaymentTransaction', (ctx) => {
      const merchant = authenticateGet(sim, ctx);
      if (!merchant) return;
      const id = parseOrderId(ctx.params?.['paymentTransactionId']);
      if (id === undefined) return sendQliroError(ctx, 404, { ErrorCode: 'NO_PAYMENT_TRANSACTION', ErrorMessage: 'Payment transaction not found' });
      answer(ctx, sim.admin.getTransaction(id, merchant.apiKey));
    }),
  );

  const write = (op: 'markItemsAsShipped' | 'returnItems' | 'cancelOrder') =>
    operation(sim, op, (ctx) => {
      const auth = authenticateBody(sim, ctx);
      if (!auth) return;
      answer(ctx, sim.admin[op](auth.merchant.apiKey, auth.body));
    });

  adminApi.post('/MarkItemsAsShipped', write('markItemsAsShipped'));
  adminApi.post('/ReturnItems', write('returnItems'));
  adminApi.post('/cancelOrder', write('cancelOrder'));
  return adminApi;
}
