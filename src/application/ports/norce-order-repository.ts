import type { InjectionToken } from 'tsyringe';
import type { TaskEither } from 'fp-ts/TaskEither';
import type { AdapterError } from '../../domain/errors';
import type { ChannelRef } from '../../domain/channel-configuration';
import type {
  NewNorceHook,
  NewNorcePayment,
  NewNorceShipping,
  NewPaymentTransaction,
  NorceAddress,
  NorceOrder,
  NorcePayment,
  NorcePaymentAction,
  NorceShipping,
  OrderStatus,
} from '../../domain/norce-order';

/**
 * NCO Order API v0. Every write carries `x-adapterid: qliro_checkout_adapter`, so NCO does not
 * call this adapter's own hooks for its own writes. Errors: `order-not-found` (404),
 * `payment-not-found`, `order-conflict` (409), `order-error` (transient: 5xx, timeout, network).
 */
export interface NorceOrderRepository {
  getOrder(ref: ChannelRef, orderId: string): TaskEither<AdapterError, NorceOrder>;
  getPayment(ref: ChannelRef, orderId: string, paymentId: string): TaskEither<AdapterError, NorcePayment>;
  /** POST …/payments → the new payment id. */
  createPayment(ref: ChannelRef, orderId: string, payment: NewNorcePayment): TaskEither<AdapterError, string>;
  /** PUT …/payments/{id} with the whole payment (how state, amount, reference and attributes change). */
  updatePayment(ref: ChannelRef, orderId: string, payment: NorcePayment): TaskEither<AdapterError, NorcePayment>;
  addTransaction(
    ref: ChannelRef,
    orderId: string,
    paymentId: string,
    transaction: NewPaymentTransaction,
  ): TaskEither<AdapterError, void>;
  addPaymentActions(
    ref: ChannelRef,
    orderId: string,
    paymentId: string,
    actions: readonly Omit<NorcePaymentAction, 'id'>[],
  ): TaskEither<AdapterError, void>;
  /** POST …/hooks → the new hook id. */
  addHook(ref: ChannelRef, orderId: string, hook: NewNorceHook): TaskEither<AdapterError, string>;
  deleteHook(ref: ChannelRef, orderId: string, hookId: string): TaskEither<AdapterError, void>;
  /** POST …/shippings → the new shipping id. */
  createShipping(ref: ChannelRef, orderId: string, shipping: NewNorceShipping): TaskEither<AdapterError, string>;
  updateShipping(ref: ChannelRef, orderId: string, shipping: NorceShipping & { id: string }): TaskEither<AdapterError, void>;
  putCustomerBilling(ref: ChannelRef, orderId: string, address: NorceAddress): TaskEither<AdapterError, void>;
  putCustomerShipping(ref: ChannelRef, orderId: string, address: NorceAddress): TaskEither<AdapterError, void>;
  putState(ref: ChannelRef, orderId: string, status: OrderStatus): TaskEither<AdapterError, void>;
}

export const NorceOrderRepositoryToken: InjectionToken<NorceOrderRepository> = Symbol('NorceOrderRepository');
