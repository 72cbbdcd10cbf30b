import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { newObjectId } from '../../src/domain/object-id.js';
import type { Store } from '../../src/ports/store.js';
import { aClient } from '../helpers/factories.js';
import { pgliteKind, storeKinds } from '../helpers/stores.js';

// The console sessions their operators signed out of (ports/console-session-ends.ts), on every database: an end is
// recorded once, is the client's alone, is forgotten once its session has expired, and goes with its client.

const at = (iso: string) => new Date(iso);

for (const kind of [...storeKinds, pgliteKind]) {
  describe(`console session ends: ${kind.name}`, { skip: kind.skip }, () => {
    let store: Store;
    before(async () => {
      store = await kind.open();
    });
    after(async () => {
      await store?.close();
    });

    test('an end is recorded once, and is only its client’s', async () => {
      const a = await store.clients.insert(aClient({ name: 'a' }));
      const b = await store.clients.insert(aClient({ name: 'b' }));
      const sid = newObjectId();
      const ends = store.consoleSessionEnds;
      assert.equal(await ends.hasEnded(a._id, sid), false);
      const expires = at('2026-12-01T18:00:00.000Z');
      assert.equal(await ends.end(a._id, sid, at('2026-12-01T10:00:00.000Z'), expires), true);
      assert.equal(await ends.end(a._id, sid, at('2026-12-01T10:00:01.000Z'), expires), false, 'ended already');
      assert.equal(await ends.hasEnded(a._id, sid), true);
      assert.equal(await ends.hasEnded(b._id, sid), false, 'another client’s session of the same id');
      assert.equal(await ends.hasEnded(a._id, newObjectId()), false);
      const both = await Promise.all([
        ends.end(b._id, sid, at('2026-12-01T10:00:00.000Z'), expires),
        ends.end(b._id, sid, at('2026-12-01T10:00:00.000Z'), expires),
      ]);
      assert.deepEqual(both.sort(), [false, true], 'two ends at once: one of them ended it');
    });

    test('sweep forgets the ends of expired sessions only; deleting the client deletes its ends', async () => {
      const c = await store.clients.insert(aClient());
      const [early, late] = [newObjectId(), newObjectId()];
      const ends = store.consoleSessionEnds;
      await ends.end(c._id, early, at('2026-01-01T00:00:00.000Z'), at('2026-01-01T08:00:00.000Z'));
      await ends.end(c._id, late, at('2026-01-01T00:00:00.000Z'), at('2026-01-01T09:00:00.000Z'));
      assert.equal(await ends.sweep(at('2026-01-01T08:00:00.000Z')), 0, 'expiring at that instant is not before it');
      assert.equal(await ends.sweep(at('2026-01-01T08:30:00.000Z')), 1);
      assert.equal(await ends.hasEnded(c._id, early), false);
      assert.equal(await ends.hasEnded(c._id, late), true);
      assert.equal(await store.clients.delete(c._id, c._id), true);
      assert.equal(await ends.hasEnded(c._id, late), false);
    });
  });
}
