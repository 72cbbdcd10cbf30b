import type { FastifyInstance, preValidationAsyncHookHandler } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { auditEntrySchema } from '../../schemas/audit-log.schema.js';
import { appLoginSchema } from '../../schemas/biometric-validation.schema.js';
import { idParamsSchema, imageRouteErrors, listQuerySchema } from '../../schemas/common.schema.js';
import {
  deletePersonQuery,
  lookupQuery,
  personCreateBody,
  personResponse,
  personSchema,
  personUpdateBody,
} from '../../schemas/person.schema.js';
import type { PersonService } from '../../services/person.service.js';
import type { PersonExportService } from '../../services/person-export.service.js';
import { auditSourceOf } from '../audit-source.js';
import { clientOf } from '../auth.js';
import { type Envelope, envelopeOf } from '../envelope.js';
import { parseListQuery } from '../list-query.js';

const errors = imageRouteErrors;

/** Persons (§5.2). Templates never leave the server: the response schema has no field that could hold one. */
export function registerPersonRoutes(
  fastify: FastifyInstance,
  d: {
    persons: PersonService;
    personExport: PersonExportService;
    envelope: Envelope;
    auth: preValidationAsyncHookHandler;
  },
): void {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const tags = ['persons'];
  const path = '/v2/face-recognition/persons';
  const one = envelopeOf(personSchema);
  const many = envelopeOf(z.array(personSchema)).extend({ total: z.number() });
  const exported = envelopeOf(
    z.object({
      exportedAt: z.string(),
      person: personSchema,
      appLogins: z.array(appLoginSchema).describe('Every app login that names the person (at most 1,000)'),
      auditLog: z
        .array(auditEntrySchema)
        .describe("What was done with the person's data, oldest last (at most 1,000; this export not included)"),
    }),
  );

  app.post(
    path,
    { preValidation: d.auth, schema: { tags, body: personCreateBody, response: { 200: one, ...errors } } },
    async (req) => d.envelope(personResponse(await d.persons.create(clientOf(req)._id, req.body, auditSourceOf(req)))),
  );
  app.get(
    path,
    { preValidation: d.auth, schema: { tags, querystring: listQuerySchema, response: { 200: many, ...errors } } },
    async (req) => {
      const r = await d.persons.list(
        clientOf(req)._id,
        parseListQuery(req.query, d.persons.filterable),
        auditSourceOf(req),
      );
      return { ...d.envelope(r.items.map(personResponse)), total: r.total };
    },
  );
  app.get(
    `${path}/lookup`,
    { preValidation: d.auth, schema: { tags, querystring: lookupQuery, response: { 200: many, ...errors } } },
    async (req) => {
      const r = await d.persons.lookup(clientOf(req)._id, req.query, auditSourceOf(req));
      return { ...d.envelope(r.items.map(personResponse)), total: r.total };
    },
  );
  app.get(
    `${path}/:id`,
    { preValidation: d.auth, schema: { tags, params: idParamsSchema, response: { 200: one, ...errors } } },
    async (req) =>
      d.envelope(personResponse(await d.persons.get(clientOf(req)._id, req.params.id, auditSourceOf(req)))),
  );
  app.get(
    `${path}/:id/export`,
    { preValidation: d.auth, schema: { tags, params: idParamsSchema, response: { 200: exported, ...errors } } },
    async (req) => {
      const r = await d.personExport.export(clientOf(req)._id, req.params.id, auditSourceOf(req));
      return d.envelope({ ...r, person: personResponse(r.person) });
    },
  );
  app.put(
    `${path}/:id`,
    {
      preValidation: d.auth,
      schema: { tags, params: idParamsSchema, body: personUpdateBody, response: { 200: one, ...errors } },
    },
    async (req) =>
      d.envelope(
        personResponse(await d.persons.update(clientOf(req)._id, req.params.id, req.body, auditSourceOf(req))),
      ),
  );
  app.delete(
    `${path}/:id`,
    {
      preValidation: d.auth,
      schema: { tags, params: idParamsSchema, querystring: deletePersonQuery, response: { 200: one, ...errors } },
    },
    async (req) =>
      d.envelope(
        personResponse(
          await d.persons.delete(clientOf(req)._id, req.params.id, req.query.collection, auditSourceOf(req)),
        ),
      ),
  );
}
