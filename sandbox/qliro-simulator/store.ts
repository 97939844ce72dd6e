// The simulated Qliro's state: orders per merchant, their status, callback URLs and the raw requests that touched them.
import type { SimulatedOrderItem, ValidCreateOrder, ValidUpdateOrder, QliroRuleViolation } from './rules';
import { totalPriceOf } from './rules';

export type SimulatedCheckoutStatus = 'InProcess' | 'OnHold' | 'Completed' | 'Refused';
/** Merchant API operations, then Admin API ones (`adminGetOrder` is the Admin GetOrder, `getOrder` the Merchant API's). */
export type SimulatedOperation =
  | 'createOrder'
  | 'getOrder'
  | 'updateOrder'
  | 'adminGetOrder'
  | 'getPaymentTransaction'
  | 'markItemsAsShipped'
  | 'returnItems'
  | 'cancelOrder';

/** One request as it reached the simulator, byte for byte, for inspection by tests. */
export interface SimulatedRequest {
  readonly op: SimulatedOperation;
  readonly method: string;
  readonly path: string;
  readonly authorization: string | undefined;
  readonly rawBody: string;
  readonly receivedAt: string;
  /** The status the simulator answered. */
  status?: number;
}

/** The merchant's URLs given at create (Qliro calls and links them later). */
export interface SimulatedOrderUrls {
  readonly terms: string;
  readonly confirmation: string;
  readonly integrityPolicy?: string;
  readonly checkoutStatusPush?: string;
  readonly orderManagementStatusPush?: string;
  readonly orderValidation?: string;
  readonly availableShippingMethods?: string;
  readonly notification?: string;
  readonly cancel?: string;
}

/** A payment transaction as the Admin API lists it (`PaymentTransactions[]`, reference §5.2). */
export interface SimulatedTransaction {
  readonly PaymentTransactionId: number;
  readonly OrderId: number;
  readonly OriginalPaymentTransactionId: number | null;
  readonly Type: string;
  readonly Amount: number;
  readonly Currency: string;
  readonly ProviderTransactionId: string | null;
  readonly ProviderResultCode: string | null;
  readonly ProviderResultDescription: string | null;
  Status: string;
  Timestamp: string;
  readonly PaymentMethodName: string | null;
  readonly PaymentMethodSubtypeCode: string | null;
  ErrorCode: string | null;
  ErrorCodeDescription: string | null;
}

/** One attempt to deliver a checkout-status push (GET /sandbox/orders/{id}/pushes). */
export interface PushAttempt {
  /** Which push (one per status change; duplicates share it). */
  readonly pushId: number;
  /** 0 for the push itself, 1… for injected duplicates. */
  readonly copy: number;
  readonly status: string;
  /** 1 for the first try, 2… for retries; 0 for a dropped push (never sent). */
  readonly attempt: number;
  /** The merchant's HTTP status; null when it did not answer (see `error`) or the push was dropped. */
  readonly httpStatus: number | null;
  readonly body: string | null;
  readonly error?: 'timeout' | 'unreachable';
  readonly outcome: 'delivered' | 'failed' | 'dropped';
  readonly at: string;
}

export interface SimulatedOrder {
  readonly orderId: number;
  readonly merchantApiKey: string;
  readonly merchantReference: string;
  readonly currency: string;
  readonly country: string;
  readonly language: string;
  status: SimulatedCheckoutStatus | string;
  items: SimulatedOrderItem[];
  availableShippingMethods: unknown[] | null;
  merchantUpdateVersion: string | null;
  readonly urls: SimulatedOrderUrls;
  readonly merchantProvidedMetadata: { Key: string; Value: string }[];
  /** The CreateOrder body with canonical property names. */
  readonly createRequest: Readonly<Record<string, unknown>>;
  /** Filled in by the checkout once the customer identified themself. */
  customer: Record<string, unknown> | null;
  billingAddress: Record<string, unknown> | null;
  shippingAddress: Record<string, unknown> | null;
  paymentMethod: { PaymentMethodName: string; PaymentTypeCode: string | null } | null;
  /** The Shipping line Qliro adds when the customer picks a shipping method (not one the merchant sent). */
  shippingLine: SimulatedOrderItem | null;
  /** MerchantReference of the picked shipping method (and of its secondary option, e.g. a pickup point). */
  selectedShippingMethod: string | null;
  selectedShippingSecondaryOption: string | null;
  /** Payment transactions (Admin API), the Preauthorization made at completion first. */
  readonly transactions: SimulatedTransaction[];
  /** Every checkout-status push attempt, in the order they ended. */
  readonly pushAttempts: PushAttempt[];
  expired: boolean;
  readonly createdAt: Date;
  updatedAt: Date;
  /** Every request that concerned this order, the create first. */
  readonly requests: SimulatedRequest[];
}

