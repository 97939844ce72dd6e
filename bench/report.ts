// Tables for the terminal and BENCHMARKS.md, and the targets of issue 6 checked against the figures.
import type { PathName } from './scenarios';
import { PATHS, PATH_NOTES } from './scenarios';

export type Counts = Record<string, number>;

export interface Cell {
  readonly latencyMs: number;
  readonly path: PathName;
  readonly connections: number;
  readonly target: 'adapter' | 'baseline';
  readonly logLevel: string;
  readonly rps: number;
  readonly p50: number;
  readonly p99: number;
  readonly mean: number;
  readonly requests: number;
  readonly seconds: number;
  readonly non2xx: number;
  readonly errors: number;
  readonly peakRssMb: number;
  /** CPU time of the measured process (adapter or baseline) per answered request, from /proc. */
  readonly cpuMsPerRequest: number;
  /** CPU time of the simulators per answered request. */
  readonly simsCpuMsPerRequest: number;
  /** Share of the machine's CPU used by processes other than the bench's own during the cell (other users). */
  readonly foreignCpuShare: number;
  /** 1, or 2 when the cell was measured again because other processes disturbed it. */
  readonly attempt: number;
  /** Requests per second over all connections when the load was capped (below saturation); absent = as fast as answered. */
  readonly rate?: number;
  /** Upstream requests per answered request, by kind (from the simulators' servers). */
  readonly upstream: { readonly nco: Counts; readonly qliro: Counts };
  readonly note?: string;
}

export interface Machine {
  readonly cpus: number;
  readonly cpuModel: string;
  readonly node: string;
  readonly platform: string;
  readonly memoryGb: number;
}

export interface BenchRun {
  readonly date: string;
  readonly machine: Machine;
  readonly options: { readonly durationS: number; readonly warmupS: number; readonly connections: number[]; readonly latencies: number[]; readonly logLevel: string };
  readonly cells: Cell[];
  /** The same cells with LOG_LEVEL=info (adapter only), when measured. */
  readonly infoCells: Cell[];
  /** VmHWM of each child at its end (MB), per latency. */
  readonly highWater: { readonly latencyMs: number; readonly adapterMb: number; readonly baselineMb: number }[];
  readonly seconds: number;
}

export interface SoakRun {
  readonly date: string;
  readonly machine: Machine;
  readonly seconds: number;
  readonly latencyMs: number;
  readonly connections: number;
  readonly logLevel: string;
  readonly requests: number;
  readonly byPath: Record<string, number>;
  readonly rps: number;
  readonly non2xx: number;
  readonly errors: number;
  readonly p50: number;
  readonly p99: number;
  /** One sample per second: elapsed s, RSS MB. */
  readonly rss: { readonly atS: number; readonly mb: number }[];
  readonly warmMb: number;
  readonly finalMb: number;
  readonly peakMb: number;
  readonly growth: number;
}

const f0 = (n: number) => (Number.isFinite(n) ? n.toFixed(0) : '–');
const f1 = (n: number) => (Number.isFinite(n) ? n.toFixed(1) : '–');
const f2 = (n: number) => (Number.isFinite(n) ? n.toFixed(2) : '–');

export interface Pair {
  readonly latencyMs: number;
  readonly rate: number | undefined;
  readonly path: PathName;
  readonly connections: number;
  readonly adapter: Cell;
  readonly baseline: Cell;
  readonly ratio: number;
  readonly addedP99: number;
  readonly addedP50: number;
}

export function pairs(run: BenchRun): Pair[] {
  const out: Pair[] = [];
  for (const a of run.cells.filter((c) => c.target === 'adapter')) {
    const b = run.cells.find((c) => c.target === 'baseline' && c.latencyMs === a.latencyMs && c.path === a.path && c.connections === a.connections && c.rate === a.rate);
    if (!b) continue;
    out.push({ latencyMs: a.latencyMs, rate: a.rate, path: a.path, connections: a.connections, adapter: a, baseline: b, ratio: a.rps / b.rps, addedP99: a.p99 - b.p99, addedP50: a.p50 - b.p50 });
  }
  return out;
}

