import { parseArgs } from 'node:util';
import { emptyListQuery } from '../src/domain/list-query.js';
import type { AuditSource } from '../src/services/audit-trail.js';
import { startTestApp } from '../test/helpers/app.js';
import { createFakeFaceEngine, fakeImage } from '../test/helpers/fake-face-engine.js';
import { postgresKind, sqliteKind } from '../test/helpers/stores.js';

// What the operator features cost (#17), through the app's inject on a real store: the dashboard's stats over
// many validations, a /metrics scrape, and an audited page of persons (each person read is an audit row) beside the
// same page unaudited. Faces come from the fake engine: the figures are about the store, not the models.
//   node dist/bench/ops.bench.js [--store sqlite|postgres] [--validations 10000] [--persons 100]

const { values } = parseArgs({
  options: {
    store: { type: 'string', default: 'sqlite' },
    validations: { type: 'string', default: '10000' },
    persons: { type: 'string', default: '100' },
  },
});
const kind = values.store === 'postgres' ? postgresKind : sqliteKind;
if (kind.skip) throw new Error(`${kind.name}: ${kind.skip}`);
const validations = Number(values.validations);
const persons = Number(values.persons);

const t = await startTestApp(kind, { overrides: { faceEngine: createFakeFaceEngine(), backgroundJobs: false } });
try {
  const { id: client, token } = await t.newClient('bench');
  const api = (method: 'GET' | 'POST', url: string, body?: unknown) =>
    t.request(method, url, { token, ...(body === undefined ? {} : { body }) });
  const project = (await api('POST', '/v2/projects', { name: 'P' })).json().data._id;
  const flow = (await api('POST', '/v2/project-flows', { project, type: 'login' })).json().data._id;
  const first = (
    await api('POST', '/v2/biometric-validations', { project, projectFlow: flow, identifier: 'x', type: 'login' })
  ).json().data.biometricValidation;
  const stored = await t.app.store.biometricValidations.findById(client, first._id);
  if (!stored) throw new Error('no validation');
  const { _id, createdAt, updatedAt, __v, ...body } = stored;
  // Copies of one created validation, with outcomes and scores spread, written in batches of 500.
  for (let i = 0; i < validations; i += 500) {
    await t.app.store.batch(async (tx) => {
      for (let j = i; j < Math.min(validations, i + 500); j++) {
        await tx.biometricValidations.insert({
          ...body,
          livenessSession: `${first.livenessSession}-${j}`,
          status: j % 3 ? 'validated' : 'failed',
          attempts: 1,
          livenessScore: (j % 100) / 100,
          failureReason: j % 3 ? null : 'liveness_failed',
        });
      }
    });
  }
  const collection = (await api('POST', '/v2/face-recognition/collections', { name: 'c' })).json().data._id;
  for (let i = 0; i < persons; i++) {
    await api('POST', '/v2/face-recognition/persons', {
      name: `P${i}`,
      images: [fakeImage({ person: `P${i}` })],
      collections: [collection],
    });
  }

  const median = async (runs: number, fn: () => Promise<unknown>) => {
    const ms: number[] = [];
    for (let i = 0; i < runs; i++) {
      const t0 = performance.now();
      await fn();
      ms.push(performance.now() - t0);
    }
    ms.sort((a, b) => a - b);
    return Math.round((ms[Math.floor(runs / 2)] ?? 0) * 10) / 10;
  };
  const ok = async (res: Promise<{ statusCode: number; body: string }>) => {
    const r = await res;
    if (r.statusCode !== 200) throw new Error(`${r.statusCode} ${r.body.slice(0, 200)}`);
  };
  const who: AuditSource = { actor: { type: 'client', id: client, name: 'bench' }, ip: '127.0.0.1', userAgent: 'b' };
  const page = emptyListQuery({ perPage: persons });
  const figures = {
    store: kind.name,
    validations: validations + 1,
    persons,
    statsMs: await median(10, () => ok(api('GET', '/v2/stats/validations'))),
    metricsScrapeMs: await median(10, () => ok(t.request('GET', '/metrics'))),
    personsPageUnauditedMs: await median(20, () => t.app.services.persons.list(client, page)),
    personsPageAuditedMs: await median(20, () => t.app.services.persons.list(client, page, who)),
    personsPageHttpMs: await median(10, () => ok(api('GET', `/v2/face-recognition/persons?perPage=${persons}`))),
  };
  console.log(JSON.stringify(figures));
} finally {
  await t.close();
}
