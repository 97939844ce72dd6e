// Qliro's server callbacks: validate and checkout-status push. Authenticated by the signed token in the URL.
import Router from '@koa/router';
import type { Context, Next } from 'koa';
import type { DependencyContainer } from 'tsyringe';
import * as E from 'fp-ts/Either';
import type * as t from 'io-ts';
import type { TaskEither } from 'fp-ts/TaskEither';
import { adapterError, type AdapterError } from '../../domain/errors';
import { CallbackTokensToken } from '../../application/tokens';
import { CheckoutTelemetryToken, type CallbackType } from '../../application/ports/checkout-telemetry';
import { ValidateOrder, type ValidationDecision } from '../../application/use-cases/validate-order';
import { HandleCheckoutStatusPush, type PushResult } from '../../application/use-cases/handle-checkout-status-push';
import { QliroCheckoutStatusPushCodec, QliroOrderManagementPushCodec, QliroValidationRequestCodec } from '../qliro/callback-codecs';
import { HandleOrderManagementPush } from '../../application/use-cases/handle-order-management-push';
import { decodeWith } from '../qliro/codecs';
import { jsonBody, pathId, resolvedOnce, sendError } from './middleware';
import { statusFor } from './error-response';

type PushInput<P> = { merchant: string; channel: string; orderId: string; paymentId: string; push: P };

export const CALLBACK_PREFIX = '/api/checkout/v1/callback/orders/:order_id/payments/:payment_id';

/** The callback's subject from the URL; 401 (touching nothing) unless its token is the one we signed. */
export function callbackAuth(container: DependencyContainer, type: CallbackType) {
  const tokens = resolvedOnce(container, CallbackTokensToken);
  const telemetry = resolvedOnce(container, CheckoutTelemetryToken);
  return async (ctx: Context, next: Next) => {
    const q = ctx.query as Record<string, string | string[] | undefined>;
    const one = (v: string | string[] | undefined) => (typeof v === 'string' ? v : undefined);
    const merchant = one(q['merchant']);
    const channel = one(q['channel']);
    const subject = merchant && channel ? { merchant, channel, orderId: ctx.params['order_id'] ?? '', paymentId: ctx.params['payment_id'] ?? '' } : undefined;
    if (!subject || !tokens().verify(subject, one(q['token']))) {
      telemetry().callbackHandled(type, 'unauthorized');
      return sendError(ctx, adapterError('unauthorized', 'the callback URL token is missing or not valid for this order'), 401);
    }
    ctx.state['channel'] = { merchant, channel };
    await next();
  };
}

/** Qliro retries anything but 200: a transient failure is a 500 (retry later), a permanent one a 4xx. */
function sendCallbackError(ctx: Context, error: AdapterError): void {
  sendError(ctx, error, error.transient ? 500 : statusFor(error));
}

export function qliroCallbackRoutes(container: DependencyContainer): Router {
  const router = new Router({ prefix: CALLBACK_PREFIX });
  const telemetry = resolvedOnce(container, CheckoutTelemetryToken);
  const validateOrder = resolvedOnce(container, ValidateOrder);
  const checkoutPush = resolvedOnce(container, HandleCheckoutStatusPush);
  const orderManagementPush = resolvedOnce(container, HandleOrderManagementPush);

  router.post('qliro-validate', '/validate', callbackAuth(container, 'validate'), jsonBody(), async (ctx) => {
    const request = decodeWith(QliroValidationRequestCodec, ctx.request.body);
    if (E.isLeft(request)) {
      telemetry().callbackHandled('validate', 'rejected');
      ctx.status = 400;
      ctx.body = { declineReason: 'Other', declineReasonMessage: 'We could not read the order. Please try again.' };
      return;
    }
    const input = { ...ctx.state['channel'], orderId: pathId(ctx, 'order_id'), paymentId: pathId(ctx, 'payment_id'), request: request.right };
    // ValidateOrder never fails: every problem is a decline.
    const { right: result } = (await validateOrder().execute(input)()) as E.Right<ValidationDecision>;
    telemetry().callbackHandled('validate', result.approved ? 'applied' : 'declined');
    if (result.approved) {
      ctx.status = 200;
      ctx.body = {};
      return;
    }
    ctx.state['logNote'] = `validation declined: ${result.detail}`; // for operators; the shopper sees `message`
    ctx.status = 400;
    ctx.body = { declineReason: result.reason, declineReasonMessage: result.message.slice(0, 150) };
  });

  /** A Qliro push: decode, run, and answer `received` only once Norce holds the result. */
  const push = <P>(type: 'push' | 'status', codec: t.Type<P, unknown, unknown>, needs: string, run: (input: PushInput<P>) => TaskEither<AdapterError, PushResult>) =>
    async (ctx: Context) => {
      const body = decodeWith(codec, ctx.request.body);
      if (E.isLeft(body)) {
        telemetry().callbackHandled(type, 'rejected');
        return sendError(ctx, adapterError('order-bad-request', `${type} body must carry ${needs} (${body.left})`), 400);
      }
      const result = await run({ ...ctx.state['channel'], orderId: pathId(ctx, 'order_id'), paymentId: pathId(ctx, 'payment_id'), push: body.right })();
      if (E.isLeft(result)) {
        telemetry().callbackHandled(type, result.left.transient ? 'retry' : 'rejected');
        return sendCallbackError(ctx, result.left);
      }
      telemetry().callbackHandled(type, result.right.outcome);
      ctx.status = 200;
      ctx.body = { callbackResponse: 'received' };
    };

  router.post('qliro-push', '/push', callbackAuth(container, 'push'), jsonBody(),
    push('push', QliroCheckoutStatusPushCodec, 'the Qliro OrderId', (input) => checkoutPush().execute(input)));
  router.post('qliro-status', '/status', callbackAuth(container, 'status'), jsonBody(),
    push('status', QliroOrderManagementPushCodec, 'OrderId and PaymentTransactionId', (input) => orderManagementPush().execute(input)));

  return router;
}
