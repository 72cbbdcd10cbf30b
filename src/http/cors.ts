import type { FastifyInstance } from 'fastify';
import { AppError } from '../errors.js';

// Cross-origin calls from browsers (Verifik's web clients call the API from their own origin, with Authorization
// and Content-Type: application/json, so every call is preceded by a preflight OPTIONS). Credentials are bearer
// tokens, never cookies: Access-Control-Allow-Credentials is never sent, and '*' is a safe default.

const METHODS = 'GET, POST, PUT, DELETE';
/** Request headers a browser may send cross-origin: what Verifik's clients send, plus our request id. */
const HEADERS = 'Authorization, Content-Type, Accept, Accept-Language, X-Request-Id';
const MAX_AGE_SECONDS = '600';

export function registerCors(app: FastifyInstance, origins: '*' | readonly string[]): void {
  const allowed = (origin: string) => origins === '*' || origins.includes(origin);

  app.addHook('onRequest', async (request, reply) => {
    // A list answers differently per origin, so caches must key on it.
    if (origins !== '*') reply.header('Vary', 'Origin');
    const origin = request.headers.origin;
    if (!origin || !allowed(origin)) return;
    reply.header('Access-Control-Allow-Origin', origins === '*' ? '*' : origin);
    reply.header('Access-Control-Expose-Headers', 'X-Request-Id');
  });

  app.options(
    '*',
    {
      schema: { hide: true },
      // A preflight carries no token and no body; it only asks whether the real request may follow.
      logLevel: 'warn',
    },
    async (request, reply) => {
      const origin = request.headers.origin;
      if (!origin || !request.headers['access-control-request-method']) throw new AppError('routeNotFound');
      if (!allowed(origin)) {
        throw new AppError('originNotAllowed', { shown: `${origin.slice(0, 200)} (see FACEGATE_CORS_ORIGINS)` });
      }
      return reply
        .status(204)
        .header('Access-Control-Allow-Methods', METHODS)
        .header('Access-Control-Allow-Headers', HEADERS)
        .header('Access-Control-Max-Age', MAX_AGE_SECONDS)
        .send();
    },
  );
}
