// POST …/payments/{payment_id}/remove — soft-delete the payment and its shippings, delete its hooks.
import { inject, injectable } from 'tsyringe';
import * as TE from 'fp-ts/TaskEither';
import { pipe } from 'fp-ts/function';
import { adapterError, type AdapterError } from '../../domain/errors';
import type { ChannelRef } from '../../domain/channel-configuration';
import { ADAPTER_ID, type NorceOrder, type NorcePayment } from '../../domain/norce-order';
import { isRemovable, qliroOrderIdOf } from '../../domain/qliro-payment';
import { ConfigurationRepositoryToken, type ConfigurationRepository } from '../ports/configuration-repository';
import { QliroGatewayToken, type QliroGateway } from '../ports/qliro-gateway';
import { OrderLock, OrderLockToken } from '../order-lock';
import { credentialsOf } from '../checkout-support';
import { NorceOrderRepositoryToken, type NorceOrderRepository } from '../ports/norce-order-repository';
import { findQliroPayment } from '../find-qliro-payment';
import type { PaymentInput } from './get-payment';

@injectable()
export class RemovePayment {
  constructor(
    @inject(NorceOrderRepositoryToken) private readonly norce: NorceOrderRepository,
    @inject(ConfigurationRepositoryToken) private readonly configurations: ConfigurationRepository,
    @inject(QliroGatewayToken) private readonly qliro: QliroGateway,
    @inject(OrderLockToken) private readonly lock: OrderLock,
  ) {}

  /** Under the order's lock, so a validation or push of the same order cannot interleave with it. */
  execute(input: PaymentInput): TE.TaskEither<AdapterError, void> {
    return this.lock.run(input.orderId, this.removeOnce(input));
  }

  private removeOnce(input: PaymentInput): TE.TaskEither<AdapterError, void> {
    return pipe(
      this.norce.getOrder(input, input.orderId),
      TE.chain((order) =>
        pipe(
          TE.fromEither(findQliroPayment(order, input.paymentId)),
          TE.chain((payment) =>
            isRemovable(payment)
              ? pipe(this.assertQliroNotBuying(input, payment), TE.chain(() => this.remove(input, order, payment)))
              : TE.left(
                  adapterError(
                    'payment-conflict',
                    `Payment ${payment.id} is ${payment.state}: money is reserved or moving, so it cannot be removed (cancel or refund it instead)`,
                  ),
                ),
          ),
        ),
      ),
    );
  }

  /**
   * The shopper may be paying in another tab: once Qliro's order left InProcess, money is (or is about to be)
   * reserved, and removing the payment would hide it from Norce (BEHAVIOUR §5: 409 when money is reserved).
   */
  private assertQliroNotBuying(ref: PaymentInput, payment: NorcePayment): TE.TaskEither<AdapterError, void> {
    const qliroOrderId = qliroOrderIdOf(payment);
    if (payment.state === 'removed' || qliroOrderId === undefined) return TE.right(undefined);
    return pipe(
      this.configurations.get(ref),
      TE.chain((config) => this.qliro.getOrder(credentialsOf(config), qliroOrderId)),
      TE.chain((q) =>
        q.CustomerCheckoutStatus.toLowerCase() === 'inprocess'
          ? TE.right(undefined)
          : TE.left(adapterError('payment-conflict', `the Qliro purchase is ${q.CustomerCheckoutStatus}: money is reserved, so the payment cannot be removed (cancel it instead)`)),
      ),
      // A Qliro order that no longer exists (or expired) holds no money.
      TE.orElse((e) => (e.code === 'qliro-order-not-found' || e.code === 'qliro-order-expired' ? TE.right(undefined) : TE.left(e))),
    );
  }

  /** Each step is skipped when already done, so a repeated or resumed remove finishes the job. */
  private remove(ref: ChannelRef, order: NorceOrder, payment: NorcePayment): TE.TaskEither<AdapterError, void> {
    const ourShippings = (order.shippings ?? []).filter((s) => s.adapterId === ADAPTER_ID && s.state !== 'removed' && s.id);
    const ourHooks = (order.hooks ?? []).filter(
      (h) => h.adapterId === ADAPTER_ID && h.invoke.includes(`/payments/${encodeURIComponent(payment.id)}/`),
    );
    return pipe(
      payment.state === 'removed'
        ? TE.right(undefined)
        : pipe(
            this.norce.updatePayment(ref, order.id, { ...payment, state: 'removed' }),
            TE.chain(() =>
              this.norce.addTransaction(ref, order.id, payment.id, {
                event: 'cancel',
                pspEvent: 'Remove',
                pspStatus: 'removed',
                amount: payment.amount,
                isSuccess: true,
              }),
            ),
          ),
      TE.chain(() =>
        TE.traverseSeqArray((s: (typeof ourShippings)[number]) =>
          this.norce.updateShipping(ref, order.id, { ...s, id: s.id as string, state: 'removed' }),
        )(ourShippings),
      ),
      TE.chain(() => TE.traverseSeqArray((h: (typeof ourHooks)[number]) => this.norce.deleteHook(ref, order.id, h.id))(ourHooks)),
      TE.map(() => undefined),
    );
  }
}
