// Resolve "this payment of this order" to the adapter's payment and its Qliro order, with the seed's 404s.
import * as E from 'fp-ts/Either';
import { adapterError, type AdapterError } from '../domain/errors';
import type { NorceOrder, NorcePayment } from '../domain/norce-order';
import { findPayment, isQliroPayment, qliroOrderIdOf } from '../domain/qliro-payment';

export function findQliroPayment(order: NorceOrder, paymentId: string): E.Either<AdapterError, NorcePayment> {
  const payment = findPayment(order, paymentId);
  return payment && isQliroPayment(payment)
    ? E.right(payment)
    : E.left(adapterError('payment-not-found', `Order ${order.id} has no Qliro Checkout payment ${paymentId}`));
}

export function findQliroOrderOfPayment(
  order: NorceOrder,
  paymentId: string,
): E.Either<AdapterError, { payment: NorcePayment; qliroOrderId: number }> {
  return E.chain((payment: NorcePayment) => {
    const qliroOrderId = qliroOrderIdOf(payment);
    return qliroOrderId === undefined
      ? E.left(adapterError('payment-not-found', `Payment ${paymentId} of order ${order.id} has no Qliro order (state ${payment.state})`))
      : E.right({ payment, qliroOrderId });
  })(findQliroPayment(order, paymentId));
}
