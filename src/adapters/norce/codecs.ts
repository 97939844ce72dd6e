// io-ts codecs for NCO Order API v0 responses → the domain's Norce types.
// Lenient where Norce is (optional fields may be absent or null; unknown fields are kept, so a payment
// read here can be PUT back whole without losing fields this adapter does not model), strict where the
// adapter depends on a field (ids, currency, country, state, cart lines, totals).
import * as t from 'io-ts';
import { isLeft, left, right, type Either } from 'fp-ts/Either';
import {
  ORDER_STATUSES,
  PAYMENT_STATES,
  type Amount,
  type NorceAddress,
  type NorceCart,
  type NorceCartItem,
  type NorceCustomer,
  type NorceDiscount,
  type NorceHook,
  type NorceOrder,
  type NorcePayment,
  type NorcePaymentAction,
  type NorceShipping,
  type OrderStatus,
  type PaymentState,
} from '../../domain/norce-order';

// ---------------------------------------------------------------------------------------------
// Combinators

type TypeOfProps<P extends t.Props> = { [K in keyof P]: t.TypeOf<P[K]> };
type OptionalTypeOfProps<P extends t.Props> = { [K in keyof P]?: t.TypeOf<P[K]> };

const isRecord = (u: unknown): u is Record<string, unknown> =>
  typeof u === 'object' && u !== null && !Array.isArray(u);

/**
 * An object with required and optional properties. An optional property that is absent or `null`
 * is left out of the result (unless its own codec accepts `null`, e.g. a nullable reference).
 * Properties not listed are kept as they are.
 */
export function struct<R extends t.Props, O extends t.Props>(
  name: string,
  required: R,
  optional: O,
): t.Type<TypeOfProps<R> & OptionalTypeOfProps<O>, unknown, unknown> {
  type A = TypeOfProps<R> & OptionalTypeOfProps<O>;
  const validate = (u: unknown, c: t.Context): t.Validation<A> => {
    if (!isRecord(u)) return t.failure(u, c, u === undefined ? `required ${name}` : 'expected an object');
    const out: Record<string, unknown> = { ...u };
    const errors: t.ValidationError[] = [];
    for (const [key, codec] of Object.entries(required)) {
      const value = u[key];
      const result = codec.validate(value, t.appendContext(c, key, codec, value));
      if (isLeft(result)) errors.push(...result.left);
      else out[key] = result.right;
    }
    for (const [key, codec] of Object.entries(optional)) {
      const value = u[key];
      if (value === undefined || (value === null && !codec.is(null))) {
        delete out[key];
        continue;
      }
      const result = codec.validate(value, t.appendContext(c, key, codec, value));
      if (isLeft(result)) errors.push(...result.left);
      else out[key] = result.right;
    }
    return errors.length > 0 ? t.failures(errors) : t.success(out as A);
  };
  const is = (u: unknown): u is A => isRecord(u) && !isLeft(validate(u, [{ key: '', type: t.unknown, actual: u }]));
  return new t.Type<A, unknown, unknown>(name, is, validate, (a) => a);
}

/** One of a fixed set of lower-case literals, matched case-insensitively (Norce parses enums that way). */
export function caseInsensitiveEnum<L extends string>(name: string, values: readonly L[]): t.Type<L, string, unknown> {
  const byLower = new Map(values.map((v) => [v.toLowerCase(), v] as const));
  return new t.Type<L, string, unknown>(
    name,
    (u): u is L => typeof u === 'string' && (values as readonly string[]).includes(u),
    (u, c) => {
      if (typeof u !== 'string') return t.failure(u, c, `expected one of ${values.join(', ')}`);
      const found = byLower.get(u.toLowerCase());
      return found === undefined ? t.failure(u, c, `expected one of ${values.join(', ')}`) : t.success(found);
    },
    (a) => a,
  );
}

const FiniteNumber = new t.Type<number, number, unknown>(
  'number',
  (u): u is number => typeof u === 'number' && Number.isFinite(u),
  (u, c) =>
    typeof u === 'number' && Number.isFinite(u)
      ? t.success(u)
      : t.failure(u, c, u === undefined ? 'required number' : 'expected a number'),
  (a) => a,
);

