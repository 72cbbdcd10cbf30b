import { execFileSync, spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

// A throwaway PostgreSQL cluster for tests: initdb in a temp dir, started on a free loopback port, removed at exit.
// The test runner starts one for the whole run and passes its URL down in FACEGATE_TEST_POSTGRES_URL; a test file
// run on its own starts its own. In CI a missing PostgreSQL is a failure; on a laptop the tests say why they skip.

export interface PostgresServer {
  url: string;
  stop(): void;
}

function findBin(): string | undefined {
  const fromPath = spawnSync('sh', ['-c', 'command -v initdb'], { encoding: 'utf8' }).stdout.trim();
  if (fromPath) return join(fromPath, '..');
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root)
    .filter((v) => existsSync(join(root, v, 'bin', 'initdb')))
    .sort((a, b) => Number(b) - Number(a));
  return versions[0] ? join(root, versions[0], 'bin') : undefined;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

export function postgresUnavailableReason(): string | undefined {
  if (process.env['FACEGATE_TEST_POSTGRES_URL']) return undefined;
  if (!findBin()) return 'PostgreSQL server binaries (initdb) not found: apt-get install postgresql';
  return undefined;
}

export async function startPostgres(): Promise<PostgresServer> {
  const bin = findBin();
  if (!bin) throw new Error('PostgreSQL server binaries (initdb) not found: apt-get install postgresql');
  const dir = mkdtempSync(join(tmpdir(), 'facegate-pg-'));
  const data = join(dir, 'data');
  // initdb refuses to run as root; the Debian package provides the postgres user for exactly this.
  const asRoot = process.getuid?.() === 0;
  const prefix = asRoot ? ['runuser', '-u', 'postgres', '--'] : [];
  if (asRoot) {
    const { uid, gid } = userIds('postgres');
    chownSync(dir, uid, gid);
  }
  const run = (cmd: string, args: string[]) => {
    const [exe, ...rest] = [...prefix, join(bin, cmd), ...args];
    execFileSync(exe as string, rest, { stdio: 'pipe' });
  };
  run('initdb', ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync', '--locale=C']);
  const port = await freePort();
  run('pg_ctl', [
    '-D',
    data,
    '-w',
    '-l',
    join(dir, 'server.log'),
    '-o',
    `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200`,
    'start',
  ]);
  let stopped = false;
  const stop = () => {
    if (stopped) return;
    stopped = true;
    try {
      run('pg_ctl', ['-D', data, '-m', 'immediate', 'stop']);
    } catch {
      // already gone
    }
    rmSync(dir, { recursive: true, force: true });
  };
  process.once('exit', stop);
  return { url: `postgres://postgres@127.0.0.1:${port}/postgres`, stop };
}

function userIds(name: string): { uid: number; gid: number } {
  const [uid, gid] = execFileSync('sh', ['-c', `id -u ${name}; id -g ${name}`], { encoding: 'utf8' })
    .trim()
    .split('\n')
    .map(Number);
  return { uid: uid ?? 0, gid: gid ?? 0 };
}

let shared: Promise<string> | undefined;

/** A fresh, empty database on the run's cluster (started on first use). */
export async function createTestDatabase(): Promise<string> {
  shared ??= process.env['FACEGATE_TEST_POSTGRES_URL']
    ? Promise.resolve(process.env['FACEGATE_TEST_POSTGRES_URL'])
    : startPostgres().then((s) => s.url);
  const base = await shared;
  const name = `t_${process.pid}_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
  const client = new pg.Client({ connectionString: base });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE ${name}`);
  } finally {
    await client.end();
  }
  const url = new URL(base);
  url.pathname = `/${name}`;
  return url.toString();
}

/** In CI PostgreSQL must be there; elsewhere the suite is skipped with the reason. */
export function postgresSkip(): string | false {
  const reason = postgresUnavailableReason();
  if (!reason) return false;
  if (process.env['CI']) throw new Error(`CI requires PostgreSQL: ${reason}`);
  return reason;
}
