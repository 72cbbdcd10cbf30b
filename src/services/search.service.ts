import { COHORT_RANKS } from '../domain/cohort-score.js';
import type { Collection } from '../domain/collection.js';
import { emptyListQuery } from '../domain/list-query.js';
import { matchSimilarity } from '../domain/match-similarity.js';
import type { SearchMode } from '../domain/project-flow.js';
import { type LivenessVerdict, livenessVerdict, matchPassed, roundScore } from '../domain/scores.js';
import { AppError } from '../errors.js';
import type { TemplateRecord } from '../ports/face-data.js';
import type { FaceEngine, FaceSample } from '../ports/face-engine.js';
import type { Store } from '../ports/store.js';
import type { VectorIndex } from '../ports/vector-index.js';
import type { ImageReader } from './image-input.js';
import { requireLive } from './liveness-check.js';
import type { PersonInput, PersonService } from './person.service.js';
import { type PersonView, viewPersons } from './person-view.js';

// 1:N search. Results are per person: a person enrolled with several templates appears once. Persons are re-read
// from the database, in the caller's tenant, so a person deleted a moment ago is never returned even if an index
// still held it. Every score goes through the one match rule (domain/match-similarity.ts): the person's best
// template blended with their second best, minus the cohort shift (a probe that resembles several enrolled people
// matches none of them), best over the probe images. Login, onboarding's duplicate check, /search* and /verify all
// score this way.

export interface SearchQuery {
  probes: readonly FaceSample[];
  collections: readonly Collection[];
  minScore: number;
  mode: SearchMode;
  maxResults: number;
}

/** A search of photos (search, search/crops). */
export interface ImageSearchQuery {
  images: readonly string[];
  /** Every collection of the tenant when absent. */
  collectionId?: string | undefined;
  minScore: number;
  mode: SearchMode;
  maxResults: number;
}

/** A search of one live face (search-live-face, search-active-user). */
export interface LiveSearchQuery {
  image: string;
  /** Every collection of the tenant when absent. */
  collectionId?: string | undefined;
  livenessMinScore: number;
  minScore: number;
  mode: SearchMode;
  maxResults: number;
}

/** Enrolment from live photos, refused when the face is already enrolled in the collection. */
export interface LiveEnrolment {
  images: readonly string[];
  person: Omit<PersonInput, 'images'>;
  /** The collection searched for a duplicate (and enrolled into). */
  collectionId: string;
  livenessMinScore: number;
  minScore: number;
  mode: SearchMode;
}

export interface SearchHit {
  person: PersonView;
  score: number;
  similarity: number;
}

