import { setMaxListeners } from 'node:events';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { runInEngineScope } from '../services/engine-scope.js';
import { bearerToken } from './auth.js';

/**
 * Runs every handler in an engine scope (services/engine-scope.ts): its face-engine jobs are dropped from the queue
 * once the response has been sent or the client has gone away, and queue under the caller's own turn.
 */
export function registerEngineScope(app: FastifyInstance): void {
  // preHandler: after the body is read (its stream events would lose the scope) and after authentication.
  app.addHook('preHandler', (request, reply, done) => {
    const ended = new AbortController();
    // One listener per queued job, each removed when its job ends: an active burst queues 15 at once, past Node's
    // default warning at 10.
    setMaxListeners(64, ended.signal);
    // 'close' on the response: answered, or the connection dropped before it could be.
    reply.raw.once('close', () => ended.abort());
    runInEngineScope({ signal: ended.signal, caller: callerOf(request) }, done);
  });
}

/**
 * The tenant behind an API token, else the subject of another bearer token (an anonymous liveness session, an app
 * login), else the client address. A token that is not verified here reaches no engine work: the routes that analyse
 * images verify theirs first.
 */
export function callerOf(request: FastifyRequest): string {
  if (request.client) return `client:${request.client._id}`;
  const token = bearerToken(request);
  const payload = token?.split('.')[1];
  if (payload) {
    try {
      const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { typ?: unknown; sub?: unknown };
      if (typeof claims.sub === 'string') return `${String(claims.typ)}:${claims.sub}`;
    } catch {
      // Not a JWT: fall back to the address.
    }
  }
  return `ip:${request.ip}`;
}
