import type { FastifyInstance, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AppError } from '../../errors.js';
import type { Store } from '../../ports/store.js';
import {
  appLoginSchema,
  biometricValidationSchema,
  createdValidationSchema,
  createValidationBody,
  createValidationResponse,
  livenessSessionSchema,
  previewBody,
  validateBody,
} from '../../schemas/biometric-validation.schema.js';
import { dataOf, idParamsSchema, imageRouteErrors, listOf, listQuerySchema } from '../../schemas/common.schema.js';
import { personSchema } from '../../schemas/person.schema.js';
import type { BiometricValidationService } from '../../services/biometric-validation.service.js';
import type { ClientService } from '../../services/client.service.js';
import { mustFind } from '../../services/documents.js';
import type { TokenService } from '../../services/token.service.js';
import { bearerToken, clientOf } from '../auth.js';
import { type Envelope, envelopeOf } from '../envelope.js';
import { parseListQuery } from '../list-query.js';
import { rateLimitByAddress } from '../rate-limit.js';

const errors = imageRouteErrors;

export interface BiometricRoutesDeps {
  rateLimitPerMinute: number;
  validations: BiometricValidationService;
  clients: ClientService;
  tokens: TokenService;
  store: Store;
  envelope: Envelope;
  auth: preHandlerAsyncHookHandler;
}

