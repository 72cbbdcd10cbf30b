import type { ValidationStatus } from '../../domain/biometric-validation.js';
import type { StatsQueries, ValidationStatsRow } from '../../ports/stats.js';
import type { Row, SqlDriver, SqlValue } from './sql-driver.js';

// The dashboard reads a handful of fields of many validations: extracted from the JSON in SQL (each dialect has
// its own functions for that), so neither whole documents nor their liveness sessions travel.

const fields = {
  sqlite: `json_extract(v.doc, '$.failureReason') AS failure_reason,
    json_extract(v.doc, '$.attempts') AS attempts,
    json_extract(v.doc, '$.livenessScore') AS liveness_score,
    (SELECT json_extract(e.value, '$.value') FROM liveness_sessions s, json_each(s.doc, '$.comparisonResult') e
      WHERE s.id = v.session_id AND s.client_id = v.client_id AND json_extract(e.value, '$.key') = 'score'
      LIMIT 1) AS match_score`,
  postgres: `v.doc->>'failureReason' AS failure_reason,
    (v.doc->>'attempts')::integer AS attempts,
    (v.doc->>'livenessScore')::float8 AS liveness_score,
    (SELECT (e->>'value')::float8 FROM liveness_sessions s, jsonb_array_elements(s.doc->'comparisonResult') e
      WHERE s.id = v.session_id AND s.client_id = v.client_id AND e->>'key' = 'score'
      LIMIT 1) AS match_score`,
} as const;

const numberOrNull = (v: unknown): number | null => {
  if (v === null || v === undefined) return null;
  const n = Number(v);
  return Number.isFinite(n) ? n : null;
};

const row = (r: Row): ValidationStatsRow => ({
  createdAt: r['created_at'] as string,
  status: r['status'] as ValidationStatus,
  failureReason: (r['failure_reason'] as string | null) ?? null,
  attempts: numberOrNull(r['attempts']) ?? 0,
  livenessScore: numberOrNull(r['liveness_score']),
  matchScore: numberOrNull(r['match_score']),
});

export function createStatsQueries(db: SqlDriver): StatsQueries {
  return {
    async validations(clientId, filter) {
      const params: SqlValue[] = [clientId, filter.from, filter.to];
      let sql = `SELECT v.created_at, v.status, ${fields[db.dialect]}
        FROM biometric_validations v WHERE v.client_id = ? AND v.created_at >= ? AND v.created_at < ?`;
      if (filter.projectId !== undefined) {
        sql += ' AND v.project_id = ?';
        params.push(filter.projectId);
      }
      return (await db.all(`${sql} ORDER BY v.created_at`, params)).map(row);
    },
    async validationCounts() {
      const rows = await db.all(
        'SELECT type, status, COUNT(*) AS n FROM biometric_validations GROUP BY type, status ORDER BY type, status',
      );
      return rows.map((r) => ({ type: r['type'] as string, status: r['status'] as string, count: Number(r['n']) }));
    },
  };
}
