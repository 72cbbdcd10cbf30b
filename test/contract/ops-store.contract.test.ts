import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { BiometricValidation, LivenessSession } from '../../src/domain/biometric-validation.js';
import { toKeyValues } from '../../src/domain/biometric-validation.js';
import type { NewDocument } from '../../src/domain/document.js';
import { emptyListQuery } from '../../src/domain/list-query.js';
import type { NewAuditEntry } from '../../src/ports/audit-log.js';
import type { Store } from '../../src/ports/store.js';
import { aClient, aFlow, aPerson, aProject } from '../helpers/factories.js';
import { pgliteKind, storeKinds } from '../helpers/stores.js';

// The operator's storage (#17), one contract for every adapter: the append-only audit log, webhook deliveries
// and redelivery, the dashboard's figures read out of the JSON documents, and the retention purge.

const session = (client: string, project: string, flow: string, score?: number): NewDocument<LivenessSession> => ({
  client,
  project,
  projectFlow: flow,
  identifier: 'someone',
  status: 'completed',
  livenessResult: [],
  comparisonResult: score === undefined ? [] : toKeyValues({ score, min_score: 0.85, passed: true }),
  generalInformation: [],
  documentTypeFields: [],
  location: [],
  proFields: [],
  studioFields: [],
  promptFields: [],
  expiresAt: '2030-01-01T00:00:00.000Z',
  activatedAt: '2026-01-01T00:00:00.000Z',
  challenge: null,
});

const validation = (
  client: string,
  project: string,
  flow: string,
  livenessSession: string,
  o: Partial<NewDocument<BiometricValidation>> = {},
): NewDocument<BiometricValidation> => ({
  client,
  project,
  projectFlow: flow,
  livenessSession,
  status: 'new',
  type: 'login',
  url: 'https://facegate.example/sign-in/x',
  livenessScore: 0,
  assignedCollection: 'c',
  collectionCode: 'c',
  requires2FA: false,
  identifier: 'someone',
  expiresAt: '2030-01-01T00:00:00.000Z',
  redirectUrl: null,
  webhookUrl: null,
  ipAddress: null,
  language: 'en',
  sendViaEmail: false,
  email: null,
  attempts: 0,
  maxAttempts: 3,
  failureReason: null,
  person: null,
  appLogin: null,
  parentAppLogin: null,
  completedAt: null,
  processingUntil: null,
  ...o,
});

