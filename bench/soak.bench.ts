// npm run bench:soak -- [--minutes 30] [--concurrency 2] [--workers 1] [--index auto|exact|hnsw] [--postgres] [--json]
//
// A bounded soak (#14): the real server in a child process (as deployed), under steady mixed load from this one
// client on loopback for `minutes`: validation creates, passive validates with a fixture photo of an enrolled
// person, 1:N searches, enrolments and deletions in a churn collection kept at ≤ 20 persons, and lists. Every
// validation's webhook goes to a receiver in this process. The server's RSS is read from /proc/<pid>/status every
// 10 s. Reports RSS at start, at the end, the maximum, the slope over the last third (least squares), requests/s
// and errors (non-2xx answers and failed connections, by operation and status). SQLite unless `--postgres` (a
// throwaway local cluster). A server that stops answering `/health/live` (5 s, twice in a row) ends the soak early:
// reported as `hungAtMinutes`, exit status 1, the server killed.

import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { openServices } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { packageRoot } from '../src/package-root.js';
import { startServerProcess, startWebhookReceiver, stopServerProcess } from '../test/helpers/server-process.js';
import { createLoopbackClient } from './loopback-client.js';

const { values: args } = parseArgs({
  options: {
    minutes: { type: 'string', default: '30' },
    concurrency: { type: 'string', default: '2' },
    workers: { type: 'string', default: '1' },
    'sample-seconds': { type: 'string', default: '10' },
    index: { type: 'string', default: 'auto' },
    postgres: { type: 'boolean', default: false },
    json: { type: 'boolean', default: false },
  },
});
const minutes = Number(args.minutes);
const concurrency = Number(args.concurrency);
const sampleMs = Number(args['sample-seconds']) * 1000;
if (!(minutes > 0) || !(concurrency >= 1) || !(sampleMs > 0))
  throw new Error('bad --minutes, --concurrency or --sample-seconds');
const log = (msg: string) => {
  if (!args.json) process.stderr.write(`${msg}\n`);
};

