import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { emptyListQuery } from '../../src/domain/list-query.js';
import type { Store } from '../../src/ports/store.js';
import { aClient, aCollection, aFlow, aPerson, aProject } from '../helpers/factories.js';
import { pgliteKind, storeKinds } from '../helpers/stores.js';

// PGlite too: our PostgreSQL migrations run on it unchanged, and it is where the pgvector adapter is tested.
for (const kind of [...storeKinds, pgliteKind]) {
  describe(`store contract: ${kind.name}`, { skip: kind.skip }, () => {
    let store: Store;
    before(async () => {
      store = await kind.open();
    });
    after(async () => {
      await store?.close();
    });

    test('insert returns a Verifik document and findById reads it back', async () => {
      const c = await store.clients.insert(aClient({ name: 'reader' }));
      assert.match(c._id, /^[0-9a-f]{24}$/);
      assert.equal(c.__v, 0);
      assert.ok(!Number.isNaN(Date.parse(c.createdAt)));
      assert.equal(c.createdAt, c.updatedAt);
      const read = await store.clients.findById(c._id, c._id);
      assert.deepEqual(read, c);
    });

    test("another tenant's row is invisible to reads, updates and deletes", async () => {
      const a = await store.clients.insert(aClient({ name: 'a' }));
      const b = await store.clients.insert(aClient({ name: 'b' }));
      const p = await store.projects.insert(aProject(a._id));
      assert.equal(await store.projects.findById(b._id, p._id), undefined);
      const { _id, createdAt, updatedAt, __v, ...body } = p;
      assert.equal(await store.projects.update(b._id, p._id, { ...body, name: 'stolen' }), undefined);
      assert.equal(await store.projects.delete(b._id, p._id), false);
      assert.equal((await store.projects.list(b._id, emptyListQuery())).total, 0);
      assert.equal((await store.projects.findById(a._id, p._id))?.name, 'Acme login');
    });

    test('list filters: where, in, like (case-insensitive, wildcard-safe), sort, pages and total', async () => {
      const c = await store.clients.insert(aClient());
      for (const [i, name] of ['Alpha', 'beta', 'Gamma', '100%_real', 'ALPHABET'].entries()) {
        await store.projects.insert(aProject(c._id, { name, status: i % 2 ? 'inactive' : 'active' }));
      }
      const q = (o: Parameters<typeof emptyListQuery>[0]) => store.projects.list(c._id, emptyListQuery(o));
      assert.equal((await q({ where: { status: 'inactive' } })).total, 2);
      assert.equal((await q({ in: { status: ['active', 'inactive'] } })).total, 5);
      assert.equal((await q({ in: { status: [] } })).total, 0);
      assert.deepEqual(
        (await q({ like: { name: 'alpha' }, sort: [{ field: 'name', desc: false }] })).items.map((p) => p.name),
        ['ALPHABET', 'Alpha'],
      );
      assert.deepEqual(
        (await q({ like: { name: '%_' } })).items.map((p) => p.name),
        ['100%_real'],
      );
      const page2 = await q({ sort: [{ field: 'name', desc: false }], page: 2, perPage: 2 });
      assert.equal(page2.total, 5);
      assert.deepEqual(
        page2.items.map((p) => p.name),
        ['Alpha', 'Gamma'],
      );
      await assert.rejects(q({ where: { contactEmail: 'x' } }), { code: 'MissingParameter' });
    });

    test('update bumps __v and updatedAt; a stale expected version changes nothing', async () => {
      const c = await store.clients.insert(aClient());
      const p = await store.projects.insert(aProject(c._id));
      const { _id, createdAt, updatedAt, __v, ...body } = p;
      await new Promise((r) => setTimeout(r, 5));
      const u = await store.projects.update(c._id, p._id, { ...body, name: 'renamed' }, 0);
      assert.equal(u?.__v, 1);
      assert.equal(u?.name, 'renamed');
      assert.ok(u && u.updatedAt > p.updatedAt);
      assert.equal(u?.createdAt, p.createdAt);
      assert.equal(await store.projects.update(c._id, p._id, { ...body, name: 'lost' }, 0), undefined);
      assert.equal((await store.projects.findById(c._id, p._id))?.name, 'renamed');
    });

    test('concurrent conditional updates: exactly one wins', async () => {
      const c = await store.clients.insert(aClient());
      const p = await store.projects.insert(aProject(c._id));
      const { _id, createdAt, updatedAt, __v, ...body } = p;
      const results = await Promise.all(
        Array.from({ length: 8 }, (_, i) => store.projects.update(c._id, p._id, { ...body, name: `w${i}` }, 0)),
      );
      assert.equal(results.filter(Boolean).length, 1);
    });

    test('a failed transaction leaves nothing behind', async () => {
      const c = await store.clients.insert(aClient());
      await assert.rejects(
        store.transaction(async (tx) => {
          await tx.projects.insert(aProject(c._id, { name: 'ghost' }));
          throw new Error('boom');
        }),
        /boom/,
      );
      assert.equal((await store.projects.list(c._id, emptyListQuery({ where: { name: 'ghost' } }))).total, 0);
    });

    test('a batch writes every insert and event it was given, and reads back what its inserts returned', async () => {
      const c = await store.clients.insert(aClient());
      const p = await store.projects.insert(aProject(c._id));
      const { flow, collection, deliveryId } = await store.batch(async (tx) => {
        const flow = await tx.projectFlows.insert(aFlow(c._id, p._id));
        const collection = await tx.collections.insert(aCollection(c._id, { project: p._id }));
        const deliveryId = await tx.webhooks.enqueue({
          clientId: c._id,
          url: 'https://x.test/h',
          type: 't',
          body: '{}',
        });
        return { flow, collection, deliveryId };
      });
      assert.deepEqual(await store.projectFlows.findById(c._id, flow._id), flow);
      assert.deepEqual(await store.collections.findById(c._id, collection._id), collection);
      assert.deepEqual(
        (await store.webhooks.list(c._id, 10)).map((e) => e.deliveryId),
        [deliveryId],
      );
    });

    test('a batch whose write fails leaves nothing behind', async () => {
      const c = await store.clients.insert(aClient());
      const taken = await store.collections.insert(aCollection(c._id));
      await assert.rejects(
        store.batch(async (tx) => {
          await tx.projects.insert(aProject(c._id, { name: 'ghost' }));
          await tx.collections.insert(aCollection(c._id, { code: taken.code }));
        }),
      );
      assert.equal((await store.projects.list(c._id, emptyListQuery({ where: { name: 'ghost' } }))).total, 0);
    });

    test("findValidationSetup reads the project, the flow, the project's first collection and its client, within one client", async () => {
      const c = await store.clients.insert(aClient());
      const other = await store.clients.insert(aClient());
      const p = await store.projects.insert(aProject(c._id));
      const f = await store.projectFlows.insert(aFlow(c._id, p._id));
      const first = await store.collections.insert(aCollection(c._id, { project: p._id }));
      await new Promise((r) => setTimeout(r, 5));
      await store.collections.insert(aCollection(c._id, { project: p._id }));
      const foreignFlow = await store.projectFlows.insert(aFlow(other._id, p._id));

      assert.deepEqual(await store.findValidationSetup(c._id, p._id, f._id), {
        client: c,
        project: p,
        projectFlow: f,
        collection: first,
      });
      // The hosted page has no client: the project's own client scopes the flow and the collection.
      assert.deepEqual(await store.findValidationSetup(null, p._id, f._id), {
        client: c,
        project: p,
        projectFlow: f,
        collection: first,
      });
      assert.deepEqual(await store.findValidationSetup(other._id, p._id, f._id), {});
      assert.deepEqual(await store.findValidationSetup(null, p._id, foreignFlow._id), {
        client: c,
        project: p,
        collection: first,
      });
      const bare = await store.projects.insert(aProject(c._id));
      assert.deepEqual(await store.findValidationSetup(c._id, bare._id, 'f'.repeat(24)), { client: c, project: bare });
    });

    test('collection codes are unique across the deployment', async () => {
      const c = await store.clients.insert(aClient());
      const col = await store.collections.insert(aCollection(c._id));
      await assert.rejects(store.collections.insert(aCollection(c._id, { code: col.code })));
      assert.equal((await store.collections.findOne(c._id, { code: col.code }))?._id, col._id);
    });

    test('deleting a project deletes its flows', async () => {
      const c = await store.clients.insert(aClient());
      const p = await store.projects.insert(aProject(c._id));
      const f = await store.projectFlows.insert(aFlow(c._id, p._id));
      assert.equal(await store.projects.delete(c._id, p._id), true);
      assert.equal(await store.projectFlows.findById(c._id, f._id), undefined);
    });

    test('deleting a client deletes everything it owns, face data included', async () => {
      const c = await store.clients.insert(aClient());
      const p = await store.projects.insert(aProject(c._id));
      const col = await store.collections.insert(aCollection(c._id, { project: p._id }));
      const person = await store.persons.insert(aPerson(c._id, { name: 'Gone' }));
      await store.faceData.addTemplates([
        {
          personId: person._id,
          clientId: c._id,
          modelId: 'm',
          template: new Float32Array(8).fill(0.25),
          thumbnail: null,
        },
      ]);
      await store.faceData.addMembership(c._id, person._id, col._id, null);
      assert.equal(await store.clients.delete(c._id, c._id), true);
      assert.equal(await store.persons.findById(c._id, person._id), undefined);
      assert.deepEqual(await store.faceData.templateIdsOf(c._id, person._id), []);
      assert.deepEqual(await store.faceData.membersOf(c._id, col._id), []);
      assert.equal(await store.collections.findById(c._id, col._id), undefined);
      assert.equal(await store.projects.findById(c._id, p._id), undefined);
    });

    test('documents round-trip nested JSON unchanged', async () => {
      const c = await store.clients.insert(aClient());
      const p = await store.projects.insert(aProject(c._id));
      const f = await store.projectFlows.insert(aFlow(c._id, p._id, { redirectUrl: 'https://x.test/cb?a=1' }));
      const read = await store.projectFlows.findById(c._id, f._id);
      assert.deepEqual(read, f);
    });
  });
}
