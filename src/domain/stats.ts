import { type ValidationStatus, validationStatuses } from './biometric-validation.js';

// The dashboard's figures from per-validation rows: counts per UTC day and status, failure reasons, and score
// percentiles per day (so a drift after a camera or lighting change shows as a moving band).

export interface ScoreBand {
  day: string;
  p10: number;
  p50: number;
  p90: number;
  count: number;
}

/** The p-th percentile (0–100) of sorted values, interpolated between the nearest ranks. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = (p / 100) * (sorted.length - 1);
  const lo = Math.floor(rank);
  const hi = Math.ceil(rank);
  const a = sorted[lo] as number;
  const b = sorted[hi] as number;
  return a + (b - a) * (rank - lo);
}

const round = (n: number) => Math.round(n * 10_000) / 10_000;

/** The UTC days from `from` (inclusive) to `to` (exclusive), as YYYY-MM-DD. */
export function daysBetween(from: Date, to: Date): string[] {
  const days: string[] = [];
  const d = new Date(Date.UTC(from.getUTCFullYear(), from.getUTCMonth(), from.getUTCDate()));
  while (d < to) {
    days.push(d.toISOString().slice(0, 10));
    d.setUTCDate(d.getUTCDate() + 1);
  }
  return days;
}

export const dayOf = (iso: string): string => new Date(iso).toISOString().slice(0, 10);

export type StatusCounts = Record<ValidationStatus, number>;

export const zeroCounts = (): StatusCounts => Object.fromEntries(validationStatuses.map((s) => [s, 0])) as StatusCounts;

/** Score bands per day, for the days that have scores. */
export function scoreBands(samples: ReadonlyArray<{ day: string; score: number }>): ScoreBand[] {
  const byDay = new Map<string, number[]>();
  for (const { day, score } of samples) {
    const list = byDay.get(day) ?? [];
    list.push(score);
    byDay.set(day, list);
  }
  return [...byDay.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([day, scores]) => {
      const sorted = scores.sort((a, b) => a - b);
      return {
        day,
        p10: round(percentile(sorted, 10)),
        p50: round(percentile(sorted, 50)),
        p90: round(percentile(sorted, 90)),
        count: sorted.length,
      };
    });
}
