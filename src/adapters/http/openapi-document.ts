// OpenAPI 3 description of this adapter's HTTP API: the 2024 seed's endpoints, schemas, headers, query
// parameters and error codes, plus what this adapter adds (order-management status push, health, metrics).
// Served at /docs/v1/openapi.json and rendered by Redoc at /docs/v1/index.html.
import { ERROR_CODES } from '../../domain/errors';
import { ORDER_STATUSES, PAYMENT_STATES } from '../../domain/norce-order';
import { DECLINE_REASONS } from './answer-codecs';

// ---------------------------------------------------------------------------------------------
// The part of OpenAPI 3.0 this document uses

export interface Reference {
  readonly $ref: string;
}

export interface SchemaObject {
  readonly type?: 'object' | 'array' | 'string' | 'number' | 'integer' | 'boolean';
  readonly title?: string;
  readonly description?: string;
  readonly format?: string;
  readonly nullable?: boolean;
  readonly enum?: readonly (string | number | boolean | null)[];
  readonly pattern?: string;
  readonly minLength?: number;
  readonly maxLength?: number;
  readonly minimum?: number;
  readonly maximum?: number;
  readonly properties?: Readonly<Record<string, SchemaOrReference>>;
  readonly required?: readonly string[];
  readonly additionalProperties?: boolean | SchemaOrReference;
  readonly items?: SchemaOrReference;
  readonly default?: unknown;
  readonly example?: unknown;
}

export type SchemaOrReference = SchemaObject | Reference;

export interface ExampleObject {
  readonly summary?: string;
  readonly description?: string;
  readonly value: unknown;
}

export interface MediaTypeObject {
  readonly schema: SchemaOrReference;
  readonly example?: unknown;
  readonly examples?: Readonly<Record<string, ExampleObject>>;
}

export interface ParameterObject {
  readonly name: string;
  readonly in: 'path' | 'query' | 'header';
  readonly required: boolean;
  readonly description: string;
  readonly schema: SchemaObject;
  readonly example?: unknown;
}

export interface HeaderObject {
  readonly description: string;
  readonly schema: SchemaObject;
}

export interface ResponseObject {
  readonly description: string;
  readonly headers?: Readonly<Record<string, HeaderObject | Reference>>;
  readonly content?: Readonly<Record<string, MediaTypeObject>>;
}

export interface RequestBodyObject {
  readonly description: string;
  readonly required: boolean;
  readonly content: Readonly<Record<string, MediaTypeObject>>;
}

export interface OperationObject {
  readonly tags: readonly string[];
  readonly operationId: string;
  readonly summary: string;
  readonly description?: string;
  readonly security?: readonly Readonly<Record<string, readonly string[]>>[];
  readonly parameters?: readonly (ParameterObject | Reference)[];
  readonly requestBody?: RequestBodyObject;
  readonly responses: Readonly<Record<string, ResponseObject | Reference>>;
}

export type PathItemObject = Partial<Readonly<Record<'get' | 'post', OperationObject>>>;

export interface OpenApiDocument {
  readonly openapi: '3.0.3';
  readonly info: { readonly title: string; readonly version: string; readonly description: string };
  readonly servers: readonly { readonly url: string; readonly description: string }[];
  readonly tags: readonly { readonly name: string; readonly description: string }[];
  readonly security: readonly Readonly<Record<string, readonly string[]>>[];
  readonly paths: Readonly<Record<string, PathItemObject>>;
  readonly components: {
    readonly securitySchemes: Readonly<Record<string, { readonly type: 'http'; readonly scheme: 'bearer'; readonly description: string }>>;
    readonly parameters: Readonly<Record<string, ParameterObject>>;
    readonly headers: Readonly<Record<string, HeaderObject>>;
    readonly schemas: Readonly<Record<string, SchemaObject>>;
  };
}

// ---------------------------------------------------------------------------------------------
// Building blocks

const ref = (name: string): Reference => ({ $ref: `#/components/schemas/${name}` });
const param = (name: string): Reference => ({ $ref: `#/components/parameters/${name}` });
const str = (description?: string, extra: Partial<SchemaObject> = {}): SchemaObject => ({ type: 'string', ...(description ? { description } : {}), ...extra });
/** Optional string that the sender may also send as null. */
const nstr = (description?: string, extra: Partial<SchemaObject> = {}): SchemaObject => str(description, { nullable: true, ...extra });
const num = (description?: string, extra: Partial<SchemaObject> = {}): SchemaObject => ({ type: 'number', ...(description ? { description } : {}), ...extra });
const nnum = (description?: string): SchemaObject => num(description, { nullable: true });
const int = (description?: string, extra: Partial<SchemaObject> = {}): SchemaObject => ({ type: 'integer', ...(description ? { description } : {}), ...extra });
const bool = (description?: string, extra: Partial<SchemaObject> = {}): SchemaObject => ({ type: 'boolean', ...(description ? { description } : {}), ...extra });
const arr = (items: SchemaOrReference, description?: string, extra: Partial<SchemaObject> = {}): SchemaObject => ({
  type: 'array',
  items,
  ...(description ? { description } : {}),
  ...extra,
});
const obj = (properties: Record<string, SchemaOrReference>, extra: Partial<SchemaObject> = {}): SchemaObject => ({ type: 'object', properties, ...extra });
const attributes: SchemaObject = { type: 'object', description: 'Free-form attributes', additionalProperties: true, nullable: true };

const json = (schema: SchemaOrReference, example?: unknown): Readonly<Record<string, MediaTypeObject>> => ({
  'application/json': { schema, ...(example !== undefined ? { example } : {}) },
});

const jsonExamples = (schema: SchemaOrReference, examples: Record<string, ExampleObject>): Readonly<Record<string, MediaTypeObject>> => ({
  'application/json': { schema, examples },
});

const errorExample = (summary: string, value: { code: (typeof ERROR_CODES)[number]; message: string; qliroError?: object }): ExampleObject => ({ summary, value });

const errorResponse = (description: string, examples: Record<string, ExampleObject>, headers?: Record<string, Reference>): ResponseObject => ({
  description,
  ...(headers ? { headers } : {}),
  content: jsonExamples(ref('Error'), examples),
});

const correlated = (response: ResponseObject): ResponseObject => ({
  ...response,
  headers: { 'x-correlation-id': { $ref: '#/components/headers/CorrelationId' }, ...(response.headers ?? {}) },
});

// ---------------------------------------------------------------------------------------------
// Examples (ids in the style of the shared fixtures; personal data only Qliro's public test identities)

