// The chaos run: the NCO and Qliro simulators (in this process), two adapter replicas behind a round-robin proxy, many
// concurrent orders driven through faults, then the invariants over every order. Used by `npm run chaos`
// (chaos/run.ts) and by the short test (test/chaos/chaos.test.ts).
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import fetch from 'node-fetch';
import { right } from 'fp-ts/Either';
import { startNcoSimulator, sandboxConfigurations, type RunningNcoSimulator } from '../sandbox/nco-simulator';
import { startQliroSimulator, type RunningQliroSimulator } from '../sandbox/qliro-simulator';
import { SANDBOX } from '../src/infrastructure/sandbox';
import { createRng } from './rng';
import { planOrder, type OrderPlan } from './plan';
import { bounded, driveOrder, newCounters, type Counters, type OrderRecord, type World } from './driver';
import { startProxy, type ProxiedRequest, type RunningProxy } from './proxy';
import { startReplica, HOST, type Replica, type ReplicaMode } from './replicas';
import { checkInvariants, type InvariantResult } from './invariants';

export interface ChaosOptions {
  readonly seed: number;
  readonly orders: number;
  readonly concurrency: number;
  /** Wall-clock budget of the whole run (start-up, orders, checks, shutdown). */
  readonly durationMs: number;
  /** Adapter replicas as child processes (default) or inside this process (quick test). */
  readonly replicaMode?: ReplicaMode;
  readonly replicas?: number;
  /** Per-call timeouts of the adapters (short, so latency spikes exceed them). */
  readonly qliroTimeoutMs?: number;
  readonly norceTimeoutMs?: number;
  /**
   * Let NCO latency faults also be handled late (after the adapter gave up), so stale writes land after newer ones.
   * Off by default: NCO has no conditional writes, and such lost updates are a known limitation (README "Chaos run").
   */
  readonly lateWrites?: boolean;
  /** Progress lines (default: none). */
  readonly log?: (line: string) => void;
}

export interface ChaosResult {
  readonly options: Required<Omit<ChaosOptions, 'log'>>;
  readonly plans: readonly OrderPlan[];
  readonly records: readonly OrderRecord[];
  readonly counters: Counters;
  /** NCO faults armed but never hit (the next matching call did not come). */
  readonly ncoFaultsUnused: number;
  readonly invariants: readonly InvariantResult[];
  readonly requests: readonly ProxiedRequest[];
  /** Upstream failures the replicas observed, by `upstream outcome` (from their /metrics). */
  readonly observedUpstreamFailures: Readonly<Record<string, number>>;
  /** Qliro callbacks by `type outcome`, summed over the replicas (from their /metrics). */
  readonly callbacks: Readonly<Record<string, number>>;
  readonly startupMs: number;
  readonly durationMs: number;
  /** Where the replicas' logs are (child processes) or their error lines (in-process). */
  readonly replicaLogs: readonly string[];
  /** Per Norce order involved in a violation (or given up): the timeline of driver steps, proxied calls and NCO commits. */
  readonly trails: Readonly<Record<string, readonly string[]>>;
  readonly violations: number;
}

/** Sums the `_count` series of a histogram/counter by some labels, from Prometheus text. */
function sumSeries(text: string, metric: string, labels: readonly string[], skip: (l: Record<string, string>) => boolean): Record<string, number> {
  const out: Record<string, number> = {};
  const re = new RegExp(`^${metric}\\{([^}]*)\\} (\\S+)$`, 'gm');
  for (const m of text.matchAll(re)) {
    const l: Record<string, string> = {};
    for (const pair of m[1]!.matchAll(/(\w+)="([^"]*)"/g)) l[pair[1]!] = pair[2]!;
    if (skip(l)) continue;
    const key = labels.map((name) => l[name] ?? '?').join(' ');
    out[key] = (out[key] ?? 0) + Number(m[2]);
  }
  return out;
}

