import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import type { FastifyReply, FastifyRequest } from 'fastify';

// The browser files of the hosted page and of the console: read once at start, kept with their gzip, and served
// under a content-hash path with a year-long immutable cache, so a new build never meets a stale cached module.

export interface StaticAsset {
  body: Buffer;
  gzip: Buffer;
  type: string;
}

export const JAVASCRIPT = 'text/javascript; charset=utf-8';

/** Collects assets and hashes their names and bodies into the version that goes in their path. */
export class AssetBundle {
  readonly assets = new Map<string, StaticAsset>();
  private readonly hash = createHash('sha256');

  add(name: string, body: Buffer | string, type: string): void {
    const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
    this.hash.update(name).update('\0').update(bytes);
    this.assets.set(name, { body: bytes, gzip: gzipSync(bytes, { level: 9 }), type });
  }

  /** The content hash of everything added so far (call once, after the last add). */
  version(): string {
    return this.hash.digest('hex').slice(0, 16);
  }
}

export function sendAsset(req: FastifyRequest, reply: FastifyReply, asset: StaticAsset) {
  const gzip = /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''));
  void reply
    .header('content-type', asset.type)
    .header('cache-control', 'public, max-age=31536000, immutable')
    .header('x-content-type-options', 'nosniff')
    .header('vary', 'accept-encoding');
  if (gzip) void reply.header('content-encoding', 'gzip');
  return reply.send(gzip ? asset.gzip : asset.body);
}
