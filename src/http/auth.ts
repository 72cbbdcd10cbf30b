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

/** A preHandler that admits only requests with a valid client API token. */
export function requireClient(clients: ClientService) {
  return async (request: FastifyRequest): Promise<void> => {
    const token = bearerToken(request);
    if (!token) throw new AppError('unauthorized');
    request.client = await clients.authenticate(token);
  };
}

/** The authenticated client of a route behind requireClient. */
export function clientOf(request: FastifyRequest): Client {
  if (!request.client) throw new AppError('unauthorized');
  return request.client;
}