/** Biometric validations (§2), liveness sessions (§3), app logins (§6.1) and the project-login exchange. */
export function registerBiometricValidationRoutes(fastify: FastifyInstance, d: BiometricRoutesDeps): void {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const tags = ['biometric validations'];
  const base = '/v2/biometric-validations';
  // Selfies and previews may come from anyone holding a session token; public creates from anyone at all.
  const limitSelfies = rateLimitByAddress({ perMinute: d.rateLimitPerMinute });
  const limitPreviews = rateLimitByAddress({ perMinute: d.rateLimitPerMinute * 5 });
  const limitPublicCreate = rateLimitByAddress({ perMinute: d.rateLimitPerMinute });

  app.post(
    base,
    {
      schema: {
        tags,
        summary: 'Create a validation, its liveness session and session token (public for the hosted page)',
        body: createValidationBody,
        response: { 200: createValidationResponse, ...errors },
      },
    },
    async (req) => {
      // With a token, the caller is that client; without one, the hosted page of a public, active project.
      const token = bearerToken(req);
      if (!token) await limitPublicCreate(req);
      const caller = token
        ? ({ kind: 'client', clientId: (await d.clients.authenticate(token))._id } as const)
        : ({ kind: 'public' } as const);
      return { data: await d.validations.create(caller, req.body) };
    },
  );

  app.post(
    `${base}/app-login`,
    {
      schema: {
        tags,
        summary: 'Create a login validation as a second factor of an app login',
        body: createValidationBody,
        response: {
          200: z.object({
            data: createValidationResponse.shape.data.extend({
              biometricValidation: createdValidationSchema.extend({
                redirectUrl: z.string().nullable(),
                webhook: z.null(),
              }),
            }),
          }),
          ...errors,
        },
      },
    },
    async (req) => {
      const token = bearerToken(req);
      if (!token) throw new AppError('unauthorized');
      const claims = await d.tokens.verify(token, 'appLogin').catch(() => {
        throw new AppError('tokenNotRight');
      });
      if (req.body.type !== 'login') throw new AppError('missingParameter', { message: '"type" must be login' });
      const r = await d.validations.create({ kind: 'client', clientId: claims.client }, req.body, {
        parentAppLogin: claims.sub,
      });
      return {
        data: {
          ...r,
          biometricValidation: {
            ...r.biometricValidation,
            redirectUrl: r.biometricValidation.redirectUrl,
            webhook: null,
          },
        },
      };
    },
  );

  app.post(
    `${base}/validate`,
    {
      preHandler: limitSelfies,
      schema: {
        tags,
        summary: 'Submit the selfie (or a burst of frames) with the liveness-session token',
        body: validateBody,
        response: {
          200: envelopeOf(
            z.object({
              appLogin: appLoginSchema,
              livenessSession: livenessSessionSchema.nullable(),
              biometricValidation: biometricValidationSchema,
              person: z.string(),
              token: z.string(),
            }),
          ),
          ...errors,
        },
      },
    },
    async (req) => d.envelope(await d.validations.validate(bearerToken(req), req.body)),
  );

  app.get(
    `${base}/challenge`,
    {
      schema: {
        tags,
        summary: 'The active-liveness steps of a session (liveness-session token)',
        response: {
          200: dataOf(
            z.object({
              mode: z.enum(['passive', 'active']),
              steps: z.array(z.string()),
              framesPerStep: z.number(),
              language: z.enum(['en', 'es']),
            }),
          ),
          ...errors,
        },
      },
    },
    async (req) => ({ data: await d.validations.challenge(bearerToken(req)) }),
  );

  app.post(
    `${base}/preview`,
    {
      preHandler: limitPreviews,
      schema: {
        tags,
        summary: 'Face detection for the hosted page guidance (liveness-session token); not an attempt',
        body: previewBody,
        response: {
          200: dataOf(
            z.object({
              width: z.number(),
              height: z.number(),
              faces: z.number(),
              box: z.object({ left: z.number(), top: z.number(), right: z.number(), bottom: z.number() }).optional(),
              quality: z
                .object({ faceSize: z.number(), sharpness: z.number().nullable(), yaw: z.number(), pitch: z.number() })
                .optional(),
            }),
          ),
          ...errors,
        },
      },
    },
    async (req) => {
      const r = await d.validations.preview(bearerToken(req), req.body.image);
      const face = r.faces[0];
      return {
        data: {
          width: r.width,
          height: r.height,
          faces: r.faces.length,
          ...(face
            ? {
                box: face.box,
                quality: {
                  ...face.quality,
                  sharpness: Number.isFinite(face.quality.sharpness) ? face.quality.sharpness : null,
                },
              }
            : {}),
        },
      };
    },
  );

  const tenant = (req: FastifyRequest) => clientOf(req)._id;

  app.get(
    base,
    {
      preHandler: d.auth,
      schema: { tags, querystring: listQuerySchema, response: { 200: listOf(biometricValidationSchema), ...errors } },
    },
    async (req) => {
      const r = await d.store.biometricValidations.list(
        tenant(req),
        parseListQuery(req.query, d.store.biometricValidations.filterable),
      );
      return { data: r.items, total: r.total };
    },
  );
  app.get(
    `${base}/:id`,
    {
      preHandler: d.auth,
      schema: { tags, params: idParamsSchema, response: { 200: dataOf(biometricValidationSchema), ...errors } },
    },
    async (req) => ({
      data: await mustFind(
        d.store.biometricValidations.findById(tenant(req), req.params.id),
        'biometricValidationNotFound',
      ),
    }),
  );
  app.delete(
    `${base}/:id`,
    {
      preHandler: d.auth,
      schema: { tags, params: idParamsSchema, response: { 200: dataOf(biometricValidationSchema), ...errors } },
    },
    async (req) => {
      const v = await mustFind(
        d.store.biometricValidations.findById(tenant(req), req.params.id),
        'biometricValidationNotFound',
      );
      await d.store.transaction(async (tx) => {
        await tx.biometricValidations.delete(v.client, v._id);
        await tx.livenessSessions.delete(v.client, v.livenessSession);
      });
      return { data: v };
    },
  );

  app.get(
    '/v2/liveness-sessions',
    {
      preHandler: d.auth,
      schema: {
        tags: ['liveness sessions'],
        querystring: listQuerySchema,
        response: { 200: listOf(livenessSessionSchema), ...errors },
      },
    },
    async (req) => {
      const r = await d.store.livenessSessions.list(
        tenant(req),
        parseListQuery(req.query, d.store.livenessSessions.filterable),
      );
      return { data: r.items, total: r.total };
    },
  );
  app.get(
    '/v2/liveness-sessions/:id',
    {
      preHandler: d.auth,
      schema: {
        tags: ['liveness sessions'],
        params: idParamsSchema,
        response: { 200: dataOf(livenessSessionSchema), ...errors },
      },
    },
    async (req) => ({ data: await mustFind(d.store.livenessSessions.findById(tenant(req), req.params.id)) }),
  );

  /** `populates[]=biometricValidation` replaces the id by the document, as Verifik's MongoORM does. */
  const populate = async (clientId: string, login: z.infer<typeof appLoginSchema>, populates: unknown) => {
    const wanted = new Set(Array.isArray(populates) ? populates : populates ? [populates] : []);
    if (!wanted.has('biometricValidation') || typeof login.biometricValidation !== 'string') return login;
    const v = await d.store.biometricValidations.findById(clientId, login.biometricValidation);
    return v ? { ...login, biometricValidation: v } : login;
  };
  const populatesOf = (q: Record<string, unknown>) => q['populates[]'] ?? q['populates'];

  app.get(
    '/v2/app-logins',
    {
      preHandler: d.auth,
      schema: {
        tags: ['app logins'],
        querystring: listQuerySchema,
        response: { 200: listOf(appLoginSchema), ...errors },
      },
    },
    async (req) => {
      const r = await d.store.appLogins.list(tenant(req), parseListQuery(req.query, d.store.appLogins.filterable));
      return {
        data: await Promise.all(r.items.map((l) => populate(tenant(req), l, populatesOf(req.query)))),
        total: r.total,
      };
    },
  );
  app.get(
    '/v2/app-logins/:id',
    {
      preHandler: d.auth,
      schema: {
        tags: ['app logins'],
        params: idParamsSchema,
        querystring: z.object({ 'populates[]': z.union([z.string(), z.array(z.string())]).optional() }),
        response: { 200: dataOf(appLoginSchema), ...errors },
      },
    },
    async (req) => ({
      data: await populate(
        tenant(req),
        await mustFind(d.store.appLogins.findById(tenant(req), req.params.id)),
        populatesOf(req.query),
      ),
    }),
  );

  app.post(
    '/v2/auth/project-login',
    {
      schema: {
        tags: ['auth'],
        summary:
          "Exchange an app-login token (once) for the logged-in person and an access token for the project's user",
        // Fastify hands an absent body to the validator as null.
        body: z.object({}).nullish(),
        response: {
          200: z.object({
            data: z.object({
              accessToken: z.string(),
              tokenType: z.literal('bearer'),
              appLogin: appLoginSchema,
              person: personSchema,
              appRegistration: z.null(),
            }),
            status: z.literal('success'),
          }),
          ...errors,
        },
      },
    },
    async (req) => {
      const r = await d.validations.projectLogin(bearerToken(req));
      return {
        data: {
          accessToken: r.accessToken,
          tokenType: 'bearer' as const,
          appLogin: r.appLogin,
          person: r.person,
          appRegistration: null,
        },
        status: 'success' as const,
      };
    },
  );
}
