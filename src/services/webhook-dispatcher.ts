import { createHmac } from 'node:crypto';
import type { Clock } from '../ports/clock.js';
import type { Store } from '../ports/store.js';
import type { WebhookAttemptAnswer, WebhookDelivery } from '../ports/webhook-outbox.js';
import type { WebhookRequest, WebhookSender } from '../ports/webhook-sender.js';

// Delivers the outbox. Each request is signed with the client's webhook secret:
//   X-Facegate-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>
// and names its event and delivery id (X-Facegate-Event, X-Facegate-Delivery), so a receiver can check the
// signature, reject stale timestamps and ignore a delivery id it has seen. A 2xx answer is success; anything
// else is retried with exponential backoff (1 s, 2 s, 4 s … capped at 1 h) up to `maxAttempts`.

export const SIGNATURE_HEADER = 'x-facegate-signature';

export function signWebhook(secret: string, timestamp: number, body: string): string {
  return `t=${timestamp},v1=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

export interface DispatcherOptions {
  batch?: number;
  leaseMs?: number;
  maxAttempts?: number;
  baseDelayMs?: number;
}

export function createWebhookDispatcher(
  deps: {
    store: Store;
    sender: WebhookSender;
    clock: Clock;
    /** Told of each attempt: how long the receiver took and whether it took the event (for /metrics). */
    onAttempt?: (seconds: number, outcome: 'delivered' | 'failed') => void;
  },
  o: DispatcherOptions = {},
) {
  const batch = o.batch ?? 20;
  const leaseMs = o.leaseMs ?? 30_000;
  const maxAttempts = o.maxAttempts ?? 12;
  const baseDelayMs = o.baseDelayMs ?? 1000;
  const secrets = new Map<string, string>();

  const secretOf = async (clientId: string) => {
    let s = secrets.get(clientId);
    if (!s) {
      s = (await deps.store.clients.findById(clientId, clientId))?.webhookSecret ?? '';
      secrets.set(clientId, s);
    }
    return s;
  };

  const send = async (request: WebhookRequest): Promise<WebhookAttemptAnswer> => {
    if (deps.sender.deliver) {
      const answer = await deps.sender.deliver(request);
      return { statusCode: answer.status, response: answer.body };
    }
    return { statusCode: await deps.sender.send(request), response: null };
  };

  const deliver = async (d: WebhookDelivery) => {
    const now = deps.clock.now();
    const started = performance.now();
    const t = Math.floor(now.getTime() / 1000);
    let error: string;
    let answer: WebhookAttemptAnswer | undefined;
    try {
      answer = await send({
        url: d.url,
        body: d.body,
        headers: {
          [SIGNATURE_HEADER]: signWebhook(await secretOf(d.clientId), t, d.body),
          'x-facegate-event': d.type,
          'x-facegate-delivery': d.deliveryId,
        },
      });
      if (answer.statusCode >= 200 && answer.statusCode < 300) {
        deps.onAttempt?.((performance.now() - started) / 1000, 'delivered');
        await deps.store.webhooks.markDelivered(d.id, deps.clock.now(), answer);
        return;
      }
      error = `HTTP ${answer.statusCode}`;
    } catch (err) {
      error = err instanceof Error ? err.message : String(err);
    }
    deps.onAttempt?.((performance.now() - started) / 1000, 'failed');
    const retryAt =
      d.attempts >= maxAttempts
        ? null
        : new Date(now.getTime() + Math.min(3_600_000, baseDelayMs * 2 ** (d.attempts - 1)));
    await deps.store.webhooks.markFailed(d.id, error, retryAt, answer);
  };

  return {
    /** Delivers what is due now; returns how many deliveries were attempted. */
    async runOnce(): Promise<number> {
      const due = await deps.store.webhooks.claimDue(deps.clock.now(), batch, leaseMs);
      await Promise.all(due.map(deliver));
      return due.length;
    },
    /** Forgets cached secrets (after a client rotates its secret). */
    forgetSecret: (clientId: string) => secrets.delete(clientId),
  };
}

export type WebhookDispatcher = ReturnType<typeof createWebhookDispatcher>;
