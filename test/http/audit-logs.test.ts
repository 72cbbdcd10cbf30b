import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { errorOf, startTestApp, type TestApp } from '../helpers/app.js';
import { createFakeFaceEngine, fakeImage } from '../helpers/fake-face-engine.js';
import { storeKinds } from '../helpers/stores.js';

// The audit log (#17): what an operator did to face data and settings, who, when and from where, listed per
// tenant, append-only, and kept after the person it names is deleted. Faces come from the fake engine (this is
// about the record, not the faces); the store is real.

const UA = 'audit-test/1.0';

for (const kind of storeKinds) {
  describe(`GET /v2/audit-logs (${kind.name})`, { skip: kind.skip }, () => {
    let t: TestApp;
    let acme: { id: string; token: string };
    let other: { id: string; token: string };
    let staff: string;

    const call = (method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, body?: unknown, token = acme.token) =>
      t.request(method, url, {
        token,
        headers: { 'user-agent': UA },
        ...(body === undefined ? {} : { body }),
      });
    const entries = async (query = '', token = acme.token) => {
      const res = await call('GET', `/v2/audit-logs${query}`, undefined, token);
      assert.equal(res.statusCode, 200, res.body);
      return res.json() as { data: Array<Record<string, any>>; total: number };
    };
    const enrol = async (name: string) =>
      (
        await call('POST', '/v2/face-recognition/persons', {
          name,
          images: [fakeImage({ person: name })],
          collections: [staff],
        })
      ).json().data._id as string;

    before(async () => {
      t = await startTestApp(kind, { overrides: { faceEngine: createFakeFaceEngine(), backgroundJobs: false } });
      acme = await t.newClient('acme');
      other = await t.newClient('other');
      staff = (await call('POST', '/v2/face-recognition/collections', { name: 'staff' })).json().data._id;
    });
    after(() => t?.close());

    test('an enrolment, each read of the person and its deletion are recorded: who, what, from where', async () => {
      const ada = await enrol('Ada');
      assert.equal((await call('GET', `/v2/face-recognition/persons/${ada}`)).statusCode, 200);
      assert.equal((await call('GET', '/v2/face-recognition/persons')).statusCode, 200);
      const found = await call('POST', '/v2/face-recognition/search', {
        images: [fakeImage({ person: 'Ada' })],
        collection_id: staff,
        min_score: 0.5,
      });
      assert.equal(found.json().data[0]?.id, ada);
      assert.equal((await call('DELETE', `/v2/face-recognition/persons/${ada}`)).statusCode, 200);

      const log = await entries(`?where_resourceId=${ada}&sort=createdAt`);
      assert.deepEqual(
        log.data.map((e) => e.action),
        ['person.create', 'person.read', 'person.read', 'person.read', 'person.delete'],
        'create, get, list, search, delete',
      );
      const [created] = log.data;
      assert.deepEqual(created?.actor, { type: 'client', id: acme.id, name: 'acme' });
      assert.deepEqual(created?.resource, { type: 'person', id: ada });
      assert.equal(created?.client, acme.id);
      assert.equal(created?.ip, '127.0.0.1');
      assert.equal(created?.userAgent, UA);
      assert.match(created?.createdAt, /^\d{4}-\d\d-\d\dT/);
      assert.doesNotMatch(JSON.stringify(log), /thumbnail|template|base64|FAKE:/i, 'ids only, never face data');
      assert.equal(
        (await call('GET', `/v2/face-recognition/persons/${ada}`)).statusCode,
        404,
        'the person is gone, its entries stay',
      );
    });

    test('collection deletion, token renewal, secret rotation and settings changes are recorded', async () => {
      const temp = (await call('POST', '/v2/face-recognition/collections', { name: 'temp' })).json().data._id;
      const bob = (
        await call('POST', '/v2/face-recognition/persons', {
          name: 'Bob',
          images: [fakeImage({ person: 'Bob' })],
          collections: [temp],
        })
      ).json().data._id;
      const project = (await call('POST', '/v2/projects', { name: 'Shop' })).json().data._id;
      await call('PUT', `/v2/projects/${project}`, { name: 'Shop 2' });
      const flow = (await call('POST', '/v2/project-flows', { project, type: 'login' })).json().data._id;
      await call('PUT', `/v2/project-flows/${flow}`, { maxAttempts: 5 });
      await call('DELETE', `/v2/face-recognition/collections/${temp}`);
      await call('POST', '/v2/clients/webhook-secret', {});
      assert.equal((await call('GET', '/v2/auth/session?origin=refresh')).statusCode, 200);
      const renewed = await call('POST', '/v2/auth/renew-and-revoke', {});
      assert.equal(renewed.statusCode, 200);
      acme.token = renewed.json().token;

      const actions = async (q: string) => (await entries(q)).data.map((e) => e.action);
      assert.deepEqual(await actions(`?where_resourceId=${temp}`), ['collection.delete', 'collection.create']);
      assert.deepEqual(await actions(`?where_resourceId=${bob}`), ['person.delete', 'person.create']);
      assert.deepEqual(await actions(`?where_resourceId=${project}&sort=createdAt`), [
        'project.create',
        'project.update',
      ]);
      assert.deepEqual(await actions(`?where_resourceType=projectFlow&sort=createdAt`), [
        'projectFlow.create',
        'projectFlow.update',
      ]);
      assert.deepEqual(await actions(`?where_resourceType=client&sort=createdAt`), [
        'webhookSecret.rotate',
        'token.refresh',
        'token.renew',
      ]);
      assert.equal((await entries('?where_action=token.renew')).total, 1);
    });

    test('an onboarding on the hosted page is an enrolment too, by the onboarding, from the validation’s address', async () => {
      const project = (await call('POST', '/v2/projects', { name: 'Signup' })).json().data._id;
      const flow = (
        await call('POST', '/v2/project-flows', {
          project,
          type: 'onboarding',
          redirectUrl: 'https://shop.test/done',
          loginSettings: { livenessMode: 'passive' },
        })
      ).json().data._id;
      const created = (
        await call('POST', '/v2/biometric-validations', {
          project,
          projectFlow: flow,
          identifier: 'new@shop.test',
          ipAddress: '198.51.100.20',
          type: 'onboarding',
        })
      ).json().data;
      const validated = await t.request('POST', '/v2/biometric-validations/validate', {
        token: created.token,
        body: { image: fakeImage({ person: 'Newcomer' }), os: 'DESKTOP' },
      });
      assert.equal(validated.statusCode, 200, validated.body);
      const person = (await call('GET', `/v2/biometric-validations/${created.biometricValidation._id}`)).json().data
        .person;
      assert.match(String(person), /^[0-9a-f]{24}$/);
      const [entry] = (await entries(`?where_resourceId=${person}&where_action=person.create`)).data;
      assert.deepEqual(entry?.actor, { type: 'system', id: null, name: 'onboarding' });
      assert.equal(entry?.ip, '198.51.100.20');
    });

    test('the project-login exchange hands out the person: a read by the app login', async () => {
      const project = (await call('POST', '/v2/projects', { name: 'Login' })).json().data._id;
      const flow = (
        await call('POST', '/v2/project-flows', {
          project,
          type: 'login',
          redirectUrl: 'https://shop.test/done',
          loginSettings: { livenessMode: 'passive' },
        })
      ).json().data._id;
      const collection = (await call('GET', `/v2/face-recognition/collections?where_project=${project}`)).json().data[0]
        ._id;
      const grace = (
        await call('POST', '/v2/face-recognition/persons', {
          name: 'Grace',
          images: [fakeImage({ person: 'Grace' })],
          collections: [collection],
        })
      ).json().data._id;
      const created = (
        await call('POST', '/v2/biometric-validations', {
          project,
          projectFlow: flow,
          identifier: 'grace',
          type: 'login',
        })
      ).json().data;
      const validated = await t.request('POST', '/v2/biometric-validations/validate', {
        token: created.token,
        body: { image: fakeImage({ person: 'Grace', variant: 0.2 }), os: 'DESKTOP' },
      });
      assert.equal(validated.statusCode, 200, validated.body);
      const exchanged = await t.request('POST', '/v2/auth/project-login', {
        token: validated.json().data.token,
        headers: { 'user-agent': 'shop-backend/2' },
      });
      assert.equal(exchanged.statusCode, 200, exchanged.body);
      assert.equal(exchanged.json().data.person._id, grace);
      const reads = (await entries(`?where_resourceId=${grace}&where_action=person.read`)).data;
      assert.equal(reads.length, 1);
      assert.equal(reads[0]?.actor.type, 'project-login');
      assert.equal(reads[0]?.actor.id, exchanged.json().data.appLogin._id);
      assert.equal(reads[0]?.userAgent, 'shop-backend/2');
    });

    test('filters by date range and pages like other lists; unknown filters are refused', async () => {
      const all = await entries('?perPage=500');
      assert.ok(all.total >= 10);
      const future = await entries(`?where>_createdAt=${new Date(Date.now() + 3_600_000).toISOString()}`);
      assert.equal(future.total, 0);
      const page = await entries('?perPage=2&page=2');
      assert.equal(page.data.length, 2);
      assert.equal(page.total, all.total);
      const bad = await call('GET', '/v2/audit-logs?where_ip=127.0.0.1');
      assert.equal(bad.statusCode, 409);
      assert.match(String(errorOf(bad).message), /"where_ip" is not allowed/);
    });

    test('tenant-scoped and append-only: another tenant sees none of it; no route writes or deletes entries', async () => {
      assert.equal((await entries('', other.token)).total, 0);
      const before = (await entries()).total;
      for (const method of ['POST', 'PUT', 'DELETE'] as const) {
        const res = await call(method, '/v2/audit-logs', method === 'DELETE' ? undefined : { action: 'x' });
        assert.equal(res.statusCode, 404, `${method} /v2/audit-logs`);
      }
      const one = (await entries()).data[0]?._id;
      assert.equal((await call('DELETE', `/v2/audit-logs/${one}`)).statusCode, 404);
      assert.equal((await entries()).total, before);
      assert.equal((await t.request('GET', '/v2/audit-logs')).statusCode, 401);
    });
  });
}