export const TARGETS = { ratio: 0.8, addedP99Ms: 5, rssMb: 150, soakGrowth: 0.1 } as const;

export interface Verdicts {
  readonly throughput: { readonly met: boolean; readonly worst?: Pair };
  /** At 100 connections as fast as answered (saturated) … */
  readonly p99: { readonly met: boolean; readonly worst?: Pair };
  /** … and at 100 connections at a fixed rate below saturation. */
  readonly p99Rated: { readonly met: boolean; readonly worst?: Pair };
  readonly rss: { readonly met: boolean; readonly peakMb: number };
}

export function verdicts(run: BenchRun): Verdicts {
  const all = pairs(run);
  const open = all.filter((p) => p.rate === undefined);
  const worstRatio = [...open].sort((x, y) => x.ratio - y.ratio)[0];
  const at100 = open.filter((p) => p.connections === 100);
  const worstP99 = [...at100].sort((x, y) => y.addedP99 - x.addedP99)[0];
  const rated = all.filter((p) => p.rate !== undefined && p.connections === 100);
  const worstRated = [...rated].sort((x, y) => y.addedP99 - x.addedP99)[0];
  const peakMb = Math.max(...run.cells.filter((c) => c.target === 'adapter').map((c) => c.peakRssMb), ...run.highWater.map((h) => h.adapterMb));
  return {
    throughput: { met: open.every((p) => p.ratio >= TARGETS.ratio), ...(worstRatio ? { worst: worstRatio } : {}) },
    p99: { met: at100.every((p) => p.addedP99 <= TARGETS.addedP99Ms), ...(worstP99 ? { worst: worstP99 } : {}) },
    p99Rated: { met: rated.every((p) => p.addedP99 <= TARGETS.addedP99Ms), ...(worstRated ? { worst: worstRated } : {}) },
    rss: { met: peakMb <= TARGETS.rssMb, peakMb },
  };
}

const pad = (s: string, n: number) => (s.length >= n ? s : s + ' '.repeat(n - s.length));
const lpad = (s: string, n: number) => (s.length >= n ? s : ' '.repeat(n - s.length) + s);

/** The terminal table: one row per path and concurrency, per latency. */
export function terminalTable(run: BenchRun): string {
  const lines: string[] = [];
  for (const latency of run.options.latencies) {
    lines.push('', `upstream latency ${latency} ms`);
    lines.push(
      [pad('path', 13), lpad('conn', 8), lpad('adapter rps', 12), lpad('base rps', 10), lpad('ratio', 6), lpad('a p50', 7), lpad('a p99', 7), lpad('b p50', 7), lpad('b p99', 7), lpad('+p99', 6), lpad('a CPU', 6), lpad('b CPU', 6), lpad('a RSS', 6), lpad('b RSS', 6)].join(' '),
    );
    for (const p of pairs(run).filter((x) => x.latencyMs === latency)) {
      lines.push(
        [
          pad(p.path, 13),
          lpad(p.rate !== undefined ? `${p.connections}@${p.rate}` : String(p.connections), 8),
          lpad(f0(p.adapter.rps), 12),
          lpad(f0(p.baseline.rps), 10),
          lpad(f2(p.ratio), 6),
          lpad(f1(p.adapter.p50), 7),
          lpad(f1(p.adapter.p99), 7),
          lpad(f1(p.baseline.p50), 7),
          lpad(f1(p.baseline.p99), 7),
          lpad(f1(p.addedP99), 6),
          lpad(f2(p.adapter.cpuMsPerRequest), 6),
          lpad(f2(p.baseline.cpuMsPerRequest), 6),
          lpad(f0(p.adapter.peakRssMb), 6),
          lpad(f0(p.baseline.peakRssMb), 6),
        ].join(' ') + (p.adapter.non2xx + p.baseline.non2xx + p.adapter.errors + p.baseline.errors > 0 ? '  (!) non-2xx/errors' : ''),
      );
    }
  }
  return lines.join('\n');
}

