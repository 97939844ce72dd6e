// Summarises a V8 CPU profile (`node --cpu-prof`, e.g. from `npm run bench -- --profile`): self time by function and
// by where the code lives (a package, or a folder of this repository), heaviest first.
// Usage: node -r ts-node/register/transpile-only bench/profile-summary.ts <file.cpuprofile> [rows=30]
import fs from 'node:fs';

interface ProfileNode {
  readonly id: number;
  readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number };
  readonly hitCount?: number;
}
interface Profile {
  readonly nodes: ProfileNode[];
  readonly samples: number[];
  readonly timeDeltas: number[];
  readonly startTime: number;
  readonly endTime: number;
}

/** `node_modules/<package>` or the repository folder (`src/adapters/http`), `(node)` for Node's own code. */
function placeOf(url: string): string {
  if (url === '') return '(native/vm)';
  const pkg = /node_modules\/(?!\.cache)((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1]!;
  const own = /qca-bench\/((?:src|sandbox|bench)\/[^/]+(?:\/[^/]+)?)\//.exec(url);
  if (own) return own[1]!;
  if (url.startsWith('node:')) return '(node)';
  return url;
}

function main(): void {
  const file = process.argv[2];
  if (!file) throw new Error('usage: profile-summary.ts <file.cpuprofile> [rows]');
  const rows = Number(process.argv[3] ?? '30');
  const profile = JSON.parse(fs.readFileSync(file, 'utf8')) as Profile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const selfUs = new Map<number, number>();
  profile.samples.forEach((id, i) => selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const total = [...selfUs.values()].reduce((s, v) => s + v, 0);
  const idle = [...selfUs.entries()].filter(([id]) => ['(idle)', '(program)'].includes(byId.get(id)!.callFrame.functionName)).reduce((s, [, v]) => s + v, 0);
  const busy = total - idle;

  const byFunction = new Map<string, number>();
  const byPlace = new Map<string, number>();
  for (const [id, us] of selfUs) {
    const { functionName, url, lineNumber } = byId.get(id)!.callFrame;
    if (functionName === '(idle)' || functionName === '(program)') continue;
    const key = `${functionName || '(anonymous)'}  ${url.replace(/^.*qca-bench\//, '').replace(/^.*node_modules\//, 'nm/')}:${lineNumber + 1}`;
    byFunction.set(key, (byFunction.get(key) ?? 0) + us);
    const place = functionName === '(garbage collector)' ? '(garbage collector)' : placeOf(url);
    byPlace.set(place, (byPlace.get(place) ?? 0) + us);
  }
  const pct = (us: number) => `${((us / busy) * 100).toFixed(1).padStart(5)} %`;
  console.log(`${file}: ${(total / 1e6).toFixed(1)} s sampled, ${(busy / 1e6).toFixed(1)} s busy (percentages of busy time)\n`);
  console.log('by place:');
  for (const [k, v] of [...byPlace].sort((a, b) => b[1] - a[1]).slice(0, rows)) console.log(`  ${pct(v)}  ${k}`);
  console.log('\nby function (self time):');
  for (const [k, v] of [...byFunction].sort((a, b) => b[1] - a[1]).slice(0, rows)) console.log(`  ${pct(v)}  ${k}`);
}

main();