const EXAMPLE_ORDER_ID = 'oZLhRmXS';
const EXAMPLE_PAYMENT_ID = 'pENgeYaohsLDgjiJSIUjGgNUHba';

const paymentExample = {
  paymentId: EXAMPLE_PAYMENT_ID,
  htmlSnippet:
    '<script type="text/javascript">(function(w, g) { w[g] = { orderId: "4951204", country: "SE", language: "sv-se" }; })(window, "qliroOneConfig");</script><div id="qliro-one-checkout"></div>',
};

const errors = {
  unauthorized: errorExample('No or wrong bearer token', { code: 'unauthorized', message: 'a valid bearer token is required in the Authorization header' }),
  callbackUnauthorized: errorExample('Missing or wrong callback token', {
    code: 'unauthorized',
    message: 'the callback URL token is missing or not valid for this order',
  }),
  missingHeader: errorExample('A required header is missing', { code: 'order-bad-request', message: 'missing required header x-channel' }),
  orderNotFound: errorExample('Unknown order', { code: 'order-not-found', message: `Order ${EXAMPLE_ORDER_ID} was not found in Norce Checkout` }),
  paymentNotFound: errorExample('Unknown payment', {
    code: 'payment-not-found',
    message: `Payment ${EXAMPLE_PAYMENT_ID} was not found on order ${EXAMPLE_ORDER_ID} in Norce Checkout`,
  }),
  paymentConflict: errorExample('The payment is past the point where this is allowed', {
    code: 'payment-conflict',
    message: `Payment ${EXAMPLE_PAYMENT_ID} is reserved; money is reserved, so it cannot be removed`,
  }),
  orderValidation: errorExample('The order cannot be paid with Qliro', {
    code: 'order-validation',
    message: 'The order total 1781.70 differs from the sum of its rows by 3.20 SEK',
  }),
  configurationError: errorExample('The channel configuration is invalid', {
    code: 'configuration-error',
    message: 'The qliro_checkout_adapter configuration of merchant norce, channel 1 is invalid: redirectUrls.confirmationUrl is required',
  }),
  qliroValidation: errorExample('Qliro refused a field of the request', {
    code: 'qliro-validation',
    message: 'Qliro createOrder answered HTTP 400 INVALID_INPUT: Property: MerchantConfirmationUrl, Message: The field is required.',
    qliroError: { ErrorCode: 'INVALID_INPUT', ErrorMessage: 'Property: MerchantConfirmationUrl, Message: The field is required.', ErrorReference: '9a1f3c2e-5b7d-4e0a-8c6f-2d4b1a0e9f37' },
  }),
  qliroExpired: errorExample('The Qliro order has expired', {
    code: 'qliro-order-expired',
    message: 'Qliro updateOrder answered HTTP 400 ORDER_EXPIRED: The order has expired',
    qliroError: { ErrorCode: 'ORDER_EXPIRED', ErrorMessage: 'The order has expired', ErrorReference: '0b6e2f4a-3c1d-4e5f-9a8b-7c6d5e4f3a2b' },
  }),
  upstream: errorExample('Qliro or Norce failed or timed out: retry as is', {
    code: 'qliro-error',
    message: 'Qliro createOrder answered HTTP 500 SYSTEM_ERROR: An unexpected error occurred',
    qliroError: { ErrorCode: 'SYSTEM_ERROR', ErrorMessage: 'An unexpected error occurred', ErrorReference: '4c2a9e1b-8d7f-4a3e-b5c6-1f0e9d8c7b6a' },
  }),
  norceUpstream: errorExample('Norce Checkout failed or timed out: retry as is', {
    code: 'order-error',
    message: `Norce Checkout did not answer getOrder for order ${EXAMPLE_ORDER_ID}: no answer within 5000 ms`,
  }),
  internal: errorExample('A fault of the adapter itself', { code: 'internal-server-error', message: 'unexpected error in the adapter; it has been logged' }),
  badBody: errorExample('The body is not what this endpoint reads', { code: 'order-bad-request', message: 'request body is not valid JSON' }),
  onHold: errorExample('The payment is on hold at Qliro', {
    code: 'payment-conflict',
    message: `Payment ${EXAMPLE_PAYMENT_ID} is on hold at Qliro; retry later`,
  }),
  pushTransient: errorExample('Norce could not be updated now: Qliro retries the push', {
    code: 'order-error',
    message: `Norce Checkout answered HTTP 503 on updatePayment for order ${EXAMPLE_ORDER_ID}`,
  }),
  wrongQliroOrder: errorExample('The body names another Qliro order', {
    code: 'order-bad-request',
    message: `the push names Qliro order 4951999, payment ${EXAMPLE_PAYMENT_ID} is Qliro order 4951204`,
  }),
} as const;

const upstreamHeaders = { 'Retry-After': { $ref: '#/components/headers/RetryAfter' } };

/** The answers every Norce-facing endpoint can give besides its own. */
const norceFacingErrors = (notFound: Record<string, ExampleObject>): Record<string, ResponseObject> => ({
  '401': errorResponse('Unauthorized: no or wrong bearer token', { unauthorized: errors.unauthorized }),
  '404': errorResponse('Not Found', notFound),
  '500': errorResponse('A fault of the adapter itself', { internal: errors.internal }),
  '502': errorResponse('Norce Checkout or Qliro failed or timed out; the request may be retried as is', { qliro: errors.upstream, norce: errors.norceUpstream }, upstreamHeaders),
});

