import type { FastifyInstance, FastifyRequest, preValidationAsyncHookHandler } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
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
import type { ClientService } from '../../services/client.service.js';
import type { ValidationCreateService } from '../../services/validation-create.service.js';
import type { ValidationRecordsService } from '../../services/validation-records.service.js';
import type { ValidationSessionService } from '../../services/validation-session.service.js';
import type { ValidateService } from '../../services/validation-validate.service.js';
import { bearerToken, clientOf, missingToken, requireBearer } from '../auth.js';
import { type Envelope, envelopeOf } from '../envelope.js';
import { parseListQuery } from '../list-query.js';
import { rateLimitByAddress } from '../rate-limit.js';

const errors = imageRouteErrors;

export interface BiometricRoutesDeps {
  rateLimitPerMinute: number;
  validationCreate: ValidationCreateService;
  validationSessions: ValidationSessionService;
  validate: ValidateService;
  validationRecords: ValidationRecordsService;
  clients: ClientService;
  envelope: Envelope;
  auth: preValidationAsyncHookHandler;
}

/** Biometric validations (§2), liveness sessions (§3) and app logins (§6.1); the exchange is in auth.routes.ts. */
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
      // With a token, the caller is that client (checked before the body); without one, the hosted page of a
      // public, active project.
      preValidation: async (req) => {
        const token = bearerToken(req);
        if (token) req.client = await d.clients.authenticate(token);
        else await limitPublicCreate(req);
      },
      schema: {
        tags,
        summary: 'Create a validation, its liveness session and session token (public for the hosted page)',
        body: createValidationBody,
        response: { 200: createValidationResponse, ...errors },
      },
    },
    async (req) => {
      const caller = req.client
        ? ({ kind: 'client', clientId: req.client._id } as const)
        : ({ kind: 'public' } as const);
      return { data: await d.validationCreate.create(caller, req.body) };
    },
  );

  app.post(
    `${base}/app-login`,
    {
      preValidation: requireBearer('appLogin'),
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
      if (!token) throw missingToken('appLogin');
      const r = await d.validationCreate.createAfterAppLogin(token, req.body);
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
      preValidation: [requireBearer('liveness'), limitSelfies],
      schema: {
        tags,
        summary:
          'Submit the selfie (or a burst of frames) with the liveness-session token; then, if the validation ' +
          'requires a second factor, the authenticator code (`authenticatorOTP`) with the same token',
        body: validateBody,
        response: {
          200: envelopeOf(
            z.union([
              z.object({
                appLogin: appLoginSchema,
                livenessSession: livenessSessionSchema.nullable(),
                biometricValidation: biometricValidationSchema,
                person: z.string(),
                token: z.string(),
              }),
              z
                .object({
                  message: z.literal('second_factor_required'),
                  requires2FA: z.literal(true),
                  secondFactor: z.literal('authenticator'),
                  biometricValidation: biometricValidationSchema,
                })
                .describe('The face passed; nothing is granted until `authenticatorOTP` is sent'),
            ]),
          ),
          ...errors,
        },
      },
    },
    async (req) => {
      const r = await d.validate.validate(bearerToken(req), req.body);
      if (r.secondFactor) {
        return d.envelope({
          message: 'second_factor_required' as const,
          requires2FA: true as const,
          secondFactor: 'authenticator' as const,
          biometricValidation: r.biometricValidation,
        });
      }
      const { secondFactor: _, ...granted } = r;
      return d.envelope(granted);
    },
  );

  app.get(
    `${base}/challenge`,
    {
      preValidation: requireBearer('liveness'),
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
    async (req) => ({ data: await d.validationSessions.challenge(bearerToken(req)) }),
  );

  app.post(
    `${base}/preview`,
    {
      preValidation: [requireBearer('liveness'), limitPreviews],
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
      const r = await d.validationSessions.preview(bearerToken(req), req.body.image);
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
  const records = d.validationRecords;

  app.get(
    base,
    {
      preValidation: d.auth,
      schema: { tags, querystring: listQuerySchema, response: { 200: listOf(biometricValidationSchema), ...errors } },
    },
    async (req) => {
      const query = parseListQuery(req.query, records.biometricValidations.filterable);
      const r = await records.biometricValidations.list(tenant(req), query);
      return { data: r.items, total: r.total };
    },
  );
  app.get(
    `${base}/:id`,
    {
      preValidation: d.auth,
      schema: { tags, params: idParamsSchema, response: { 200: dataOf(biometricValidationSchema), ...errors } },
    },
    async (req) => ({ data: await records.biometricValidations.get(tenant(req), req.params.id) }),
  );
  app.delete(
    `${base}/:id`,
    {
      preValidation: d.auth,
      schema: { tags, params: idParamsSchema, response: { 200: dataOf(biometricValidationSchema), ...errors } },
    },
    async (req) => ({ data: await records.biometricValidations.delete(tenant(req), req.params.id) }),
  );

  app.get(
    '/v2/liveness-sessions',
    {
      preValidation: d.auth,
      schema: {
        tags: ['liveness sessions'],
        querystring: listQuerySchema,
        response: { 200: listOf(livenessSessionSchema), ...errors },
      },
    },
    async (req) => {
      const r = await records.livenessSessions.list(
        tenant(req),
        parseListQuery(req.query, records.livenessSessions.filterable),
      );
      return { data: r.items, total: r.total };
    },
  );
  app.get(
    '/v2/liveness-sessions/:id',
    {
      preValidation: d.auth,
      schema: {
        tags: ['liveness sessions'],
        params: idParamsSchema,
        response: { 200: dataOf(livenessSessionSchema), ...errors },
      },
    },
    async (req) => ({ data: await records.livenessSessions.get(tenant(req), req.params.id) }),
  );

  /** `populates[]=biometricValidation` (or `populates=`), one value or several. */
  const populatesOf = (q: Record<string, unknown>): string[] => {
    const raw = q['populates[]'] ?? q['populates'];
    return (Array.isArray(raw) ? raw : raw ? [raw] : []).filter((p): p is string => typeof p === 'string');
  };

  app.get(
    '/v2/app-logins',
    {
      preValidation: d.auth,
      schema: {
        tags: ['app logins'],
        querystring: listQuerySchema,
        response: { 200: listOf(appLoginSchema), ...errors },
      },
    },
    async (req) => {
      const query = parseListQuery(req.query, records.appLogins.filterable);
      const r = await records.appLogins.list(tenant(req), query, populatesOf(req.query));
      return { data: r.items, total: r.total };
    },
  );
  app.get(
    '/v2/app-logins/:id',
    {
      preValidation: d.auth,
      schema: {
        tags: ['app logins'],
        params: idParamsSchema,
        querystring: z.object({ 'populates[]': z.union([z.string(), z.array(z.string())]).optional() }),
        response: { 200: dataOf(appLoginSchema), ...errors },
      },
    },
    async (req) => ({ data: await records.appLogins.get(tenant(req), req.params.id, populatesOf(req.query)) }),
  );
}
