// Who the simulated shopper is: Qliro's published SE B2C test identity (790625-5307, reference §8) with the fixtures'
// substitutions (Test Person, test@example.com, 0700000000, Testgatan 1), unless the control call names someone else.
import { canonicalKeys } from './rules';

export interface AddressInput {
  readonly FirstName?: string;
  readonly LastName?: string;
  readonly CompanyName?: string | null;
  readonly CareOf?: string | null;
  readonly Street?: string;
  readonly Street2?: string | null;
  readonly PostalCode?: string;
  readonly City?: string;
  readonly CountryCode?: string;
  readonly Area?: string | null;
  readonly AreaCode?: string | null;
}

/** The control's `customer`: Qliro Customer fields plus the (billing) address; `ShippingAddress` when it differs. */
export interface CustomerInput extends AddressInput {
  readonly Email?: string;
  readonly MobileNumber?: string;
  readonly PersonalNumber?: string;
  readonly VatNumber?: string | null;
  readonly JuridicalType?: 'Physical' | 'Company';
  readonly DateOfBirth?: string | null;
  readonly Gender?: string | null;
  readonly ShippingAddress?: AddressInput;
}

/** What Qliro's GetOrder then shows: Customer, BillingAddress, ShippingAddress (fixture get-order.response.completed). */
export interface CustomerDetails {
  readonly customer: Record<string, unknown>;
  readonly billingAddress: Record<string, unknown>;
  readonly shippingAddress: Record<string, unknown>;
}

/** A postal code and city in each configured market, so the address looks local. */
const LOCAL_ADDRESS: Readonly<Record<string, { PostalCode: string; City: string }>> = {
  SE: { PostalCode: '11122', City: 'Stockholm' },
  NO: { PostalCode: '0150', City: 'Oslo' },
  FI: { PostalCode: '00100', City: 'Helsinki' },
  DK: { PostalCode: '1050', City: 'København K' },
};

const ADDRESS_FIELDS = ['FirstName', 'LastName', 'CompanyName', 'CareOf', 'Street', 'Street2', 'PostalCode', 'City', 'CountryCode', 'Area', 'AreaCode'] as const;

const pick = (source: Record<string, unknown>, fields: readonly string[]): Record<string, unknown> =>
  Object.fromEntries(fields.filter((f) => source[f] !== undefined).map((f) => [f, source[f]]));

const isRecord = (u: unknown): u is Record<string, unknown> => typeof u === 'object' && u !== null && !Array.isArray(u);

export function customerDetailsFor(country: string, input: CustomerInput | undefined): CustomerDetails {
  const given = isRecord(input) ? (canonicalKeys(input) as Record<string, unknown>) : {};
  const local = LOCAL_ADDRESS[country.toUpperCase()] ?? LOCAL_ADDRESS['SE']!;
  const person = {
    FirstName: 'Test',
    LastName: 'Person',
    PersonalNumber: '790625-5307',
    VatNumber: null,
    Email: 'test@example.com',
    MobileNumber: '0700000000',
    JuridicalType: 'Physical',
    DateOfBirth: null,
    Gender: null,
    ...pick(given, ['FirstName', 'LastName', 'PersonalNumber', 'VatNumber', 'Email', 'MobileNumber', 'JuridicalType', 'DateOfBirth', 'Gender']),
  };
  const billingAddress = {
    FirstName: person.FirstName,
    LastName: person.LastName,
    CompanyName: null,
    CareOf: null,
    Street: 'Testgatan 1',
    Street2: null,
    PostalCode: local.PostalCode,
    City: local.City,
    CountryCode: country.toUpperCase(),
    Area: null,
    AreaCode: null,
    ...pick(given, ADDRESS_FIELDS),
  };
  const shipping = isRecord(given['ShippingAddress']) ? pick(given['ShippingAddress'], ADDRESS_FIELDS) : {};
  return { customer: person, billingAddress, shippingAddress: { ...billingAddress, ...shipping } };
}
