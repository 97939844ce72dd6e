// What the order-management use cases share: the operations recorded on the payment, and loading the context.
import { createHash } from 'node:crypto';
import { adapterError } from '../domain/errors';
import type { ChannelRef, QliroChannelConfiguration } from '../domain/channel-configuration';
import type { NorceOrder, NorcePayment } from '../domain/norce-order';
import { qliroOrderIdOf } from '../domain/qliro-payment';
import { operationRequestId, type Operation, type StartedOperation } from '../domain/order-management';
import type { NorceOrderRepository } from './ports/norce-order-repository';
import type { ConfigurationRepository } from './ports/configuration-repository';
import { findQliroPayment } from './find-qliro-payment';
import { fail, step } from './steps';

export interface PaymentContext {
  readonly config: QliroChannelConfiguration;
  readonly order: NorceOrder;
  readonly payment: NorcePayment;
  readonly qliroOrderId: number;
}

export async function loadPaymentContext(
  norce: NorceOrderRepository,
  configurations: ConfigurationRepository,
  ref: ChannelRef & { orderId: string; paymentId: string },
): Promise<PaymentContext> {
  const [config, order] = await Promise.all([step(configurations.get(ref)), step(norce.getOrder(ref, ref.orderId))]);
  const payment = await step(async () => findQliroPayment(order, ref.paymentId));
  const qliroOrderId = qliroOrderIdOf(payment);
  if (qliroOrderId === undefined) fail(adapterError('payment-conflict', `payment ${payment.id} has no Qliro order (state ${payment.state})`));
  return { config, order, payment, qliroOrderId };
}

/** The Admin transactions this adapter started, as recorded in the payment's attributes. */
export function startedOperations(payment: NorcePayment): StartedOperation[] {
  const raw = payment.attributes?.['qliroOperations'];
  return Array.isArray(raw) ? (raw.filter((o) => o && typeof o === 'object' && typeof o.paymentTransactionId === 'number') as StartedOperation[]) : [];
}

export function withOperations(payment: NorcePayment, operations: readonly StartedOperation[]): NorcePayment {
  return { ...payment, attributes: { ...(payment.attributes ?? {}), qliroOperations: operations } };
}

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

/**
 * The RequestId of the next attempt of `operation`: one more than the attempts already recorded, plus `unrecorded`
 * (finished attempts Qliro's ledger shows that were never recorded on the payment).
 */
export const nextRequestId = (payment: NorcePayment, operation: Operation, unrecorded = 0): string =>
  operationRequestId(sha256, payment.id, operation, startedOperations(payment).filter((o) => o.operation === operation).length + unrecorded);
