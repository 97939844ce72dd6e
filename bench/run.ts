// `npm run bench`: adapter vs baseline on the hot paths, at 1/10/100 connections, upstream latency 0 and 20 ms.
// `npm run bench:soak` (or `npm run bench -- --soak`): mixed traffic for 3 minutes (`--soak-seconds=N`), RSS over time.
// Results go to bench/results/*.json and BENCHMARKS.md. Every load run is bounded in time; all traffic is loopback.
//
// Flags: --duration=S (4) --warmup=S (1) --connections=1,10,100 --latencies=0,20 --paths=get-payment,…
//        --log-level=warn|silent --no-info-cost --profile (node --cpu-prof on the adapter → bench/profiles/)
//        --soak --soak-seconds=180 --soak-latency=20 --soak-connections=50 --no-write
//        --report-only (BENCHMARKS.md again from bench/results/*.json, nothing measured)
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { transpileForChildren, ROOT } from './build';
import { cpuSecondsOf, load, machineCpuSeconds, mergeLoads, RssSampler, rssOf, startAdapterProcess, startBaselineProcess, startSimulators, type LoadResult, type OneRequest, type Simulators, type Target } from './harness';
import { createPools, PATHS, requestsFor, validatePool, type PathName, type Pools } from './scenarios';
import { keptAnalysis, keptChaosSection, markdown, terminalTable, verdicts, type BenchRun, type Cell, type Counts, type Machine, type SoakRun } from './report';

const RESULTS_DIR = path.join(ROOT, 'bench', 'results');
const RUN_FILE = path.join(RESULTS_DIR, 'bench.json');
const SOAK_FILE = path.join(RESULTS_DIR, 'soak.json');
const REPORT_FILE = path.join(ROOT, 'BENCHMARKS.md');

// ---------------------------------------------------------------------------------------------- options

const args = process.argv.slice(2);
const flag = (name: string) => args.includes(`--${name}`);
const value = (name: string, fallback: string) => args.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? fallback;
const numbers = (name: string, fallback: string) => value(name, fallback).split(',').map(Number);
const bounded = (n: number, min: number, max: number, what: string) => {
  if (!Number.isFinite(n) || n < min || n > max) throw new Error(`${what} must be within ${min}–${max}`);
  return n;
};

const options = {
  durationS: bounded(Number(value('duration', '4')), 1, 30, '--duration'),
  warmupS: bounded(Number(value('warmup', '1')), 0, 10, '--warmup'),
  connections: numbers('connections', '1,10,100').map((c) => bounded(c, 1, 200, '--connections')),
  latencies: numbers('latencies', '0,20').map((l) => bounded(l, 0, 500, '--latencies')),
  paths: value('paths', PATHS.join(',')).split(',') as PathName[],
  logLevel: value('log-level', 'warn'),
  infoCost: !flag('no-info-cost'),
  profile: flag('profile'),
  write: !flag('no-write'),
  soak: flag('soak'),
  reportOnly: flag('report-only'),
  soakSeconds: bounded(Number(value('soak-seconds', '180')), 10, 900, '--soak-seconds'),
  soakLatency: bounded(Number(value('soak-latency', '20')), 0, 500, '--soak-latency'),
  soakConnections: bounded(Number(value('soak-connections', '50')), 1, 200, '--soak-connections'),
};
for (const p of options.paths) if (!(PATHS as readonly string[]).includes(p)) throw new Error(`unknown path ${p}`);

const machine = (): Machine => ({
  cpus: os.cpus().length,
  cpuModel: os.cpus()[0]?.model.trim() ?? 'unknown',
  node: process.version,
  platform: `${os.platform()} ${os.release()}`,
  memoryGb: Math.round(os.totalmem() / 2 ** 30),
});

const log = (line: string) => process.stdout.write(`${line}\n`);

// ---------------------------------------------------------------------------------------------- one cell

/** Upstream calls per answered request, by kind. */
const perRequest = (counts: Counts, requests: number): Counts =>
  Object.fromEntries(Object.entries(counts).map(([k, v]) => [k, Math.round((v / Math.max(1, requests)) * 100) / 100]));

interface Phase {
  readonly latencyMs: number;
  readonly sims: Simulators;
  adapter: Target;
  readonly baseline: Target;
  readonly pools: Pools;
}

