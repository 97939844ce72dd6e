// io-ts codecs of what Qliro posts to the adapter: validation request and checkout-status push (any casing).
import * as t from 'io-ts';
import type { QliroCheckoutStatusPush, QliroValidationRequest } from '../../domain/qliro-order';
import type { QliroOrderManagementPush } from '../../domain/qliro-admin';
import { AddressWire, CustomerWire, Decimal, IntegerId, fromWire, nullable } from './codecs';

const compact = <T extends object>(o: T): T => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined && v !== null)) as T;

const ValidationItemWire = t.intersection([
  t.type({ MerchantReference: t.string, Quantity: Decimal, PricePerItemIncVat: Decimal }),
  t.partial({ Type: nullable(t.string), PricePerItemExVat: nullable(Decimal) }),
]);

const ValidationRequestWire = t.intersection([
  t.type({ OrderId: IntegerId, OrderItems: t.array(ValidationItemWire) }),
  t.partial({
    MerchantReference: nullable(t.string),
    Currency: nullable(t.string),
    Customer: nullable(CustomerWire),
    BillingAddress: nullable(AddressWire),
    ShippingAddress: nullable(AddressWire),
    PaymentMethod: nullable(t.partial({ PaymentMethodName: nullable(t.string), PaymentTypeCode: nullable(t.string) })),
    IdentityVerification: nullable(t.partial({ RequireIdentityVerification: nullable(t.boolean), IdentityVerified: nullable(t.boolean) })),
  }),
]);

export const QliroValidationRequestCodec = fromWire('QliroValidationRequest', ValidationRequestWire, (w) =>
  compact<QliroValidationRequest>({
    ...w,
    MerchantReference: w.MerchantReference ?? undefined,
    Currency: w.Currency ?? undefined,
    OrderItems: w.OrderItems.map((i) =>
      compact({ MerchantReference: i.MerchantReference, Quantity: i.Quantity, PricePerItemIncVat: i.PricePerItemIncVat, Type: i.Type ?? undefined, PricePerItemExVat: i.PricePerItemExVat ?? undefined }),
    ),
  }),
);

const CheckoutStatusPushWire = t.intersection([
  t.type({ OrderId: IntegerId }),
  t.partial({
    MerchantReference: nullable(t.string),
    Status: nullable(t.string),
    Timestamp: nullable(t.string),
    NotificationType: nullable(t.string),
    PaymentTransactionId: nullable(Decimal),
  }),
]);

export const QliroCheckoutStatusPushCodec = fromWire('QliroCheckoutStatusPush', CheckoutStatusPushWire, (w) => compact(w) as QliroCheckoutStatusPush);

const OrderManagementPushWire = t.intersection([
  t.type({ OrderId: IntegerId, PaymentTransactionId: IntegerId }),
  t.partial({
    OriginalPaymentTransactionId: nullable(Decimal),
    PaymentType: nullable(t.string),
    Status: nullable(t.string),
    Amount: nullable(Decimal),
    Currency: nullable(t.string),
    MerchantReference: nullable(t.string),
  }),
]);

/** The order-management status push; Norce's schema spells the id `OrderID`, which the case-insensitive read accepts. */
export const QliroOrderManagementPushCodec = fromWire('QliroOrderManagementPush', OrderManagementPushWire, (w) => compact(w) as QliroOrderManagementPush);