const NonEmptyString = new t.Type<string, string, unknown>(
  'non-empty string',
  (u): u is string => typeof u === 'string' && u.length > 0,
  (u, c) =>
    typeof u === 'string' && u.length > 0
      ? t.success(u)
      : t.failure(u, c, u === undefined ? 'required string' : 'expected a non-empty string'),
  (a) => a,
);

const JsonObject = new t.Type<Record<string, unknown>, Record<string, unknown>, unknown>(
  'object',
  isRecord,
  (u, c) => (isRecord(u) ? t.success(u) : t.failure(u, c, 'expected an object')),
  (a) => a,
);

/** An array whose `null` entries are skipped (Norce occasionally serialises empty slots). */
function lenientArray<C extends t.Mixed>(
  codec: C,
  name = `${codec.name}[]`,
): t.Type<readonly t.TypeOf<C>[], unknown, unknown> {
  return new t.Type<readonly t.TypeOf<C>[], unknown, unknown>(
    name,
    (u): u is readonly t.TypeOf<C>[] => Array.isArray(u) && u.every((x) => codec.is(x)),
    (u, c) => {
      if (!Array.isArray(u)) return t.failure(u, c, 'expected an array');
      const out: t.TypeOf<C>[] = [];
      const errors: t.ValidationError[] = [];
      u.forEach((x, i) => {
        if (x === null || x === undefined) return;
        const r = codec.validate(x, t.appendContext(c, String(i), codec, x));
        if (isLeft(r)) errors.push(...r.left);
        else out.push(r.right);
      });
      return errors.length > 0 ? t.failures(errors) : t.success(out);
    },
    (a) => a,
  );
}

// ---------------------------------------------------------------------------------------------
// Order API v0 models

export const AmountCodec: t.Type<Amount, unknown, unknown> = struct(
  'Amount',
  { includingVat: FiniteNumber, excludingVat: FiniteNumber },
  {},
);

export const OrderStatusCodec: t.Type<OrderStatus, string, unknown> = caseInsensitiveEnum('OrderStatus', ORDER_STATUSES);
export const PaymentStateCodec: t.Type<PaymentState, string, unknown> = caseInsensitiveEnum('PaymentState', PAYMENT_STATES);

export const NorceDiscountCodec: t.Type<NorceDiscount, unknown, unknown> = struct(
  'Discount',
  { value: AmountCodec },
  { type: t.string, name: t.string, code: t.string, reference: t.string, description: t.string },
);

export const NorceCartItemCodec: t.Type<NorceCartItem, unknown, unknown> = struct(
  'CartItem',
  { quantity: FiniteNumber, total: AmountCodec, vatRate: FiniteNumber },
  {
    id: t.string,
    reference: t.string,
    name: t.string,
    sku: t.string,
    productType: t.string,
    unit: t.string,
    price: AmountCodec,
    originalTotal: AmountCodec,
    discounts: lenientArray(NorceDiscountCodec),
  },
);

export const NorceCartCodec: t.Type<NorceCart, unknown, unknown> = struct(
  'Cart',
  { items: lenientArray(NorceCartItemCodec) },
  { reference: t.string, discounts: lenientArray(NorceDiscountCodec), total: AmountCodec },
);

export const NorceShippingCodec: t.Type<NorceShipping, unknown, unknown> = struct(
  'Shipping',
  { total: AmountCodec, vatRate: FiniteNumber },
  {
    id: t.string,
    adapterId: t.string,
    name: t.string,
    reference: t.string,
    state: t.string,
    deliveryDetails: JsonObject,
    attributes: JsonObject,
  },
);

export const NorcePaymentActionCodec: t.Type<NorcePaymentAction, unknown, unknown> = struct(
  'PaymentAction',
  { adapterId: t.string, type: t.string, url: t.string },
  { id: t.string },
);

export const NorcePaymentCodec: t.Type<NorcePayment, unknown, unknown> = struct(
  'Payment',
  { id: NonEmptyString, amount: FiniteNumber, state: PaymentStateCodec },
  {
    adapterId: t.string,
    name: t.string,
    type: t.string,
    currency: t.string,
    upperLimitAmount: FiniteNumber,
    reference: t.union([t.string, t.null]),
    attributes: JsonObject,
    actions: lenientArray(NorcePaymentActionCodec),
  },
);

export const NorcePaymentsCodec: t.Type<readonly NorcePayment[], unknown, unknown> = lenientArray(NorcePaymentCodec, 'Payment[]');