/** A pair is measured once more when other processes on the machine took more than this share of its CPU. */
const FOREIGN_CPU_LIMIT = 0.15;
/** Repeats allowed in one run, so a machine that stays busy cannot stretch the run past its time bound. */
let repeatsLeft = 8;
/** Each target's measured time is cut into this many slices, alternating between the targets (A B A B …). */
const SLICES = 2;

/**
 * Measures the targets (adapter and baseline, or one) on one path and concurrency. Their runs alternate in slices,
 * so load from other processes on a shared machine falls on both alike; repeated once when that load was high.
 */
async function measureTargets(phase: Phase, targets: readonly Target[], path: PathName, connections: number, logLevel: string, rate?: number): Promise<Cell[]> {
  const first = await measureOnce(phase, targets, path, connections, logLevel, 1, rate);
  const foreign = Math.max(...first.map((c) => c.foreignCpuShare));
  if (foreign <= FOREIGN_CPU_LIMIT || repeatsLeft <= 0) return first;
  repeatsLeft--;
  log(`    (other processes used ${(foreign * 100).toFixed(0)} % of the machine during ${path} ${connections} conn: measuring again)`);
  const second = await measureOnce(phase, targets, path, connections, logLevel, 2, rate);
  return Math.max(...second.map((c) => c.foreignCpuShare)) < foreign ? second : first;
}

async function measureOnce(phase: Phase, targets: readonly Target[], path: PathName, connections: number, logLevel: string, attempt: number, rate?: number): Promise<Cell[]> {
  const generators = new Map<Target, () => OneRequest | undefined>();
  if (path === 'validate') {
    // Each validate approves one order: fresh pools, one per target, large enough for the warm-up and the run.
    await phase.sims.call('resetOrders');
    const size = connections === 1 ? 2500 : 6000;
    for (const t of targets) generators.set(t, requestsFor('validate', phase.pools, await validatePool(phase.sims, phase.pools, size)));
  } else {
    for (const t of targets) generators.set(t, requestsFor(path, phase.pools));
  }
  if (options.warmupS > 0) for (const t of targets) await load(t.url, connections, options.warmupS, generators.get(t)!, rate);

  const everyone = [phase.adapter, phase.baseline];
  const samplers = new Map(targets.map((t) => [t, new RssSampler(t.pid, 100)] as const));
  const runs = new Map<Target, LoadResult[]>(targets.map((t) => [t, []]));
  const cpu = new Map<Target, number>(targets.map((t) => [t, 0]));
  const simsCpu = new Map<Target, number>(targets.map((t) => [t, 0]));
  const counts = new Map<Target, { nco: Counts; qliro: Counts }>(targets.map((t) => [t, { nco: {}, qliro: {} }]));
  const machine0 = machineCpuSeconds();
  const ours0 = everyone.reduce((sum, t) => sum + cpuSecondsOf(t.pid), cpuSecondsOf(phase.sims.pid));
  const runner0 = process.cpuUsage();
  const slice = options.durationS / SLICES;
  for (let i = 0; i < SLICES; i++) {
    for (const t of targets) {
      await phase.sims.call('startCounting');
      const before = { target: cpuSecondsOf(t.pid), sims: cpuSecondsOf(phase.sims.pid) };
      runs.get(t)!.push(await load(t.url, connections, slice, generators.get(t)!, rate));
      cpu.set(t, cpu.get(t)! + cpuSecondsOf(t.pid) - before.target);
      simsCpu.set(t, simsCpu.get(t)! + cpuSecondsOf(phase.sims.pid) - before.sims);
      const counted = await phase.sims.call<{ nco: Counts; qliro: Counts }>('stopCounting');
      const sum = counts.get(t)!;
      for (const which of ['nco', 'qliro'] as const) for (const [k, v] of Object.entries(counted[which])) sum[which][k] = (sum[which][k] ?? 0) + v;
    }
  }
  const runner = process.cpuUsage(runner0);
  const machine1 = machineCpuSeconds();
  const ours = everyone.reduce((sum, t) => sum + cpuSecondsOf(t.pid), cpuSecondsOf(phase.sims.pid)) - ours0 + (runner.user + runner.system) / 1e6;
  const foreignCpuShare = Math.max(0, (machine1.busy - machine0.busy - ours) / Math.max(1e-9, machine1.total - machine0.total));

  return targets.map((t): Cell => {
    const result = mergeLoads(runs.get(t)!);
    const rss = samplers.get(t)!.stop();
    let note: string | undefined;
    if (result.seconds < options.durationS * 0.95) note = `request pool used up after ${result.seconds.toFixed(1)} s`;
    if (result.non2xx > 0 || result.errors > 0) note = `${note ? `${note}; ` : ''}status codes ${JSON.stringify(result.statusCodes)}, ${result.errors} errors`;
    const c = counts.get(t)!;
    return {
      latencyMs: phase.latencyMs,
      path,
      connections,
      target: t.name,
      logLevel: t.name === 'adapter' ? logLevel : '-',
      rps: result.rps,
      p50: result.p50,
      p99: result.p99,
      mean: result.mean,
      requests: result.requests,
      seconds: result.seconds,
      non2xx: result.non2xx,
      errors: result.errors,
      peakRssMb: rss.peakMb,
      cpuMsPerRequest: (cpu.get(t)! * 1000) / Math.max(1, result.requests),
      simsCpuMsPerRequest: (simsCpu.get(t)! * 1000) / Math.max(1, result.requests),
      foreignCpuShare,
      attempt,
      upstream: { nco: perRequest(c.nco, result.requests), qliro: perRequest(c.qliro, result.requests) },
      ...(rate !== undefined ? { rate } : {}),
      ...(note ? { note } : {}),
    };
  });
}

