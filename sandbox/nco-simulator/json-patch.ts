// JSON Patch (RFC 6902) as NCO hooks answer it: add, remove, replace and test on JSON Pointer paths
// such as /payments/0/amount. Pure; a patch that does not apply is refused whole.

export interface PatchOperation {
  readonly op: string;
  readonly path: string;
  readonly value?: unknown;
}

export type PatchResult<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly reason: string };

const SUPPORTED = ['add', 'remove', 'replace', 'test'] as const;

const isRecord = (u: unknown): u is Record<string, unknown> => typeof u === 'object' && u !== null && !Array.isArray(u);

/** A hook's answer as a patch document: an array of `{op, path, value?}`. */
export function parsePatch(u: unknown): PatchResult<PatchOperation[]> {
  if (!Array.isArray(u)) return { ok: false, reason: 'a JSON Patch must be an array of operations' };
  const ops: PatchOperation[] = [];
  for (const [i, raw] of u.entries()) {
    if (!isRecord(raw) || typeof raw['op'] !== 'string' || typeof raw['path'] !== 'string') {
      return { ok: false, reason: `operation ${i} needs a string op and path` };
    }
    if (!(SUPPORTED as readonly string[]).includes(raw['op'])) return { ok: false, reason: `operation ${i}: op "${raw['op']}" is not supported` };
    if (raw['op'] !== 'remove' && !('value' in raw)) return { ok: false, reason: `operation ${i} (${raw['op']}) needs a value` };
    ops.push(raw['op'] === 'remove' ? { op: raw['op'], path: raw['path'] } : { op: raw['op'], path: raw['path'], value: raw['value'] });
  }
  return { ok: true, value: ops };
}

/** JSON Pointer tokens (`~1` is `/`, `~0` is `~`); the root pointer "" is not patchable here. */
function tokensOf(path: string): string[] | undefined {
  if (!path.startsWith('/')) return undefined;
  return path
    .slice(1)
    .split('/')
    .map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'));
}

const ARRAY_INDEX = /^(0|[1-9]\d*)$/;

function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  if (isRecord(a) && isRecord(b)) {
    const keys = Object.keys(a);
    return keys.length === Object.keys(b).length && keys.every((k) => Object.prototype.hasOwnProperty.call(b, k) && deepEqual(a[k], b[k]));
  }
  return false;
}

function applyOne(document: unknown, operation: PatchOperation): string | undefined {
  const tokens = tokensOf(operation.path);
  if (!tokens) return `path "${operation.path}" is not a JSON Pointer`;
  let parent: unknown = document;
  for (const token of tokens.slice(0, -1)) {
    if (Array.isArray(parent) && ARRAY_INDEX.test(token) && Number(token) < parent.length) parent = parent[Number(token)];
    else if (isRecord(parent) && Object.prototype.hasOwnProperty.call(parent, token)) parent = parent[token];
    else return `path "${operation.path}" does not exist`;
  }
  const last = tokens[tokens.length - 1]!;
  const value = structuredClone(operation.value);
  if (Array.isArray(parent)) {
    if (operation.op === 'add' && last === '-') {
      parent.push(value);
      return undefined;
    }
    if (!ARRAY_INDEX.test(last)) return `"${last}" in "${operation.path}" is not an array index`;
    const index = Number(last);
    const limit = operation.op === 'add' ? parent.length : parent.length - 1;
    if (index > limit) return `index ${index} in "${operation.path}" is out of range`;
    if (operation.op === 'add') parent.splice(index, 0, value);
    else if (operation.op === 'remove') parent.splice(index, 1);
    else if (operation.op === 'replace') parent[index] = value;
    else if (!deepEqual(parent[index], operation.value)) return `test failed at "${operation.path}"`;
    return undefined;
  }
  if (!isRecord(parent)) return `path "${operation.path}" does not exist`;
  const exists = Object.prototype.hasOwnProperty.call(parent, last);
  if (operation.op !== 'add' && !exists) return `path "${operation.path}" does not exist`;
  if (operation.op === 'add' || operation.op === 'replace') parent[last] = value;
  else if (operation.op === 'remove') delete parent[last];
  else if (!deepEqual(parent[last], operation.value)) return `test failed at "${operation.path}"`;
  return undefined;
}

/** Applies the operations in order to a copy of `document`; the first that does not apply refuses the patch. */
export function applyPatch<T>(document: T, operations: readonly PatchOperation[]): PatchResult<T> {
  const copy = structuredClone(document);
  for (const [i, operation] of operations.entries()) {
    const problem = applyOne(copy, operation);
    if (problem !== undefined) return { ok: false, reason: `operation ${i} (${operation.op} ${operation.path}): ${problem}` };
  }
  return { ok: true, value: copy };
}
