import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Store } from '../../src/ports/store.js';
import { aClient } from '../helpers/factories.js';
import { pgliteKind, storeKinds } from '../helpers/stores.js';

// The one-time-code limits' counters (ports/code-counters.ts), on every database: a window takes units up to its
// limit and starts again once it has passed; a sweep forgets the counters of passed windows (their keys name an
// address or a number), and a counter swept starts afresh.

const HOUR = 3_600_000;
const t0 = Date.parse('2026-12-01T10:00:00.000Z');

for (const kind of [...storeKinds, pgliteKind]) {
  describe(`code counters: ${kind.name}`, { skip: kind.skip }, () => {
    let store: Store;
    before(async () => {
      store = await kind.open();
    });
    after(async () => {
      await store?.close();
    });

    test('a window holds its limit, starts again once passed, and is the client’s own', async () => {
      const a = await store.clients.insert(aClient({ name: 'a' }));
      const b = await store.clients.insert(aClient({ name: 'b' }));
      const c = store.codeCounters;
      const key = 'sends:email:ada@example.test';
      assert.deepEqual(await c.hit(a._id, key, 2, HOUR, t0), { taken: true, count: 1, windowStartMs: t0 });
      assert.equal((await c.hit(a._id, key, 2, HOUR, t0 + 1000)).taken, true);
      assert.deepEqual(await c.hit(a._id, key, 2, HOUR, t0 + 2000), { taken: false, count: 2, windowStartMs: t0 });
      assert.equal((await c.hit(b._id, key, 2, HOUR, t0 + 2000)).taken, true, 'another client’s counter');
      assert.deepEqual(await c.hit(a._id, key, 2, HOUR, t0 + HOUR), {
        taken: true,
        count: 1,
        windowStartMs: t0 + HOUR,
      });
    });

    test('sweep deletes the counters of windows that began before the cut, and only those', async () => {
      const a = await store.clients.insert(aClient());
      const c = store.codeCounters;
      await c.hit(a._id, 'tries:email:old@example.test', 10, HOUR, t0);
      await c.hit(a._id, 'tries:email:new@example.test', 10, HOUR, t0 + 2 * HOUR);
      await c.hit(a._id, 'tries:email:new@example.test', 10, HOUR, t0 + 2 * HOUR);
      assert.equal(await c.sweep(t0), 0, 'a window that began at the cut is kept');
      assert.ok((await c.sweep(t0 + HOUR)) >= 1);
      // The old address is forgotten: its next hit starts a window of its own. The newer one still counts.
      assert.deepEqual(await c.hit(a._id, 'tries:email:old@example.test', 10, HOUR, t0 + 2 * HOUR + 1), {
        taken: true,
        count: 1,
        windowStartMs: t0 + 2 * HOUR + 1,
      });
      assert.equal((await c.hit(a._id, 'tries:email:new@example.test', 10, HOUR, t0 + 2 * HOUR + 2)).count, 3);
    });
  });
}
