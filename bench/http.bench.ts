// npm run bench:http -- [--seconds 10] [--concurrency 32] [--persons 100000] [--validations 30] [--skip-postgres]
//                        [--skip-sqlite] [--create-only] [--json]
//
// Measures, against the real server in a child process (as deployed; the load generator runs in this process):
//   1. POST /v2/biometric-validations on SQLite, `concurrency` clients for `seconds`: requests/s, p50, p99, errors;
//   2. the same on PostgreSQL (a throwaway local cluster);
//   3. enrolment through the API: POST /v2/face-recognition/persons with one photo each, a few at a time;
//   4. validate (liveness + 1:N search) in a collection of `persons` persons, one request at a time: p50, p99.
//      The collection holds one real enrolled face and `persons` - 1 synthetic templates that cluster like real
//      ones (bench/synthetic-templates.ts), written straight to the database, sealed like any other template.

import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { openServices } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { identityKey } from '../src/domain/person.js';
import { packageRoot } from '../src/package-root.js';
import { aPerson } from '../test/helpers/factories.js';
import { createLoopbackClient } from './loopback-client.js';
import { generateTemplates } from './synthetic-templates.js';

const { values: args } = parseArgs({
  options: {
    seconds: { type: 'string', default: '10' },
    concurrency: { type: 'string', default: '32' },
    persons: { type: 'string', default: '100000' },
    validations: { type: 'string', default: '30' },
    enrolments: { type: 'string', default: '200' },
    'skip-postgres': { type: 'boolean', default: false },
    'skip-sqlite': { type: 'boolean', default: false },
    /** Only parts 1 and 2: the create figures in seconds rather than minutes, while tuning the request path. */
    'create-only': { type: 'boolean', default: false },
    json: { type: 'boolean', default: false },
  },
});
const seconds = Number(args.seconds);
const concurrency = Number(args.concurrency);
const personCount = Number(args.persons);
const validations = Number(args.validations);
const log = (msg: string) => {
  if (!args.json) process.stderr.write(`${msg}\n`);
};

const freePort = () =>
  new Promise<number>((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const a = s.address();
      s.close(() => resolve(typeof a === 'object' && a ? a.port : 0));
    });
  });

const call = createLoopbackClient(256);

const quantile = (sorted: number[], q: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
const round = (x: number, d = 1) => Math.round(x * 10 ** d) / 10 ** d;

async function startServer(env: NodeJS.ProcessEnv): Promise<{ port: number; child: ChildProcess; startMs: number }> {
  const port = await freePort();
  const t0 = performance.now();
  const child = spawn(process.execPath, [join(packageRoot, 'bin', 'facegate.js'), 'serve'], {
    env: { ...process.env, ...env, FACEGATE_PORT: String(port), FACEGATE_LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  for (;;) {
    if (child.exitCode !== null) throw new Error('server exited');
    const ok = await call(port, 'GET', '/health', undefined).then(
      (r) => r.status === 200,
      () => false,
    );
    if (ok) return { port, child, startMs: performance.now() - t0 };
    await new Promise((r) => setTimeout(r, 100));
  }
}

const stop = (child: ChildProcess) =>
  new Promise<void>((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });

/** A client, a project and an active login flow, made through the CLI and the API as an integrator would. */
async function setUp(env: NodeJS.ProcessEnv, port: number) {
  const out = await new Promise<string>((resolve, reject) => {
    const c = spawn(
      process.execPath,
      [join(packageRoot, 'bin', 'facegate.js'), 'clients', 'create', '--name', 'bench', '--json'],
      {
        env: { ...process.env, ...env, FACEGATE_LOG_LEVEL: 'warn' },
      },
    );
    let s = '';
    c.stdout.on('data', (d) => {
      s += d;
    });
    c.on('exit', (code) => (code === 0 ? resolve(s) : reject(new Error(`clients create exited ${code}`))));
  });
  const token = JSON.parse(out).token as string;
  const project = (await call(port, 'POST', '/v2/projects', { name: 'bench' }, token)).json().data._id as string;
  // A passive flow, as before new flows defaulted to active: the bench sends single images.
  const body = { project, type: 'login', loginSettings: { livenessMode: 'passive' } };
  const flow = (await call(port, 'POST', '/v2/project-flows', body, token)).json().data._id as string;
  return { token, project, flow };
}

async function loadCreate(port: number, s: { token: string; project: string; flow: string }) {
  const body = { project: s.project, projectFlow: s.flow, identifier: 'bench-user', type: 'login' };
  // Warm-up: JIT, statement caches, connection pools.
  for (let i = 0; i < 200; i++) await call(port, 'POST', '/v2/biometric-validations', body, s.token);
  const latencies: number[] = [];
  let errors = 0;
  const end = performance.now() + seconds * 1000;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < end) {
        const t0 = performance.now();
        const r = await call(port, 'POST', '/v2/biometric-validations', body, s.token).catch(() => ({ status: 0 }));
        latencies.push(performance.now() - t0);
        if (r.status !== 200) errors++;
      }
    }),
  );
  latencies.sort((a, b) => a - b);
  return {
    requestsPerSecond: round(latencies.length / seconds),
    p50Ms: round(quantile(latencies, 0.5), 2),
    p99Ms: round(quantile(latencies, 0.99), 2),
    requests: latencies.length,
    errors,
  };
}

