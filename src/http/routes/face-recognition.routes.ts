import type { FastifyInstance, preValidationAsyncHookHandler } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { imageRouteErrors } from '../../schemas/common.schema.js';
import {
  compareBody,
  compareLiveBody,
  compareResultSchema,
  compareWithLivenessBody,
  detectBody,
  detectedFaceSchema,
  livenessBody,
  livenessResultSchema,
} from '../../schemas/face-recognition.schema.js';
import type { FaceRecognitionService } from '../../services/face-recognition.service.js';
import { type Envelope, envelopeOf } from '../envelope.js';

// Verifik's 1:1, detection and liveness endpoints. Responses carry both the documented shape and the shape
// Verifik's own client parses (`result.score` …), since integrators are written against either.

const errors = imageRouteErrors;

export function registerFaceRecognitionRoutes(
  fastify: FastifyInstance,
  d: { faces: FaceRecognitionService; envelope: Envelope; auth: preValidationAsyncHookHandler },
): void {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const tags = ['face recognition'];
  const base = '/v2/face-recognition';

  app.post(
    `${base}/detect`,
    {
      preValidation: d.auth,
      schema: { tags, body: detectBody, response: { 200: envelopeOf(z.array(detectedFaceSchema)), ...errors } },
    },
    async (req) => d.envelope((await d.faces.detect(req.body.image)).slice(0, req.body.max_results)),
  );

  app.post(
    `${base}/compare`,
    {
      preValidation: d.auth,
      schema: {
        tags,
        body: compareBody,
        response: {
          200: envelopeOf(compareResultSchema.extend({ compare_min_score: z.number(), result: compareResultSchema })),
          ...errors,
        },
      },
    },
    async (req) => {
      const r = await d.faces.compare(req.body.probe, req.body.gallery, req.body.compare_min_score);
      return d.envelope({ ...r, compare_min_score: req.body.compare_min_score, result: r });
    },
  );

  app.post(
    `${base}/compare-live`,
    {
      preValidation: d.auth,
      schema: {
        tags,
        body: compareLiveBody,
        response: {
          200: envelopeOf(
            compareResultSchema.extend({
              compare_min_score: z.number(),
              liveness_min_score: z.number(),
              liveness: livenessResultSchema,
              result: z.object({
                score: z.number(),
                liveness_score: z.number(),
                passed: z.boolean().describe('Whether the faces match (score ≥ compare_min_score); not liveness'),
              }),
            }),
          ),
          ...errors,
        },
      },
    },
    async (req) => {
      const b = req.body;
      const r = await d.faces.compareLive(b.probe, b.gallery, b.compare_min_score, b.liveness_min_score);
      // `passed` is "the faces match" (against compare_min_score), as Verifik's client reads it; liveness is
      // reported beside it (`liveness_score` against `liveness_min_score`, and `liveness.passed`).
      const passed = r.comparison.passed;
      return d.envelope({
        score: r.comparison.score,
        passed,
        compare_min_score: b.compare_min_score,
        liveness_min_score: b.liveness_min_score,
        liveness: r.liveness,
        result: { score: r.comparison.score, liveness_score: r.liveness.liveness_score, passed },
      });
    },
  );

  app.post(
    `${base}/compare-with-liveness`,
    {
      preValidation: d.auth,
      schema: {
        tags,
        body: compareWithLivenessBody,
        response: {
          200: envelopeOf(
            z.object({
              comparison: z.object({ result: compareResultSchema, compare_min_score: z.number() }),
              liveness: z.object({ result: livenessResultSchema }).nullable(),
            }),
          ),
          ...errors,
        },
      },
    },
    async (req) => {
      const b = req.body;
      const r = await d.faces.compareLive(b.probe, b.gallery, b.compare_min_score, b.liveness_min_score);
      return d.envelope({
        comparison: { result: r.comparison, compare_min_score: b.compare_min_score },
        // Verifik skips liveness when the faces do not match.
        liveness: r.comparison.passed ? { result: r.liveness } : null,
      });
    },
  );

  for (const path of ['liveness', 'liveness-score']) {
    app.post(
      `${base}/${path}`,
      {
        preValidation: d.auth,
        schema: { tags, body: livenessBody, response: { 200: envelopeOf(livenessResultSchema), ...errors } },
      },
      async (req) => d.envelope(await d.faces.liveness(req.body.image, req.body.liveness_min_score)),
    );
  }
}
