// In-memory QliroGateway for use-case tests. Same field rules as the Qliro simulator, same errors as HttpQliroGateway.
import { randomUUID } from 'node:crypto';
import { isLeft, left, right, type Either } from 'fp-ts/Either';
import type { TaskEither } from 'fp-ts/TaskEither';
import type { QliroGateway } from '../../src/application/ports/qliro-gateway';
import type { AdapterError } from '../../src/domain/errors';
import type {
  CustomerCheckoutStatus,
  QliroCreateOrderRequest,
  QliroCredentials,
  QliroOrder,
  QliroUpdateOrderRequest,
} from '../../src/domain/qliro-order';
import { QliroGetOrderResponseCodec, decodeWith } from '../../src/adapters/qliro/codecs';
import { qliroErrorToAdapterError, type QliroOperation } from '../../src/adapters/qliro/http-qliro-gateway';
import { checkCreateOrder, checkUpdateOrder, totalPriceOf, type SimulatedOrderItem } from '../../sandbox/qliro-simulator/rules';

export type FakeQliroCall =
  | { readonly op: 'createOrder'; readonly args: readonly [QliroCredentials, QliroCreateOrderRequest] }
  | { readonly op: 'getOrder'; readonly args: readonly [QliroCredentials, number] }
  | { readonly op: 'updateOrder'; readonly args: readonly [QliroCredentials, number, QliroUpdateOrderRequest] };

export interface FakeQliroOrder {
  readonly orderId: number;
  readonly merchantApiKey: string;
  readonly createRequest: QliroCreateOrderRequest;
  readonly updateRequests: QliroUpdateOrderRequest[];
  items: SimulatedOrderItem[];
  status: CustomerCheckoutStatus | string;
  expired: boolean;
  /** Fields the customer fills in at Qliro (Customer, addresses, PaymentMethod…), merged into getOrder's answer. */
  extra: Partial<Pick<QliroOrder, 'Customer' | 'BillingAddress' | 'ShippingAddress' | 'PaymentMethod' | 'IdentityVerification'>>;
}

export interface FakeQliroGatewayOptions {
  readonly firstOrderId?: number;
  /** Reject Discount items with positive prices, as the simulator does by default. */
  readonly strictDiscountSign?: boolean;
}

const qliroError = (op: QliroOperation, status: number, ErrorCode: string, ErrorMessage: string): AdapterError =>
  qliroErrorToAdapterError(op, status, { ErrorCode, ErrorMessage, ErrorReference: randomUUID() });

const notFound = (op: QliroOperation): AdapterError => qliroError(op, 404, 'ORDER_NOT_FOUND', 'Order not found');

export class FakeQliroGateway implements QliroGateway {
  readonly orders = new Map<number, FakeQliroOrder>();
  readonly calls: FakeQliroCall[] = [];
  private readonly failures: { op: QliroOperation; error: AdapterError }[] = [];
  private nextOrderId: number;
  private readonly strictDiscountSign: boolean;

  constructor(options: FakeQliroGatewayOptions = {}) {
    this.nextOrderId = options.firstOrderId ?? 4960001;
    this.strictDiscountSign = options.strictDiscountSign ?? true;
  }

  /** The next call of `op` fails with `error` (and has no effect). Queued: several calls fail in order. */
  failNext(op: QliroOperation, error: AdapterError): void {
    this.failures.push({ op, error });
  }

  setStatus(orderId: number, status: CustomerCheckoutStatus | string): void {
    this.mustGet(orderId).status = status;
  }

  /** UpdateOrder now answers ORDER_EXPIRED, as Qliro does after its update window. */
  expire(orderId: number): void {
    this.mustGet(orderId).expired = true;
  }

  /** Sets what the customer entered at Qliro (Customer, addresses, payment method). */
  setCustomerData(orderId: number, extra: FakeQliroOrder['extra']): void {
    const order = this.mustGet(orderId);
    order.extra = { ...order.extra, ...extra };
  }

  callsOf<Op extends FakeQliroCall['op']>(op: Op): Extract<FakeQliroCall, { op: Op }>[] {
    return this.calls.filter((c): c is Extract<FakeQliroCall, { op: Op }> => c.op === op);
  }

  createOrder(credentials: QliroCredentials, request: QliroCreateOrderRequest): TaskEither<AdapterError, { OrderId: number }> {
    return async () => {
      this.calls.push({ op: 'createOrder', args: [credentials, request] });
      const failure = this.takeFailure('createOrder');
      if (failure) return left(failure);
      const valid = checkCreateOrder({ MerchantApiKey: credentials.merchantApiKey, ...request }, { strictDiscountSign: this.strictDiscountSign });
      if (!valid.ok) return left(qliroError('createOrder', 400, valid.violation.ErrorCode, valid.violation.ErrorMessage));
      const taken = [...this.orders.values()].some(
        (o) => o.merchantApiKey === credentials.merchantApiKey && o.createRequest.MerchantReference === request.MerchantReference,
      );
      if (taken) {
        return left(
          qliroError('createOrder', 400, 'ORDER_ALREADY_EXISTS', `Evaluation, An order with MerchantReference '${request.MerchantReference}' already exists`),
        );
      }
      const orderId = this.nextOrderId++;
      this.orders.set(orderId, {
        orderId,
        merchantApiKey: credentials.merchantApiKey,
        createRequest: request,
        updateRequests: [],
        items: [...valid.value.items],
        status: 'InProcess',
        expired: false,
        extra: {},
      });
      return right({ OrderId: orderId });
    };
  }