async function benchCreate(name: string, env: NodeJS.ProcessEnv) {
  const server = await startServer(env);
  try {
    const s = await setUp(env, server.port);
    log(`${name}: ${concurrency} clients for ${seconds} s …`);
    return await loadCreate(server.port, s);
  } finally {
    await stop(server.child);
  }
}

/** Persons per second enrolled through the API, photos from the dev set when present, else the fixtures. */
async function benchEnrol(dataDir: string) {
  const env = { FACEGATE_DATA_DIR: dataDir };
  const server = await startServer(env);
  try {
    const s = await setUp(env, server.port);
    const collection = (
      await call(server.port, 'POST', '/v2/face-recognition/collections', { name: 'enrol' }, s.token)
    ).json().data.code;
    const fixtures = join(packageRoot, 'test', 'fixtures', 'faces');
    const photos = ['obama-1', 'obama-2', 'biden-1', 'angelina-1', 'angelina-2'].map((n) =>
      readFileSync(join(fixtures, `${n}.jpg`)).toString('base64'),
    );
    const total = Number(args.enrolments);
    let next = 0;
    let failures = 0;
    const enrolOne = async (i: number) => {
      const r = await call(
        server.port,
        'POST',
        '/v2/face-recognition/persons',
        { name: `person ${i}`, images: [photos[Math.abs(i) % photos.length]], collections: [collection] },
        s.token,
      );
      if (r.status !== 200) {
        failures++;
        log(`enrolment failed: ${r.status} ${JSON.stringify(r.json())}`);
      }
    };
    for (let i = 0; i < 8; i++) await enrolOne(-1 - i); // warm the workers
    const t0 = performance.now();
    await Promise.all(
      Array.from({ length: 4 }, async () => {
        for (let i = next++; i < total; i = next++) await enrolOne(i);
      }),
    );
    const seconds = (performance.now() - t0) / 1000;
    return { persons: total, personsPerSecond: round(total / seconds), failures };
  } finally {
    await stop(server.child);
  }
}

