import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { createExactVectorIndex } from '../../src/adapters/vector-index/exact-vector-index.js';
import type { FaceEngine } from '../../src/ports/face-engine.js';
import type { VectorIndex } from '../../src/ports/vector-index.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { storeKinds } from '../helpers/stores.js';

// Issue #14, item 9: /health checked only the database, so a server whose index or engine was broken reported ok
// and a load balancer kept sending it traffic. /health/ready (and /health) now answer 503 naming the component;
// /health/live answers while the process does.

const brokenEngine = (detail: string): FaceEngine => ({
  modelId: 'fake',
  dimension: 512,
  detect: () => Promise.reject(new Error('no engine')),
  analyse: () => Promise.reject(new Error('no engine')),
  similarity: () => 0,
  score: () => 0,
  health: () => ({ ok: false, detail }),
  close: async () => undefined,
});

const brokenIndex = (): VectorIndex => ({
  ...createExactVectorIndex({ dimension: 512 }),
  health: async () => ({ ok: false, detail: 'cannot replay the index change log' }),
});

for (const kind of storeKinds) {
  describe(`health probes on ${kind.name}`, { skip: kind.skip }, () => {
    const apps: TestApp[] = [];
    after(async () => {
      for (const a of apps) await a.close();
    });
    const start = async (overrides = {}) => {
      const t = await startTestApp(kind, { overrides: { backgroundJobs: false, ...overrides } });
      apps.push(t);
      return t;
    };

    test('a healthy server is live and ready on every probe', async () => {
      const t = await start();
      for (const path of ['/health', '/health/ready']) {
        const res = await t.request('GET', path);
        assert.equal(res.statusCode, 200);
        assert.deepEqual(res.json(), { status: 'ok', database: 'ok', index: 'ok', engine: 'ok' });
      }
      assert.deepEqual((await t.request('GET', '/health/live')).json(), { status: 'ok' });
    });

    test('a broken engine makes the server not ready, but still live', async () => {
      const t = await start({ faceEngine: brokenEngine('no engine worker is running') });
      const res = await t.request('GET', '/health/ready');
      assert.equal(res.statusCode, 503);
      assert.deepEqual(res.json(), {
        status: 'unavailable',
        database: 'ok',
        index: 'ok',
        engine: 'unavailable',
        detail: { engine: 'no engine worker is running' },
      });
      assert.equal((await t.request('GET', '/health')).statusCode, 503);
      assert.equal((await t.request('GET', '/health/live')).statusCode, 200);
    });

    test('a broken index makes the server not ready', async () => {
      const t = await start({ vectorIndex: brokenIndex() });
      const res = await t.request('GET', '/health/ready');
      assert.equal(res.statusCode, 503);
      assert.equal(res.json().index, 'unavailable');
      assert.equal(res.json().engine, 'ok');
      assert.equal(res.json().detail.index, 'cannot replay the index change log');
    });

    test('an index whose health check throws is not ready, and the answer carries no internals', async () => {
      const index: VectorIndex = {
        ...createExactVectorIndex({ dimension: 512 }),
        health: () => Promise.reject(new Error('secret internal path /var/lib/x')),
      };
      const t = await start({ vectorIndex: index });
      const res = await t.request('GET', '/health/ready');
      assert.equal(res.statusCode, 503);
      assert.doesNotMatch(res.body, /secret|\/var\/lib/);
    });

    test('a closed database makes the server not ready', async () => {
      const t = await start();
      await t.app.store.close();
      const res = await t.request('GET', '/health/ready');
      assert.equal(res.statusCode, 503);
      assert.equal(res.json().database, 'unavailable');
      apps.splice(apps.indexOf(t), 1);
      // The rest of the app (background jobs, engine, index) must stop too, or the test process never exits; closing
      // the already closed database again may throw.
      await t.close().catch(() => undefined);
    });
  });
}

describe('health of the real engine and index', () => {
  test('the ONNX engine is ready once started and not ready once its workers are gone', async () => {
    const { createOnnxFaceEngine } = await import('../../src/adapters/face-engine/onnx-face-engine.js');
    const { packageRoot } = await import('../../src/package-root.js');
    const engine = await createOnnxFaceEngine({ modelsDir: `${packageRoot}/models`, workers: 1, queue: 4 });
    assert.deepEqual(engine.health?.(), { ok: true });
    await engine.close();
    assert.equal(engine.health?.().ok, false);
  });
});
