// The dependency rule of the architecture guide, checked on every import in src/.
import { expect } from 'chai';
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(__dirname, '..');

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return entry.name.endsWith('.ts') ? [full] : [];
  });
}

function importsOf(file: string): string[] {
  const text = fs.readFileSync(file, 'utf8');
  const found = [...text.matchAll(/(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|^import\s+['"]([^'"]+)['"]/gm)];
  return found.map((m) => m[1] ?? m[2] ?? m[3] ?? '');
}

/** The layer a resolved import lands in, or the package name for a library. */
function targetOf(file: string, spec: string): string {
  if (!spec.startsWith('.')) return `pkg:${spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]}`;
  const rel = path.relative(root, path.resolve(path.dirname(file), spec)).split(path.sep);
  return rel[0] === 'src' ? `src/${rel[1]}` : rel[0]!;
}

const layerOf = (file: string): string => path.relative(root, file).split(path.sep).slice(0, 2).join('/');

const allowed: Record<string, (target: string, file: string) => boolean> = {
  'src/domain': (t) => t === 'src/domain' || t === 'pkg:fp-ts' || t === 'pkg:node:crypto',
  'src/application': (t) =>
    ['src/domain', 'src/application', 'pkg:fp-ts', 'pkg:io-ts', 'pkg:tsyringe', 'pkg:node:crypto'].includes(t),
  'src/adapters': (t) => !['src/infrastructure', 'sandbox'].includes(t),
  'src/infrastructure': (t, file) => t !== 'sandbox' || file.endsWith(path.join('infrastructure', 'sandbox.ts')),
};

describe('architecture: the dependency rule', () => {
  const files = sourceFiles(path.join(root, 'src'));

  it('finds the source tree', () => {
    expect(files.length).to.be.greaterThan(10);
  });

  for (const layer of Object.keys(allowed)) {
    it(`${layer} imports only what it may`, () => {
      const violations = files
        .filter((f) => layerOf(f) === layer)
        .flatMap((f) => importsOf(f).map((spec) => ({ file: path.relative(root, f), spec, target: targetOf(f, spec) })))
        .filter(({ target, file }) => !allowed[layer]!(target, path.join(root, file)));
      expect(violations, JSON.stringify(violations, null, 2)).to.deep.equal([]);
    });
  }

  it('adapters reach the application layer only through its ports', () => {
    const violations = files
      .filter((f) => layerOf(f) === 'src/adapters')
      .flatMap((f) => importsOf(f).map((spec) => ({ file: path.relative(root, f), spec, resolved: path.relative(root, path.resolve(path.dirname(f), spec)) })))
      .filter(({ spec, resolved }) => spec.startsWith('.') && resolved.startsWith(path.join('src', 'application')))
      .filter(({ file, resolved }) => {
        // The HTTP adapter drives use cases; the outbound adapters implement ports.
        if (file.startsWith(path.join('src', 'adapters', 'http'))) return false;
        return !resolved.startsWith(path.join('src', 'application', 'ports'));
      });
    expect(violations, JSON.stringify(violations, null, 2)).to.deep.equal([]);
  });
});
