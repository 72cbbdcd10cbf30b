import type { FastifyInstance, preValidationAsyncHookHandler } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { z } from 'zod';
import type { BaseDocument } from '../domain/document.js';
import type { ListQuery, ListResult } from '../domain/list-query.js';
import { dataOf, errorSchema, listOf, listQuerySchema } from '../schemas/common.schema.js';
import type { AuditSource } from '../services/audit-trail.js';
import { auditSourceOf } from './audit-source.js';
import { clientOf } from './auth.js';
import { parseListQuery } from './list-query.js';

// Projects, project flows and collections share one CRUD shape: tenant-scoped create, list with Verifik's
// filters, read, partial update and delete, each with declared request and response schemas.

export interface CrudService<T extends BaseDocument, C, U> {
  /** The fields a list may filter and sort on. */
  readonly filterable: readonly string[];
  /** Writes are audited: the route says who asks. */
  create(clientId: string, input: C, who?: AuditSource): Promise<T>;
  list(clientId: string, query: ListQuery): Promise<ListResult<T>>;
  get(clientId: string, id: string): Promise<T>;
  update(clientId: string, id: string, input: U, who?: AuditSource): Promise<T>;
  delete(clientId: string, id: string, who?: AuditSource): Promise<T>;
}

export interface CrudRoutes<T extends BaseDocument, C, U> {
  path: string;
  tag: string;
  service: CrudService<T, C, U>;
  createSchema: z.ZodType<C>;
  updateSchema: z.ZodType<U>;
  documentSchema: z.ZodType;
  paramsSchema: z.ZodObject<{ id: z.ZodType<string> }>;
  auth: preValidationAsyncHookHandler;
}

const errors = { 401: errorSchema, 403: errorSchema, 404: errorSchema, 409: errorSchema };

export function registerCrudRoutes<T extends BaseDocument, C, U>(
  fastify: FastifyInstance,
  r: CrudRoutes<T, C, U>,
): void {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const one = dataOf(r.documentSchema);
  const tags = [r.tag];

  app.post(
    r.path,
    { preValidation: r.auth, schema: { tags, body: r.createSchema, response: { 200: one, ...errors } } },
    async (req) => ({ data: await r.service.create(clientOf(req)._id, req.body as C, auditSourceOf(req)) }),
  );
  app.get(
    r.path,
    {
      preValidation: r.auth,
      schema: { tags, querystring: listQuerySchema, response: { 200: listOf(r.documentSchema), ...errors } },
    },
    async (req) => {
      const result = await r.service.list(clientOf(req)._id, parseListQuery(req.query, r.service.filterable));
      return { data: result.items, total: result.total };
    },
  );
  app.get(
    `${r.path}/:id`,
    { preValidation: r.auth, schema: { tags, params: r.paramsSchema, response: { 200: one, ...errors } } },
    async (req) => ({ data: await r.service.get(clientOf(req)._id, req.params.id) }),
  );
  app.put(
    `${r.path}/:id`,
    {
      preValidation: r.auth,
      schema: { tags, params: r.paramsSchema, body: r.updateSchema, response: { 200: one, ...errors } },
    },
    async (req) => ({
      data: await r.service.update(clientOf(req)._id, req.params.id, req.body as U, auditSourceOf(req)),
    }),
  );
  app.delete(
    `${r.path}/:id`,
    { preValidation: r.auth, schema: { tags, params: r.paramsSchema, response: { 200: one, ...errors } } },
    async (req) => ({ data: await r.service.delete(clientOf(req)._id, req.params.id, auditSourceOf(req)) }),
  );
}
