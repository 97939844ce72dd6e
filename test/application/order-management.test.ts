// Capture, cancel, refund, refresh and the order-management push against the port fakes (BEHAVIOUR §5–§7).
import { expect } from 'chai';
import * as E from 'fp-ts/Either';
import { CreatePayment } from '../../src/application/use-cases/create-payment';
import { HandleCheckoutStatusPush } from '../../src/application/use-cases/handle-checkout-status-push';
import { CapturePayment } from '../../src/application/use-cases/capture-payment';
import { CancelPayment } from '../../src/application/use-cases/cancel-payment';
import { RefundPayment } from '../../src/application/use-cases/refund-payment';
import { RefreshPayment } from '../../src/application/use-cases/refresh-payment';
import { HandleOrderManagementPush } from '../../src/application/use-cases/handle-order-management-push';
import type { AdapterError } from '../../src/domain/errors';
import type { QliroOrderManagementPush } from '../../src/domain/qliro-admin';
import { sandboxDemoOrder } from '../../sandbox/nco-simulator';
import { checkoutHarness, REF, type CheckoutHarness } from './checkout-harness';

const codeOf = (r: E.Either<AdapterError, unknown>) => (E.isLeft(r) ? r.left.code : 'ok');

describe('order management (use cases, against port fakes)', () => {
  let h: CheckoutHarness;
  let orderId: string;
  let paymentId: string;
  let qliroOrderId: number;
  const ids = () => ({ ...REF, orderId, paymentId });
  const payment = () => h.norce.order(orderId)!.payments!.find((p) => p.id === paymentId)!;
  const transactions = () => h.norce.transactions(orderId, paymentId);
  const capture = () => h.container.resolve(CapturePayment).execute(ids())();
  const cancel = () => h.container.resolve(CancelPayment).execute(ids())();
  const refund = () => h.container.resolve(RefundPayment).execute(ids())();
  const refresh = () => h.container.resolve(RefreshPayment).execute(ids())();
  /** Qliro decides every waiting Admin transaction and its pushes reach the adapter. */
  const settle = async () => {
    for (const push of h.admin.settle(qliroOrderId)) await deliver(push);
  };
  const deliver = (push: QliroOrderManagementPush) => h.container.resolve(HandleOrderManagementPush).execute({ ...ids(), push })();

  async function purchase(preauthorization: 'Success' | 'OnHold' = 'Success') {
    h = checkoutHarness();
    orderId = h.norce.seed(sandboxDemoOrder('se'), REF);
    paymentId = (E.getOrElseW(() => undefined)(await h.container.resolve(CreatePayment).execute({ ...REF, orderId })()) as { paymentId: string }).paymentId;
    qliroOrderId = Number(payment().reference);
    h.qliro.setStatus(qliroOrderId, preauthorization === 'Success' ? 'Completed' : 'OnHold');
    await h.container.resolve(HandleCheckoutStatusPush).execute({ ...ids(), push: { OrderId: qliroOrderId } })();
    h.admin.addFromCheckout(h.qliro, qliroOrderId, { preauthorization });
  }

  beforeEach(() => purchase());

  it('capture records the started transaction; the state changes only on the Success push', async () => {
    expect(await capture()).to.deep.equal(E.right({ paymentId, htmlSnippet: '' }));
    expect(payment().state).to.equal('reserved');
    expect(transactions().at(-1)).to.include({ event: 'capture', pspStatus: 'Created' });
    await settle();
    expect(payment().state).to.equal('captured');
    expect(transactions().at(-1)).to.include({ event: 'capture', pspStatus: 'Success', isSuccess: true });
  });

  it('parallel and repeated captures make one Admin call', async () => {
    const results = await Promise.all([capture(), capture(), capture()]);
    expect(results.map(codeOf)).to.deep.equal(['ok', 'ok', 'ok']);
    await settle();
    expect(codeOf(await capture())).to.equal('ok');
    expect(h.admin.callsOf('markItemsAsShipped')).to.have.length(1);
  });

  it('a capture record lost by a dying replica is adopted from the ledger instead of capturing again', async () => {
    await capture();
    // The payment forgets the started capture (as if the replica died before writing it).
    await h.norce.updatePayment(REF, orderId, { ...payment(), attributes: { ...payment().attributes, qliroOperations: [] } })();
    expect(codeOf(await capture())).to.equal('ok');
    expect(h.admin.callsOf('markItemsAsShipped')).to.have.length(2); // the second is refused by Qliro and adopted
    await settle();
    expect(payment().state).to.equal('captured');
    expect(transactions().filter((t) => t.event === 'capture' && t.pspStatus === 'Success')).to.have.length(1);
  });

  it('an Error outcome leaves the payment reserved with a failed record; the next capture uses a new RequestId', async () => {
    h.admin.failNextOutcome(qliroOrderId, { type: 'Capture', errorCode: 'PROVIDER_ERROR' });
    await capture();
    await settle();
    expect(payment().state).to.equal('reserved');
    expect(transactions().at(-1)).to.include({ isSuccess: false, pspStatus: 'Error' });
    await capture();
    await settle();
    expect(payment().state).to.equal('captured');
    const requestIds = h.admin.callsOf('markItemsAsShipped').map((c) => c.args[1].RequestId);
    expect(new Set(requestIds).size).to.equal(2);
  });

  it('capture while on hold is a 409 without an Admin call', async () => {
    await purchase('OnHold');
    expect(codeOf(await capture())).to.equal('payment-conflict');
    expect(h.admin.callsOf('markItemsAsShipped')).to.have.length(0);
  });

  it('cancel before capture → cancelled; after capture → 409', async () => {
    expect(codeOf(await cancel())).to.equal('ok');
    await settle();
    expect(payment().state).to.equal('cancelled');
    await purchase();
    await capture();
    await settle();
    expect(codeOf(await cancel())).to.equal('payment-conflict');
  });

  it('refund after capture → refunded; duplicate pushes change nothing', async () => {
    await capture();
    await settle();
    expect(codeOf(await refund())).to.equal('ok');
    const pushes = h.admin.settle(qliroOrderId);
    for (const push of [...pushes, ...pushes]) await deliver(push);
    expect(payment().state).to.equal('refunded');
    expect(transactions().filter((t) => t.event === 'refund' && t.pspStatus === 'Success')).to.have.length(1);
  });

  it('a Reversal Qliro made on its own is recorded and never read as a cancel', async () => {
    const push = h.admin.reverse(qliroOrderId, 10);
    expect(E.isRight(await deliver(push))).to.equal(true);
    expect(payment().state).to.equal('reserved');
    expect(transactions().at(-1)).to.include({ event: 'paymentAction', pspEvent: 'Reversal' });
  });

  it('refresh repairs a lost Success push and publishes the actions the new state allows', async () => {
    await capture();
    h.admin.settle(qliroOrderId); // outcome happened at Qliro, push never delivered
    const refreshed = await refresh();
    expect(refreshed).to.deep.equal(E.right({ paymentId, state: 'captured', actions: ['refund'] }));
    expect(payment().actions!.map((a) => a.type)).to.deep.equal(['refund']);
  });

  it('a status push for another Qliro order is refused, touching nothing', async () => {
    const before = h.norce.calls.filter((c) => c.operation !== 'getOrder').length;
    expect(codeOf(await h.container.resolve(HandleOrderManagementPush).execute({ ...ids(), push: { OrderId: qliroOrderId + 1, PaymentTransactionId: 1 } })())).to.equal('order-bad-request');
    expect(h.norce.calls.filter((c) => c.operation !== 'getOrder').length).to.equal(before);
  });
});
