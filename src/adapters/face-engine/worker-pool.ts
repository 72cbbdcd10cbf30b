import { Worker } from 'node:worker_threads';
// Loaded here, in the thread that owns the pool, so their shared libraries stay open when a worker exits: with glibc,
// a worker unloading libvips can crash the process (lovell/sharp#2263).
import 'onnxruntime-node';
import 'sharp';
import { AppError } from '../../errors.js';
import type { PipelineOptions } from './pipeline.js';
import type { WorkerInit, WorkerJob, WorkerRequest, WorkerResponse, WorkerResult } from './worker-protocol.js';

// A fixed pool of engine workers with a bounded queue. Each worker runs one job at a time; jobs wait in a FIFO
// queue of at most `queue` entries, beyond which they are refused with `engineBusy` (HTTP 503) instead of piling up
// images in memory while the CPU is saturated.

export interface WorkerPoolOptions {
  modelsDir: string;
  workers: number;
  queue: number;
  /** Overridable for tests; defaults to the compiled engine.worker.js beside this file. */
  workerUrl?: URL;
}

type Job = { request: WorkerJob; resolve: (r: WorkerResult) => void; reject: (e: Error) => void };

interface Slot {
  worker: Worker;
  job: (Job & { id: number }) | undefined;
}

export class WorkerPool {
  private readonly slots: Slot[] = [];
  private readonly waiting: Job[] = [];
  private nextId = 1;
  private closed = false;

  private constructor(private readonly options: WorkerPoolOptions) {}

  static async start(options: WorkerPoolOptions): Promise<WorkerPool> {
    const pool = new WorkerPool(options);
    try {
      await Promise.all(Array.from({ length: options.workers }, () => pool.spawn()));
    } catch (err) {
      await pool.close();
      throw err;
    }
    return pool;
  }

  get size(): number {
    return this.slots.length;
  }

  /** Jobs waiting for a free worker (not counting those running). */
  get queued(): number {
    return this.waiting.length;
  }

  detect(image: Uint8Array): Promise<WorkerResult> {
    return this.submit({ op: 'detect', image });
  }

  analyse(image: Uint8Array, options: PipelineOptions): Promise<WorkerResult> {
    return this.submit({ op: 'analyse', image, options });
  }

  private submit(request: WorkerJob): Promise<WorkerResult> {
    if (this.closed) return Promise.reject(new AppError('unavailable', { message: 'face engine is closed' }));
    const free = this.slots.find((s) => s.job === undefined);
    if (!free && this.waiting.length >= this.options.queue) return Promise.reject(new AppError('engineBusy'));
    return new Promise<WorkerResult>((resolve, reject) => {
      const job: Job = { request, resolve, reject };
      if (free) this.dispatch(free, job);
      else this.waiting.push(job);
    });
  }

  private dispatch(slot: Slot, job: Job): void {
    const id = this.nextId++;
    slot.job = { ...job, id };
    // Copy the caller's bytes into a buffer we own, so it can be transferred without detaching theirs.
    const image = new Uint8Array(job.request.image);
    slot.worker.postMessage({ ...job.request, image, id } as WorkerRequest, [image.buffer]);
  }

  private finish(slot: Slot): void {
    slot.job = undefined;
    const next = this.waiting.shift();
    if (next) this.dispatch(slot, next);
  }

  private spawn(): Promise<void> {
    const url = this.options.workerUrl ?? new URL('./engine.worker.js', import.meta.url);
    const worker = new Worker(url, { workerData: { modelsDir: this.options.modelsDir } satisfies WorkerInit });
    const slot: Slot = { worker, job: undefined };
    return new Promise<void>((resolve, reject) => {
      let ready = false;
      worker.on('message', (m: WorkerResponse) => {
        if ('type' in m) {
          if (m.type === 'ready') {
            ready = true;
            this.slots.push(slot);
            const next = this.waiting.shift();
            if (next) this.dispatch(slot, next);
            resolve();
          } else reject(new Error(m.message));
          return;
        }
        const job = slot.job;
        if (!job || job.id !== m.id) return;
        if (m.ok) job.resolve(m.result);
        else
          job.reject(
            m.error.kind ? new AppError(m.error.kind, { message: m.error.message }) : new Error(m.error.message),
          );
        this.finish(slot);
      });
      worker.on('error', (err) => {
        if (!ready) reject(err);
        slot.job?.reject(new AppError('internal', { message: 'face engine worker failed', cause: err }));
        slot.job = undefined;
      });
      worker.on('exit', () => {
        const i = this.slots.indexOf(slot);
        if (i >= 0) this.slots.splice(i, 1);
        slot.job?.reject(new AppError('internal', { message: 'face engine worker exited' }));
        slot.job = undefined;
        // A crashed worker is replaced so the pool keeps its size; a failure to respawn leaves it smaller.
        if (ready && !this.closed) this.spawn().catch(() => undefined);
      });
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const job of this.waiting.splice(0))
      job.reject(new AppError('unavailable', { message: 'face engine is closed' }));
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
    this.slots.length = 0;
  }
}
