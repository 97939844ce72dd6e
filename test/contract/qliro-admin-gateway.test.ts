import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import { isLeft } from 'fp-ts/Either';
import { describeQliroAdminGatewayContract, uniqueContractReference } from './qliro-admin-gateway.contract';
import { FakeQliroAdminGateway } from '../fakes/fake-qliro-admin-gateway';
import { FakeQliroGateway } from '../fakes/fake-qliro-gateway';
import { HttpQliroAdminGateway } from '../../src/adapters/qliro/http-qliro-admin-gateway';
import { HttpQliroGateway } from '../../src/adapters/qliro/http-qliro-gateway';
import { KeepAliveAgents } from '../../src/adapters/outbound/http-call';
import { startQliroSimulator } from '../../sandbox/qliro-simulator';

const MERCHANT = { apiKey: 'ADMINCONTRACTKEY', secret: 'admin-contract-secret' };

describeQliroAdminGatewayContract('FakeQliroAdminGateway', async () => {
  const gateway = new FakeQliroAdminGateway();
  let nextOrderId = 4970001;
  return {
    gateway,
    credentials: { apiUrl: 'http://fake.invalid', merchantApiKey: MERCHANT.apiKey, merchantApiSecret: MERCHANT.secret },
    completedOrder: async (lines, options) =>
      gateway.addOrder({ orderId: nextOrderId++, merchantApiKey: MERCHANT.apiKey, lines, ...(options?.onHold ? { preauthorization: 'OnHold' as const } : {}) }),
    settle: async (orderId) => void gateway.settle(orderId),
    failNextOutcome: (orderId) => gateway.failNextOutcome(orderId),
    teardown: async () => undefined,
  };
});

describeQliroAdminGatewayContract('HttpQliroAdminGateway against the Qliro simulator', async () => {
  // Outcomes are held until settle() flushes them, so "in process" is a state the tests can count on.
  const simulator = await startQliroSimulator({ port: 0, merchants: [MERCHANT], adminOutcomeDelayMs: 60_000 });
  // The merchant's callback URLs: every push acknowledged.
  const receiver = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => res.writeHead(200, { 'content-type': 'application/json' }).end('{"CallbackResponse":"received"}'));
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  const receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
  const agents = new KeepAliveAgents();
  const credentials = { apiUrl: simulator.url, merchantApiKey: MERCHANT.apiKey, merchantApiSecret: MERCHANT.secret };
  const checkout = new HttpQliroGateway({ agents, timeoutMs: 5000 });
  return {
    gateway: new HttpQliroAdminGateway({ agents, timeoutMs: 5000 }),
    credentials,
    completedOrder: async (lines, options) => {
      const created = await checkout.createOrder(credentials, {
        MerchantReference: uniqueContractReference(),
        Currency: 'SEK',
        Country: 'SE',
        Language: 'sv-se',
        MerchantTermsUrl: 'https://shop.example.com/terms',
        MerchantConfirmationUrl: 'https://shop.example.com/confirmation',
        MerchantCheckoutStatusPushUrl: `${receiverUrl}/push`,
        MerchantOrderManagementStatusPushUrl: `${receiverUrl}/om`,
        MerchantOrderValidationUrl: `${receiverUrl}/validate`,
        OrderItems: lines,
      })();
      if (isLeft(created)) throw new Error(`create failed: ${created.left.message}`);
      const completed = await simulator.complete(created.right.OrderId, { outcome: options?.onHold ? 'OnHold' : 'Completed' });
      if (!completed.ok || !('paymentTransactionId' in completed.value)) throw new Error(`complete failed: ${JSON.stringify(completed)}`);
      return { orderId: created.right.OrderId, preauthorizationId: completed.value.paymentTransactionId };
    },
    settle: async (orderId) => {
      simulator.flushAdminOutcomes(orderId);
      await simulator.whenPushesSettled(orderId);
    },
    failNextOutcome: (orderId) => void simulator.failNextOutcome(orderId),
    teardown: async () => {
      agents.destroy();
      await simulator.close();
      receiver.closeAllConnections();
      await new Promise<void>((resolve) => receiver.close(() => resolve()));
    },
  };
});

