import type { FastifyInstance, preValidationAsyncHookHandler } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { dataOf, idParamsSchema, imageRouteErrors } from '../../schemas/common.schema.js';
import type { AuthenticatorService } from '../../services/authenticator.service.js';
import { clientOf } from '../auth.js';

// A person's authenticator app (TOTP), with the client's API token: enrol (the secret is shown this once), see
// whether one is enrolled, remove. Enrolling again replaces the secret: codes of the old one stop working.

const status = z.object({
  person: z.string(),
  type: z.literal('totp'),
  enrolled: z.boolean(),
  enrolledAt: z.string().nullable(),
});

export function registerAuthenticatorRoutes(
  fastify: FastifyInstance,
  d: { authenticators: AuthenticatorService; auth: preValidationAsyncHookHandler },
): void {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const tags = ['persons'];
  const path = '/v2/face-recognition/persons/:id/authenticator';
  const errors = imageRouteErrors;

  app.post(
    path,
    {
      preValidation: d.auth,
      schema: {
        tags,
        summary: "Enrol (or replace) the person's authenticator app; the secret is returned only here",
        params: idParamsSchema,
        response: {
          200: dataOf(
            z.object({
              person: z.string(),
              type: z.literal('totp'),
              otpauthUri: z.string().describe('otpauth://totp/… (SHA1, 6 digits, 30 s): the secret, shown once'),
              qrCode: z.string().describe('data:image/png;base64,… of the otpauth URI, for the app to scan'),
              enrolledAt: z.string(),
            }),
          ),
          ...errors,
        },
      },
    },
    async (req) => ({ data: await d.authenticators.enrol(clientOf(req)._id, req.params.id) }),
  );
  app.get(
    path,
    {
      preValidation: d.auth,
      schema: {
        tags,
        summary: 'Whether the person has an authenticator app enrolled',
        params: idParamsSchema,
        response: { 200: dataOf(status), ...errors },
      },
    },
    async (req) => ({ data: await d.authenticators.status(clientOf(req)._id, req.params.id) }),
  );
  app.delete(
    path,
    {
      preValidation: d.auth,
      schema: {
        tags,
        summary: "Remove the person's authenticator app",
        params: idParamsSchema,
        response: { 200: dataOf(status), ...errors },
      },
    },
    async (req) => ({ data: await d.authenticators.remove(clientOf(req)._id, req.params.id) }),
  );
}
