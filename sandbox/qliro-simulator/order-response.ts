// What the simulated Merchant API answers for an order (GetOrder), and the fuller view the /sandbox endpoints show.
import { totalPriceOf, type SimulatedOrderItem } from './rules';
import { renderOrderHtmlSnippet } from './snippet';
import { linesOf, type SimulatedOrder } from './store';

/** Qliro's OrderItem2 in GetOrder: no VatRate (not in the Merchant API's GetOrder schema). */
const toResponseItem = (item: SimulatedOrderItem): Record<string, unknown> => ({
  MerchantReference: item.MerchantReference,
  Description: item.Description ?? null,
  Type: item.Type,
  Quantity: item.Quantity,
  PricePerItemIncVat: item.PricePerItemIncVat,
  PricePerItemExVat: item.PricePerItemExVat ?? item.PricePerItemIncVat,
  ...(item.PaymentTransactionId !== undefined ? { PaymentTransactionId: item.PaymentTransactionId } : {}),
  ...(item.Metadata ? { Metadata: item.Metadata } : {}),
});

/** GetOrder, PascalCase, with the fields Qliro's GetOrderResponse carries (fixtures under merchant-api/). */
export function toGetOrderResponse(order: SimulatedOrder, baseUrl: string): Record<string, unknown> {
  return {
    OrderId: order.orderId,
    MerchantReference: order.merchantReference,
    TotalPrice: totalPriceOf(linesOf(order)),
    Currency: order.currency,
    Country: order.country,
    Language: order.language,
    CustomerCheckoutStatus: order.status,
    Customer: order.customer,
    BillingAddress: order.billingAddress,
    ShippingAddress: order.shippingAddress,
    // Includes the Shipping line Qliro added for a picked shipping method.
    OrderItems: linesOf(order).map(toResponseItem),
    PaymentMethod: order.paymentMethod,
    SelectedShippingMethod: order.selectedShippingMethod,
    SelectedShippingSecondaryOption: order.selectedShippingSecondaryOption,
    SignupForNewsletter: false,
    AskForNewsletterSignupChecked: order.createRequest['AskForNewsletterSignupChecked'] === true,
    IdentityVerification: {
      RequireIdentityVerification: order.createRequest['RequireIdentityVerification'] === true,
      IdentityVerified: null,
    },
    MerchantProvidedMetadata: order.merchantProvidedMetadata,
    CustomerVerifiedEmail: null,
    Upsell: null,
    MerchantSavedCreditCard: null,
    MerchantProvidedQuestionAnswer: null,
    PaymentLink: paymentLinkOf(order, baseUrl),
    OrderHtmlSnippet: renderOrderHtmlSnippet(order, baseUrl),
  };
}

export const paymentLinkOf = (order: SimulatedOrder, baseUrl: string): string =>
  `${baseUrl.replace(/\/+$/, '')}/checkout/paymentlink/${order.orderId}`;

/** Everything the simulator holds about an order, for tests and demos (GET /sandbox/orders/{id}). */
export function toSandboxView(order: SimulatedOrder, baseUrl: string): Record<string, unknown> {
  return {
    orderId: order.orderId,
    merchantApiKey: order.merchantApiKey,
    merchantReference: order.merchantReference,
    status: order.status,
    expired: order.expired,
    currency: order.currency,
    country: order.country,
    language: order.language,
    totalPrice: totalPriceOf(linesOf(order)),
    items: order.items,
    shippingLine: order.shippingLine,
    customer: order.customer,
    billingAddress: order.billingAddress,
    shippingAddress: order.shippingAddress,
    paymentMethod: order.paymentMethod,
    transactions: order.transactions,
    pushAttempts: order.pushAttempts,
    availableShippingMethods: order.availableShippingMethods,
    merchantUpdateVersion: order.merchantUpdateVersion,
    urls: order.urls,
    merchantProvidedMetadata: order.merchantProvidedMetadata,
    createRequest: order.createRequest,
    createdAt: order.createdAt.toISOString(),
    updatedAt: order.updatedAt.toISOString(),
    requests: order.requests,
    getOrderResponse: toGetOrderResponse(order, baseUrl),
  };
}
