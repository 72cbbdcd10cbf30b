import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { enrolPerson, loginProject } from '../helpers/api-setup.js';
import { errorOf, startTestApp, type TestApp } from '../helpers/app.js';
import { createFakeFaceEngine, fakeImage } from '../helpers/fake-face-engine.js';
import { storeKinds } from '../helpers/stores.js';

// A person's export (right of access, #17): the record with its thumbnails, the app logins that name the person
// and the audit entries about their data, never a template; the export itself is an audit entry. Faces come from
// the fake engine (this is about the record); the store is real.

for (const kind of storeKinds) {
  describe(`GET /v2/face-recognition/persons/:id/export (${kind.name})`, { skip: kind.skip }, () => {
    let t: TestApp;
    let acme: { id: string; token: string };
    let other: { id: string; token: string };
    let ada: string;
    let project: string;
    let flow: string;

    before(async () => {
      t = await startTestApp(kind, { overrides: { faceEngine: createFakeFaceEngine(), backgroundJobs: false } });
      acme = await t.newClient('acme');
      other = await t.newClient('other');
      let collection: { code: string };
      ({ project, flow, collection } = await loginProject(t, acme.token));
      ada = await enrolPerson(t, acme.token, collection.code, 'Ada', [fakeImage({ person: 'Ada' })]);
    });
    after(() => t?.close());

    test('holds the person with thumbnails, their app logins and what was done with their data', async () => {
      const created = await t.request('POST', '/v2/biometric-validations', {
        token: acme.token,
        body: { project, projectFlow: flow, identifier: 'ada', type: 'login' },
      });
      assert.equal(created.statusCode, 200, created.body);
      const login = await t.request('POST', '/v2/biometric-validations/validate', {
        token: created.json().data.token,
        body: { image: fakeImage({ person: 'Ada', variant: 0.2 }), os: 'IOS' },
      });
      assert.equal(login.statusCode, 200, login.body);
      const read = await t.request('GET', `/v2/face-recognition/persons/${ada}`, { token: acme.token });
      assert.equal(read.statusCode, 200);

      const res = await t.request('GET', `/v2/face-recognition/persons/${ada}/export`, { token: acme.token });
      assert.equal(res.statusCode, 200, res.body);
      const d = res.json().data;
      assert.equal(d.person._id, ada);
      assert.equal(d.person.name, 'Ada');
      assert.equal(d.person.thumbnails.length, 1);
      assert.deepEqual(
        d.person.thumbnails,
        read.json().data.thumbnails,
        'the thumbnails as the person record has them',
      );
      assert.deepEqual(
        d.appLogins.map((l: any) => [l.person, l.type, l.status]),
        [[ada, 'faceLiveness', 'validated']],
      );
      assert.deepEqual(new Set(d.auditLog.map((e: any) => e.action)), new Set(['person.create', 'person.read']));
      assert.doesNotMatch(JSON.stringify(d), /template|embedding/i, 'no template leaves the server');

      const log = await t.request('GET', `/v2/audit-logs?where_resourceId=${ada}&where_action=person.export`, {
        token: acme.token,
      });
      assert.equal(log.json().total, 1, 'the export is recorded');
    });

    test("another tenant's person, a malformed id and no token are refused", async () => {
      const foreign = await t.request('GET', `/v2/face-recognition/persons/${ada}/export`, { token: other.token });
      assert.equal(foreign.statusCode, 404);
      assert.equal(errorOf(foreign).code, 'NotFound');
      const bad = await t.request('GET', '/v2/face-recognition/persons/x%00y/export', { token: acme.token });
      assert.ok(bad.statusCode >= 400 && bad.statusCode < 500, bad.body);
      const anonymous = await t.request('GET', `/v2/face-recognition/persons/${ada}/export`, {});
      assert.equal(anonymous.statusCode, 401);
    });
  });
}
