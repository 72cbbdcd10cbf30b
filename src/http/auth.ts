import type { FastifyRequest } from 'fastify';
import type { Client } from '../domain/client.js';
import { AppError } from '../errors.js';
import type { ClientService } from '../services/client.service.js';

declare module 'fastify' {
  interface FastifyRequest {
    client: Client | null;
  }
}

/** The token of `Authorization: Bearer <t>`; Verifik's docs also show a bare token, which is tolerated. */
export function bearerToken(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (!header) return undefined;
  const m = header.match(/^\s*(?:Bearer\s+)?(\S+)\s*$/i);
  return m?.[1];
}

/** Which token a route takes, as its 401 names it (Verifik's message first, then which token to send). */
export const tokenNames = {
  client: 'the client API token',
  liveness: 'the liveness-session token (data.token of POST /v2/biometric-validations)',
  appLogin: 'the app-login token (data.token of POST /v2/biometric-validations/validate)',
} as const;

export const missingToken = (kind: keyof typeof tokenNames): AppError =>
  kind === 'liveness'
    ? new AppError('livenessSessionTokenMissing')
    : new AppError('tokenRequired', { shown: `send ${tokenNames[kind]} as "Authorization: Bearer <token>"` });

/**
 * A preValidation hook refusing a request without a bearer token before its body is checked; the token itself is
 * verified by the service that knows its kind.
 */
export function requireBearer(kind: 'liveness' | 'appLogin') {
  return async (request: FastifyRequest): Promise<void> => {
    if (!bearerToken(request)) throw missingToken(kind);
  };
}

/** A preValidation hook (authentication before the body is checked) admitting only a valid client API token. */
export function requireClient(clients: ClientService) {
  return async (request: FastifyRequest): Promise<void> => {
    const token = bearerToken(request);
    if (!token) throw missingToken('client');
    request.client = await clients.authenticate(token);
  };
}

/** The authenticated client of a route behind requireClient. */
export function clientOf(request: FastifyRequest): Client {
  if (!request.client) throw new AppError('unauthorized');
  return request.client;
}
