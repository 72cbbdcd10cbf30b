import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { after, before, describe, test } from 'node:test';
import { errorOf, startTestApp, type TestApp } from '../helpers/app.js';
import { storeKinds } from '../helpers/stores.js';

// A validation's webhook deliveries as the console shows them (#17): the receiver's status and answer, and a
// redelivery that sends the same event (same delivery id) again. The dispatcher is driven by hand, so each
// attempt happens exactly when the test says.

function startReceiver() {
  const received: Array<{ delivery: string; event: string }> = [];
  let answer = { status: 204, body: '' };
  const server: Server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      received.push({
        delivery: String(req.headers['x-facegate-delivery']),
        event: String(req.headers['x-facegate-event']),
      });
      res.writeHead(answer.status, { 'content-type': 'text/plain' }).end(answer.body);
    });
  });
  return new Promise<{
    url: string;
    received: typeof received;
    answerWith(status: number, body: string): void;
    close(): Promise<void>;
  }>((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      const a = server.address();
      resolve({
        url: `http://127.0.0.1:${typeof a === 'object' && a ? a.port : 0}/hooks`,
        received,
        answerWith: (status, body) => {
          answer = { status, body };
        },
        close: () => new Promise((r) => server.close(() => r())),
      });
    }),
  );
}

for (const kind of storeKinds) {
  describe(`webhook deliveries and redelivery (${kind.name})`, { skip: kind.skip }, () => {
    let receiver: Awaited<ReturnType<typeof startReceiver>>;
    let t: TestApp;
    let acme: { id: string; token: string };
    let other: { id: string; token: string };
    let project: string;
    let flow: string;

    before(async () => {
      receiver = await startReceiver();
      t = await startTestApp(kind, {
        env: { FACEGATE_WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true' },
        overrides: { backgroundJobs: false },
      });
      acme = await t.newClient('acme');
      other = await t.newClient('other');
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

    const newValidation = async (identifier: string): Promise<string> =>
      (
        await t.request('POST', '/v2/biometric-validations', {
          token: acme.token,
          body: { project, projectFlow: flow, identifier, type: 'login' },
        })
      ).json().data.biometricValidation._id;
    const deliveriesOf = (id: string, token = acme.token) =>
      t.request('GET', `/v2/biometric-validations/${id}/webhook-deliveries`, { token });

    test('a failed delivery shows the receiver’s status and answer; redelivery sends the same event again', async () => {
      const id = await newValidation('flaky');
      const pending = (await deliveriesOf(id)).json();
      assert.equal(pending.total, 1);
      assert.equal(pending.data[0].event, 'biometric_validation_new');
      assert.equal(pending.data[0].status, 'pending');
      assert.equal(pending.data[0].attempts, 0);
      assert.equal(pending.data[0].lastStatusCode, null);
      assert.equal(pending.data[0].biometricValidation, id);
      assert.equal(pending.data[0].url, receiver.url);

      receiver.answerWith(503, 'down for maintenance');
      assert.equal(await t.app.services.webhooks.runOnce(), 1);
      const [failed] = (await deliveriesOf(id)).json().data;
      assert.equal(failed.status, 'pending', 'a failure is retried later');
      assert.equal(failed.attempts, 1);
      assert.equal(failed.lastStatusCode, 503);
      assert.equal(failed.lastError, 'HTTP 503');
      assert.equal(failed.lastResponse, 'down for maintenance');
      assert.equal(failed.deliveredAt, null);
      assert.equal(await t.app.services.webhooks.runOnce(), 0, 'the retry is not due yet');

      receiver.answerWith(200, '{"ok":true}');
      const redelivered = await t.request('POST', `/v2/webhook-deliveries/${failed._id}/redeliver`, {
        token: acme.token,
      });
      assert.equal(redelivered.statusCode, 200);
      assert.equal(redelivered.json().data._id, failed._id);
      assert.equal(redelivered.json().data.status, 'pending');
      assert.equal(await t.app.services.webhooks.runOnce(), 1, 'due at once');
      const [delivered] = (await deliveriesOf(id)).json().data;
      assert.equal(delivered.status, 'delivered');
      assert.equal(delivered.lastStatusCode, 200);
      assert.equal(delivered.lastResponse, '{"ok":true}');
      assert.equal(delivered.lastError, null);
      assert.ok(delivered.deliveredAt);
      assert.deepEqual(
        receiver.received.filter((r) => r.delivery === failed._id).map((r) => r.event),
        ['biometric_validation_new', 'biometric_validation_new'],
        'the receiver got the same delivery twice and can tell it is the same',
      );

      // A delivered event can be sent again on request (a receiver that lost it).
      await t.request('POST', `/v2/webhook-deliveries/${failed._id}/redeliver`, { token: acme.token });
      assert.equal(await t.app.services.webhooks.runOnce(), 1);
      assert.equal(receiver.received.filter((r) => r.delivery === failed._id).length, 3);
    });

    test('a long answer is kept truncated to its first 2 KiB', async () => {
      const id = await newValidation('verbose');
      receiver.answerWith(500, 'x'.repeat(10_000));
      await t.app.services.webhooks.runOnce();
      const [d] = (await deliveriesOf(id)).json().data;
      assert.equal(d.lastStatusCode, 500);
      assert.equal(d.lastResponse.length, 2048);
    });

    test('another tenant sees neither the deliveries nor can redeliver them', async () => {
      const id = await newValidation('private');
      const [d] = (await deliveriesOf(id)).json().data;
      const foreignList = await deliveriesOf(id, other.token);
      assert.equal(foreignList.statusCode, 404);
      assert.equal(errorOf(foreignList).code, 'biometric_validation_not_found');
      const foreignRedeliver = await t.request('POST', `/v2/webhook-deliveries/${d._id}/redeliver`, {
        token: other.token,
      });
      assert.equal(foreignRedeliver.statusCode, 404);
      assert.equal(errorOf(foreignRedeliver).code, 'NotFound');
      const unknown = await t.request('POST', '/v2/webhook-deliveries/0b5c3f1e-8d2a-4c6e-9f7b-000000000000/redeliver', {
        token: acme.token,
      });
      assert.equal(unknown.statusCode, 404);
      assert.equal((await t.request('GET', `/v2/biometric-validations/${id}/webhook-deliveries`)).statusCode, 401);
    });

    test('a validation without a webhook has no deliveries', async () => {
      const plainFlow = (
        await t.request('POST', '/v2/project-flows', { token: acme.token, body: { project, type: 'login' } })
      ).json().data._id;
      const id = (
        await t.request('POST', '/v2/biometric-validations', {
          token: acme.token,
          body: { project, projectFlow: plainFlow, identifier: 'quiet', type: 'login' },
        })
      ).json().data.biometricValidation._id;
      assert.deepEqual((await deliveriesOf(id)).json(), { data: [], total: 0 });
    });
  });
}
