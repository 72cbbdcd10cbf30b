import type { RouteExample } from './route-examples.js';

// Examples of the operator routes, merged into route-examples.ts.

const validation = '665f1c2e9b1d4a3f8c2e7a15';
const person = '665f1c2e9b1d4a3f8c2e7a14';
const client = '665f1c2e9b1d4a3f8c2e7a10';
const delivery = {
  _id: '0b5c3f1e-8d2a-4c6e-9f7b-1a2b3c4d5e6f',
  biometricValidation: validation,
  event: 'biometric_validation_validated',
  url: 'https://shop.example/hook',
  status: 'delivered',
  attempts: 1,
  lastStatusCode: 200,
  lastError: null,
  lastResponse: '{"ok":true}',
  createdAt: '2025-06-04T10:16:30.000Z',
  deliveredAt: '2025-06-04T10:16:30.412Z',
};
const counts = (validated: number, failed: number) => ({
  new: 0,
  pending: 0,
  validated,
  completed: 0,
  failed,
  expired: 0,
});

export const OPS_ROUTE_EXAMPLES: Record<string, RouteExample> = {
  'GET /metrics': {
    response:
      '# HELP facegate_webhook_backlog Webhook events not yet delivered nor given up on\n' +
      '# TYPE facegate_webhook_backlog gauge\nfacegate_webhook_backlog 0\n',
  },
  'GET /v2/audit-logs': {
    response: {
      data: [
        {
          _id: '665f1c2e9b1d4a3f8c2e7a20',
          client,
          actor: { type: 'client', id: client, name: 'acme' },
          action: 'person.delete',
          resource: { type: 'person', id: person },
          ip: '203.0.113.7',
          userAgent: 'curl/8.5.0',
          createdAt: '2025-06-04T10:15:00.000Z',
        },
      ],
      total: 1,
    },
  },
  'GET /v2/biometric-validations/{id}/webhook-deliveries': { response: { data: [delivery], total: 1 } },
  'POST /v2/webhook-deliveries/{id}/redeliver': {
    body: {},
    response: { data: { ...delivery, status: 'pending', attempts: 0 } },
  },
  'GET /v2/stats/validations': {
    response: {
      data: {
        days: [
          { day: '2025-06-03', byStatus: counts(41, 3) },
          { day: '2025-06-04', byStatus: counts(38, 5) },
        ],
        reasons: [
          { reason: 'liveness_failed', count: 5 },
          { reason: 'person_not_found', count: 3 },
        ],
        scores: {
          liveness: [{ day: '2025-06-04', p10: 0.71, p50: 0.88, p90: 0.96, count: 43 }],
          match: [{ day: '2025-06-04', p10: 0.87, p50: 0.93, p90: 0.97, count: 38 }],
        },
        webhookBacklog: 0,
      },
    },
  },
};