/** Fills the project's default collection straight through the store, then validates one selfie at a time. */
async function benchValidate(dataDir: string) {
  const env = { FACEGATE_DATA_DIR: dataDir, FACEGATE_TEMPLATE_KEY: randomBytes(32).toString('hex') };
  const config = loadConfig({ ...process.env, ...env, FACEGATE_LOG_LEVEL: 'silent' });
  const { store, services, close } = await openServices(config);
  const { client, token } = await services.clients.create({ name: 'bench' });
  const project = await services.projects.create(client._id, {
    name: 'bench',
    status: 'active',
    identifier: null,
    allowedCountries: [],
    contactEmail: null,
    privacyUrl: null,
    termsAndConditionsUrl: null,
    branding: {},
    dataProtection: {},
  });
  const collection = await store.collections.findOne(client._id, { project: project._id });
  if (!collection) throw new Error('no default collection');
  const face = (n: string) =>
    readFileSync(join(packageRoot, 'test', 'fixtures', 'faces', `${n}.jpg`)).toString('base64');
  await services.persons.create(client._id, {
    name: 'Barack Obama',
    images: [face('obama-1')],
    collections: [collection._id],
  });

  log(`writing ${personCount - 1} synthetic persons …`);
  const t0 = performance.now();
  const synthetic = generateTemplates({ identities: personCount - 1, samplesPerIdentity: 1, seed: 7 });
  const batch = 2000;
  for (let start = 0; start < synthetic.count; start += batch) {
    await store.transaction(async (tx) => {
      for (let i = start; i < Math.min(synthetic.count, start + batch); i++) {
        const p = await tx.persons.insert(aPerson(client._id, { name: `synthetic ${i}`, date_of_birth: null }));
        const template = synthetic.vectors.slice(i * 512, (i + 1) * 512);
        await tx.faceData.addTemplates([
          { personId: p._id, clientId: client._id, modelId: services.engine.modelId, template, thumbnail: null },
        ]);
        await tx.faceData.addMembership(client._id, p._id, collection._id, identityKey(p.name, null));
      }
    });
  }
  const fillMs = performance.now() - t0;
  await close();
  // The persons above were written around the index: drop its snapshot so the server builds it from the database.
  rmSync(join(dataDir, 'index'), { recursive: true, force: true });

  log('starting the server (index built from the database) …');
  const server = await startServer(env);
  try {
    const flow = (
      await call(
        server.port,
        'POST',
        '/v2/project-flows',
        { project: project._id, type: 'login', loginSettings: { livenessMode: 'passive' } },
        token.token,
      )
    ).json().data._id;
    const probe = face('obama-2');
    const latencies: number[] = [];
    let wrong = 0;
    for (let i = 0; i < validations + 3; i++) {
      const created = await call(
        server.port,
        'POST',
        '/v2/biometric-validations',
        { project: project._id, projectFlow: flow, identifier: `u${i}`, type: 'login' },
        token.token,
      );
      const t = performance.now();
      const r = await call(
        server.port,
        'POST',
        '/v2/biometric-validations/validate',
        { image: probe, os: 'DESKTOP' },
        created.json().data.token,
      );
      const ms = performance.now() - t;
      if (i >= 3) latencies.push(ms); // the first calls warm the engine workers
      if (r.status !== 200) wrong++;
    }
    latencies.sort((a, b) => a - b);
    return {
      persons: personCount,
      fillMs: Math.round(fillMs),
      serverStartMs: Math.round(server.startMs),
      p50Ms: round(quantile(latencies, 0.5), 1),
      p99Ms: round(quantile(latencies, 0.99), 1),
      failures: wrong,
    };
  } finally {
    await stop(server.child);
  }
}

const results: Record<string, unknown> = {};
const sqliteDir = mkdtempSync(join(tmpdir(), 'facegate-bench-'));
try {
  if (!args['skip-sqlite']) results['createSqlite'] = await benchCreate('SQLite', { FACEGATE_DATA_DIR: sqliteDir });
  if (!args['skip-postgres']) {
    const pg = await import('../test/helpers/postgres.js');
    const reason = pg.postgresUnavailableReason();
    if (reason) {
      results['createPostgres'] = { skipped: reason };
    } else {
      const pgDir = mkdtempSync(join(tmpdir(), 'facegate-bench-pg-'));
      try {
        const url = await pg.createTestDatabase();
        results['createPostgres'] = await benchCreate('PostgreSQL', {
          FACEGATE_DATA_DIR: pgDir,
          FACEGATE_DATABASE_URL: url,
        });
      } finally {
        rmSync(pgDir, { recursive: true, force: true });
      }
    }
  }
  if (!args['create-only']) {
    const enrolDir = mkdtempSync(join(tmpdir(), 'facegate-bench-e-'));
    try {
      log('enrolment through the API …');
      results['enrol'] = await benchEnrol(enrolDir);
    } finally {
      rmSync(enrolDir, { recursive: true, force: true });
    }
    const validateDir = mkdtempSync(join(tmpdir(), 'facegate-bench-v-'));
    try {
      results['validate'] = await benchValidate(validateDir);
    } finally {
      rmSync(validateDir, { recursive: true, force: true });
    }
  }
} finally {
  rmSync(sqliteDir, { recursive: true, force: true });
  call.close();
}

if (args.json) {
  process.stdout.write(`${JSON.stringify(results)}\n`);
} else {
  for (const [k, v] of Object.entries(results)) process.stdout.write(`${k.padEnd(16)} ${JSON.stringify(v)}\n`);
}
process.exit(0);
