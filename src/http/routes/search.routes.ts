import type { FastifyInstance, FastifyRequest, preValidationAsyncHookHandler } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { imageRouteErrors } from '../../schemas/common.schema.js';
import { livenessResultSchema } from '../../schemas/face-recognition.schema.js';
import {
  enrolLiveFaceBody,
  personResponse,
  personSchema,
  searchBody,
  searchHitSchema,
  searchLiveFaceBody,
  verifyBody,
} from '../../schemas/person.schema.js';
import type { AuditedSearchService } from '../../services/audit-search.js';
import type { SearchHit } from '../../services/search.service.js';
import { auditSourceOf } from '../audit-source.js';
import { clientOf } from '../auth.js';
import { type Envelope, envelopeOf } from '../envelope.js';

const errors = imageRouteErrors;

const hitOf = (h: SearchHit) => ({
  id: h.person._id,
  _id: h.person._id,
  name: h.person.name,
  score: h.score,
  gender: h.person.gender,
  date_of_birth: h.person.date_of_birth,
  nationality: h.person.nationality,
  thumbnails: h.person.thumbnails,
  collections: h.person.collections.map((c) => ({ id: c._id, name: c.name })),
});

/** 1:N search (§5.3), with and without liveness, and enrolment with liveness and de-duplication. */
export function registerSearchRoutes(
  fastify: FastifyInstance,
  d: { search: AuditedSearchService; envelope: Envelope; auth: preValidationAsyncHookHandler },
): void {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const tags = ['search'];
  const base = '/v2/face-recognition';

  for (const path of ['search', 'search/crops']) {
    app.post(
      `${base}/${path}`,
      {
        preValidation: d.auth,
        schema: { tags, body: searchBody, response: { 200: envelopeOf(z.array(searchHitSchema)), ...errors } },
      },
      async (req) => {
        const b = req.body;
        const hits = await d.search.search(
          clientOf(req)._id,
          {
            images: b.images ?? [b.image as string],
            collectionId: b.collection_id,
            minScore: b.min_score,
            mode: b.search_mode,
            maxResults: b.max_results,
          },
          auditSourceOf(req),
        );
        return d.envelope(hits.map(hitOf));
      },
    );
  }

  app.post(
    `${base}/verify`,
    {
      preValidation: d.auth,
      schema: {
        tags,
        body: verifyBody,
        response: { 200: envelopeOf(z.object({ match: searchHitSchema.extend({ passed: z.boolean() }) })), ...errors },
      },
    },
    async (req) => {
      const b = req.body;
      const r = await d.search.verify(
        clientOf(req)._id,
        b.id,
        b.images ?? [b.image as string],
        b.min_score,
        auditSourceOf(req),
      );
      return d.envelope({ match: { ...hitOf({ person: r.person, score: r.score, similarity: 0 }), passed: r.passed } });
    },
  );

  const liveSearch = async (req: FastifyRequest, b: z.infer<typeof searchLiveFaceBody>) => {
    const { liveness, hits } = await d.search.searchLive(
      clientOf(req)._id,
      {
        image: b.image,
        collectionId: b.collection_id,
        livenessMinScore: b.liveness_min_score,
        minScore: b.min_score,
        mode: b.search_mode,
        maxResults: b.max_results,
      },
      auditSourceOf(req),
    );
    return { liveness, hits: hits.map(hitOf) };
  };

  app.post(
    `${base}/search-live-face`,
    {
      preValidation: d.auth,
      schema: {
        tags,
        body: searchLiveFaceBody,
        response: {
          200: envelopeOf(
            z.object({
              search: z.array(searchHitSchema),
              persons: z.array(z.object({ id: z.string(), score: z.number() })),
              liveness: z.object({ result: livenessResultSchema, score: z.number(), passed: z.boolean() }),
              liveness_score: z.number(),
            }),
          ),
          ...errors,
        },
      },
    },
    async (req) => {
      const { liveness, hits } = await liveSearch(req, req.body);
      return d.envelope({
        search: hits,
        persons: hits.map((h) => ({ id: h.id, score: h.score })),
        liveness: { result: liveness, score: liveness.liveness_score, passed: liveness.passed },
        liveness_score: liveness.liveness_score,
      });
    },
  );

  app.post(
    `${base}/search-active-user`,
    {
      preValidation: d.auth,
      schema: {
        tags,
        body: searchLiveFaceBody,
        response: {
          200: envelopeOf(
            z.object({
              persons: z.array(searchHitSchema),
              liveness: z.object({ score: z.number(), min_score: z.number(), passed: z.boolean() }),
            }),
          ),
          ...errors,
        },
      },
    },
    async (req) => {
      const { liveness, hits } = await liveSearch(req, req.body);
      return d.envelope({
        persons: hits,
        liveness: { score: liveness.liveness_score, min_score: liveness.min_score, passed: liveness.passed },
      });
    },
  );

  app.post(
    `${base}/persons/search-live-face`,
    {
      preValidation: d.auth,
      schema: { tags: ['persons'], body: enrolLiveFaceBody, response: { 200: envelopeOf(personSchema), ...errors } },
    },
    async (req) => {
      const b = req.body;
      const { images, collection_id, liveness_min_score, min_score, search_mode, os: _os, ...fields } = b;
      const person = await d.search.enrolLive(
        clientOf(req)._id,
        {
          images,
          person: { ...fields, collections: [collection_id, ...(b.collections ?? [])] },
          collectionId: collection_id,
          livenessMinScore: liveness_min_score,
          minScore: min_score,
          mode: search_mode,
        },
        auditSourceOf(req),
      );
      return d.envelope(personResponse(person));
    },
  );
}
