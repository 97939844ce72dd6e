// What every QliroAdminGateway must do alike — run against the in-memory fake and the HTTP adapter + Qliro simulator.
import { expect } from 'chai';
import { randomUUID } from 'node:crypto';
import { isLeft, isRight, type Either } from 'fp-ts/Either';
import type { QliroAdminGateway } from '../../src/application/ports/qliro-admin-gateway';
import type { AdapterError } from '../../src/domain/errors';
import type { QliroCredentials } from '../../src/domain/qliro-order';
import type { QliroAdminItem, QliroAdminOrder } from '../../src/domain/qliro-admin';
import { refundableItems, unshippedItems } from '../../src/domain/order-management';

/** An order line as the customer bought it. */
export interface ContractLine {
  readonly MerchantReference: string;
  readonly Description: string;
  readonly Type: 'Product' | 'Discount' | 'Shipping' | 'Fee';
  readonly Quantity: number;
  readonly PricePerItemIncVat: number;
  readonly PricePerItemExVat: number;
  readonly VatRate: number;
}

export interface QliroAdminGatewayContractSubject {
  readonly gateway: QliroAdminGateway;
  readonly credentials: QliroCredentials;
  /** A Qliro order the customer completed: a Preauthorization (Success, or OnHold) reserving `lines`. */
  completedOrder(lines: readonly ContractLine[], options?: { readonly onHold?: boolean }): Promise<{ orderId: number; preauthorizationId: number }>;
  /** Every transaction of the order still waiting reaches its outcome (Success unless failNextOutcome said Error). */
  settle(orderId: number): Promise<void>;
  /** The next outcome of the order ends in Error. */
  failNextOutcome(orderId: number): Promise<void> | void;
  teardown(): Promise<void>;
}

/** 2 × 89.90 + 1299 − 200 + 49 = 1327.80 (the fixture's lines, trimmed). */
export const CONTRACT_LINES: readonly ContractLine[] = [
  { MerchantReference: 'JKT-30112-S', Description: 'Regnjacka Dam, S', Type: 'Product', Quantity: 1, PricePerItemIncVat: 1299, PricePerItemExVat: 1039.2, VatRate: 25 },
  { MerchantReference: 'KAF-0500', Description: 'Kaffe Mellanrost 500 g', Type: 'Product', Quantity: 2, PricePerItemIncVat: 89.9, PricePerItemExVat: 80.27, VatRate: 12 },
  { MerchantReference: 'JACKA200', Description: 'Kampanj regnjacka', Type: 'Discount', Quantity: 1, PricePerItemIncVat: -200, PricePerItemExVat: -160, VatRate: 25 },
  { MerchantReference: 'SHIP-1', Description: 'PostNord MyPack Collect', Type: 'Shipping', Quantity: 1, PricePerItemIncVat: 49, PricePerItemExVat: 39.2, VatRate: 25 },
];
const TOTAL = 1327.8;

const asItem = (l: ContractLine, quantity = l.Quantity): QliroAdminItem => ({
  MerchantReference: l.MerchantReference,
  Type: l.Type,
  Quantity: quantity,
  PricePerItemIncVat: l.PricePerItemIncVat,
});
const [JACKET, COFFEE, DISCOUNT, SHIPPING] = CONTRACT_LINES as [ContractLine, ContractLine, ContractLine, ContractLine];

function expectRight<A>(result: Either<AdapterError, A>): A {
  if (isLeft(result)) expect.fail(`expected success, got ${result.left.code}: ${result.left.message}`);
  return result.right;
}

function expectLeft<A>(result: Either<AdapterError, A>): AdapterError {
  if (isRight(result)) expect.fail('expected an AdapterError, got success');
  return result.left;
}

/** A 4xx business refusal carrying Qliro's ErrorCode. */
function expectRefusal<A>(result: Either<AdapterError, A>, errorCode: string): AdapterError {
  const error = expectLeft(result);
  expect(error.qliroError?.ErrorCode, error.message).to.equal(errorCode);
  expect(error.code).to.equal('qliro-bad-request');
  expect(error.transient ?? false).to.equal(false);
  return error;
}

