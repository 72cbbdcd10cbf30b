import assert from 'node:assert/strict';
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import { packageRoot } from '../../src/package-root.js';
import { AUTHENTICATED_TOKEN_MS } from '../../src/services/client.service.js';

// What the README promises: `npx facegate clients create --name acme --json` prints a token that works against
// the running server (`npm start` = `facegate serve`), on the default embedded SQLite database.

const bin = join(packageRoot, 'bin', 'facegate.js');
const run = promisify(execFile);

const freePort = () =>
  new Promise<number>((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const a = s.address();
      s.close(() => resolve(typeof a === 'object' && a ? a.port : 0));
    });
  });

describe('facegate command line', () => {
  let dataDir: string;
  let server: ChildProcess | undefined;
  let base: string;
  let env: NodeJS.ProcessEnv;

  before(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'facegate-cli-'));
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    env = { ...process.env, FACEGATE_DATA_DIR: dataDir, FACEGATE_PORT: String(port), FACEGATE_LOG_LEVEL: 'warn' };
    delete env['FACEGATE_DATABASE_URL'];
    server = spawn(process.execPath, [bin, 'serve'], { env, stdio: ['ignore', 'ignore', 'pipe'] });
    for (let i = 0; i < 100; i++) {
      const ok = await fetch(`${base}/health`).then(
        (r) => r.ok,
        () => false,
      );
      if (ok) return;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error('server did not start');
  });

  after(() => {
    server?.kill('SIGTERM');
    rmSync(dataDir, { recursive: true, force: true });
  });

  test('clients create --json prints a client and a token the running server accepts', async () => {
    const { stdout } = await run(process.execPath, [bin, 'clients', 'create', '--name', 'acme', '--json'], { env });
    const out = JSON.parse(stdout);
    assert.equal(out.client.name, 'acme');
    assert.match(out.client._id, /^[0-9a-f]{24}$/);
    assert.equal(out.client.webhookSecret, undefined);
    const created = await fetch(`${base}/v2/projects`, {
      method: 'POST',
      headers: { authorization: `Bearer ${out.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'From the CLI' }),
    });
    assert.equal(created.status, 200);
    const list = await fetch(`${base}/v2/projects`, { headers: { authorization: `Bearer ${out.token}` } });
    assert.deepEqual(
      ((await list.json()) as { data: Array<{ name: string }> }).data.map((p) => p.name),
      ['From the CLI'],
    );
    // The generated signing secret is private to the service's user.
    assert.equal(statSync(join(dataDir, 'secrets', 'jwt-secret')).mode & 0o077, 0);
  });

  test('clients delete removes a tenant and everything it owns; its token stops working', async () => {
    const out = JSON.parse(
      (await run(process.execPath, [bin, 'clients', 'create', '--name', 'leaving', '--json'], { env })).stdout,
    );
    const auth = { authorization: `Bearer ${out.token}`, 'content-type': 'application/json' };
    assert.equal(
      (await fetch(`${base}/v2/projects`, { method: 'POST', headers: auth, body: '{"name":"x"}' })).status,
      200,
    );
    await assert.rejects(run(process.execPath, [bin, 'clients', 'delete', '--id', out.client._id], { env }), /--yes/);
    await run(process.execPath, [bin, 'clients', 'delete', '--id', out.client._id, '--yes'], { env });
    // The server is another process: it may take a token that authenticated for up to AUTHENTICATED_TOKEN_MS more.
    const deletedAt = Date.now();
    let status = 0;
    while (Date.now() - deletedAt < AUTHENTICATED_TOKEN_MS + 1000) {
      status = (await fetch(`${base}/v2/projects`, { headers: auth })).status;
      if (status === 401) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    assert.equal(status, 401, "the deleted tenant's token is refused within the documented bound");
  });

  test('bad usage and bad configuration fail with a message naming the problem', async () => {
    await assert.rejects(
      run(process.execPath, [bin, 'clients', 'create'], { env }),
      (e: { code: number; stderr: string }) => {
        assert.equal(e.code, 2);
        assert.match(e.stderr, /--name is required/);
        return true;
      },
    );
    await assert.rejects(
      run(process.execPath, [bin, 'serve'], { env: { ...env, FACEGATE_PORT: 'eighty' } }),
      (e: { stderr: string }) => {
        assert.match(e.stderr, /FACEGATE_PORT/);
        return true;
      },
    );
  });

  test('SIGTERM shuts the server down cleanly', async () => {
    const port = await freePort();
    const child = spawn(process.execPath, [bin, 'serve'], {
      env: { ...env, FACEGATE_PORT: String(port) },
      stdio: 'ignore',
    });
    for (let i = 0; i < 100; i++) {
      if (
        await fetch(`http://127.0.0.1:${port}/health`).then(
          (r) => r.ok,
          () => false,
        )
      )
        break;
      await new Promise((r) => setTimeout(r, 100));
    }
    child.kill('SIGTERM');
    const code = await new Promise<number | null>((r) => child.once('exit', r));
    assert.equal(code, 0);
  });
});
