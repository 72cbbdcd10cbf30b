import type { FastifyInstance, FastifyReply } from 'fastify';
import QRCode from 'qrcode';
import { loadConsoleAssets } from '../../console/console-assets.js';
import { type RenderedConsole, renderConsolePage } from '../../console/console-page.js';
import { AppError, missingParameter } from '../../errors.js';
import { sendAsset } from '../static-assets.js';

// The operator's console at /console: one HTML shell, its modules under a content-hash path, and a QR code of a
// sign-in link. Nothing here is tenant data: the browser signs in with the tenant's API token and calls the /v2
// API like any other client, so the console can do nothing the API would not let that token do.

function contentSecurityPolicy(page: RenderedConsole): string {
  return [
    "default-src 'none'",
    `script-src 'self' ${page.scriptHashes.join(' ')}`.trim(),
    "style-src 'self'",
    // Thumbnails arrive as data: URLs, photos picked for upload show from blob: URLs, a project's logo is its own https URL.
    "img-src 'self' data: blob: https:",
    "connect-src 'self'",
    "font-src 'self'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

const MAX_QR_TEXT = 1024;

export function registerConsoleRoutes(app: FastifyInstance): void {
  const { version, assets, modules, imports } = loadConsoleAssets();
  const page = renderConsolePage({ assetBase: `/console/assets/${version}`, modules, imports });
  const csp = contentSecurityPolicy(page);

  const sendShell = (reply: FastifyReply) =>
    reply
      .header('content-type', 'text/html; charset=utf-8')
      .header('cache-control', 'no-store')
      .header('content-security-policy', csp)
      .header('referrer-policy', 'no-referrer')
      .header('x-content-type-options', 'nosniff')
      .header('x-frame-options', 'DENY')
      .header('permissions-policy', 'camera=(), microphone=(), geolocation=()')
      .send(page.html);

  // A new user's first request: the root has nothing of its own to show, the console does.
  app.get('/', { schema: { hide: true } }, async (_req, reply) => reply.redirect('/console', 302));
  app.get('/console', { schema: { hide: true } }, async (_req, reply) => sendShell(reply));
  app.get('/console/', { schema: { hide: true } }, async (_req, reply) => reply.redirect('/console', 301));

  app.get<{ Params: { version: string; '*': string } }>(
    '/console/assets/:version/*',
    { schema: { hide: true } },
    async (req, reply) => {
      const asset = req.params.version === version ? assets.get(req.params['*']) : undefined;
      if (!asset) throw new AppError('routeNotFound');
      return sendAsset(req, reply, asset);
    },
  );

  // The QR code of a sign-in link, drawn here so the browser needs no QR library. Only an http(s) URL is drawn:
  // the sign-in link has no secret in it, and anything else has no business in an operator's QR code.
  app.get<{ Querystring: { text?: string } }>('/console/qr.svg', { schema: { hide: true } }, async (req, reply) => {
    const text = req.query.text;
    if (typeof text !== 'string' || text.length === 0 || text.length > MAX_QR_TEXT || !/^https?:\/\/\S+$/.test(text)) {
      throw missingParameter(`text must be an http(s) URL of at most ${MAX_QR_TEXT} characters`);
    }
    const svg = await QRCode.toString(text, { type: 'svg', margin: 2, errorCorrectionLevel: 'M' });
    return reply
      .header('content-type', 'image/svg+xml; charset=utf-8')
      .header('cache-control', 'private, max-age=3600')
      .header('x-content-type-options', 'nosniff')
      .header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'")
      .send(svg);
  });
}