const REQUEST_TIMEOUT_MS = 30_000;
// A server that stops answering shows as timeouts, not as a soak that never ends.
const client = createLoopbackClient(concurrency + 2);
const call = (
  port: number,
  method: string,
  path: string,
  body: unknown,
  token: string,
  timeoutMs = REQUEST_TIMEOUT_MS,
) => client(port, method, path, body, token, timeoutMs);
const round = (x: number, d = 1) => Math.round(x * 10 ** d) / 10 ** d;
const quantile = (sorted: number[], q: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;

/** VmRSS of `pid` in MB, from /proc (Linux). */
function rssMb(pid: number): number {
  const m = readFileSync(`/proc/${pid}/status`, 'utf8').match(/^VmRSS:\s+(\d+)\s+kB/m);
  if (!m) throw new Error(`no VmRSS for pid ${pid}`);
  return Number(m[1]) / 1024;
}

/** Least-squares slope of y over x. */
function slope(points: Array<{ x: number; y: number }>): number {
  const n = points.length;
  if (n < 2) return 0;
  const mx = points.reduce((s, p) => s + p.x, 0) / n;
  const my = points.reduce((s, p) => s + p.y, 0) / n;
  const sxy = points.reduce((s, p) => s + (p.x - mx) * (p.y - my), 0);
  const sxx = points.reduce((s, p) => s + (p.x - mx) ** 2, 0);
  return sxx === 0 ? 0 : sxy / sxx;
}

const face = (n: string) => readFileSync(join(packageRoot, 'test', 'fixtures', 'faces', `${n}.jpg`)).toString('base64');
const photos = { obama1: face('obama-1'), obama2: face('obama-2'), churn: [face('biden-1'), face('angelina-1')] };

const dataDir = mkdtempSync(join(tmpdir(), 'facegate-soak-'));
let databaseUrl = `sqlite:${join(dataDir, 'facegate.sqlite')}`;
if (args.postgres) {
  const pg = await import('../test/helpers/postgres.js');
  const reason = pg.postgresUnavailableReason();
  if (reason) throw new Error(reason);
  databaseUrl = await pg.createTestDatabase();
}
const env: NodeJS.ProcessEnv = {
  ...process.env,
  FACEGATE_DATA_DIR: dataDir,
  FACEGATE_DATABASE_URL: databaseUrl,
  FACEGATE_JWT_SECRET: randomBytes(32).toString('hex'),
  FACEGATE_TEMPLATE_KEY: randomBytes(32).toString('hex'),
  FACEGATE_ENGINE_WORKERS: args.workers,
  FACEGATE_VECTOR_INDEX: args.index,
  FACEGATE_LOG_LEVEL: 'warn',
  FACEGATE_RATE_LIMIT_PER_MINUTE: '1000000',
  FACEGATE_WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true',
};

const receiver = await startWebhookReceiver();
const { services, close } = await openServices(loadConfig({ ...env, FACEGATE_LOG_LEVEL: 'silent' }));
const token = (await services.clients.create({ name: 'soak' })).token.token;
await close();
const server = await startServerProcess(env);
const pid = server.child.pid as number;
// Interrupted (Ctrl-C, a timeout): the server goes too.
for (const signal of ['SIGINT', 'SIGTERM'] as const)
  process.once(signal, () => {
    server.child.kill('SIGKILL');
    process.exit(130);
  });
const api = (method: string, path: string, body?: unknown, bearer = token) =>
  call(server.port, method, path, body, bearer);

const project = (await api('POST', '/v2/projects', { name: 'soak' })).json().data._id as string;
const flow = (
  await api('POST', '/v2/project-flows', {
    project,
    type: 'login',
    webhookUrl: receiver.url,
    loginSettings: { livenessMode: 'passive' },
  })
).json().data._id as string;
const loginCollection = (await api('GET', `/v2/face-recognition/collections?where_project=${project}`)).json().data[0]
  .code as string;
const churnCollection = (await api('POST', '/v2/face-recognition/collections', { name: 'churn' })).json().data
  .code as string;
const enrolled = await api('POST', '/v2/face-recognition/persons', {
  name: 'Barack Obama',
  images: [photos.obama1],
  collections: [loginCollection],
});
if (enrolled.status !== 200) throw new Error(`set-up enrolment failed: ${enrolled.status}`);

const counts = new Map<string, number>();
const errors = new Map<string, number>();
const latencies = new Map<string, number[]>();
const bump = (m: Map<string, number>, k: string) => m.set(k, (m.get(k) ?? 0) + 1);
let requests = 0;

/** One request of operation `op`: counted, timed, and an error unless it answers `expect`. */
async function timed(op: string, method: string, path: string, body?: unknown, bearer = token, expect = 200) {
  const t0 = performance.now();
  requests++;
  bump(counts, op);
  try {
    const r = await api(method, path, body, bearer);
    const ms = performance.now() - t0;
    (latencies.get(op) ?? latencies.set(op, []).get(op))?.push(ms);
    if (r.status !== expect) bump(errors, `${op} ${r.status} ${r.json().code ?? ''}`.trim());
    return r.status === expect ? r : undefined;
  } catch (err) {
    bump(errors, `${op} ${(err as NodeJS.ErrnoException).code ?? 'failed'}`);
    return undefined;
  }
}

const churn: string[] = [];
let enrolments = 0;
const createBody = (i: number) => ({ project, projectFlow: flow, identifier: `soak-${i}`, type: 'login' });
const operations: Array<{ weight: number; run: (i: number) => Promise<unknown> }> = [
  { weight: 30, run: (i) => timed('create', 'POST', '/v2/biometric-validations', createBody(i)) },
  {
    weight: 15,
    run: async (i) => {
      const created = await timed('create', 'POST', '/v2/biometric-validations', createBody(i));
      if (!created) return;
      const body = { image: photos.obama2, os: 'DESKTOP' };
      await timed('validate', 'POST', '/v2/biometric-validations/validate', body, created.json().data.token);
    },
  },
  {
    weight: 15,
    run: () =>
      timed('search', 'POST', '/v2/face-recognition/search', {
        images: [photos.obama2],
        collection_id: loginCollection,
        min_score: 0.85,
      }),
  },
  {
    weight: 10,
    run: async () => {
      const n = enrolments++;
      const r = await timed('enrol', 'POST', '/v2/face-recognition/persons', {
        name: `churn ${n}`,
        images: [photos.churn[n % photos.churn.length]],
        collections: [churnCollection],
      });
      if (r) churn.push(r.json().data._id);
    },
  },
  {
    weight: 10,
    run: async () => {
      if (churn.length <= 20 / 2) return; // keeps the collection between 10 and 20 persons
      await timed('delete', 'DELETE', `/v2/face-recognition/persons/${churn.shift()}`);
    },
  },
  {
    weight: 20,
    run: (i) =>
      i % 2 === 0
        ? timed('list', 'GET', '/v2/biometric-validations?perPage=20&where_status=validated')
        : timed('list', 'GET', '/v2/face-recognition/persons?perPage=20&like_name=churn'),
  },
];
const totalWeight = operations.reduce((s, o) => s + o.weight, 0);
const pick = (i: number) => {
  // A fixed interleaving (golden-ratio sequence) rather than random draws: the same mix in every minute.
  let r = ((i * 0.6180339887) % 1) * totalWeight;
  for (const o of operations) {
    r -= o.weight;
    if (r < 0) return o;
  }
  return operations[0] as (typeof operations)[number];
};

const samples: Array<{ seconds: number; rssMb: number; requests: number }> = [];
const t0 = performance.now();
const sample = () => {
  const seconds = (performance.now() - t0) / 1000;
  samples.push({ seconds: round(seconds), rssMb: round(rssMb(pid)), requests });
  return samples[samples.length - 1] as (typeof samples)[number];
};
const first = sample();
log(
  `soak: ${minutes} min, ${concurrency} client loops, ${args.workers} engine worker(s), ${args.postgres ? 'PostgreSQL' : 'SQLite'}; server pid ${pid}, RSS ${first.rssMb} MB`,
);
let hungAt: number | undefined;
let unanswered = 0;
const sampler = setInterval(async () => {
  const s = sample();
  const live = await call(server.port, 'GET', '/health/live', undefined, token, 5_000).then(
    (r) => r.status === 200,
    () => false,
  );
  unanswered = live ? 0 : unanswered + 1;
  if (unanswered >= 2 && hungAt === undefined) {
    hungAt = s.seconds;
    log(`  ${(s.seconds / 60).toFixed(1)} min: the server no longer answers /health/live: ending the soak`);
    client.close(); // cuts the requests left waiting on it
  }
  if (Math.round(s.seconds) % 60 < sampleMs / 1000)
    log(
      `  ${(s.seconds / 60).toFixed(1)} min: RSS ${s.rssMb} MB, ${s.requests} requests, ${[...errors.values()].reduce((a, b) => a + b, 0)} errors`,
    );
}, sampleMs);
const end = t0 + minutes * 60_000;
let next = 0;
await Promise.all(
  Array.from({ length: concurrency }, async () => {
    while (performance.now() < end && hungAt === undefined) {
      const i = next++;
      await pick(i).run(i);
    }
  }),
);
clearInterval(sampler);
const last = sample();
const elapsed = last.seconds;
const answering = await call(server.port, 'GET', '/health/live', undefined, token, 5_000).then(
  (r) => r.status === 200,
  () => false,
);
// A graceful stop, unless the server no longer runs its event loop (then SIGTERM is never handled).
const stopped = await Promise.race([
  stopServerProcess(server.child).then(() => true),
  new Promise((r) => setTimeout(() => r(false), 20_000)),
]);
if (!stopped) await stopServerProcess(server.child, 'SIGKILL');
client.close();
await receiver.close();
rmSync(dataDir, { recursive: true, force: true });

const lastThird = samples.filter((s) => s.seconds >= (elapsed * 2) / 3);
const perOp = Object.fromEntries(
  [...counts].map(([op, n]) => {
    const l = (latencies.get(op) ?? []).sort((a, b) => a - b);
    return [op, { requests: n, p50Ms: round(quantile(l, 0.5)), p99Ms: round(quantile(l, 0.99)) }];
  }),
);
const result = {
  minutes: round(elapsed / 60, 2),
  store: args.postgres ? 'postgres' : 'sqlite',
  concurrency,
  engineWorkers: Number(args.workers),
  rssStartMb: first.rssMb,
  rssEndMb: last.rssMb,
  rssMaxMb: Math.max(...samples.map((s) => s.rssMb)),
  rssSlopeLastThirdMbPerMin: round(slope(lastThird.map((s) => ({ x: s.seconds / 60, y: s.rssMb }))), 2),
  requests,
  requestsPerSecond: round(requests / elapsed),
  errors: Object.fromEntries(errors),
  errorCount: [...errors.values()].reduce((a, b) => a + b, 0),
  index: args.index,
  hungAtMinutes: hungAt === undefined ? null : round(hungAt / 60, 2),
  serverAnsweringAtEnd: answering,
  serverStoppedOnSigterm: stopped,
  webhooksReceived: receiver.received.length,
  operations: perOp,
  samples,
};

if (args.json) {
  process.stdout.write(`${JSON.stringify(result)}\n`);
} else {
  const { samples: _, operations: ops, errors: errs, ...summary } = result;
  for (const [k, v] of Object.entries(summary)) process.stdout.write(`${k.padEnd(28)} ${JSON.stringify(v)}\n`);
  process.stdout.write(`${'errors'.padEnd(28)} ${JSON.stringify(errs)}\n`);
  for (const [op, v] of Object.entries(ops)) process.stdout.write(`  ${op.padEnd(26)} ${JSON.stringify(v)}\n`);
}
process.exit(hungAt === undefined && answering ? 0 : 1);
