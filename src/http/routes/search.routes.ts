import type { FastifyInstance, preHandlerAsyncHookHandler } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { livenessVerdict } from '../../domain/scores.js';
import { AppError } from '../../errors.js';
import { imageRouteErrors } from '../../schemas/common.schema.js';
import { livenessResultSchema } from '../../schemas/face-recognition.schema.js';
import {
  enrolLiveFaceBody,
  personSchema,
  searchBody,
  searchHitSchema,
  searchLiveFaceBody,
  verifyBody,
} from '../../schemas/person.schema.js';
import { requireLive } from '../../services/liveness-check.js';
import type { PersonService } from '../../services/person.service.js';
import type { SearchHit, SearchService } from '../../services/search.service.js';
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
  d: { search: SearchService; persons: PersonService; envelope: Envelope; auth: preHandlerAsyncHookHandler },
): void {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const tags = ['search'];
  const base = '/v2/face-recognition';

  for (const path of ['search', 'search/crops']) {
    app.post(
      `${base}/${path}`,
      {
        preHandler: d.auth,
        schema: { tags, body: searchBody, response: { 200: envelopeOf(z.array(searchHitSchema)), ...errors } },
      },
      async (req) => {
        const clientId = clientOf(req)._id;
        const b = req.body;
        const collections = await d.search.collectionsFor(clientId, b.collection_id);
        const probes = await d.search.analyseProbes(b.images ?? [b.image as string]);
        const hits = await d.search.run(clientId, {
          probes,
          collections,
          minScore: b.min_score,
          mode: b.search_mode,
          maxResults: b.max_results,
        });
        return d.envelope(hits.map(hitOf));
      },
    );
  }

  app.post(
    `${base}/verify`,
    {
      preHandler: d.auth,
      schema: {
        tags,
        body: verifyBody,
        response: { 200: envelopeOf(z.object({ match: searchHitSchema.extend({ passed: z.boolean() }) })), ...errors },
      },
    },
    async (req) => {
      const clientId = clientOf(req)._id;
      const b = req.body;
      const probes = await d.search.analyseProbes(b.images ?? [b.image as string]);
      const r = await d.search.verify(clientId, b.id, probes, b.min_score);
      return d.envelope({ match: { ...hitOf({ person: r.person, score: r.score, similarity: 0 }), passed: r.passed } });
    },
  );

  /** Liveness first; the search runs only for a live face, so a spoof learns nothing about who is enrolled. */
  const liveSearch = async (clientId: string, b: z.infer<typeof searchLiveFaceBody>) => {
    const collections = await d.search.collectionsFor(clientId, b.collection_id);
    const [probe] = await d.search.analyseProbes([b.image], { liveness: true });
    const liveness = livenessVerdict(probe?.liveness ?? 0, b.liveness_min_score);
    const hits =
      probe && liveness.passed
        ? await d.search.run(clientId, {
            probes: [probe],
            collections,
            minScore: b.min_score,
            mode: b.search_mode,
            maxResults: b.max_results,
          })
        : [];
    return { liveness, hits: hits.map(hitOf) };
  };

  app.post(
    `${base}/search-live-face`,
    {
      preHandler: d.auth,
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
      const { liveness, hits } = await liveSearch(clientOf(req)._id, req.body);
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
      preHandler: d.auth,
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
      const { liveness, hits } = await liveSearch(clientOf(req)._id, req.body);
      return d.envelope({
        persons: hits,
        liveness: { score: liveness.liveness_score, min_score: liveness.min_score, passed: liveness.passed },
      });
    },
  );

  app.post(
    `${base}/persons/search-live-face`,
    {
      preHandler: d.auth,
      schema: { tags: ['persons'], body: enrolLiveFaceBody, response: { 200: envelopeOf(personSchema), ...errors } },
    },
    async (req) => {
      const clientId = clientOf(req)._id;
      const b = req.body;
      const collections = await d.search.collectionsFor(clientId, b.collection_id);
      const probes = await d.search.analyseProbes(b.images, { liveness: true, thumbnail: true });
      // Every enrolment image must be live, not just the first.
      requireLive(
        probes.map((p) => p.liveness ?? 0),
        b.liveness_min_score,
      );
      const dupes = await d.search.run(clientId, {
        probes,
        collections,
        minScore: b.min_score,
        mode: b.search_mode,
        maxResults: 1,
      });
      if (dupes.length > 0) throw new AppError('conflict', { code: 'ERROR', message: '409:duplicated_person' });
      const { images: _images, collection_id, liveness_min_score: _l, min_score: _m, search_mode: _s, ...fields } = b;
      return d.envelope(
        await d.persons.enrol(clientId, { ...fields, collections: [collection_id, ...(b.collections ?? [])] }, probes),
      );
    },
  );
}
