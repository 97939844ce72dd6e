import { expect } from 'chai';
import { createHash } from 'node:crypto';
import {
  inFlight,
  ledgerTotals,
  operationRequestId,
  possibleOperations,
  reconciledState,
  refundableItems,
  unshippedItems,
} from '../../src/domain/order-management';
import type { QliroAdminOrder } from '../../src/domain/qliro-admin';
import { loadFixture } from '../support/fixtures';

const story = loadFixture<QliroAdminOrder>('qliro', 'admin-api', 'get-order.response.with-transactions.norce-order-3.json');

/** The fixture's story cut back to its first n transactions (and the item actions they carry). */
function upTo(n: number): QliroAdminOrder {
  const txs = story.PaymentTransactions.slice(0, n);
  const ids = new Set(txs.map((t) => t.PaymentTransactionId));
  return { ...story, PaymentTransactions: txs, OrderItemActions: story.OrderItemActions.filter((a) => ids.has(a.PaymentTransactionId)) };
}

describe('domain: the Qliro Admin ledger (fixture story: reserve → failed capture → capture → reversal → refund)', () => {
  it('after the reservation everything is unshipped, nothing refundable', () => {
    const ledger = upTo(1);
    const [shipment] = unshippedItems(ledger);
    expect(shipment!.paymentTransactionId).to.equal(3294101);
    expect(shipment!.items.map((i) => `${i.MerchantReference}×${i.Quantity}`)).to.have.members([
      'JKT-30112-S×1', 'KAF-0500×2', 'BOK-0042×1', 'JACKA200×1', 'e8ed2091-c34c-4837-a3a8-bc827b0dc183×1', 'pkhmiywFDzZZMpmCHPyPEFqBhPD×1',
    ]);
    expect(refundableItems(ledger)).to.deep.equal([]);
  });

  it('a failed capture ships nothing', () => {
    expect(unshippedItems(upTo(2))[0]!.items).to.have.length(6);
  });

  it('after the successful capture only the coffee is left; after the reversal nothing', () => {
    expect(unshippedItems(upTo(3)).flatMap((s) => s.items.map((i) => i.MerchantReference))).to.deep.equal(['KAF-0500']);
    expect(unshippedItems(upTo(4))).to.deep.equal([]);
  });

  it('refundable items are what the capture shipped minus what was returned', () => {
    const before = refundableItems(upTo(4));
    expect(before).to.have.length(1);
    expect(before[0]!.paymentTransactionId).to.equal(3294190);
    expect(before[0]!.items.map((i) => i.MerchantReference)).to.include('BOK-0042');
    const after = refundableItems(story);
    expect(after[0]!.items.map((i) => i.MerchantReference)).to.not.include('BOK-0042');
  });

  it('totals count successful transactions only, in minor units', () => {
    expect(ledgerTotals(story)).to.deep.equal({ reservedMinor: 97680, capturedMinor: 79700, refundedMinor: 14900, releasedMinor: 17980 });
  });

  it('in-flight transactions are those still waiting for an outcome', () => {
    const pending: QliroAdminOrder = { ...story, PaymentTransactions: [...story.PaymentTransactions, { PaymentTransactionId: 1, Type: 'Capture', Status: 'Created', Amount: 1 }] };
    expect(inFlight(pending, 'Capture').map((t) => t.PaymentTransactionId)).to.deep.equal([1]);
    expect(inFlight(story, 'Capture')).to.deep.equal([]);
  });

  it('reconciles the payment state from the ledger; a Reversal is a cancel only when one was asked for', () => {
    expect(reconciledState(upTo(1), 'reserved', false)).to.equal('reserved');
    expect(reconciledState(upTo(3), 'reserved', false)).to.equal('reserved'); // coffee still reserved: partial
    expect(reconciledState(upTo(4), 'reserved', false)).to.equal('captured');
    expect(reconciledState(story, 'captured', false)).to.equal('captured'); // partial refund
    const onlyReversal: QliroAdminOrder = {
      ...upTo(1),
      PaymentTransactions: [...upTo(1).PaymentTransactions, { PaymentTransactionId: 9, OriginalPaymentTransactionId: 3294101, Type: 'Reversal', Status: 'Success', Amount: 976.8 }],
      OrderItemActions: [...upTo(1).OrderItemActions, ...upTo(1).OrderItemActions.map((a) => ({ ...a, ActionType: 'Release', PaymentTransactionId: 9 }))],
    };
    expect(reconciledState(onlyReversal, 'reserved', true)).to.equal('cancelled');
    expect(reconciledState(onlyReversal, 'reserved', false)).to.equal('reserved');
  });

  it('derives stable, distinct GUID RequestIds per payment, operation and attempt', () => {
    const sha = (t: string) => createHash('sha256').update(t).digest('hex');
    const a = operationRequestId(sha, 'p1', 'capture', 0);
    expect(a).to.match(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(operationRequestId(sha, 'p1', 'capture', 0)).to.equal(a);
    expect(new Set([a, operationRequestId(sha, 'p1', 'capture', 1), operationRequestId(sha, 'p1', 'refund', 0), operationRequestId(sha, 'p2', 'capture', 0)]).size).to.equal(4);
  });

  it('offers capture and cancel on a reserved payment, refund on a captured one, nothing otherwise', () => {
    expect(possibleOperations('reserved')).to.deep.equal(['capture', 'cancel']);
    expect(possibleOperations('captured')).to.deep.equal(['refund']);
    for (const s of ['intent', 'pending', 'refunded', 'cancelled', 'declined'] as const) expect(possibleOperations(s)).to.deep.equal([]);
  });
});
