// The Qliro Merchant API over HTTP: signed requests, decoded answers, every failure mapped to an AdapterError.
import type { TaskEither } from 'fp-ts/TaskEither';
import { isLeft, right } from 'fp-ts/Either';
import type { AdapterError } from '../../domain/errors';
import type {
  QliroCreateOrderRequest,
  QliroCredentials,
  QliroOrder,
  QliroUpdateOrderRequest,
} from '../../domain/qliro-order';
import type { QliroGateway } from '../../application/ports/qliro-gateway';
import { QliroCreateOrderResponseCodec, QliroGetOrderResponseCodec } from './codecs';
import { QliroHttpClient, qliroErrorToAdapterError, type QliroCallObservation, type QliroHttpOptions } from './qliro-http';

// The signing, error mapping and retry rules live in qliro-http.ts (shared with the Admin API gateway).
export { qliroErrorToAdapterError };
export type { QliroCallObservation };

export type QliroOperation = 'createOrder' | 'getOrder' | 'updateOrder';

export type HttpQliroGatewayOptions = QliroHttpOptions;

const MERCHANT_API = '/checkout/merchantapi';

/** True when Qliro refused a CreateOrder because the MerchantReference was used before. */
export const isOrderAlreadyExists = (e: AdapterError): boolean => e.qliroError?.ErrorCode === 'ORDER_ALREADY_EXISTS';

export class HttpQliroGateway implements QliroGateway {
  private readonly http: QliroHttpClient;

  constructor(options: HttpQliroGatewayOptions) {
    this.http = new QliroHttpClient(options, MERCHANT_API);
  }

  createOrder(credentials: QliroCredentials, request: QliroCreateOrderRequest): TaskEither<AdapterError, { OrderId: number }> {
    return async () => {
      const answer = await this.http.send('createOrder', credentials, 'POST', '/Orders', request);
      if (isLeft(answer)) return answer;
      return this.http.decodeBody('createOrder', answer.right, QliroCreateOrderResponseCodec, (r) => ({ OrderId: r.OrderId }));
    };
  }

  getOrder(credentials: QliroCredentials, orderId: number): TaskEither<AdapterError, QliroOrder> {
    return async () => {
      const answer = await this.http.send('getOrder', credentials, 'GET', `/Orders/${encodeURIComponent(String(orderId))}`);
      if (isLeft(answer)) return answer;
      return this.http.decodeBody('getOrder', answer.right, QliroGetOrderResponseCodec, (order) => order);
    };
  }

  updateOrder(credentials: QliroCredentials, orderId: number, request: QliroUpdateOrderRequest): TaskEither<AdapterError, void> {
    return async () => {
      const path = `/Orders/${encodeURIComponent(String(orderId))}`;
      const answer = await this.http.send('updateOrder', credentials, 'PUT', path, request);
      return isLeft(answer) ? answer : right(undefined);
    };
  }
}
