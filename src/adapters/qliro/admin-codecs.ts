// io-ts codecs of what Qliro's Admin API answers: GetOrder (the ledger), one payment transaction, and the transactions
// a write started. Any casing of property names; lenient on what Qliro nulls or leaves out, strict on what we act on.
import * as t from 'io-ts';
import { isLeft } from 'fp-ts/Either';
import type {
  QliroAdminOrder,
  QliroOrderItemAction,
  QliroPaymentTransaction,
  StartedTransactions,
} from '../../domain/qliro-admin';
import { Decimal, IntegerId, nullable } from './codecs';

// ---------------------------------------------------------------------------------------------
// Property names, case-insensitively. Note `MetaData` (capital D) on OrderItemActions, unlike `Metadata` on the
// Merchant API's order items; both spellings are accepted and kept as `MetaData`.

const ADMIN_KEYS = [
  'OrderId', 'MerchantReference', 'Currency', 'Country', 'OrderItemActions', 'PaymentTransactions', 'Id',
  'Description', 'Type', 'Quantity', 'PricePerItemIncVat', 'PricePerItemExVat', 'VatRate', 'ActionType',
  'PaymentTransactionId', 'MetaData', 'OriginalPaymentTransactionId', 'Amount', 'Status', 'Timestamp',
  'PaymentMethodName', 'PaymentMethodSubtypeCode', 'ErrorCode', 'ErrorCodeDescription', 'ProviderTransactionId',
  'ProviderResultCode', 'ProviderResultDescription',
] as const;

const CANONICAL = new Map<string, string>(ADMIN_KEYS.map((k) => [k.toLowerCase(), k]));
/** Opaque values: the merchant's or Qliro's own data, whose inner names are left alone. */
const OPAQUE = new Set<string>(['MetaData', 'Customer', 'BillingAddress', 'ShippingAddress', 'MerchantProvidedMetadata']);

const canonicalKey = (key: string): string =>
  CANONICAL.get(key.toLowerCase()) ?? (key.length > 0 ? key[0]!.toUpperCase() + key.slice(1) : key);

/** Every property name we read rewritten to its PascalCase spelling (an already-canonical duplicate wins). */
export function adminPascalCaseKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(adminPascalCaseKeys);
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value as Record<string, unknown>)) {
    const name = canonicalKey(key);
    if (name in out && key !== name) continue;
    out[name] = OPAQUE.has(name) ? inner : adminPascalCaseKeys(inner);
  }
  return out;
}

const adminCased = <A>(name: string, wire: t.Mixed, convert: (w: any) => A): t.Type<A, unknown, unknown> =>
  new t.Type<A, unknown, unknown>(
    name,
    (u): u is A => wire.is(u),
    (u, c) => {
      const decoded = wire.validate(adminPascalCaseKeys(u), c);
      return isLeft(decoded) ? decoded : t.success(convert(decoded.right));
    },
    t.identity,
  );

const compact = <T extends object>(o: T): T => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;

// ---------------------------------------------------------------------------------------------
// PaymentTransactions[] entry (GetOrder) and GET paymentTransactions/{id}

const TransactionWire = t.intersection([
  t.type({ PaymentTransactionId: IntegerId, Type: t.string, Status: t.string, Amount: Decimal }),
  t.partial({
    OrderId: nullable(Decimal),
    OriginalPaymentTransactionId: nullable(Decimal),
    Currency: nullable(t.string),
    PaymentMethodName: nullable(t.string),
    PaymentMethodSubtypeCode: nullable(t.string),
    ErrorCode: nullable(t.string),
    ErrorCodeDescription: nullable(t.string),
    Timestamp: nullable(t.string),
    ProviderTransactionId: nullable(t.unknown),
    ProviderResultCode: nullable(t.unknown),
    ProviderResultDescription: nullable(t.unknown),
  }),
]);

