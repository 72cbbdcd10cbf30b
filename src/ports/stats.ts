import type { ValidationStatus } from '../domain/biometric-validation.js';

// What the dashboard's figures are computed from: one row per validation created in a period, with the few
// fields of its document (and of its liveness session) that the figures need, read in SQL rather than whole.

export interface ValidationStatsRow {
  createdAt: string;
  status: ValidationStatus;
  failureReason: string | null;
  attempts: number;
  livenessScore: number | null;
  /** The 1:N match score of a granted login or onboarding (recorded on its liveness session), else null. */
  matchScore: number | null;
}

export interface ValidationStatsFilter {
  /** Inclusive start and exclusive end, as ISO instants. */
  from: string;
  to: string;
  projectId?: string;
}

export interface StatsQueries {
  validations(clientId: string, filter: ValidationStatsFilter): Promise<ValidationStatsRow[]>;
  /** Stored validations by type and status across every tenant (the operator's /metrics). */
  validationCounts(): Promise<Array<{ type: string; status: string; count: number }>>;
}
