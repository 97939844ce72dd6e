// The load balancer of the chaos run: a small node:http reverse proxy on loopback in front of the adapter replicas.
// It alternates the upstream per request — per path: the n-th request for one path goes to replica (start + n) mod R,
// with `start` taken from a global counter the first time the path is seen — so consecutive requests for the same
// URL (duplicate pushes, parallel captures of one order) always land on different replicas, while new paths still
// spread evenly. It counts answers per route kind and status (the 500 invariant is read from here).
import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** Which endpoint a request is for, by who calls it. */
export type RouteKind =
  | 'create-payment'
  | 'get-payment'
  | 'remove-payment'
  | 'cart-changed'
  | 'state-changed'
  | 'customer-update'
  | 'shipping-option-update'
  | 'capture'
  | 'cancel'
  | 'refund'
  | 'refresh'
  | 'validate'
  | 'push'
  | 'status'
  | 'other';

/** Qliro calls these; a 500 there is the documented "retry later" signal. Every other kind is Norce-facing. */
export const QLIRO_FACING: ReadonlySet<RouteKind> = new Set(['validate', 'push', 'status']);

const CALLBACK = /^\/api\/checkout\/v1\/callback\/orders\/[^/]+\/payments\/[^/]+\/([a-z-]+)$/;
const ORDER_MANAGEMENT = /^\/api\/order\/v1\/orders\/[^/]+\/payments\/[^/]+\/(capture|cancel|refund|refresh)$/;
const PAYMENTS = /^\/api\/checkout\/v1\/orders\/[^/]+\/payments\/?$/;
const PAYMENT = /^\/api\/checkout\/v1\/orders\/[^/]+\/payments\/[^/]+$/;
const REMOVE = /^\/api\/checkout\/v1\/orders\/[^/]+\/payments\/[^/]+\/remove$/;

export function routeKind(method: string, path: string): RouteKind {
  const callback = CALLBACK.exec(path);
  if (callback) {
    const name = callback[1]!;
    if (name === 'update-payment') return 'cart-changed';
    if (['validate', 'push', 'status', 'cart-changed', 'state-changed', 'customer-update', 'shipping-option-update'].includes(name)) return name as RouteKind;
    return 'other';
  }
  const om = ORDER_MANAGEMENT.exec(path);
  if (om) return om[1] as RouteKind;
  if (method === 'POST' && PAYMENTS.test(path)) return 'create-payment';
  if (method === 'GET' && PAYMENT.test(path)) return 'get-payment';
  if (method === 'POST' && REMOVE.test(path)) return 'remove-payment';
  return 'other';
}

/** One answered (or failed) request, as the proxy saw it. */
export interface ProxiedRequest {
  readonly kind: RouteKind;
  /** Path without the query (it carries the callback token). */
  readonly path: string;
  readonly replica: number;
  /** When the request arrived (Date.now()). */
  readonly at: number;
  /**
   * The upstream's status; 'proxy-error' when the replica could not be reached or dropped the connection; 'abandoned'
   * when the caller hung up first (a hook or push timeout of the simulators).
   */
  readonly status: number | 'proxy-error' | 'abandoned';
  readonly ms: number;
}

export interface ProxyStats {
  readonly requests: ProxiedRequest[];
  /** Requests forwarded and not finished yet. */
  inFlight: number;
}

export interface RunningProxy {
  readonly url: string;
  readonly stats: ProxyStats;
  /** Resolves when no request is in flight, or after `maxMs` (bounded). */
  drained(maxMs: number): Promise<boolean>;
  close(): Promise<void>;
}

const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'upgrade', 'te', 'trailer']);

const withoutHopByHop = (headers: http.IncomingHttpHeaders): http.OutgoingHttpHeaders => {
  const out: http.OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(headers)) if (!HOP_BY_HOP.has(name) && value !== undefined) out[name] = value;
  return out;
};

export async function startProxy(options: { readonly upstreams: readonly string[]; readonly host?: string }): Promise<RunningProxy> {
  const host = options.host ?? '127.0.0.1';
  const upstreams = options.upstreams.map((u) => new URL(u));
  if (upstreams.length === 0) throw new Error('the proxy needs at least one upstream');
  const agent = new http.Agent({ keepAlive: true, maxSockets: 128 });
  const stats: ProxyStats = { requests: [], inFlight: 0 };
  const nextByPath = new Map<string, number>();
  let globalCounter = 0;
  const sockets = new Set<import('node:net').Socket>();

  const pick = (path: string): number => {
    const n = nextByPath.get(path) ?? globalCounter++;
    nextByPath.set(path, n + 1);
    return n % upstreams.length;
  };

  const server = http.createServer((req, res) => {
    const started = Date.now();
    const path = (req.url ?? '/').split('?')[0]!;
    const kind = routeKind(req.method ?? 'GET', path);
    const replica = pick(path);
    const target = upstreams[replica]!;
    stats.inFlight += 1;
    let recorded = false;
    const record = (status: ProxiedRequest['status']) => {
      if (recorded) return;
      recorded = true;
      stats.inFlight -= 1;
      stats.requests.push({ kind, path, replica, at: started, status, ms: Date.now() - started });
    };
    const upstream = http.request(
      {
        host: target.hostname,
        port: target.port,
        method: req.method,
        path: req.url,
        headers: { ...withoutHopByHop(req.headers), host: target.host, 'x-forwarded-for': req.socket.remoteAddress ?? '127.0.0.1' },
        agent,
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, withoutHopByHop(answer.headers));
        answer.pipe(res);
        answer.on('end', () => record(answer.statusCode ?? 502));
        answer.on('error', () => {
          record('proxy-error');
          res.destroy();
        });
      },
    );
    upstream.on('error', (e) => {
      record('proxy-error');
      if (!res.headersSent) {
        res.writeHead(502, { 'content-type': 'application/json', 'x-chaos-proxy': 'upstream-error' });
        res.end(JSON.stringify({ code: 'proxy-upstream-error', message: `replica ${replica} failed: ${e.message}` }));
      } else res.destroy();
    });
    // The caller gave up (a hook or push timeout): the replica's request is abandoned too, as a load balancer does.
    res.on('close', () => {
      if (!res.writableFinished) {
        upstream.destroy();
        record('abandoned');
      }
    });
    req.pipe(upstream);
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host}:${port}`,
    stats,
    drained: async (maxMs) => {
      const deadline = Date.now() + maxMs;
      while (stats.inFlight > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      return stats.inFlight === 0;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const s of sockets) s.destroy();
        agent.destroy();
      }),
  };
}
