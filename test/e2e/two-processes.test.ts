import assert from 'node:assert/strict';
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import { openServices } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { packageRoot } from '../../src/package-root.js';
import { faces } from '../helpers/faces.js';
import { sqliteKind, storeKinds } from '../helpers/stores.js';

// Two service processes on one database, each with its own in-process search index: what one enrols or
// deletes, the other sees at once.

const freePort = () =>
  new Promise<number>((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const a = s.address();
      s.close(() => resolve(typeof a === 'object' && a ? a.port : 0));
    });
  });

async function serve(env: NodeJS.ProcessEnv): Promise<{ base: string; child: ChildProcess }> {
  const port = await freePort();
  const child = spawn(process.execPath, [join(packageRoot, 'bin', 'facegate.js'), 'serve'], {
    env: { ...env, FACEGATE_PORT: String(port) },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 300; i++) {
    if (
      await fetch(`${base}/health`).then(
        (r) => r.ok,
        () => false,
      )
    )
      return { base, child };
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('server did not start');
}

for (const kind of storeKinds) {
  describe(`two processes on one ${kind.name} database`, { skip: kind.skip }, () => {
    const dirs: string[] = [];
    const children: ChildProcess[] = [];
    let a: string;
    let b: string;
    let token: string;
    let collection: string;

    const call = async (base: string, method: string, path: string, body?: unknown) => {
      const res = await fetch(`${base}${path}`, {
        method,
        headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
        ...(body ? { body: JSON.stringify(body) } : {}),
      });
      return { status: res.status, body: (await res.json()) as any };
    };
    const search = (base: string, image: string) =>
      call(base, 'POST', '/v2/face-recognition/search', {
        images: [image],
        collection_id: collection,
        min_score: 0.85,
      });

    let sharedEnv: NodeJS.ProcessEnv = {};
    before(async () => {
      const shared = {
        ...process.env,
        FACEGATE_DATABASE_URL: await kind.freshUrl(),
        FACEGATE_JWT_SECRET: randomBytes(32).toString('hex'),
        FACEGATE_TEMPLATE_KEY: randomBytes(32).toString('hex'),
        FACEGATE_ENGINE_WORKERS: '1',
        FACEGATE_LOG_LEVEL: 'warn',
      };
      sharedEnv = shared;
      const envFor = () => {
        const dir = mkdtempSync(join(tmpdir(), 'facegate-proc-'));
        dirs.push(dir);
        return { ...shared, FACEGATE_DATA_DIR: dir };
      };
      const setupEnv = envFor();
      const { services, close } = await openServices(loadConfig(setupEnv));
      const { client, token: issued } = await services.clients.create({ name: 'two' });
      token = issued.token;
      collection = (await services.collections.create(client._id, { name: 'shared', description: null, project: null }))
        .code;
      await close();
      const [first, second] = await Promise.all([serve(envFor()), serve(envFor())]);
      a = first.base;
      b = second.base;
      children.push(first.child, second.child);
    });
    after(async () => {
      // Let each process finish its graceful shutdown (it saves its index) before its data dir goes.
      await Promise.all(
        children.map(
          (c) =>
            new Promise((resolve) => {
              if (c.exitCode !== null) return resolve(null);
              c.once('exit', resolve);
              c.kill('SIGTERM');
            }),
        ),
      );
      for (const d of dirs) rmSync(d, { recursive: true, force: true });
    });

    test('the command line finishes on this database too (its search index is closed, LISTEN included)', async () => {
      const { execFile } = await import('node:child_process');
      const out = await new Promise<string>((resolve, reject) =>
        execFile(
          process.execPath,
          [join(packageRoot, 'bin', 'facegate.js'), 'clients', 'create', '--name', 'cli', '--json'],
          { env: { ...sharedEnv, FACEGATE_DATA_DIR: dirs[0] as string }, timeout: 30_000 },
          (err, stdout) => (err ? reject(err) : resolve(stdout)),
        ),
      );
      assert.equal(JSON.parse(out).client.name, 'cli');
    });

    test('an enrolment through one process is found through the other at once, and so is a deletion', async () => {
      assert.deepEqual((await search(b, faces.obama2())).body.data, []);
      const created = await call(a, 'POST', '/v2/face-recognition/persons', {
        name: 'Barack Obama',
        images: [faces.obama1()],
        collections: [collection],
      });
      assert.equal(created.status, 200);
      const found = await search(b, faces.obama2());
      assert.equal(found.body.data[0]?.name, 'Barack Obama');

      assert.equal((await call(a, 'DELETE', `/v2/face-recognition/persons/${created.body.data._id}`)).status, 200);
      assert.deepEqual((await search(b, faces.obama2())).body.data, []);

      const again = await call(b, 'POST', '/v2/face-recognition/persons', {
        name: 'Joe Biden',
        images: [faces.biden()],
        collections: [collection],
      });
      assert.equal(again.status, 200);
      assert.equal((await search(a, faces.biden())).body.data[0]?.name, 'Joe Biden');
    });
  });
}

const stopped = (c: ChildProcess) =>
  new Promise((resolve) => {
    if (c.exitCode !== null || c.signalCode !== null) return resolve(null);
    c.once('exit', resolve);
    c.kill('SIGTERM');
  });

// Issue #14, item 1: `npm start`, then `facegate persons import` (or a second server) on the same data directory
// rewrote the running server's HNSW snapshot under it, and every search of the collection answered 500 until a
// restart. One process now owns `<dataDir>/index` (index.lock); the others build a private copy. SQLite, the
// default: what the processes share here is the data directory, whatever the database.
describe('several processes on one data directory (#14)', () => {
  const bin = join(packageRoot, 'bin', 'facegate.js');
  const fixture = (n: string) => join(packageRoot, 'test', 'fixtures', 'faces', `${n}.jpg`);
  let root: string;
  let env: NodeJS.ProcessEnv;
  let token: string;
  let collectionA: string;
  let collectionB: string;
  let server: { base: string; child: ChildProcess };
  const children: ChildProcess[] = [];

  const call = async (base: string, method: string, path: string, body?: unknown) => {
    const res = await fetch(`${base}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    return { status: res.status, body: (await res.json()) as any };
  };
  const search = (base: string, collection: string, image: string) =>
    call(base, 'POST', '/v2/face-recognition/search', { images: [image], collection_id: collection, min_score: 0.85 });
  const namesFound = async (base: string, collection: string, image: string) => {
    const res = await search(base, collection, image);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    return (res.body.data as Array<{ name: string }>).map((p) => p.name);
  };

  before(async () => {
    root = mkdtempSync(join(tmpdir(), 'facegate-samedir-'));
    env = {
      ...process.env,
      FACEGATE_DATA_DIR: join(root, 'data'),
      FACEGATE_DATABASE_URL: await sqliteKind.freshUrl(),
      FACEGATE_ENGINE_WORKERS: '1',
      FACEGATE_LOG_LEVEL: 'warn',
    };
    const { services, close } = await openServices(loadConfig(env));
    const { client, token: issued } = await services.clients.create({ name: 'samedir' });
    token = issued.token;
    const create = (name: string) =>
      services.collections.create(client._id, { name, description: null, project: null });
    collectionA = (await create('A')).code;
    collectionB = (await create('B')).code;
    await close();
    mkdirSync(join(root, 'people', 'Joe Biden'), { recursive: true });
    copyFileSync(fixture('biden-1'), join(root, 'people', 'Joe Biden', 'biden-1.jpg'));
    server = await serve(env);
    children.push(server.child);
  });
  after(async () => {
    await Promise.all(children.map(stopped));
    rmSync(root, { recursive: true, force: true });
  });

  test('the running server owns the snapshot directory and says so in its lock file', () => {
    const lock = JSON.parse(readFileSync(join(root, 'data', 'index.lock'), 'utf8'));
    assert.equal(lock.pid, server.child.pid);
  });

  test('an import into B while the server runs leaves its searches of A answering', async () => {
    const enrolled = await call(server.base, 'POST', '/v2/face-recognition/persons', {
      name: 'Barack Obama',
      images: [faces.obama1()],
      collections: [collectionA],
    });
    assert.equal(enrolled.status, 200);
    assert.deepEqual(await namesFound(server.base, collectionA, faces.obama2()), ['Barack Obama']);

    const args = [bin, 'persons', 'import', '--collection', collectionB, '--dir', join(root, 'people'), '--json'];
    const out = JSON.parse((await promisify(execFile)(process.execPath, args, { env, timeout: 60_000 })).stdout);
    assert.equal(out.enrolled, 1);

    for (let i = 0; i < 5; i++)
      assert.deepEqual(await namesFound(server.base, collectionA, faces.obama2()), ['Barack Obama']);
    // And the server sees what the import enrolled, through the database's change log.
    assert.deepEqual(await namesFound(server.base, collectionB, faces.biden()), ['Joe Biden']);
    // The import's private copy is gone with it; the lock is still the server's.
    assert.deepEqual(
      existsSync(join(root, 'data', 'index-scratch')) ? readdirSync(join(root, 'data', 'index-scratch')) : [],
      [],
    );
    assert.equal(JSON.parse(readFileSync(join(root, 'data', 'index.lock'), 'utf8')).pid, server.child.pid);
  });

  test('a second server on the same data directory answers too, and its start and stop break nothing', async () => {
    const second = await serve(env);
    children.push(second.child);
    assert.deepEqual(await namesFound(second.base, collectionA, faces.obama2()), ['Barack Obama']);
    assert.deepEqual(await namesFound(second.base, collectionB, faces.biden()), ['Joe Biden']);
    const ready = await fetch(`${second.base}/health/ready`);
    assert.equal(ready.status, 200);
    assert.match((await ready.json()).detail.index, /another process owns the snapshot/);

    const angelina = await call(second.base, 'POST', '/v2/face-recognition/persons', {
      name: 'Angelina Jolie',
      images: [faces.angelina1()],
      collections: [collectionA],
    });
    assert.equal(angelina.status, 200);
    await stopped(second.child);
    assert.deepEqual(await namesFound(server.base, collectionA, faces.obama2()), ['Barack Obama']);
    assert.deepEqual(await namesFound(server.base, collectionA, faces.angelina2()), ['Angelina Jolie']);
    assert.equal((await fetch(`${server.base}/health/ready`)).status, 200);
  });

  test('after the owner stops, the next server takes the lock and loads what the owner saved', async () => {
    await stopped(server.child);
    assert.equal(existsSync(join(root, 'data', 'index.lock')), false);
    const next = await serve(env);
    children.push(next.child);
    assert.equal(JSON.parse(readFileSync(join(root, 'data', 'index.lock'), 'utf8')).pid, next.child.pid);
    assert.deepEqual(await namesFound(next.base, collectionA, faces.obama2()), ['Barack Obama']);
    assert.deepEqual(await namesFound(next.base, collectionA, faces.angelina2()), ['Angelina Jolie']);
    assert.deepEqual(await namesFound(next.base, collectionB, faces.biden()), ['Joe Biden']);
  });
});
