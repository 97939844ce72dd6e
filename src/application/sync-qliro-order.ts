// Bring a Qliro order (while InProcess) back to the lines the current Norce order gives.
import * as TE from 'fp-ts/TaskEither';
import { pipe } from 'fp-ts/function';
import type { AdapterError } from '../domain/errors';
import type { QliroChannelConfiguration } from '../domain/channel-configuration';
import type { NorceOrder } from '../domain/norce-order';
import { toQliroOrderLines } from '../domain/qliro-order-lines';
import type { QliroGateway } from './ports/qliro-gateway';
import { credentialsOf, qliroOwnsShipping } from './checkout-support';

/**
 * UpdateOrder with the current lines. Used where Qliro may hold lines Norce never committed (our cart hook updated
 * Qliro, then another adapter's hook vetoed the change): without it the shopper's checkout would be declined forever.
 * A Qliro order that is no longer InProcess (or expired) is left as it is.
 */
export function syncQliroOrder(
  qliro: QliroGateway,
  config: QliroChannelConfiguration,
  order: NorceOrder,
  paymentId: string,
  qliroOrderId: number,
): TE.TaskEither<AdapterError, void> {
  return pipe(
    TE.fromEither(toQliroOrderLines(order, { mapDiscountPerRow: config.mapDiscountPerRow, qliroOwnsShipping: qliroOwnsShipping(config) }, paymentId)),
    TE.chain((mapped) => qliro.updateOrder(credentialsOf(config), qliroOrderId, { OrderItems: mapped.lines })),
    TE.orElse((e) => (e.code === 'qliro-bad-request' || e.code === 'qliro-order-expired' ? TE.right(undefined) : TE.left(e))),
  );
}