async function scrape(replicas: readonly Replica[]): Promise<{ failures: Record<string, number>; callbacks: Record<string, number> }> {
  const failures: Record<string, number> = {};
  const callbacks: Record<string, number> = {};
  for (const r of replicas) {
    if (!r.alive()) continue;
    try {
      const text = await (await fetch(`${r.url}/metrics`, { timeout: 1500 })).text();
      for (const [k, v] of Object.entries(sumSeries(text, 'upstream_request_duration_seconds_count', ['upstream', 'outcome'], (l) => l['outcome'] === 'success'))) failures[k] = (failures[k] ?? 0) + v;
      for (const [k, v] of Object.entries(sumSeries(text, 'qliro_callbacks_total', ['type', 'outcome'], () => false))) callbacks[k] = (callbacks[k] ?? 0) + v;
    } catch {
      /* a replica that does not answer shows in the replicas-alive invariant */
    }
  }
  return { failures, callbacks };
}

export async function runChaos(options: ChaosOptions): Promise<ChaosResult> {
  const started = Date.now();
  const log = options.log ?? (() => undefined);
  const settings = {
    seed: options.seed,
    orders: options.orders,
    concurrency: options.concurrency,
    durationMs: options.durationMs,
    replicaMode: options.replicaMode ?? 'process',
    replicas: options.replicas ?? 2,
    qliroTimeoutMs: options.qliroTimeoutMs ?? 1000,
    norceTimeoutMs: options.norceTimeoutMs ?? 1000,
    lateWrites: options.lateWrites ?? false,
  } as const;
  const rng = createRng(settings.seed);
  const plans = Array.from({ length: settings.orders }, (_, i) => planOrder(i, rng.fork(`order-${i}`), { lateWrites: settings.lateWrites }));

  let nco: RunningNcoSimulator | undefined;
  let qliro: RunningQliroSimulator | undefined;
  let proxy: RunningProxy | undefined;
  const replicas: Replica[] = [];
  const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
  const logDir = path.join(os.tmpdir(), `qliro-adapter-chaos-${settings.seed}-${process.pid}`);
  let keepLogs = true;
  try {
    qliro = await startQliroSimulator({
      host: HOST,
      merchants: [{ apiKey: SANDBOX.qliroApiKey, secret: SANDBOX.qliroApiSecret }],
      // Qliro's push retries (2 s, 5 s, 10 s …) compressed a thousandfold; Admin outcomes after 50 ms.
      retryDelayScale: 0.001,
      validationTimeoutMs: 2500,
      pushTimeoutMs: 4000,
      adminOutcomeDelayMs: 50,
    });
    nco = await startNcoSimulator({ host: HOST, apiToken: SANDBOX.token, hookTimeoutMs: 4000 });
    // Every change NCO stores, with its time: the sequence a violation is explained by.
    const commits = new Map<string, { at: number; text: string }[]>();
    nco.store.beforeCommit = async (proposed, context) => {
      const list = commits.get(context.orderId) ?? [];
      commits.set(context.orderId, list);
      if (list.length < 200) list.push({ at: Date.now(), text: `NCO stored ${context.subject}: ${commitSummary(proposed)}` });
      return right(proposed);
    };

    const env: Record<string, string> = {
      NORCE_ORDER_API_URL: nco.url,
      NORCE_CONFIGURATION_API_URL: nco.url,
      NORCE_API_TOKEN: SANDBOX.token,
      ADAPTER_API_TOKENS: SANDBOX.token,
      CALLBACK_SIGNING_SECRET: `chaos-callback-signing-secret-${settings.seed}`,
      QLIRO_TIMEOUT_MS: String(settings.qliroTimeoutMs),
      NORCE_TIMEOUT_MS: String(settings.norceTimeoutMs),
      VALIDATION_BUDGET_MS: '1500',
      CONFIG_CACHE_TTL_MS: '30000',
      LOG_LEVEL: 'warn',
    };
    replicas.push(...(await Promise.all(Array.from({ length: settings.replicas }, (_, i) => startReplica(i, { mode: settings.replicaMode, env, logDir })))));
    proxy = await startProxy({ upstreams: replicas.map((r) => r.url), host: HOST });
    // The channel documents name the proxy: Qliro's pushes and NCO's hooks are spread over the replicas too.
    for (const [merchant, channels] of Object.entries(sandboxConfigurations(qliro.url, proxy.url))) {
      for (const [channel, documents] of Object.entries(channels)) {
        for (const [name, document] of Object.entries(documents)) nco.store.putConfiguration(merchant, channel, name, document);
      }
    }
    const startupMs = Date.now() - started;
    log(`started: ${settings.replicas} adapter replicas (${settings.replicaMode}) behind ${proxy.url}, NCO ${nco.url}, Qliro ${qliro.url} in ${startupMs} ms`);

    // No order starts in the last 30 s of the budget (30 % of a short one), no retry or wait in the last 20 s (20 %):
    // a call already running ends within its own 8 s timeout, and settling, checks and shutdown get the rest.
    const end = started + settings.durationMs;
    const lastStart = end - Math.min(30_000, settings.durationMs * 0.3);
    const hardDeadline = end - Math.min(20_000, settings.durationMs * 0.2);
    const counters = newCounters();
    const world: World = { nco, qliro, proxyUrl: proxy.url, qliroTimeoutMs: settings.qliroTimeoutMs, norceTimeoutMs: settings.norceTimeoutMs, counters, jitter: rng.fork('jitter'), hardDeadline, agent };
    const records: OrderRecord[] = [];
    let next = 0;
    let finished = 0;
    const worker = async () => {
      while (next < plans.length && Date.now() < lastStart) {
        const plan = plans[next++]!;
        records.push(await driveOrder(world, plan));
        finished += 1;
        if (finished % 10 === 0) log(`  ${finished}/${plans.length} orders driven (${Math.round((Date.now() - started) / 1000)} s)`);
      }
    };
    await Promise.all(Array.from({ length: settings.concurrency }, worker));
    records.sort((a, b) => a.plan.index - b.plan.index);

    // Let what is still moving land: pushes and outcomes (settle helper), then the balancer's in-flight requests.
    const quiet = Math.max(1000, end - Date.now() - 8000);
    await bounded(qliro.idle(), Math.min(quiet, 15_000));
    await proxy.drained(Math.min(quiet, 10_000));
    const metrics = await scrape(replicas);
    const ncoFaultsUnused = nco.clearFaults();
    // Faults still queued at Qliro are harmless: the checks read the simulators' state, not their HTTP APIs.
    const invariants = checkInvariants({ nco, qliro, requests: proxy.stats.requests, replicas, records });
    const violations = invariants.reduce((s, i) => s + i.violations.length, 0);
    keepLogs = violations > 0;
    const involved = new Set(invariants.flatMap((i) => i.violations).flatMap((v) => [...v.matchAll(/Norce order (\w+)/g)].map((m) => m[1]!)));
    for (const r of records) if (r.gaveUp && r.orderId) involved.add(r.orderId);
    const trails: Record<string, string[]> = {};
    for (const orderId of involved) trails[orderId] = trailOf(orderId, records, proxy.stats.requests, commits.get(orderId) ?? [], nco, qliro);
    return {
      options: settings,
      plans,
      records,
      counters,
      ncoFaultsUnused,
      invariants,
      requests: proxy.stats.requests,
      observedUpstreamFailures: metrics.failures,
      callbacks: metrics.callbacks,
      startupMs,
      durationMs: Date.now() - started,
      replicaLogs: replicas.map((r) => r.logHint()),
      trails,
      violations,
    };
  } finally {
    agent.destroy();
    await Promise.allSettled(replicas.map((r) => r.stop()));
    await proxy?.close();
    await Promise.allSettled([nco?.close(), qliro?.close()]);
    // The replicas' logs are kept only when there is something to look into.
    if (!keepLogs) fs.rmSync(logDir, { recursive: true, force: true });
  }
}