const upstreamText = (cell: Cell) =>
  [...Object.entries(cell.upstream.nco).map(([k, v]) => `NCO ${k} ×${f2(v)}`), ...Object.entries(cell.upstream.qliro).map(([k, v]) => `Qliro ${k} ×${f2(v)}`)].join(', ') || '—';

const yes = (met: boolean) => (met ? '**met**' : '**missed**');

export function markdown(run: BenchRun | undefined, soak: SoakRun | undefined, analysis: string): string {
  const out: string[] = [];
  out.push('# Benchmarks', '');
  out.push('Generated by `npm run bench` (figures) and `npm run bench:soak` (soak) from `bench/results/*.json`; the prose');
  out.push('sections between the markers are kept. Never edit the figures by hand: re-run the bench.', '');
  if (run) {
    const m = run.machine;
    out.push('## Machine', '');
    out.push(`| | |`, `|---|---|`);
    out.push(`| CPU | ${m.cpus} cores, ${m.cpuModel} |`, `| memory | ${m.memoryGb} GB |`, `| Node.js | ${m.node} (${m.platform}) |`, `| date | ${run.date} |`, `| bench run time | ${f0(run.seconds)} s |`, '');
    out.push('## Method', '');
    out.push(
      `- Three processes beside the bench runner (all children of it, loopback only): the **simulators** (NCO + Qliro, one process), the **adapter** (the production entry point \`src/infrastructure/main.ts\`, transpiled to JavaScript, configured by environment as in production: Configuration API of the NCO simulator, \`CONFIG_CACHE_TTL_MS\` default 30 s, \`LOG_LEVEL=${run.options.logLevel}\`, stdout to /dev/null) and the **baseline** (\`bench/baseline.ts\`).`,
      '- **Baseline**: a minimal Koa server on the same paths that makes the same upstream calls with the same clients (`HttpNorceOrderRepository`, `HttpConfigurationRepository` with the same 30 s cache, `HttpQliroGateway`, one `KeepAliveAgents` per upstream) and answers a constant; no router, auth, body parsing, use cases, mapping, metrics or logging. adapter ÷ baseline isolates the adapter\'s own cost. The upstream calls per request of both are counted by the simulators during every cell and listed below: they are the same.',
      `- **Load**: autocannon in the runner process, keep-alive connections, at ${run.options.connections.join(', ')} connections. Per path and concurrency: a ${run.options.warmupS} s warm-up of each (not counted), then ${run.options.durationS} s measured for each, cut in slices that alternate between adapter and baseline (A B A B), never both at once, so load from other processes on a shared machine falls on both alike. Latency percentiles are computed from every response time (sub-millisecond). Upstream latency: ${run.options.latencies.map((l) => `${l} ms`).join(' and ')} added by the simulators before every answer (\`latencyMs\` option).`,
      '- **RSS**: `VmRSS` of the child from `/proc/<pid>/status`, sampled every 100 ms during the cell (peak shown), and the process\'s `VmHWM` at its end.',
      '- The simulators and the load generator share the 2 cores with the adapter (or baseline): where the upstream latency does not bound the throughput (0 ms; 20 ms at 100 connections) the whole machine is CPU-bound, and throughput follows the CPU each request costs all processes together. Absolute figures are low for that reason; the ratios are what the targets are about.',
      '',
      '| path | what is measured |',
      '|---|---|',
      ...PATHS.map((p) => `| \`${p}\` | ${PATH_NOTES[p]} |`),
      '',
    );
    const v = verdicts(run);
    out.push('## Targets', '');
    out.push('| target | result |', '|---|---|');
    out.push(
      `| throughput ≥ ${TARGETS.ratio} × baseline on every hot path (every latency and concurrency) | ${yes(v.throughput.met)}: lowest ratio ${f2(v.throughput.worst?.ratio ?? NaN)} (${v.throughput.worst?.path}, ${v.throughput.worst?.connections} conn, ${v.throughput.worst?.latencyMs} ms) |`,
    );
    out.push(
      `| p99 added over the baseline ≤ ${TARGETS.addedP99Ms} ms at 100 connections, as fast as answered (saturated) | ${yes(v.p99.met)}: largest ${f1(v.p99.worst?.addedP99 ?? NaN)} ms (${v.p99.worst?.path}, ${v.p99.worst?.latencyMs} ms) |`,
    );
    if (v.p99Rated.worst) {
      out.push(
        `| p99 added over the baseline ≤ ${TARGETS.addedP99Ms} ms at 100 connections, at a fixed rate below saturation | ${yes(v.p99Rated.met)}: largest ${f1(v.p99Rated.worst.addedP99)} ms (${v.p99Rated.worst.path}, ${v.p99Rated.worst.latencyMs} ms, ${v.p99Rated.worst.rate}/s) |`,
      );
    }
    out.push(`| adapter RSS ≤ ${TARGETS.rssMb} MB | ${yes(v.rss.met)}: peak ${f0(v.rss.peakMb)} MB |`);
    if (soak) out.push(`| no RSS growth beyond ${TARGETS.soakGrowth * 100} % over the soak | ${yes(soak.growth <= TARGETS.soakGrowth)}: ${(soak.growth * 100).toFixed(1)} % over ${f0(soak.seconds)} s |`);
    else out.push('| no RSS growth beyond 10 % over the soak | not run yet (`npm run bench:soak`) |');
    out.push('');
    out.push('## Figures', '');
    out.push(
      'rps = answered requests per second; latencies in ms; +p99 = adapter p99 − baseline p99; CPU = CPU time of the adapter (baseline) process per request in ms, from /proc (the least noisy figure on a shared machine); RSS = peak MB during the cell; other = CPU share of the machine taken by processes outside the bench during the cell (a disturbed cell, > 15 %, is measured once more and the less disturbed kept; at most 8 repeats per run).',
      '',
    );
    for (const latency of run.options.latencies) {
      out.push(`### Upstream latency ${latency} ms`, '');
      out.push('| path | conn | adapter rps | baseline rps | ratio | adapter p50 / p99 | baseline p50 / p99 | +p99 | CPU ms/req adapter / baseline | adapter RSS | baseline RSS | other |');
      out.push('|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
      for (const p of pairs(run).filter((x) => x.latencyMs === latency)) {
        const flag = p.adapter.non2xx + p.baseline.non2xx + p.adapter.errors + p.baseline.errors > 0 ? ' ⚠' : '';
        out.push(
          `| ${p.path}${flag} | ${p.rate !== undefined ? `${p.connections} @ ${p.rate}/s` : p.connections} | ${f0(p.adapter.rps)} | ${f0(p.baseline.rps)} | ${f2(p.ratio)} | ${f1(p.adapter.p50)} / ${f1(p.adapter.p99)} | ${f1(p.baseline.p50)} / ${f1(p.baseline.p99)} | ${f1(p.addedP99)} | ${f2(p.adapter.cpuMsPerRequest)} / ${f2(p.baseline.cpuMsPerRequest)} | ${f0(p.adapter.peakRssMb)} | ${f0(p.baseline.peakRssMb)} | ${f0(Math.max(p.adapter.foreignCpuShare, p.baseline.foreignCpuShare) * 100)} % |`,
        );
      }
      const hw = run.highWater.find((h) => h.latencyMs === latency);
      if (hw) out.push('', `High-water RSS (VmHWM) at the end of this phase: adapter ${f0(hw.adapterMb)} MB, baseline ${f0(hw.baselineMb)} MB.`);
      out.push('');
    }
    const notes = run.cells.filter((c) => c.note);
    if (notes.length > 0) out.push('Notes:', ...notes.map((c) => `- ${c.target} ${c.path} ${c.connections} conn ${c.latencyMs} ms: ${c.note}`), '');
    out.push('### Upstream calls per request (counted by the simulators)', '');
    out.push('| path | adapter | baseline |', '|---|---|---|');
    for (const path of PATHS) {
      const a = run.cells.find((c) => c.target === 'adapter' && c.path === path && c.connections === 10 && c.latencyMs === run.options.latencies[0]);
      const b = run.cells.find((c) => c.target === 'baseline' && c.path === path && c.connections === 10 && c.latencyMs === run.options.latencies[0]);
      if (a && b) out.push(`| ${path} | ${upstreamText(a)} | ${upstreamText(b)} |`);
    }
    out.push(
      '',
      '(10 connections, first latency. The configuration read shows as a fraction: cached for 30 s in both. Slightly above 1 because calls of requests still in flight when a slice ends are counted and their answers are not.)',
      '',
    );
    if (run.infoCells.length > 0) {
      out.push('### Cost of `info` request logging', '');
      out.push(`The adapter again with \`LOG_LEVEL=info\` (one JSON line per request, synchronous, to /dev/null), against the \`${run.options.logLevel}\` figures above:`, '');
      out.push('| path | conn | latency | rps warn → info | change | p99 warn → info | CPU ms/req warn → info |', '|---|---:|---:|---:|---:|---:|---:|');
      for (const i of run.infoCells) {
        const w = run.cells.find((c) => c.target === 'adapter' && c.path === i.path && c.connections === i.connections && c.latencyMs === i.latencyMs);
        if (w) out.push(`| ${i.path} | ${i.connections} | ${i.latencyMs} ms | ${f0(w.rps)} → ${f0(i.rps)} | ${(((i.rps - w.rps) / w.rps) * 100).toFixed(1)} % | ${f1(w.p99)} → ${f1(i.p99)} | ${f2(w.cpuMsPerRequest)} → ${f2(i.cpuMsPerRequest)} |`);
      }
      out.push('');
    }
  }
  if (soak) {
    out.push('## Soak', '');
    out.push(
      `\`npm run bench:soak\`: ${f0(soak.seconds)} s of mixed traffic (round robin over ${Object.keys(soak.byPath).join(', ')}) at ${soak.connections} connections, upstream latency ${soak.latencyMs} ms, \`LOG_LEVEL=${soak.logLevel}\`, run ${soak.date} on ${soak.machine.cpus} × ${soak.machine.cpuModel}, Node ${soak.machine.node}.`,
      '',
      `| requests | rps | p50 / p99 ms | non-2xx | errors | RSS warm | RSS final | RSS peak | growth |`,
      `|---:|---:|---:|---:|---:|---:|---:|---:|---:|`,
      `| ${soak.requests} | ${f0(soak.rps)} | ${f1(soak.p50)} / ${f1(soak.p99)} | ${soak.non2xx} | ${soak.errors} | ${f1(soak.warmMb)} MB | ${f1(soak.finalMb)} MB | ${f1(soak.peakMb)} MB | ${(soak.growth * 100).toFixed(1)} % |`,
      '',
      `Requests per path: ${Object.entries(soak.byPath).map(([k, v]) => `${k} ${v}`).join(', ')}. RSS warm = mean of the samples between 15 % and 25 % of the run (after warm-up), final = mean of the last 10 %; growth = final ÷ warm − 1.`,
      '',
      'RSS over time (MB, one sample every ~10 % of the run): ' +
        soak.rss
          .filter((_, i, all) => i % Math.max(1, Math.floor(all.length / 10)) === 0 || i === all.length - 1)
          .filter((sample, i, picked) => i === 0 || Math.round(sample.atS) !== Math.round(picked[i - 1]!.atS))
          .map((s) => `${f0(s.atS)} s ${f1(s.mb)}`)
          .join(' · '),
      '',
    );
  }
  out.push('<!-- analysis:start -->', analysis.trim(), '<!-- analysis:end -->', '');
  return out.join('\n');
}

/** The hand-written analysis between the markers of an existing BENCHMARKS.md. */
export function keptAnalysis(existing: string | undefined): string {
  const m = existing ? /<!-- analysis:start -->([\s\S]*?)<!-- analysis:end -->/.exec(existing) : null;
  return m?.[1]?.trim() ?? '## Analysis\n\n(To be written after a run: where targets are missed, why, and what was changed.)';
}

/** The chaos run's section (`npm run chaos -- --record` writes it): kept as it is when the bench rewrites the file. */
export function keptChaosSection(existing: string | undefined): string {
  const at = existing?.indexOf('\n## Chaos') ?? -1;
  return existing && at >= 0 ? `\n${existing.slice(at + 1).trimEnd()}\n` : '';
}
