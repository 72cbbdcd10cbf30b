import { isIP } from 'node:net';
import { AppError } from '../../errors.js';
import type { ImageFetcher } from '../../ports/image-fetcher.js';

// Server-side fetches are an SSRF risk: only https, no literal private addresses, a byte cap and a timeout.
// (A hostname resolving to a private address is not caught here; that is why the feature is off by default.)

const PRIVATE = /^(10\.|127\.|169\.254\.|172\.(1[6-9]|2\d|3[01])\.|192\.168\.|0\.|::1$|fc|fd|fe80)/i;

export function createHttpsImageFetcher(options: { maxBytes: number; timeoutMs?: number }): ImageFetcher {
  return {
    async fetch(url) {
      const host = url.hostname.replace(/^\[|\]$/g, '');
      if (url.protocol !== 'https:' || (isIP(host) && PRIVATE.test(host)) || host === 'localhost') {
        throw new AppError('missingParameter', { message: '"image" URL must be a public https URL' });
      }
      const res = await fetch(url, {
        redirect: 'error',
        signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
      }).catch(() => {
        throw new AppError('imageUrlUnreachable');
      });
      if (!res.ok || !res.body) throw new AppError('imageUrlUnreachable', { shown: `it answered ${res.status}` });
      const chunks: Buffer[] = [];
      let size = 0;
      const reader = res.body.getReader();
      for (let r = await reader.read(); !r.done; r = await reader.read()) {
        size += r.value.byteLength;
        if (size > options.maxBytes) {
          await reader.cancel();
          throw new AppError('imageTooLarge');
        }
        chunks.push(Buffer.from(r.value));
      }
      return Buffer.concat(chunks);
    },
  };
}
