import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { codeLimits } from '../../domain/code-validation.js';
import { loginStepsOf } from '../../domain/login-steps.js';
import { AppError } from '../../errors.js';
import type { ProjectService } from '../../services/project.service.js';
import { isLanguage, type Language, parseAcceptLanguage, pickLanguage } from '../../web/sign-in/i18n.js';
import { type RenderedPage, renderSignInPage, renderUnavailablePage } from '../../web/sign-in-page.js';
import { signInCss } from '../../web/sign-in-styles.js';
import { AssetBundle, JAVASCRIPT, type StaticAsset, sendAsset } from '../static-assets.js';

// The hosted sign-in page (`url` of every biometric validation) and its assets. The page's modules are the files
// tsc compiled from src/web/sign-in/; they are read once at start, served under a content-hash path with a
// year-long immutable cache, gzipped when the browser accepts it. The HTML itself is never cached.

export interface WebRoutesDeps {
  projects: ProjectService;
}

/** Where tsc put the page's modules: this file is dist/src/http/routes/web.routes.js. */
const modulesDir = fileURLToPath(new URL('../../web/sign-in/', import.meta.url));
const ENTRY = 'main.js';

export function loadSignInAssets(dir = modulesDir): {
  version: string;
  assets: Map<string, StaticAsset>;
  modules: string[];
} {
  const files = readdirSync(dir)
    .filter((f) => (f.endsWith('.js') || f.endsWith('.js.map')) && !/\.test\.js(\.map)?$/.test(f))
    .sort();
  const modules = files.filter((f) => f.endsWith('.js'));
  if (!modules.includes(ENTRY)) throw new Error(`the hosted page is not built: ${dir}${ENTRY} is missing`);
  const bundle = new AssetBundle();
  for (const f of files)
    bundle.add(f, readFileSync(`${dir}${f}`), f.endsWith('.map') ? 'application/json' : JAVASCRIPT);
  bundle.add('sign-in.css', signInCss, 'text/css; charset=utf-8');
  return {
    version: bundle.version(),
    assets: bundle.assets,
    modules: [ENTRY, ...modules.filter((m) => m !== ENTRY)],
  };
}

const OBJECT_ID = /^[0-9a-f]{24}$/;

function contentSecurityPolicy(page: RenderedPage): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    `style-src 'self' ${page.styleHashes.join(' ')}`.trim(),
    `img-src 'self' data: ${page.imageOrigins.filter((o) => o !== 'data:').join(' ')}`.trim(),
    "media-src 'self' blob: mediastream:",
    "connect-src 'self'",
    "font-src 'self'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

function sendPage(reply: FastifyReply, status: number, page: RenderedPage) {
  return reply
    .status(status)
    .header('content-type', 'text/html; charset=utf-8')
    .header('cache-control', 'no-store')
    .header('content-security-policy', contentSecurityPolicy(page))
    .header('referrer-policy', 'no-referrer')
    .header('x-content-type-options', 'nosniff')
    .header('permissions-policy', 'camera=(self), microphone=(), geolocation=()')
    .send(page.html);
}

export function registerWebRoutes(app: FastifyInstance, deps: WebRoutesDeps): void {
  const { version, assets, modules } = loadSignInAssets();
  const assetBase = `/assets/sign-in/${version}`;

  const languageOf = (req: FastifyRequest<{ Querystring: Record<string, string | undefined> }>) => {
    const explicit = req.query['language'];
    const lang: Language = pickLanguage(explicit, parseAcceptLanguage(req.headers['accept-language']));
    return { lang, explicit: isLanguage(explicit) };
  };

  app.get<{ Params: { projectId: string }; Querystring: Record<string, string | undefined> }>(
    '/sign-in/:projectId',
    { schema: { hide: true } },
    async (req, reply) => {
      const { lang, explicit } = languageOf(req);
      const unavailable = () => sendPage(reply, 404, renderUnavailablePage(lang, assetBase));
      if (!OBJECT_ID.test(req.params.projectId)) return unavailable();
      const type = req.query['type'] === 'onboarding' ? 'onboarding' : 'login';
      const found = await deps.projects.getPublic(req.params.projectId).catch((err: unknown) => {
        if (err instanceof AppError && err.kind === 'projectNotFound') return null;
        throw err;
      });
      const usable = (found?.projectFlows ?? []).filter(
        (f) => f.type === type && f.status === 'active' && (type === 'onboarding' || f.loginSettings.faceLiveness),
      );
      // A magic link names its flow: the page follows that flow's steps (a project may have several login flows).
      const flow = usable.find((f) => f._id === req.query['projectFlow']) ?? usable[0];
      if (!found || !flow) return unavailable();
      const { project } = found;
      const steps = loginStepsOf(flow.loginSettings);
      const settings = flow.loginSettings;
      // A magic link lands here (`?type=magicLink&email=…&otp=…`): the page's script reads and checks its code.
      const magicLink =
        req.query['type'] === 'magicLink' && req.query['otp']
          ? req.query['phone']
            ? ('phone' as const)
            : ('email' as const)
          : undefined;
      // Only what the public project route (`GET /v2/projects/kyc`) also shows.
      return sendPage(
        reply,
        200,
        renderSignInPage({
          assetBase,
          modules,
          lang,
          langExplicit: explicit,
          magicLink,
          // The get-ready screen, unless the flow turns it off (`loginSettings.getReadyScreen: false`).
          getReady: flow.loginSettings.getReadyScreen !== false,
          project: {
            _id: project._id,
            name: project.name,
            branding: project.branding,
            privacyUrl: project.privacyUrl,
            termsAndConditionsUrl: project.termsAndConditionsUrl,
          },
          flow: {
            _id: flow._id,
            type: flow.type,
            status: flow.status,
            redirectUrl: flow.redirectUrl,
            loginSettings: {
              livenessMinScore: flow.loginSettings.livenessMinScore,
              livenessMode: flow.loginSettings.livenessMode,
            },
            onboardingSettings: {
              liveness: { livenessMinScore: flow.onboardingSettings.liveness.livenessMinScore },
            },
            ...(flow.type === 'login'
              ? {
                  plan: {
                    // Only a channel the flow turned on can be asked for.
                    code:
                      steps.code === 'email' && settings.email
                        ? 'email'
                        : steps.code === 'phone' && settings.phone
                          ? 'phone'
                          : null,
                    face: steps.face,
                    authenticator: steps.authenticator,
                    phoneGateway: settings.phoneGateway === 'whatsapp' ? 'whatsapp' : 'sms',
                    resendSeconds: codeLimits.resendCooldownSeconds,
                    channels: [
                      ...(settings.email ? (['email'] as const) : []),
                      ...(settings.phone ? (['phone'] as const) : []),
                    ],
                  },
                }
              : {}),
          },
        }),
      );
    },
  );

  app.get<{ Params: { version: string; file: string } }>(
    '/assets/sign-in/:version/:file',
    { schema: { hide: true } },
    async (req, reply) => {
      const asset = req.params.version === version ? assets.get(req.params.file) : undefined;
      if (!asset) throw new AppError('routeNotFound');
      return sendAsset(req, reply, asset);
    },
  );
}