// Written from ../shared/fixtures/qliro/callbacks and ../shared/fixtures/qliro/frontend (a test compares them).
const validateExample = {
  OrderId: 4951876,
  MerchantReference: 'oTerFglJ-2',
  Currency: 'SEK',
  Customer: { Email: 'test@example.com', MobileNumber: '0700000000', PersonalNumber: '790625-5307' },
  OrderItems: [
    { MerchantReference: 'JKT-30112-S', Description: 'Regnjacka Dam, S', Type: 'Product', Quantity: 1, PricePerItemIncVat: 1299, PricePerItemExVat: 1039.2 },
    { MerchantReference: 'KAF-0500', Description: 'Kaffe Mellanrost 500 g', Type: 'Product', Quantity: 2, PricePerItemIncVat: 89.9, PricePerItemExVat: 80.27 },
    { MerchantReference: 'BOK-0042', Description: 'Pocketbok: Testboken', Type: 'Product', Quantity: 1, PricePerItemIncVat: 149, PricePerItemExVat: 140.57 },
    { MerchantReference: 'JACKA200', Description: 'Kampanj regnjacka', Type: 'Discount', Quantity: 1, PricePerItemIncVat: -200, PricePerItemExVat: -160 },
    {
      MerchantReference: 'e8ed2091-c34c-4837-a3a8-bc827b0dc183',
      Description: 'PostNord MyPack Collect',
      Type: 'Shipping',
      Quantity: 1,
      PricePerItemIncVat: 49,
      PricePerItemExVat: 39.2,
    },
    { MerchantReference: 'pkhmiywFDzZZMpmCHPyPEFqBhPD', Description: 'Presentkort', Type: 'Discount', Quantity: 1, PricePerItemIncVat: -500, PricePerItemExVat: -500 },
  ],
  ShippingAddress: { PostalCode: '11122' },
  PaymentMethod: { PaymentMethodName: 'QLIRO_INVOICE', PaymentTypeCode: 'INVOICE' },
  SelectedShippingMethod: null,
  SelectedShippingSecondaryOption: null,
  IdentityVerification: { RequireIdentityVerification: false, IdentityVerified: null },
};

const pushCompletedExample = {
  OrderId: 4951876,
  MerchantReference: 'oTerFglJ-2',
  Status: 'Completed',
  Timestamp: '2026-02-03T15:23:41.902',
  NotificationType: 'CustomerCheckoutStatus',
  PaymentTransactionId: 3294101,
};

const pushOnHoldExample = {
  OrderId: 4951876,
  MerchantReference: 'oTerFglJ-2',
  Status: 'OnHold',
  Timestamp: '2026-02-03T15:21:04.387',
  NotificationType: 'CustomerCheckoutStatus',
  PaymentTransactionId: 3294101,
};

const omStatus = (paymentType: string, status: string, paymentTransactionId: number, timestamp: string) => ({
  OrderId: 4951876,
  MerchantReference: 'oTerFglJ-2',
  PaymentTransactionId: paymentTransactionId,
  OriginalPaymentTransactionId: 3294101,
  PaymentReference: null,
  PaymentType: paymentType,
  Status: status,
  Amount: 797,
  Currency: 'SEK',
  ProviderTransactionId: null,
  ProviderResultCode: null,
  ProviderResultDescription: null,
  ErrorCode: null,
  ErrorCodeDescription: null,
  Timestamp: timestamp,
});

const shippingOptionExample = {
  method: 'pn-mypack-collect',
  methodName: 'PostNord MyPack Collect',
  secondaryOption: 'pn-sp-104293',
  pickupLocation: { name: 'Testbutiken Ombud', description: ['Testgatan 1', '111 22 Stockholm', 'Mån-Fre 08-20'] },
  additionalShippingServices: [],
  shippingServicesNames: [],
  price: 49,
  priceExVat: 39.2,
  totalShippingPrice: 49,
  totalShippingPriceExVat: 39.2,
};

/** A proposed order as NCO posts it to a hook (shortened from the shared fixture order-2). */
const orderExample = {
  id: EXAMPLE_ORDER_ID,
  merchant: 'norce-open-demo',
  channel: 'nc-qliro-se',
  created: '2026-02-02T18:31:09.0711432Z',
  lastModified: '2026-02-02T18:36:47.9920135Z',
  state: { currentStatus: 'checkout', transitions: [{ status: 'checkout', timeStamp: '2026-02-02T18:31:09.0711432Z' }] },
  culture: 'sv-SE',
  currency: 'SEK',
  country: 'SE',
  cart: {
    reference: '1084523',
    items: [
      {
        id: 'ci_mbmplLprajIzSLrgrWMTcikGAU',
        reference: 'KAF-0500',
        name: 'Kaffe Mellanrost 500 g',
        sku: 'KAF-0500',
        quantity: 3,
        unit: 'st',
        price: { includingVat: 64.9, excludingVat: 57.95 },
        total: { includingVat: 194.7, excludingVat: 173.84 },
        originalTotal: { includingVat: 194.7, excludingVat: 173.84 },
        vatRate: 0.12,
        discounts: [],
      },
    ],
    discounts: [],
    total: { includingVat: 194.7, excludingVat: 173.84 },
    attributes: {},
  },
  shippings: [
    {
      id: 's_cPoGKIIheJOxytajflTYRoxDXy',
      state: 'intent',
      reference: 'pn-mypack-home',
      adapterId: 'ingrid_adapter',
      name: 'PostNord MyPack Home',
      total: { includingVat: 59, excludingVat: 47.2 },
      vatRate: 0.25,
      deliveryDetails: { carrier: 'PostNord', class: 'delivery', product: { name: 'MyPack Home', reference: 'pn-mypack-home' } },
      addons: [],
      attributes: {},
    },
  ],
  payments: [
    {
      id: EXAMPLE_PAYMENT_ID,
      adapterId: 'qliro_checkout_adapter',
      name: 'Qliro Checkout',
      type: 'default',
      currency: 'SEK',
      amount: 253.7,
      state: 'intent',
      reference: '4951204',
      attributes: { qliroOrderId: 4951204, qliroMerchantReference: EXAMPLE_ORDER_ID },
      actions: [],
    },
  ],
  customer: { type: 'person', billing: { type: 'person', postalCode: '111 22', country: 'SE' }, shipping: { type: 'person', postalCode: '111 22', country: 'SE' } },
  consents: [],
  hooks: [],
  total: { includingVat: 253.7, excludingVat: 221.04 },
  attributes: {},
};

// ---------------------------------------------------------------------------------------------
// Operations

const channelHeaders = [param('XMerchant'), param('XChannel'), param('CorrelationId')];
const callbackQuery = [param('Merchant'), param('Channel'), param('CallbackToken'), param('CorrelationId')];
const clientEventQuery = [param('Merchant'), param('Channel'), param('CorrelationId')];
const orderAndPayment = [param('OrderId'), param('PaymentId')];
const noBearer: readonly Record<string, readonly string[]>[] = [];

const paymentAnswer = (description: string): ResponseObject => correlated({ description, content: json(ref('PaymentResponse'), paymentExample) });
const emptyAnswer = (description: string): ResponseObject => correlated({ description, content: json(ref('Empty'), {}) });

const hookBody: RequestBodyObject = {
  description: 'The proposed order: the whole Norce order as it will be once the change is applied',
  required: true,
  content: json(ref('Order'), orderExample),
};

const patchAnswer = (description: string, example: unknown): ResponseObject =>
  correlated({ description, content: json(arr(ref('PatchOperation')), example) });

