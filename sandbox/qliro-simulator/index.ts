// Starts the simulated Qliro (Merchant API + controls) on a port; tests use port 0 and close() it.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { FaultQueue, type QliroFault } from './faults';
import { createQliroSimulatorApp } from './routes';
import { MerchantDirectory, type SimulatedMerchant } from './signature';
import { QliroSimulatorStore, type SimulatedCheckoutStatus, type SimulatedOrder } from './store';

export type { QliroFault } from './faults';
export type { SimulatedMerchant } from './signature';
export type { SimulatedOrder, SimulatedRequest, SimulatedCheckoutStatus, SimulatedOperation } from './store';
export { QliroSimulatorStore } from './store';

export interface QliroSimulatorOptions {
  /** 0 (default) = an ephemeral port. */
  readonly port?: number;
  /** Default 127.0.0.1. */
  readonly host?: string;
  readonly merchants: readonly SimulatedMerchant[];
  /** Reject Discount items with positive prices (default true). */
  readonly strictDiscountSign?: boolean;
  /** Base URL put into snippets, links and Location headers (default http://{host}:{port}). */
  readonly publicUrl?: string;
  /** First OrderId handed out (default 4950001). */
  readonly firstOrderId?: number;
  /** Clock (default the system clock). */
  readonly now?: () => Date;
}

export interface RunningQliroSimulator {
  readonly url: string;
  readonly port: number;
  readonly store: QliroSimulatorStore;
  /** The next matching Merchant API call answers `status`/`body`, or is delayed by `delayMs` (see QliroFault). */
  failNext(fault: QliroFault): void;
  /** UpdateOrder on this order now answers 400 ORDER_EXPIRED. */
  expireOrder(orderId: number): SimulatedOrder | undefined;
  /** Sets CustomerCheckoutStatus directly (the customer flow is not simulated here). */
  setStatus(orderId: number, status: SimulatedCheckoutStatus | string): SimulatedOrder | undefined;
  /** Forgets orders, requests and pending faults (OrderIds keep counting). */
  reset(): void;
  close(): Promise<void>;
}

export async function startQliroSimulator(options: QliroSimulatorOptions): Promise<RunningQliroSimulator> {
  const host = options.host ?? '127.0.0.1';
  const store = new QliroSimulatorStore({
    ...(options.firstOrderId !== undefined ? { firstOrderId: options.firstOrderId } : {}),
    ...(options.now ? { now: options.now } : {}),
  });
  const faults = new FaultQueue();
  const sleeping = new Set<{ timer: NodeJS.Timeout; wake: () => void }>();
  let baseUrl = options.publicUrl?.replace(/\/+$/, '') ?? '';

  const app = createQliroSimulatorApp({
    store,
    merchants: new MerchantDirectory(options.merchants),
    faults,
    rules: { strictDiscountSign: options.strictDiscountSign ?? true },
    baseUrl: () => baseUrl,
    sleep: (ms) =>
      new Promise<void>((resolve) => {
        const entry = {
          timer: setTimeout(() => {
            sleeping.delete(entry);
            resolve();
          }, ms),
          wake: resolve,
        };
        sleeping.add(entry);
      }),
  });

  const server = http.createServer(app.callback());
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  if (baseUrl === '') baseUrl = url;

  let closing: Promise<void> | undefined;
  return {
    url,
    port,
    store,
    failNext: (fault) => faults.add(fault),
    expireOrder: (orderId) => store.expire(orderId),
    setStatus: (orderId, status) => store.setStatus(orderId, status),
    reset: () => {
      store.reset();
      faults.clear();
    },
    close: () => {
      closing ??= new Promise<void>((resolve, reject) => {
        for (const entry of sleeping) {
          clearTimeout(entry.timer);
          entry.wake();
        }
        sleeping.clear();
        server.close((e) => (e ? reject(e) : resolve()));
        server.closeAllConnections();
      });
      return closing;
    },
  };
}
