// Qliro's order validation callback (reference §4.5): when the shopper clicks "Complete purchase", Qliro POSTs the
// order to MerchantOrderValidationUrl; 200 approves, 400 {DeclineReason, DeclineReasonMessage} declines.
import type { CallbackAnswer } from './callback-client';
import { linesOf, type SimulatedOrder } from './store';
import type { SimulatedOrderItem } from './rules';

export const DECLINE_REASONS = [
  'OutOfStock',
  'PostalCodeIsNotSupported',
  'ShippingIsNotSupportedForPostalCode',
  'CashOnDeliveryIsNotSupportedForShippingMethod',
  'IdentityNotVerified',
  'Other',
] as const;

/** What Qliro makes of no answer in time: approve (its default) or decline (a per-merchant setting). */
export type ValidationTimeoutOutcome = 'approve' | 'decline';

export type ValidationVerdict =
  | { readonly approved: true }
  | { readonly approved: false; readonly declineReason: string; readonly declineReasonMessage: string | null };

const validationItem = (item: SimulatedOrderItem): Record<string, unknown> => ({
  MerchantReference: item.MerchantReference,
  Description: item.Description ?? null,
  Type: item.Type,
  Quantity: item.Quantity,
  PricePerItemIncVat: item.PricePerItemIncVat,
  PricePerItemExVat: item.PricePerItemExVat ?? item.PricePerItemIncVat,
  ...(item.Metadata ? { Metadata: item.Metadata } : {}),
});

/** The request body, shaped as fixtures callbacks/validate-order.request.*.json (the Qliro-added shipping line included). */
export function validationRequestOf(order: SimulatedOrder): Record<string, unknown> {
  const customer = order.customer ?? {};
  return {
    OrderId: order.orderId,
    MerchantReference: order.merchantReference,
    Currency: order.currency,
    Customer: { Email: customer['Email'] ?? null, MobileNumber: customer['MobileNumber'] ?? null, PersonalNumber: customer['PersonalNumber'] ?? null },
    OrderItems: linesOf(order).map(validationItem),
    ShippingAddress: { PostalCode: order.shippingAddress?.['PostalCode'] ?? null },
    PaymentMethod: order.paymentMethod,
    SelectedShippingMethod: order.selectedShippingMethod,
    SelectedShippingSecondaryOption: order.selectedShippingSecondaryOption,
    IdentityVerification: {
      RequireIdentityVerification: order.createRequest['RequireIdentityVerification'] === true,
      IdentityVerified: null,
    },
  };
}

/** A property of a JSON object whatever its casing (the adapter answers camelCase). */
const propertyOf = (body: unknown, name: string): unknown => {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return undefined;
  return Object.entries(body).find(([k]) => k.toLowerCase() === name.toLowerCase())?.[1];
};

const parse = (text: string): unknown => {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
};

/**
 * 200 approves. 400 declines with the merchant's reason (an unknown or missing one reads as Other; a message over
 * 150 characters is ignored, as Qliro documents). Any other status is not an answer Qliro documents: the simulator
 * declines as Other, so an adapter that fails loudly does not get a purchase through. No answer in time, or no
 * connection: `onTimeout` (Qliro's default is approve).
 */
export function verdictOf(answer: CallbackAnswer, onTimeout: ValidationTimeoutOutcome): ValidationVerdict {
  if (answer.kind !== 'answered') {
    return onTimeout === 'approve' ? { approved: true } : { approved: false, declineReason: 'Other', declineReasonMessage: null };
  }
  if (answer.status === 200) return { approved: true };
  if (answer.status !== 400) return { approved: false, declineReason: 'Other', declineReasonMessage: null };
  const body = parse(answer.text);
  const reason = propertyOf(body, 'DeclineReason');
  const message = propertyOf(body, 'DeclineReasonMessage');
  const known = DECLINE_REASONS.find((r) => typeof reason === 'string' && r.toLowerCase() === reason.toLowerCase());
  return {
    approved: false,
    declineReason: known ?? 'Other',
    declineReasonMessage: typeof message === 'string' && message.length <= 150 ? message : null,
  };
}