export const NorceAddressCodec: t.Type<NorceAddress, unknown, unknown> = struct(
  'Address',
  {},
  {
    type: t.string,
    givenName: t.string,
    familyName: t.string,
    careOf: t.string,
    organizationName: t.string,
    streetAddress: t.string,
    streetAddress2: t.string,
    postalCode: t.string,
    city: t.string,
    region: t.string,
    country: t.string,
    phone: t.string,
    email: t.string,
    nationalIdentificationNumber: t.string,
    organizationIdentificationNumber: t.string,
  },
);

export const NorceCustomerCodec: t.Type<NorceCustomer, unknown, unknown> = struct(
  'Customer',
  {},
  { type: t.string, billing: NorceAddressCodec, shipping: NorceAddressCodec },
);

export const NorceHookCodec: t.Type<NorceHook, unknown, unknown> = struct(
  'Hook',
  { id: NonEmptyString, invoke: t.string },
  { adapterId: t.string, subscribeTo: t.string, target: t.string, version: t.string },
);

const OrderStateCodec = struct('State', { currentStatus: OrderStatusCodec }, {});

export const NorceOrderCodec: t.Type<NorceOrder, unknown, unknown> = struct(
  'Order',
  {
    id: NonEmptyString,
    currency: NonEmptyString,
    country: NonEmptyString,
    state: OrderStateCodec,
    cart: NorceCartCodec,
    total: AmountCodec,
  },
  {
    merchant: t.string,
    channel: t.string,
    reference: t.union([t.string, t.null]),
    culture: t.string,
    shippings: lenientArray(NorceShippingCodec),
    payments: NorcePaymentsCodec,
    customer: NorceCustomerCodec,
    hooks: lenientArray(NorceHookCodec),
  },
);

/** `201 {id}` of POST …/payments, …/shippings, …/hooks and of POST /orders. */
export const CreatedIdCodec: t.Type<{ id: string }, unknown, unknown> = struct('CreateResponse', { id: NonEmptyString }, {});

/** Norce's `BaseError` body. Both fields optional: a proxy in front of NCO may answer with anything. */
export const NorceErrorBodyCodec: t.Type<{ code?: string; message?: string }, unknown, unknown> = struct(
  'BaseError',
  {},
  { code: t.string, message: t.string },
);

// ---------------------------------------------------------------------------------------------
// Error reporting (paths and expectations only — never the values, which may be personal data)

function isArrayCodec(type: t.Decoder<unknown, unknown> | undefined): boolean {
  return type instanceof t.ArrayType || (type !== undefined && /\[\]$/.test(type.name));
}

/** `cart.items[0].total.includingVat` from an io-ts context. */
export function errorPath(context: t.Context): string {
  let path = '';
  for (let i = 1; i < context.length; i++) {
    const entry = context[i]!;
    if (entry.key === '') continue;
    const parent = context[i - 1]?.type;
    if (isArrayCodec(parent) && /^\d+$/.test(entry.key)) path += `[${entry.key}]`;
    else path += path === '' ? entry.key : `.${entry.key}`;
  }
  return path;
}

function expectation(error: t.ValidationError): string {
  if (error.message !== undefined) return error.message;
  const last = error.context[error.context.length - 1];
  if (error.value === undefined) return `required ${last?.type.name ?? 'value'}`;
  return `expected ${last?.type.name ?? 'a different value'}`;
}

/** One line per failing field, e.g. `total: required Amount; cart.items[0].vatRate: expected a number`. */
export function describeDecodeErrors(errors: t.Errors, max = 5): string {
  const seen = new Set<string>();
  const lines: string[] = [];
  for (const error of errors) {
    const path = errorPath(error.context);
    const line = `${path === '' ? '(body)' : path}: ${expectation(error)}`;
    if (seen.has(line)) continue;
    seen.add(line);
    lines.push(line);
  }
  const shown = lines.slice(0, max).join('; ');
  return lines.length > max ? `${shown}; and ${lines.length - max} more` : shown;
}

/** Decode with a codec, the failure as a readable message naming the fields. */
export function decodeWith<A>(codec: t.Decoder<unknown, A>, u: unknown): Either<string, A> {
  const result = codec.decode(u);
  return isLeft(result) ? left(describeDecodeErrors(result.left)) : right(result.right);
}
