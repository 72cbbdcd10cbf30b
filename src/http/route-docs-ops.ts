// Summaries of the operator routes (audit log, webhook deliveries, dashboard stats), merged into route-docs.ts.

export const OPS_ROUTE_DOCS: Record<string, [string, 'client']> = {
  'GET /v2/audit-logs': [
    'The audit log (append-only): who read face data, enrolled, deleted, exported, renewed a token, rotated the ' +
      'webhook secret or changed settings, when and from where. Filters `where_action`, `where_resourceType`, ' +
      '`where_resourceId`, `where>_createdAt`/`where<_createdAt`',
    'client',
  ],
  'GET /v2/biometric-validations/{id}/webhook-deliveries': [
    'The webhook deliveries of a validation: status, attempts, the receiver’s last status and answer',
    'client',
  ],
  'POST /v2/webhook-deliveries/{id}/redeliver': [
    'Queue a webhook delivery again now (same body and delivery id, a fresh round of retries)',
    'client',
  ],
  'GET /v2/stats/validations': [
    'Dashboard figures: validations per day by status, failure reasons, liveness and match score bands per day, ' +
      'webhook backlog (default: the last 30 days)',
    'client',
  ],
};
