import type { FastifyInstance, preValidationAsyncHookHandler } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AppError } from '../../errors.js';
import { appLoginSchema } from '../../schemas/biometric-validation.schema.js';
import { dataOf, documentMeta, errorSchema, idParamsSchema, objectIdSchema } from '../../schemas/common.schema.js';
import { personResponse, personSchema } from '../../schemas/person.schema.js';
import { brandingSchema, dataProtectionSchema } from '../../schemas/project.schema.js';
import type { ClientService } from '../../services/client.service.js';
import type { ProjectLoginService } from '../../services/project-login.service.js';
import { auditSourceOf } from '../audit-source.js';
import { bearerToken, clientOf, refuseOperator, requireBearer } from '../auth.js';

// §1.1: refreshing a client token and revoking every earlier one (Verifik answers these flat, without `data`), the
// client's webhook secret and profile, the project-login exchange of an app-login token, and the session of the
// access token that exchange returns (`origin=app`, the only route that token opens).

const sessionQuery = z.object({
  origin: z
    .enum(['refresh', 'app'])
    .default('refresh')
    .describe(
      '`refresh`: a fresh client token (client token). `app`: the signed-in user of the access token of ' +
        '`POST /v2/auth/project-login`, and the project settings',
    ),
  expiresIn: z.coerce.number().int().min(1).max(12).optional().describe('`origin=refresh` only: months'),
});
const refreshResponse = z.object({ accessToken: z.string(), tokenType: z.literal('bearer'), expiresAt: z.string() });
const appSessionResponse = z.object({
  accessToken: z.string(),
  tokenType: z.literal('bearer'),
  expiresAt: z.string(),
  user: z.object({
    _id: objectIdSchema.describe("The person's id, or the app login's for an address nobody is enrolled under"),
    name: z.string(),
    email: z.string().nullable(),
    phone: z.string().nullable(),
    staff: z.literal(false),
    credits: z.null().describe('Facegate does not meter usage'),
    person: objectIdSchema.nullable(),
    appLogin: objectIdSchema,
    type: z.enum(['faceLiveness', 'email', 'phone']),
    project: objectIdSchema,
    projectFlow: objectIdSchema,
  }),
  settings: z.object({
    project: objectIdSchema,
    name: z.string(),
    allowedCountries: z.array(z.string()),
    contactEmail: z.string().nullable(),
    privacyUrl: z.string().nullable(),
    termsAndConditionsUrl: z.string().nullable(),
    branding: brandingSchema,
    dataProtection: dataProtectionSchema,
  }),
});
const sessionResponse = z.union([appSessionResponse, refreshResponse]);
const missingAccessToken = () =>
  new AppError('tokenRequired', {
    shown: 'send the access token of POST /v2/auth/project-login as "Authorization: Bearer <token>"',
  });

const clientProfileBody = z
  .strictObject({
    name: z.string().trim().min(1).max(200),
    company: z.string().trim().max(200).nullable(),
    address: z.string().trim().max(300).nullable(),
    email: z.email().max(320).nullable(),
    phone: z.string().trim().max(32).nullable(),
    countryCode: z.string().trim().max(8).nullable().describe('Dialling code, as Verifik (`"+57"`)'),
    avatar: z.string().max(2048).nullable().describe('An image URL'),
  })
  .partial();
const clientProfileResponse = z.object({
  ...documentMeta,
  name: z.string(),
  status: z.enum(['active', 'inactive']),
  company: z.string().nullable(),
  address: z.string().nullable(),
  email: z.string().nullable(),
  phone: z.string().nullable(),
  countryCode: z.string().nullable(),
  avatar: z.string().nullable(),
});
const errors = { 401: errorSchema, 403: errorSchema, 409: errorSchema };

