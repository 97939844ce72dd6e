// io-ts codecs of what Qliro's Merchant API answers. Lenient on what Qliro leaves out or nulls, strict on what we act on.
import * as t from 'io-ts';
import { isLeft, left, right, type Either } from 'fp-ts/Either';
import type { QliroErrorBody } from '../../domain/errors';
import type {
  QliroAddress,
  QliroCustomer,
  QliroOrder,
  QliroOrderItemType,
  QliroOrderLine,
} from '../../domain/qliro-order';

// ---------------------------------------------------------------------------------------------
// Property-name normalisation: Qliro's test environment (and relays of it) answers in camelCase.

/** Every property name we read, in its canonical (PascalCase) spelling. */
const KNOWN_KEYS = [
  // CreateOrder / GetOrder
  'OrderId', 'PaymentLink', 'MerchantReference', 'TotalPrice', 'Currency', 'Country', 'Language',
  'CustomerCheckoutStatus', 'OrderHtmlSnippet', 'OrderItems', 'Customer', 'BillingAddress', 'ShippingAddress',
  'PaymentMethod', 'PaymentMethodName', 'PaymentTypeCode', 'IdentityVerification', 'RequireIdentityVerification',
  'IdentityVerified', 'MerchantProvidedMetadata', 'Key', 'Value', 'SelectedShippingMethod',
  'SelectedShippingSecondaryOption', 'SignupForNewsletter', 'AskForNewsletterSignupChecked', 'Upsell',
  'CustomerVerifiedEmail', 'MerchantSavedCreditCard', 'MerchantProvidedQuestionAnswer',
  // order items
  'Description', 'Type', 'Quantity', 'PricePerItemIncVat', 'PricePerItemExVat', 'VatRate', 'Metadata',
  'PaymentTransactionId', 'ShippingMethodMerchantReference', 'MerchantData',
  // customer / address
  'FirstName', 'LastName', 'PersonalNumber', 'VatNumber', 'Email', 'MobileNumber', 'JuridicalType', 'DateOfBirth',
  'Gender', 'CompanyName', 'CareOf', 'Street', 'Street2', 'PostalCode', 'City', 'CountryCode', 'Area', 'AreaCode',
  // callbacks (validation, checkout-status push, order-management push)
  'Status', 'Timestamp', 'NotificationType', 'OriginalPaymentTransactionId', 'PaymentType', 'Amount',
  'PaymentReference', 'ProviderTransactionId', 'ProviderResultCode', 'ProviderResultDescription',
  'ErrorCodeDescription', 'DeclineReason', 'DeclineReasonMessage', 'CallbackResponse',
  // errors
  'ErrorCode', 'ErrorMessage', 'DetailedErrorMessage', 'ErrorReference',
] as const;

const CANONICAL_KEY = new Map<string, string>(KNOWN_KEYS.map((k) => [k.toLowerCase(), k]));

/** Values under these keys are the merchant's own data: their property names are left as they are. */
const OPAQUE_KEYS = new Set<string>(['MerchantData']);

const canonicalKey = (key: string): string =>
  CANONICAL_KEY.get(key.toLowerCase()) ?? (key.length > 0 ? key[0]!.toUpperCase() + key.slice(1) : key);

/**
 * Rewrites every property name to PascalCase, case-insensitively (`orderHtmlSnippet` and `ORDERHTMLSNIPPET` both
 * become `OrderHtmlSnippet`); when two spellings of one name occur, the already-canonical one wins.
 */
