import type { WebhookSender } from '../../ports/webhook-sender.js';

export function createFetchWebhookSender(options: { timeoutMs?: number } = {}): WebhookSender {
  return {
    async send({ url, headers, body }) {
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'user-agent': 'Facegate-Webhooks/1', ...headers },
        body,
        redirect: 'manual',
        signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
      });
      await res.body?.cancel();
      return res.status;
    },
  };
}