export interface QliroSimulatorStoreOptions {
  readonly firstOrderId?: number;
  /** First PaymentTransactionId handed out (default 3294101, as in the fixtures). */
  readonly firstPaymentTransactionId?: number;
  readonly now?: () => Date;
}

export type StoreResult<A> = { readonly ok: true; readonly value: A } | { readonly ok: false; readonly status: 400 | 404; readonly violation: Omit<QliroRuleViolation, 'status'> };

const orderNotFound = <A>(): StoreResult<A> => ({
  ok: false,
  status: 404,
  violation: { ErrorCode: 'ORDER_NOT_FOUND', ErrorMessage: 'Order not found' },
});
const rejected = <A>(ErrorCode: string, ErrorMessage: string): StoreResult<A> => ({
  ok: false,
  status: 400,
  violation: { ErrorCode, ErrorMessage },
});

/** The order's lines as Qliro holds them: the merchant's items, then the shipping line Qliro added. */
export const linesOf = (order: SimulatedOrder): SimulatedOrderItem[] => [...order.items, ...(order.shippingLine ? [order.shippingLine] : [])];

/** Qliro's timestamp style, "2016-03-03T11:43:05.567": no offset (the simulator writes UTC). */
export const qliroTimestamp = (date: Date): string => date.toISOString().slice(0, 23);

const optionalString = (u: unknown): string | undefined => (typeof u === 'string' && u !== '' ? u : undefined);

const metadataOf = (u: unknown): { Key: string; Value: string }[] =>
  Array.isArray(u)
    ? u
        .filter((e): e is Record<string, unknown> => typeof e === 'object' && e !== null)
        .map((e) => ({ Key: String(e['Key'] ?? ''), Value: String(e['Value'] ?? '') }))
    : [];

export class QliroSimulatorStore {
  readonly orders = new Map<number, SimulatedOrder>();
  /** Every Merchant and Admin API request, in arrival order (including refused ones). */
  readonly requests: SimulatedRequest[] = [];
  /** Never rewound, not even by reset(), so an id a client still holds cannot name another order. */
  private nextOrderId: number;
  private nextPaymentTransactionId: number;
  readonly now: () => Date;

  constructor(options: QliroSimulatorStoreOptions = {}) {
    this.nextOrderId = options.firstOrderId ?? 4950001;
    this.nextPaymentTransactionId = options.firstPaymentTransactionId ?? 3294101;
    this.now = options.now ?? (() => new Date());
  }

  get(orderId: number): SimulatedOrder | undefined {
    return this.orders.get(orderId);
  }

  list(): SimulatedOrder[] {
    return [...this.orders.values()];
  }

  findByMerchantReference(merchantApiKey: string, merchantReference: string): SimulatedOrder | undefined {
    return this.list().find((o) => o.merchantApiKey === merchantApiKey && o.merchantReference === merchantReference);
  }

  totalPrice(order: SimulatedOrder): number {
    return totalPriceOf(linesOf(order));
  }

  /** CreateOrder: MerchantReference is unique per merchant, for ever (ORDER_ALREADY_EXISTS). */
  create(valid: ValidCreateOrder, request?: SimulatedRequest): StoreResult<SimulatedOrder> {
    if (this.findByMerchantReference(valid.merchantApiKey, valid.merchantReference)) {
      return rejected(
        'ORDER_ALREADY_EXISTS',
        `Evaluation, An order with MerchantReference '${valid.merchantReference}' already exists`,
      );
    }
    const b = valid.body;
    const now = this.now();
    const order: SimulatedOrder = {
      orderId: this.nextOrderId++,
      merchantApiKey: valid.merchantApiKey,
      merchantReference: valid.merchantReference,
      currency: valid.currency,
      country: valid.country,
      language: valid.language,
      status: 'InProcess',
      items: [...valid.items],
      availableShippingMethods: Array.isArray(b['AvailableShippingMethods']) ? [...b['AvailableShippingMethods']] : null,
      merchantUpdateVersion: null,
      urls: {
        terms: String(b['MerchantTermsUrl']),
        confirmation: String(b['MerchantConfirmationUrl']),
        integrityPolicy: optionalString(b['MerchantIntegrityPolicyUrl']),
        checkoutStatusPush: optionalString(b['MerchantCheckoutStatusPushUrl']),
        orderManagementStatusPush: optionalString(b['MerchantOrderManagementStatusPushUrl']),
        orderValidation: optionalString(b['MerchantOrderValidationUrl']),
        availableShippingMethods: optionalString(b['MerchantOrderAvailableShippingMethodsUrl']),
        notification: optionalString(b['MerchantNotificationUrl']),
        cancel: optionalString(b['MerchantCancelUrl']),
      },
      merchantProvidedMetadata: metadataOf(b['MerchantProvidedMetadata']),
      createRequest: b,
      customer: null,
      billingAddress: null,
      shippingAddress: null,
      paymentMethod: null,
      shippingLine: null,
      selectedShippingMethod: null,
      selectedShippingSecondaryOption: null,
      transactions: [],
      pushAttempts: [],
      expired: false,
      createdAt: now,
      updatedAt: now,
      requests: request ? [request] : [],
    };
    this.orders.set(order.orderId, order);
    return { ok: true, value: order };
  }