const actions = (order: QliroAdminOrder, type: string) =>
  order.OrderItemActions.filter((a) => a.ActionType === type).map((a) => [a.MerchantReference, a.Quantity, a.PaymentTransactionId]);

export function describeQliroAdminGatewayContract(name: string, setup: () => Promise<QliroAdminGatewayContractSubject>): void {
  describe(`QliroAdminGateway contract: ${name}`, () => {
    let subject: QliroAdminGatewayContractSubject;
    let gateway: QliroAdminGateway;
    let credentials: QliroCredentials;

    before(async () => {
      subject = await setup();
      ({ gateway, credentials } = subject);
    });
    after(async () => {
      await subject?.teardown();
    });

    const read = async (orderId: number) => expectRight(await gateway.getOrder(credentials, orderId)());
    const capture = (orderId: number, items: readonly QliroAdminItem[], paymentTransactionId: number, requestId = randomUUID()) =>
      gateway.markItemsAsShipped(credentials, { RequestId: requestId, OrderId: orderId, Currency: 'SEK', Shipments: [{ PaymentTransactionId: paymentTransactionId, OrderItems: items }] })();
    const refund = (orderId: number, items: readonly QliroAdminItem[], captureId: number, requestId = randomUUID()) =>
      gateway.returnItems(credentials, { RequestId: requestId, OrderId: orderId, Currency: 'SEK', Returns: [{ PaymentTransactionId: captureId, OrderItems: items }] })();
    const cancel = (orderId: number, requestId = randomUUID()) => gateway.cancelOrder(credentials, { RequestId: requestId, OrderId: orderId })();
    const started = async (result: ReturnType<typeof capture>): Promise<number> => {
      const answer = expectRight(await result);
      expect(answer.PaymentTransactions).to.have.length(1);
      expect(answer.PaymentTransactions[0]!.Status).to.equal('Created');
      return answer.PaymentTransactions[0]!.PaymentTransactionId;
    };

    it('reads a completed order: a successful Preauthorization of the total and a Reserve action per line stamped with it', async () => {
      const { orderId, preauthorizationId } = await subject.completedOrder(CONTRACT_LINES);
      const order = await read(orderId);
      expect(order.OrderId).to.equal(orderId);
      expect(order.Currency).to.equal('SEK');
      expect(order.PaymentTransactions.map((t) => [t.PaymentTransactionId, t.Type, t.Status, t.Amount])).to.deep.equal([
        [preauthorizationId, 'Preauthorization', 'Success', TOTAL],
      ]);
      expect(actions(order, 'Reserve')).to.deep.equal(CONTRACT_LINES.map((l) => [l.MerchantReference, l.Quantity, preauthorizationId]));
      const reserve = order.OrderItemActions[1]!;
      expect([reserve.Description, reserve.Type, reserve.PricePerItemIncVat, reserve.PricePerItemExVat, reserve.VatRate]).to.deep.equal([
        'Kaffe Mellanrost 500 g', 'Product', 89.9, 80.27, 12,
      ]);
      expect(unshippedItems(order)).to.have.length(1);
    });

    it('captures everything: a Capture in Created at once; on Success a Ship action per line, and the ledger reads captured', async () => {
      const { orderId, preauthorizationId } = await subject.completedOrder(CONTRACT_LINES);
      const captureId = await started(capture(orderId, CONTRACT_LINES.map((l) => asItem(l)), preauthorizationId));
      expect(captureId).to.be.greaterThan(preauthorizationId);

      const before = expectRight(await gateway.getPaymentTransaction(credentials, captureId)());
      expect([before.Type, before.Status, before.Amount, before.OriginalPaymentTransactionId]).to.deep.equal(['Capture', 'Created', TOTAL, preauthorizationId]);
      expect(actions(await read(orderId), 'Ship')).to.deep.equal([]);

      await subject.settle(orderId);
      const after = expectRight(await gateway.getPaymentTransaction(credentials, captureId)());
      expect(after.Status).to.equal('Success');
      const order = await read(orderId);
      expect(actions(order, 'Ship')).to.deep.equal(CONTRACT_LINES.map((l) => [l.MerchantReference, l.Quantity, captureId]));
      expect(unshippedItems(order)).to.deep.equal([]);
      expect(refundableItems(order).map((r) => r.paymentTransactionId)).to.deep.equal([captureId]);
    });

    it('captures partially, then the rest, each a Capture of its own; a third capture finds NO_ITEMS_LEFT_IN_RESERVATION', async () => {
      const { orderId, preauthorizationId } = await subject.completedOrder(CONTRACT_LINES);
      expectRefusal(await capture(orderId, [asItem(DISCOUNT)], preauthorizationId), 'INVALID_REQUEST_TOTAL_AMOUNT');
      const first = await started(capture(orderId, [asItem(JACKET), asItem(DISCOUNT), asItem(COFFEE, 1)], preauthorizationId));
      await subject.settle(orderId);
      const partly = await read(orderId);
      expect(unshippedItems(partly)[0]!.items.map((i) => [i.MerchantReference, i.Quantity])).to.deep.equal([
        ['KAF-0500', 1],
        ['SHIP-1', 1],
      ]);
      expect(partly.PaymentTransactions.find((t) => t.PaymentTransactionId === first)!.Amount).to.equal(1188.9);

      const second = await started(capture(orderId, [asItem(COFFEE, 1), asItem(SHIPPING)], preauthorizationId));
      await subject.settle(orderId);
      const order = await read(orderId);
      expect(order.PaymentTransactions.find((t) => t.PaymentTransactionId === second)!.Amount).to.equal(138.9);
      expect(unshippedItems(order)).to.deep.equal([]);
      expect(refundableItems(order).map((r) => r.paymentTransactionId)).to.deep.equal([first, second]);
      expectRefusal(await capture(orderId, [asItem(COFFEE, 1)], preauthorizationId), 'NO_ITEMS_LEFT_IN_RESERVATION');
    });

    it('refuses an item not in the order (INVALID_ITEM) or more than is left (EXCEEDING_QUANTITY), and starts nothing', async () => {
      const { orderId, preauthorizationId } = await subject.completedOrder(CONTRACT_LINES);
      const invalid = expectRefusal(await capture(orderId, [{ ...asItem(JACKET), PricePerItemIncVat: 1199 }], preauthorizationId), 'INVALID_ITEM');
      expect(invalid.qliroError?.ErrorMessage).to.equal(
        `Evaluation, Could not find a matching item in the original order with MerchantReference 'JKT-30112-S' and PricePerItemIncludingVat 1199.00 in the order ${orderId}`,
      );
      expectRefusal(await capture(orderId, [asItem(COFFEE, 3)], preauthorizationId), 'EXCEEDING_QUANTITY');
      expectRefusal(await capture(orderId, [asItem(COFFEE, 1), asItem(COFFEE, 2)], preauthorizationId), 'EXCEEDING_QUANTITY');
      expect((await read(orderId)).PaymentTransactions).to.have.length(1);
    });

    it('refuses a shipment against anything but a successful Preauthorization/Debit (PAYMENT_REFERENCE_IS_INCORRECT)', async () => {
      const { orderId, preauthorizationId } = await subject.completedOrder(CONTRACT_LINES);
      expectRefusal(await capture(orderId, [asItem(JACKET)], preauthorizationId + 999_999), 'PAYMENT_REFERENCE_IS_INCORRECT');
    });

    it('refuses any operation while another transaction of the order is in process (OPERATION_NOT_SUPPORTED), not after', async () => {
      const { orderId, preauthorizationId } = await subject.completedOrder(CONTRACT_LINES);
      await started(capture(orderId, [asItem(JACKET)], preauthorizationId));
      const busy = expectRefusal(await capture(orderId, [asItem(COFFEE)], preauthorizationId), 'OPERATION_NOT_SUPPORTED');
      expect(busy.qliroError?.ErrorMessage).to.equal(
        'Evaluation, Operation is not supported for this order Another transaction is already in process. Please retry shortly',
      );
      expectRefusal(await cancel(orderId), 'OPERATION_NOT_SUPPORTED');
      await subject.settle(orderId);
      await started(capture(orderId, [asItem(COFFEE)], preauthorizationId));
      await subject.settle(orderId);
    });

    it('denies a reused RequestId (not replayed) and starts nothing; a new RequestId goes through', async () => {
      const { orderId, preauthorizationId } = await subject.completedOrder(CONTRACT_LINES);
      const requestId = randomUUID();
      const first = await started(capture(orderId, [asItem(JACKET)], preauthorizationId, requestId));
      await subject.settle(orderId);
      const denied = expectLeft(await capture(orderId, [asItem(COFFEE)], preauthorizationId, requestId));
      expect(denied.code).to.equal('qliro-bad-request');
      expect(denied.transient ?? false).to.equal(false);
      expect((await read(orderId)).PaymentTransactions.map((t) => t.PaymentTransactionId)).to.deep.equal([preauthorizationId, first]);
      await started(capture(orderId, [asItem(COFFEE)], preauthorizationId));
      await subject.settle(orderId);
    });

    it('lets a refused request’s RequestId be used again once the cause is gone', async () => {
      const { orderId, preauthorizationId } = await subject.completedOrder(CONTRACT_LINES);
      const requestId = randomUUID();
      expectRefusal(await capture(orderId, [asItem(COFFEE, 5)], preauthorizationId, requestId), 'EXCEEDING_QUANTITY');
      await started(capture(orderId, [asItem(COFFEE, 2)], preauthorizationId, requestId));
      await subject.settle(orderId);
    });

    it('refunds against a capture (Refund, Return actions), only what that capture shipped and not yet returned', async () => {
      const { orderId, preauthorizationId } = await subject.completedOrder(CONTRACT_LINES);
      const captureId = await started(capture(orderId, CONTRACT_LINES.map((l) => asItem(l)), preauthorizationId));
      await subject.settle(orderId);

      const wrongType = expectRefusal(await refund(orderId, [asItem(COFFEE, 1)], preauthorizationId), 'INVALID_PAYMENT_TYPE');
      expect(wrongType.qliroError?.ErrorMessage).to.equal(
        `Evaluation, Type of transaction '${preauthorizationId}' of order '${orderId}' is invalid. Expected type 'Capture' but actual type 'Preauthorization'`,
      );
      expectRefusal(await refund(orderId, [{ ...asItem(COFFEE, 1), MerchantReference: 'random' }], captureId), 'INVALID_ITEM');
      expectRefusal(await refund(orderId, [asItem(COFFEE, 3)], captureId), 'EXCEEDING_QUANTITY');
      expectRefusal(await refund(orderId, [asItem(DISCOUNT)], captureId), 'INVALID_REQUEST_TOTAL_AMOUNT');

      const refundId = await started(refund(orderId, [asItem(COFFEE, 1)], captureId));
      await subject.settle(orderId);
      const order = await read(orderId);
      const transaction = order.PaymentTransactions.find((t) => t.PaymentTransactionId === refundId)!;
      expect([transaction.Type, transaction.Status, transaction.Amount, transaction.OriginalPaymentTransactionId]).to.deep.equal(['Refund', 'Success', 89.9, captureId]);
      expect(actions(order, 'Return')).to.deep.equal([['KAF-0500', 1, refundId]]);
      expect(refundableItems(order)[0]!.items.find((i) => i.MerchantReference === 'KAF-0500')!.Quantity).to.equal(1);
      expectRefusal(await refund(orderId, [asItem(COFFEE, 2)], captureId), 'EXCEEDING_QUANTITY');
    });

    it('cancels: one Reversal releasing everything unshipped; afterwards cancel and capture answer ORDER_HAS_BEEN_CANCELLED', async () => {
      const { orderId, preauthorizationId } = await subject.completedOrder(CONTRACT_LINES);
      const reversalId = await started(cancel(orderId));
      await subject.settle(orderId);
      const order = await read(orderId);
      const reversal = order.PaymentTransactions.find((t) => t.PaymentTransactionId === reversalId)!;
      expect([reversal.Type, reversal.Status, reversal.Amount, reversal.OriginalPaymentTransactionId]).to.deep.equal(['Reversal', 'Success', TOTAL, preauthorizationId]);
      expect(actions(order, 'Release')).to.deep.equal(CONTRACT_LINES.map((l) => [l.MerchantReference, l.Quantity, reversalId]));
      expect(unshippedItems(order)).to.deep.equal([]);
      const again = expectRefusal(await cancel(orderId), 'ORDER_HAS_BEEN_CANCELLED');
      expect(again.qliroError?.ErrorMessage).to.equal(`Evaluation, Order ${orderId} has been cancelled`);
      expectRefusal(await capture(orderId, [asItem(JACKET)], preauthorizationId), 'ORDER_HAS_BEEN_CANCELLED');
    });

    it('cancels after a partial capture by releasing only the rest; nothing to cancel once all is shipped (NO_ITEMS_TO_CANCEL)', async () => {
      const partly = await subject.completedOrder(CONTRACT_LINES);
      await started(capture(partly.orderId, [asItem(JACKET), asItem(DISCOUNT)], partly.preauthorizationId));
      await subject.settle(partly.orderId);
      const reversalId = await started(cancel(partly.orderId));
      await subject.settle(partly.orderId);
      const order = await read(partly.orderId);
      expect(order.PaymentTransactions.find((t) => t.PaymentTransactionId === reversalId)!.Amount).to.equal(228.8);
      expect(actions(order, 'Release')).to.deep.equal([
        ['KAF-0500', 2, reversalId],
        ['SHIP-1', 1, reversalId],
      ]);

      const shipped = await subject.completedOrder(CONTRACT_LINES);
      await started(capture(shipped.orderId, CONTRACT_LINES.map((l) => asItem(l)), shipped.preauthorizationId));
      await subject.settle(shipped.orderId);
      expectRefusal(await cancel(shipped.orderId), 'NO_ITEMS_TO_CANCEL');
    });

    it('an Error outcome applies nothing: no Ship actions, and the items can be captured again', async () => {
      const { orderId, preauthorizationId } = await subject.completedOrder(CONTRACT_LINES);
      await subject.failNextOutcome(orderId);
      const failed = await started(capture(orderId, CONTRACT_LINES.map((l) => asItem(l)), preauthorizationId));
      await subject.settle(orderId);
      expect(expectRight(await gateway.getPaymentTransaction(credentials, failed)()).Status).to.equal('Error');
      const order = await read(orderId);
      expect(actions(order, 'Ship')).to.deep.equal([]);
      expect(unshippedItems(order)[0]!.items).to.have.length(CONTRACT_LINES.length);

      const retried = await started(capture(orderId, CONTRACT_LINES.map((l) => asItem(l)), preauthorizationId));
      await subject.settle(orderId);
      expect(actions(await read(orderId), 'Ship').every(([, , id]) => id === retried)).to.equal(true);
    });

    it('refuses to capture or cancel while the payment is on hold (PAYMENT_ONHOLD)', async () => {
      const { orderId, preauthorizationId } = await subject.completedOrder(CONTRACT_LINES, { onHold: true });
      expect((await read(orderId)).PaymentTransactions[0]!.Status).to.equal('OnHold');
      expectRefusal(await capture(orderId, [asItem(JACKET)], preauthorizationId), 'PAYMENT_ONHOLD');
      expectRefusal(await cancel(orderId), 'PAYMENT_ONHOLD');
    });

    it('answers qliro-order-not-found for an unknown order and an unknown transaction', async () => {
      expect(expectLeft(await gateway.getOrder(credentials, 999_999_999)()).code).to.equal('qliro-order-not-found');
      expect(expectLeft(await gateway.getPaymentTransaction(credentials, 999_999_999)()).code).to.equal('qliro-order-not-found');
      expect(expectLeft(await cancel(999_999_999)).code).to.equal('qliro-order-not-found');
    });

    it('refuses a request without a valid RequestId as qliro-validation (INVALID_INPUT)', async () => {
      const { orderId } = await subject.completedOrder(CONTRACT_LINES);
      const error = expectLeft(await cancel(orderId, 'not-a-guid' as `${string}-${string}-${string}-${string}-${string}`));
      expect(error.code).to.equal('qliro-validation');
      expect(error.qliroError?.ErrorCode).to.equal('INVALID_INPUT');
    });
  });
}

let counter = 0;
/** A MerchantReference no earlier test run used (≤ 25 chars, [A-Za-z0-9_-]). */
export const uniqueContractReference = (): string =>
  `a${Date.now().toString(36)}${(counter++).toString(36)}${Math.random().toString(36).slice(2, 6)}`;
