// HTTP face of the simulated NCO: Order API v0 and Configuration API v1, Bearer-protected,
// errors as NCO's `{code, message}`.
import Koa, { type Context, type Next } from 'koa';
import Router from '@koa/router';
import bodyParser from 'koa-bodyparser';
import { isLeft, type Either } from 'fp-ts/Either';
import type { NcoError, NcoScope, NcoStore } from './store';

/** A scripted answer for the next matching request (see RunningNcoSimulator.failNext). */
export interface NcoFault {
  /** Only requests with this method (default: any). */
  readonly method?: string;
  /** Only requests whose path contains this string or matches this pattern (default: any). */
  readonly path?: string | RegExp;
  /** Answer with this status and body… */
  readonly status?: number;
  readonly body?: unknown;
  /** …or never answer (until the simulator closes): a timeout for the client. */
  readonly hang?: boolean;
  /** …or destroy the connection at once: a connection reset for the client (the request is not handled). */
  readonly reset?: boolean;
  /**
   * Wait this long first (a latency spike). Without status/hang/reset the request is then handled normally: a write
   * lands after a client with a shorter timeout gave up.
   */
  readonly delayMs?: number;
  /** How many matching requests get the fault (default 1). */
  readonly times?: number;
}

export interface NcoAppDependencies {
  readonly store: NcoStore;
  readonly apiToken: string;
  readonly faults: NcoFault[];
  /** Resolves when the simulator closes (ends hanging requests). */
  readonly closing: Promise<void>;
}

const ORDERS = '/api/v0/checkout/orders';
const CONFIG = '/api/v1/configuration/merchants';
const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

function sendError(ctx: Context, error: NcoError): void {
  ctx.status = error.status;
  ctx.body = { code: error.code, message: error.message, ...('hookResponse' in error ? { hookResponse: error.hookResponse } : {}) };
}

function reply<T>(ctx: Context, result: Either<NcoError, T>, status = 200, body?: (value: T) => unknown): void {
  if (isLeft(result)) return sendError(ctx, result.left);
  ctx.status = status;
  ctx.body = body ? body(result.right) : result.right === undefined ? {} : result.right;
}

const header = (ctx: Context, name: string): string | undefined => {
  const value = ctx.get(name);
  return value === '' ? undefined : value;
};

/** The whole request body (empty when the client went away). */
async function readBody(ctx: Context): Promise<Buffer> {
  const chunks: Buffer[] = [];
  try {
    for await (const chunk of ctx.req) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string));
  } catch {
    /* aborted: what arrived is all there is */
  }
  return Buffer.concat(chunks);
}

