// Starts the simulated Norce Checkout (Order API v0 + Configuration API) on a port; tests use port 0
// and close() it.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHttpHookInvoker } from './hook-client';
import { createNcoSimulatorApp, type NcoFault } from './routes';
import { NcoStore, type Configurations } from './store';

export type { NcoFault } from './routes';
export type {
  BeforeCommit,
  CommitContext,
  Configurations,
  JsonObject,
  NcoError,
  NcoResult,
  NcoScope,
  OrderSubject,
  RequestRecord,
  SimOrder,
  WriteRecord,
} from './store';
export { NcoStore } from './store';
export type { HookCall, OrderHookSettings } from './order-hooks';
export type { PatchOperation } from './json-patch';
export { ncoIds } from './ids';
export { SANDBOX_CHANNELS, SANDBOX_MERCHANT, sandboxConfigurations, sandboxDemoOrder, type SandboxChannel } from './seed';

export interface NcoSimulatorOptions {
  /** 0 (default) = an ephemeral port. */
  readonly port?: number;
  /** Default 127.0.0.1. */
  readonly host?: string;
  /** The Bearer token every request must carry. */
  readonly apiToken: string;
  /** merchant → channel → configuration name → document. */
  readonly configurations?: Configurations;
  /** Clock (default the system clock). */
  readonly now?: () => Date;
  /**
   * Call hooks before cart/shipping/state/customer/payment changes, as NCO does: 'registered' (default) = the hooks
   * added through POST …/hooks; 'all' = also hooks that came inside an order body (fixtures); 'none' = no calls.
   */
  readonly callHooks?: 'registered' | 'all' | 'none';
  /** Bearer token sent to hooks (default `apiToken`; what NCO really sends is not documented). */
  readonly hookToken?: string;
  /** Per hook call; no answer in time denies the change (default 10000). */
  readonly hookTimeoutMs?: number;
  /** Added before every answer, in ms: a realistic upstream round trip for benchmarks (default 0 = none). */
  readonly latencyMs?: number;
}

export interface RunningNcoSimulator {
  /** `http://host:port` — the base of both APIs (`/api/v0/checkout/orders`, `/api/v1/configuration`). */
  readonly url: string;
  readonly port: number;
  /** Orders, configurations, and the `requests` / `writes` / `hookCalls` logs. */
  readonly store: NcoStore;
  /** The HTTP server (tests count the connections it accepts). */
  readonly server: http.Server;
  /**
   * The next matching request gets `status`/`body`, no answer at all (`hang`), a connection reset (`reset`), or is
   * handled only after `delayMs`.
   */
  failNext(fault: NcoFault): void;
  /** Drops the scripted faults not used yet; returns how many there were. */
  clearFaults(): number;
  close(): Promise<void>;
}

export async function startNcoSimulator(options: NcoSimulatorOptions): Promise<RunningNcoSimulator> {
  const host = options.host ?? '127.0.0.1';
  const invoker = createHttpHookInvoker();
  const store = new NcoStore({
    ...(options.configurations ? { configurations: options.configurations } : {}),
    ...(options.now ? { now: options.now } : {}),
    ...(options.callHooks === 'none'
      ? {}
      : {
          hooks: {
            invoke: invoker.invoke,
            token: options.hookToken ?? options.apiToken,
            timeoutMs: options.hookTimeoutMs ?? 10000,
            which: options.callHooks ?? 'registered',
          },
        }),
  });
  const faults: NcoFault[] = [];
  let signalClosing: () => void = () => undefined;
  const closing = new Promise<void>((resolve) => {
    signalClosing = resolve;
  });

  const app = createNcoSimulatorApp({ store, apiToken: options.apiToken, faults, closing });
  const server = http.createServer(withLatency(app.callback(), options.latencyMs ?? 0));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;

  const urlHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${urlHost}:${port}`,
    port,
    store,
    server,
    failNext: (fault) => {
      faults.push(fault);
    },
    clearFaults: () => faults.splice(0).length,
    close: () =>
      new Promise<void>((resolve, reject) => {
        signalClosing();
        invoker.destroy();
        server.close((err) => (err ? reject(err) : resolve()));
        // Keep-alive sockets of clients would hold close() open.
        server.closeAllConnections();
      }),
  };
}

/** Every request is handled `latencyMs` later (0: the handler itself). */
function withLatency(handler: http.RequestListener, latencyMs: number): http.RequestListener {
  return latencyMs > 0 ? (req, res) => void setTimeout(handler, latencyMs, req, res) : handler;
}
