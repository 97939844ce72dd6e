// The bench's moving parts: child processes (simulators, adapter, baseline), RSS sampling from /proc, and one
// measured autocannon run. Everything listens on and talks to 127.0.0.1 only.
import { fork, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import http from 'node:http';
import autocannon from 'autocannon';
import fetch from 'node-fetch';
import { SANDBOX } from '../src/infrastructure/sandbox';

export const HOST = '127.0.0.1';

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** A free loopback port (the adapter in production mode wants a real one, not 0). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, HOST, () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Resident set size now and its high-water mark, in MB, from /proc/<pid>/status (Linux). */
export function rssOf(pid: number): { rssMb: number; hwmMb: number } | undefined {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
    return { rssMb: kb('VmRSS') / 1024, hwmMb: kb('VmHWM') / 1024 };
  } catch {
    return undefined;
  }
}

/** CPU time (user + system) a process has used so far, in seconds, from /proc/<pid>/stat (Linux, 100 ticks/s). */
export function cpuSecondsOf(pid: number): number {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may contain spaces) start at field 3; utime and stime are fields 14 and 15.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return NaN;
  }
}

/** CPU time of the whole machine so far (all cores), busy and total, in seconds, from /proc/stat. */
export function machineCpuSeconds(): { busy: number; total: number } {
  const line = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0]!;
  const [user, nice, system, idle, iowait, irq, softirq, steal] = line.trim().split(/\s+/).slice(1).map(Number) as number[];
  const busy = user! + nice! + system! + irq! + softirq! + steal!;
  return { busy: busy / 100, total: (busy + idle! + iowait!) / 100 };
}

/** Samples a process's RSS every `everyMs` until stopped. */
export class RssSampler {
  readonly samples: { atMs: number; rssMb: number }[] = [];
  private readonly timer: NodeJS.Timeout;
  private readonly started = Date.now();

  constructor(private readonly pid: number, everyMs = 100) {
    this.sample();
    this.timer = setInterval(() => this.sample(), everyMs);
  }

  private sample(): void {
    const now = rssOf(this.pid);
    if (now) this.samples.push({ atMs: Date.now() - this.started, rssMb: now.rssMb });
  }

  stop(): { peakMb: number; lastMb: number } {
    clearInterval(this.timer);
    this.sample();
    const values = this.samples.map((s) => s.rssMb);
    return { peakMb: Math.max(...values), lastMb: values[values.length - 1] ?? NaN };
  }
}

/** Children still running: killed if the runner itself dies, so no adapter is left behind. */
const live = new Set<ChildProcess>();
process.on('exit', () => {
  for (const child of live) child.kill('SIGKILL');
});
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    process.stderr.write(`bench: ${signal}, stopping the children\n`);
    process.exit(130);
  });
}
function track(child: ChildProcess): ChildProcess {
  live.add(child);
  child.once('exit', () => live.delete(child));
  return child;
}

/** The exit of a child, awaited with a bound (then SIGKILL). */
async function ended(child: ChildProcess, graceMs: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}

// ---------------------------------------------------------------------------------------------

export interface Simulators {
  readonly ncoUrl: string;
  readonly qliroUrl: string;
  readonly pid: number;
  call<T = unknown>(cmd: string, args?: unknown): Promise<T>;
  stop(): Promise<void>;
}

export async function startSimulators(buildDir: string, latencyMs: number): Promise<Simulators> {
  const child = track(fork(path.join(buildDir, 'bench', 'sim-child.js'), [String(latencyMs)], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] }));
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  let nextId = 1;
  const ready = await new Promise<{ ncoUrl: string; qliroUrl: string }>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`simulators exited (${code})`)));
    child.on('message', (m: any) => {
      if (m.ready) resolve(m);
      else if (typeof m.id === 'number') {
        const p = pending.get(m.id);
        pending.delete(m.id);
        if (m.ok) p?.resolve(m.result);
        else p?.reject(new Error(m.error));
      }
    });
  });
  return {
    ...ready,
    pid: child.pid!,
    call: <T>(cmd: string, args?: unknown) =>
      new Promise<T>((resolve, reject) => {
        const id = nextId++;
        pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
        child.send({ id, cmd, args });
      }),
    stop: async () => {
      child.disconnect();
      await ended(child, 5000);
    },
  };
}

export interface Target {
  readonly name: 'adapter' | 'baseline';
  readonly url: string;
  readonly pid: number;
  /** For the baseline: hands it what it cannot derive itself. */
  send(message: unknown): void;
  stop(): Promise<void>;
}

async function waitForHttp(url: string, child: ChildProcess, what: string, stderr: () => string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${what} exited (${child.exitCode}): ${stderr()}`);
    try {
      const answer = await fetch(url, { agent: new http.Agent({ keepAlive: false }) });
      if (answer.ok) return;
    } catch {
      /* not listening yet */
    }
    await sleep(100);
  }
  throw new Error(`${what} did not become ready at ${url}`);
}

export interface AdapterStart {
  readonly buildDir: string;
  readonly ncoUrl: string;
  readonly logLevel: string;
  /** Directory for `node --cpu-prof` output (written when the adapter exits). */
  readonly cpuProfDir?: string;
}

/** The adapter as in production: the compiled entry point, configured by environment, stdout to /dev/null. */
export async function startAdapterProcess(options: AdapterStart): Promise<Target> {
  const port = await freePort();
  const execArgv = options.cpuProfDir ? ['--cpu-prof', `--cpu-prof-dir=${options.cpuProfDir}`] : [];
  const child = track(spawn(process.execPath, [...execArgv, path.join(options.buildDir, 'src', 'infrastructure', 'main.js')], {
    stdio: ['ignore', 'ignore', 'pipe'],
    env: {
      PATH: process.env['PATH'] ?? '',
      NODE_ENV: 'production',
      PORT: String(port),
      HOST,
      NORCE_ORDER_API_URL: options.ncoUrl,
      NORCE_CONFIGURATION_API_URL: options.ncoUrl,
      NORCE_API_TOKEN: SANDBOX.token,
      ADAPTER_API_TOKENS: SANDBOX.token,
      CALLBACK_SIGNING_SECRET: SANDBOX.callbackSigningSecret,
      LOG_LEVEL: options.logLevel,
    },
  }));
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
  const url = `http://${HOST}:${port}`;
  await waitForHttp(`${url}/health/ready`, child, 'adapter', () => stderr);
  return {
    name: 'adapter',
    url,
    pid: child.pid!,
    send: () => undefined,
    stop: async () => {
      child.kill('SIGTERM');
      await ended(child, 15_000);
      if (stderr.trim() !== '') process.stderr.write(`adapter stderr: ${stderr}\n`);
    },
  };
}

