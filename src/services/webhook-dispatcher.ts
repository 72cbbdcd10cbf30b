import { createHmac } from 'node:crypto';
import type { Clock } from '../ports/clock.js';
import type { Store } from '../ports/store.js';
import type { WebhookDelivery } from '../ports/webhook-outbox.js';
import type { WebhookSender } from '../ports/webhook-sender.js';

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
  deps: { store: Store; sender: WebhookSender; clock: Clock },
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

  const deliver = async (d: WebhookDelivery) => {
    const now = deps.clock.now();
    const t = Math.floor(now.getTime() / 1000);
    let error: string;
    try {
      const status = await deps.sender.send({
        url: d.url,
        body: d.body,
        headers: {
          [SIGNATURE_HEADER]: signWebhook(await secretOf(d.clientId), t, d.body),
          'x-facegate-event': d.type,
          'x-facegate-delivery': d.deliveryId,
        },
      });
      if (status >= 200 && status < 300) {
        await deps.store.webhooks.markDelivered(d.id, deps.clock.now());
        return;
      }
      error = `HTTP ${status}`;
    } catch (err) {
      error = err instanceof Error ? err.message : String(err);
    }
    const retryAt =
      d.attempts >= maxAttempts
        ? null
        : new Date(now.getTime() + Math.min(3_600_000, baseDelayMs * 2 ** (d.attempts - 1)));
    await deps.store.webhooks.markFailed(d.id, error, retryAt);
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
