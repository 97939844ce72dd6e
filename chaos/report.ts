// The chaos run's summary: what was run, faults by kind, retries, the proxy's view, one line per invariant, and the
// trail of every order that took part in a violation. Also the short block kept in BENCHMARKS.md under "Chaos".
import fs from 'node:fs';
import { QLIRO_FACING } from './proxy';
import type { ChaosResult } from './engine';
import { describeFault } from './driver';

const join = (entries: Record<string, number>): string =>
  Object.entries(entries)
    .filter(([, n]) => n > 0)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, n]) => `${k} ${n}`)
    .join(' · ') || 'none';

export function formatReport(result: ChaosResult, options: { readonly verbose?: boolean } = {}): string {
  const o = result.options;
  const lines: string[] = [];
  const orders = result.records;
  const reached: Record<string, number> = {};
  for (const r of orders) reached[r.reached] = (reached[r.reached] ?? 0) + 1;
  const gaveUp = orders.filter((r) => r.gaveUp);
  lines.push(`chaos: seed=${o.seed} orders=${o.orders} concurrency=${o.concurrency} replicas=${o.replicas} (${o.replicaMode}) budget=${Math.round(o.durationMs / 1000)} s${o.lateWrites ? ' late-writes' : ''}`);
  lines.push(`  timeouts: QLIRO_TIMEOUT_MS=${o.qliroTimeoutMs} NORCE_TIMEOUT_MS=${o.norceTimeoutMs}; start-up ${(result.startupMs / 1000).toFixed(1)} s, run ${(result.durationMs / 1000).toFixed(1)} s`);
  lines.push(`  orders driven: ${orders.length}/${o.orders}; furthest step: ${join(reached)}; driver gave up: ${gaveUp.length}`);
  lines.push(`  faults injected: ${join(result.counters.faults as unknown as Record<string, number>)} (NCO faults never hit: ${result.ncoFaultsUnused}/${result.counters.ncoArmed})`);
  lines.push(`  upstream failures the replicas saw: ${join(result.observedUpstreamFailures)}`);
  lines.push(`  caller retries: ${join(result.counters.retries)}`);
  lines.push(`  Qliro callbacks handled: ${join(result.callbacks)}`);
  const perReplica: Record<string, number> = {};
  const statuses: Record<string, Record<string, number>> = {};
  for (const r of result.requests) {
    perReplica[`replica${r.replica}`] = (perReplica[`replica${r.replica}`] ?? 0) + 1;
    (statuses[r.kind] ??= {})[String(r.status)] = (statuses[r.kind]![String(r.status)] ?? 0) + 1;
  }
  lines.push(`  proxy: ${result.requests.length} requests, ${join(perReplica)}`);
  for (const [kind, byStatus] of Object.entries(statuses).sort(([a], [b]) => a.localeCompare(b))) {
    lines.push(`    ${QLIRO_FACING.has(kind as never) ? 'qliro-facing' : 'norce-facing'} ${kind}: ${join(byStatus)}`);
  }
  const split = (kind: string) => {
    const replicasByPath = new Map<string, Set<number>>();
    for (const r of result.requests) if (r.kind === kind) (replicasByPath.get(r.path) ?? replicasByPath.set(r.path, new Set()).get(r.path)!).add(r.replica);
    return [...replicasByPath.values()].filter((s) => s.size > 1).length;
  };
  lines.push(`  same URL served by both replicas: push ${split('push')} orders, status ${split('status')}, capture ${split('capture')}, refund ${split('refund')}, refresh ${split('refresh')}`);
  for (const inv of result.invariants) {
    lines.push(`invariant ${inv.name}: ${inv.violations.length === 0 ? 'holds' : `VIOLATED ${inv.violations.length}×`} (${inv.checked} checked) — ${inv.description}`);
    for (const v of inv.violations.slice(0, 20)) lines.push(`    ✗ ${v}`);
    if (inv.violations.length > 20) lines.push(`    … ${inv.violations.length - 20} more`);
  }
  const involved = new Set(result.invariants.flatMap((i) => i.violations).flatMap((v) => [...v.matchAll(/Norce order (\w+)/g)].map((m) => m[1]!)));
  const shown = orders.filter((r) => options.verbose || (r.orderId && involved.has(r.orderId)) || r.gaveUp);
  if (shown.length > 0) lines.push(options.verbose ? 'orders:' : 'orders involved in a violation, or given up by the driver:');
  for (const r of shown) {
    const p = r.plan;
    lines.push(
      `  #${p.index} Norce ${r.orderId ?? '-'} payment ${r.paymentId ?? '-'} Qliro ${r.qliroOrderId ?? '-'}: ${p.channel} ${p.outcome}${p.cartChange ? ' +cart' : ''}` +
        ` captures×${p.parallelCaptures} ${p.refund ? `refunds×${p.parallelRefunds}` : 'no refund'} capture-push ${p.capturePush} refund-push ${p.refundPush}` +
        `${p.captureOutcomeError ? ' capture-Error' : ''} push-dups ${p.checkoutPushDuplicates}${p.reorderCheckoutPushes ? ' reordered' : ''}; reached ${r.reached}${r.gaveUp ? `; GAVE UP: ${r.gaveUp}` : ''}`,
    );
    if (p.faults.length > 0) lines.push(`      faults: ${p.faults.map((f) => `${f.step}: ${describeFault(f.fault)}`).join(', ')}`);
    const trail = r.orderId ? result.trails[r.orderId] : undefined;
    if (trail && !options.verbose) for (const t of trail) lines.push(`      ${t}`);
    else for (const n of r.notes) lines.push(`      ${n.text}`);
  }
  if (result.violations > 0) lines.push(`replica logs: ${result.replicaLogs.join(' | ')}`);
  lines.push(
    result.violations === 0
      ? `result: all ${result.invariants.length} invariants hold (seed ${o.seed}, ${(result.durationMs / 1000).toFixed(1)} s)`
      : `result: ${result.violations} violation(s) — replay with: npm run chaos -- --seed ${o.seed} --orders ${o.orders} --concurrency ${o.concurrency}${o.lateWrites ? ' --late-writes' : ''}`,
  );
  return lines.join('\n');
}