  /** UpdateOrder: replaces the items, only for the owning merchant and only while the order is InProcess. */
  update(orderId: number, valid: ValidUpdateOrder, request?: SimulatedRequest): StoreResult<SimulatedOrder> {
    const order = this.orders.get(orderId);
    if (!order) return orderNotFound();
    if (request) order.requests.push(request);
    if (order.merchantApiKey !== valid.merchantApiKey) {
      return rejected('MERCHANT_MISMATCH', `Evaluation, Order ${orderId} does not belong to the merchant`);
    }
    if (order.expired) {
      return rejected('ORDER_EXPIRED', 'Unable to update as too much time has passed after order creation time');
    }
    if (order.status !== 'InProcess') {
      return rejected(
        'OPERATION_NOT_SUPPORTED',
        `Evaluation, Operation is not supported for the order '${orderId}' The order is ${order.status} and can no longer be updated.`,
      );
    }
    order.items = [...valid.items];
    const b = valid.body;
    if (Array.isArray(b['AvailableShippingMethods'])) order.availableShippingMethods = [...b['AvailableShippingMethods']];
    if (typeof b['MerchantUpdateVersion'] === 'string') order.merchantUpdateVersion = b['MerchantUpdateVersion'];
    order.updatedAt = this.now();
    return { ok: true, value: order };
  }

  /** GetOrder: only the owning merchant may read an order. */
  read(orderId: number, merchantApiKey: string, request?: SimulatedRequest): StoreResult<SimulatedOrder> {
    const order = this.orders.get(orderId);
    if (!order) return orderNotFound();
    if (request) order.requests.push(request);
    if (order.merchantApiKey !== merchantApiKey) {
      return rejected('MERCHANT_MISMATCH', `Evaluation, Order ${orderId} does not belong to the merchant`);
    }
    return { ok: true, value: order };
  }

  /** Test control: moves the order to a status (the full checkout state machine lives elsewhere). */
  setStatus(orderId: number, status: SimulatedCheckoutStatus | string): SimulatedOrder | undefined {
    const order = this.orders.get(orderId);
    if (order) {
      order.status = status;
      order.updatedAt = this.now();
    }
    return order;
  }

  /** Records a payment transaction on the order with the next PaymentTransactionId (never rewound). */
  addTransaction(
    order: SimulatedOrder,
    fields: Pick<SimulatedTransaction, 'Type' | 'Amount' | 'Status'> & Partial<Pick<SimulatedTransaction, 'OriginalPaymentTransactionId'>>,
  ): SimulatedTransaction {
    const transaction: SimulatedTransaction = {
      PaymentTransactionId: this.nextPaymentTransactionId++,
      OrderId: order.orderId,
      OriginalPaymentTransactionId: fields.OriginalPaymentTransactionId ?? null,
      Type: fields.Type,
      Amount: fields.Amount,
      Currency: order.currency,
      ProviderTransactionId: null,
      ProviderResultCode: null,
      ProviderResultDescription: null,
      Status: fields.Status,
      Timestamp: qliroTimestamp(this.now()),
      PaymentMethodName: order.paymentMethod?.PaymentMethodName ?? null,
      PaymentMethodSubtypeCode: order.paymentMethod?.PaymentTypeCode ?? null,
      ErrorCode: null,
      ErrorCodeDescription: null,
    };
    order.transactions.push(transaction);
    order.updatedAt = this.now();
    return transaction;
  }

  /** Test control: the order is past Qliro's update window (UpdateOrder → ORDER_EXPIRED). */
  expire(orderId: number): SimulatedOrder | undefined {
    const order = this.orders.get(orderId);
    if (order) order.expired = true;
    return order;
  }

  log(request: SimulatedRequest): void {
    this.requests.push(request);
  }

  reset(): void {
    this.orders.clear();
    this.requests.length = 0;
  }
}
