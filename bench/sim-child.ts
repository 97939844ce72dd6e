// Child process of the bench: the NCO and Qliro simulators (one process, loopback only), driven over IPC.
// argv: latencyMs. Answers every IPC request `{id, cmd, args}` with `{id, ok, result | error}`.
import type http from 'node:http';
import { startNcoSimulator, sandboxConfigurations, type JsonObject } from '../sandbox/nco-simulator';
import { startQliroSimulator } from '../sandbox/qliro-simulator';
import { validationRequestOf } from '../sandbox/qliro-simulator/validation-callback';
import { SANDBOX } from '../src/infrastructure/sandbox';

type Counts = Record<string, number>;

/** `GET /api/v0/checkout/orders/:id/payments/:id`: ids out, so calls group by kind. */
export function requestKind(method: string, url: string): string {
  const path = (url.split('?')[0] ?? '')
    .replace(/\/api\/v0\/checkout\/orders\/[^/]+/, '/orders/:id')
    .replace(/\/(payments|hooks|shippings|transactions)\/[^/]+/g, '/$1/:id')
    .replace(/\/api\/v1\/configuration\/merchants\/.*/, '/configuration')
    .replace(/\/checkout\/merchantapi\/Orders\/\d+/i, '/Orders/:id')
    .replace(/\/checkout\/merchantapi/i, '');
  return `${method} ${path}`;
}

async function main(): Promise<void> {
  const latencyMs = Number(process.argv[2] ?? '0');
  const nco = await startNcoSimulator({ port: 0, host: '127.0.0.1', apiToken: SANDBOX.token, latencyMs });
  const qliro = await startQliroSimulator({
    port: 0,
    host: '127.0.0.1',
    merchants: [{ apiKey: SANDBOX.qliroApiKey, secret: SANDBOX.qliroApiSecret }],
    latencyMs,
  });

  // Upstream calls by kind, counted from the servers' own request events (the stores' logs are trimmed below).
  let counting: { nco: Counts; qliro: Counts } | undefined;
  const count = (which: 'nco' | 'qliro') => (req: http.IncomingMessage) => {
    if (!counting) return;
    const kind = requestKind(req.method ?? '?', req.url ?? '');
    counting[which][kind] = (counting[which][kind] ?? 0) + 1;
  };
  nco.server.on('request', count('nco'));
  qliro.server.on('request', count('qliro'));
  // TCP connections accepted while counting: with keep-alive, a steady load opens none.
  const connected = (which: 'nco' | 'qliro') => () => {
    if (counting) counting[which]['(new connections)'] = (counting[which]['(new connections)'] ?? 0) + 1;
  };
  nco.server.on('connection', connected('nco'));
  qliro.server.on('connection', connected('qliro'));

  // The simulators log every request (tests assert on the logs); under load that is only memory: trim it.
  const trim = setInterval(() => {
    nco.store.requests.length = 0;
    nco.store.writes.length = 0;
    nco.store.hookCalls.length = 0;
    qliro.store.requests.length = 0;
    for (const order of qliro.store.orders.values()) order.requests.splice(0);
  }, 1000);

  let publicUrl = '';
  const seedConfigurations = () => {
    for (const [merchant, channels] of Object.entries(sandboxConfigurations(qliro.url, publicUrl))) {
      for (const [channel, documents] of Object.entries(channels)) {
        for (const [name, document] of Object.entries(documents)) nco.store.putConfiguration(merchant, channel, name, document);
      }
    }
  };

  const commands: Record<string, (args: any) => unknown> = {
    seedConfigurations: (args: { publicUrl: string }) => {
      publicUrl = args.publicUrl;
      seedConfigurations();
      return true;
    },
    /** Copies of an order (new ids, no hooks), inserted as they are: a pool for the validate callback. */
    insertCopies: (args: { order: JsonObject; count: number }) => {
      const { id: _id, hooks: _hooks, ...rest } = args.order;
      const scope = { merchant: String(args.order['merchant']), channel: String(args.order['channel']) };
      const ids: string[] = [];
      for (let i = 0; i < args.count; i++) ids.push(nco.store.insertOrder({ ...rest, hooks: [] }, scope));
      return ids;
    },
    /** Forgets every order (and re-seeds the configurations): frees what a consumed validate pool held. */
    resetOrders: () => {
      nco.store.reset();
      seedConfigurations();
      return true;
    },
    order: (args: { orderId: string }) => nco.store.order(args.orderId),
    /** What Qliro posts to the validation URL once the shopper is identified (test identity, as the simulator's checkout). */
    validationBody: (args: { qliroOrderId: number }) => {
      const order = qliro.store.get(args.qliroOrderId);
      if (!order) throw new Error(`no Qliro order ${args.qliroOrderId}`);
      return {
        ...validationRequestOf(order),
        Customer: { Email: 'test@example.com', MobileNumber: '0700000000', PersonalNumber: '790625-5307' },
        ShippingAddress: { PostalCode: '11122' },
        PaymentMethod: { PaymentMethodName: 'Invoice', PaymentTypeCode: 'INVOICE' },
      };
    },
    startCounting: () => {
      counting = { nco: {}, qliro: {} };
      return true;
    },
    stopCounting: () => {
      const result = counting ?? { nco: {}, qliro: {} };
      counting = undefined;
      return result;
    },
    memory: () => process.memoryUsage(),
  };

  process.on('message', (message: { id: number; cmd: string; args?: unknown }) => {
    try {
      const handler = commands[message.cmd];
      if (!handler) throw new Error(`unknown command ${message.cmd}`);
      process.send?.({ id: message.id, ok: true, result: handler(message.args) });
    } catch (e) {
      process.send?.({ id: message.id, ok: false, error: (e as Error).message });
    }
  });
  process.on('disconnect', () => {
    clearInterval(trim);
    void Promise.all([nco.close(), qliro.close()]).finally(() => process.exit(0));
  });
  process.send?.({ ready: true, ncoUrl: nco.url, qliroUrl: qliro.url });
}

main().catch((e: unknown) => {
  console.error(`simulators failed to start: ${(e as Error).message}`);
  process.exit(1);
});
