// The channel's `qliro_checkout_adapter` configuration document (BEHAVIOUR §2), after validation.

export type MerchantReferenceSource = 'OrderId' | 'OrderCartReference';

export interface QliroShippingMethodConfig {
  readonly merchantReference: string;
  readonly displayName: string;
  readonly priceIncVat: number;
  readonly priceExVat: number;
  readonly vatRate: number; // fraction, 0.25 = 25 %
  readonly description?: string;
}

export interface QliroChannelConfiguration {
  readonly id: string;
  readonly active: boolean;
  readonly adapter: { readonly publicUrl: string; readonly internalUrl?: string };
  readonly apiUrl: string;
  readonly merchantApiKey: string;
  readonly merchantApiSecret: string;
  readonly redirectUrls: {
    readonly termsUrl: string;
    readonly confirmationUrl: string;
    readonly integrityPolicyUrl?: string;
  };
  readonly merchantReferenceSource: MerchantReferenceSource;
  readonly mapDiscountPerRow: boolean;
  readonly useIntegratedShipping: boolean;
  readonly shippingMethods?: readonly QliroShippingMethodConfig[];
  readonly defaultLanguage?: string;
  readonly primaryColor?: string;
  readonly backgroundColor?: string;
  readonly callToActionColor?: string;
  readonly callToActionHoverColor?: string;
  readonly cornerRadius?: number;
  readonly buttonCornerRadius?: number;
  readonly minimumCustomerAge?: number;
  readonly requireIdentityVerification?: boolean;
  readonly merchantConstraintName?: string | null;
}

/** Where the adapter is talking to: the merchant and channel of the request. */
export interface ChannelRef {
  readonly merchant: string;
  readonly channel: string;
}