const cellLine = (c: Cell) =>
  `  ${c.target.padEnd(8)} ${c.path.padEnd(12)} ${String(c.connections).padStart(3)} conn${c.rate !== undefined ? ` @${c.rate}/s` : ''}: ${c.rps.toFixed(0).padStart(6)} rps  p50 ${c.p50.toFixed(1)} ms  p99 ${c.p99.toFixed(1)} ms  CPU ${c.cpuMsPerRequest.toFixed(2)} ms/req  RSS ${c.peakRssMb.toFixed(0)} MB  other load ${(c.foreignCpuShare * 100).toFixed(0)} %${c.note ? `  (${c.note})` : ''}`;

// ---------------------------------------------------------------------------------------------- phases

const profileDir = path.join(ROOT, 'bench', 'profiles');

async function startPhase(buildDir: string, latencyMs: number, pools: { open: number; completed: number }): Promise<Phase> {
  const sims = await startSimulators(buildDir, latencyMs);
  const adapter = await startAdapterProcess({ buildDir, ncoUrl: sims.ncoUrl, logLevel: options.logLevel, ...(options.profile ? { cpuProfDir: profileDir } : {}) });
  await sims.call('seedConfigurations', { publicUrl: adapter.url });
  const baseline = await startBaselineProcess(buildDir, sims.ncoUrl);
  const made = await createPools(sims, adapter.url, pools);
  baseline.send({ fixtures: made.fixtures });
  return { latencyMs, sims, adapter, baseline, pools: made };
}

async function stopPhase(phase: Phase): Promise<{ adapterMb: number; baselineMb: number }> {
  const adapterMb = rssOf(phase.adapter.pid)?.hwmMb ?? NaN;
  const baselineMb = rssOf(phase.baseline.pid)?.hwmMb ?? NaN;
  await Promise.all([phase.adapter.stop(), phase.baseline.stop()]);
  await phase.sims.stop();
  return { adapterMb, baselineMb };
}

