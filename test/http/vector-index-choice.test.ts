import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import type { PGlite } from '@electric-sql/pglite';
import { createPgliteDriver } from '../../src/adapters/storage/pglite-driver.js';
import type { SqlDriver } from '../../src/adapters/storage/sql-driver.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { createFakeFaceEngine, fakeImage } from '../helpers/fake-face-engine.js';
import { createPglite, pgvectorSkip } from '../helpers/pglite.js';
import { postgresKind, sqliteKind } from '../helpers/stores.js';

// FACEGATE_VECTOR_INDEX does what it says (#15): pgvector searches in PostgreSQL where the `vector` extension is,
// `auto` takes it there and HNSW elsewhere, and `pgvector` where it cannot be had stops start-up naming the
// variable. PGlite has pgvector; the Debian PostgreSQL of the test cluster has not.

/** A log stream that keeps every line, to read what start-up said. */
function capture() {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      for (const line of String(chunk).split('\n')) if (line) lines.push(JSON.parse(line));
      done();
    },
  });
  return { lines, logger: { level: 'info', stream } };
}

const choiceOf = (lines: Record<string, unknown>[]) =>
  lines.find((l) => l['msg']?.toString().startsWith('vector index:'));

/** A test app on a PGlite database (which has no URL: the app is handed the open database). */
async function onPglite(db: SqlDriver, setting: string, dataDir?: string) {
  const log = capture();
  const t = await startTestApp(sqliteKind, {
    databaseUrl: 'postgres://pglite.invalid/in-process',
    ...(dataDir ? { dataDir } : {}),
    env: { FACEGATE_VECTOR_INDEX: setting },
    overrides: { database: db, faceEngine: createFakeFaceEngine(), backgroundJobs: false, logger: log.logger },
  });
  return { t, log };
}

async function enrolAndSearch(t: TestApp) {
  const acme = await t.newClient('acme');
  const post = (path: string, body: unknown) =>
    t.request('POST', `/v2/face-recognition/${path}`, { token: acme.token, body });
  const staff = (await post('collections', { name: 'staff' })).json().data;
  for (const name of ['Ada', 'Grace', 'Linus']) {
    const res = await post('persons', { name, images: [fakeImage({ person: name })], collections: [staff._id] });
    assert.equal(res.statusCode, 200, res.body);
  }
  const search = async (person: string) =>
    (await post('search', { images: [fakeImage({ person, variant: 0.3 })], collection_id: staff._id })).json();
  return { staff, search, post };
}

