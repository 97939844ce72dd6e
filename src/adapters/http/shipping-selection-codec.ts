// The body of shipping-option-update: Qliro's onShippingMethodChanged payload as the storefront forwards it
// (`method`, `price`, `pickupLocation{name, description[]}` …) or the PascalCase selection shape
// (`SelectedShippingMethod`, `ShippingPrice`, `PickupLocation{Name, Address, …}`), any casing.
import * as t from 'io-ts';
import * as E from 'fp-ts/Either';
import { pipe } from 'fp-ts/function';
import type { ShippingSelection } from '../../application/use-cases/update-shipping-option';

function lowerCaseKeys(u: unknown): unknown {
  if (Array.isArray(u)) return u.map(lowerCaseKeys);
  if (u === null || typeof u !== 'object') return u;
  return Object.fromEntries(Object.entries(u as Record<string, unknown>).map(([k, v]) => [k.toLowerCase(), lowerCaseKeys(v)]));
}

const text = t.union([t.string, t.null, t.undefined]);
const amount = t.union([t.number, t.null, t.undefined]);

const Wire = t.partial({
  method: text,
  selectedshippingmethod: text,
  methodname: text,
  displayname: text,
  secondaryoption: text,
  selectedshippingsecondaryoption: text,
  price: amount,
  priceexvat: amount,
  totalshippingprice: amount,
  totalshippingpriceexvat: amount,
  shippingprice: t.union([t.partial({ priceperitemincvat: amount, priceperitemexvat: amount }), t.null, t.undefined]),
  pickuplocation: t.union([
    t.partial({ name: text, description: t.union([t.array(t.string), t.null, t.undefined]), address: text, postalcode: text, city: text }),
    t.null,
    t.undefined,
  ]),
  additionalshippingservices: t.union([t.array(t.unknown), t.null, t.undefined]),
});

const MAX_REFERENCE = 200;
/** Far above any real delivery price, and below where money arithmetic stops being exact. */
const MAX_PRICE = 1_000_000;
const twoDecimals = (n: number) => Math.abs(Math.round(n * 100) - n * 100) < 1e-6;
const present = <A>(...values: (A | null | undefined)[]): A | undefined => values.find((v) => v !== null && v !== undefined) ?? undefined;

/** Left: a message that says which field is wrong and how. */
export function decodeShippingSelection(u: unknown): E.Either<string, ShippingSelection> {
  if (u === null || typeof u !== 'object' || Array.isArray(u)) return E.left('body must be a JSON object with the selected shipping method');
  return pipe(
    Wire.decode(lowerCaseKeys(u)),
    E.mapLeft(() => 'body has a field of the wrong type (method and names are strings, prices are numbers)'),
    E.chain((w) => {
      const method = present(w.method, w.selectedshippingmethod)?.trim();
      if (!method) return E.left('method (or SelectedShippingMethod) is required');
      if (method.length > MAX_REFERENCE) return E.left(`method must be at most ${MAX_REFERENCE} characters`);
      const inc = present(w.totalshippingprice, w.price, w.shippingprice?.priceperitemincvat);
      const ex = present(w.totalshippingpriceexvat, w.priceexvat, w.shippingprice?.priceperitemexvat);
      if (inc === undefined) return E.left('totalShippingPrice (or price) is required');
      if (ex === undefined && inc !== 0) return E.left('totalShippingPriceExVat (or priceExVat) is required when the price is not 0');
      const excl = ex ?? 0;
      if (!Number.isFinite(inc) || !Number.isFinite(excl) || inc < 0 || excl < 0) return E.left('shipping prices must be non-negative numbers');
      if (inc > MAX_PRICE || excl > MAX_PRICE) return E.left(`shipping prices must be at most ${MAX_PRICE}`);
      if (!twoDecimals(inc) || !twoDecimals(excl)) return E.left('shipping prices may have at most 2 decimals');
      if (excl > inc) return E.left('the price excluding VAT cannot exceed the price including VAT');
      const p = w.pickuplocation;
      const address = p ? (p.description ?? [p.address, [p.postalcode, p.city].filter(Boolean).join(' ')]).filter((line): line is string => !!line && line.trim() !== '') : [];
      const secondaryOption = present(w.secondaryoption, w.selectedshippingsecondaryoption)?.trim();
      const methodName = present(w.methodname, w.displayname)?.trim();
      const services = (w.additionalshippingservices ?? []).filter((s): s is string => typeof s === 'string');
      return E.right<string, ShippingSelection>({
        method,
        ...(methodName ? { methodName } : {}),
        ...(secondaryOption ? { secondaryOption } : {}),
        total: { includingVat: inc, excludingVat: excl },
        ...(p && (p.name || address.length > 0) ? { pickupLocation: { ...(p.name ? { name: p.name } : {}), address } } : {}),
        ...(services.length > 0 ? { additionalServices: services } : {}),
      });
    }),
  );
}
