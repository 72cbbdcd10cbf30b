import type { ErrorKind } from '../../errors.js';
import type { DetectResult } from '../../ports/face-engine.js';
import type { Analysed, PipelineOptions, StageTimings } from './pipeline.js';

// Messages between the pool and engine.worker.ts. Only images go in and only numbers/templates come out: nothing
// here is ever logged.

export interface WorkerInit {
  modelsDir: string;
}

export type WorkerJob =
  | { op: 'detect'; image: Uint8Array }
  | { op: 'analyse'; image: Uint8Array; options: PipelineOptions };

export type WorkerRequest = WorkerJob & { id: number };

export type WorkerResult = (DetectResult & { timings: StageTimings }) | Analysed;

export type WorkerResponse =
  | { type: 'ready' }
  | { type: 'startup-error'; message: string }
  | { id: number; ok: true; result: WorkerResult }
  | { id: number; ok: false; error: { kind?: ErrorKind; message: string; shown?: string | number } };