describe('FACEGATE_VECTOR_INDEX on PostgreSQL with pgvector (PGlite)', { skip: await pgvectorSkip() }, () => {
  let pglite: PGlite;
  let db: SqlDriver;
  before(async () => {
    pglite = await createPglite({ vector: true });
    db = createPgliteDriver(pglite, { closeDatabase: false });
  });
  after(() => pglite?.close());

  test('pgvector: enrolments land in PostgreSQL and search answers from there, through the HTTP API', async () => {
    const { t, log } = await onPglite(db, 'pgvector');
    try {
      assert.equal(t.app.services.index.name, 'pgvector');
      assert.deepEqual(
        { index: choiceOf(log.lines)?.['index'], reason: choiceOf(log.lines)?.['reason'] },
        { index: 'pgvector', reason: 'FACEGATE_VECTOR_INDEX=pgvector' },
      );
      const { staff, search } = await enrolAndSearch(t);
      const rows = await db.all<{ n: number }>('SELECT count(*)::int AS n FROM face_vectors WHERE collection = ?', [
        staff._id,
      ]);
      assert.equal(rows[0]?.n, 3);
      const found = await search('Grace');
      assert.equal(found.data.length, 1);
      assert.equal(found.data[0].name, 'Grace');
      assert.ok(found.data[0].score > 0.9);
      assert.deepEqual((await search('Stranger')).data, []);
    } finally {
      await t.close();
    }
  });

  test('auto takes pgvector, says why, and a restart finds the table in step (no rebuild)', async () => {
    const { t, log } = await onPglite(db, 'auto');
    try {
      assert.equal(t.app.services.index.name, 'pgvector');
      assert.equal(choiceOf(log.lines)?.['reason'], 'auto: PostgreSQL has the vector extension');
      assert.equal(
        log.lines.filter((l) => l['msg'] === 'vector index rebuilt').length,
        0,
        'the table written by the previous start matches the templates',
      );
    } finally {
      await t.close();
    }
  });

  test('persons enrolled under HNSW are searchable once switched to pgvector: the table is filled at start', async () => {
    const fresh = await createPglite({ vector: true });
    const freshDb = createPgliteDriver(fresh, { closeDatabase: false });
    // One data directory: the same template key across the restart.
    const dataDir = mkdtempSync(join(tmpdir(), 'facegate-pgvector-'));
    try {
      const first = await onPglite(freshDb, 'hnsw', dataDir);
      let staffId: string;
      let token: string;
      try {
        assert.equal(first.t.app.services.index.name, 'hnsw+replicated');
        const acme = await first.t.newClient('acme');
        token = acme.token;
        const post = (path: string, body: unknown) =>
          first.t.request('POST', `/v2/face-recognition/${path}`, { token, body });
        staffId = (await post('collections', { name: 'staff' })).json().data._id;
        const res = await post('persons', {
          name: 'Ada',
          images: [fakeImage({ person: 'Ada' })],
          collections: [staffId],
        });
        assert.equal(res.statusCode, 200, res.body);
      } finally {
        await first.t.close();
      }
      const second = await onPglite(freshDb, 'pgvector', dataDir);
      try {
        assert.equal(second.log.lines.filter((l) => l['msg'] === 'vector index rebuilt').length, 1);
        const res = await second.t.request('POST', '/v2/face-recognition/search', {
          token,
          body: { images: [fakeImage({ person: 'Ada', variant: 0.3 })], collection_id: staffId },
        });
        assert.equal(res.json().data[0]?.name, 'Ada', res.body);
      } finally {
        await second.t.close();
      }
    } finally {
      await fresh.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

describe('FACEGATE_VECTOR_INDEX on PostgreSQL without pgvector (Debian)', { skip: postgresKind.skip }, () => {
  test('pgvector refuses to start, naming the variable and the extension', async () => {
    await assert.rejects(
      startTestApp(postgresKind, {
        env: { FACEGATE_VECTOR_INDEX: 'pgvector' },
        overrides: { faceEngine: createFakeFaceEngine(), backgroundJobs: false },
      }),
      (err: Error) => {
        assert.equal(err.name, 'ConfigError');
        assert.match(err.message, /FACEGATE_VECTOR_INDEX=pgvector/);
        assert.match(err.message, /extension "vector" \(pgvector\)/);
        return true;
      },
    );
  });

  test('auto falls back to HNSW and says why', async () => {
    const log = capture();
    const t = await startTestApp(postgresKind, {
      env: { FACEGATE_VECTOR_INDEX: 'auto' },
      overrides: { faceEngine: createFakeFaceEngine(), backgroundJobs: false, logger: log.logger },
    });
    try {
      assert.equal(t.app.services.index.name, 'hnsw+replicated');
      assert.equal(choiceOf(log.lines)?.['reason'], 'auto: PostgreSQL without the vector extension');
      const { search } = await enrolAndSearch(t);
      assert.equal((await search('Linus')).data[0]?.name, 'Linus');
    } finally {
      await t.close();
    }
  });
});

describe('FACEGATE_VECTOR_INDEX on SQLite', () => {
  test('pgvector refuses to start: it needs PostgreSQL', async () => {
    await assert.rejects(
      startTestApp(sqliteKind, {
        env: { FACEGATE_VECTOR_INDEX: 'pgvector' },
        overrides: { faceEngine: createFakeFaceEngine(), backgroundJobs: false },
      }),
      /FACEGATE_VECTOR_INDEX=pgvector needs PostgreSQL with the vector extension, but the database is sqlite/,
    );
  });

  test('auto is HNSW', async () => {
    const t = await startTestApp(sqliteKind, {
      overrides: { faceEngine: createFakeFaceEngine(), backgroundJobs: false, logger: false },
    });
    try {
      assert.equal(t.app.services.index.name, 'hnsw+replicated');
    } finally {
      await t.close();
    }
  });
});
