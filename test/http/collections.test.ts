import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { storeKinds } from '../helpers/stores.js';

for (const kind of storeKinds) {
  describe(`collections over HTTP (${kind.name})`, { skip: kind.skip }, () => {
    let t: TestApp;
    let acme: { id: string; token: string };
    let other: { id: string; token: string };
    before(async () => {
      t = await startTestApp(kind);
      acme = await t.newClient('acme');
      other = await t.newClient('other');
    });
    after(() => t?.close());

    test('CRUD by _id and by UUID code', async () => {
      const res = await t.request('POST', '/v2/face-recognition/collections', {
        token: acme.token,
        body: { name: 'Staff', description: 'all staff' },
      });
      assert.equal(res.statusCode, 200);
      const c = res.json().data;
      assert.match(c.code, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      assert.equal(c.project, null);
      assert.equal(c.deleted, false);
      for (const ref of [c._id, c.code]) {
        const got = await t.request('GET', `/v2/face-recognition/collections/${ref}`, { token: acme.token });
        assert.equal(got.json().data._id, c._id);
      }
      const upd = await t.request('PUT', `/v2/face-recognition/collections/${c.code}`, {
        token: acme.token,
        body: { name: 'Staff 2' },
      });
      assert.equal(upd.json().data.name, 'Staff 2');
      assert.equal(upd.json().data.description, 'all staff');
      assert.equal(upd.json().data.code, c.code);
      const listed = (
        await t.request('GET', `/v2/face-recognition/collections?where_code=${c.code}`, { token: acme.token })
      ).json();
      assert.equal(listed.total, 1);
      assert.equal(
        (await t.request('DELETE', `/v2/face-recognition/collections/${c.code}`, { token: acme.token })).statusCode,
        200,
      );
      assert.equal(
        (await t.request('GET', `/v2/face-recognition/collections/${c._id}`, { token: acme.token })).statusCode,
        404,
      );
    });

    test("another tenant's collection is invisible by _id and by code", async () => {
      const c = (
        await t.request('POST', '/v2/face-recognition/collections', { token: acme.token, body: { name: 'Mine' } })
      ).json().data;
      for (const ref of [c._id, c.code]) {
        assert.equal(
          (await t.request('GET', `/v2/face-recognition/collections/${ref}`, { token: other.token })).statusCode,
          404,
        );
        assert.equal(
          (
            await t.request('PUT', `/v2/face-recognition/collections/${ref}`, {
              token: other.token,
              body: { name: 'x' },
            })
          ).statusCode,
          404,
        );
        assert.equal(
          (await t.request('DELETE', `/v2/face-recognition/collections/${ref}`, { token: other.token })).statusCode,
          404,
        );
      }
      assert.equal(
        (await t.request('GET', '/v2/face-recognition/collections', { token: other.token })).json().total,
        0,
      );
      const foreignProject = (
        await t.request('POST', '/v2/projects', { token: acme.token, body: { name: 'P' } })
      ).json().data._id;
      const res = await t.request('POST', '/v2/face-recognition/collections', {
        token: other.token,
        body: { name: 'sneaky', project: foreignProject },
      });
      assert.equal(res.statusCode, 404);
      assert.equal(
        (await t.request('GET', '/v2/face-recognition/collections', { token: other.token })).json().total,
        0,
      );
    });

    test('a malformed reference is a clear error', async () => {
      const res = await t.request('GET', '/v2/face-recognition/collections/abc', { token: acme.token });
      assert.equal(res.statusCode, 409);
      assert.match(res.json().message, /collection _id or code/);
    });
  });
}
