import type { InjectionToken } from 'tsyringe';
import type { TaskEither } from 'fp-ts/TaskEither';
import type { AdapterError } from '../../domain/errors';
import type { QliroCredentials } from '../../domain/qliro-order';
import type {
  CancelOrderRequest,
  MarkItemsAsShippedRequest,
  QliroAdminOrder,
  QliroPaymentTransaction,
  ReturnItemsRequest,
  StartedTransactions,
} from '../../domain/qliro-admin';

/**
 * Qliro Admin API v2 (`{apiUrl}/checkout/adminapi/v2/...`), signed like the Merchant API, `MerchantApiKey` in every
 * POST body. Writes answer at once with transactions in `Created`; their outcome arrives on the order-management push.
 * A reused `RequestId` is denied by Qliro (not replayed), so callers derive it per operation attempt and re-read first.
 * Errors as the Merchant gateway: 4xx → `qliro-bad-request`/`qliro-validation`/`qliro-order-not-found` with `qliroError`;
 * 5xx, timeout, network → `qliro-error` transient.
 */
export interface QliroAdminGateway {
  getOrder(credentials: QliroCredentials, orderId: number): TaskEither<AdapterError, QliroAdminOrder>;
  getPaymentTransaction(credentials: QliroCredentials, paymentTransactionId: number): TaskEither<AdapterError, QliroPaymentTransaction>;
  markItemsAsShipped(credentials: QliroCredentials, request: MarkItemsAsShippedRequest): TaskEither<AdapterError, StartedTransactions>;
  returnItems(credentials: QliroCredentials, request: ReturnItemsRequest): TaskEither<AdapterError, StartedTransactions>;
  cancelOrder(credentials: QliroCredentials, request: CancelOrderRequest): TaskEither<AdapterError, StartedTransactions>;
}

export const QliroAdminGatewayToken: InjectionToken<QliroAdminGateway> = Symbol('QliroAdminGateway');
