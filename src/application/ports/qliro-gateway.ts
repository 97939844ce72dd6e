import type { InjectionToken } from 'tsyringe';
import type { TaskEither } from 'fp-ts/TaskEither';
import type { AdapterError } from '../../domain/errors';
import type {
  QliroCreateOrderRequest,
  QliroCredentials,
  QliroOrder,
  QliroUpdateOrderRequest,
} from '../../domain/qliro-order';

/**
 * Qliro Merchant API. Requests are signed (`Authorization: Qliro base64(sha256(body + secret))`) and
 * carry `MerchantApiKey` in every POST/PUT body. Errors carry Qliro's body as `qliroError`:
 * 4xx → `qliro-bad-request` / `qliro-validation` / `qliro-order-not-found` / `qliro-order-expired`,
 * 5xx, timeout, network, undecodable response → `qliro-error` with `transient: true`.
 */
export interface QliroGateway {
  createOrder(credentials: QliroCredentials, request: QliroCreateOrderRequest): TaskEither<AdapterError, { OrderId: number }>;
  getOrder(credentials: QliroCredentials, orderId: number): TaskEither<AdapterError, QliroOrder>;
  updateOrder(credentials: QliroCredentials, orderId: number, request: QliroUpdateOrderRequest): TaskEither<AdapterError, void>;
}

export const QliroGatewayToken: InjectionToken<QliroGateway> = Symbol('QliroGateway');
