import { cohortShift } from './cohort-score.js';
import { templateNormShift } from './compare-similarity.js';

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
// - in a small collection, where the cohort sees too little, the recogniser's doubt about the faces (their
//   embedding lengths, compare-similarity.ts) as a floor: see COHORT_SUFFICES_AT.
// Thresholds by face size, sharpness, pose or detector score were measured too and left out: after the cohort, the
// impostor tail did not depend on them (README).

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
  /** The probe's embedding length and its candidate templates' (same order as `templates`), where known. */
  probeNorm?: number | undefined;
  templateNorms?: readonly (number | undefined)[];
}

/**
 * Templates in the rest of the collection at which the cohort alone decides. Below it the recogniser's doubt about
 * the faces (compare-similarity.ts, as /compare applies it, times DOUBT_WEIGHT) is a floor, in full for a
 * collection of one person and fading out linearly. Measured with `score-rule.bench.js --group N` (collections of N
 * persons of 3 photos): without the floor a stranger got into a one-person collection in 3.6e-3 of dark webcam
 * pairs (3 persons: 1.1e-3; 8: 1.1e-4 on dim and noisy copies); with it, 0 in every condition and size. Fading out
 * at 12 let 2 dim pairs of 18,124 in at 8 persons; at 24 none.
 */
export const COHORT_SUFFICES_AT = 24;
/**
 * Share of the compare rule's shift the floor takes: several templates already blunt a look-alike's best photo.
 * 0.5 let 1 dark webcam pair of 14,619 into one-person collections, 0.7 none; 1 cost 1.5 more points of dev
 * first-try logins there.
 */
export const DOUBT_WEIGHT = 0.7;

/** The similarity a match is decided on and the API score is calibrated from; never above the best template's. */
export const matchSimilarity = (e: MatchEvidence): number => {
  const byCohort = fusedSimilarity(e.templates) - cohortShift(e.others, e.cohortSize);
  const rest = Math.max(e.cohortSize ?? 0, e.others.length);
  const weight = DOUBT_WEIGHT * Math.max(0, 1 - rest / COHORT_SUFFICES_AT);
  if (weight === 0 || e.probeNorm === undefined) return byCohort;
  // A template enrolled before lengths were kept is judged on the probe's length alone.
  const byDoubt = fusedSimilarity(
    e.templates.map((s, i) => s - weight * templateNormShift(e.probeNorm, e.templateNorms?.[i] ?? e.probeNorm)),
  );
  return Math.min(byCohort, byDoubt);
};
