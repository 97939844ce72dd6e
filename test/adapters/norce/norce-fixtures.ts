// Paths to and loaders of the shared Norce fixtures (/work/shared is a sibling of the repository).
import fs from 'node:fs';
import path from 'node:path';
import { isLeft } from 'fp-ts/Either';
import type * as t from 'io-ts';

/** `<repo>/../shared/fixtures/norce` — this file is `<repo>/test/adapters/norce/norce-fixtures.ts`. */
export const NORCE_FIXTURES = path.resolve(__dirname, '..', '..', '..', '..', 'shared', 'fixtures', 'norce');

export function readNorceFixture(relative: string): unknown {
  return JSON.parse(fs.readFileSync(path.join(NORCE_FIXTURES, relative), 'utf8'));
}

/** `orders/*.json`, by file name. */
export function norceOrderFixtures(): { file: string; order: Record<string, unknown> }[] {
  const dir = path.join(NORCE_FIXTURES, 'orders');
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((file) => ({ file, order: readNorceFixture(path.join('orders', file)) as Record<string, unknown> }));
}

/** A fixture order as a POST /orders body: without its id, so every post makes a new order. */
export function orderBodyFrom(file: string): Record<string, unknown> {
  const { id: _id, ...body } = readNorceFixture(path.join('orders', file)) as Record<string, unknown>;
  return body;
}

export const ORDER_2 = 'order-2-se-mixed-vat-discount-qliro-intent.json';

export function decodeOrThrow<A>(codec: t.Decoder<unknown, A>, u: unknown): A {
  const result = codec.decode(u);
  if (isLeft(result)) throw new Error(`fixture does not decode (${result.left.length} errors)`);
  return result.right;
}
