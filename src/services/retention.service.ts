import { emptyListQuery } from '../domain/list-query.js';
import type { Clock } from '../ports/clock.js';
import type { PurgeCounts } from '../ports/retention.js';
import type { Store } from '../ports/store.js';
import { type AuditTrail, systemSource } from './audit-trail.js';

// Retention, run by the background jobs: each project keeps its validations (with their liveness sessions, app
// logins and webhook events) and its email and phone validations for `retentionDays` (FACEGATE_RETENTION_DAYS when
// the project does not say), then they are deleted. Records of a deleted project follow the deployment default.
// Persons, templates and thumbnails are face data, deleted only when asked for; the audit log is kept. The ends of
// console sessions (sign-outs) go once their session would have expired: its token is refused as expired by then.
// The one-time-code limits' counters, keyed by the address or number they limit, go a day after their window began.

const DAY_MS = 86_400_000;
/** One-time-code counters (their keys name an address or a number) outlive every limit's window (1 hour) by far. */
const CODE_COUNTER_KEEP_MS = DAY_MS;
const PAGE = 500;
const source = systemSource('retention');

const total = (c: PurgeCounts) => Object.values(c).reduce((a, b) => a + b, 0);

export function createRetentionService(deps: { store: Store; clock: Clock; defaultDays: number; audit: AuditTrail }) {
  const { store, clock, audit } = deps;
  const cutoff = (days: number) => new Date(clock.now().getTime() - days * DAY_MS).toISOString();

  return {
    /** One pass over every project of every client; returns how many records it deleted. */
    async purgeOnce(): Promise<number> {
      let purged = 0;
      for (let page = 1; ; page++) {
        const projects = await store.projects.list(
          null,
          emptyListQuery({ page, perPage: PAGE, sort: [{ field: 'createdAt', desc: false }] }),
        );
        for (const p of projects.items) {
          const days = p.retentionDays ?? deps.defaultDays;
          const counts = await store.retention.purgeProject(p.client, p._id, cutoff(days));
          const n = total(counts);
          if (n > 0) {
            purged += n;
            await audit.record(p.client, source, 'retention.purge', { type: 'project', id: p._id });
          }
        }
        if (projects.items.length < PAGE) break;
      }
      for (const { clientId, counts } of await store.retention.purgeOrphans(cutoff(deps.defaultDays))) {
        purged += total(counts);
        await audit.record(clientId, source, 'retention.purge', { type: 'project', id: null });
      }
      purged += await store.consoleSessionEnds.sweep(clock.now());
      purged += await store.codeCounters.sweep(clock.now().getTime() - CODE_COUNTER_KEEP_MS);
      return purged;
    },
  };
}

export type RetentionService = ReturnType<typeof createRetentionService>;
