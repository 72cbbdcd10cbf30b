import type { AuditActor, AuditLog } from '../ports/audit-log.js';

// What services call to record an audited act. The caller's side (which token, which address, which program)
// comes from the route or the CLI command as an AuditSource; a service called without one is being used by
// another service (a login reading its person), which the caller's own record covers.

export interface AuditSource {
  actor: AuditActor;
  ip: string | null;
  userAgent: string | null;
}

export interface AuditResource {
  type: string;
  id: string | null;
}

/** The operator at a terminal: the CLI's acts are recorded under its OS user. */
export const cliSource = (user: string): AuditSource => ({
  actor: { type: 'cli', id: null, name: user },
  ip: null,
  userAgent: 'facegate-cli',
});

/** The service's own background work (retention purges). */
export const systemSource = (name: string): AuditSource => ({
  actor: { type: 'system', id: null, name },
  ip: null,
  userAgent: null,
});

export function createAuditTrail(deps: { log: AuditLog }) {
  return {
    /** Records `action` on each resource (none: nothing is recorded), atomically. */
    async record(
      clientId: string,
      who: AuditSource | undefined,
      action: string,
      resources: AuditResource | readonly AuditResource[],
    ): Promise<void> {
      if (!who) return;
      const list = Array.isArray(resources) ? resources : [resources as AuditResource];
      if (list.length === 0) return;
      await deps.log.append(
        list.map((resource) => ({
          client: clientId,
          actor: who.actor,
          action,
          resource,
          ip: who.ip,
          userAgent: who.userAgent,
        })),
      );
    },
  };
}

export type AuditTrail = ReturnType<typeof createAuditTrail>;
