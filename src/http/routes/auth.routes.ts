import type { FastifyInstance, preValidationAsyncHookHandler } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { appLoginSchema } from '../../schemas/biometric-validation.schema.js';
import { errorSchema } from '../../schemas/common.schema.js';
import { personResponse, personSchema } from '../../schemas/person.schema.js';
import type { ClientService } from '../../services/client.service.js';
import type { ProjectLoginService } from '../../services/project-login.service.js';
import { bearerToken, clientOf, requireBearer } from '../auth.js';

// §1.1: refreshing a client token and revoking every earlier one (Verifik answers these flat, without `data`), the
// client's webhook secret, and the project-login exchange of an app-login token.

const sessionQuery = z.object({
  origin: z.enum(['refresh']).default('refresh'),
  expiresIn: z.coerce.number().int().min(1).max(12).optional(),
});
const sessionResponse = z.object({ accessToken: z.string(), tokenType: z.literal('bearer'), expiresAt: z.string() });
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
      preValidation: deps.auth,
      schema: { tags: ['auth'], querystring: sessionQuery, response: { 200: sessionResponse, ...errors } },
      handler: async (req) => {
        const t = await deps.clients.refresh(clientOf(req), req.query.expiresIn);
        return { accessToken: t.token, tokenType: 'bearer' as const, expiresAt: t.expiresAt.toISOString() };
      },
    });
  }
  app.post(
    '/v2/auth/renew-and-revoke',
    {
      preValidation: deps.auth,
      schema: {
        tags: ['auth'],
        body: z.object({}).nullish(),
        response: { 200: z.object({ token: z.string(), expiresAt: z.string() }), ...errors },
      },
    },
    async (req) => {
      const t = await deps.clients.renewAndRevoke(clientOf(req));
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
      const webhookSecret = await deps.clients.rotateWebhookSecret(clientOf(req));
      deps.onSecretRotated?.(clientOf(req)._id);
      return { data: { webhookSecret } };
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
      const r = await deps.projectLogin.exchange(bearerToken(req));
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
