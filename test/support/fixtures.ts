// Paths and loaders for ../shared/fixtures (a sibling of the repository, in CI too).
import fs from 'node:fs';
import path from 'node:path';

export const SHARED = path.resolve(__dirname, '..', '..', '..', 'shared');

export const fixturePath = (...parts: string[]): string => path.join(SHARED, 'fixtures', ...parts);

export function loadFixture<T = Record<string, unknown>>(...parts: string[]): T {
  return JSON.parse(fs.readFileSync(fixturePath(...parts), 'utf8')) as T;
}