export function registerAuthRoutes(
  fastify: FastifyInstance,
  deps: {
    clients: ClientService;
    projectLogin: ProjectLoginService;
    auth: preValidationAsyncHookHandler;
    onSecretRotated?: (clientId: string) => void;
  },
): void {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  for (const method of ['GET', 'POST'] as const) {
    app.route({
      method,
      url: '/v2/auth/session',
      // origin=app takes the project user's access token, verified by the session itself; any other origin the
      // client token.
      preValidation: async function (req, reply) {
        if ((req.query as { origin?: unknown }).origin !== 'app') {
          await deps.auth.call(this, req, reply);
          return refuseOperator('a new API token')(req);
        }
        if (!bearerToken(req)) throw missingAccessToken();
      },
      schema: {
        tags: ['auth'],
        querystring: sessionQuery,
        response: { 200: sessionResponse, ...errors, 404: errorSchema },
      },
      handler: async (req) => {
        if (req.query.origin === 'app') {
          const accessToken = bearerToken(req);
          const s = await deps.projectLogin.session(accessToken);
          return {
            accessToken: accessToken ?? '',
            tokenType: 'bearer' as const,
            expiresAt: s.expiresAt.toISOString(),
            user: s.user,
            settings: s.settings,
          };
        }
        const t = await deps.clients.refresh(clientOf(req), req.query.expiresIn, auditSourceOf(req));
        return { accessToken: t.token, tokenType: 'bearer' as const, expiresAt: t.expiresAt.toISOString() };
      },
    });
  }
  app.post(
    '/v2/auth/renew-and-revoke',
    {
      preValidation: [deps.auth, refuseOperator('a new API token')],
      schema: {
        tags: ['auth'],
        body: z.object({}).nullish(),
        response: { 200: z.object({ token: z.string(), expiresAt: z.string() }), ...errors },
      },
    },
    async (req) => {
      const t = await deps.clients.renewAndRevoke(clientOf(req), auditSourceOf(req));
      return { token: t.token, expiresAt: t.expiresAt.toISOString() };
    },
  );

  // The secret that signs this client's webhooks (X-Facegate-Signature), and its rotation.
  const secretResponse = { 200: z.object({ data: z.object({ webhookSecret: z.string() }) }), ...errors };
  app.get(
    '/v2/clients/webhook-secret',
    { preValidation: deps.auth, schema: { tags: ['auth'], response: secretResponse } },
    async (req) => ({ data: { webhookSecret: clientOf(req).webhookSecret } }),
  );
  app.post(
    '/v2/clients/webhook-secret',
    { preValidation: deps.auth, schema: { tags: ['auth'], body: z.object({}).nullish(), response: secretResponse } },
    async (req) => {
      const webhookSecret = await deps.clients.rotateWebhookSecret(clientOf(req), auditSourceOf(req));
      deps.onSecretRotated?.(clientOf(req)._id);
      return { data: { webhookSecret } };
    },
  );

  // Verifik's console saves the signed-in client's profile here; a client sees (and edits) only itself.
  app.put(
    '/v2/clients/:id',
    {
      preValidation: deps.auth,
      schema: {
        tags: ['auth'],
        params: idParamsSchema,
        body: clientProfileBody,
        response: { 200: dataOf(clientProfileResponse), ...errors, 404: errorSchema },
      },
    },
    async (req) => {
      const c = await deps.clients.updateProfile(clientOf(req), req.params.id, req.body, auditSourceOf(req));
      return {
        data: {
          _id: c._id,
          createdAt: c.createdAt,
          updatedAt: c.updatedAt,
          __v: c.__v,
          name: c.name,
          status: c.status,
          company: c.company ?? null,
          address: c.address ?? null,
          email: c.email,
          phone: c.phone ?? null,
          countryCode: c.countryCode ?? null,
          avatar: c.avatar ?? null,
        },
      };
    },
  );

  app.post(
    '/v2/auth/project-login',
    {
      preValidation: requireBearer('appLogin'),
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
              // null for an email or phone login of an address no person is enrolled under
              person: personSchema.nullable(),
              appRegistration: z.null(),
            }),
            status: z.literal('success'),
          }),
          ...errors,
          404: errorSchema,
        },
      },
    },
    async (req) => {
      const r = await deps.projectLogin.exchange(bearerToken(req), auditSourceOf(req));
      return {
        data: {
          accessToken: r.accessToken,
          tokenType: 'bearer' as const,
          appLogin: r.appLogin,
          person: r.person ? personResponse(r.person) : null,
          appRegistration: null,
        },
        status: 'success' as const,
      };
    },
  );
}
