import { randomUUID } from 'node:crypto';
import { defaultCollectionName } from '../domain/collection.js';
import { emptyListQuery, type ListQuery } from '../domain/list-query.js';
import type { Project } from '../domain/project.js';
import type { ProjectFlow } from '../domain/project-flow.js';
import { AppError } from '../errors.js';
import type { Store } from '../ports/store.js';
import type { ProjectCreate, ProjectUpdate } from '../schemas/project.schema.js';
import type { AuditSource, AuditTrail } from './audit-trail.js';
import { bodyOf, mustFind, patched } from './documents.js';

/** What the public `GET /v2/projects/kyc` shows a hosted page: nothing a stranger should not see. */
export interface PublicProject {
  project: Project;
  projectFlows: ProjectFlow[];
}

export function createProjectService(deps: { store: Store; audit: AuditTrail }) {
  const { store } = deps;
  return {
    /** The fields a list may filter and sort on. */
    filterable: store.projects.filterable,

    /** Creates the project with its default face collection, in one transaction. */
    async create(clientId: string, input: ProjectCreate, who?: AuditSource): Promise<Project> {
      if (input.consoleAccess === true) apiTokenOnly(who);
      const created = await store.transaction(async (tx) => {
        const project = await tx.projects.insert({ client: clientId, ...input });
        await tx.collections.insert({
          client: clientId,
          name: defaultCollectionName(project._id),
          description: defaultCollectionName(project._id),
          code: randomUUID(),
          project: project._id,
          deleted: false,
        });
        return project;
      });
      await deps.audit.record(clientId, who, 'project.create', { type: 'project', id: created._id });
      return created;
    },

    get: (clientId: string, id: string) => mustFind(store.projects.findById(clientId, id)),

    list: (clientId: string, query: ListQuery) => store.projects.list(clientId, query),

    async update(clientId: string, id: string, input: ProjectUpdate, who?: AuditSource): Promise<Project> {
      const current = await mustFind(store.projects.findById(clientId, id));
      // A form may send the setting back unchanged; only a change is the API token's.
      if (input.consoleAccess !== undefined && input.consoleAccess !== (current.consoleAccess ?? false)) {
        apiTokenOnly(who);
      }
      const next = patched(bodyOf(current), input);
      const updated = await mustFind(store.projects.update(clientId, id, next, current.__v), 'conflict');
      await deps.audit.record(clientId, who, 'project.update', { type: 'project', id });
      return updated;
    },

    /**
     * Deletes the project and its flows. Its collections, and the persons enrolled in them, are kept and
     * detached: face data is deleted only when asked for explicitly.
     */
    async delete(clientId: string, id: string, who?: AuditSource): Promise<Project> {
      const deleted = await store.transaction(async (tx) => {
        const project = await mustFind(tx.projects.findById(clientId, id));
        const cols = await tx.collections.list(clientId, { ...listAll, where: { project: id } });
        for (const c of cols.items) await tx.collections.update(clientId, c._id, { ...bodyOf(c), project: null });
        await tx.projects.delete(clientId, id);
        return project;
      });
      await deps.audit.record(clientId, who, 'project.delete', { type: 'project', id });
      return deleted;
    },

    /** The public view a hosted page needs: active projects only, with their active and paused flows. */
    async getPublic(id: string): Promise<PublicProject> {
      const project = await store.projects.findById(null, id);
      if (project?.status !== 'active') throw new AppError('projectNotFound');
      const flows = await store.projectFlows.list(project.client, { ...listAll, where: { project: id } });
      return { project, projectFlows: flows.items.filter((f) => f.status !== 'draft') };
    },
  };
}

/**
 * Who signs operators in to the console is the API token's decision: an operator signed in through it could
 * otherwise open that door to another project, or close it on everyone else.
 */
function apiTokenOnly(who: AuditSource | undefined): void {
  if (who?.actor.type === 'operator') throw new AppError('apiTokenOnly', { shown: 'consoleAccess' });
}

const listAll = emptyListQuery({ perPage: 1000, sort: [{ field: 'createdAt', desc: false }] });

export type ProjectService = ReturnType<typeof createProjectService>;