export async function startBaselineProcess(buildDir: string, ncoUrl: string, cpuProfDir?: string): Promise<Target> {
  const port = await freePort();
  const child = track(
    fork(path.join(buildDir, 'bench', 'baseline.js'), [String(port), ncoUrl], {
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
      env: { PATH: process.env['PATH'] ?? '', NODE_ENV: 'production' },
      execArgv: cpuProfDir ? ['--cpu-prof', `--cpu-prof-dir=${cpuProfDir}`] : [],
    }),
  );
  await new Promise<void>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`baseline exited (${code})`)));
    child.on('message', (m: any) => m?.ready && resolve());
  });
  return {
    name: 'baseline',
    url: `http://${HOST}:${port}`,
    pid: child.pid!,
    send: (message) => child.send(message as never),
    stop: async () => {
      child.kill('SIGTERM');
      await ended(child, 5000);
    },
  };
}

// ---------------------------------------------------------------------------------------------

export interface OneRequest {
  readonly method: 'GET' | 'POST';
  readonly path: string;
  readonly headers: Record<string, string>;
  readonly body?: string;
}

export interface LoadResult {
  readonly requests: number;
  readonly seconds: number;
  readonly rps: number;
  readonly p50: number;
  readonly p99: number;
  readonly mean: number;
  readonly non2xx: number;
  readonly errors: number;
  readonly statusCodes: Record<string, number>;
  /** Every response time (ms), sorted: for merging runs. */
  readonly latencies: number[];
}

/** Several runs against one target as one: latencies pooled, requests and seconds added. */
export function mergeLoads(runs: readonly LoadResult[]): LoadResult {
  const latencies = runs.flatMap((r) => r.latencies).sort((a, b) => a - b);
  const seconds = runs.reduce((s, r) => s + r.seconds, 0);
  const statusCodes: Record<string, number> = {};
  for (const r of runs) for (const [code, n] of Object.entries(r.statusCodes)) statusCodes[code] = (statusCodes[code] ?? 0) + n;
  return {
    requests: latencies.length,
    seconds,
    rps: latencies.length / seconds,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    mean: latencies.reduce((s, v) => s + v, 0) / Math.max(1, latencies.length),
    non2xx: runs.reduce((s, r) => s + r.non2xx, 0),
    errors: runs.reduce((s, r) => s + r.errors, 0),
    statusCodes,
    latencies,
  };
}

const percentile = (sorted: number[], p: number): number =>
  sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;

/**
 * One bounded load run: `connections` keep-alive connections for `seconds`, each request from `next()`.
 * Latencies are autocannon's per-response times (ms, sub-millisecond precision); a run whose request pool runs out
 * ends early. `overallRate` caps the requests per second over all connections (a load below saturation).
 */
export function load(url: string, connections: number, seconds: number, next: () => OneRequest | undefined, overallRate?: number): Promise<LoadResult> {
  const latencies: number[] = [];
  const statusCodes: Record<string, number> = {};
  let exhausted = false;
  let last: OneRequest | undefined;
  const started = process.hrtime.bigint();
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url,
        connections,
        duration: seconds,
        timeout: 10,
        ...(overallRate !== undefined ? { overallRate } : {}),
        requests: [
          {
            setupRequest: (req: any) => {
              const r = next();
              if (r === undefined && !exhausted) {
                exhausted = true;
                setImmediate(() => instance.stop());
              }
              const use = r ?? last!;
              last = use;
              return { ...req, method: use.method, path: use.path, headers: use.headers, body: use.body ?? Buffer.alloc(0) };
            },
          },
        ],
      },
      (err: Error | null, result: autocannon.Result) => {
        if (err) return reject(err);
        const elapsed = Number(process.hrtime.bigint() - started) / 1e9;
        const sorted = latencies.sort((a, b) => a - b);
        const total = sorted.reduce((s, v) => s + v, 0);
        const non2xx = Object.entries(statusCodes).filter(([s]) => !s.startsWith('2')).reduce((s, [, n]) => s + n, 0);
        resolve({
          requests: sorted.length,
          seconds: elapsed,
          rps: sorted.length / elapsed,
          p50: percentile(sorted, 50),
          p99: percentile(sorted, 99),
          mean: total / Math.max(1, sorted.length),
          non2xx,
          errors: result.errors,
          statusCodes,
          latencies: sorted,
        });
      },
    );
    instance.on('response', (_client: unknown, statusCode: number, _bytes: number, responseTime: number) => {
      latencies.push(responseTime);
      statusCodes[statusCode] = (statusCodes[statusCode] ?? 0) + 1;
    });
  });
}
