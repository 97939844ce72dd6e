// Qliro's client-side events, forwarded by the storefront: customer-update and shipping-option-update (Bearer).
import Router from '@koa/router';
import type { Context } from 'koa';
import type { DependencyContainer } from 'tsyringe';
import * as E from 'fp-ts/Either';
import { adapterError } from '../../domain/errors';
import type { ChannelRef } from '../../domain/channel-configuration';
import { CheckoutTelemetryToken } from '../../application/ports/checkout-telemetry';
import { UpdateCustomer } from '../../application/use-cases/update-customer';
import { UpdateShippingOption } from '../../application/use-cases/update-shipping-option';
import { decodeShippingSelection } from './shipping-selection-codec';
import { pathId, sendError } from './middleware';
import { respond } from './payment-routes';
import { CALLBACK_PREFIX } from './qliro-callback-routes';

const CHANNEL_VALUE = /^[A-Za-z0-9_.-]{1,100}$/;

/** These endpoints take merchant and channel as query parameters, like every PSP-facing route of Norce's adapters. */
function channelFromQuery(ctx: Context): ChannelRef {
  const merchant = ctx.query['merchant'];
  const channel = ctx.query['channel'];
  if (typeof merchant !== 'string' || typeof channel !== 'string' || !CHANNEL_VALUE.test(merchant) || !CHANNEL_VALUE.test(channel)) {
    throw adapterError('order-bad-request', 'query parameters merchant and channel are required (letters, digits, dot, dash, underscore)');
  }
  return { merchant, channel };
}

export function clientEventRoutes(container: DependencyContainer): Router {
  const router = new Router({ prefix: CALLBACK_PREFIX });
  const telemetry = () => container.resolve(CheckoutTelemetryToken);

  router.post('customer-update', '/customer-update', async (ctx) => {
    // The browser's event body may be masked or malformed (B23): the Qliro order is read instead, the body ignored.
    const input = { ...channelFromQuery(ctx), orderId: pathId(ctx, 'order_id'), paymentId: pathId(ctx, 'payment_id') };
    const result = await container.resolve(UpdateCustomer).execute(input)();
    telemetry().callbackHandled('customer-update', E.isLeft(result) ? 'failed' : result.right.applied.length > 0 ? 'applied' : 'no-op');
    await respond(ctx, async () => result);
  });

  router.post('shipping-option-update', '/shipping-option-update', async (ctx) => {
    const ref = channelFromQuery(ctx);
    const selection = decodeShippingSelection(ctx.request.body);
    if (E.isLeft(selection)) {
      telemetry().callbackHandled('shipping-option-update', 'rejected');
      return sendError(ctx, adapterError('order-bad-request', selection.left), 400);
    }
    const input = { ...ref, orderId: pathId(ctx, 'order_id'), paymentId: pathId(ctx, 'payment_id'), selection: selection.right };
    const result = await container.resolve(UpdateShippingOption).execute(input)();
    telemetry().callbackHandled('shipping-option-update', E.isLeft(result) ? 'failed' : 'applied');
    await respond(ctx, async () => result);
  });

  return router;
}
