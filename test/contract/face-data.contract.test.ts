import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Store } from '../../src/ports/store.js';
import { aClient, aCollection, aPerson as person } from '../helpers/factories.js';
import { pgliteKind, storeKinds } from '../helpers/stores.js';

const unit = (seed: number, dim = 8) => {
  const v = Float32Array.from({ length: dim }, (_, i) => Math.sin(seed * 7.3 + i));
  const n = Math.hypot(...v);
  return v.map((x) => x / n);
};

// PGlite too: our PostgreSQL migrations run on it unchanged, and it is where the pgvector adapter is tested.
for (const kind of [...storeKinds, pgliteKind]) {
  describe(`face data contract: ${kind.name}`, { skip: kind.skip }, () => {
    let store: Store;
    before(async () => {
      store = await kind.open();
    });
    after(() => store?.close());

    test('templates round-trip exactly, and are stored sealed', async () => {
      const c = await store.clients.insert(aClient());
      const p = await store.persons.insert(person(c._id));
      const t = unit(1);
      const [id] = await store.faceData.addTemplates([
        { personId: p._id, clientId: c._id, modelId: 'm1', template: t, thumbnail: Buffer.from('jpeg-bytes') },
      ]);
      const read = await store.faceData.templatesOf(c._id, [p._id]);
      assert.equal(read.length, 1);
      assert.equal(read[0]?.id, id);
      assert.equal(read[0]?.modelId, 'm1');
      assert.equal(read[0]?.dimension, 8);
      assert.deepEqual(Array.from(read[0]?.template ?? []), Array.from(t));
      const thumbs = await store.faceData.thumbnailsOf(c._id, [p._id]);
      assert.equal(Buffer.from(thumbs.get(p._id)?.[0]?.thumbnail ?? '', 'base64').toString(), 'jpeg-bytes');
      // Another tenant reads nothing.
      const other = await store.clients.insert(aClient());
      assert.deepEqual(await store.faceData.templatesOf(other._id, [p._id]), []);
    });

    test('membership enforces name + date of birth uniqueness per collection', async () => {
      const c = await store.clients.insert(aClient());
      const [col1, col2] = [
        await store.collections.insert(aCollection(c._id)),
        await store.collections.insert(aCollection(c._id)),
      ];
      const a = await store.persons.insert(person(c._id));
      const b = await store.persons.insert(person(c._id));
      assert.equal(await store.faceData.addMembership(c._id, a._id, col1._id, 'ana|1990-01-02'), null);
      assert.equal(await store.faceData.addMembership(c._id, b._id, col1._id, 'ana|1990-01-02'), a._id);
      assert.equal(await store.faceData.addMembership(c._id, b._id, col2._id, 'ana|1990-01-02'), null);
      assert.equal(await store.faceData.addMembership(c._id, a._id, col1._id, 'ana|1990-01-02'), null, 'idempotent');
      const nobody = await store.persons.insert(person(c._id, { name: 'No Date', date_of_birth: null }));
      const twin = await store.persons.insert(person(c._id, { name: 'No Date', date_of_birth: null }));
      assert.equal(await store.faceData.addMembership(c._id, nobody._id, col1._id, null), null);
      assert.equal(await store.faceData.addMembership(c._id, twin._id, col1._id, null), null);
      const members = await store.faceData.collectionsOf(c._id, [a._id, b._id]);
      assert.deepEqual(
        members.map((m) => [m.personId, m.collectionId]).sort(),
        [
          [a._id, col1._id],
          [b._id, col2._id],
        ].sort(),
      );
    });

    test('entries and fingerprint follow membership and deletions', async () => {
      const c = await store.clients.insert(aClient());
      const col = await store.collections.insert(aCollection(c._id));
      const empty = await store.faceData.fingerprint(col._id);
      const p = await store.persons.insert(person(c._id, { name: 'Ben' }));
      await store.faceData.addTemplates([
        { personId: p._id, clientId: c._id, modelId: 'm1', template: unit(2), thumbnail: null },
        { personId: p._id, clientId: c._id, modelId: 'm1', template: unit(3), thumbnail: null },
      ]);
      await store.faceData.addMembership(c._id, p._id, col._id, null);
      const fp = await store.faceData.fingerprint(col._id);
      assert.notEqual(fp, empty);
      const entries = [];
      for await (const e of store.faceData.entries(col._id)) entries.push(e);
      assert.equal(entries.length, 2);
      assert.ok(entries.every((e) => e.personId === p._id && e.vector.length === 8));
      assert.ok((await store.faceData.collectionsWithMembers()).includes(col._id));

      assert.equal(await store.persons.delete(c._id, p._id), true);
      assert.equal(await store.faceData.fingerprint(col._id), empty);
      assert.deepEqual(await store.faceData.templateIdsOf(c._id, p._id), []);
      const after = [];
      for await (const e of store.faceData.entries(col._id)) after.push(e);
      assert.equal(after.length, 0);
    });
  });
}