export function createSearchService(deps: {
  store: Store;
  engine: FaceEngine;
  index: VectorIndex;
  persons: PersonService;
  readImage: ImageReader;
}) {
  const { store, engine, index } = deps;

  /** The persons' own templates, decrypted from the store (the exact answer, whatever the index holds). */
  const templatesByPerson = async (clientId: string, personIds: readonly string[]) => {
    const byPerson = new Map<string, TemplateRecord[]>();
    if (personIds.length === 0) return byPerson;
    for (const t of await store.faceData.templatesOf(clientId, personIds)) {
      byPerson.set(t.personId, [...(byPerson.get(t.personId) ?? []), t]);
    }
    return byPerson;
  };

  const run = async (clientId: string, q: SearchQuery): Promise<SearchHit[]> => {
    const best = new Map<string, number>();
    // More templates than persons asked for: a person may hold up to three of the top hits, and the cohort needs
    // the COHORT_RANKS persons after each candidate.
    const k = Math.min(1000, Math.max(3 * (COHORT_RANKS + 1), (q.maxResults + COHORT_RANKS) * 3));
    const mode = q.mode === 'ACCURATE' ? 'exact' : 'fast';
    for (const c of q.collections) {
      const inCollection = new Map<string, number>();
      for (const probe of q.probes) {
        for (const hit of await index.search(c._id, probe.template, { k, mode })) {
          if (hit.similarity > (inCollection.get(hit.personId) ?? -2)) inCollection.set(hit.personId, hit.similarity);
        }
      }
      // Templates, not persons: most persons hold one. Before the candidate's own templates are known, one is
      // assumed; a larger cohort only makes the shift milder, so this bound lets through every person that can pass.
      const templateCount = await index.size(c._id);
      const cohortSize = Math.max(0, templateCount - 1);
      const sims = [...inCollection.entries()];
      const cohorts = new Map(sims.map(([id]) => [id, sims.filter(([o]) => o !== id).map(([, s]) => s)]));
      // The fused similarity is never above the best template's, so only persons whose best passes can match:
      // their own templates, read back, give the exact fusion (the index's hits may not hold a second one). Without
      // the embedding lengths the recogniser's doubt costs nothing here, so this too is an upper bound.
      const passing = sims.filter(([id, s]) =>
        matchPassed(
          roundScore(engine.score(matchSimilarity({ templates: [s], others: cohorts.get(id)!, cohortSize }))),
          q.minScore,
        ),
      );
      const templates = await templatesByPerson(
        clientId,
        passing.map(([id]) => id),
      );
      for (const [personId] of passing) {
        const own = templates.get(personId) ?? [];
        let similarity = Number.NEGATIVE_INFINITY;
        for (const probe of q.probes) {
          const evidence = {
            templates: own.map((t) => engine.similarity(probe.template, t.template)),
            others: cohorts.get(personId)!,
            // The rest of the collection, as /verify counts it.
            cohortSize: Math.max(0, templateCount - own.length),
            probeNorm: probe.templateNorm,
            templateNorms: own.map((t) => t.norm),
          };
          similarity = Math.max(similarity, matchSimilarity(evidence));
        }
        if (similarity > (best.get(personId) ?? -2)) best.set(personId, similarity);
      }
    }
    const ranked = [...best.entries()]
      .map(([personId, similarity]) => ({ personId, similarity, score: roundScore(engine.score(similarity)) }))
      .filter((h) => h.score >= q.minScore)
      .sort((a, b) => b.similarity - a.similarity)
      .slice(0, q.maxResults);
    const found = await Promise.all(ranked.map((h) => store.persons.findById(clientId, h.personId)));
    const views = await viewPersons(
      store,
      clientId,
      found.filter((p) => p !== undefined),
    );
    const byId = new Map(views.map((v) => [v._id, v]));
    return ranked.flatMap((h) => {
      const person = byId.get(h.personId);
      return person ? [{ person, score: h.score, similarity: h.similarity }] : [];
    });
  };

  /** The named collection, or every collection of the tenant when none is named. */
  const collectionsFor = async (clientId: string, ref: string | undefined): Promise<Collection[]> => {
    if (ref) return deps.persons.resolveCollections(clientId, [ref]);
    return (await store.collections.list(clientId, emptyListQuery({ perPage: 10_000 }))).items;
  };

  const analyseProbes = (images: readonly string[], options: { liveness?: boolean; thumbnail?: boolean } = {}) =>
    Promise.all(
      images.map(async (img, i) =>
        engine.analyse(await deps.readImage(img, images.length > 1 ? `images[${i}]` : 'image'), options),
      ),
    );

  return {
    run,

    /** The photos' faces searched in the named collection (or every collection of the tenant). */
    async search(clientId: string, q: ImageSearchQuery): Promise<SearchHit[]> {
      const collections = await collectionsFor(clientId, q.collectionId);
      const probes = await analyseProbes(q.images);
      return run(clientId, {
        probes,
        collections,
        minScore: q.minScore,
        mode: q.mode,
        maxResults: q.maxResults,
      });
    },

    /** Liveness first; the search runs only for a live face, so a spoof learns nothing about who is enrolled. */
    async searchLive(clientId: string, q: LiveSearchQuery): Promise<{ liveness: LivenessVerdict; hits: SearchHit[] }> {
      const collections = await collectionsFor(clientId, q.collectionId);
      const [probe] = await analyseProbes([q.image], { liveness: true });
      const liveness = livenessVerdict(probe?.liveness ?? 0, q.livenessMinScore);
      if (!probe || !liveness.passed) return { liveness, hits: [] };
      const hits = await run(clientId, {
        probes: [probe],
        collections,
        minScore: q.minScore,
        mode: q.mode,
        maxResults: q.maxResults,
      });
      return { liveness, hits };
    },

    /** Every image must be live, not just the first; a face already in the collection is a 409 duplicate. */
    async enrolLive(clientId: string, e: LiveEnrolment): Promise<PersonView> {
      const collections = await collectionsFor(clientId, e.collectionId);
      const probes = await analyseProbes(e.images, { liveness: true, thumbnail: true });
      // An integrator's call (API token): the score stays in the message, as Verifik answers.
      requireLive(
        probes.map((p) => p.liveness ?? 0),
        e.livenessMinScore,
        { scoreInMessage: true },
      );
      const dupes = await run(clientId, { probes, collections, minScore: e.minScore, mode: e.mode, maxResults: 1 });
      if (dupes.length > 0) throw new AppError('duplicatedPersonLive');
      return deps.persons.enrol(clientId, e.person, probes);
    },

    /** The photos' faces 1:1 against one person's own templates, exactly. */
    async verify(clientId: string, personId: string, images: readonly string[], minScore: number) {
      const probes = await analyseProbes(images);
      const person = await deps.persons.get(clientId, personId);
      const templates = await store.faceData.templatesOf(clientId, [personId]);
      if (templates.length === 0) throw new AppError('personHasNoFace');
      // The cohort: the other persons of the collections this person is enrolled in.
      const memberOf = (await store.faceData.collectionsOf(clientId, [personId])).map((m) => m.collectionId);
      const others = new Map<string, number>();
      let cohortSize = 0;
      for (const c of memberOf) {
        cohortSize += Math.max(0, (await index.size(c)) - templates.length);
        for (const p of probes) {
          for (const hit of await index.search(c, p.template, { k: 3 * (COHORT_RANKS + 2), mode: 'exact' })) {
            if (hit.personId !== personId && hit.similarity > (others.get(hit.personId) ?? -2))
              others.set(hit.personId, hit.similarity);
          }
        }
      }
      let similarity = Number.NEGATIVE_INFINITY;
      for (const p of probes) {
        const own = templates.map((t) => engine.similarity(p.template, t.template));
        similarity = Math.max(
          similarity,
          matchSimilarity({
            templates: own,
            others: [...others.values()],
            cohortSize,
            probeNorm: p.templateNorm,
            templateNorms: templates.map((t) => t.norm),
          }),
        );
      }
      const score = roundScore(engine.score(similarity));
      return { person, score, passed: matchPassed(score, minScore) };
    },
  };
}

export type SearchService = ReturnType<typeof createSearchService>;
