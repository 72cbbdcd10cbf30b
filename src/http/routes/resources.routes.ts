import type { FastifyInstance, preValidationAsyncHookHandler } from 'fastify';
import {
  collectionCreateSchema,
  collectionRefParamsSchema,
  collectionSchema,
  collectionUpdateSchema,
} from '../../schemas/collection.schema.js';
import { idParamsSchema } from '../../schemas/common.schema.js';
import { projectCreateSchema, projectSchema, projectUpdateSchema } from '../../schemas/project.schema.js';
import {
  projectFlowCreateSchema,
  projectFlowSchema,
  projectFlowUpdateSchema,
} from '../../schemas/project-flow.schema.js';
import type { CollectionService } from '../../services/collection.service.js';
import type { ProjectService } from '../../services/project.service.js';
import type { ProjectFlowService } from '../../services/project-flow.service.js';
import { registerCrudRoutes } from '../crud-routes.js';

export interface ResourceRoutesDeps {
  projects: ProjectService;
  projectFlows: ProjectFlowService;
  collections: CollectionService;
  auth: preValidationAsyncHookHandler;
}

/** Projects (§4), project flows (§4.3) and face collections (§5.1). */
export function registerResourceRoutes(app: FastifyInstance, d: ResourceRoutesDeps): void {
  registerCrudRoutes(app, {
    path: '/v2/projects',
    tag: 'projects',
    service: d.projects,
    createSchema: projectCreateSchema,
    updateSchema: projectUpdateSchema,
    documentSchema: projectSchema,
    paramsSchema: idParamsSchema,
    auth: d.auth,
  });
  registerCrudRoutes(app, {
    path: '/v2/project-flows',
    tag: 'project flows',
    service: d.projectFlows,
    createSchema: projectFlowCreateSchema,
    updateSchema: projectFlowUpdateSchema,
    documentSchema: projectFlowSchema,
    paramsSchema: idParamsSchema,
    auth: d.auth,
  });
  registerCrudRoutes(app, {
    path: '/v2/face-recognition/collections',
    tag: 'collections',
    service: d.collections,
    createSchema: collectionCreateSchema,
    updateSchema: collectionUpdateSchema,
    documentSchema: collectionSchema,
    paramsSchema: collectionRefParamsSchema,
    auth: d.auth,
  });
}