/** The block kept in BENCHMARKS.md (between markers, under "## Chaos"), replaced on each recorded run. */
export function benchmarksBlock(result: ChaosResult, when = new Date()): string {
  const o = result.options;
  const inv = result.invariants.map((i) => `- \`${i.name}\`: ${i.violations.length === 0 ? 'holds' : `**violated ${i.violations.length}×**`} (${i.checked} checked)`);
  return [
    `Latest recorded run (${when.toISOString().slice(0, 10)}, \`npm run chaos -- --seed ${o.seed} --orders ${o.orders} --concurrency ${o.concurrency}${o.lateWrites ? ' --late-writes' : ''}\`):`,
    '',
    `- seed ${o.seed}, ${o.orders} orders (${result.records.length} driven, ${result.records.filter((r) => r.gaveUp).length} given up by the driver), concurrency ${o.concurrency}, ${o.replicas} adapter replicas (${o.replicaMode}) behind a round-robin proxy, run ${(result.durationMs / 1000).toFixed(1)} s`,
    `- faults injected: ${join(result.counters.faults as unknown as Record<string, number>)}`,
    `- upstream failures the replicas saw: ${join(result.observedUpstreamFailures)}`,
    ...inv,
    `- result: ${result.violations === 0 ? 'all invariants hold' : `${result.violations} violation(s)`}`,
  ].join('\n');
}

const BEGIN = '<!-- chaos:begin (written by `npm run chaos -- --record`) -->';
const END = '<!-- chaos:end -->';

/** Replaces (or appends) the chaos block of BENCHMARKS.md; the rest of the file is left as it is. */
export function recordInBenchmarks(file: string, block: string): void {
  const current = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '# Benchmarks\n';
  const section = `${BEGIN}\n${block}\n${END}`;
  const start = current.indexOf(BEGIN);
  const stop = current.indexOf(END);
  let next: string;
  if (start >= 0 && stop > start) next = `${current.slice(0, start)}${section}${current.slice(stop + END.length)}`;
  else if (/^## Chaos\s*$/m.test(current)) next = current.replace(/^## Chaos\s*$/m, `## Chaos\n\n${section}`);
  else next = `${current.replace(/\s*$/, '')}\n\n## Chaos\n\n${section}\n`;
  fs.writeFileSync(file, next);
}
