// NCO's hooks: cart-changed (also served as update-payment, the newer name) and state-changed. Body = proposed order.
import Router from '@koa/router';
import type { Context } from 'koa';
import type { DependencyContainer } from 'tsyringe';
import * as E from 'fp-ts/Either';
import type { TaskEither } from 'fp-ts/TaskEither';
import { adapterError, type AdapterError } from '../../domain/errors';
import type { NorceOrder } from '../../domain/norce-order';
import { CheckoutTelemetryToken, type CallbackType } from '../../application/ports/checkout-telemetry';
import { HandleCartChanged, type PatchOperation } from '../../application/use-cases/handle-cart-changed';
import { HandleStateChanged } from '../../application/use-cases/handle-state-changed';
import { NorceOrderCodec, decodeWith } from '../norce/codecs';
import { channelFromHeaders, pathId, resolvedOnce, sendError } from './middleware';
import { statusFor } from './error-response';
import { CALLBACK_PREFIX } from './qliro-callback-routes';

type HookInput = { merchant: string; channel: string; orderId: string; paymentId: string; proposed: NorceOrder };

/** NCO only tells 2xx (go on, apply the patch) from anything else (block the change): a refusal is a 400. */
function sendHookError(ctx: Context, error: AdapterError): void {
  const status = statusFor(error);
  sendError(ctx, error, status === 409 ? 400 : status);
}

export function norceHookRoutes(container: DependencyContainer): Router {
  const router = new Router({ prefix: CALLBACK_PREFIX });
  const telemetry = resolvedOnce(container, CheckoutTelemetryToken);
  const cartChangedCase = resolvedOnce(container, HandleCartChanged);
  const stateChangedCase = resolvedOnce(container, HandleStateChanged);

  const hook = (type: CallbackType, run: (input: HookInput) => TaskEither<AdapterError, PatchOperation[]>) => async (ctx: Context) => {
    const ref = channelFromHeaders(ctx);
    const proposed = decodeWith(NorceOrderCodec, ctx.request.body);
    if (E.isLeft(proposed)) {
      telemetry().callbackHandled(type, 'rejected');
      return sendError(ctx, adapterError('order-bad-request', `hook body must be the proposed Norce order: ${proposed.left}`), 400);
    }
    const orderId = pathId(ctx, 'order_id');
    if (proposed.right.id !== orderId) {
      telemetry().callbackHandled(type, 'rejected');
      return sendError(ctx, adapterError('order-bad-request', `hook body is order ${proposed.right.id}, the URL names order ${orderId}`), 400);
    }
    const result = await run({ ...ref, orderId, paymentId: pathId(ctx, 'payment_id'), proposed: proposed.right })();
    if (E.isLeft(result)) {
      telemetry().callbackHandled(type, result.left.transient ? 'failed' : 'rejected');
      return sendHookError(ctx, result.left);
    }
    telemetry().callbackHandled(type, result.right.length > 0 ? 'applied' : 'no-op');
    ctx.status = 200;
    ctx.body = result.right;
  };

  const cartChanged = hook('cart-changed', (input) => cartChangedCase().execute(input));
  router.post('cart-changed', '/cart-changed', cartChanged);
  router.post('update-payment', '/update-payment', cartChanged);
  router.post('state-changed', '/state-changed', hook('state-changed', (input) => stateChangedCase().execute(input)));
  return router;
}