export function toPascalCaseKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(toPascalCaseKeys);
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value as Record<string, unknown>)) {
    const name = canonicalKey(key);
    if (name in out && key !== name) continue;
    out[name] = OPAQUE_KEYS.has(name) ? inner : toPascalCaseKeys(inner);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Building blocks

export const nullable = <C extends t.Mixed>(codec: C) => t.union([codec, t.null, t.undefined]);

/** A finite number, also accepted as a numeric string (Qliro's .NET side reads both; some relays send strings). */
export const Decimal = new t.Type<number, number, unknown>(
  'Decimal',
  (u): u is number => typeof u === 'number' && Number.isFinite(u),
  (u, c) => {
    if (typeof u === 'number' && Number.isFinite(u)) return t.success(u);
    if (typeof u === 'string' && u.trim() !== '' && Number.isFinite(Number(u))) return t.success(Number(u));
    return t.failure(u, c);
  },
  t.identity,
);

/** Qliro ids are integers; accepted as numbers or digit strings. */
export const IntegerId = new t.Type<number, number, unknown>(
  'IntegerId',
  (u): u is number => typeof u === 'number' && Number.isSafeInteger(u),
  (u, c) => {
    const n = typeof u === 'string' && /^\s*\d+\s*$/.test(u) ? Number(u) : u;
    return typeof n === 'number' && Number.isSafeInteger(n) && n > 0 ? t.success(n) : t.failure(u, c);
  },
  t.identity,
);

/** Wraps a codec so that it decodes whatever casing Qliro used for property names. */
export const pascalCased = <A, O>(codec: t.Type<A, O, unknown>, name = codec.name): t.Type<A, O, unknown> =>
  new t.Type<A, O, unknown>(name, codec.is, (u, c) => codec.validate(toPascalCaseKeys(u), c), codec.encode);

/** A codec that reads a Qliro wire shape in any casing and maps it into the domain's type. */
export const fromWire = <W, A>(name: string, wire: t.Type<W, any, unknown>, toDomain: (w: W) => A): t.Type<A, unknown, unknown> =>
  pascalCased(
    new t.Type<A, unknown, unknown>(
      name,
      (u): u is A => wire.is(u),
      (u, c) => {
        const decoded = wire.validate(u, c);
        return isLeft(decoded) ? decoded : t.success(toDomain(decoded.right));
      },
      t.identity,
    ),
  );

// ---------------------------------------------------------------------------------------------
// CreateOrder response: `{ OrderId, PaymentLink? }`

const CreateOrderResponseWire = t.intersection([
  t.type({ OrderId: IntegerId }),
  t.partial({ PaymentLink: nullable(t.string) }),
]);

export interface QliroCreateOrderResponse {
  readonly OrderId: number;
  readonly PaymentLink?: string;
}

export const QliroCreateOrderResponseCodec: t.Type<QliroCreateOrderResponse, unknown, unknown> = pascalCased(
  new t.Type<QliroCreateOrderResponse, unknown, unknown>(
    'QliroCreateOrderResponse',
    (u): u is QliroCreateOrderResponse => CreateOrderResponseWire.is(u),
    (u, c) => {
      const decoded = CreateOrderResponseWire.validate(u, c);
      if (isLeft(decoded)) return decoded;
      const { OrderId, PaymentLink } = decoded.right;
      return t.success(typeof PaymentLink === 'string' ? { OrderId, PaymentLink } : { OrderId });
    },
    t.identity,
  ),
);

// ---------------------------------------------------------------------------------------------
// GetOrder response → QliroOrder

const ORDER_ITEM_TYPES: readonly QliroOrderItemType[] = ['Product', 'Discount', 'Fee', 'Shipping'];

const OrderLineWire = t.intersection([
  t.type({ MerchantReference: t.string, Quantity: Decimal, PricePerItemIncVat: Decimal }),
  t.partial({
    Description: nullable(t.string),
    Type: nullable(t.string),
    PricePerItemExVat: nullable(Decimal),
    VatRate: nullable(Decimal),
    Metadata: nullable(t.UnknownRecord),
  }),
]);

export const AddressWire = t.partial({
  FirstName: nullable(t.string),
  LastName: nullable(t.string),
  CareOf: nullable(t.string),
  CompanyName: nullable(t.string),
  Street: nullable(t.string),
  Street2: nullable(t.string),
  PostalCode: nullable(t.string),
  City: nullable(t.string),
  CountryCode: nullable(t.string),
});

export const CustomerWire = t.partial({
  Email: nullable(t.string),
  MobileNumber: nullable(t.string),
  PersonalNumber: nullable(t.string),
  JuridicalType: nullable(t.string),
  FirstName: nullable(t.string),
  LastName: nullable(t.string),
});

const GetOrderResponseWire = t.intersection([
  t.type({
    OrderId: IntegerId,
    MerchantReference: t.string,
    Currency: t.string,
    Country: t.string,
    CustomerCheckoutStatus: t.string,
  }),
  t.partial({
    Language: nullable(t.string),
    TotalPrice: nullable(Decimal),
    OrderItems: nullable(t.array(OrderLineWire)),
    OrderHtmlSnippet: nullable(t.string),
    Customer: nullable(CustomerWire),
    BillingAddress: nullable(AddressWire),
    ShippingAddress: nullable(AddressWire),
    PaymentMethod: nullable(
      t.partial({ PaymentMethodName: nullable(t.string), PaymentTypeCode: nullable(t.string) }),
    ),
    IdentityVerification: nullable(
      t.partial({ RequireIdentityVerification: nullable(t.boolean), IdentityVerified: nullable(t.boolean) }),
    ),
    MerchantProvidedMetadata: nullable(t.array(t.type({ Key: t.string, Value: t.string }))),
  }),
]);

type OrderLineWire = t.TypeOf<typeof OrderLineWire>;

const toMinorUnits = (amount: number): number => Math.round(amount * 100);

/** Known item types keep their canonical spelling; an unknown one is kept as Qliro sent it. */
const toItemType = (type: string | null | undefined): QliroOrderItemType => {
  if (type === null || type === undefined || type === '') return 'Product';
  const known = ORDER_ITEM_TYPES.find((k) => k.toLowerCase() === type.toLowerCase());
  return (known ?? type) as QliroOrderItemType;
};

/**
 * Qliro's GetOrder carries no VatRate per item: when absent it is derived from the two unit prices (2 decimals),
 * which is exact for the usual rates but approximate for very small unit prices.
 */
const deriveVatRate = (incVat: number, exVat: number): number =>
  exVat === 0 || incVat === exVat ? 0 : Math.round((incVat / exVat - 1) * 10000) / 100;

const toOrderLine = (w: OrderLineWire): QliroOrderLine => {
  const exVat = w.PricePerItemExVat ?? w.PricePerItemIncVat;
  const line: QliroOrderLine = {
    MerchantReference: w.MerchantReference,
    Description: w.Description ?? '',
    Type: toItemType(w.Type),
    Quantity: w.Quantity,
    PricePerItemIncVat: w.PricePerItemIncVat,
    PricePerItemExVat: exVat,
    VatRate: w.VatRate ?? deriveVatRate(w.PricePerItemIncVat, exVat),
  };
  return w.Metadata ? { ...line, Metadata: w.Metadata } : line;
};

const compact = <T extends object>(o: T): T =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;

const toAddress = (a: t.TypeOf<typeof AddressWire> | null | undefined): QliroAddress | null | undefined =>
  a === null || a === undefined ? a : compact({ ...a });

const toCustomer = (c: t.TypeOf<typeof CustomerWire> | null | undefined): QliroCustomer | null | undefined =>
  c === null || c === undefined ? c : compact({ ...c });

const toQliroOrder = (w: t.TypeOf<typeof GetOrderResponseWire>): QliroOrder => {
  const lines = (w.OrderItems ?? []).map(toOrderLine);
  const computedTotal = lines.reduce((sum, l) => sum + toMinorUnits(l.PricePerItemIncVat) * l.Quantity, 0) / 100;
  return compact<QliroOrder>({
    OrderId: w.OrderId,
    MerchantReference: w.MerchantReference,
    Currency: w.Currency,
    Country: w.Country,
    Language: w.Language ?? undefined,
    TotalPrice: w.TotalPrice ?? computedTotal,
    OrderItems: lines,
    CustomerCheckoutStatus: w.CustomerCheckoutStatus,
    OrderHtmlSnippet: w.OrderHtmlSnippet ?? '',
    Customer: toCustomer(w.Customer),
    BillingAddress: toAddress(w.BillingAddress),
    ShippingAddress: toAddress(w.ShippingAddress),
    PaymentMethod: w.PaymentMethod === undefined || w.PaymentMethod === null ? w.PaymentMethod : compact({ ...w.PaymentMethod }),
    IdentityVerification:
      w.IdentityVerification === undefined || w.IdentityVerification === null
        ? w.IdentityVerification
        : compact({ ...w.IdentityVerification }),
    MerchantProvidedMetadata: w.MerchantProvidedMetadata ?? undefined,
  });
};

/** GetOrder, any casing, decoded into the domain's `QliroOrder` (PascalCase, defaults filled in). */
export const QliroGetOrderResponseCodec: t.Type<QliroOrder, unknown, unknown> = pascalCased(
  new t.Type<QliroOrder, unknown, unknown>(
    'QliroGetOrderResponse',
    (u): u is QliroOrder => GetOrderResponseWire.is(u),
    (u, c) => {
      const decoded = GetOrderResponseWire.validate(u, c);
      return isLeft(decoded) ? decoded : t.success(toQliroOrder(decoded.right));
    },
    t.identity,
  ),
);

// ---------------------------------------------------------------------------------------------
// Error body: `{ ErrorCode, ErrorMessage | DetailedErrorMessage, ErrorReference }`

const ErrorBodyWire = t.intersection([
  t.type({ ErrorCode: t.string }),
  t.partial({
    ErrorMessage: nullable(t.string),
    DetailedErrorMessage: nullable(t.string),
    ErrorReference: nullable(t.string),
  }),
]);

/** Qliro's error body; `DetailedErrorMessage` (the OpenAPI's name) is folded into `ErrorMessage`. */
export const QliroErrorBodyCodec: t.Type<QliroErrorBody, unknown, unknown> = pascalCased(
  new t.Type<QliroErrorBody, unknown, unknown>(
    'QliroErrorBody',
    (u): u is QliroErrorBody => ErrorBodyWire.is(u),
    (u, c) => {
      const decoded = ErrorBodyWire.validate(u, c);
      if (isLeft(decoded)) return decoded;
      const w = decoded.right;
      return t.success(
        compact<QliroErrorBody>({
          ErrorCode: w.ErrorCode,
          ErrorMessage: w.ErrorMessage ?? w.DetailedErrorMessage ?? undefined,
          ErrorReference: w.ErrorReference ?? undefined,
        }),
      );
    },
    t.identity,
  ),
);

// ---------------------------------------------------------------------------------------------
// Decoding with messages that name paths, never values (bodies may hold personal data).

/** Names the failing paths of a decode, e.g. `OrderItems.0.Quantity`, without echoing any value. */
export function describeDecodeErrors(errors: t.Errors): string {
  const paths = new Set<string>();
  for (const error of errors) {
    // Keep property names and array indices; drop the member indices that unions and intersections add.
    const path = error.context
      .filter((entry, i, all) => i > 0 && (!/^\d+$/.test(entry.key) || all[i - 1]!.type instanceof t.ArrayType))
      .map((entry) => entry.key)
      .join('.');
    paths.add(path === '' ? '(root)' : path);
    if (paths.size >= 5) break;
  }
  return `invalid or missing: ${[...paths].join(', ')}`;
}

export function decodeWith<A>(codec: t.Type<A, unknown, unknown>, u: unknown): Either<string, A> {
  const result = codec.decode(u);
  return isLeft(result) ? left(describeDecodeErrors(result.left)) : right(result.right);
}