const cartChanged = (operationId: string, summary: string, description: string): OperationObject => ({
  tags: ['Norce Callbacks'],
  operationId,
  summary,
  description,
  parameters: [...orderAndPayment, ...channelHeaders],
  requestBody: hookBody,
  responses: {
    '200': patchAnswer('Success: the patch for this adapter\'s payment (its new amount), or `[]` when nothing changed', [
      { op: 'replace', path: '/payments/0/amount', value: 253.7 },
    ]),
    '400': errorResponse('The change cannot be applied to the Qliro checkout', {
      conflict: errorExample('The purchase is completed or being validated', {
        code: 'payment-conflict',
        message: `Payment ${EXAMPLE_PAYMENT_ID} is processing; the cart cannot change while Qliro validates or after the purchase`,
      }),
      expired: errors.qliroExpired,
    }),
    ...norceFacingErrors({ payment: errors.paymentNotFound, order: errors.orderNotFound }),
  },
});

const orderManagement = (operationId: string, summary: string, description: string, conflict: Record<string, ExampleObject>): OperationObject => ({
  tags: ['Order Management'],
  operationId,
  summary,
  description,
  parameters: [...orderAndPayment, ...channelHeaders],
  responses: {
    '200': paymentAnswer('Success: the operation was started at Qliro (or was already done); the payment state follows with the status push'),
    '400': errorResponse('Bad Request', { header: errors.missingHeader, qliro: errors.qliroValidation }),
    '409': errorResponse('Conflict: the payment is not in a state that allows this now', conflict),
    ...norceFacingErrors({ payment: errors.paymentNotFound, order: errors.orderNotFound }),
  },
});

const CALLBACKS = '/api/checkout/v1/callback/orders/{order_id}/payments/{payment_id}';
const ORDER_MANAGEMENT = '/api/order/v1/orders/{order_id}/payments/{payment_id}';

