// The seed's "Order Management" group: refresh, capture, cancel, refund (Bearer, x-merchant, x-channel).
import Router from '@koa/router';
import type { DependencyContainer } from 'tsyringe';
import { CapturePayment } from '../../application/use-cases/capture-payment';
import { CancelPayment } from '../../application/use-cases/cancel-payment';
import { RefundPayment } from '../../application/use-cases/refund-payment';
import { RefreshPayment } from '../../application/use-cases/refresh-payment';
import { channelFromHeaders, pathId } from './middleware';
import { respond } from './payment-routes';

export function orderManagementRoutes(container: DependencyContainer): Router {
  const router = new Router({ prefix: '/api/order/v1/orders/:order_id/payments/:payment_id' });
  const input = (ctx: Parameters<Parameters<typeof router.post>[2]>[0]) => ({
    ...channelFromHeaders(ctx),
    orderId: pathId(ctx, 'order_id'),
    paymentId: pathId(ctx, 'payment_id'),
  });
  router.post('refresh-payment', '/refresh', async (ctx) => respond(ctx, container.resolve(RefreshPayment).execute(input(ctx))));
  router.post('capture-payment', '/capture', async (ctx) => respond(ctx, container.resolve(CapturePayment).execute(input(ctx))));
  router.post('cancel-payment', '/cancel', async (ctx) => respond(ctx, container.resolve(CancelPayment).execute(input(ctx))));
  router.post('refund-payment', '/refund', async (ctx) => respond(ctx, container.resolve(RefundPayment).execute(input(ctx))));
  return router;
}
