// The seed's "Order Management" group: refresh, capture, cancel, refund (Bearer, x-merchant, x-channel).
import Router from '@koa/router';
import type { DependencyContainer } from 'tsyringe';
import { CapturePayment } from '../../application/use-cases/capture-payment';
import { CancelPayment } from '../../application/use-cases/cancel-payment';
import { RefundPayment } from '../../application/use-cases/refund-payment';
import { RefreshPayment } from '../../application/use-cases/refresh-payment';
import { adapterError } from '../../domain/errors';
import { channelFromHeaders, pathId } from './middleware';
import { respond } from './payment-routes';

/**
 * Partial capture/refund bodies (`{items}`, `{amount}`) are not supported yet. Refusing them is the safe side: ignoring
 * one would capture or refund everything when the caller meant a part (B33).
 */
function noPartialOperation(body: unknown): Record<string, never> {
  const empty = body === undefined || body === null || (typeof body === 'object' && Object.keys(body as object).length === 0);
  if (!empty) throw adapterError('order-bad-request', 'partial capture/refund is not supported: send no body to capture, cancel or refund everything');
  return {};
}

export function orderManagementRoutes(container: DependencyContainer): Router {
  const router = new Router({ prefix: '/api/order/v1/orders/:order_id/payments/:payment_id' });
  const input = (ctx: Parameters<Parameters<typeof router.post>[2]>[0]) => ({
    ...channelFromHeaders(ctx),
    ...noPartialOperation(ctx.request.body),
    orderId: pathId(ctx, 'order_id'),
    paymentId: pathId(ctx, 'payment_id'),
  });
  router.post('refresh-payment', '/refresh', async (ctx) => respond(ctx, container.resolve(RefreshPayment).execute(input(ctx))));
  router.post('capture-payment', '/capture', async (ctx) => respond(ctx, container.resolve(CapturePayment).execute(input(ctx))));
  router.post('cancel-payment', '/cancel', async (ctx) => respond(ctx, container.resolve(CancelPayment).execute(input(ctx))));
  router.post('refund-payment', '/refund', async (ctx) => respond(ctx, container.resolve(RefundPayment).execute(input(ctx))));
  return router;
}