  getOrder(credentials: QliroCredentials, orderId: number): TaskEither<AdapterError, QliroOrder> {
    return async () => {
      this.calls.push({ op: 'getOrder', args: [credentials, orderId] });
      const failure = this.takeFailure('getOrder');
      if (failure) return left(failure);
      const order = this.orders.get(orderId);
      if (!order) return left(notFound('getOrder'));
      if (order.merchantApiKey !== credentials.merchantApiKey) {
        return left(qliroError('getOrder', 400, 'MERCHANT_MISMATCH', `Evaluation, Order ${orderId} does not belong to the merchant`));
      }
      return this.toQliroOrder(order);
    };
  }

  updateOrder(credentials: QliroCredentials, orderId: number, request: QliroUpdateOrderRequest): TaskEither<AdapterError, void> {
    return async () => {
      this.calls.push({ op: 'updateOrder', args: [credentials, orderId, request] });
      const failure = this.takeFailure('updateOrder');
      if (failure) return left(failure);
      const order = this.orders.get(orderId);
      if (!order) return left(notFound('updateOrder'));
      const valid = checkUpdateOrder({ MerchantApiKey: credentials.merchantApiKey, ...request }, { strictDiscountSign: this.strictDiscountSign });
      if (!valid.ok) return left(qliroError('updateOrder', 400, valid.violation.ErrorCode, valid.violation.ErrorMessage));
      if (order.merchantApiKey !== credentials.merchantApiKey) {
        return left(qliroError('updateOrder', 400, 'MERCHANT_MISMATCH', `Evaluation, Order ${orderId} does not belong to the merchant`));
      }
      if (order.expired) {
        return left(qliroError('updateOrder', 400, 'ORDER_EXPIRED', 'Unable to update as too much time has passed after order creation time'));
      }
      if (order.status !== 'InProcess') {
        return left(
          qliroError('updateOrder', 400, 'OPERATION_NOT_SUPPORTED', `Evaluation, Operation is not supported for the order '${orderId}'`),
        );
      }
      order.updateRequests.push(request);
      order.items = [...valid.value.items];
      return right(undefined);
    };
  }

  private takeFailure(op: QliroOperation): AdapterError | undefined {
    const index = this.failures.findIndex((f) => f.op === op);
    return index < 0 ? undefined : this.failures.splice(index, 1)[0]!.error;
  }

  private mustGet(orderId: number): FakeQliroOrder {
    const order = this.orders.get(orderId);
    if (!order) throw new Error(`FakeQliroGateway: no order ${orderId}`);
    return order;
  }

  /** Built as Qliro's wire answer (no VatRate per item) and decoded by the adapter's codec, so it reads like the real one. */
  private toQliroOrder(order: FakeQliroOrder): Either<AdapterError, QliroOrder> {
    const r = order.createRequest;
    const wire = {
      OrderId: order.orderId,
      MerchantReference: r.MerchantReference,
      TotalPrice: totalPriceOf(order.items),
      Currency: r.Currency,
      Country: r.Country,
      Language: r.Language.toLowerCase(),
      CustomerCheckoutStatus: order.status,
      Customer: null,
      BillingAddress: null,
      ShippingAddress: null,
      PaymentMethod: null,
      MerchantProvidedMetadata: r.MerchantProvidedMetadata ?? [],
      OrderItems: order.items.map((i) => ({
        MerchantReference: i.MerchantReference,
        Description: i.Description ?? null,
        Type: i.Type,
        Quantity: i.Quantity,
        PricePerItemIncVat: i.PricePerItemIncVat,
        PricePerItemExVat: i.PricePerItemExVat ?? i.PricePerItemIncVat,
        ...(i.Metadata ? { Metadata: i.Metadata } : {}),
      })),
      IdentityVerification: { RequireIdentityVerification: r.RequireIdentityVerification === true, IdentityVerified: null },
      OrderHtmlSnippet:
        `<div id="qliro-root" data-qliro-fake="true" data-qliro-order-id="${order.orderId}" data-qliro-status="${order.status}"></div>` +
        `<script>window.qcoGlobal = { orderId: "${order.orderId}", customerCheckoutStatus: "${order.status}" };</script>`,
      ...order.extra,
    };
    const decoded = decodeWith(QliroGetOrderResponseCodec, wire);
    if (isLeft(decoded)) throw new Error(`FakeQliroGateway built an undecodable order: ${decoded.left}`);
    return right(decoded.right);
  }
}