/** One line for a stored order: its status and our payments (state, recorded Admin operations). */
function commitSummary(order: { state?: { currentStatus?: string }; payments?: unknown[] }): string {
  const payments = ((order.payments ?? []) as { id?: string; adapterId?: string; state?: string; attributes?: { qliroOperations?: { operation: string; status: string; paymentTransactionId: number }[] } }[])
    .filter((p) => p.adapterId === 'qliro_checkout_adapter')
    .map((p) => {
      const ops = p.attributes?.qliroOperations ?? [];
      return `payment ${p.id} ${p.state}${ops.length > 0 ? ` [${ops.map((o) => `${o.operation}#${o.paymentTransactionId}:${o.status}`).join(', ')}]` : ''}`;
    });
  return `order ${order.state?.currentStatus}; ${payments.join('; ') || 'no Qliro payment'}`;
}

/** The timeline of one order (relative ms), then where it ended in Norce and at Qliro. */
function trailOf(
  orderId: string,
  records: readonly OrderRecord[],
  requests: readonly ProxiedRequest[],
  commits: readonly { at: number; text: string }[],
  nco: RunningNcoSimulator,
  qliro: RunningQliroSimulator,
): string[] {
  const record = records.find((r) => r.orderId === orderId);
  const events = [
    ...(record?.notes ?? []).map((n) => ({ at: n.at, text: `driver: ${n.text}` })),
    ...requests.filter((r) => r.path.includes(`/orders/${orderId}/`)).map((r) => ({ at: r.at, text: `→ replica ${r.replica} ${r.kind} answered ${r.status} after ${r.ms} ms` })),
    ...commits,
  ].sort((a, b) => a.at - b.at);
  const t0 = events[0]?.at ?? 0;
  const lines = events.map((e) => `+${String(e.at - t0).padStart(5)} ms  ${e.text}`);
  const order = nco.store.order(orderId) as any; // eslint-disable-line @typescript-eslint/no-explicit-any
  for (const p of (order?.payments ?? []).filter((x: { adapterId?: string }) => x.adapterId === 'qliro_checkout_adapter')) {
    const txs = nco.store.transactionsOf(orderId, p.id) as { event?: string; pspStatus?: string; isSuccess?: boolean }[];
    lines.push(`end: Norce payment ${p.id} ${p.state}; transactions ${txs.map((t) => `${t.event}/${t.pspStatus}${t.isSuccess ? '' : '(failed)'}`).join(', ')}`);
    const qid = Number(p.reference);
    const q = Number.isInteger(qid) ? qliro.store.get(qid) : undefined;
    if (!q) continue;
    const ledger = (qliro.adminOrder(qid)?.['PaymentTransactions'] as { PaymentTransactionId: number; Type: string; Status: string; Amount: number }[] | undefined) ?? [];
    lines.push(`end: Qliro ${qid} ${q.status}; ledger ${ledger.map((t) => `${t.Type}#${t.PaymentTransactionId}:${t.Status} ${t.Amount}`).join(', ')}`);
    lines.push(`end: checkout pushes ${q.pushAttempts.map((a) => `${a.status}#${a.pushId}.${a.copy}→${a.outcome}${a.httpStatus ? ` ${a.httpStatus}` : a.error ? ` ${a.error}` : ''}`).join(', ') || 'none'}`);
    const om = qliro.orderManagementPushesOf(qid);
    lines.push(`end: order-management pushes ${om.map((a) => `${a.paymentType}#${a.paymentTransactionId}:${a.status}.${a.copy}→${a.outcome}${a.httpStatus ? ` ${a.httpStatus}` : a.error ? ` ${a.error}` : ''}`).join(', ') || 'none'}`);
  }
  return lines;
}
