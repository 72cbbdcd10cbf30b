// What the service tells its operator's monitoring: observations made as work happens. Counts that live in the
// database (validations, webhook backlog) and the index sizes are read when scraped instead, so every process of
// a deployment reports the same figures for them.

export type WebhookOutcome = 'delivered' | 'failed';

export interface Metrics {
  /** One HTTP request: its route pattern (never the raw URL), method, status and duration. */
  httpRequest(method: string, route: string, statusCode: number, seconds: number): void;
  /** Time one face engine job spent in a pipeline stage (decode, detect, landmarks, embed, liveness, pose, …). */
  engineStage(stage: string, seconds: number): void;
  /** A face engine job entered (+1) or left (-1) the engine: waiting for a worker or running. */
  engineJobs(delta: 1 | -1): void;
  livenessScore(score: number): void;
  /** The best hit's score of a 1:N search that found someone. */
  matchScore(score: number): void;
  webhookAttempt(seconds: number, outcome: WebhookOutcome): void;
}

/** For code that records nothing (CLI commands). */
export const noMetrics: Metrics = {
  httpRequest: () => {},
  engineStage: () => {},
  engineJobs: () => {},
  livenessScore: () => {},
  matchScore: () => {},
  webhookAttempt: () => {},
};
