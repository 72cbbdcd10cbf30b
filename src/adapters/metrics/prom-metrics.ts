import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { Metrics } from '../../ports/metrics.js';

// The metrics in Prometheus' text format through prom-client, in a registry of this app's own (tests build several
// apps in one process). Names and labels are listed in the README with the sample dashboard's queries.

export interface ScrapeSources {
  /** Stored validations by type and status, across tenants. */
  validations(): Promise<ReadonlyArray<{ type: string; status: string; count: number }>>;
  webhookBacklog(): Promise<number>;
  /** Templates in this process's search index, per collection that has members. */
  indexSizes(): Promise<ReadonlyArray<{ collection: string; size: number }>>;
  /** Engine worker threads (0 until the engine has started). */
  engineWorkers(): number;
}

const SECONDS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
const SCORES = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.85, 0.9, 0.95, 1];

export interface PromMetrics extends Metrics {
  readonly contentType: string;
  render(): Promise<string>;
}

export function createPromMetrics(sources: ScrapeSources): PromMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const http = new Histogram({
    name: 'facegate_http_request_duration_seconds',
    help: 'HTTP requests by route pattern, method and status',
    labelNames: ['method', 'route', 'status_code'],
    buckets: SECONDS,
    registers: [registry],
  });
  const stage = new Histogram({
    name: 'facegate_engine_stage_duration_seconds',
    help: 'Time face engine jobs spent per pipeline stage',
    labelNames: ['stage'],
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  });
  let jobs = 0;
  new Gauge({
    name: 'facegate_engine_jobs',
    help: 'Face engine jobs in the engine now, waiting or running',
    registers: [registry],
    collect() {
      this.set(jobs);
    },
  });
  new Gauge({
    name: 'facegate_engine_queue_depth',
    help: 'Face engine jobs waiting for a free worker (jobs in the engine beyond its workers)',
    registers: [registry],
    collect() {
      this.set(Math.max(0, jobs - sources.engineWorkers()));
    },
  });
  const liveness = new Histogram({
    name: 'facegate_liveness_score',
    help: 'Liveness scores computed (validations and liveness routes)',
    buckets: SCORES,
    registers: [registry],
  });
  const match = new Histogram({
    name: 'facegate_match_score',
    help: 'Score of the best hit of each 1:N search that found someone',
    buckets: SCORES,
    registers: [registry],
  });
  const webhook = new Histogram({
    name: 'facegate_webhook_delivery_duration_seconds',
    help: "Webhook delivery attempts by outcome, timed until the receiver's answer",
    labelNames: ['outcome'],
    buckets: SECONDS,
    registers: [registry],
  });
  const attempts = new Counter({
    name: 'facegate_webhook_attempts_total',
    help: 'Webhook delivery attempts by outcome',
    labelNames: ['outcome'],
    registers: [registry],
  });
  new Gauge({
    name: 'facegate_webhook_backlog',
    help: 'Webhook events not yet delivered nor given up on',
    registers: [registry],
    async collect() {
      this.set(await sources.webhookBacklog());
    },
  });
  new Gauge({
    name: 'facegate_biometric_validations',
    help: 'Stored biometric validations by type and status (retention purges lower it)',
    labelNames: ['type', 'status'],
    registers: [registry],
    async collect() {
      this.reset();
      for (const r of await sources.validations()) this.set({ type: r.type, status: r.status }, r.count);
    },
  });
  new Gauge({
    name: 'facegate_index_templates',
    help: "Templates in this process's search index per collection",
    labelNames: ['collection'],
    registers: [registry],
    async collect() {
      this.reset();
      for (const r of await sources.indexSizes()) this.set({ collection: r.collection }, r.size);
    },
  });

  return {
    contentType: registry.contentType,
    render: () => registry.metrics(),
    httpRequest: (method, route, statusCode, seconds) =>
      http.observe({ method, route, status_code: String(statusCode) }, seconds),
    engineStage: (name, seconds) => stage.observe({ stage: name }, seconds),
    engineJobs: (delta) => {
      jobs += delta;
    },
    livenessScore: (score) => liveness.observe(score),
    matchScore: (score) => match.observe(score),
    webhookAttempt: (seconds, outcome) => {
      webhook.observe({ outcome }, seconds);
      attempts.inc({ outcome });
    },
  };
}
