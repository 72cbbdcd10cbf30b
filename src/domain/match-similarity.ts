import { cohortShift } from './cohort-score.js';

// The one decision rule of 1:N search and /verify (issue #11): login, onboarding's duplicate check, /search* and
// /verify all turn a probe's similarities into a score through matchSimilarity, then the calibration.
//
// Two corrections of the raw best cosine, each measured with bench/score-rule.bench.ts on the dev set and its
// degraded copies (README, "Scores under deployment conditions"):
// - several templates: the max over a person's k templates gives a stranger k tries at that person, and a
//   look-alike's best photo is what lets them in (dim copies of the dev set, 3 templates per person: the cohort
//   alone let 12 stranger×person pairs of 22,638 in, with 1 template 1). The person's best template is therefore
//   blended with their second best, so one freak template cannot carry a match alone. Tried 0.1-0.5 with 3
//   templates: 0.2 still let 4 dim pairs in (1.8e-4), 0.25 was the first to hold every condition at FAR <= 1e-4;
//   0.3 keeps a step of margin. A person with one template keeps its similarity.
// - the cohort (cohort-score.ts): a probe that resembles many enrolled persons matches none of them.
// Quality-aware thresholds were measured too and left out: after the cohort, the impostor tail did not depend on
// face size, sharpness, pose or detector score (README).

/** Weight of a person's second-best template in its fused similarity (0: plain max over templates). */
export const SECOND_TEMPLATE_WEIGHT = 0.3;

/** One probe against one person: its templates' similarities (any order) fused into one. -Infinity when none. */
export function fusedSimilarity(templateSimilarities: readonly number[]): number {
  if (templateSimilarities.length === 0) return Number.NEGATIVE_INFINITY;
  let best = Number.NEGATIVE_INFINITY;
  let second = Number.NEGATIVE_INFINITY;
  for (const s of templateSimilarities) {
    if (s > best) {
      second = best;
      best = s;
    } else if (s > second) second = s;
  }
  if (second === Number.NEGATIVE_INFINITY) return best;
  return (1 - SECOND_TEMPLATE_WEIGHT) * best + SECOND_TEMPLATE_WEIGHT * second;
}

export interface MatchEvidence {
  /** The probe's similarity to each template of the candidate person. */
  templates: readonly number[];
  /** The probe's best similarity to each other person of the collection searched (at least the top ranks). */
  others: readonly number[];
  /** How many templates the rest of the collection holds (≥ others.length); see cohortShift. */
  cohortSize?: number;
}

/** The similarity a match is decided on and the API score is calibrated from; never above the best template's. */
export const matchSimilarity = (e: MatchEvidence): number =>
  fusedSimilarity(e.templates) - cohortShift(e.others, e.cohortSize);
