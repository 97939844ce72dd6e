// What does one feature of the adapter cost? Runs the adapter next to copies of it with one thing switched off in the
// transpiled JavaScript (the source is never touched), on one path, alternating for several rounds, and prints the
// adapter process's CPU time per request (from /proc) for each. With `taskset` present the measured process gets
// core 0 to itself and the runner and simulators share core 1, so preemption does not blur the figures.
//
//   node -r ts-node/register/transpile-only bench/ab.ts --path=get-payment --variants=als,metrics [--rounds=5]
//
// Variants: als (no AsyncLocalStorage: no correlation id in logs and upstream headers), metrics (no request and
// upstream histograms). A variant whose patch no longer applies to the source stops the run with a message.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { transpileForChildren } from './build';
import { cpuSecondsOf, load, startAdapterProcess, startBaselineProcess, startSimulators, type Target } from './harness';
import { createPools, requestsFor, validatePool, PATHS, type PathName } from './scenarios';

const PATCHES: Record<string, readonly (readonly [file: string, from: string, to: string])[]> = {
  als: [['src/infrastructure/request-context.js', 'return storage.run(context, fn);', 'return fn();']],
  metrics: [
    ['src/infrastructure/metrics.js', 'httpRequestDuration.observe({', 'void ({'],
    ['src/infrastructure/metrics.js', 'upstreamRequestDuration.observe({', 'void ({'],
  ],
};

const arg = (name: string, fallback: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? fallback;

function pin(pid: number, core: number): boolean {
  try {
    execFileSync('taskset', ['-a', '-pc', String(core), String(pid)], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

async function main(): Promise<void> {
  const pathName = arg('path', 'get-payment') as PathName;
  if (!(PATHS as readonly string[]).includes(pathName)) throw new Error(`unknown path ${pathName}`);
  const variants = arg('variants', 'als,metrics').split(',').filter((v) => v !== '');
  const rounds = Number(arg('rounds', '5'));
  const seconds = Number(arg('seconds', '3'));
  const connections = Number(arg('connections', '10'));
  const pinned = pin(process.pid, 1);

  const build = transpileForChildren();
  const builds: Record<string, string> = { adapter: build };
  for (const variant of variants) {
    const patches = PATCHES[variant];
    if (!patches) throw new Error(`unknown variant ${variant} (known: ${Object.keys(PATCHES).join(', ')})`);
    const dir = `${build}-ab-${variant}`;
    fs.rmSync(dir, { recursive: true, force: true });
    fs.cpSync(build, dir, { recursive: true });
    for (const [file, from, to] of patches) {
      const full = path.join(dir, file);
      const text = fs.readFileSync(full, 'utf8');
      if (!text.includes(from)) throw new Error(`variant ${variant}: the patch of ${file} no longer applies (the source changed)`);
      fs.writeFileSync(full, text.split(from).join(to));
    }
    builds[`without ${variant}`] = dir;
  }

  const sims = await startSimulators(build, 0);
  const setup = await startAdapterProcess({ buildDir: build, ncoUrl: sims.ncoUrl, logLevel: 'warn' });
  await sims.call('seedConfigurations', { publicUrl: setup.url });
  const pools = await createPools(sims, setup.url, { open: 100, completed: 100 });
  await setup.stop();
  const targets: Record<string, Target> = { baseline: await startBaselineProcess(build, sims.ncoUrl) };
  targets['baseline']!.send({ fixtures: pools.fixtures });
  for (const [name, dir] of Object.entries(builds)) targets[name] = await startAdapterProcess({ buildDir: dir, ncoUrl: sims.ncoUrl, logLevel: 'warn' });
  for (const t of Object.values(targets)) pin(t.pid, 0);

  const perRequest: Record<string, number[]> = {};
  try {
    for (let round = 0; round < rounds; round++) {
      for (const [name, target] of Object.entries(targets)) {
        if (pathName === 'validate') await sims.call('resetOrders');
        const next = pathName === 'validate' ? requestsFor(pathName, pools, await validatePool(sims, pools, 3000)) : requestsFor(pathName, pools);
        await load(target.url, connections, 1, next);
        const before = cpuSecondsOf(target.pid);
        const result = await load(target.url, connections, seconds, next);
        if (result.non2xx > 0) throw new Error(`${name}: ${JSON.stringify(result.statusCodes)}`);
        (perRequest[name] ??= []).push(((cpuSecondsOf(target.pid) - before) * 1000) / result.requests);
      }
    }
  } finally {
    for (const t of Object.values(targets)) await t.stop();
    await sims.stop();
    for (const variant of variants) fs.rmSync(`${build}-ab-${variant}`, { recursive: true, force: true });
  }
  console.log(`${pathName}, ${connections} connections, ${rounds} rounds of ${seconds} s, ${pinned ? 'pinned (taskset)' : 'not pinned'}: CPU ms per request (median; all rounds)`);
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  for (const [name, xs] of Object.entries(perRequest)) console.log(`  ${name.padEnd(20)} ${median(xs).toFixed(3)}   (${xs.map((x) => x.toFixed(3)).join(' ')})`);
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    console.error(`ab failed: ${(e as Error).message}`);
    process.exit(1);
  },
);
