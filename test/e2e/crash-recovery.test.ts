import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { openStore } from '../../src/adapters/storage/sql-store.js';
import { openServices } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { systemClock } from '../../src/ports/clock.js';
import { faces } from '../helpers/faces.js';
import {
  type ReceivedWebhook,
  type ServerProcess,
  startServerProcess,
  startWebhookReceiver,
  stopServerProcess,
} from '../helpers/server-process.js';
import { storeKinds, testCipher } from '../helpers/stores.js';

// Issue #14: `kill -9` under load loses nothing that was acknowledged. The real server runs in a child process on
// SQLite and on PostgreSQL; client loops create validations (paced ones on a flow with a webhook, unpaced ones on a
// flow without, so that requests are in flight when the kill comes) and validate some of them (passive mode, a
// fixture photo of the enrolled person) while the server is SIGKILLed at a random moment, three times (the last
// time while the receiver holds a delivery unanswered: sent, never recorded), and restarted on the same database
// and data directory. Then:
//   - every validation whose create or validate got a 200 is there, with the status that 200 announced;
//   - every webhook event of an acknowledged change reached the receiver, every row of the outbox was delivered
//     and its delivery id received (none lost), and a delivery id arrives twice only as the README's lease rule
//     allows: sent just before a kill, so never recorded, and sent again once its lease (30 s) ran out.

const KILLS = 3;
const LEASE_MS = 30_000; // the dispatcher's lease (webhook-dispatcher.ts)
const HOOKED_LOOPS = 3;
/** Per hooked loop; the dispatcher delivers at most 20 events per 250 ms, so the load stays below what it drains. */
const HOOKED_PAUSE_MS = 80;
/** Loops creating without a pause on a flow without a webhook. */
const BUSY_LOOPS = 4;
const VALIDATE_PAUSE_MS = 300;

