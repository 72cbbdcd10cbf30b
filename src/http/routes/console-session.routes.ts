import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { dataOf, errorSchema, objectIdSchema } from '../../schemas/common.schema.js';
import type { ConsoleSessionService } from '../../services/console-session.service.js';
import { auditSourceOf } from '../audit-source.js';
import { bearerToken, missingToken, requireConsoleSession } from '../auth.js';

// The console's operator sign-in (services/console-session.service.ts): the access token of the project-login
// exchange of an operator's email-code-then-face login, for a console session; and its sign-out, which ends it.

const body = z.strictObject({
  project: objectIdSchema.describe("The tenant's operators' sign-in project (`consoleAccess: true`) the login was on"),
});
const response = dataOf(
  z.object({
    accessToken: z.string().describe('Kind `consoleSession`: send it as the API token to the console’s routes'),
    tokenType: z.literal('bearer'),
    expiresAt: z.string(),
    project: objectIdSchema,
    operator: z.object({ _id: objectIdSchema, name: z.string(), email: z.string().nullable() }),
  }),
);

const ended = dataOf(z.object({ ended: z.literal(true).describe('The session is over: its token is refused') }));

export function registerConsoleSessionRoutes(
  fastify: FastifyInstance,
  deps: { consoleSessions: ConsoleSessionService },
): void {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  app.post(
    '/v2/auth/console-session',
    {
      preValidation: async (req) => {
        if (!bearerToken(req)) throw missingToken('projectUser');
      },
      schema: {
        tags: ['auth'],
        summary: "Exchange an operator's project-login access token for an 8-hour console session",
        body,
        response: { 200: response, 401: errorSchema, 403: errorSchema, 404: errorSchema, 409: errorSchema },
      },
    },
    async (req) => {
      const s = await deps.consoleSessions.open(bearerToken(req), req.body.project, auditSourceOf(req));
      return {
        data: {
          accessToken: s.token,
          tokenType: 'bearer' as const,
          expiresAt: s.expiresAt.toISOString(),
          project: req.body.project,
          operator: s.operator,
        },
      };
    },
  );
  app.delete(
    '/v2/auth/console-session',
    {
      preValidation: requireConsoleSession(),
      schema: {
        tags: ['auth'],
        response: { 200: ended, 401: errorSchema, 403: errorSchema },
      },
    },
    async (req) => {
      await deps.consoleSessions.end(bearerToken(req) ?? '', auditSourceOf(req));
      return { data: { ended: true as const } };
    },
  );
}
