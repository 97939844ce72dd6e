// The Norce Checkout order as the adapter sees it (Order API v0, major units, vatRate as a fraction).
// Decoded at the edge by src/adapters/norce; everything optional here is optional on the wire.

export interface Amount {
  readonly includingVat: number;
  readonly excludingVat: number;
}

export interface NorceDiscount {
  readonly type?: string;
  readonly name?: string;
  readonly code?: string;
  readonly reference?: string;
  readonly description?: string;
  readonly value: Amount;
}

export interface NorceCartItem {
  readonly id?: string;
  readonly reference?: string;
  readonly name?: string;
  readonly sku?: string;
  readonly productType?: string;
  readonly quantity: number;
  readonly unit?: string;
  readonly price?: Amount;
  readonly total: Amount;
  readonly originalTotal?: Amount;
  readonly vatRate: number;
  readonly discounts?: readonly NorceDiscount[];
}

export interface NorceCart {
  readonly reference?: string;
  readonly items: readonly NorceCartItem[];
  readonly discounts?: readonly NorceDiscount[];
  readonly total?: Amount;
}

export type ShippingState = 'intent' | 'removed' | 'processing' | 'failed' | 'confirmed' | string;

export interface NorceShipping {
  readonly id?: string;
  readonly adapterId?: string;
  readonly name?: string;
  readonly reference?: string;
  readonly state?: ShippingState;
  readonly total: Amount;
  readonly vatRate: number;
  readonly deliveryDetails?: Record<string, unknown>;
  readonly attributes?: Record<string, unknown>;
}

export const PAYMENT_STATES = [
  'intent',
  'removed',
  'processing',
  'failed',
  'confirmed',
  'pending',
  'declined',
  'reserved',
  'credited',
  'captured',
  'cancelled',
  'refunded',
] as const;
export type PaymentState = (typeof PAYMENT_STATES)[number];

export type PaymentType = 'default' | 'prepaid' | 'voucher';

export interface NorcePaymentAction {
  readonly id?: string;
  readonly adapterId: string;
  readonly type: string;
  readonly url: string;
}

export interface NorcePayment {
  readonly id: string;
  readonly adapterId?: string;
  readonly name?: string;
  readonly type?: PaymentType | string;
  readonly currency?: string;
  readonly amount: number;
  readonly upperLimitAmount?: number;
  readonly state: PaymentState;
  readonly reference?: string | null;
  readonly attributes?: Record<string, unknown>;
  readonly actions?: readonly NorcePaymentAction[];
}

export interface NorceAddress {
  readonly type?: string;
  readonly givenName?: string;
  readonly familyName?: string;
  readonly careOf?: string;
  readonly organizationName?: string;
  readonly streetAddress?: string;
  readonly streetAddress2?: string;
  readonly postalCode?: string;
  readonly city?: string;
  readonly region?: string;
  readonly country?: string;
  readonly phone?: string;
  readonly email?: string;
  readonly nationalIdentificationNumber?: string;
  readonly organizationIdentificationNumber?: string;
}

export interface NorceCustomer {
  readonly type?: string;
  readonly billing?: NorceAddress;
  readonly shipping?: NorceAddress;
}

export const ORDER_STATUSES = ['checkout', 'processing', 'accepted', 'completed', 'declined', 'removed'] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

export interface NorceHook {
  readonly id: string;
  readonly adapterId?: string;
  readonly subscribeTo?: string;
  readonly target?: string;
  readonly invoke: string;
  readonly version?: string;
}

export interface NorceOrder {
  readonly id: string;
  readonly merchant?: string;
  readonly channel?: string;
  readonly reference?: string | null;
  readonly culture?: string;
  readonly currency: string;
  readonly country: string;
  readonly state: { readonly currentStatus: OrderStatus };
  readonly cart: NorceCart;
  readonly shippings?: readonly NorceShipping[];
  readonly payments?: readonly NorcePayment[];
  readonly customer?: NorceCustomer;
  readonly hooks?: readonly NorceHook[];
  readonly total: Amount;
}

/** Writes: the Norce shapes the adapter sends. */
export interface NewNorcePayment {
  readonly adapterId: string;
  readonly name: string;
  readonly type: PaymentType;
  readonly currency: string;
  readonly amount: number;
  readonly state: PaymentState;
  readonly reference?: string;
  readonly attributes?: Record<string, unknown>;
}

export type TransactionEvent =
  | 'open'
  | 'process'
  | 'confirm'
  | 'reopen'
  | 'cancel'
  | 'paymentAction'
  | 'capture'
  | 'refund';

export interface NewPaymentTransaction {
  readonly event: TransactionEvent;
  readonly pspEvent?: string;
  readonly pspStatus?: string;
  readonly amount: number;
  readonly isSuccess: boolean;
  readonly errorDetail?: string | null;
  /** Valid JSON strings, personal data removed. */
  readonly requestJson?: string;
  readonly responseJson?: string;
}

export interface NewNorceHook {
  readonly adapterId: string;
  readonly subscribeTo: string;
  readonly target?: string;
  readonly invoke: string;
  readonly version: 'v0' | 'v1';
}

export interface NewNorceShipping {
  readonly adapterId: string;
  readonly name: string;
  readonly reference: string;
  readonly state: ShippingState;
  readonly total: Amount;
  readonly vatRate: number;
  readonly deliveryDetails?: Record<string, unknown>;
  readonly attributes?: Record<string, unknown>;
}

export const ADAPTER_ID = 'qliro_checkout_adapter';
export const PAYMENT_NAME = 'Qliro Checkout';
