// io-ts codecs of what Qliro posts to the adapter: validation request and checkout-status push (any casing).
import * as t from 'io-ts';
import { isLeft } from 'fp-ts/Either';
import type { QliroCheckoutStatusPush, QliroValidationRequest } from '../../domain/qliro-order';
import type { QliroOrderManagementPush } from '../../domain/qliro-admin';
import { AddressWire, CustomerWire, Decimal, IntegerId, nullable, pascalCased } from './codecs';

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

export const QliroValidationRequestCodec: t.Type<QliroValidationRequest, unknown, unknown> = pascalCased(
  new t.Type<QliroValidationRequest, unknown, unknown>(
    'QliroValidationRequest',
    (u): u is QliroValidationRequest => ValidationRequestWire.is(u),
    (u, c) => {
      const d = ValidationRequestWire.validate(u, c);
      if (isLeft(d)) return d;
      const w = d.right;
      return t.success(
        compact<QliroValidationRequest>({
          ...w,
          MerchantReference: w.MerchantReference ?? undefined,
          Currency: w.Currency ?? undefined,
          OrderItems: w.OrderItems.map((i) =>
            compact({ MerchantReference: i.MerchantReference, Quantity: i.Quantity, PricePerItemIncVat: i.PricePerItemIncVat, Type: i.Type ?? undefined, PricePerItemExVat: i.PricePerItemExVat ?? undefined }),
          ),
        }),
      );
    },
    t.identity,
  ),
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

export const QliroCheckoutStatusPushCodec: t.Type<QliroCheckoutStatusPush, unknown, unknown> = pascalCased(
  new t.Type<QliroCheckoutStatusPush, unknown, unknown>(
    'QliroCheckoutStatusPush',
    (u): u is QliroCheckoutStatusPush => CheckoutStatusPushWire.is(u),
    (u, c) => {
      const d = CheckoutStatusPushWire.validate(u, c);
      return isLeft(d) ? d : t.success(compact(d.right) as QliroCheckoutStatusPush);
    },
    t.identity,
  ),
);

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
export const QliroOrderManagementPushCodec: t.Type<QliroOrderManagementPush, unknown, unknown> = pascalCased(
  new t.Type<QliroOrderManagementPush, unknown, unknown>(
    'QliroOrderManagementPush',
    (u): u is QliroOrderManagementPush => OrderManagementPushWire.is(u),
    (u, c) => {
      const d = OrderManagementPushWire.validate(u, c);
      return isLeft(d) ? d : t.success(compact(d.right) as QliroOrderManagementPush);
    },
    t.identity,
  ),
);
