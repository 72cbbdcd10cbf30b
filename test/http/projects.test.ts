import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { errorOf, startTestApp, type TestApp } from '../helpers/app.js';
import { storeKinds } from '../helpers/stores.js';

for (const kind of storeKinds) {
  describe(`projects over HTTP (${kind.name})`, { skip: kind.skip }, () => {
    let t: TestApp;
    let acme: { id: string; token: string };
    let other: { id: string; token: string };
    before(async () => {
      t = await startTestApp(kind);
      acme = await t.newClient('acme');
      other = await t.newClient('other');
    });
    after(() => t?.close());

    test('create answers the document with defaults and a default collection', async () => {
      const res = await t.request('POST', '/v2/projects', {
        token: acme.token,
        body: {
          name: 'Shop',
          allowedCountries: ['Colombia'],
          branding: { bgColor: '#123456', logo: 'https://x.test/l.png' },
        },
      });
      assert.equal(res.statusCode, 200);
      const p = res.json().data;
      assert.match(p._id, /^[0-9a-f]{24}$/);
      assert.equal(p.client, acme.id);
      assert.equal(p.status, 'active');
      assert.equal(p.__v, 0);
      assert.deepEqual(p.branding, { bgColor: '#123456', logo: 'https://x.test/l.png' });
      const cols = (
        await t.request('GET', `/v2/face-recognition/collections?where_project=${p._id}`, { token: acme.token })
      ).json();
      assert.equal(cols.total, 1);
      assert.equal(cols.data[0].name, `default collection for project ${p._id}`);
      assert.match(cols.data[0].code, /^[0-9a-f-]{36}$/);
    });

    test('read, list with filters and sort, update, delete', async () => {
      const mk = async (name: string, status = 'active') =>
        (await t.request('POST', '/v2/projects', { token: acme.token, body: { name, status } })).json().data;
      const a = await mk('Alpha store');
      await mk('Beta', 'inactive');
      await mk('alphabet', 'pending');
      assert.equal(
        (await t.request('GET', `/v2/projects/${a._id}`, { token: acme.token })).json().data.name,
        'Alpha store',
      );

      const liked = (await t.request('GET', '/v2/projects?like_name=ALPHA&sort=name', { token: acme.token })).json();
      assert.deepEqual(
        liked.data.map((p: { name: string }) => p.name),
        ['Alpha store', 'alphabet'],
      );
      const inStatus = (
        await t.request('GET', '/v2/projects?in_status[]=inactive&in_status[]=pending', { token: acme.token })
      ).json();
      assert.deepEqual(inStatus.data.map((p: { name: string }) => p.name).sort(), ['Beta', 'alphabet']);
      const paged = (
        await t.request('GET', '/v2/projects?perPage=1&page=2&sort=-createdAt', { token: acme.token })
      ).json();
      assert.equal(paged.data.length, 1);
      assert.ok(paged.total >= 3);

      const upd = await t.request('PUT', `/v2/projects/${a._id}`, {
        token: acme.token,
        body: { name: 'Alpha 2', status: 'inactive' },
      });
      assert.equal(upd.statusCode, 200);
      assert.equal(upd.json().data.name, 'Alpha 2');
      assert.equal(upd.json().data.__v, 1);
      assert.equal(upd.json().data.allowedCountries.length, 0);

      assert.equal((await t.request('DELETE', `/v2/projects/${a._id}`, { token: acme.token })).statusCode, 200);
      const gone = await t.request('GET', `/v2/projects/${a._id}`, { token: acme.token });
      assert.equal(gone.statusCode, 404);
      assert.deepEqual(errorOf(gone), { code: 'NotFound', message: 'Record not found.' });
    });

    test("another tenant's project answers 404 and lists never show it", async () => {
      const p = (await t.request('POST', '/v2/projects', { token: acme.token, body: { name: 'Private' } })).json().data;
      for (const [method, body] of [['GET'], ['PUT', { name: 'x' }], ['DELETE']] as const) {
        const res = await t.request(method, `/v2/projects/${p._id}`, { token: other.token, body });
        assert.equal(res.statusCode, 404, method);
      }
      const list = (await t.request('GET', '/v2/projects', { token: other.token })).json();
      assert.equal(
        list.data.some((x: { _id: string }) => x._id === p._id),
        false,
      );
      assert.equal(
        (await t.request('GET', `/v2/projects/${p._id}`, { token: acme.token })).json().data.name,
        'Private',
      );
    });

    test('bad input gets the right status and code and changes nothing', async () => {
      const before = (await t.request('GET', '/v2/projects', { token: acme.token })).json().total;
      const cases: Array<[unknown, number, string, RegExp?]> = [
        ['{"name":', 400, 'InvalidContent'],
        [{}, 409, 'MissingParameter', /missing name/],
        [{ name: 42 }, 409, 'MissingParameter', /"name"/],
        [{ name: 'x', status: 'weird' }, 409, 'MissingParameter', /"status"/],
        [{ name: 'x', privacyUrl: 'javascript:alert(1)' }, 409, 'MissingParameter', /"privacyUrl"/],
        [[1, 2], 409, 'MissingParameter', /body/],
        [`{"name":"${'a'.repeat(10 * 1024 * 1024)}"}`, 413, 'PayloadTooLarge'],
      ];
      for (const [body, status, code, message] of cases) {
        const res = await t.request('POST', '/v2/projects', {
          token: acme.token,
          body,
          headers: { 'content-type': 'application/json' },
        });
        assert.equal(res.statusCode, status, JSON.stringify(body).slice(0, 40));
        assert.equal(res.json().code, code);
        if (message) assert.match(res.json().message, message);
      }
      const wrongType = await t.request('POST', '/v2/projects', {
        token: acme.token,
        body: 'name=x',
        headers: { 'content-type': 'text/plain' },
      });
      assert.equal(wrongType.statusCode, 415);
      assert.equal((await t.request('GET', '/v2/projects/not-an-id', { token: acme.token })).statusCode, 409);
      assert.equal((await t.request('GET', '/v2/projects?where_secret=1', { token: acme.token })).statusCode, 409);
      assert.equal((await t.request('GET', '/v2/projects', { token: acme.token })).json().total, before);
    });

    test('the public view shows an active project and its usable flows, nothing secret', async () => {
      const p = (await t.request('POST', '/v2/projects', { token: acme.token, body: { name: 'Public' } })).json().data;
      await t.request('POST', '/v2/project-flows', {
        token: acme.token,
        body: { project: p._id, type: 'login', webhookUrl: 'https://hooks.test/secret-path' },
      });
      await t.request('POST', '/v2/project-flows', {
        token: acme.token,
        body: { project: p._id, type: 'onboarding', status: 'draft' },
      });
      const res = await t.request('GET', `/v2/projects/kyc?id=${p._id}`);
      assert.equal(res.statusCode, 200);
      const data = res.json().data;
      assert.equal(data.name, 'Public');
      assert.deepEqual(
        data.projectFlows.map((f: { type: string }) => f.type),
        ['login'],
      );
      assert.doesNotMatch(res.body, /secret-path|client|searchMinScore/);

      await t.request('PUT', `/v2/projects/${p._id}`, { token: acme.token, body: { status: 'inactive' } });
      const inactive = await t.request('GET', `/v2/projects/kyc?id=${p._id}`);
      assert.equal(inactive.statusCode, 404);
      assert.equal(inactive.json().code, 'Project_not_found_or_featured_disabled');
      assert.equal((await t.request('GET', '/v2/projects/kyc?id=000000000000000000000000')).statusCode, 404);
    });
  });
}