describe('FakeQliroAdminGateway controls', () => {
  const credentials = { apiUrl: 'http://fake.invalid', merchantApiKey: MERCHANT.apiKey, merchantApiSecret: MERCHANT.secret };
  const lines = [{ MerchantReference: 'SKU-1', Description: 'Kaffe', Type: 'Product', Quantity: 2, PricePerItemIncVat: 89.9, PricePerItemExVat: 80.27, VatRate: 12 }];
  const shipAll = (orderId: number) =>
    ({ RequestId: randomUUID(), OrderId: orderId, Currency: 'SEK', Shipments: [{ PaymentTransactionId: null as unknown as number, OrderItems: [{ MerchantReference: 'SKU-1', Type: 'Product', Quantity: 2, PricePerItemIncVat: 89.9 }] }] }) as const;

  it('settle() answers the order-management pushes as the adapter decodes them, and keeps Qliro’s wire bodies', async () => {
    const fake = new FakeQliroAdminGateway();
    const { orderId, preauthorizationId } = fake.addOrder({ orderId: 1001, merchantReference: 'ref-1', lines });
    const started = await fake.markItemsAsShipped(credentials, shipAll(orderId))();
    if (isLeft(started)) expect.fail(started.left.message);
    const captureId = started.right.PaymentTransactions[0]!.PaymentTransactionId;
    expect(fake.pending(orderId)).to.deep.equal([captureId]);
    const pushes = fake.settle();
    expect(pushes).to.have.length(1);
    expect(pushes[0]).to.deep.include({ OrderId: orderId, MerchantReference: 'ref-1', PaymentTransactionId: captureId, OriginalPaymentTransactionId: preauthorizationId, PaymentType: 'Capture', Status: 'Success', Amount: 179.8, Currency: 'SEK' });
    expect(fake.pushes[0]).to.deep.include({ PaymentReference: null, ErrorCode: null, ProviderTransactionId: null });
    expect(fake.pending()).to.deep.equal([]);
  });

  it('outcomes: immediate succeeds right after the call; completeOutcome picks an outcome; reverse() records a stray Reversal', async () => {
    const fake = new FakeQliroAdminGateway({ outcomes: 'immediate' });
    const { orderId } = fake.addOrder({ orderId: 1002, lines });
    const started = await fake.cancelOrder(credentials, { RequestId: randomUUID(), OrderId: orderId })();
    if (isLeft(started)) expect.fail(started.left.message);
    expect(started.right.PaymentTransactions[0]!.Status).to.equal('Created');
    expect(fake.pushes.map((p) => [p.PaymentType, p.Status])).to.deep.equal([['Reversal', 'Success']]);

    const manual = new FakeQliroAdminGateway();
    const other = manual.addOrder({ orderId: 1003, lines });
    const capture = await manual.markItemsAsShipped(credentials, shipAll(other.orderId))();
    if (isLeft(capture)) expect.fail(capture.left.message);
    const push = manual.completeOutcome(capture.right.PaymentTransactions[0]!.PaymentTransactionId, 'Error', { errorCode: 'X' });
    expect([push.Status, push.PaymentType]).to.deep.equal(['Error', 'Capture']);
    expect(manual.pushes[0]!.ErrorCode).to.equal('X');
    const stray = manual.reverse(other.orderId, 10);
    expect([stray.PaymentType, stray.Status, stray.Amount, stray.OriginalPaymentTransactionId]).to.deep.equal(['Reversal', 'Success', 10, other.preauthorizationId]);
  });

  it('takes its orders from the fake Merchant API, resolves an OnHold reservation, and fails the next call of an operation', async () => {
    const checkout = new FakeQliroGateway();
    const created = await checkout.createOrder(credentials, {
      MerchantReference: 'fake-admin-1',
      Currency: 'SEK',
      Country: 'SE',
      Language: 'sv-se',
      MerchantTermsUrl: 'https://shop.example.com/terms',
      MerchantConfirmationUrl: 'https://shop.example.com/confirmation',
      MerchantCheckoutStatusPushUrl: 'https://adapter.example.com/push',
      MerchantOrderManagementStatusPushUrl: 'https://adapter.example.com/om',
      MerchantOrderValidationUrl: 'https://adapter.example.com/validate',
      OrderItems: [{ ...lines[0]!, Type: 'Product' }],
    })();
    if (isLeft(created)) expect.fail(created.left.message);
    const fake = new FakeQliroAdminGateway();
    const { orderId } = fake.addFromCheckout(checkout, created.right.OrderId, { preauthorization: 'OnHold' });
    const onHold = await fake.markItemsAsShipped(credentials, shipAll(orderId))();
    expect(isLeft(onHold) && onHold.left.qliroError?.ErrorCode).to.equal('PAYMENT_ONHOLD');
    fake.resolvePreauthorization(orderId, 'Success');
    fake.failNext('markItemsAsShipped', { code: 'qliro-error', message: 'boom', transient: true });
    const failed = await fake.markItemsAsShipped(credentials, shipAll(orderId))();
    expect(isLeft(failed) && failed.left.message).to.equal('boom');
    const order = await fake.getOrder(credentials, orderId)();
    if (isLeft(order)) expect.fail(order.left.message);
    expect(order.right.MerchantReference).to.equal('fake-admin-1');
    expect(order.right.PaymentTransactions).to.have.length(1);
    expect(isLeft(await fake.getOrder({ ...credentials, merchantApiKey: 'SOMEONE-ELSE' }, orderId)())).to.equal(true);
    expect(fake.callsOf('markItemsAsShipped')).to.have.length(2);
  });
});
