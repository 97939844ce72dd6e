// The Qliro Admin API v2 over HTTP (order management): signed like the Merchant API, answers decoded, failures mapped.
import type { TaskEither } from 'fp-ts/TaskEither';
import { isLeft } from 'fp-ts/Either';
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
import type { QliroAdminGateway } from '../../application/ports/qliro-admin-gateway';
import { QliroAdminOrderCodec, QliroPaymentTransactionCodec, QliroStartedTransactionsCodec } from './admin-codecs';
import { QliroHttpClient, type QliroHttpOptions } from './qliro-http';

/** Operation names as they appear in errors, logs and the upstream metrics (`adminGetOrder` ≠ the Merchant API's `getOrder`). */
export type QliroAdminOperation = 'adminGetOrder' | 'getPaymentTransaction' | 'markItemsAsShipped' | 'returnItems' | 'cancelOrder';

export type HttpQliroAdminGatewayOptions = QliroHttpOptions;

const ADMIN_API = '/checkout/adminapi/v2';

/**
 * `GET {apiUrl}/checkout/adminapi/v2/orders/{id}`, `POST …/MarkItemsAsShipped`, `…/ReturnItems`, `…/cancelOrder`,
 * `GET …/paymentTransactions/{id}`. POST bodies are `{MerchantApiKey, ...request}`, signed over the exact bytes sent;
 * GETs sign the empty string and are retried once after a transient failure; POSTs are never retried (a retry needs a
 * new RequestId and a fresh look at the ledger, which is the caller's business).
 */
export class HttpQliroAdminGateway implements QliroAdminGateway {
  private readonly http: QliroHttpClient;

  constructor(options: HttpQliroAdminGatewayOptions) {
    this.http = new QliroHttpClient(options, ADMIN_API);
  }

  getOrder(credentials: QliroCredentials, orderId: number): TaskEither<AdapterError, QliroAdminOrder> {
    return async () => {
      const answer = await this.http.send('adminGetOrder', credentials, 'GET', `/orders/${encodeURIComponent(String(orderId))}`);
      if (isLeft(answer)) return answer;
      return this.http.decodeBody('adminGetOrder', answer.right, QliroAdminOrderCodec, (order) => order);
    };
  }

  getPaymentTransaction(credentials: QliroCredentials, paymentTransactionId: number): TaskEither<AdapterError, QliroPaymentTransaction> {
    return async () => {
      const path = `/paymentTransactions/${encodeURIComponent(String(paymentTransactionId))}`;
      const answer = await this.http.send('getPaymentTransaction', credentials, 'GET', path);
      if (isLeft(answer)) return answer;
      return this.http.decodeBody('getPaymentTransaction', answer.right, QliroPaymentTransactionCodec, (transaction) => transaction);
    };
  }

  markItemsAsShipped(credentials: QliroCredentials, request: MarkItemsAsShippedRequest): TaskEither<AdapterError, StartedTransactions> {
    return this.write('markItemsAsShipped', credentials, '/MarkItemsAsShipped', request);
  }

  returnItems(credentials: QliroCredentials, request: ReturnItemsRequest): TaskEither<AdapterError, StartedTransactions> {
    return this.write('returnItems', credentials, '/ReturnItems', request);
  }

  cancelOrder(credentials: QliroCredentials, request: CancelOrderRequest): TaskEither<AdapterError, StartedTransactions> {
    return this.write('cancelOrder', credentials, '/cancelOrder', request);
  }

  private write(op: QliroAdminOperation, credentials: QliroCredentials, path: string, request: object): TaskEither<AdapterError, StartedTransactions> {
    return async () => {
      const answer = await this.http.send(op, credentials, 'POST', path, request);
      if (isLeft(answer)) return answer;
      return this.http.decodeBody(op, answer.right, QliroStartedTransactionsCodec, (started) => started);
    };
  }
}
