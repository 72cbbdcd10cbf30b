import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * A secret from the environment if given, else generated once into `<dataDir>/secrets/<name>` with mode 0600,
 * so that a restart keeps tokens and encrypted templates valid without any set-up.
 */
export function loadOrCreateSecret(dataDir: string, name: string, fromEnv: string | undefined, bytes = 32): string {
  if (fromEnv) return fromEnv;
  const dir = join(dataDir, 'secrets');
  const file = join(dir, name);
  if (existsSync(file)) {
    const mode = statSync(file).mode & 0o777;
    if (mode & 0o077) chmodSync(file, 0o600);
    const value = readFileSync(file, 'utf8').trim();
    if (value.length < 32) throw new Error(`secret file ${file} is too short; delete it to generate a new one`);
    return value;
  }
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const value = randomBytes(bytes).toString('hex');
  writeFileSync(file, `${value}\n`, { mode: 0o600, flag: 'wx' });
  return value;
}
