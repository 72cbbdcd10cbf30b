import { randomUUID } from 'node:crypto';
import type { Clock } from '../../ports/clock.js';
import type {
  WebhookAttemptAnswer,
  WebhookDelivery,
  WebhookEventRecord,
  WebhookOutbox,
} from '../../ports/webhook-outbox.js';
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

const record = (r: Row): WebhookEventRecord => ({
  ...delivery(r),
  status: r['status'] as WebhookEventRecord['status'],
  resourceId: (r['resource_id'] as string | null) ?? null,
  lastError: (r['last_error'] as string | null) ?? null,
  lastStatusCode:
    r['last_status_code'] === null || r['last_status_code'] === undefined ? null : Number(r['last_status_code']),
  lastResponse: (r['last_response'] as string | null) ?? null,
  createdAt: r['created_at'] as string,
  deliveredAt: (r['delivered_at'] as string | null) ?? null,
});

const answerParams = (a: WebhookAttemptAnswer | undefined) => [a?.statusCode ?? null, a?.response ?? null];

export function createWebhookOutboxTable(db: SqlDriver, clock: Clock): WebhookOutbox {
  return {
    async enqueue(e) {
      const deliveryId = randomUUID();
      const now = clock.now().toISOString();
      await db.run(
        `INSERT INTO webhook_outbox (client_id, delivery_id, url, event_type, body, status, attempts, next_attempt_at, created_at, resource_id)
         VALUES (?, ?, ?, ?, ?, 'pending', 0, ?, ?, ?)`,
        [e.clientId, deliveryId, e.url, e.type, e.body, now, now, e.resourceId ?? null],
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

    async markDelivered(id, at, answer) {
      await db.run(
        `UPDATE webhook_outbox SET status = 'delivered', delivered_at = ?, lease_until = NULL, last_error = NULL,
           last_status_code = ?, last_response = ? WHERE id = ?`,
        [at.toISOString(), ...answerParams(answer), id],
      );
    },

    async markFailed(id, error, retryAt, answer) {
      await db.run(
        `UPDATE webhook_outbox SET status = ?, next_attempt_at = COALESCE(?, next_attempt_at), lease_until = NULL, last_error = ?,
           last_status_code = ?, last_response = ? WHERE id = ?`,
        [
          retryAt ? 'pending' : 'failed',
          retryAt?.toISOString() ?? null,
          error.slice(0, 500),
          ...answerParams(answer),
          id,
        ],
      );
    },

    async listByResource(clientId, resourceId) {
      const rows = await db.all('SELECT * FROM webhook_outbox WHERE client_id = ? AND resource_id = ? ORDER BY id', [
        clientId,
        resourceId,
      ]);
      return rows.map(record);
    },

    async findByDeliveryId(clientId, deliveryId) {
      const row = await db.get('SELECT * FROM webhook_outbox WHERE client_id = ? AND delivery_id = ?', [
        clientId,
        deliveryId,
      ]);
      return row ? record(row) : undefined;
    },

    async redeliver(clientId, deliveryId, now) {
      const at = now.toISOString();
      await db.run(
        `UPDATE webhook_outbox SET status = 'pending', attempts = 0, next_attempt_at = ?, lease_until = NULL
         WHERE client_id = ? AND delivery_id = ? AND (lease_until IS NULL OR lease_until < ?)`,
        [at, clientId, deliveryId, at],
      );
      const row = await db.get('SELECT * FROM webhook_outbox WHERE client_id = ? AND delivery_id = ?', [
        clientId,
        deliveryId,
      ]);
      return row ? record(row) : undefined;
    },

    async backlog(clientId) {
      const row = await db.get<{ n: number }>(
        `SELECT COUNT(*) AS n FROM webhook_outbox WHERE status = 'pending'${clientId === null ? '' : ' AND client_id = ?'}`,
        clientId === null ? [] : [clientId],
      );
      return Number(row?.n ?? 0);
    },

    async list(clientId, limit) {
      const rows = await db.all('SELECT * FROM webhook_outbox WHERE client_id = ? ORDER BY id DESC LIMIT ?', [
        clientId,
        limit,
      ]);
      return rows.map(record);
    },
  };
}
