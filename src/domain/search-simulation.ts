import { matchSimilarity } from './match-similarity.js';

// 1:N login simulated on a labelled photo set (issue #11), what `facegate eval` and bench/score-rule.bench.ts report:
// every person is enrolled with their first `enrol` photos (at most all but one), and
// - genuine first try: each other photo of the person is searched in the whole collection; it passes the quality
//   gates, its best match is its own person and that match is accepted;
// - strangers: every photo is searched with its own person taken out of the collection (someone not enrolled whose
//   colleagues are); logged in = any accepted match. The impostor FAR counts every such probe×person pair;
// - TAR at FAR 1e-3: the genuine probes' own-person similarity against those impostor pairs', in the rule's units.

export interface LabelledPhoto {
  label: string;
  /** Sorts a person's photos: the first `enrol` are enrolled. */
  path: string;
  template: ArrayLike<number>;
  /** The interactive quality gates would refuse it (a login answers "retake", never a match). */
  refused: boolean;
  /** The recogniser's embedding length (domain/compare-similarity.ts), when known. */
  norm?: number | undefined;
}

/** The embedding lengths of a probe and of the candidate's templates (in the order of its similarities). */
export interface SearchNorms {
  probe?: number | undefined;
  templates: readonly (number | undefined)[];
}

/**
 * How a probe's similarities become the one a match is decided on. `rest`: the templates of the collection's other
 * persons; `templateCount`: all of the collection's.
 */
export type SearchRule = (
  templates: readonly number[],
  others: readonly number[],
  rest: number,
  templateCount: number,
  norms: SearchNorms,
) => number;

/** What the services run (domain/match-similarity.ts). */
export const serviceRule: SearchRule = (templates, others, rest, _count, norms) =>
  matchSimilarity({
    templates,
    others,
    cohortSize: rest,
    probeNorm: norms.probe,
    templateNorms: norms.templates,
  });

export interface SearchSimulation {
  enrol: number;
  genuineProbes: number;
  genuineFirstTry: number;
  genuineAccepted: number;
  strangers: number;
  strangersLoggedIn: number;
  impostorPairs: number;
  falseAccepts: number;
  far: number;
  tarAtFar1e3: number;
}

const dot = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
};

interface Enrolled {
  template: ArrayLike<number>;
  norm?: number | undefined;
}

/** The rule's similarity of a probe to each of `persons`, the collection searched. */
function scoresIn(
  rule: SearchRule,
  gallery: ReadonlyMap<string, readonly Enrolled[]>,
  persons: readonly string[],
  probe: LabelledPhoto,
): Map<string, number> {
  const sims = new Map(persons.map((p) => [p, gallery.get(p)!.map((t) => dot(t.template, probe.template))]));
  const bestOf = new Map(persons.map((p) => [p, Math.max(...sims.get(p)!)]));
  const templateCount = persons.reduce((n, p) => n + gallery.get(p)!.length, 0);
  return new Map(
    persons.map((p) => [
      p,
      rule(
        sims.get(p)!,
        persons.filter((o) => o !== p).map((o) => bestOf.get(o)!),
        templateCount - gallery.get(p)!.length,
        templateCount,
        { probe: probe.norm, templates: gallery.get(p)!.map((t) => t.norm) },
      ),
    ]),
  );
}

/**
 * `accepts` decides a match from the rule's similarity (the calibrated score against a flow's threshold). Several
 * sets (degraded copies of one set) are pooled: each is enrolled and searched on its own.
 */
export function simulateSearch(
  sets: readonly (readonly LabelledPhoto[])[],
  options: {
    enrol: number;
    rule?: SearchRule;
    accepts: (similarity: number) => boolean;
    /**
     * Collections of this many persons (consecutive by name) instead of one of everyone: a small office. Strangers
     * are then every photo of the set's persons outside the collection, searched in it.
     */
    groupSize?: number | undefined;
  },
): SearchSimulation {
  const { enrol, accepts, groupSize } = options;
  const rule = options.rule ?? serviceRule;
  let genuineProbes = 0;
  let genuineAccepted = 0;
  let strangers = 0;
  let strangersLoggedIn = 0;
  let falseAccepts = 0;
  const genuineSims: number[] = [];
  const impostorSims: number[] = [];
  for (const photos of sets) {
    const byPerson = new Map<string, LabelledPhoto[]>();
    for (const p of photos) byPerson.set(p.label, [...(byPerson.get(p.label) ?? []), p]);
    const gallery = new Map<string, Enrolled[]>();
    const probes: Array<{ person: string; photo: LabelledPhoto }> = [];
    const all: Array<{ person: string; photo: LabelledPhoto }> = [];
    for (const [person, list] of [...byPerson.entries()].sort(([a], [b]) => a.localeCompare(b))) {
      const sorted = [...list].sort((a, b) => a.path.localeCompare(b.path));
      const n = sorted.length > 1 ? Math.min(enrol, sorted.length - 1) : 1;
      gallery.set(
        person,
        sorted.slice(0, n).map((p) => ({ template: p.template, norm: p.norm })),
      );
      for (const photo of sorted.slice(n)) probes.push({ person, photo });
      for (const photo of sorted) all.push({ person, photo });
    }
    const everyone = [...gallery.keys()];
    const size = groupSize ?? everyone.length;
    const groups: string[][] = [];
    for (let i = 0; i < everyone.length; i += size) groups.push(everyone.slice(i, i + size));
    const groupOf = new Map(groups.flatMap((g) => g.map((p) => [p, g] as const)));
    for (const { person, photo } of probes) {
      const s = scoresIn(rule, gallery, groupOf.get(person)!, photo);
      const own = s.get(person)!;
      genuineProbes++;
      genuineSims.push(own);
      if (!photo.refused && own === Math.max(...s.values()) && accepts(own)) genuineAccepted++;
    }
    const stranger = (photo: LabelledPhoto, persons: readonly string[]) => {
      if (persons.length === 0) return;
      const s = scoresIn(rule, gallery, persons, photo);
      strangers++;
      let loggedIn = false;
      for (const v of s.values()) {
        impostorSims.push(v);
        if (!photo.refused && accepts(v)) {
          falseAccepts++;
          loggedIn = true;
        }
      }
      if (loggedIn) strangersLoggedIn++;
    };
    if (groupSize === undefined) {
      if (everyone.length < 2) continue;
      for (const { person, photo } of all)
        stranger(
          photo,
          everyone.filter((p) => p !== person),
        );
    } else {
      for (const group of groups)
        for (const { person, photo } of all) if (!group.includes(person)) stranger(photo, group);
    }
  }
  impostorSims.sort((a, b) => a - b);
  // The similarity that 1 impostor pair in 1,000 exceeds (none measurable with fewer than 1,000 pairs).
  const cut = impostorSims.length >= 1000 ? impostorSims[Math.ceil(impostorSims.length * (1 - 1e-3)) - 1]! : Number.NaN;
  return {
    enrol,
    genuineProbes,
    genuineAccepted,
    genuineFirstTry: genuineAccepted / Math.max(1, genuineProbes),
    strangers,
    strangersLoggedIn,
    impostorPairs: impostorSims.length,
    falseAccepts,
    far: falseAccepts / Math.max(1, impostorSims.length),
    tarAtFar1e3: Number.isNaN(cut)
      ? Number.NaN
      : genuineSims.filter((s) => s > cut).length / Math.max(1, genuineSims.length),
  };
}
