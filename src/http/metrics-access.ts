import { createHash, timingSafeEqual } from 'node:crypto';
import { BlockList, isIP } from 'node:net';
import type { FastifyRequest } from 'fastify';
import { AppError } from '../errors.js';
import { bearerToken } from './auth.js';

// Who may scrape /metrics: an address in FACEGATE_METRICS_ALLOW and, when FACEGATE_METRICS_TOKEN is set, the
// bearer token too. Unset allow-list: loopback only, or any address once a token is required (a token is the
// usual guard of a Prometheus on another machine). Under that loopback-only default, a request that came through
// a proxy (it names the address it forwards for) is refused too: behind a reverse proxy on the same machine every
// visitor's request arrives from loopback.

const LOOPBACK = ['127.0.0.0/8', '::1/128'];
const ANY = ['0.0.0.0/0', '::/0'];

const digest = (s: string) => createHash('sha256').update(s).digest();

export function metricsGuard(options: { token: string | undefined; allow: readonly string[] | null }) {
  const allowed = new BlockList();
  for (const cidr of options.allow ?? (options.token ? ANY : LOOPBACK)) {
    const [address = '', prefix] = cidr.split('/');
    const family = isIP(address) === 6 ? 'ipv6' : 'ipv4';
    allowed.addSubnet(address, prefix === undefined ? (family === 'ipv6' ? 128 : 32) : Number(prefix), family);
  }
  const expected = options.token === undefined ? undefined : digest(options.token);
  const loopbackOnly = options.allow === null && expected === undefined;
  return async (request: FastifyRequest): Promise<void> => {
    const ip = request.ip;
    const family = isIP(ip) === 6 ? 'ipv6' : 'ipv4';
    if (!isIP(ip) || !allowed.check(ip, family)) throw new AppError('forbidden');
    const h = request.headers;
    if (loopbackOnly && (h['x-forwarded-for'] || h['forwarded'] || h['x-real-ip'])) throw new AppError('forbidden');
    if (expected) {
      const token = bearerToken(request);
      if (!token)
        throw new AppError('tokenRequired', {
          shown: 'send FACEGATE_METRICS_TOKEN as "Authorization: Bearer <token>"',
        });
      if (!timingSafeEqual(digest(token), expected)) throw new AppError('invalidToken');
    }
  };
}
