import { validationStatuses } from '../domain/biometric-validation.js';
import { dayOf, daysBetween, type ScoreBand, type StatusCounts, scoreBands, zeroCounts } from '../domain/stats.js';
import { AppError } from '../errors.js';
import type { Clock } from '../ports/clock.js';
import type { Store } from '../ports/store.js';

// The dashboard's figures (`GET /v2/stats/validations`): validations per day by outcome, why they failed, the
// liveness and match score bands per day, and the webhook backlog, for one client (optionally one project).

export const DEFAULT_STATS_DAYS = 30;
export const MAX_STATS_DAYS = 366;
const DAY_MS = 86_400_000;

export interface ValidationStats {
  days: Array<{ day: string; byStatus: StatusCounts }>;
  reasons: Array<{ reason: string; count: number }>;
  scores: { liveness: ScoreBand[]; match: ScoreBand[] };
  webhookBacklog: number;
}

/** A bare date as `to` means the whole of that day. */
function parseBound(name: 'from' | 'to', raw: string | undefined): Date | undefined {
  if (raw === undefined) return undefined;
  const t = Date.parse(raw);
  if (Number.isNaN(t))
    throw new AppError('missingParameter', { message: `"${name}" must be a date or an ISO instant` });
  const bareDate = /^\d{4}-\d{2}-\d{2}$/.test(raw);
  return new Date(name === 'to' && bareDate ? t + DAY_MS : t);
}

export function createStatsService(deps: { store: Store; clock: Clock }) {
  const { store, clock } = deps;
  return {
    async validations(
      clientId: string,
      q: { from?: string | undefined; to?: string | undefined; project?: string | undefined },
    ): Promise<ValidationStats> {
      const to = parseBound('to', q.to) ?? clock.now();
      const from = parseBound('from', q.from) ?? new Date(to.getTime() - DEFAULT_STATS_DAYS * DAY_MS);
      if (from >= to) throw new AppError('missingParameter', { message: '"from" must be before "to"' });
      if (to.getTime() - from.getTime() > MAX_STATS_DAYS * DAY_MS) {
        throw new AppError('missingParameter', {
          message: `"from" and "to" may be at most ${MAX_STATS_DAYS} days apart`,
        });
      }
      if (q.project !== undefined && !(await store.projects.findById(clientId, q.project))) {
        throw new AppError('namedProjectNotFound');
      }
      const rows = await store.stats.validations(clientId, {
        from: from.toISOString(),
        to: to.toISOString(),
        ...(q.project === undefined ? {} : { projectId: q.project }),
      });
      const days = new Map(daysBetween(from, to).map((d) => [d, zeroCounts()]));
      const reasons = new Map<string, number>();
      const liveness: Array<{ day: string; score: number }> = [];
      const match: Array<{ day: string; score: number }> = [];
      for (const r of rows) {
        const day = dayOf(r.createdAt);
        const counts = days.get(day);
        if (counts && validationStatuses.includes(r.status)) counts[r.status]++;
        if (r.failureReason) reasons.set(r.failureReason, (reasons.get(r.failureReason) ?? 0) + 1);
        // A validation nobody has tried yet has no liveness score, only the default 0.
        if (r.attempts > 0 && r.livenessScore !== null) liveness.push({ day, score: r.livenessScore });
        if (r.matchScore !== null && r.matchScore > 0) match.push({ day, score: r.matchScore });
      }
      return {
        days: [...days.entries()].map(([day, byStatus]) => ({ day, byStatus })),
        reasons: [...reasons.entries()]
          .map(([reason, count]) => ({ reason, count }))
          .sort((a, b) => b.count - a.count || a.reason.localeCompare(b.reason)),
        scores: { liveness: scoreBands(liveness), match: scoreBands(match) },
        webhookBacklog: await store.webhooks.backlog(clientId),
      };
    },
  };
}

export type StatsService = ReturnType<typeof createStatsService>;
