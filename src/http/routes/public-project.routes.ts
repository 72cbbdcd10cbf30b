import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { flowStatuses, flowTypes, livenessModes, searchModes } from '../../domain/project-flow.js';
import { dataOf, errorSchema, objectIdSchema } from '../../schemas/common.schema.js';
import { brandingSchema, dataProtectionSchema } from '../../schemas/project.schema.js';
import type { ProjectService } from '../../services/project.service.js';
import { rateLimitByAddress } from '../rate-limit.js';

// `GET /v2/projects/kyc?id=` is public: a hosted page calls it before anyone has a token. The response schema
// is the allow-list of what a stranger may learn: no client id, webhook URL or secret. Limited per address like the
// other open routes: a page loads it once, a stranger walking ids gets 429s (#14).

const publicFlowSchema = z.object({
  _id: objectIdSchema,
  project: objectIdSchema,
  type: z.enum(flowTypes),
  status: z.enum(flowStatuses),
  name: z.string().nullable(),
  version: z.number(),
  redirectUrl: z.string().nullable(),
  loginSettings: z.object({
    faceLiveness: z.boolean(),
    livenessMinScore: z.number(),
    searchMode: z.enum(searchModes),
    livenessMode: z.enum(livenessModes),
    showFaceLivenessRecommendation: z.boolean(),
  }),
  onboardingSettings: z.object({ liveness: z.object({ livenessMinScore: z.number() }) }),
});

const publicProjectSchema = z.object({
  _id: objectIdSchema,
  name: z.string(),
  status: z.string(),
  allowedCountries: z.array(z.string()),
  contactEmail: z.string().nullable(),
  privacyUrl: z.string().nullable(),
  termsAndConditionsUrl: z.string().nullable(),
  branding: brandingSchema,
  dataProtection: dataProtectionSchema,
  projectFlows: z.array(publicFlowSchema),
});

export function registerPublicProjectRoutes(
  fastify: FastifyInstance,
  deps: { projects: ProjectService; rateLimitPerMinute: number },
): void {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const limit = rateLimitByAddress({ perMinute: deps.rateLimitPerMinute });
  app.get(
    '/v2/projects/kyc',
    {
      preValidation: limit,
      schema: {
        tags: ['projects'],
        summary: 'Public view of an active project and its usable flows, for hosted pages',
        querystring: z.object({ id: objectIdSchema }),
        response: { 200: dataOf(publicProjectSchema), 404: errorSchema, 409: errorSchema, 429: errorSchema },
      },
    },
    async (req) => {
      const { project, projectFlows } = await deps.projects.getPublic(req.query.id);
      return { data: { ...project, projectFlows } };
    },
  );
}
