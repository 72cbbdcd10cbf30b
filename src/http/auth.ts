import type { FastifyRequest } from 'fastify';
import type { Client } from '../domain/client.js';
import { AppError } from '../errors.js';
import type { ClientService } from '../services/client.service.js';
import type { ConsoleSessionService, Operator } from '../services/console-session.service.js';

declare module 'fastify' {
  interface FastifyRequest {
    client: Client | null;
    /** Set when the client was authenticated by an operator's console session rather than the API token. */
    operator: Operator['actor'] | null;
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
  projectUser: 'the access token of POST /v2/auth/project-login',
  consoleSession: 'the console session (data.accessToken of POST /v2/auth/console-session)',
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

/**
 * A preValidation hook (authentication before the body is checked) admitting a valid client API token, or an
 * operator's console session, which acts with the API token's rights (less what `refuseOperator` keeps back).
 */
export function requireClient(clients: ClientService, consoleSessions?: ConsoleSessionService) {
  return async (request: FastifyRequest): Promise<void> => {
    const token = bearerToken(request);
    if (!token) throw missingToken('client');
    if (consoleSessions && claimedKind(token) === 'consoleSession') {
      const operator = await consoleSessions.authenticate(token);
      request.client = operator.client;
      request.operator = operator.actor;
      return;
    }
    request.client = await clients.authenticate(token);
  };
}

/**
 * A preValidation hook for what only a console session does (sign out): another kind of token is refused by name
 * before anything is verified; the session's service verifies the token itself.
 */
export function requireConsoleSession() {
  return async (request: FastifyRequest): Promise<void> => {
    const token = bearerToken(request);
    if (!token) throw missingToken('consoleSession');
    // A token that names no kind is left to the verifier, which answers invalid_token.
    const kind = claimedKind(token);
    if (kind !== undefined && kind !== 'consoleSession') throw new AppError('consoleSessionOnly');
  };
}

/** The kind a token says it is, unverified: only to pick the verifier, which checks it again. */
function claimedKind(token: string): unknown {
  try {
    return JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8'))?.typ;
  } catch {
    return undefined;
  }
}

/**
 * A preValidation hook, after requireClient, for what only the API token may do: an operator's session that could
 * mint an API token would outlive its 8 hours and the revocation of its project's consoleAccess.
 */
export function refuseOperator(what: string) {
  return async (request: FastifyRequest): Promise<void> => {
    if (request.operator) throw new AppError('apiTokenOnly', { shown: what });
  };
}

/** The authenticated client of a route behind requireClient. */
export function clientOf(request: FastifyRequest): Client {
  if (!request.client) throw new AppError('unauthorized');
  return request.client;
}
