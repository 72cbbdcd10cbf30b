import type { AuditSource, AuditTrail } from './audit-trail.js';
import type { ImageSearchQuery, LiveEnrolment, LiveSearchQuery, SearchHit, SearchService } from './search.service.js';

// The search service with its answers audited: a search that names persons is a read of their face data (their
// thumbnails come with the hits), a live enrolment is an enrolment. Recorded here, around the search service,
// so the search itself stays about faces and scores.

export function auditedSearch(search: SearchService, audit: AuditTrail) {
  const readHits = (clientId: string, who: AuditSource | undefined, hits: readonly SearchHit[]) =>
    audit.record(
      clientId,
      who,
      'person.read',
      hits.map((h) => ({ type: 'person', id: h.person._id })),
    );
  return {
    ...search,
    async search(clientId: string, q: ImageSearchQuery, who?: AuditSource): Promise<SearchHit[]> {
      const hits = await search.search(clientId, q);
      await readHits(clientId, who, hits);
      return hits;
    },
    async searchLive(clientId: string, q: LiveSearchQuery, who?: AuditSource) {
      const found = await search.searchLive(clientId, q);
      await readHits(clientId, who, found.hits);
      return found;
    },
    async enrolLive(clientId: string, e: LiveEnrolment, who?: AuditSource) {
      const person = await search.enrolLive(clientId, e);
      await audit.record(clientId, who, 'person.create', { type: 'person', id: person._id });
      return person;
    },
    async verify(clientId: string, personId: string, images: readonly string[], minScore: number, who?: AuditSource) {
      const r = await search.verify(clientId, personId, images, minScore);
      await audit.record(clientId, who, 'person.read', { type: 'person', id: r.person._id });
      return r;
    },
  };
}

export type AuditedSearchService = ReturnType<typeof auditedSearch>;
