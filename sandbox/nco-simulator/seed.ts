// Sandbox seed: merchant `sandbox` with one channel per Qliro market, and a realistic order per channel.
import type { Configurations, JsonObject } from './store';

export const SANDBOX_MERCHANT = 'sandbox';
export const SANDBOX_CHANNELS = ['se', 'no', 'fi', 'dk'] as const;
export type SandboxChannel = (typeof SANDBOX_CHANNELS)[number];

interface Market {
  readonly currency: string;
  readonly country: string;
  readonly culture: string;
  /** Qliro's `Language` form. */
  readonly language: string;
}

const MARKETS: Record<SandboxChannel, Market> = {
  se: { currency: 'SEK', country: 'SE', culture: 'sv-SE', language: 'sv-se' },
  no: { currency: 'NOK', country: 'NO', culture: 'nb-NO', language: 'nb-no' },
  fi: { currency: 'EUR', country: 'FI', culture: 'fi-FI', language: 'fi-fi' },
  dk: { currency: 'DKK', country: 'DK', culture: 'da-DK', language: 'da-dk' },
};

export interface SandboxConfigurationOptions {
  /** Where the terms and confirmation pages live (default https://www.example.com). */
  readonly storefrontUrl?: string;
}

/**
 * `qliro_checkout_adapter` documents for merchant `sandbox`, channels se/no/fi/dk, in the shape of
 * `NcoSimulatorOptions.configurations` (merchant → channel → configuration name → document).
 */
export function sandboxConfigurations(
  qliroApiUrl: string,
  adapterPublicUrl: string,
  options: SandboxConfigurationOptions = {},
): Configurations {
  const publicUrl = adapterPublicUrl.replace(/\/+$/, '');
  const storefront = (options.storefrontUrl ?? 'https://www.example.com').replace(/\/+$/, '');
  const channels: Record<string, Record<string, unknown>> = {};
  for (const channel of SANDBOX_CHANNELS) {
    channels[channel] = {
      qliro_checkout_adapter: {
        $schema: `${publicUrl}/openapi/v1/schemas/qliro_checkout_adapter.json`,
        id: 'qliro_checkout_adapter',
        active: true,
        adapter: { publicUrl },
        apiUrl: qliroApiUrl.replace(/\/+$/, ''),
        merchantApiKey: 'sandbox-key',
        merchantApiSecret: 'sandbox-secret',
        redirectUrls: {
          termsUrl: `${storefront}/{channel}/terms`,
          confirmationUrl: `${storefront}/{channel}/confirmation?orderId={orderId}&merchant={merchant}&channel={channel}`,
          integrityPolicyUrl: `${storefront}/{channel}/integrity-policy`,
        },
        merchantReferenceSource: 'OrderId',
        mapDiscountPerRow: false,
        useIntegratedShipping: false,
        defaultLanguage: MARKETS[channel].language,
        primaryColor: '#00AB84',
        backgroundColor: '#FFFFFF',
        callToActionColor: '#00AB84',
        callToActionHoverColor: '#24BB99',
        cornerRadius: 4,
        buttonCornerRadius: 4,
        minimumCustomerAge: 0,
        requireIdentityVerification: false,
        merchantConstraintName: null,
      },
    };
  }
  return { [SANDBOX_MERCHANT]: channels };
}

// ---------------------------------------------------------------------------------------------
// Demo orders. Amounts follow the fixture conventions: each excludingVat is computed from its own
// includingVat and rounded half-up to 2 decimals; item.total = originalTotal − discounts;
// cart.discounts repeats the item discounts aggregated; order total = cart + shipping.

const round2 = (n: number): number => Math.round((n + Number.EPSILON) * 100) / 100;
const exVat = (incVat: number, vatRate: number): number => round2(incVat / (1 + vatRate));
const amount = (incVat: number, vatRate: number) => ({ includingVat: round2(incVat), excludingVat: exVat(incVat, vatRate) });

interface Promotion {
  readonly name: string;
  readonly code: string;
  readonly reference: string;
  readonly description: string;
}

interface Line {
  readonly sku: string;
  readonly name: string;
  readonly quantity: number;
  readonly unitPrice: number;
  readonly vatRate: number;
  /** This line's share of a promotion, incl. VAT. */
  readonly discount?: number;
}

interface DemoCart {
  readonly reference: string;
  readonly lines: readonly Line[];
  readonly promotion?: Promotion;
  readonly shipping: { readonly name: string; readonly reference: string; readonly carrier: string; readonly price: number; readonly vatRate: number };
}

const PROMO_SE: Promotion = {
  name: 'Välkommen 100 kr',
  code: 'VALKOMMEN100',
  reference: 'promo-4711',
  description: '100 kr rabatt på första köpet',
};