interface Tracked {
  id: string;
  token: string;
  hooked: boolean;
  /** The status the last acknowledged answer announced. */
  status: 'new' | 'validated';
  /** A validate was sent that got no 200 (cut off by a kill, or refused): the stored status may have moved on. */
  uncertain: boolean;
  validating: boolean;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

for (const kind of storeKinds) {
  describe(`kill -9 under load (${kind.name})`, { skip: kind.skip }, () => {
    const dirs: string[] = [];
    let env: NodeJS.ProcessEnv;
    let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>;
    let server: ServerProcess | undefined;
    let token: string;
    let clientId: string;
    let project: string;
    let flow: string;
    let quietFlow: string;

    const call = async (method: string, path: string, body?: unknown, bearer = token) => {
      if (!server) throw new Error('server down');
      const res = await fetch(`${server.base}${path}`, {
        method,
        headers: { authorization: `Bearer ${bearer}`, ...(body ? { 'content-type': 'application/json' } : {}) },
        ...(body ? { body: JSON.stringify(body) } : {}),
      });
      return { status: res.status, body: (await res.json()) as any };
    };

    before(async () => {
      const dataDir = mkdtempSync(join(tmpdir(), 'facegate-crash-'));
      dirs.push(dataDir);
      receiver = await startWebhookReceiver();
      env = {
        ...process.env,
        FACEGATE_DATA_DIR: dataDir,
        FACEGATE_DATABASE_URL: await kind.freshUrl(),
        FACEGATE_JWT_SECRET: randomBytes(32).toString('hex'),
        FACEGATE_TEMPLATE_KEY: randomBytes(32).toString('hex'),
        FACEGATE_ENGINE_WORKERS: '1',
        FACEGATE_LOG_LEVEL: 'warn',
        FACEGATE_RATE_LIMIT_PER_MINUTE: '100000',
        FACEGATE_WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true',
      };
      const { services, close } = await openServices(loadConfig(env));
      const { client, token: issued } = await services.clients.create({ name: 'crash' });
      await close();
      token = issued.token;
      clientId = client._id;
      server = await startServerProcess(env);
      project = (await call('POST', '/v2/projects', { name: 'Crash' })).body.data._id;
      flow = (
        await call('POST', '/v2/project-flows', {
          project,
          type: 'login',
          webhookUrl: receiver.url,
          loginSettings: { livenessMode: 'passive' },
        })
      ).body.data._id;
      quietFlow = (
        await call('POST', '/v2/project-flows', { project, type: 'login', loginSettings: { livenessMode: 'passive' } })
      ).body.data._id;
      const collection = (await call('GET', `/v2/face-recognition/collections?where_project=${project}`)).body.data[0]
        .code;
      const enrolled = await call('POST', '/v2/face-recognition/persons', {
        name: 'Barack Obama',
        images: [faces.obama1()],
        collections: [collection],
      });
      assert.equal(enrolled.status, 200);
    });
    after(async () => {
      if (server) await stopServerProcess(server.child);
      await receiver?.close();
      for (const d of dirs) rmSync(d, { recursive: true, force: true });
    });

    test(`${KILLS} kills at random moments lose no acknowledged validation and no webhook event`, async (t) => {
      const tracked: Tracked[] = [];
      const killedAt: number[] = [];
      let loading = true;
      let acknowledgedCreates = 0;
      let acknowledgedValidates = 0;
      let cutOff = 0;
      const refused: string[] = [];
      const answered = (r: { status: number; body: any } | undefined, what: string) => {
        if (r === undefined) cutOff++;
        else if (r.status !== 200) refused.push(`${what}: ${r.status} ${JSON.stringify(r.body)}`);
        return r?.status === 200 ? r : undefined;
      };
      const probe = faces.obama2();

      const createLoop = async (name: string, hooked: boolean) => {
        for (let i = 0; loading; i++) {
          if (!server) {
            await sleep(50);
            continue;
          }
          const r = answered(
            await call('POST', '/v2/biometric-validations', {
              project,
              projectFlow: hooked ? flow : quietFlow,
              identifier: `${name}-${i}`,
              type: 'login',
            }).catch(() => undefined),
            'create',
          );
          if (r) {
            acknowledgedCreates++;
            const v = r.body.data.biometricValidation;
            assert.equal(v.status, 'new');
            tracked.push({
              id: v._id,
              token: r.body.data.token,
              hooked,
              status: 'new',
              uncertain: false,
              validating: false,
            });
          }
          if (hooked) await sleep(HOOKED_PAUSE_MS);
        }
      };
      const validateLoop = async () => {
        while (loading) {
          const v = server && tracked.findLast((x) => x.hooked && x.status === 'new' && !x.uncertain && !x.validating);
          if (!v) {
            await sleep(50);
            continue;
          }
          v.validating = true;
          const r = answered(
            await call('POST', '/v2/biometric-validations/validate', { image: probe, os: 'DESKTOP' }, v.token).catch(
              () => undefined,
            ),
            'validate',
          );
          v.validating = false;
          if (r) {
            acknowledgedValidates++;
            assert.equal(r.body.data.biometricValidation.status, 'validated');
            v.status = 'validated';
          } else v.uncertain = true;
          await sleep(VALIDATE_PAUSE_MS);
        }
      };

      const loops = [
        ...Array.from({ length: HOOKED_LOOPS }, (_, n) => createLoop(`hooked-${n}`, true)),
        ...Array.from({ length: BUSY_LOOPS }, (_, n) => createLoop(`busy-${n}`, false)),
        validateLoop(),
      ];
      const delays: number[] = [];
      let held: ReceivedWebhook | undefined;
      try {
        for (let k = 0; k < KILLS; k++) {
          const delay = 1500 + Math.floor(Math.random() * 3000);
          delays.push(delay);
          await sleep(delay);
          if (k === KILLS - 1) held = await receiver.holdNext();
          const victim = server as ServerProcess;
          killedAt.push(Date.now());
          server = undefined;
          await stopServerProcess(victim.child, 'SIGKILL');
          assert.equal(victim.child.signalCode, 'SIGKILL');
          server = await startServerProcess(env);
        }
        await sleep(1000);
      } finally {
        loading = false;
        await Promise.all(loops);
      }
      t.diagnostic(
        `kills after ${delays.join(', ')} ms of load; acknowledged ${acknowledgedCreates} creates and ` +
          `${acknowledgedValidates} validates; ${cutOff} requests cut off by a kill`,
      );
      assert.deepEqual(refused, [], 'every request a server answered succeeds');
      assert.ok(acknowledgedCreates > 30, `load too light: ${acknowledgedCreates} creates`);
      assert.ok(acknowledgedValidates >= KILLS, `too few validates: ${acknowledgedValidates}`);

      // 1. Every acknowledged validation, with the status it was acknowledged with.
      const missing: string[] = [];
      const wrong: string[] = [];
      for (let i = 0; i < tracked.length; i += 16) {
        await Promise.all(
          tracked.slice(i, i + 16).map(async (v) => {
            const r = await call('GET', `/v2/biometric-validations/${v.id}`);
            if (r.status !== 200) missing.push(`${v.id}: ${r.status}`);
            else if (!v.uncertain && r.body.data.status !== v.status)
              wrong.push(`${v.id}: acknowledged ${v.status}, stored ${r.body.data.status}`);
          }),
        );
      }
      assert.deepEqual(missing, [], 'acknowledged validations lost');
      assert.deepEqual(wrong, [], 'acknowledged statuses lost');

      // 2. Every event of an acknowledged change arrives (a delivery leased by a killed server waits out its lease).
      const expected = tracked
        .filter((v) => v.hooked)
        .flatMap((v) => [
          `biometric_validation_new ${v.id}`,
          ...(v.status === 'validated' ? [`biometric_validation_validated ${v.id}`] : []),
        ]);
      const arrived = () =>
        new Set(
          receiver.received.map((r) => `${r.event} ${(JSON.parse(r.body) as { object: { _id: string } }).object._id}`),
        );
      const deadline = Date.now() + LEASE_MS + 15_000;
      let notArrived = expected;
      while (Date.now() < deadline) {
        const seen = arrived();
        notArrived = expected.filter((e) => !seen.has(e));
        if (notArrived.length === 0) break;
        await sleep(250);
      }
      assert.deepEqual(notArrived, [], 'webhook events of acknowledged changes not delivered');

      // 3. The outbox: every event written (acknowledged or not) is delivered and its delivery id was received.
      const { store, driver } = await openStore(env['FACEGATE_DATABASE_URL'] as string, systemClock, testCipher());
      try {
        let undelivered: string[] = [];
        let lost: string[] = [];
        let outboxSize = 0;
        while (Date.now() < deadline + 5_000) {
          const outbox = await store.webhooks.list(clientId, 1_000_000);
          outboxSize = outbox.length;
          const ids = new Set(receiver.received.map((r) => r.deliveryId));
          undelivered = outbox.filter((e) => e.status !== 'delivered').map((e) => `${e.deliveryId} ${e.status}`);
          lost = outbox.filter((e) => !ids.has(e.deliveryId)).map((e) => e.deliveryId);
          if (undelivered.length === 0 && lost.length === 0) break;
          await sleep(250);
        }
        assert.deepEqual(undelivered, [], 'outbox rows not delivered');
        assert.deepEqual(lost, [], 'delivery ids never received');
        assert.ok(outboxSize >= expected.length);
        const known = new Set((await store.webhooks.list(clientId, 1_000_000)).map((e) => e.deliveryId));
        assert.deepEqual(
          receiver.received.filter((r) => !known.has(r.deliveryId)).map((r) => r.deliveryId),
          [],
          'deliveries not from the outbox',
        );
      } finally {
        await driver.close();
      }

      // 4. Duplicates only by the lease rule: the first copy was sent shortly before a kill (the killed server could
      //    not record it), the next one no earlier than its lease allows.
      const copies = new Map<string, number[]>();
      for (const r of receiver.received) copies.set(r.deliveryId, [...(copies.get(r.deliveryId) ?? []), r.at]);
      const doubled = [...copies].filter(([, at]) => at.length > 1);
      for (const [id, at] of doubled) {
        for (let i = 1; i < at.length; i++) {
          const first = at[i - 1] as number;
          // A request the killed server had already written may be read by the receiver a moment after the kill.
          const kill = killedAt.find((k) => k >= first - 1_000);
          assert.ok(
            kill !== undefined && kill - first < 5_000,
            `${id} sent again without a kill just after it: copies at ${at.join(', ')}, kills at ${killedAt.join(', ')}`,
          );
          assert.ok((at[i] as number) - first >= LEASE_MS - 5_000, `${id} sent again before its lease ran out`);
        }
      }
      // The delivery cut off by the last kill came again, after its lease, under the same delivery id.
      const heldCopies = copies.get(held?.deliveryId ?? '') ?? [];
      assert.ok(heldCopies.length >= 2, 'the delivery cut off by the kill was sent again');
      t.diagnostic(
        `${receiver.received.length} webhook requests, ${copies.size} delivery ids, ${doubled.length} sent twice`,
      );
    });
  });
}
