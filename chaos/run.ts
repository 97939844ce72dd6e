// `npm run chaos [-- --seed N --orders 60 --concurrency 10 --duration 120 --in-process --late-writes --verbose --record]`:
// many concurrent checkouts through two adapter replicas behind a round-robin proxy while the simulators inject
// faults; prints the summary and exits 1 when an invariant is violated. See README "Chaos run".
import 'reflect-metadata';
import path from 'node:path';
import { runChaos } from './engine';
import { benchmarksBlock, formatReport, recordInBenchmarks } from './report';

function parseArgs(argv: readonly string[]) {
  const args = { seed: Math.floor(Date.now() % 1_000_000), orders: 60, concurrency: 10, duration: 120, inProcess: false, verbose: false, record: false, lateWrites: false };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i]!;
    const value = () => {
      const v = Number(argv[++i]);
      if (!Number.isInteger(v) || v < 0) throw new Error(`${flag} needs a whole number`);
      return v;
    };
    if (flag === '--seed') args.seed = value();
    else if (flag === '--orders') args.orders = value();
    else if (flag === '--concurrency') args.concurrency = Math.max(1, value());
    else if (flag === '--duration') args.duration = value();
    else if (flag === '--in-process') args.inProcess = true;
    else if (flag === '--verbose') args.verbose = true;
    else if (flag === '--record') args.record = true;
    else if (flag === '--late-writes') args.lateWrites = true;
    else throw new Error(`unknown flag ${flag} (use --seed, --orders, --concurrency, --duration <s>, --in-process, --late-writes, --verbose, --record)`);
  }
  if (args.duration > 120) throw new Error('--duration is at most 120 s (the run is bounded)');
  if (args.duration < 20) throw new Error('--duration is at least 20 s');
  return args;
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  console.log(`chaos: seed ${args.seed} (replay with --seed ${args.seed})`);
  const result = await runChaos({
    seed: args.seed,
    orders: args.orders,
    concurrency: args.concurrency,
    durationMs: args.duration * 1000,
    replicaMode: args.inProcess ? 'in-process' : 'process',
    lateWrites: args.lateWrites,
    log: (line) => console.log(line),
  });
  console.log(formatReport(result, { verbose: args.verbose }));
  if (args.record) {
    const file = path.resolve(__dirname, '..', 'BENCHMARKS.md');
    recordInBenchmarks(file, benchmarksBlock(result));
    console.log(`recorded in ${file} (section "Chaos")`);
  }
  process.exitCode = result.violations === 0 ? 0 : 1;
}

main().catch((e: unknown) => {
  console.error(`chaos run failed: ${(e as Error).stack ?? String(e)}`);
  process.exit(2);
});
