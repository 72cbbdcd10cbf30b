import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../../src/package-root.js';

// The shared evaluation set sits beside the checkout (../shared) for developers and CI. Its spoof photos have no
// licence that lets us copy them into the repository, so the few tests that need a real presentation attack read
// them from there: skipped with the reason where the set is absent, required in CI.

export const evalDataDir = join(packageRoot, '..', 'shared', 'eval-data', 'dev');

export function evalDataSkip(): string | false {
  if (existsSync(join(evalDataDir, 'spoof', 'fake'))) return false;
  if (process.env['CI']) throw new Error(`CI requires the shared evaluation set at ${evalDataDir}`);
  return `the shared evaluation set is not at ${evalDataDir}`;
}

/** A replay-attack photo (a phone showing a face), base64. */
export const spoofPhoto = (index = 0): string => photo('fake', index);

/** A live webcam frame of the replay's subject (dim, backlit), base64. */
export const liveWebcamPhoto = (index = 0): string => photo('real', index);

function photo(kind: 'real' | 'fake', index: number): string {
  const dir = join(evalDataDir, 'spoof', kind);
  const files = readdirSync(dir).sort();
  return readFileSync(join(dir, files[index % files.length] as string)).toString('base64');
}
