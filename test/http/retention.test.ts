import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Clock } from '../../src/ports/clock.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { aProject } from '../helpers/factories.js';
import { createFakeFaceEngine, fakeImage } from '../helpers/fake-face-engine.js';
import { storeKinds } from '../helpers/stores.js';

// Retention (#17) with a clock the test moves: a project keeps its validations (with their sessions, app logins
// and webhook events) for its retentionDays, or the deployment default; the purge deletes what is older and
// nothing else: not newer records, not another project's, not the persons enrolled, not the audit log.

const DAY = 86_400_000;

for (const kind of storeKinds) {
  describe(`retention purge (${kind.name})`, { skip: kind.skip }, () => {
    let now = new Date('2026-01-01T12:00:00.000Z');
    const clock: Clock = { now: () => now };
    let t: TestApp;
    let acme: { id: string; token: string };
    const api = (method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, body?: unknown) =>
      t.request(method, url, { token: acme.token, ...(body === undefined ? {} : { body }) });

    before(async () => {
      t = await startTestApp(kind, {
        clock,
        // Tokens outlive the months the clock is moved by.
        env: { FACEGATE_RETENTION_DAYS: '60', FACEGATE_TOKEN_TTL_DAYS: '3650' },
        overrides: { faceEngine: createFakeFaceEngine(), backgroundJobs: false },
      });
      acme = await t.newClient('acme');
    });
    after(() => t?.close());

    const projectWith = async (body: Record<string, unknown>) => {
      const project = (await api('POST', '/v2/projects', { name: 'P', ...body })).json().data;
      const flow = (
        await api('POST', '/v2/project-flows', {
          project: project._id,
          type: 'login',
          webhookUrl: 'https://h.example/x',
        })
      ).json().data._id;
      return { project, flow };
    };
    const validation = async (project: string, flow: string, identifier: string) => {
      const v = (
        await api('POST', '/v2/biometric-validations', { project, projectFlow: flow, identifier, type: 'login' })
      ).json().data.biometricValidation;
      // A login that went through: its app login, as a validate call leaves one.
      await t.app.store.appLogins.insert({
        client: acme.id,
        project,
        projectFlow: flow,
        status: 'validated',
        type: 'faceLiveness',
        biometricValidation: v._id,
        livenessSession: v.livenessSession,
        face: null,
        name: identifier,
        person: null,
        identifier,
        emailValidation: null,
        phoneValidation: null,
        accessControlLog: null,
        exchangedAt: null,
      });
      return v as { _id: string; livenessSession: string };
    };
    const exists = async (v: { _id: string; livenessSession: string }) => ({
      validation: (await t.app.store.biometricValidations.findById(acme.id, v._id)) !== undefined,
      session: (await t.app.store.livenessSessions.findById(acme.id, v.livenessSession)) !== undefined,
      appLogin: (await t.app.store.appLogins.findOne(acme.id, { biometricValidation: v._id })) !== undefined,
      webhooks: (await t.app.store.webhooks.listByResource(acme.id, v._id)).length,
    });
    const gone = { validation: false, session: false, appLogin: false, webhooks: 0 };
    const kept = { validation: true, session: true, appLogin: true, webhooks: 1 };

    test('the project setting is documented, validated and returned (null: the default)', async () => {
      const { project } = await projectWith({});
      assert.equal(project.retentionDays, null);
      const set = await api('PUT', `/v2/projects/${project._id}`, { retentionDays: 7 });
      assert.equal(set.json().data.retentionDays, 7);
      assert.equal((await api('PUT', `/v2/projects/${project._id}`, { retentionDays: 0 })).statusCode, 409);
      assert.equal((await api('PUT', `/v2/projects/${project._id}`, { retentionDays: 1.5 })).statusCode, 409);
      // A project stored before the setting existed has no such field: it reads and lists as before.
      const older = await t.app.store.projects.insert(aProject(acme.id));
      const read = await api('GET', `/v2/projects/${older._id}`);
      assert.equal(read.statusCode, 200, read.body);
      assert.equal(read.json().data.retentionDays, undefined);
      assert.equal((await api('GET', '/v2/projects')).statusCode, 200);
    });

    test('older than retentionDays is purged with everything that hangs off it; newer and other projects stay', async () => {
      const short = await projectWith({ retentionDays: 30 });
      const byDefault = await projectWith({});
      const collection = (await api('POST', '/v2/face-recognition/collections', { name: 'kept' })).json().data._id;
      const person = (
        await api('POST', '/v2/face-recognition/persons', {
          name: 'Ada',
          images: [fakeImage({ person: 'Ada' })],
          collections: [collection],
        })
      ).json().data._id;

      now = new Date('2026-01-01T12:00:00.000Z');
      const old = await validation(short.project._id, short.flow, 'old');
      const oldDefault = await validation(byDefault.project._id, byDefault.flow, 'old-default');
      now = new Date(now.getTime() + 10 * DAY);
      const recent = await validation(short.project._id, short.flow, 'recent');
      assert.deepEqual(await exists(old), kept);

      now = new Date(new Date('2026-01-01T12:00:00.000Z').getTime() + 31 * DAY);
      const purged = await t.app.services.retention.purgeOnce();
      assert.equal(purged, 4, 'the validation, its session, app login and webhook event');
      assert.deepEqual(await exists(old), gone, 'past its project’s 30 days');
      assert.deepEqual(await exists(recent), kept, '21 days old');
      assert.deepEqual(await exists(oldDefault), kept, 'the default (60 days here) keeps it');
      assert.equal((await api('GET', `/v2/face-recognition/persons/${person}`)).statusCode, 200, 'face data stays');
      assert.equal((await api('GET', `/v2/biometric-validations/${old._id}`)).statusCode, 404);

      const audit = (await api('GET', '/v2/audit-logs?where_action=retention.purge')).json();
      assert.equal(audit.total, 1);
      assert.deepEqual(audit.data[0].actor, { type: 'system', id: null, name: 'retention' });
      assert.deepEqual(audit.data[0].resource, { type: 'project', id: short.project._id });

      now = new Date(new Date('2026-01-01T12:00:00.000Z').getTime() + 61 * DAY);
      await t.app.services.retention.purgeOnce();
      assert.deepEqual(await exists(oldDefault), gone, 'past the default');
      assert.deepEqual(await exists(recent), gone, 'now 51 days old, past 30');
      assert.equal(await t.app.services.retention.purgeOnce(), 0, 'nothing left to purge');
    });

    test('a deleted project’s records follow the default', async () => {
      const doomed = await projectWith({ retentionDays: 1 });
      const start = now;
      const v = await validation(doomed.project._id, doomed.flow, 'orphan');
      await api('DELETE', `/v2/projects/${doomed.project._id}`);
      now = new Date(start.getTime() + 30 * DAY);
      await t.app.services.retention.purgeOnce();
      assert.deepEqual(await exists(v), kept, 'the project’s own 1 day went with it; 60 by default');
      now = new Date(start.getTime() + 61 * DAY);
      await t.app.services.retention.purgeOnce();
      assert.deepEqual(await exists(v), gone);
    });

    test('the one-time-code counters, keyed by an address, go a day after their window began', async () => {
      const counters = t.app.store.codeCounters;
      const key = 'sends:email:ada@example.test';
      const start = now.getTime();
      await counters.hit(acme.id, key, 5, 3_600_000, start);
      await counters.hit(acme.id, key, 5, 3_600_000, start + 1000);
      now = new Date(start + 23 * 3_600_000);
      assert.equal(await t.app.services.retention.purgeOnce(), 0, 'within the day');
      now = new Date(start + DAY + 1);
      assert.equal(await t.app.services.retention.purgeOnce(), 1);
      // Forgotten: the address's next send starts a window of its own.
      assert.equal((await counters.hit(acme.id, key, 5, 3_600_000, now.getTime())).count, 1);
    });
  });
}
