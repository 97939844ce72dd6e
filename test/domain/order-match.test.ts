import { expect } from 'chai';
import * as E from 'fp-ts/Either';
import { matchQliroOrder } from '../../src/domain/order-match';
import { toQliroOrderLines, type MappedQliroOrder } from '../../src/domain/qliro-order-lines';
import type { NorceOrder } from '../../src/domain/norce-order';
import { loadFixture } from '../support/fixtures';

describe('domain: does the Qliro order match the Norce order (validate)', () => {
  const order = loadFixture<NorceOrder>('norce', 'orders', 'order-2-se-mixed-vat-discount-qliro-intent.json');
  const mapped = (qliroOwnsShipping = false): MappedQliroOrder =>
    (toQliroOrderLines(order, { mapDiscountPerRow: false, qliroOwnsShipping }, order.payments![0]!.id) as E.Right<MappedQliroOrder>).right;
  const asQliro = (m: MappedQliroOrder) => ({ Currency: 'SEK', OrderItems: m.lines.map((l) => ({ ...l, Type: l.Type.toLowerCase() })) });

  it('matches the lines the adapter sent, whatever the casing of Type and the order of lines', () => {
    const q = asQliro(mapped());
    expect(matchQliroOrder(mapped(), { ...q, OrderItems: [...q.OrderItems].reverse() }, 'SEK', false)).to.equal(undefined);
  });

  it('reports a changed quantity, a missing line and an extra line', () => {
    const q = asQliro(mapped());
    const changed = { ...q, OrderItems: q.OrderItems.map((l, i) => (i === 0 ? { ...l, Quantity: l.Quantity + 1 } : l)) };
    expect(matchQliroOrder(mapped(), changed, 'SEK', false)).to.include({ kind: 'items' });
    expect(matchQliroOrder(mapped(), { ...q, OrderItems: q.OrderItems.slice(1) }, 'SEK', false)).to.include({ kind: 'items' });
    const extra = { ...q, OrderItems: [...q.OrderItems, { MerchantReference: 'GIFT', Type: 'product', Quantity: 1, PricePerItemIncVat: 10 }] };
    expect(matchQliroOrder(mapped(), extra, 'SEK', false)?.detail).to.contain('GIFT');
  });

  it('refuses another currency', () => {
    expect(matchQliroOrder(mapped(), { ...asQliro(mapped()), Currency: 'NOK' }, 'SEK', false)).to.include({ kind: 'currency' });
  });

  it('allows the shipping line Qliro adds only when Qliro owns shipping', () => {
    const owned = mapped(true);
    const withShipping = { ...asQliro(owned), OrderItems: [...asQliro(owned).OrderItems, { MerchantReference: 'pn-home', Type: 'Shipping', Quantity: 1, PricePerItemIncVat: 59 }] };
    expect(matchQliroOrder(owned, withShipping, 'SEK', true)).to.equal(undefined);
    expect(matchQliroOrder(owned, withShipping, 'SEK', false)).to.include({ kind: 'items' });
  });
});
