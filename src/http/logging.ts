import type { FastifyRequest, FastifyServerOptions } from 'fastify';

// Logs must never contain an image, a template or a token: headers and any body-like field that could hold one
// are redacted, and query strings are cut from logged URLs (tokens travel there in redirects).

const REDACT = [
  'req.headers.authorization',
  'req.headers.cookie',
  '*.authorization',
  '*.token',
  '*.accessToken',
  '*.image',
  '*.images',
  '*.probe',
  '*.gallery',
  '*.template',
  '*.password',
  '*.secret',
  '*.webhookSecret',
];

export function loggerOptions(level: string): FastifyServerOptions['logger'] {
  return {
    level,
    redact: { paths: REDACT, censor: '[redacted]' },
    serializers: {
      req: (req: FastifyRequest) => ({ id: req.id, method: req.method, url: req.url.split('?')[0] ?? '' }),
    },
  };
}
