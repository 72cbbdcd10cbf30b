import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { BiometricValidation } from '../../src/domain/biometric-validation.js';
import { toKeyValues } from '../../src/domain/biometric-validation.js';
import type { Clock } from '../../src/ports/clock.js';
import { bodyOf } from '../../src/services/documents.js';
import { errorOf, startTestApp, type TestApp } from '../helpers/app.js';
import { storeKinds } from '../helpers/stores.js';

// The dashboard's figures (#17): validations created over three days through the API (a clock moved by the
// test), their outcomes and scores then written through the store as a validate call would have left them.

for (const kind of storeKinds) {
  describe(`GET /v2/stats/validations (${kind.name})`, { skip: kind.skip }, () => {
    let now = new Date('2026-03-01T09:00:00.000Z');
    const clock: Clock = { now: () => now };
    let t: TestApp;
    let acme: { id: string; token: string };
    let other: { id: string; token: string };
    let shop: string;
    let bank: string;

    const flowOf = async (project: string, webhookUrl?: string) =>
      (
        await t.request('POST', '/v2/project-flows', {
          token: acme.token,
          body: { project, type: 'login', ...(webhookUrl ? { webhookUrl } : {}) },
        })
      ).json().data._id as string;

    /** A validation created at `at`, then left as an attempt would leave it. */
    const validation = async (
      project: string,
      flow: string,
      at: string,
      outcome: Partial<BiometricValidation>,
      matchScore?: number,
    ) => {
      now = new Date(at);
      const v = (
        await t.request('POST', '/v2/biometric-validations', {
          token: acme.token,
          body: { project, projectFlow: flow, identifier: `p-${at}`, type: 'login' },
        })
      ).json().data.biometricValidation;
      const stored = await t.app.store.biometricValidations.findById(acme.id, v._id);
      assert.ok(stored);
      await t.app.store.biometricValidations.update(acme.id, v._id, { ...bodyOf(stored), ...outcome });
      if (matchScore !== undefined) {
        const s = await t.app.store.livenessSessions.findById(acme.id, stored.livenessSession);
        assert.ok(s);
        await t.app.store.livenessSessions.update(acme.id, s._id, {
          ...bodyOf(s),
          comparisonResult: toKeyValues({ score: matchScore, min_score: 0.85, passed: true }),
        });
      }
    };

    before(async () => {
      t = await startTestApp(kind, { clock, overrides: { backgroundJobs: false } });
      acme = await t.newClient('acme');
      other = await t.newClient('other');
      shop = (await t.request('POST', '/v2/projects', { token: acme.token, body: { name: 'Shop' } })).json().data._id;
      bank = (await t.request('POST', '/v2/projects', { token: acme.token, body: { name: 'Bank' } })).json().data._id;
      const shopFlow = await flowOf(shop, 'https://hooks.example/shop');
      const bankFlow = await flowOf(bank);
      const ok = (liveness: number) => ({ status: 'validated' as const, attempts: 1, livenessScore: liveness });
      await validation(shop, shopFlow, '2026-03-01T10:00:00.000Z', ok(0.9), 0.95);
      await validation(shop, shopFlow, '2026-03-01T11:00:00.000Z', ok(0.8), 0.91);
      await validation(shop, shopFlow, '2026-03-01T12:00:00.000Z', {
        status: 'failed',
        attempts: 3,
        livenessScore: 0.3,
        failureReason: 'liveness_failed',
      });
      await validation(shop, shopFlow, '2026-03-03T08:00:00.000Z', {
        status: 'pending',
        attempts: 1,
        livenessScore: 0.7,
        failureReason: 'person_not_found',
      });
      await validation(shop, shopFlow, '2026-03-03T09:00:00.000Z', {});
      await validation(bank, bankFlow, '2026-03-03T10:00:00.000Z', {
        status: 'failed',
        attempts: 3,
        livenessScore: 0.2,
        failureReason: 'liveness_failed',
      });
      now = new Date('2026-03-03T18:00:00.000Z');
    });
    after(() => t?.close());

    const stats = (query: string, token = acme.token) => t.request('GET', `/v2/stats/validations${query}`, { token });

    test('counts per day and status, reasons by frequency, score bands, the webhook backlog', async () => {
      const res = await stats('?from=2026-03-01&to=2026-03-03');
      assert.equal(res.statusCode, 200);
      const { days, reasons, scores, webhookBacklog } = res.json().data;
      assert.deepEqual(
        days.map((d: { day: string }) => d.day),
        ['2026-03-01', '2026-03-02', '2026-03-03'],
        'a bare date as `to` includes that day; a day without validations is there with zeros',
      );
      assert.deepEqual(days[0].byStatus, { new: 0, pending: 0, validated: 2, completed: 0, failed: 1, expired: 0 });
      assert.deepEqual(days[1].byStatus, { new: 0, pending: 0, validated: 0, completed: 0, failed: 0, expired: 0 });
      assert.deepEqual(days[2].byStatus, { new: 1, pending: 1, validated: 0, completed: 0, failed: 1, expired: 0 });
      assert.deepEqual(reasons, [
        { reason: 'liveness_failed', count: 2 },
        { reason: 'person_not_found', count: 1 },
      ]);
      assert.deepEqual(scores.liveness, [
        { day: '2026-03-01', p10: 0.4, p50: 0.8, p90: 0.88, count: 3 },
        { day: '2026-03-03', p10: 0.25, p50: 0.45, p90: 0.65, count: 2 },
      ]);
      assert.deepEqual(scores.match, [{ day: '2026-03-01', p10: 0.914, p50: 0.93, p90: 0.946, count: 2 }]);
      assert.equal(webhookBacklog, 5, "the shop flow's five validation events are not delivered yet");
    });

    test('one project only; by default the last 30 days', async () => {
      const bankOnly = (await stats(`?project=${bank}`)).json().data;
      assert.equal(bankOnly.days.length, 31, 'from 30 days before now: the first day is partial');
      assert.equal(bankOnly.days[0].day, '2026-02-01');
      assert.deepEqual(bankOnly.reasons, [{ reason: 'liveness_failed', count: 1 }]);
      assert.equal(bankOnly.days.at(-1).day, '2026-03-03');
      assert.equal(bankOnly.days.at(-1).byStatus.failed, 1);
    });

    test('another tenant sees nothing of it, and bad ranges are clear errors', async () => {
      const foreign = (await stats('?from=2026-03-01&to=2026-03-03', other.token)).json().data;
      assert.deepEqual(foreign.reasons, []);
      assert.ok(
        foreign.days.every((d: { byStatus: Record<string, number> }) =>
          Object.values(d.byStatus).every((n) => n === 0),
        ),
      );
      assert.equal(foreign.webhookBacklog, 0);
      const foreignProject = await stats(`?project=${shop}`, other.token);
      assert.equal(foreignProject.statusCode, 404);
      assert.equal(errorOf(foreignProject).message, 'project_not_found');
      const reversed = await stats('?from=2026-03-03&to=2026-03-01T00:00:00Z');
      assert.equal(reversed.statusCode, 409);
      assert.equal(errorOf(reversed).message, '"from" must be before "to"');
      assert.equal((await stats('?from=2020-01-01&to=2026-01-01')).statusCode, 409);
      assert.equal((await stats('?from=yesterday')).statusCode, 409);
      assert.equal((await stats('?colour=red')).statusCode, 409);
      assert.equal((await t.request('GET', '/v2/stats/validations')).statusCode, 401);
    });
  });
}