async function bench(buildDir: string): Promise<BenchRun> {
  const started = Date.now();
  const cells: Cell[] = [];
  const infoCells: Cell[] = [];
  const highWater: BenchRun['highWater'][number][] = [];
  for (const latencyMs of options.latencies) {
    log(`\n== upstream latency ${latencyMs} ms: starting simulators, adapter, baseline; creating order pools`);
    const phase = await startPhase(buildDir, latencyMs, { open: 200, completed: 200 });
    try {
      // validate last: its pools replace every order in the NCO simulator.
      const order = [...options.paths].sort((a, b) => Number(a === 'validate') - Number(b === 'validate'));
      for (const path of order) {
        if (path === 'validate' && options.infoCost && latencyMs === options.latencies[0]) {
          // The cost of info request logging, before validate resets the pools the other paths use.
          await measureInfoCost(buildDir, phase, infoCells);
        }
        for (const connections of options.connections) {
          for (const cell of await measureTargets(phase, [phase.adapter, phase.baseline], path, connections, options.logLevel)) {
            cells.push(cell);
            log(cellLine(cell));
          }
        }
      }
      if (options.infoCost && latencyMs === options.latencies[0] && !options.paths.includes('validate')) await measureInfoCost(buildDir, phase, infoCells);
    } finally {
      highWater.push({ latencyMs, ...(await stopPhase(phase)) });
    }
  }
  return { date: new Date().toISOString(), machine: machine(), options: { durationS: options.durationS, warmupS: options.warmupS, connections: options.connections, latencies: options.latencies, logLevel: options.logLevel }, cells, infoCells, highWater, seconds: (Date.now() - started) / 1000 };
}

/** The adapter restarted with LOG_LEVEL=info, on two paths at 10 and 100 connections; then back to the bench level. */
async function measureInfoCost(buildDir: string, phase: Phase, into: Cell[]): Promise<void> {
  log('  -- the same adapter with LOG_LEVEL=info');
  await phase.adapter.stop();
  phase.adapter = await startAdapterProcess({ buildDir, ncoUrl: phase.sims.ncoUrl, logLevel: 'info' });
  try {
    for (const path of (['get-payment', 'push'] as const).filter((p) => options.paths.includes(p))) {
      for (const connections of options.connections.filter((c) => c >= 10)) {
        for (const cell of await measureTargets(phase, [phase.adapter], path, connections, 'info')) {
          into.push(cell);
          log(cellLine(cell));
        }
      }
    }
  } finally {
    await phase.adapter.stop();
    phase.adapter = await startAdapterProcess({ buildDir, ncoUrl: phase.sims.ncoUrl, logLevel: options.logLevel, ...(options.profile ? { cpuProfDir: profileDir } : {}) });
  }
}

// ---------------------------------------------------------------------------------------------- soak

async function soak(buildDir: string): Promise<SoakRun> {
  log(`\n== soak: ${options.soakSeconds} s of mixed traffic, ${options.soakConnections} connections, upstream latency ${options.soakLatency} ms`);
  const phase = await startPhase(buildDir, options.soakLatency, { open: 200, completed: 200 });
  try {
    const generators: Record<Exclude<PathName, 'validate'>, () => OneRequest | undefined> = {
      'get-payment': requestsFor('get-payment', phase.pools),
      'cart-changed': requestsFor('cart-changed', phase.pools),
      push: requestsFor('push', phase.pools),
    };
    // Validate orders are topped up in the background so the mix never runs dry.
    const queue: OneRequest[] = [];
    let refilling = false;
    const refill = async () => {
      if (refilling || queue.length > 3000) return;
      refilling = true;
      try {
        const next = requestsFor('validate', phase.pools, await validatePool(phase.sims, phase.pools, 4000));
        for (let r = next(); r !== undefined; r = next()) queue.push(r);
      } finally {
        refilling = false;
      }
    };
    await refill();
    const byPath: Record<string, number> = {};
    let i = 0;
    const mix: PathName[] = ['get-payment', 'cart-changed', 'push', 'validate'];
    const next = (): OneRequest => {
      let path = mix[i++ % mix.length]!;
      let request: OneRequest | undefined;
      if (path === 'validate') {
        request = queue.shift();
        if (queue.length < 3000) void refill();
        if (request === undefined) path = 'get-payment';
      }
      request ??= generators[path as Exclude<PathName, 'validate'>]()!;
      byPath[path] = (byPath[path] ?? 0) + 1;
      return request;
    };
    const sampler = new RssSampler(phase.adapter.pid, 1000);
    const progress = setInterval(() => {
      const last = sampler.samples[sampler.samples.length - 1];
      if (last) log(`  ${(last.atMs / 1000).toFixed(0).padStart(4)} s  adapter RSS ${last.rssMb.toFixed(1)} MB`);
    }, 15_000);
    const result = await load(phase.adapter.url, options.soakConnections, options.soakSeconds, next);
    clearInterval(progress);
    sampler.stop();
    const rss = sampler.samples.map((s) => ({ atS: s.atMs / 1000, mb: s.rssMb }));
    const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / Math.max(1, xs.length);
    const total = options.soakSeconds;
    const warmMb = mean(rss.filter((s) => s.atS >= total * 0.15 && s.atS <= total * 0.25).map((s) => s.mb));
    const finalMb = mean(rss.filter((s) => s.atS >= total * 0.9).map((s) => s.mb));
    return {
      date: new Date().toISOString(),
      machine: machine(),
      seconds: result.seconds,
      latencyMs: options.soakLatency,
      connections: options.soakConnections,
      logLevel: options.logLevel,
      requests: result.requests,
      byPath,
      rps: result.rps,
      non2xx: result.non2xx,
      errors: result.errors,
      p50: result.p50,
      p99: result.p99,
      rss,
      warmMb,
      finalMb,
      peakMb: Math.max(...rss.map((s) => s.mb)),
      growth: finalMb / warmMb - 1,
    };
  } finally {
    await stopPhase(phase);
  }
}

