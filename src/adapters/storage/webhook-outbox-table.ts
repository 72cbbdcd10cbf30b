import { randomUUID } from 'node:crypto';
import type { Clock } from '../../ports/clock.js';
import type { WebhookDelivery, WebhookEventRecord, WebhookOutbox } from '../../ports/webhook-outbox.js';
import type { Row, SqlDriver } from './sql-driver.js';

const delivery = (r: Row): WebhookDelivery => ({
  id: Number(r['id']),
  clientId: r['client_id'] as string,
  deliveryId: r['delivery_id'] as string,
  url: r['url'] as string,
  type: r['event_type'] as string,
  body: r['body'] as string,
  attempts: Number(r['attempts']),
});

export function createWebhookOutboxTable(db: SqlDriver, clock: Clock): WebhookOutbox {
  return {
    async enqueue(e) {
      const deliveryId = randomUUID();
      const now = clock.now().toISOString();
      await db.run(
        `INSERT INTO webhook_outbox (client_id, delivery_id, url, event_type, body, status, attempts, next_attempt_at, created_at)
         VALUES (?, ?, ?, ?, ?, 'pending', 0, ?, ?)`,
        [e.clientId, deliveryId, e.url, e.type, e.body, now, now],
      );
      return deliveryId;
    },

    async claimDue(now, limit, leaseMs) {
      const at = now.toISOString();
      const until = new Date(now.getTime() + leaseMs).toISOString();
      // The lease condition is repeated outside the subquery so that, on PostgreSQL, a second dispatcher that
      // waited on the row lock re-checks it against the row the first one just leased, and skips it.
      const rows = await db.all(
        `UPDATE webhook_outbox SET lease_until = ?, attempts = attempts + 1
         WHERE id IN (
           SELECT id FROM webhook_outbox
           WHERE status = 'pending' AND next_attempt_at <= ? AND (lease_until IS NULL OR lease_until < ?)
           ORDER BY id LIMIT ?
         ) AND status = 'pending' AND (lease_until IS NULL OR lease_until < ?)
         RETURNING *`,
        [until, at, at, limit, at],
      );
      return rows.map(delivery).sort((a, b) => a.id - b.id);
    },

    async markDelivered(id, at) {
      await db.run(
        `UPDATE webhook_outbox SET status = 'delivered', delivered_at = ?, lease_until = NULL, last_error = NULL WHERE id = ?`,
        [at.toISOString(), id],
      );
    },

    async markFailed(id, error, retryAt) {
      await db.run(
        `UPDATE webhook_outbox SET status = ?, next_attempt_at = COALESCE(?, next_attempt_at), lease_until = NULL, last_error = ? WHERE id = ?`,
        [retryAt ? 'pending' : 'failed', retryAt?.toISOString() ?? null, error.slice(0, 500), id],
      );
    },

    async list(clientId, limit) {
      const rows = await db.all('SELECT * FROM webhook_outbox WHERE client_id = ? ORDER BY id DESC LIMIT ?', [
        clientId,
        limit,
      ]);
      return rows.map(
        (r): WebhookEventRecord => ({
          ...delivery(r),
          status: r['status'] as WebhookEventRecord['status'],
          lastError: (r['last_error'] as string | null) ?? null,
          deliveredAt: (r['delivered_at'] as string | null) ?? null,
        }),
      );
    },
  };
}