const paths: Record<string, PathItemObject> = {
  '/api/checkout/v1/orders/{order_id}/payments': {
    post: {
      tags: ['Payments'],
      operationId: 'createPayment',
      summary: 'Create a new Qliro Checkout order',
      description:
        'Requires an existing Norce order in `checkout`. Reuses an existing Qliro payment in `intent` (idempotent: a retry after a 502 is safe), ' +
        'else creates the Norce payment, the Qliro order and the hooks, and answers the Qliro checkout snippet.',
      parameters: [param('OrderId'), ...channelHeaders],
      responses: {
        '200': paymentAnswer('Success'),
        '400': errorResponse('Bad Request: the caller, the order or the channel configuration must change', {
          header: errors.missingHeader,
          order: errors.orderValidation,
          configuration: errors.configurationError,
          qliro: errors.qliroValidation,
        }),
        '409': errorResponse('Conflict: a Qliro payment beyond `intent` exists on the order', { conflict: errors.paymentConflict }),
        ...norceFacingErrors({ order: errors.orderNotFound }),
      },
    },
  },
  '/api/checkout/v1/orders/{order_id}/payments/{payment_id}': {
    get: {
      tags: ['Payments'],
      operationId: 'getPayment',
      summary: 'Get an existing Qliro Checkout order',
      description: 'Used to get the html snippet, for example after the Qliro Checkout Order has been confirmed (then it is the thank-you snippet).',
      parameters: [...orderAndPayment, ...channelHeaders],
      responses: {
        '200': paymentAnswer('Success'),
        '400': errorResponse('Bad Request', { header: errors.missingHeader }),
        ...norceFacingErrors({ payment: errors.paymentNotFound, order: errors.orderNotFound }),
      },
    },
  },
  '/api/checkout/v1/orders/{order_id}/payments/{payment_id}/remove': {
    post: {
      tags: ['Payments'],
      operationId: 'removePayment',
      summary: 'Remove a Qliro Checkout order',
      description:
        'Requires an existing Norce order. Soft-deletes the payment and its shippings (state `removed`) and deletes the hooks added when the ' +
        'Qliro Checkout order was created. Idempotent.',
      parameters: [...orderAndPayment, ...channelHeaders],
      responses: {
        '200': emptyAnswer('Success'),
        '400': errorResponse('Bad Request', { header: errors.missingHeader }),
        '409': errorResponse('Conflict: money is already reserved or captured', { conflict: errors.paymentConflict }),
        ...norceFacingErrors({ payment: errors.paymentNotFound, order: errors.orderNotFound }),
      },
    },
  },
  [`${CALLBACKS}/validate`]: {
    post: {
      tags: ['Qliro Checkout Callbacks'],
      operationId: 'validateOrder',
      summary: 'Validate',
      description:
        'Qliro asks whether the order may be placed. The adapter checks the Qliro order against the current Norce order (items, total, currency, ' +
        'identity verification when required), writes the customer to Norce and moves the order to `processing`. It answers within 4 s; ' +
        'when Norce is too slow it declines (Qliro approves silently after 5 s).',
      security: noBearer,
      parameters: [...orderAndPayment, ...callbackQuery],
      requestBody: { description: 'Qliro order', required: true, content: json(ref('QliroOrder'), validateExample) },
      responses: {
        '200': emptyAnswer('Success: approved'),
        '400': correlated({
          description: 'Bad Request: declined; the message is shown to the shopper',
          content: jsonExamples(ref('ValidationDecline'), {
            changed: { summary: 'The cart changed', value: { declineReason: 'Other', declineReasonMessage: 'Din varukorg har ändrats. Ladda om sidan och försök igen.' } },
            identity: { summary: 'Identity verification required', value: { declineReason: 'IdentityNotVerified', declineReasonMessage: 'Du behöver identifiera dig med BankID för att slutföra köpet.' } },
          }),
        }),
        '401': errorResponse('Unauthorized: missing or wrong callback token', { unauthorized: errors.callbackUnauthorized }),
        '404': errorResponse('Not Found', { payment: errors.paymentNotFound }),
      },
    },
  },
  [`${CALLBACKS}/push`]: {
    post: {
      tags: ['Qliro Checkout Callbacks'],
      operationId: 'handleCheckoutStatusPush',
      summary: 'Push',
      description:
        "Called whenever a Qliro order's CustomerCheckoutStatus is changed. The push is a hint: the adapter reads the Qliro order and moves the " +
        'Norce payment and order (`OnHold` → pending/accepted, `Completed` → reserved/completed, `Refused` → declined). It answers ' +
        '`received` only after Norce holds the result; duplicates and stale pushes are answered `received` and change nothing; a transient ' +
        'failure is a 500 so that Qliro retries.',
      security: noBearer,
      parameters: [...orderAndPayment, ...callbackQuery],
      requestBody: {
        description: 'Checkout status push',
        required: true,
        content: jsonExamples(ref('CheckoutStatusPush'), {
          completed: { summary: 'Completed', value: pushCompletedExample },
          onHold: { summary: 'OnHold', value: pushOnHoldExample },
        }),
      },
      responses: {
        '200': correlated({ description: 'Success', content: json(ref('CallbackResponse'), { callbackResponse: 'received' }) }),
        '400': errorResponse('Bad Request: no OrderId, or another Qliro order; nothing was changed', { wrongOrder: errors.wrongQliroOrder }),
        '401': errorResponse('Unauthorized: missing or wrong callback token', { unauthorized: errors.callbackUnauthorized }),
        '500': errorResponse('Transient failure: Qliro retries the push', { transient: errors.pushTransient }),
      },
    },
  },
  [`${CALLBACKS}/status`]: {
    post: {
      tags: ['Qliro Checkout Callbacks'],
      operationId: 'handleOrderManagementStatusPush',
      summary: 'Order management status push',
      description:
        'Not in the 2024 API; Qliro\'s MerchantOrderManagementStatusPushUrl. Correlates `PaymentTransactionId` with a transaction the adapter ' +
        'started: `Success` makes the capture, refund or cancel take effect; `Error` records a failed transaction and leaves the state; a ' +
        '`Reversal` the adapter did not ask for is recorded, never read as a cancel. Answers as the push.',
      security: noBearer,
      parameters: [...orderAndPayment, ...callbackQuery],
      requestBody: {
        description: 'Order management status push',
        required: true,
        content: jsonExamples(ref('OrderManagementStatusPush'), {
          captureSuccess: { summary: 'Capture succeeded', value: omStatus('Capture', 'Success', 3294190, '2026-02-04T09:15:40.123') },
          captureError: { summary: 'Capture failed', value: omStatus('Capture', 'Error', 3294188, '2026-02-04T09:02:11.480') },
        }),
      },
      responses: {
        '200': correlated({ description: 'Success', content: json(ref('CallbackResponse'), { callbackResponse: 'received' }) }),
        '400': errorResponse('Bad Request: no OrderId, or another Qliro order; nothing was changed', { wrongOrder: errors.wrongQliroOrder }),
        '401': errorResponse('Unauthorized: missing or wrong callback token', { unauthorized: errors.callbackUnauthorized }),
        '500': errorResponse('Transient failure: Qliro retries the push', { transient: errors.pushTransient }),
      },
    },
  },
  [`${CALLBACKS}/customer-update`]: {
    post: {
      tags: ["Qliro Checkout 'Client-side events' Callbacks"],
      operationId: 'customerUpdate',
      summary: 'Refresh customer information on Norce order from qliro order',
      description:
        'Updates customer information on the Norce order with the latest customer information from Qliro Checkout (called by the storefront on ' +
        "Qliro's onCustomerInfoChanged). Masked or missing parts are skipped; e-mail and address are applied independently.",
      parameters: [...orderAndPayment, ...clientEventQuery],
      responses: {
        '200': emptyAnswer('Success'),
        '400': errorResponse('Bad Request', { query: errorExample('merchant or channel missing', {
          code: 'order-bad-request',
          message: 'query parameters merchant and channel are required (letters, digits, dot, dash, underscore)',
        }) }),
        ...norceFacingErrors({ payment: errors.paymentNotFound, order: errors.orderNotFound }),
      },
    },
  },
  [`${CALLBACKS}/shipping-option-update`]: {
    post: {
      tags: ["Qliro Checkout 'Client-side events' Callbacks"],
      operationId: 'shippingOptionUpdate',
      summary: 'Shipping option update. The Norce order will be updated with the latest selected delivery information from qliro',
      description:
        "Shipping option updated notifications (the storefront forwards Qliro's onShippingMethodChanged). Creates or replaces the one Norce " +
        "shipping owned by this adapter (reference = method, name, totals, VAT rate, pickup location) and sets the payment's amount to the new total.",
      parameters: [...orderAndPayment, ...clientEventQuery],
      requestBody: { description: 'Shipping option update object', required: true, content: json(ref('ShippingOptionUpdate'), shippingOptionExample) },
      responses: {
        '200': emptyAnswer('Success'),
        '400': errorResponse('Bad Request: negative prices, or a price excluding VAT above the price including VAT', {
          price: errorExample('Inconsistent prices', { code: 'order-bad-request', message: 'totalShippingPriceExVat must not exceed totalShippingPrice' }),
        }),
        ...norceFacingErrors({ payment: errors.paymentNotFound, order: errors.orderNotFound }),
      },
    },
  },
  [`${CALLBACKS}/cart-changed`]: {
    post: cartChanged(
      'cartChanged',
      'Handle Cart changed',
      'Cart changed (NCO hook on `/cart` and `/shippings`). Recomputes the Qliro lines and the amount to cover; updates the Qliro order while it is ' +
        "`InProcess`; answers the patch of this adapter's payment.",
    ),
  },
  [`${CALLBACKS}/update-payment`]: {
    post: cartChanged('updatePayment', 'Handle Cart changed (update-payment)', 'The same as cart-changed, under the name Norce\'s own adapters register their hooks with.'),
  },
  [`${CALLBACKS}/state-changed`]: {
    post: {
      tags: ['Norce Callbacks'],
      operationId: 'stateChanged',
      summary: 'Handle State changed',
      description:
        'State changed (NCO hook on `/state`). Vetoes transitions the payment cannot honour: to `accepted` or `completed` while the payment is not ' +
        '`reserved`, `pending` or `captured`. Back to `checkout` from `processing` is allowed.',
      parameters: [...orderAndPayment, ...channelHeaders],
      requestBody: hookBody,
      responses: {
        '200': patchAnswer('Success: the transition is allowed', []),
        '400': errorResponse('Bad Request: the transition is vetoed', {
          veto: errorExample('The payment is not reserved', {
            code: 'payment-conflict',
            message: 'the order cannot become completed while the Qliro payment is intent: Qliro has not reserved the money',
          }),
        }),
        ...norceFacingErrors({ payment: errors.paymentNotFound, order: errors.orderNotFound }),
      },
    },
  },
  [`${ORDER_MANAGEMENT}/refresh`]: {
    post: {
      tags: ['Order Management'],
      operationId: 'refreshPaymentActions',
      summary: 'Refresh the list of available PaymentActions for an order',
      description:
        'Refreshes the list of available payment actions on the payment to reflect the current payment state. Reads the Qliro Admin order and ' +
        'reconciles the payment state from its transactions (repairs a lost push); publishes `capture`, `cancel`, `refund` as they apply.',
      parameters: [...orderAndPayment, ...channelHeaders],
      responses: {
        '200': emptyAnswer('Success'),
        '400': errorResponse('Bad Request', { header: errors.missingHeader }),
        ...norceFacingErrors({ payment: errors.paymentNotFound, order: errors.orderNotFound }),
      },
    },
  },
  [`${ORDER_MANAGEMENT}/cancel`]: {
    post: orderManagement('cancelOrder', 'Cancel Qliro Order', 'Used to cancel a Qliro order: the payment must be `reserved` with nothing captured.', {
      conflict: errorExample('Already captured', { code: 'payment-conflict', message: `Payment ${EXAMPLE_PAYMENT_ID} is captured; a captured payment is refunded, not cancelled` }),
    }),
  },
  [`${ORDER_MANAGEMENT}/capture`]: {
    post: orderManagement(
      'captureOrder',
      'Capture Qliro order',
      'Used to capture a Qliro order: the payment must be `reserved`. Marks the reserved, unshipped items shipped at Qliro; the payment becomes ' +
        '`captured` with the Success status push. A second capture while one is in flight or done makes no second Qliro call.',
      { onHold: errors.onHold, conflict: errors.paymentConflict },
    ),
  },
  [`${ORDER_MANAGEMENT}/refund`]: {
    post: orderManagement('refundOrder', 'Refund Qliro order', 'Used to refund a Qliro order: the payment must be `captured`. Returns the captured items at Qliro.', {
      conflict: errorExample('Not captured', { code: 'payment-conflict', message: `Payment ${EXAMPLE_PAYMENT_ID} is reserved; only a captured payment can be refunded` }),
    }),
  },
  '/health/live': {
    get: {
      tags: ['Operations'],
      operationId: 'live',
      summary: 'Liveness',
      description: 'The process serves HTTP. Calls nothing.',
      security: noBearer,
      responses: { '200': { description: 'Alive', content: json(ref('Health'), { status: 'ok' }) } },
    },
  },
  '/health/ready': {
    get: {
      tags: ['Operations'],
      operationId: 'ready',
      summary: 'Readiness',
      description: 'Configuration loaded and not shutting down. Fails at once when shutdown starts (SIGTERM).',
      security: noBearer,
      responses: {
        '200': { description: 'Ready', content: json(ref('Health'), { status: 'ready' }) },
        '503': { description: 'Shutting down', content: json(ref('Health'), { status: 'shutting-down' }) },
      },
    },
  },
  '/metrics': {
    get: {
      tags: ['Operations'],
      operationId: 'metrics',
      summary: 'Prometheus metrics',
      description:
        'Default process metrics; `http_request_duration_seconds{method,route,status_code}` (route templates); ' +
        '`upstream_request_duration_seconds{upstream,operation,outcome}`; `qliro_callbacks_total{type,outcome}`; `payment_transitions_total{from,to}`.',
      security: noBearer,
      responses: {
        '200': {
          description: 'Prometheus text format',
          content: { 'text/plain': { schema: str(), example: 'http_request_duration_seconds_count{method="GET",route="/health/live",status_code="200"} 3\n' } },
        },
      },
    },
  },
  '/openapi/v1/schemas/qliro_checkout_adapter.json': {
    get: {
      tags: ['Operations'],
      operationId: 'channelConfigurationSchema',
      summary: 'JSON Schema of the channel configuration',
      description: 'The JSON Schema of the `qliro_checkout_adapter` channel configuration document in the NCO Configuration API.',
      security: noBearer,
      responses: { '200': { description: 'JSON Schema (draft 2020-12)', content: json({ type: 'object', additionalProperties: true }) } },
    },
  },
};

