import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../../src/package-root.js';

/** Fixture photos (see test/fixtures/SOURCES.md), as the base64 strings clients send. */
export const face = (name: string): string =>
  readFileSync(join(packageRoot, 'test', 'fixtures', 'faces', `${name}.jpg`)).toString('base64');

export const faces = {
  obama1: () => face('obama-1'),
  obama2: () => face('obama-2'),
  biden: () => face('biden-1'),
  angelina1: () => face('angelina-1'),
  angelina2: () => face('angelina-2'),
  twoPeople: () => face('two-people'),
  cat: () => face('cat-no-face'),
};