for (const kind of [...storeKinds, pgliteKind]) {
  describe(`operator storage contract: ${kind.name}`, { skip: kind.skip }, () => {
    let now = new Date('2026-03-01T10:00:00.000Z');
    let store: Store;
    before(async () => {
      store = await kind.open({ now: () => now });
    });
    after(() => store?.close());

    const tenant = async () => {
      const c = await store.clients.insert(aClient());
      const p = await store.projects.insert(aProject(c._id));
      const f = await store.projectFlows.insert(aFlow(c._id, p._id));
      return { client: c._id, project: p._id, flow: f._id };
    };
    const entry = (client: string, action: string, id: string): NewAuditEntry => ({
      client,
      actor: { type: 'client', id: client, name: 'acme' },
      action,
      resource: { type: 'person', id },
      ip: '203.0.113.7',
      userAgent: 'ua',
    });

    test('audit entries are appended atomically, listed per tenant with filters, and outlive their person', async () => {
      const a = await tenant();
      const b = await tenant();
      const person = await store.persons.insert(aPerson(a.client));
      await store.auditLog.append([
        entry(a.client, 'person.create', person._id),
        entry(a.client, 'person.read', person._id),
      ]);
      await store.auditLog.append([entry(b.client, 'person.read', 'f'.repeat(24))]);
      await store.persons.delete(a.client, person._id);
      const listed = await store.auditLog.list(a.client, { ...emptyListQuery(), where: { resourceId: person._id } });
      assert.deepEqual(listed.items.map((e) => e.action).sort(), ['person.create', 'person.read']);
      const [first] = listed.items;
      assert.deepEqual(first?.actor, { type: 'client', id: a.client, name: 'acme' });
      assert.deepEqual(first?.resource, { type: 'person', id: person._id });
      assert.equal(first?.ip, '203.0.113.7');
      assert.equal(first?.client, a.client);
      assert.equal(
        (first as unknown as Record<string, unknown> | undefined)?.['resourceId'],
        undefined,
        'no column copies',
      );
      assert.equal(
        (await store.auditLog.list(a.client, { ...emptyListQuery(), where: { action: 'person.read' } })).total,
        1,
      );
      assert.equal((await store.auditLog.list(b.client, emptyListQuery())).total, 1, 'tenant-scoped');
      assert.ok(!store.auditLog.filterable.includes('ip'));
      assert.equal('update' in store.auditLog || 'delete' in store.auditLog, false, 'append-only port');
      await store.clients.delete(b.client, b.client);
      assert.equal((await store.auditLog.list(b.client, emptyListQuery())).total, 0, 'gone with its tenant');
    });

    test('a failed attempt keeps the answer; redelivery makes it due now, unless a dispatcher holds it', async () => {
      const t = await tenant();
      const id = await store.webhooks.enqueue({
        clientId: t.client,
        url: 'https://h.example',
        type: 'x',
        body: '{}',
        resourceId: 'v1',
      });
      await store.webhooks.enqueue({ clientId: t.client, url: 'https://h.example', type: 'y', body: '{}' });
      assert.equal(await store.webhooks.backlog(t.client), 2);
      const [claimed] = await store.webhooks.claimDue(now, 1, 30_000);
      assert.equal(claimed?.deliveryId, id);
      await store.webhooks.markFailed(claimed?.id ?? 0, 'HTTP 502', new Date(now.getTime() + 3_600_000), {
        statusCode: 502,
        response: 'bad gateway',
      });
      const [failed] = await store.webhooks.listByResource(t.client, 'v1');
      assert.equal(failed?.status, 'pending');
      assert.equal(failed?.lastStatusCode, 502);
      assert.equal(failed?.lastResponse, 'bad gateway');
      assert.equal(failed?.attempts, 1);
      assert.equal(failed?.resourceId, 'v1');
      assert.equal((await store.webhooks.claimDue(now, 10, 30_000)).filter((d) => d.deliveryId === id).length, 0);

      const other = await tenant();
      assert.equal(await store.webhooks.redeliver(other.client, id, now), undefined, "another tenant's: missing");
      const again = await store.webhooks.redeliver(t.client, id, now);
      assert.equal(again?.attempts, 0);
      const [reclaimed] = (await store.webhooks.claimDue(now, 10, 30_000)).filter((d) => d.deliveryId === id);
      assert.ok(reclaimed, 'due at once');
      const held = await store.webhooks.redeliver(t.client, id, now);
      assert.equal(held?.attempts, 1, 'leased: left to its dispatcher');
      await store.webhooks.markDelivered(reclaimed.id, now, { statusCode: 200, response: 'ok' });
      const done = await store.webhooks.findByDeliveryId(t.client, id);
      assert.equal(done?.status, 'delivered');
      assert.equal(done?.lastStatusCode, 200);
      assert.equal(done?.lastError, null);
      assert.equal(await store.webhooks.backlog(t.client), 1);
    });

    test('the dashboard rows read status, reason, scores and the session’s match score out of the documents', async () => {
      const t = await tenant();
      const s1 = await store.livenessSessions.insert(session(t.client, t.project, t.flow, 0.93));
      await store.biometricValidations.insert(
        validation(t.client, t.project, t.flow, s1._id, { status: 'validated', attempts: 1, livenessScore: 0.88 }),
      );
      const s2 = await store.livenessSessions.insert(session(t.client, t.project, t.flow));
      await store.biometricValidations.insert(
        validation(t.client, t.project, t.flow, s2._id, {
          status: 'failed',
          attempts: 3,
          livenessScore: 0.2,
          failureReason: 'liveness_failed',
        }),
      );
      const rows = await store.stats.validations(t.client, {
        from: '2026-03-01T00:00:00.000Z',
        to: '2026-03-02T00:00:00.000Z',
      });
      assert.deepEqual(
        rows.map(({ createdAt: _c, ...r }) => r),
        [
          { status: 'validated', failureReason: null, attempts: 1, livenessScore: 0.88, matchScore: 0.93 },
          { status: 'failed', failureReason: 'liveness_failed', attempts: 3, livenessScore: 0.2, matchScore: null },
        ],
      );
      assert.deepEqual(
        await store.stats.validations(t.client, { from: '2026-03-02T00:00:00.000Z', to: '2026-03-03T00:00:00.000Z' }),
        [],
      );
      const counts = await store.stats.validationCounts();
      assert.ok(counts.some((c) => c.type === 'login' && c.status === 'failed' && c.count >= 1));
    });

    test('the retention purge deletes a project’s older records and what hangs off them, nothing else', async () => {
      const t = await tenant();
      now = new Date('2026-01-01T00:00:00.000Z');
      const s = await store.livenessSessions.insert(session(t.client, t.project, t.flow));
      const old = await store.biometricValidations.insert(validation(t.client, t.project, t.flow, s._id));
      await store.webhooks.enqueue({
        clientId: t.client,
        url: 'https://h.example',
        type: 'x',
        body: '{}',
        resourceId: old._id,
      });
      now = new Date('2026-02-01T00:00:00.000Z');
      const s2 = await store.livenessSessions.insert(session(t.client, t.project, t.flow));
      const recent = await store.biometricValidations.insert(validation(t.client, t.project, t.flow, s2._id));
      const counts = await store.retention.purgeProject(t.client, t.project, '2026-01-15T00:00:00.000Z');
      assert.deepEqual(counts, {
        webhookEvents: 1,
        appLogins: 0,
        livenessSessions: 1,
        biometricValidations: 1,
        emailValidations: 0,
        phoneValidations: 0,
      });
      assert.equal(await store.biometricValidations.findById(t.client, old._id), undefined);
      assert.ok(await store.biometricValidations.findById(t.client, recent._id));
      const other = await tenant();
      assert.equal(
        (await store.retention.purgeProject(other.client, t.project, '2030-01-01T00:00:00.000Z')).biometricValidations,
        0,
        'scoped to the client',
      );
      await store.projects.delete(t.client, t.project);
      const orphans = await store.retention.purgeOrphans('2030-01-01T00:00:00.000Z');
      assert.deepEqual(
        orphans.filter((o) => o.clientId === t.client).map((o) => o.counts.biometricValidations),
        [1],
      );
      now = new Date('2026-03-01T10:00:00.000Z');
    });
  });
}