export function createNcoSimulatorApp(deps: NcoAppDependencies): Koa {
  const { store } = deps;
  const app = new Koa();

  // Errors (incl. malformed JSON from the body parser) as NCO-style bodies.
  app.use(async (ctx: Context, next: Next) => {
    try {
      await next();
    } catch (e) {
      const err = e as { status?: number; expose?: boolean; message?: string };
      const status = typeof err.status === 'number' && err.status >= 400 && err.status < 600 ? err.status : 500;
      sendError(ctx, {
        status,
        code: status === 400 ? 'bad-request' : status === 413 ? 'payload-too-large' : 'internal-server-error',
        message: status < 500 && err.message ? err.message : 'The simulator failed to handle the request',
      });
    }
  });

  // Request and write logs (tests assert on x-adapterid).
  app.use(async (ctx: Context, next: Next) => {
    try {
      await next();
    } finally {
      store.requests.push({ method: ctx.method, path: ctx.path, status: ctx.status });
      if (WRITE_METHODS.has(ctx.method) && ctx.path.startsWith(ORDERS)) {
        store.writes.push({
          method: ctx.method,
          path: ctx.path,
          adapterId: header(ctx, 'x-adapterid'),
          merchant: header(ctx, 'x-merchant'),
          channel: header(ctx, 'x-channel'),
          status: ctx.status,
        });
      }
    }
  });

  // Scripted faults.
  app.use(async (ctx: Context, next: Next) => {
    const index = deps.faults.findIndex(
      (f) =>
        (f.method === undefined || f.method.toUpperCase() === ctx.method) &&
        (f.path === undefined || (typeof f.path === 'string' ? ctx.path.includes(f.path) : f.path.test(ctx.path))),
    );
    if (index < 0) return next();
    const fault = deps.faults[index]!;
    const remaining = (fault.times ?? 1) - 1;
    if (remaining > 0) deps.faults[index] = { ...fault, times: remaining };
    else deps.faults.splice(index, 1);
    if (fault.delayMs !== undefined && fault.delayMs > 0) {
      // The body is read first, as a server that queued the request would have it: the write can land after the
      // client gave up and closed its connection.
      const raw = (await readBody(ctx)).toString('utf8');
      try {
        ctx.request.body = raw.trim() === '' ? {} : JSON.parse(raw);
      } catch {
        ctx.request.body = raw; // not JSON: the handler refuses it as it would any malformed body
      }
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([deps.closing, new Promise<void>((resolve) => (timer = setTimeout(resolve, fault.delayMs)))]);
      clearTimeout(timer);
      if (fault.status === undefined && !fault.hang && !fault.reset) return next();
    }
    if (fault.reset) {
      ctx.respond = false;
      ctx.req.socket.destroy();
      return;
    }
    if (fault.hang) {
      await deps.closing;
      ctx.status = 503;
      ctx.body = { code: 'closing', message: 'The simulator is closing' };
      return;
    }
    ctx.status = fault.status ?? 500;
    ctx.body = fault.body ?? { code: 'internal-server-error', message: 'Simulated failure' };
  });

  // Bearer token on everything.
  app.use(async (ctx: Context, next: Next) => {
    const auth = ctx.get('authorization');
    const match = /^Bearer\s+(.+)$/i.exec(auth);
    if (!match || match[1]!.trim() !== deps.apiToken) {
      return sendError(ctx, {
        status: 401,
        code: 'unauthorized',
        message: auth === '' ? 'Authorization header with a Bearer token is required' : 'The Bearer token is not valid',
      });
    }
    return next();
  });

  app.use(bodyParser({ enableTypes: ['json'], strict: false, jsonLimit: '2mb' }));

  const orders = new Router({ prefix: ORDERS });

  // x-merchant and x-channel name whose order it is.
  orders.use(async (ctx: Context, next: Next) => {
    const merchant = header(ctx, 'x-merchant');
    const channel = header(ctx, 'x-channel');
    if (merchant === undefined || channel === undefined) {
      return sendError(ctx, { status: 400, code: 'bad-request', message: 'The x-merchant and x-channel headers are required' });
    }
    ctx.state['scope'] = { merchant, channel } satisfies NcoScope;
    return next();
  });

  const scope = (ctx: Context): NcoScope => ctx.state['scope'] as NcoScope;
  const adapterId = (ctx: Context): string | undefined => header(ctx, 'x-adapterid');
  const body = (ctx: Context): unknown => ctx.request.body;
  const p = (ctx: Context, name: string): string => (ctx['params'] as Record<string, string>)[name]!;

  orders.post('/', async (ctx) => {
    const result = await store.createOrder(scope(ctx), body(ctx), adapterId(ctx));
    if (!isLeft(result)) ctx.set('Location', `${ORDERS}/${encodeURIComponent(result.right.id)}`);
    reply(ctx, result, 201);
  });
  orders.get('/:orderId', (ctx) => reply(ctx, store.getOrder(scope(ctx), p(ctx, 'orderId'))));

  orders.put('/:orderId/cart', async (ctx) => reply(ctx, await store.putCart(scope(ctx), p(ctx, 'orderId'), body(ctx), adapterId(ctx))));
  orders.put('/:orderId/reference', async (ctx) =>
    reply(ctx, await store.putReference(scope(ctx), p(ctx, 'orderId'), body(ctx), adapterId(ctx))),
  );
  orders.put('/:orderId/state', async (ctx) => reply(ctx, await store.putState(scope(ctx), p(ctx, 'orderId'), body(ctx), adapterId(ctx))));
  orders.put('/:orderId/customer/billing', async (ctx) =>
    reply(ctx, await store.putCustomerAddress(scope(ctx), p(ctx, 'orderId'), 'billing', body(ctx), adapterId(ctx))),
  );
  orders.put('/:orderId/customer/shipping', async (ctx) =>
    reply(ctx, await store.putCustomerAddress(scope(ctx), p(ctx, 'orderId'), 'shipping', body(ctx), adapterId(ctx))),
  );

  orders.get('/:orderId/payments', (ctx) => reply(ctx, store.listPayments(scope(ctx), p(ctx, 'orderId'))));
  orders.post('/:orderId/payments', async (ctx) => {
    const orderId = p(ctx, 'orderId');
    const result = await store.createPayment(scope(ctx), orderId, body(ctx), adapterId(ctx));
    if (!isLeft(result)) ctx.set('Location', `${ORDERS}/${encodeURIComponent(orderId)}/payments/${encodeURIComponent(result.right.id)}`);
    reply(ctx, result, 201);
  });
  orders.get('/:orderId/payments/:paymentId', (ctx) =>
    reply(ctx, store.getPayment(scope(ctx), p(ctx, 'orderId'), p(ctx, 'paymentId'))),
  );
  orders.put('/:orderId/payments/:paymentId', async (ctx) =>
    reply(ctx, await store.updatePayment(scope(ctx), p(ctx, 'orderId'), p(ctx, 'paymentId'), body(ctx), adapterId(ctx))),
  );
  orders.get('/:orderId/payments/:paymentId/transactions', (ctx) =>
    reply(ctx, store.listTransactions(scope(ctx), p(ctx, 'orderId'), p(ctx, 'paymentId'))),
  );
  orders.post('/:orderId/payments/:paymentId/transactions', async (ctx) =>
    reply(ctx, await store.addTransaction(scope(ctx), p(ctx, 'orderId'), p(ctx, 'paymentId'), body(ctx), adapterId(ctx))),
  );
  orders.post('/:orderId/payments/:paymentId/actions', async (ctx) =>
    reply(ctx, await store.addPaymentActions(scope(ctx), p(ctx, 'orderId'), p(ctx, 'paymentId'), body(ctx), adapterId(ctx))),
  );

  orders.post('/:orderId/hooks', async (ctx) => reply(ctx, await store.addHook(scope(ctx), p(ctx, 'orderId'), body(ctx), adapterId(ctx))));
  orders.delete('/:orderId/hooks/:hookId', async (ctx) =>
    reply(ctx, await store.deleteHook(scope(ctx), p(ctx, 'orderId'), p(ctx, 'hookId'), adapterId(ctx))),
  );

  orders.get('/:orderId/shippings', (ctx) => reply(ctx, store.listShippings(scope(ctx), p(ctx, 'orderId'))));
  orders.post('/:orderId/shippings', async (ctx) => {
    const orderId = p(ctx, 'orderId');
    const result = await store.createShipping(scope(ctx), orderId, body(ctx), adapterId(ctx));
    if (!isLeft(result)) ctx.set('Location', `${ORDERS}/${encodeURIComponent(orderId)}/shippings/${encodeURIComponent(result.right.id)}`);
    reply(ctx, result, 201);
  });
  orders.get('/:orderId/shippings/:shippingId', (ctx) =>
    reply(ctx, store.getShipping(scope(ctx), p(ctx, 'orderId'), p(ctx, 'shippingId'))),
  );
  orders.put('/:orderId/shippings/:shippingId', async (ctx) =>
    reply(ctx, await store.updateShipping(scope(ctx), p(ctx, 'orderId'), p(ctx, 'shippingId'), body(ctx), adapterId(ctx))),
  );

  const config = new Router({ prefix: CONFIG });
  const notFound = (ctx: Context, what: string) =>
    sendError(ctx, { status: 404, code: 'configuration-not-found', message: `${what} not found.` });

  config.get('/:merchant/channels', (ctx) => {
    ctx.body = store.listChannels(p(ctx, 'merchant'));
  });
  config.get('/:merchant/channels/:channel/configurations', (ctx) => {
    ctx.body = store.listConfigurations(p(ctx, 'merchant'), p(ctx, 'channel'));
  });
  // Sets the listed configurations (by their `id`), leaves the others.
  config.put('/:merchant/channels/:channel/configurations', (ctx) => {
    const documents = body(ctx);
    if (!Array.isArray(documents) || !documents.every((d) => typeof d === 'object' && d !== null && typeof d.id === 'string')) {
      return sendError(ctx, { status: 400, code: 'bad-request', message: 'Expected an array of configurations, each with an id' });
    }
    for (const d of documents as { id: string }[]) store.putConfiguration(p(ctx, 'merchant'), p(ctx, 'channel'), d.id, d);
    ctx.body = store.listConfigurations(p(ctx, 'merchant'), p(ctx, 'channel'));
  });
  config.get('/:merchant/channels/:channel/configurations/:name', (ctx) => {
    const document = store.getConfiguration(p(ctx, 'merchant'), p(ctx, 'channel'), p(ctx, 'name'));
    if (document === undefined) {
      return notFound(ctx, `Configuration ${p(ctx, 'name')} for merchant ${p(ctx, 'merchant')} channel ${p(ctx, 'channel')}`);
    }
    ctx.body = document;
  });
  config.put('/:merchant/channels/:channel/configurations/:name', (ctx) => {
    const document = body(ctx);
    if (typeof document !== 'object' || document === null || Array.isArray(document)) {
      return sendError(ctx, { status: 400, code: 'bad-request', message: 'A configuration must be a JSON object' });
    }
    store.putConfiguration(p(ctx, 'merchant'), p(ctx, 'channel'), p(ctx, 'name'), document);
    ctx.body = document;
  });
  config.delete('/:merchant/channels/:channel/configurations/:name', (ctx) => {
    if (!store.deleteConfiguration(p(ctx, 'merchant'), p(ctx, 'channel'), p(ctx, 'name'))) {
      return notFound(ctx, `Configuration ${p(ctx, 'name')} for merchant ${p(ctx, 'merchant')} channel ${p(ctx, 'channel')}`);
    }
    ctx.status = 204;
  });

  app.use(orders.routes()).use(orders.allowedMethods());
  app.use(config.routes()).use(config.allowedMethods());
  app.use(async (ctx: Context) => {
    if (ctx.body === undefined && ctx.status === 404) {
      sendError(ctx, { status: 404, code: 'not-found', message: `No route ${ctx.method} ${ctx.path}` });
    }
  });
  return app;
}
