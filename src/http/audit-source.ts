import type { FastifyRequest } from 'fastify';
import type { AuditSource } from '../services/audit-trail.js';

const MAX_USER_AGENT = 300;

/** Who is calling, as the audit log records it: the authenticated client, its address and user agent. */
export function auditSourceOf(request: FastifyRequest): AuditSource {
  const agent = request.headers['user-agent'];
  return {
    actor: request.operator
      ? request.operator
      : request.client
        ? { type: 'client', id: request.client._id, name: request.client.name }
        : { type: 'system', id: null },
    ip: request.ip ?? null,
    userAgent: typeof agent === 'string' ? agent.slice(0, MAX_USER_AGENT) : null,
  };
}
