import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { createFetchWebhookSender, WebhookTargetRefused } from './fetch-webhook-sender.js';

// The delivery-time check (#14): what the name resolves to now decides, not what the URL looked like when set.

describe('webhook sender', () => {
  let server: Server;
  let port: number;
  const received: string[] = [];
  before(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => {
        body += c;
      });
      req.on('end', () => {
        received.push(body);
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const request = (url: string) => ({ url, headers: { 'x-facegate-event': 'test' }, body: '{"type":"test"}' });

  test('refuses a name that resolves to loopback, and literal private addresses in any form, sending nothing', async () => {
    const sender = createFetchWebhookSender({ timeoutMs: 2000 });
    for (const url of [
      `http://localhost:${port}/hooks`,
      `http://127.0.0.1:${port}/hooks`,
      `http://[::ffff:127.0.0.1]:${port}/hooks`,
      `http://[::1]:${port}/hooks`,
      'http://169.254.169.254/latest/meta-data',
      'http://10.0.0.1/',
    ]) {
      await assert.rejects(sender.send(request(url)), WebhookTargetRefused, url);
    }
    assert.deepEqual(received, []);
  });

  test('delivers to the same receiver when private targets are allowed', async () => {
    const sender = createFetchWebhookSender({ timeoutMs: 2000, allowPrivateTargets: true });
    assert.equal(await sender.send(request(`http://localhost:${port}/hooks`)), 204);
    assert.equal(await sender.send(request(`http://127.0.0.1:${port}/hooks`)), 204);
    assert.deepEqual(received, ['{"type":"test"}', '{"type":"test"}']);
  });
});