// ---------------------------------------------------------------------------------------------- main

const readJson = <T>(file: string): T | undefined => (fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, 'utf8')) as T) : undefined);

async function main(): Promise<void> {
  const buildDir = options.reportOnly ? '' : (log('transpiling src/, sandbox/, bench/ for the child processes …'), transpileForChildren());
  if (options.profile) fs.mkdirSync(profileDir, { recursive: true });
  let run = readJson<BenchRun>(RUN_FILE);
  let soakRun = readJson<SoakRun>(SOAK_FILE);
  if (options.reportOnly) {
    // BENCHMARKS.md again from the recorded results (after a change of the report's wording or analysis).
  } else if (options.soak) {
    soakRun = await soak(buildDir);
    log(`\nsoak: ${soakRun.requests} requests, ${soakRun.rps.toFixed(0)} rps, non-2xx ${soakRun.non2xx}, RSS warm ${soakRun.warmMb.toFixed(1)} MB → final ${soakRun.finalMb.toFixed(1)} MB (peak ${soakRun.peakMb.toFixed(1)} MB): growth ${(soakRun.growth * 100).toFixed(1)} %`);
    if (options.write) {
      fs.mkdirSync(RESULTS_DIR, { recursive: true });
      fs.writeFileSync(SOAK_FILE, `${JSON.stringify(soakRun, null, 2)}\n`);
    }
  } else {
    run = await bench(buildDir);
    log(terminalTable(run));
    const v = verdicts(run);
    log(
      `\ntargets: throughput ≥ 0.8× ${v.throughput.met ? 'met' : 'MISSED'} (lowest ${v.throughput.worst?.ratio.toFixed(2)} ${v.throughput.worst?.path} ${v.throughput.worst?.connections} conn ${v.throughput.worst?.latencyMs} ms); ` +
        `p99 added ≤ 5 ms at 100 conn ${v.p99.met ? 'met' : 'MISSED'} (largest ${v.p99.worst?.addedP99.toFixed(1)} ms ${v.p99.worst?.path} ${v.p99.worst?.latencyMs} ms); ` +
        `RSS ≤ 150 MB ${v.rss.met ? 'met' : 'MISSED'} (peak ${v.rss.peakMb.toFixed(0)} MB)`,
    );
    if (options.write) {
      fs.mkdirSync(RESULTS_DIR, { recursive: true });
      fs.writeFileSync(RUN_FILE, `${JSON.stringify(run, null, 2)}\n`);
    }
  }
  if (options.write) {
    const existing = fs.existsSync(REPORT_FILE) ? fs.readFileSync(REPORT_FILE, 'utf8') : undefined;
    fs.writeFileSync(REPORT_FILE, markdown(run, soakRun, keptAnalysis(existing)) + keptChaosSection(existing));
    log(`\nwrote ${path.relative(ROOT, REPORT_FILE)}${options.reportOnly ? '' : ` and ${path.relative(ROOT, RESULTS_DIR)}/`}`);
  }
  if (options.profile) log(`CPU profiles of the adapter: ${path.relative(ROOT, profileDir)}/ (summarise: node -r ts-node/register/transpile-only bench/profile-summary.ts <file>)`);
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    console.error(`bench failed: ${(e as Error)?.stack ?? String(e)}`);
    process.exit(1);
  },
);
