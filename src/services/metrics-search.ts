import type { Metrics } from '../ports/metrics.js';
import type { SearchHit, SearchService } from './search.service.js';

// The search service with the score of each search's best hit observed (/metrics' match score histogram): the
// searches of validations (`run`) and of the API alike.

export function meteredSearch(search: SearchService, metrics: Metrics): SearchService {
  const best = (hits: readonly SearchHit[]) => {
    const top = hits[0];
    if (top) metrics.matchScore(top.score);
  };
  return {
    ...search,
    async run(clientId, q) {
      const hits = await search.run(clientId, q);
      best(hits);
      return hits;
    },
    async search(clientId, q) {
      const hits = await search.search(clientId, q);
      best(hits);
      return hits;
    },
    async searchLive(clientId, q) {
      const found = await search.searchLive(clientId, q);
      best(found.hits);
      return found;
    },
  };
}
