import type { FastifyRequest } from 'fastify';
import { AppError } from '../errors.js';

// Anti-hammering for the routes a stranger can reach without an API token (creating a validation from the hosted
// page, sending selfies, guidance previews): a token bucket per client address and route group. In memory, per
// process: behind a load balancer each process enforces its own share. Put a proxy's limits in front for more.

export interface RateLimit {
  /** Requests allowed in a burst, refilled evenly over a minute. */
  perMinute: number;
}

export function createRateLimiter(limit: RateLimit, now: () => number = () => Date.now()) {
  const buckets = new Map<string, { tokens: number; at: number }>();
  const refillPerMs = limit.perMinute / 60_000;
  let sweptAt = now();
  return (key: string): boolean => {
    const t = now();
    if (t - sweptAt > 60_000) {
      // Forget full buckets so the map does not grow with every address ever seen.
      for (const [k, b] of buckets) if (b.tokens + (t - b.at) * refillPerMs >= limit.perMinute) buckets.delete(k);
      sweptAt = t;
    }
    const b = buckets.get(key) ?? { tokens: limit.perMinute, at: t };
    b.tokens = Math.min(limit.perMinute, b.tokens + (t - b.at) * refillPerMs);
    b.at = t;
    if (b.tokens < 1) {
      buckets.set(key, b);
      return false;
    }
    b.tokens -= 1;
    buckets.set(key, b);
    return true;
  };
}

/** A preHandler refusing with 429 once the caller's address has used up its bucket. */
export function rateLimitByAddress(limit: RateLimit) {
  const allow = createRateLimiter(limit);
  return async (request: FastifyRequest): Promise<void> => {
    if (!allow(request.ip)) throw new AppError('tooManyRequests');
  };
}
