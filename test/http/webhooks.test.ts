import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { after, before, describe, test } from 'node:test';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { storeKinds } from '../helpers/stores.js';

// Webhooks against a real local HTTP receiver: signed, retried until the receiver recovers, and delivered
// exactly once per event even when the service restarts with events still in its outbox. The receiver is on
// 127.0.0.1, a target refused unless the deployment allows private ones (#14).

const allowLoopback = { FACEGATE_WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true' };

interface Received {
  headers: IncomingHttpHeaders;
  body: string;
  answered: number;
}

function startReceiver() {
  const received: Received[] = [];
  let failuresLeft = 0;
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => {
      body += c;
    });
    req.on('end', () => {
      const answered = failuresLeft > 0 ? 500 : 204;
      if (failuresLeft > 0) failuresLeft--;
      received.push({ headers: req.headers, body, answered });
      res.writeHead(answered).end();
    });
  });
  return new Promise<{ url: string; received: Received[]; failNext(n: number): void; close(): Promise<void> }>(
    (resolve) =>
      server.listen(0, '127.0.0.1', () => {
        const a = server.address();
        const port = typeof a === 'object' && a ? a.port : 0;
        resolve({
          url: `http://127.0.0.1:${port}/hooks`,
          received,
          failNext: (n) => {
            failuresLeft = n;
          },
          close: () => new Promise((r) => server.close(() => r())),
        });
      }),
  );
}

const until = async (what: string, check: () => boolean, ms = 15_000) => {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
};

for (const kind of storeKinds) {
  describe(`webhooks (${kind.name})`, { skip: kind.skip }, () => {
    let receiver: Awaited<ReturnType<typeof startReceiver>>;
    let t: TestApp;
    let acme: { id: string; token: string };
    let project: string;
    let flow: string;

    const createValidation = async (app: TestApp, identifier: string) =>
      (
        await app.request('POST', '/v2/biometric-validations', {
          token: acme.token,
          body: { project, projectFlow: flow, identifier, type: 'login' },
        })
      ).json().data.biometricValidation;
    const deliveriesOf = (validationId: string) =>
      receiver.received.filter((r) => JSON.parse(r.body).object._id === validationId);

    before(async () => {
      receiver = await startReceiver();
      t = await startTestApp(kind, { env: allowLoopback });
      acme = await t.newClient('acme');
      project = (await t.request('POST', '/v2/projects', { token: acme.token, body: { name: 'Hooked' } })).json().data
        ._id;
      flow = (
        await t.request('POST', '/v2/project-flows', {
          token: acme.token,
          body: { project, type: 'login', webhookUrl: receiver.url },
        })
      ).json().data._id;
    });
    after(async () => {
      await t?.close();
      await receiver?.close();
    });

    test('an event arrives signed with the client secret, in Verifik’s {type, object} shape', async () => {
      const v = await createValidation(t, 'signed');
      await until('delivery', () => deliveriesOf(v._id).length === 1);
      const [hit] = deliveriesOf(v._id);
      assert.ok(hit);
      const body = JSON.parse(hit.body);
      assert.equal(body.type, 'biometric_validation_new');
      assert.equal(body.object.status, 'new');
      assert.equal(hit.headers['x-facegate-event'], 'biometric_validation_new');
      assert.match(String(hit.headers['x-facegate-delivery']), /^[0-9a-f-]{36}$/);
      const secret = (await t.request('GET', '/v2/clients/webhook-secret', { token: acme.token })).json().data
        .webhookSecret;
      const [, ts, sig] = String(hit.headers['x-facegate-signature']).match(/^t=(\d+),v1=([0-9a-f]{64})$/) ?? [];
      assert.equal(sig, createHmac('sha256', secret).update(`${ts}.${hit.body}`).digest('hex'));
      assert.ok(Math.abs(Number(ts) - Date.now() / 1000) < 60);
    });

    test('a failing receiver gets the event again until it recovers, then never again', async () => {
      receiver.failNext(2);
      const v = await createValidation(t, 'flaky');
      await until('recovery', () => deliveriesOf(v._id).some((r) => r.answered === 204), 20_000);
      const all = deliveriesOf(v._id);
      assert.deepEqual(
        all.map((r) => r.answered),
        [500, 500, 204],
      );
      assert.equal(new Set(all.map((r) => r.headers['x-facegate-delivery'])).size, 1, 'one delivery id, retried');
      await new Promise((r) => setTimeout(r, 1500));
      assert.equal(deliveriesOf(v._id).length, 3);
    });

    test('events left in the outbox at shutdown are delivered exactly once after a restart', async () => {
      const first = await startTestApp(kind, {
        env: allowLoopback,
        databaseUrl: t.databaseUrl,
        dataDir: t.dataDir,
        overrides: { backgroundJobs: false },
      });
      const ids: string[] = [];
      for (let i = 0; i < 5; i++) ids.push((await createValidation(first, `restart-${i}`))._id);
      await first.close();
      assert.deepEqual(
        ids.map((id) => deliveriesOf(id).length),
        [0, 0, 0, 0, 0],
        'nothing sent before the restart',
      );

      const second = await startTestApp(kind, { env: allowLoopback, databaseUrl: t.databaseUrl, dataDir: t.dataDir });
      try {
        await until('all five', () => ids.every((id) => deliveriesOf(id).length > 0));
        await new Promise((r) => setTimeout(r, 1000));
        assert.deepEqual(
          ids.map((id) => deliveriesOf(id).length),
          [1, 1, 1, 1, 1],
        );
      } finally {
        await second.close();
      }
    });
  });
}
