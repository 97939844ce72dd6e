// Capture, cancel, refund and refresh over HTTP against the simulators (Qliro Admin API ledger + order-management pushes).
import { expect } from 'chai';
import type { RunningSandbox } from '../../src/infrastructure/sandbox';
import { sandboxDemoOrder } from '../../sandbox/nco-simulator';
import { call, createNorceOrder, norceHeaders, paymentsUrl, startTestSandbox } from './sandbox-client';

describe('e2e: order management against the simulators', function () {
  this.timeout(20000);
  let sandbox: RunningSandbox;
  before(async () => {
    sandbox = await startTestSandbox();
  });
  after(async () => {
    await sandbox.stop();
  });

  const norceOrder = (id: string) => sandbox.nco.store.order(id) as any;
  const paymentOf = (id: string) => norceOrder(id).payments.find((p: any) => p.adapterId === 'qliro_checkout_adapter');
  const transactionsOf = (id: string) => sandbox.nco.store.transactionsOf(id, paymentOf(id).id) as any[];
  /** Admin writes that reached Qliro (and were accepted or refused) for this order. */
  const adminCalls = (qliroOrderId: number, op: string) =>
    sandbox.qliro.store.requests.filter((r) => r.op === op && (JSON.parse(r.rawBody || '{}') as { OrderId?: number }).OrderId === qliroOrderId);

  async function purchase(outcome: 'Completed' | 'OnHold' = 'Completed') {
    const orderId = await createNorceOrder(sandbox, sandboxDemoOrder('se'));
    const created = await call(paymentsUrl(sandbox, orderId), { method: 'POST', headers: norceHeaders() });
    const qliroOrderId = Number(paymentOf(orderId).reference);
    await call(`${sandbox.qliroUrl}/sandbox/orders/${qliroOrderId}/complete`, { method: 'POST', body: { outcome } });
    await sandbox.qliro.whenPushesSettled(qliroOrderId);
    const om = `${sandbox.adapter.url}/api/order/v1/orders/${orderId}/payments/${created.body.paymentId}`;
    const op = (name: string, body?: object) => call(`${om}/${name}`, { method: 'POST', headers: norceHeaders(), ...(body ? { body } : {}) });
    const settle = () => sandbox.qliro.whenPushesSettled(qliroOrderId);
    return { orderId, paymentId: created.body.paymentId as string, qliroOrderId, op, settle };
  }

  it('full capture → captured, then refund → refunded, each with its Norce transactions', async () => {
    const p = await purchase();
    const capture = await p.op('capture');
    expect(capture.status, JSON.stringify(capture.body)).to.equal(200);
    expect(capture.body).to.deep.equal({ paymentId: p.paymentId, htmlSnippet: '' });
    expect(paymentOf(p.orderId).state).to.equal('reserved'); // the state waits for Qliro's outcome
    await p.settle();
    expect(paymentOf(p.orderId).state).to.equal('captured');
    const refund = await p.op('refund');
    expect(refund.status).to.equal(200);
    await p.settle();
    expect(paymentOf(p.orderId).state).to.equal('refunded');
    expect(transactionsOf(p.orderId).map((t) => `${t.event}/${t.pspStatus}`)).to.deep.equal([
      'open/InProcess', 'process/Approved', 'confirm/Completed', 'capture/Created', 'capture/Success', 'refund/Created', 'refund/Success',
    ]);
    const shipped = adminCalls(p.qliroOrderId, 'markItemsAsShipped').map((r) => JSON.parse(r.rawBody));
    expect(shipped).to.have.length(1);
    const total = shipped[0].Shipments.flatMap((s: any) => s.OrderItems).reduce((sum: number, i: any) => sum + Math.round(i.PricePerItemIncVat * 100) * i.Quantity, 0);
    expect(total / 100).to.equal(norceOrder(p.orderId).total.includingVat);
  });

  it('cancel before capture → cancelled', async () => {
    const p = await purchase();
    expect((await p.op('cancel')).status).to.equal(200);
    await p.settle();
    expect(paymentOf(p.orderId).state).to.equal('cancelled');
    expect(transactionsOf(p.orderId).map((t) => t.event)).to.include('cancel');
    expect((await p.op('capture')).status).to.equal(409);
  });

  it('B31: double capture, sequential and parallel, makes one Admin capture and answers 200 each time', async () => {
    const p = await purchase();
    const parallel = await Promise.all([p.op('capture'), p.op('capture'), p.op('capture')]);
    expect(parallel.map((a) => a.status)).to.deep.equal([200, 200, 200]);
    expect((await p.op('capture')).status).to.equal(200);
    await p.settle();
    expect((await p.op('capture')).status).to.equal(200);
    expect(adminCalls(p.qliroOrderId, 'markItemsAsShipped')).to.have.length(1);
    expect(paymentOf(p.orderId).state).to.equal('captured');
    expect(transactionsOf(p.orderId).filter((t) => t.event === 'capture' && t.pspStatus === 'Success')).to.have.length(1);
  });

  it('B36: capture while OnHold → 409, no Admin call; after Completed the capture goes through once', async () => {
    const p = await purchase('OnHold');
    const refused = await p.op('capture');
    expect(refused.status).to.equal(409);
    expect(refused.body.code).to.equal('payment-conflict');
    expect(refused.body.message).to.match(/on hold/i);
    expect(adminCalls(p.qliroOrderId, 'markItemsAsShipped')).to.have.length(0);
    await call(`${sandbox.qliroUrl}/sandbox/orders/${p.qliroOrderId}/resolve`, { method: 'POST', body: { outcome: 'Completed' } });
    await p.settle();
    expect((await p.op('capture')).status).to.equal(200);
    await p.settle();
    expect(paymentOf(p.orderId).state).to.equal('captured');
    expect(adminCalls(p.qliroOrderId, 'markItemsAsShipped')).to.have.length(1);
  });

  it('a dropped Success push is repaired by refresh, which then publishes the refund action', async () => {
    const p = await purchase();
    sandbox.qliro.dropNextPush(p.qliroOrderId);
    await p.op('capture');
    await p.settle();
    expect(paymentOf(p.orderId).state).to.equal('reserved');
    const refreshed = await p.op('refresh');
    expect(refreshed.status).to.equal(200);
    expect(refreshed.body).to.include({ state: 'captured' });
    expect(paymentOf(p.orderId).state).to.equal('captured');
    expect(paymentOf(p.orderId).actions.map((a: any) => a.type)).to.deep.equal(['refund']);
    expect(paymentOf(p.orderId).actions[0].url).to.match(new RegExp(`/api/order/v1/orders/${p.orderId}/payments/${p.paymentId}/refund$`));
  });

  it('refresh on a reserved payment publishes capture and cancel', async () => {
    const p = await purchase();
    const refreshed = await p.op('refresh');
    expect(refreshed.body).to.include({ state: 'reserved' });
    expect(paymentOf(p.orderId).actions.map((a: any) => a.type).sort()).to.deep.equal(['cancel', 'capture']);
  });

  it('an Admin Error outcome leaves the state unchanged, recorded as failed; a later capture succeeds', async () => {
    const p = await purchase();
    sandbox.qliro.failNextOutcome(p.qliroOrderId, { type: 'Capture', errorCode: 'PROVIDER_ERROR', errorDescription: 'capture refused by provider' });
    expect((await p.op('capture')).status).to.equal(200);
    await p.settle();
    expect(paymentOf(p.orderId).state).to.equal('reserved');
    const failed = transactionsOf(p.orderId).find((t) => t.event === 'capture' && !t.isSuccess);
    expect(failed).to.include({ pspStatus: 'Error' });
    expect((await p.op('capture')).status).to.equal(200);
    await p.settle();
    expect(paymentOf(p.orderId).state).to.equal('captured');
    const ids = adminCalls(p.qliroOrderId, 'markItemsAsShipped').map((r) => JSON.parse(r.rawBody).RequestId);
    expect(ids).to.have.length(2);
    expect(ids[0]).to.not.equal(ids[1]);
  });

  it('a stray Reversal push (not asked for) is recorded and does not cancel', async () => {
    const p = await purchase();
    const reversal = sandbox.qliro.reverse(p.qliroOrderId, 10);
    expect(reversal.ok).to.equal(true);
    await p.settle();
    expect(paymentOf(p.orderId).state).to.equal('reserved');
    expect(transactionsOf(p.orderId).at(-1)).to.include({ event: 'paymentAction', pspEvent: 'Reversal' });
    await p.op('refresh');
    expect(paymentOf(p.orderId).state).to.equal('reserved');
  });

  it('B37: redelivered refund pushes record each refund once', async () => {
    const p = await purchase();
    await p.op('capture');
    await p.settle();
    sandbox.qliro.faultNextPush(p.qliroOrderId, { duplicates: 3 }, 'OrderManagementStatus');
    await p.op('refund');
    await p.settle();
    expect(paymentOf(p.orderId).state).to.equal('refunded');
    expect(transactionsOf(p.orderId).filter((t) => t.event === 'refund' && t.pspStatus === 'Success')).to.have.length(1);
  });

  it('B33: a partial-operation body is refused before Qliro is called', async () => {
    const p = await purchase();
    for (const body of [{ items: [{ reference: 'SKU-A' }] }, { amount: 50 }]) {
      const answer = await p.op('capture', body);
      expect(answer.status).to.equal(400);
      expect(answer.body.code).to.equal('order-bad-request');
    }
    expect(adminCalls(p.qliroOrderId, 'markItemsAsShipped')).to.have.length(0);
  });

  it('refund and cancel refuse payments in the wrong state (409), without Admin calls', async () => {
    const p = await purchase();
    expect((await p.op('refund')).status).to.equal(409);
    await p.op('capture');
    await p.settle();
    expect((await p.op('cancel')).status).to.equal(409);
    expect(adminCalls(p.qliroOrderId, 'cancelOrder')).to.have.length(0);
    expect(adminCalls(p.qliroOrderId, 'returnItems')).to.have.length(0);
  });

  it('B38: Qliro not knowing the order is a clear, non-retryable error and changes nothing', async () => {
    const p = await purchase();
    sandbox.qliro.failNext({ op: 'adminGetOrder', status: 404, body: { ErrorCode: 'ORDER_NOT_FOUND', ErrorMessage: 'Order not found', ErrorReference: 'x' } } as never);
    const answer = await p.op('capture');
    expect(answer.status).to.equal(400);
    expect(answer.body.code).to.equal('qliro-order-not-found');
    expect(answer.body.qliroError).to.include({ ErrorCode: 'ORDER_NOT_FOUND' });
    expect(paymentOf(p.orderId).state).to.equal('reserved');
  });

  it('the status push needs the callback token like the others', async () => {
    const p = await purchase();
    const answer = await call(`${sandbox.adapter.url}/api/checkout/v1/callback/orders/${p.orderId}/payments/${p.paymentId}/status?merchant=sandbox&channel=se&token=forged`, {
      method: 'POST',
      body: { OrderId: p.qliroOrderId, PaymentTransactionId: 1, PaymentType: 'Reversal', Status: 'Success' },
    });
    expect(answer.status).to.equal(401);
  });
});
