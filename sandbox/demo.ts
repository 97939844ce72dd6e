// `npm run demo`: a whole purchase through the sandbox, step by step, printing the Norce payment and order after each.
// Starts its own sandbox on free ports; with DEMO_AGAINST_RUNNING=1 it uses a running `npm start` (8080/8081/8082).
import 'reflect-metadata';
import fetch from 'node-fetch';
import { startSandbox, SANDBOX, type RunningSandbox } from '../src/infrastructure/sandbox';
import { sandboxDemoOrder } from './nco-simulator';

interface Urls {
  readonly adapter: string;
  readonly norce: string;
  readonly qliro: string;
}

const headers = { authorization: `Bearer ${SANDBOX.token}`, 'x-merchant': SANDBOX.merchant, 'x-channel': 'se', 'content-type': 'application/json' };

async function http(method: string, url: string, body?: unknown, extra: Record<string, string> = {}): Promise<{ status: number; body: any }> {
  const response = await fetch(url, { method, headers: { ...headers, ...extra }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined };
}

function expectOk(step: string, answer: { status: number; body: any }): any {
  if (answer.status >= 300) throw new Error(`${step} failed: HTTP ${answer.status} ${JSON.stringify(answer.body)}`);
  return answer.body;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function main(): Promise<void> {
  let sandbox: RunningSandbox | undefined;
  let urls: Urls;
  if (process.env['DEMO_AGAINST_RUNNING']) {
    const port = (name: string, fallback: number) => process.env[name] || String(fallback);
    urls = {
      adapter: `http://127.0.0.1:${port('PORT', 8080)}`,
      norce: `http://127.0.0.1:${port('SANDBOX_NORCE_PORT', 8081)}`,
      qliro: `http://127.0.0.1:${port('SANDBOX_QLIRO_PORT', 8082)}`,
    };
  } else {
    sandbox = await startSandbox({ PORT: '0', SANDBOX_NORCE_PORT: '0', SANDBOX_QLIRO_PORT: '0', LOG_LEVEL: 'silent' });
    urls = { adapter: sandbox.adapter.url, norce: sandbox.norceUrl, qliro: sandbox.qliroUrl };
  }
  const orders = `${urls.norce}/api/v0/checkout/orders`;
  let stepNo = 0;
  let orderId = '';
  const show = async (title: string, detail = '') => {
    const order = expectOk('read order', await http('GET', `${orders}/${orderId}`));
    const payment = (order.payments ?? []).find((p: any) => p.adapterId === 'qliro_checkout_adapter' && p.state !== 'removed');
    const txs = payment ? expectOk('read transactions', await http('GET', `${orders}/${orderId}/payments/${payment.id}/transactions`)) : [];
    stepNo += 1;
    console.log(`\n${stepNo}. ${title}${detail ? `\n   ${detail}` : ''}`);
    console.log(`   order ${orderId}: ${order.state.currentStatus}, total ${order.total.includingVat.toFixed(2)} ${order.currency}`);
    if (payment) {
      console.log(`   payment ${payment.id}: ${payment.state}, amount ${payment.amount.toFixed(2)}, Qliro order ${payment.reference ?? '-'}`);
      console.log(`   transactions: ${txs.map((t: any) => `${t.event}/${t.pspStatus}${t.isSuccess ? '' : '(failed)'}`).join(', ') || '-'}`);
    }
    return { order, payment };
  };

  // No shipping yet: the shopper picks the delivery inside Qliro's checkout (step 4).
  const { shippings: _none, total: _total, ...demoOrder } = sandboxDemoOrder('se');
  orderId = expectOk('create order', await http('POST', orders, demoOrder)).id;
  await show('A storefront created a Norce order (NCO simulator)', 'mixed VAT 25/12/6 %, a 100 kr discount spread over the items');

  const created = expectOk('create checkout', await http('POST', `${urls.adapter}/api/checkout/v1/orders/${orderId}/payments`));
  const { payment } = await show('The adapter created the Qliro checkout', `htmlSnippet: ${created.htmlSnippet.length} characters of HTML for the storefront`);
  const qliroOrderId = Number(payment.reference);
  const callback = `${urls.adapter}/api/checkout/v1/callback/orders/${orderId}/payments/${payment.id}`;

  const order = expectOk('read order', await http('GET', `${orders}/${orderId}`));
  const cart = structuredClone(order.cart);
  const coffee = cart.items.find((i: any) => i.sku === 'KAF-0500') ?? cart.items[1];
  const scale = (a: any, k: number) => ({ includingVat: Math.round(a.includingVat * k * 100) / 100, excludingVat: Math.round(a.excludingVat * k * 100) / 100 });
  const k = (coffee.quantity + 1) / coffee.quantity;
  Object.assign(coffee, { quantity: coffee.quantity + 1, total: scale(coffee.total, k), originalTotal: coffee.originalTotal && scale(coffee.originalTotal, k) });
  coffee.discounts = (coffee.discounts ?? []).map((d: any) => ({ ...d, value: scale(d.value, k) }));
  delete cart.total;
  delete cart.discounts;
  expectOk('change cart', await http('PUT', `${orders}/${orderId}/cart`, cart));
  await show('The shopper added a coffee: NCO called the adapter\'s cart-changed hook', 'Qliro order updated; the payment amount patched to the new total');

  const shipping = expectOk(
    'shipping option',
    await http('POST', `${callback}/shipping-option-update?merchant=sandbox&channel=se`, {
      method: 'pn-mypack-collect',
      methodName: 'PostNord MyPack Collect',
      secondaryOption: 'pn-sp-104293',
      pickupLocation: { name: 'Testbutiken Ombud', description: ['Testgatan 1', '111 22 Stockholm'] },
      totalShippingPrice: 49,
      totalShippingPriceExVat: 39.2,
    }),
  );
  await show('The shopper picked a pickup point in Qliro', `Norce shipping ${shipping.shippingId}; payment amount now ${shipping.amount.toFixed(2)}`);

  expectOk('identify', await http('POST', `${urls.qliro}/sandbox/orders/${qliroOrderId}/identify`, {}));
  const customer = expectOk('customer update', await http('POST', `${callback}/customer-update?merchant=sandbox&channel=se`));
  await show('The shopper identified in Qliro; the storefront forwarded the customer event', `fields applied (names only, values stay out of logs): ${customer.applied.join(', ') || 'none'}`);

  const completion = expectOk('complete', await http('POST', `${urls.qliro}/sandbox/orders/${qliroOrderId}/complete`, { outcome: 'Completed' }));
  if (sandbox) await sandbox.qliro.whenPushesSettled(qliroOrderId);
  else await sleep(1000);
  await show('The shopper paid: Qliro called validate (approved), then pushed Completed', `validation answered HTTP ${completion.validation}`);

  const thankYou = expectOk('get payment', await http('GET', `${urls.adapter}/api/checkout/v1/orders/${orderId}/payments/${payment.id}`));
  console.log(`\n   thank-you snippet: ${thankYou.htmlSnippet.includes('Completed') ? 'shows the completed purchase' : `${thankYou.htmlSnippet.length} characters`}`);

  await afterPurchase({ urls, orderId, paymentId: payment.id, sandbox, show });

  if (sandbox) await sandbox.stop();
}

/** Order management after the purchase: capture, then refund (BEHAVIOUR §5). */
async function afterPurchase(ctx: {
  urls: Urls;
  orderId: string;
  paymentId: string;
  sandbox: RunningSandbox | undefined;
  show: (title: string, detail?: string) => Promise<unknown>;
}): Promise<void> {
  const om = `${ctx.urls.adapter}/api/order/v1/orders/${ctx.orderId}/payments/${ctx.paymentId}`;
  const settle = async () => (ctx.sandbox ? ctx.sandbox.qliro.idle() : sleep(1000));
  expectOk('capture', await http('POST', `${om}/capture`));
  await ctx.show('The warehouse shipped: capture started at Qliro (MarkItemsAsShipped)', 'the state changes when Qliro\'s order-management push says Success');
  await settle();
  await ctx.show('Qliro pushed the capture outcome');
  expectOk('refund', await http('POST', `${om}/refund`));
  await settle();
  await ctx.show('The shopper returned everything: refund (ReturnItems) and its outcome');
  const refreshed = expectOk('refresh', await http('POST', `${om}/refresh`));
  await ctx.show('Refresh reconciled with Qliro\'s ledger', `possible actions now: ${refreshed.actions.join(', ') || 'none'}`);
}

main().catch((e: unknown) => {
  console.error(`demo failed: ${(e as Error).message}`);
  process.exit(1);
});
