// The seed's "Payments" group: create, get and remove a Qliro Checkout payment.
import Router from '@koa/router';
import type { Context } from 'koa';
import type { DependencyContainer } from 'tsyringe';
import * as E from 'fp-ts/Either';
import type { TaskEither } from 'fp-ts/TaskEither';
import type { AdapterError } from '../../domain/errors';
import { CreatePayment } from '../../application/use-cases/create-payment';
import { GetPayment } from '../../application/use-cases/get-payment';
import { RemovePayment } from '../../application/use-cases/remove-payment';
import { channelFromHeaders, pathId, resolvedOnce, sendError } from './middleware';

/** Run a use case and answer its result: 200 with the value, or the error's status and body. */
export async function respond<A>(ctx: Context, task: TaskEither<AdapterError, A>, toBody: (a: A) => unknown = (a) => a): Promise<void> {
  const result = await task();
  if (E.isLeft(result)) return sendError(ctx, result.left);
  ctx.status = 200;
  ctx.body = toBody(result.right) ?? {};
}

export function paymentRoutes(container: DependencyContainer): Router {
  const router = new Router({ prefix: '/api/checkout/v1/orders/:order_id/payments' });
  const createPayment = resolvedOnce(container, CreatePayment);
  const getPayment = resolvedOnce(container, GetPayment);
  const removePayment = resolvedOnce(container, RemovePayment);

  router.post('create-payment', '/', async (ctx) => {
    const input = { ...channelFromHeaders(ctx), orderId: pathId(ctx, 'order_id') };
    await respond(ctx, createPayment().execute(input));
  });

  router.get('get-payment', '/:payment_id', async (ctx) => {
    const input = { ...channelFromHeaders(ctx), orderId: pathId(ctx, 'order_id'), paymentId: pathId(ctx, 'payment_id') };
    await respond(ctx, getPayment().execute(input));
  });

  router.post('remove-payment', '/:payment_id/remove', async (ctx) => {
    const input = { ...channelFromHeaders(ctx), orderId: pathId(ctx, 'order_id'), paymentId: pathId(ctx, 'payment_id') };
    await respond(ctx, removePayment().execute(input), () => ({}));
  });

  return router;
}