const toTransaction = (w: t.TypeOf<typeof TransactionWire>): QliroPaymentTransaction =>
  compact<QliroPaymentTransaction>({
    PaymentTransactionId: w.PaymentTransactionId,
    // 0 and null both mean "no original transaction".
    OriginalPaymentTransactionId: w.OriginalPaymentTransactionId ? w.OriginalPaymentTransactionId : null,
    Type: w.Type,
    Status: w.Status,
    Amount: w.Amount,
    Currency: w.Currency ?? undefined,
    PaymentMethodName: w.PaymentMethodName ?? null,
    ErrorCode: w.ErrorCode ?? null,
    ErrorCodeDescription: w.ErrorCodeDescription ?? null,
  });

/** GET /v2/paymentTransactions/{id}, any casing. */
export const QliroPaymentTransactionCodec: t.Type<QliroPaymentTransaction, unknown, unknown> = adminCased(
  'QliroPaymentTransaction',
  TransactionWire,
  toTransaction,
);

// ---------------------------------------------------------------------------------------------
// OrderItemActions[] entry

const ItemActionWire = t.intersection([
  t.type({ MerchantReference: t.string, Quantity: Decimal, PricePerItemIncVat: Decimal, ActionType: t.string }),
  t.partial({
    Id: nullable(Decimal),
    Description: nullable(t.string),
    Type: nullable(t.string),
    PricePerItemExVat: nullable(Decimal),
    VatRate: nullable(Decimal),
    // A `Create` action may carry no transaction yet; 0 then stands for "none" (never a real id).
    PaymentTransactionId: nullable(Decimal),
    MetaData: nullable(t.unknown),
  }),
]);

const toItemAction = (w: t.TypeOf<typeof ItemActionWire>): QliroOrderItemAction =>
  compact<QliroOrderItemAction>({
    MerchantReference: w.MerchantReference,
    Description: w.Description ?? null,
    Type: w.Type ?? 'Product',
    Quantity: w.Quantity,
    PricePerItemIncVat: w.PricePerItemIncVat,
    PricePerItemExVat: w.PricePerItemExVat ?? null,
    VatRate: w.VatRate ?? null,
    ActionType: w.ActionType,
    PaymentTransactionId: w.PaymentTransactionId ?? 0,
  });

// ---------------------------------------------------------------------------------------------
// GetOrder (admin): `{OrderId, MerchantReference, Currency, Country, OrderItemActions[], PaymentTransactions[], …}`

const AdminOrderWire = t.intersection([
  t.type({ OrderId: IntegerId, Currency: t.string }),
  t.partial({
    MerchantReference: nullable(t.string),
    Country: nullable(t.string),
    OrderItemActions: nullable(t.array(ItemActionWire)),
    PaymentTransactions: nullable(t.array(TransactionWire)),
  }),
]);

/** GET /v2/orders/{id}, any casing, decoded into the domain's ledger (`QliroAdminOrder`). */
export const QliroAdminOrderCodec: t.Type<QliroAdminOrder, unknown, unknown> = adminCased(
  'QliroAdminOrder',
  AdminOrderWire,
  (w: t.TypeOf<typeof AdminOrderWire>): QliroAdminOrder => ({
    OrderId: w.OrderId,
    MerchantReference: w.MerchantReference ?? '',
    Currency: w.Currency,
    OrderItemActions: (w.OrderItemActions ?? []).map(toItemAction),
    PaymentTransactions: (w.PaymentTransactions ?? []).map(toTransaction),
  }),
);

// ---------------------------------------------------------------------------------------------
// What MarkItemsAsShipped / ReturnItems / cancelOrder answer: `{PaymentTransactions: [{PaymentTransactionId, Status}]}`

const StartedWire = t.type({
  PaymentTransactions: t.array(t.intersection([t.type({ PaymentTransactionId: IntegerId }), t.partial({ Status: nullable(t.string) })])),
});

export const QliroStartedTransactionsCodec: t.Type<StartedTransactions, unknown, unknown> = adminCased(
  'QliroStartedTransactions',
  StartedWire,
  (w: t.TypeOf<typeof StartedWire>): StartedTransactions => ({
    // Qliro answers with the transactions in `Created`; a missing status means the same.
    PaymentTransactions: w.PaymentTransactions.map((p) => ({ PaymentTransactionId: p.PaymentTransactionId, Status: p.Status ?? 'Created' })),
  }),
);
