// GET /api/checkout/v1/orders/{order_id}/payments/{payment_id} — the checkout (or thank-you) snippet again.
import { inject, injectable } from 'tsyringe';
import * as TE from 'fp-ts/TaskEither';
import { pipe } from 'fp-ts/function';
import type { AdapterError } from '../../domain/errors';
import type { ChannelRef } from '../../domain/channel-configuration';
import { NorceOrderRepositoryToken, type NorceOrderRepository } from '../ports/norce-order-repository';
import { ConfigurationRepositoryToken, type ConfigurationRepository } from '../ports/configuration-repository';
import { QliroGatewayToken, type QliroGateway } from '../ports/qliro-gateway';
import { credentialsOf } from '../checkout-support';
import { findQliroOrderOfPayment } from '../find-qliro-payment';
import type { CheckoutSnippet } from './create-payment';

export interface PaymentInput extends ChannelRef {
  readonly orderId: string;
  readonly paymentId: string;
}

@injectable()
export class GetPayment {
  constructor(
    @inject(NorceOrderRepositoryToken) private readonly norce: NorceOrderRepository,
    @inject(ConfigurationRepositoryToken) private readonly configurations: ConfigurationRepository,
    @inject(QliroGatewayToken) private readonly qliro: QliroGateway,
  ) {}

  execute(input: PaymentInput): TE.TaskEither<AdapterError, CheckoutSnippet> {
    return pipe(
      TE.Do,
      TE.apS('config', this.configurations.get(input)),
      TE.apS('order', this.norce.getOrder(input, input.orderId)),
      TE.bindW('found', ({ order }) => TE.fromEither(findQliroOrderOfPayment(order, input.paymentId))),
      TE.chain(({ config, found }) => this.qliro.getOrder(credentialsOf(config), found.qliroOrderId)),
      TE.map((q) => ({ paymentId: input.paymentId, htmlSnippet: q.OrderHtmlSnippet })),
    );
  }
}