/** se = fixture order 2 (25 / 12 / 6 % VAT, a 100 kr code spread over the lines). */
const CARTS: Record<SandboxChannel, DemoCart> = {
  se: {
    reference: 'sandbox-se-1',
    promotion: PROMO_SE,
    lines: [
      { sku: 'JKT-20451-M', name: 'Vandringsjacka Herr, M', quantity: 1, unitPrice: 1499, vatRate: 0.25, discount: 82.24 },
      { sku: 'KAF-0500', name: 'Kaffe Mellanrost 500 g', quantity: 3, unitPrice: 64.9, vatRate: 0.12, discount: 10.68 },
      { sku: 'BOK-97891', name: 'Pocketbok: Vägen hem', quantity: 1, unitPrice: 129, vatRate: 0.06, discount: 7.08 },
    ],
    shipping: { name: 'PostNord MyPack Home', reference: 'pn-mypack-home', carrier: 'PostNord', price: 59, vatRate: 0.25 },
  },
  no: {
    reference: 'sandbox-no-1',
    lines: [
      { sku: 'GEN-7781-L', name: 'Ullgenser Dame, L', quantity: 1, unitPrice: 899, vatRate: 0.25 },
      { sku: 'KAF-N250', name: 'Kaffe Mørkbrent 250 g', quantity: 4, unitPrice: 54.9, vatRate: 0.15 },
      { sku: 'SOK-3PK-40', name: 'Sokker 3-pk, str. 40-44', quantity: 3, unitPrice: 129.9, vatRate: 0.25 },
    ],
    shipping: { name: 'Bring Pakke til hentested', reference: 'bring-pickup-parcel', carrier: 'Bring', price: 79, vatRate: 0.25 },
  },
  fi: {
    reference: 'sandbox-fi-1',
    promotion: { name: 'Alennus 10 %', code: 'ALE10', reference: 'promo-fi-0031', description: '10 % alennus tuolista' },
    lines: [
      { sku: 'CHR-5501', name: 'Toimistotuoli Pro', quantity: 1, unitPrice: 349, vatRate: 0.255, discount: 34.9 },
      { sku: 'KAF-F500', name: 'Kahvi tumma paahto 500 g', quantity: 5, unitPrice: 8.95, vatRate: 0.14 },
      { sku: 'BOK-FI-120', name: 'Kirja: Testikirja', quantity: 2, unitPrice: 24.9, vatRate: 0.1 },
    ],
    shipping: { name: 'Posti Kotipaketti', reference: 'posti-kotipaketti', carrier: 'Posti', price: 6.9, vatRate: 0.255 },
  },
  dk: {
    reference: 'sandbox-dk-1',
    promotion: { name: 'Velkommen 50 kr', code: 'VELKOMMEN50', reference: 'promo-dk-0007', description: '50 kr rabat på første køb' },
    lines: [
      { sku: 'TRJ-4410-M', name: 'Uldtrøje Herre, M', quantity: 1, unitPrice: 699, vatRate: 0.25, discount: 50 },
      { sku: 'KAF-D500', name: 'Kaffe Mellemristet 500 g', quantity: 2, unitPrice: 59.95, vatRate: 0.25 },
    ],
    shipping: { name: 'GLS Pakkeshop', reference: 'gls-parcelshop', carrier: 'GLS', price: 39, vatRate: 0.25 },
  },
};

/** An Order body for `POST /api/v0/checkout/orders` on merchant `sandbox`, channel `channel`. */
export function sandboxDemoOrder(channel: SandboxChannel): JsonObject {
  const market = MARKETS[channel];
  const demo = CARTS[channel];
  const items = demo.lines.map((line) => {
    const original = round2(line.unitPrice * line.quantity);
    const discount = line.discount ?? 0;
    return {
      reference: line.sku,
      name: line.name,
      sku: line.sku,
      productType: 'physical',
      quantity: line.quantity,
      unit: 'st',
      price: amount(line.unitPrice, line.vatRate),
      total: amount(original - discount, line.vatRate),
      originalTotal: amount(original, line.vatRate),
      vatRate: line.vatRate,
      discounts:
        demo.promotion && discount > 0
          ? [{ type: 'item', ...demo.promotion, value: amount(discount, line.vatRate) }]
          : [],
    };
  });
  const sum = (values: readonly number[]) => round2(values.reduce((s, v) => s + v, 0));
  const cartTotal = {
    includingVat: sum(items.map((i) => i.total.includingVat)),
    excludingVat: sum(items.map((i) => i.total.excludingVat)),
  };
  const itemDiscounts = items.flatMap((i) => i.discounts);
  const cartDiscounts =
    demo.promotion && itemDiscounts.length > 0
      ? [
          {
            type: 'item',
            ...demo.promotion,
            value: {
              includingVat: sum(itemDiscounts.map((d) => d.value.includingVat)),
              excludingVat: sum(itemDiscounts.map((d) => d.value.excludingVat)),
            },
          },
        ]
      : [];
  const shippingTotal = amount(demo.shipping.price, demo.shipping.vatRate);
  return {
    merchant: SANDBOX_MERCHANT,
    channel,
    culture: market.culture,
    currency: market.currency,
    country: market.country,
    cart: { reference: demo.reference, items, discounts: cartDiscounts, total: cartTotal, attributes: {} },
    shippings: [
      {
        name: demo.shipping.name,
        reference: demo.shipping.reference,
        state: 'intent',
        total: shippingTotal,
        vatRate: demo.shipping.vatRate,
        deliveryDetails: { carrier: demo.shipping.carrier, class: 'delivery' },
      },
    ],
    total: {
      includingVat: round2(cartTotal.includingVat + shippingTotal.includingVat),
      excludingVat: round2(cartTotal.excludingVat + shippingTotal.excludingVat),
    },
    attributes: {},
  };
}
