// The bench's children run plain JavaScript, as in production (`npm run build`), so their memory is the adapter's
// and not the TypeScript compiler's: src/, sandbox/ and bench/ are transpiled (no type check; `npm test` does that)
// into node_modules/.cache/qca-bench/, where `require` still finds the project's node_modules.
import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

export const ROOT = path.resolve(__dirname, '..');
export const OUT_DIR = path.join(ROOT, 'node_modules', '.cache', 'qca-bench');

function tsFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return tsFiles(full);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') ? [full] : [];
  });
}

/** Transpiles every source file the children need; returns the output root (mirrors the repository's tree). */
export function transpileForChildren(): string {
  const configFile = ts.readConfigFile(path.join(ROOT, 'tsconfig.json'), (p) => ts.sys.readFile(p));
  if (configFile.error) throw new Error(ts.flattenDiagnosticMessageText(configFile.error.messageText, '\n'));
  const { options } = ts.parseJsonConfigFileContent(configFile.config, ts.sys, ROOT);
  const compilerOptions: ts.CompilerOptions = { ...options, sourceMap: false, inlineSourceMap: false, declaration: false, noEmit: false };
  fs.rmSync(OUT_DIR, { recursive: true, force: true });
  for (const dir of ['src', 'sandbox', 'bench']) {
    for (const file of tsFiles(path.join(ROOT, dir))) {
      const out = path.join(OUT_DIR, path.relative(ROOT, file)).replace(/\.ts$/, '.js');
      const { outputText } = ts.transpileModule(fs.readFileSync(file, 'utf8'), { compilerOptions, fileName: file });
      fs.mkdirSync(path.dirname(out), { recursive: true });
      fs.writeFileSync(out, outputText);
    }
  }
  return OUT_DIR;
}