// ---------------------------------------------------------------------------------------------
// Schemas

const amount = ref('Amount');

const schemas: Record<string, SchemaObject> = {
  ErrorCode: str('Error code', { enum: [...ERROR_CODES] }),
  Error: obj(
    {
      code: ref('ErrorCode'),
      message: str('Detailed error information'),
      qliroError: ref('QliroError'),
    },
    { required: ['code', 'message'] },
  ),
  QliroError: obj(
    {
      ErrorCode: str("Qliro's error code, e.g. INVALID_INPUT, ORDER_NOT_FOUND, ORDER_EXPIRED"),
      ErrorMessage: str("Qliro's message"),
      ErrorReference: str("Qliro's reference of the error (give it to Qliro support)"),
    },
    { description: 'Error if originating from Qliro: its error body as Qliro sent it', additionalProperties: true },
  ),
  PaymentResponse: obj(
    { paymentId: str('Norce Payment Id'), htmlSnippet: str('Qliro checkout order html snippet.') },
    { required: ['paymentId', 'htmlSnippet'] },
  ),
  Empty: obj({}, { description: 'An empty object' }),
  ValidationDecline: obj(
    {
      declineReason: str("Qliro's decline reason", { enum: [...DECLINE_REASONS] }),
      declineReasonMessage: str('Shown to the shopper (at most 150 characters)', { maxLength: 150 }),
    },
    { required: ['declineReason'], description: 'Qliro reads the property names case-insensitively.' },
  ),
  CallbackResponse: obj({ callbackResponse: str('Always `received`', { enum: ['received'] }) }, { required: ['callbackResponse'] }),
  PatchOperation: obj(
    { op: str('JSON Patch operation', { example: 'replace' }), path: str('JSON Pointer into the order', { example: '/payments/0/amount' }), value: { description: 'any' } },
    { required: ['op', 'path'] },
  ),
  Health: obj({ status: str(undefined, { enum: ['ok', 'ready', 'shutting-down'] }) }, { required: ['status'] }),

  // Qliro's wire format (PascalCase; the adapter reads any casing)
  QliroCustomer: obj({
    FirstName: nstr(),
    LastName: nstr(),
    PersonalNumber: nstr(),
    VatNumber: nstr(),
    Email: nstr(),
    MobileNumber: nstr(),
    JuridicalType: nstr('Physical or Company'),
    DateOfBirth: nstr(),
    Gender: { type: 'integer', nullable: true },
  }, { nullable: true }),
  QliroAddress: obj({
    FirstName: nstr(),
    LastName: nstr(),
    CompanyName: nstr(),
    CareOf: nstr(),
    Street: nstr(),
    Street2: nstr(),
    PostalCode: nstr(),
    City: nstr(),
    CountryCode: nstr(),
    Area: nstr(),
    AreaCode: nstr(),
  }, { nullable: true }),
  QliroOrderItem: obj(
    {
      MerchantReference: str(),
      Description: nstr(),
      Type: nstr('Product, Discount, Fee or Shipping'),
      Quantity: num(),
      PricePerItemIncVat: num(),
      PricePerItemExVat: nnum(),
      VatRate: nnum(),
      PaymentTransactionId: { type: 'integer', nullable: true },
      Metadata: { type: 'object', nullable: true, additionalProperties: true },
    },
    { required: ['MerchantReference', 'Quantity', 'PricePerItemIncVat'] },
  ),
  QliroOrder: obj(
    {
      OrderId: int(undefined, { format: 'int32' }),
      MerchantReference: nstr(),
      TotalPrice: num(undefined, { format: 'double', nullable: true }),
      Currency: nstr(),
      Country: nstr(),
      Language: nstr(),
      CustomerCheckoutStatus: nstr('InProcess, Completed, OnHold or Refused'),
      Customer: ref('QliroCustomer'),
      BillingAddress: ref('QliroAddress'),
      ShippingAddress: ref('QliroAddress'),
      OrderItems: arr(ref('QliroOrderItem')),
      PaymentMethod: obj({ PaymentMethodName: nstr(), PaymentTypeCode: nstr() }, { nullable: true }),
      SelectedShippingMethod: nstr(),
      SelectedShippingSecondaryOption: nstr(),
      SignupForNewsletter: bool(undefined, { nullable: true }),
      AskForNewsletterSignupChecked: bool(undefined, { nullable: true }),
      IdentityVerification: obj({ RequireIdentityVerification: bool(undefined, { nullable: true }), IdentityVerified: bool(undefined, { nullable: true }) }, { nullable: true }),
      MerchantProvidedMetadata: { type: 'array', nullable: true, items: obj({ Key: str(), Value: nstr() }) },
      OrderHtmlSnippet: nstr(),
    },
    { required: ['OrderId', 'OrderItems'], description: 'Qliro order' },
  ),
  CheckoutStatusPush: obj(
    {
      OrderId: int(),
      MerchantReference: nstr(),
      Status: nstr('InProcess, Completed, OnHold or Refused'),
      Timestamp: nstr(),
      NotificationType: nstr('CustomerCheckoutStatus'),
      PaymentTransactionId: { type: 'integer', nullable: true },
    },
    { required: ['OrderId'] },
  ),
  OrderManagementStatusPush: obj(
    {
      OrderId: int(),
      MerchantReference: nstr(),
      PaymentTransactionId: int(),
      OriginalPaymentTransactionId: { type: 'integer', nullable: true },
      PaymentReference: nstr(),
      PaymentType: nstr('Preauthorization, Debit, Capture, Reversal, Refund, …'),
      Status: nstr('Created, InProcess, UserInteractionRequired, OnHold, Success, Error, Cancelled'),
      Amount: nnum(),
      Currency: nstr(),
      ProviderTransactionId: nstr(),
      ProviderResultCode: nstr(),
      ProviderResultDescription: nstr(),
      ErrorCode: nstr(),
      ErrorCodeDescription: nstr(),
      Timestamp: nstr(),
    },
    { required: ['OrderId', 'PaymentTransactionId'] },
  ),
  ShippingOptionUpdate: obj(
    {
      method: str('Shipping method reference'),
      methodName: nstr(),
      secondaryOption: nstr(),
      pickupLocation: obj({ name: nstr(), description: { type: 'array', nullable: true, items: str() } }, { nullable: true }),
      additionalShippingServices: { type: 'array', nullable: true, items: str() },
      shippingServicesNames: { type: 'array', nullable: true, items: str() },
      price: num('Represents the price of the shipping method selected', { format: 'double' }),
      priceExVat: nnum(),
      totalShippingPrice: num('Price of the shipping method selected plus any additionalServices that might cost extra', { format: 'double' }),
      totalShippingPriceExVat: num(undefined, { format: 'double' }),
    },
    { required: ['method'] },
  ),

  // Norce Checkout's order (as NCO posts it to hooks)
  Amount: obj({ includingVat: num(), excludingVat: num() }),
  Discount: obj({ type: nstr(), name: nstr(), code: nstr(), reference: nstr(), description: nstr(), value: amount, attributes }),
  CartItem: obj({
    id: str(),
    reference: nstr(),
    name: nstr(),
    sku: nstr(),
    productType: nstr(),
    url: nstr(),
    imageUrl: nstr(),
    quantity: num(),
    unit: nstr(),
    price: amount,
    total: amount,
    originalTotal: amount,
    vatRate: num('Fraction, e.g. 0.25'),
    discounts: arr(ref('Discount')),
    attributes,
  }),
  Cart: obj({ reference: nstr(), items: arr(ref('CartItem')), discounts: arr(ref('Discount')), total: amount, attributes }),
  OrderState: obj({
    currentStatus: str(undefined, { enum: [...ORDER_STATUSES] }),
    transitions: arr(obj({ status: str(), timeStamp: str(undefined, { format: 'date-time' }) })),
  }),
  Shipping: obj({
    id: str(),
    merchant: nstr(),
    channel: nstr(),
    state: nstr('intent, processing, confirmed, removed, failed, …'),
    reference: nstr(),
    tmsReference: nstr(),
    orderId: nstr(),
    adapterId: nstr(),
    name: nstr(),
    total: amount,
    vatRate: num(),
    deliveryDetails: obj(
      {
        carrier: nstr(),
        class: nstr(),
        product: obj({ reference: nstr(), name: nstr() }, { nullable: true }),
        pickupLocation: obj(
          {
            reference: nstr(),
            name: nstr(),
            address: obj({ streetAddress: nstr(), city: nstr(), postalCode: nstr(), country: nstr() }, { nullable: true }),
          },
          { nullable: true },
        ),
      },
      { nullable: true },
    ),
    addons: arr(obj({ reference: nstr(), price: num() })),
    attributes,
  }),
  PaymentAction: obj({ id: str(), adapterId: nstr(), type: str('capture, cancel, refund, …'), url: str() }),
  Payment: obj({
    id: str(),
    adapterId: nstr(),
    name: nstr(),
    merchant: nstr(),
    channel: nstr(),
    currency: nstr(),
    type: nstr('default, prepaid or voucher'),
    orderId: nstr(),
    amount: num(),
    upperLimitAmount: nnum(),
    state: str(undefined, { enum: [...PAYMENT_STATES] }),
    reference: nstr('For this adapter: the Qliro OrderId'),
    attributes,
    actions: arr(ref('PaymentAction')),
  }),
  Address: obj({
    type: nstr('person or organization'),
    givenName: nstr(),
    familyName: nstr(),
    careOf: nstr(),
    reference: nstr(),
    organizationName: nstr(),
    streetAddress: nstr(),
    streetAddress2: nstr(),
    postalCode: nstr(),
    city: nstr(),
    region: nstr(),
    country: nstr(),
    phone: nstr(),
    email: nstr(),
    nationalIdentificationNumber: nstr(),
    organizationIdentificationNumber: nstr(),
    attributes,
  }, { nullable: true }),
  Customer: obj({ billing: ref('Address'), shipping: ref('Address'), type: nstr(), attributes }, { nullable: true }),
  Consent: obj({ id: str(), checked: bool(), text: nstr(), required: bool() }),
  Hook: obj({ id: str(), adapterId: nstr(), subscribeTo: str(), target: nstr(), invoke: str(), version: nstr() }),
  Order: obj(
    {
      id: str(),
      merchant: str(),
      channel: str(),
      reference: nstr(),
      created: str(undefined, { format: 'date-time' }),
      lastModified: str(undefined, { format: 'date-time' }),
      state: ref('OrderState'),
      culture: nstr(),
      currency: str(),
      country: nstr(),
      cart: ref('Cart'),
      shippings: arr(ref('Shipping')),
      payments: arr(ref('Payment')),
      customer: ref('Customer'),
      consents: arr(ref('Consent')),
      hooks: arr(ref('Hook')),
      total: amount,
      attributes,
    },
    { description: 'Updated order' },
  ),
};

