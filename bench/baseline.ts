// Child process of the bench: the BASELINE. A minimal Koa server on the adapter's paths that makes the same upstream
// calls as the adapter, with the same clients (HttpNorceOrderRepository, HttpConfigurationRepository, HttpQliroGateway,
// one KeepAliveAgents per upstream), and answers a constant. No routing library, auth, body parsing, use cases,
// mapping, metrics or logging: adapter ÷ baseline is the adapter's own cost.
// argv: port, ncoUrl. IPC in: {fixtures}. IPC out: {ready: true}.
import http from 'node:http';
import Koa from 'koa';
import { isLeft, type Either } from 'fp-ts/Either';
import { KeepAliveAgents } from '../src/adapters/outbound/http-call';
import { HttpNorceOrderRepository } from '../src/adapters/norce/http-norce-order-repository';
import { HttpConfigurationRepository } from '../src/adapters/norce/http-configuration-repository';
import { HttpQliroGateway } from '../src/adapters/qliro/http-qliro-gateway';
import type { NorceAddress, NorceOrder, NorcePayment } from '../src/domain/norce-order';
import type { QliroOrderLine } from '../src/domain/qliro-order';
import type { QliroChannelConfiguration } from '../src/domain/channel-configuration';

/** What the baseline cannot know without doing the adapter's work (parsing bodies, mapping lines): given once. */
export interface BaselineFixtures {
  /** The addresses validate writes (the adapter derives them from the validation body). */
  readonly billing: NorceAddress;
  readonly shipping: NorceAddress;
  /** Per Norce order: its Qliro order and the lines cart-changed sends (the adapter maps them from the hook body). */
  readonly cart: Record<string, { readonly qliroOrderId: number; readonly lines: QliroOrderLine[] }>;
}

const ref = { merchant: 'sandbox', channel: 'se' };
const PATH = /^\/api\/checkout\/v1\/(?:callback\/)?orders\/([^/]+)\/payments\/([^/?]+)(?:\/([a-z-]+))?/;

async function main(): Promise<void> {
  const port = Number(process.argv[2]);
  const ncoUrl = process.argv[3]!;
  const norceAgents = new KeepAliveAgents();
  const qliroAgents = new KeepAliveAgents();
  const norce = new HttpNorceOrderRepository({ baseUrl: ncoUrl, apiToken: 'sandbox-token', agents: norceAgents, timeoutMs: 5000 });
  // The adapter's default cache (CONFIG_CACHE_TTL_MS 30 s), so both read the configuration equally often.
  const configurations = new HttpConfigurationRepository({ baseUrl: ncoUrl, apiToken: 'sandbox-token', agents: norceAgents, timeoutMs: 5000, cacheTtlMs: 30_000 });
  const qliro = new HttpQliroGateway({ agents: qliroAgents, timeoutMs: 10_000 });
  let fixtures: BaselineFixtures = { billing: {} as NorceAddress, shipping: {} as NorceAddress, cart: {} };
  process.on('message', (m: { fixtures?: BaselineFixtures }) => {
    if (m.fixtures) fixtures = { ...fixtures, ...m.fixtures, cart: { ...fixtures.cart, ...m.fixtures.cart } };
  });

  const ok = <A>(e: Either<unknown, A>): A => {
    if (isLeft(e)) throw Object.assign(new Error('upstream failed'), { detail: e.left });
    return e.right;
  };
  const credentials = (c: QliroChannelConfiguration) => ({ apiUrl: c.apiUrl, merchantApiKey: c.merchantApiKey, merchantApiSecret: c.merchantApiSecret });
  const paymentOf = (order: NorceOrder, paymentId: string): NorcePayment => order.payments!.find((p) => p.id === paymentId)!;
  const readBoth = (orderId: string) => Promise.all([configurations.get(ref)(), norce.getOrder(ref, orderId)()]).then(([c, o]) => [ok(c), ok(o)] as const);

  const app = new Koa();
  app.use(async (ctx) => {
    for await (const _chunk of ctx.req) void _chunk; // the request body is read, never parsed
    const match = PATH.exec(ctx.path);
    if (!match) {
      ctx.status = 404;
      return;
    }
    const [, orderId = '', paymentId = '', action] = match;
    try {
      if (ctx.method === 'GET' && action === undefined) {
        // GET payment: configuration ∥ order, then the Qliro order.
        const [config, order] = await readBoth(orderId);
        ok(await qliro.getOrder(credentials(config), Number(paymentOf(order, paymentId).reference))());
        ctx.body = { ok: true };
      } else if (action === 'push') {
        // Checkout-status push, duplicate: configuration ∥ order, then the Qliro order; nothing to write.
        const [config, order] = await readBoth(orderId);
        ok(await qliro.getOrder(credentials(config), Number(paymentOf(order, paymentId).reference))());
        ctx.body = { callbackResponse: 'received' };
      } else if (action === 'cart-changed') {
        // NCO hook: configuration, then UpdateOrder with the lines.
        const cart = fixtures.cart[orderId]!;
        const config = ok(await configurations.get(ref)());
        ok(await qliro.updateOrder(credentials(config), cart.qliroOrderId, { OrderItems: cart.lines })());
        ctx.body = [];
      } else if (action === 'validate') {
        // Approve: configuration ∥ order, then billing, shipping, payment, its transaction, order state.
        const [, order] = await readBoth(orderId);
        const payment = paymentOf(order, paymentId);
        ok(await norce.putCustomerBilling(ref, orderId, fixtures.billing)());
        ok(await norce.putCustomerShipping(ref, orderId, fixtures.shipping)());
        ok(await norce.updatePayment(ref, orderId, { ...payment, state: 'processing' })());
        ok(
          await norce.addTransaction(ref, orderId, paymentId, {
            event: 'process',
            pspEvent: 'ValidateOrder',
            pspStatus: 'Approved',
            isSuccess: true,
            amount: payment.amount,
            requestJson: JSON.stringify({ OrderId: Number(payment.reference) }),
          })(),
        );
        ok(await norce.putState(ref, orderId, 'processing')());
        ctx.body = {};
      } else {
        ctx.status = 404;
      }
    } catch (e) {
      ctx.status = 502;
      ctx.body = { error: (e as Error).message };
    }
  });
  const server = http.createServer(app.callback());
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', () => resolve()));
  const stop = () => {
    server.close(() => {
      norceAgents.destroy();
      qliroAgents.destroy();
      process.exit(0);
    });
    server.closeAllConnections();
  };
  process.on('SIGTERM', stop);
  process.on('disconnect', stop);
  process.send?.({ ready: true });
}

main().catch((e: unknown) => {
  console.error(`baseline failed to start: ${(e as Error).message}`);
  process.exit(1);
});
