// Qliro's order vocabulary (Merchant API, PascalCase as on the wire; amounts in major units, VatRate in percent).

export type QliroOrderItemType = 'Product' | 'Discount' | 'Fee' | 'Shipping';

export interface QliroOrderLine {
  readonly MerchantReference: string;
  readonly Description: string;
  readonly Type: QliroOrderItemType;
  readonly Quantity: number;
  readonly PricePerItemIncVat: number;
  readonly PricePerItemExVat: number;
  readonly VatRate: number;
  readonly Metadata?: Record<string, unknown>;
}

export type CustomerCheckoutStatus = 'InProcess' | 'OnHold' | 'Completed' | 'Refused';

export interface QliroAddress {
  readonly FirstName?: string | null;
  readonly LastName?: string | null;
  readonly CareOf?: string | null;
  readonly CompanyName?: string | null;
  readonly Street?: string | null;
  readonly Street2?: string | null;
  readonly PostalCode?: string | null;
  readonly City?: string | null;
  readonly CountryCode?: string | null;
}

export interface QliroCustomer {
  readonly Email?: string | null;
  readonly MobileNumber?: string | null;
  readonly PersonalNumber?: string | null;
  readonly JuridicalType?: string | null;
  readonly FirstName?: string | null;
  readonly LastName?: string | null;
}

export interface QliroCustomerInformation {
  readonly Email?: string;
  readonly MobileNumber?: string;
  readonly PersonalNumber?: string;
  readonly JuridicalType?: 'Physical' | 'Company';
  readonly Address?: QliroAddress;
  readonly LockCustomerEmail?: boolean;
  readonly LockCustomerMobileNumber?: boolean;
  readonly LockCustomerInformation?: boolean;
}

export interface QliroAvailableShippingMethod {
  readonly MerchantReference: string;
  readonly DisplayName: string;
  readonly PriceIncVat: number;
  readonly PriceExVat: number;
  readonly VatRate: number;
  readonly Descriptions?: readonly string[];
}

/** CreateOrder body without MerchantApiKey (the gateway adds it and signs). */
export interface QliroCreateOrderRequest {
  readonly MerchantReference: string;
  readonly Currency: string;
  readonly Country: string;
  readonly Language: string;
  readonly MerchantTermsUrl: string;
  readonly MerchantConfirmationUrl: string;
  readonly MerchantIntegrityPolicyUrl?: string;
  readonly MerchantCheckoutStatusPushUrl: string;
  readonly MerchantOrderManagementStatusPushUrl: string;
  readonly MerchantOrderValidationUrl: string;
  readonly OrderItems: readonly QliroOrderLine[];
  readonly CustomerInformation?: QliroCustomerInformation;
  readonly AvailableShippingMethods?: readonly QliroAvailableShippingMethod[];
  readonly PrimaryColor?: string;
  readonly BackgroundColor?: string;
  readonly CallToActionColor?: string;
  readonly CallToActionHoverColor?: string;
  readonly CornerRadius?: number;
  readonly ButtonCornerRadius?: number;
  readonly MinimumCustomerAge?: number;
  readonly RequireIdentityVerification?: boolean;
  readonly MerchantConstraintName?: string;
  readonly MerchantProvidedMetadata?: readonly { readonly Key: string; readonly Value: string }[];
}

/** UpdateOrder body without MerchantApiKey. */
export interface QliroUpdateOrderRequest {
  readonly OrderItems: readonly QliroOrderLine[];
  readonly AvailableShippingMethods?: readonly QliroAvailableShippingMethod[];
  readonly MerchantUpdateVersion?: string;
}

/** GetOrder, normalised to PascalCase whatever casing Qliro answered in. */
export interface QliroOrder {
  readonly OrderId: number;
  readonly MerchantReference: string;
  readonly Currency: string;
  readonly Country: string;
  readonly Language?: string;
  readonly TotalPrice: number;
  readonly OrderItems: readonly QliroOrderLine[];
  readonly CustomerCheckoutStatus: CustomerCheckoutStatus | string;
  readonly OrderHtmlSnippet: string;
  readonly Customer?: QliroCustomer | null;
  readonly BillingAddress?: QliroAddress | null;
  readonly ShippingAddress?: QliroAddress | null;
  readonly PaymentMethod?: { readonly PaymentMethodName?: string | null; readonly PaymentTypeCode?: string | null } | null;
  readonly IdentityVerification?: { readonly RequireIdentityVerification?: boolean | null; readonly IdentityVerified?: boolean | null } | null;
  readonly MerchantProvidedMetadata?: readonly { readonly Key: string; readonly Value: string }[];
}

/** What Qliro posts to MerchantOrderValidationUrl when the shopper presses "complete purchase". */
export interface QliroValidationRequest {
  readonly OrderId: number;
  readonly MerchantReference?: string;
  readonly Currency?: string;
  readonly OrderItems: readonly {
    readonly MerchantReference: string;
    readonly Type?: string;
    readonly Quantity: number;
    readonly PricePerItemIncVat: number;
    readonly PricePerItemExVat?: number;
  }[];
  readonly Customer?: QliroCustomer | null;
  readonly BillingAddress?: QliroAddress | null;
  readonly ShippingAddress?: QliroAddress | null;
  readonly PaymentMethod?: { readonly PaymentMethodName?: string | null; readonly PaymentTypeCode?: string | null } | null;
  readonly IdentityVerification?: { readonly RequireIdentityVerification?: boolean | null; readonly IdentityVerified?: boolean | null } | null;
}

/** What Qliro posts to MerchantCheckoutStatusPushUrl: a hint that the checkout status changed. */
export interface QliroCheckoutStatusPush {
  readonly OrderId: number;
  readonly MerchantReference?: string;
  readonly Status?: string;
  readonly Timestamp?: string;
  readonly NotificationType?: string;
  readonly PaymentTransactionId?: number;
}

/** Credentials and base URL of one Qliro merchant, from the channel configuration. */
export interface QliroCredentials {
  readonly apiUrl: string;
  readonly merchantApiKey: string;
  readonly merchantApiSecret: string;
}