export const openApiDocument: OpenApiDocument = {
  openapi: '3.0.3',
  info: {
    title: 'Norce Checkout - Qliro Checkout Adapter API',
    version: '1.0.0',
    description:
      'The Qliro Checkout Adapter API is used to create and manage a Qliro Checkout Order for a Norce Checkout order.\n\n' +
      'Every error body is `{code, message, qliroError?}` with `code` from the ErrorCode list. Status: 401 `unauthorized`; 404 ' +
      '`*-not-found`; 409 `payment-conflict`/`order-conflict`; 400 for what the caller or its configuration can fix; 502 with `Retry-After` ' +
      'when Norce Checkout or Qliro failed or timed out (retry as is); 500 only for a fault of the adapter itself.\n\n' +
      'Every request may carry `x-correlation-id` (at most 100 of `A-Z a-z 0-9 . _ -`); it is echoed in the answer, written on every log ' +
      'line and forwarded on every call the adapter makes to Norce and Qliro. Without one the adapter makes one.',
  },
  servers: [{ url: '/', description: 'This adapter' }],
  tags: [
    { name: 'Payments', description: 'Called by the storefront (through its platform adapter).' },
    { name: 'Qliro Checkout Callbacks', description: 'Called by Qliro. Authenticated by the signed `token` query parameter in the URLs the adapter gave Qliro.' },
    { name: "Qliro Checkout 'Client-side events' Callbacks", description: "Called by the storefront when Qliro's checkout raises a client-side event." },
    { name: 'Norce Callbacks', description: 'Hooks called by Norce Checkout; registered by the adapter when the payment is created.' },
    { name: 'Order Management', description: 'Payment actions called by Norce Checkout after the purchase.' },
    { name: 'Operations', description: 'Health, metrics and schemas for operators.' },
  ],
  security: [{ Bearer: [] }],
  paths,
  components: {
    securitySchemes: {
      Bearer: { type: 'http', scheme: 'bearer', description: 'One of the tokens in ADAPTER_API_TOKENS' },
    },
    parameters: {
      OrderId: { name: 'order_id', in: 'path', required: true, description: 'Order identifier', schema: str(undefined, { pattern: '^[A-Za-z0-9_-]{1,100}$' }), example: EXAMPLE_ORDER_ID },
      PaymentId: { name: 'payment_id', in: 'path', required: true, description: 'Payment identifier', schema: str(undefined, { pattern: '^[A-Za-z0-9_-]{1,100}$' }), example: EXAMPLE_PAYMENT_ID },
      XMerchant: { name: 'x-merchant', in: 'header', required: true, description: 'Merchant identifier.', schema: str(), example: 'norce' },
      XChannel: { name: 'x-channel', in: 'header', required: true, description: 'Channel identifier', schema: str(), example: '1' },
      Merchant: { name: 'merchant', in: 'query', required: true, description: 'Merchant identifier', schema: str(), example: 'norce' },
      Channel: { name: 'channel', in: 'query', required: true, description: 'Merchant channel', schema: str(), example: '1' },
      CallbackToken: {
        name: 'token',
        in: 'query',
        required: true,
        description: 'HMAC-SHA256 of (order id, payment id, merchant, channel) with CALLBACK_SIGNING_SECRET, base64url; part of the URLs the adapter gave Qliro',
        schema: str(undefined, { pattern: '^[A-Za-z0-9_-]+$' }),
      },
      CorrelationId: {
        name: 'x-correlation-id',
        in: 'header',
        required: false,
        description: 'Correlation id (at most 100 of A-Z a-z 0-9 . _ -); made by the adapter when absent or not acceptable',
        schema: str(undefined, { pattern: '^[A-Za-z0-9._-]{1,100}$' }),
      },
    },
    headers: {
      CorrelationId: { description: 'The correlation id of the request (given or made)', schema: str() },
      RetryAfter: { description: 'Seconds after which the same request may be retried', schema: int() },
    },
    schemas,
  },
};

/** Document examples for tests: the decline reasons and the example bodies written from the shared fixtures. */
export const documentExamples = {
  validate: validateExample,
  pushCompleted: pushCompletedExample,
  pushOnHold: pushOnHoldExample,
  omCaptureSuccess: omStatus('Capture', 'Success', 3294190, '2026-02-04T09:15:40.123'),
  omCaptureError: omStatus('Capture', 'Error', 3294188, '2026-02-04T09:02:11.480'),
  shippingOption: shippingOptionExample,
  order: orderExample,
  payment: paymentExample,
} as const;
