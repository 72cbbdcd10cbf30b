import type { ListQuery } from '../domain/list-query.js';
import type { ProjectFlow } from '../domain/project-flow.js';
import { AppError } from '../errors.js';
import type { Store } from '../ports/store.js';
import { type ProjectFlowCreate, type ProjectFlowUpdate, projectFlowSchema } from '../schemas/project-flow.schema.js';
import type { AuditSource, AuditTrail } from './audit-trail.js';
import { bodyOf, mustFind, patched } from './documents.js';
import { checkWebhookTarget } from './webhook-target.js';

export function createProjectFlowService(deps: {
  store: Store;
  audit: AuditTrail;
  allowPrivateWebhookTargets?: boolean;
}) {
  const { store } = deps;
  const allowPrivate = deps.allowPrivateWebhookTargets ?? false;

  const requireProject = async (clientId: string, projectId: string) => {
    const project = await store.projects.findById(clientId, projectId);
    if (!project) throw new AppError('namedProjectNotFound');
    return project;
  };

  return {
    /** The fields a list may filter and sort on. */
    filterable: store.projectFlows.filterable,

    async create(clientId: string, input: ProjectFlowCreate, who?: AuditSource): Promise<ProjectFlow> {
      checkWebhookTarget(input.webhookUrl, allowPrivate);
      await requireProject(clientId, input.project);
      const flow = await store.projectFlows.insert({ client: clientId, ...input });
      await deps.audit.record(clientId, who, 'projectFlow.create', { type: 'projectFlow', id: flow._id });
      return flow;
    },

    get: (clientId: string, id: string) => mustFind(store.projectFlows.findById(clientId, id)),

    list: (clientId: string, query: ListQuery) => store.projectFlows.list(clientId, query),

    async update(clientId: string, id: string, input: ProjectFlowUpdate, who?: AuditSource): Promise<ProjectFlow> {
      checkWebhookTarget(input.webhookUrl, allowPrivate);
      const current = await mustFind(store.projectFlows.findById(clientId, id));
      const { loginSettings, onboardingSettings, ...rest } = input;
      const next = {
        ...patched(bodyOf(current), rest),
        loginSettings: patched(current.loginSettings, loginSettings ?? {}),
        onboardingSettings: {
          liveness: patched(current.onboardingSettings.liveness, onboardingSettings?.liveness ?? {}),
        },
      };
      // The merged document must still satisfy the full schema (ranges, enums), not just the patch.
      projectFlowSchema.parse({ ...current, ...next });
      const updated = await mustFind(store.projectFlows.update(clientId, id, next, current.__v), 'conflict');
      await deps.audit.record(clientId, who, 'projectFlow.update', { type: 'projectFlow', id });
      return updated;
    },

    async delete(clientId: string, id: string, who?: AuditSource): Promise<ProjectFlow> {
      const flow = await mustFind(store.projectFlows.findById(clientId, id));
      await store.projectFlows.delete(clientId, id);
      await deps.audit.record(clientId, who, 'projectFlow.delete', { type: 'projectFlow', id });
      return flow;
    },
  };
}

export type ProjectFlowService = ReturnType<typeof createProjectFlowService>;
