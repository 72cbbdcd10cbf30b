import { Worker } from 'node:worker_threads';
// Loaded here, in the thread that owns the pool, so their shared libraries stay open when a worker exits: with glibc,
// a worker unloading libvips can crash the process (lovell/sharp#2263).
import 'onnxruntime-node';
import 'sharp';
import { AppError, type ErrorKind } from '../../errors.js';
import type { EngineCall } from '../../ports/face-engine.js';
import type { PipelineOptions } from './pipeline.js';
import type { WorkerInit, WorkerJob, WorkerRequest, WorkerResponse, WorkerResult } from './worker-protocol.js';

// A fixed pool of engine workers with a bounded queue. Each worker runs one job at a time; jobs wait in a queue of at
// most `queue` entries, beyond which they are refused with `engineBusy` (HTTP 503) instead of piling up images in
// memory while the CPU is saturated.
//
// The queue is shared fairly between callers (a tenant, an anonymous session; EngineCall.caller): each caller has
// its own FIFO and workers take from them in turn, so a caller with one job waits behind at most one job of each
// other caller, however many the others queued. When the queue is full the caller holding the most queued jobs
// gives way: a newcomer with fewer takes the place of that caller's newest job (refused `engineBusy`), one with as
// many or more is refused itself. Alone, a caller may use the whole queue. A job whose signal aborts (its request
// failed or its client went away) leaves the queue at once; one already running finishes and its result is dropped.

export interface WorkerPoolOptions {
  modelsDir: string;
  workers: number;
  queue: number;
  /** Overridable for tests; defaults to the compiled engine.worker.js beside this file. */
  workerUrl?: URL;
}

type Job = {
  request: WorkerJob;
  caller: string;
  resolve: (r: WorkerResult) => void;
  reject: (e: Error) => void;
  /** Detaches the abort listener (once the job runs or settles). */
  detach: () => void;
};

/** Jobs of callers that name none (the command line, the bench) share one turn. */
const ANONYMOUS = '';

/** An engine error as the worker sent it: its kind and shown detail (a worker says no message of its own). */
const rebuildError = (e: { kind?: ErrorKind; message: string; shown?: string | number }): AppError =>
  e.kind === 'missingParameter'
    ? new AppError('missingParameter', { message: e.message })
    : new AppError(e.kind as Exclude<ErrorKind, 'missingParameter'>, e.shown === undefined ? {} : { shown: e.shown });

const aborted = () => new AppError('unavailable');

/** How long close() waits for running jobs (one image each) before it terminates their workers anyway. */
const CLOSE_GRACE_MS = 5000;

interface Slot {
  worker: Worker;
  job: (Job & { id: number }) | undefined;
}

export class WorkerPool {
  private readonly slots: Slot[] = [];
  /** Waiting jobs per caller, in arrival order; a caller is in the map only while it has some. */
  private readonly waiting = new Map<string, Job[]>();
  /** Callers with waiting jobs, in the order their turn comes. */
  private readonly turns: string[] = [];
  private waitingCount = 0;
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
    return this.waitingCount;
  }

  /** Jobs of one caller waiting for a worker. */
  queuedFor(caller: string): number {
    return this.waiting.get(caller)?.length ?? 0;
  }

  /** False once closed or when every worker is gone (crashed and could not be replaced). */
  get healthy(): boolean {
    return !this.closed && this.slots.length > 0;
  }

  detect(image: Uint8Array, call: EngineCall = {}): Promise<WorkerResult> {
    return this.submit({ op: 'detect', image }, call);
  }

  analyse(image: Uint8Array, options: PipelineOptions, call: EngineCall = {}): Promise<WorkerResult> {
    return this.submit({ op: 'analyse', image, options }, call);
  }

  private submit(request: WorkerJob, call: EngineCall): Promise<WorkerResult> {
    if (this.closed) return Promise.reject(new AppError('engineClosed'));
    const { signal } = call;
    if (signal?.aborted) return Promise.reject(aborted());
    const caller = call.caller ?? ANONYMOUS;
    const free = this.slots.find((s) => s.job === undefined);
    if (!free && this.waitingCount >= this.options.queue && !this.makeRoomFor(caller)) {
      return Promise.reject(new AppError('engineBusy'));
    }
    return new Promise<WorkerResult>((resolve, reject) => {
      const onAbort = () => {
        if (this.unqueue(job)) job.reject(aborted());
      };
      const job: Job = {
        request,
        caller,
        resolve: (r) => {
          job.detach();
          resolve(r);
        },
        reject: (e) => {
          job.detach();
          reject(e);
        },
        detach: () => signal?.removeEventListener('abort', onAbort),
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      if (free) this.dispatch(free, job);
      else this.enqueue(job);
    });
  }

  private enqueue(job: Job): void {
    const jobs = this.waiting.get(job.caller);
    if (jobs) jobs.push(job);
    else {
      this.waiting.set(job.caller, [job]);
      this.turns.push(job.caller);
    }
    this.waitingCount++;
  }

  /** Takes a waiting job out of the queue; false if it is not there (running or settled). */
  private unqueue(job: Job): boolean {
    const jobs = this.waiting.get(job.caller);
    const i = jobs?.indexOf(job) ?? -1;
    if (!jobs || i < 0) return false;
    jobs.splice(i, 1);
    this.waitingCount--;
    if (jobs.length === 0) this.forget(job.caller);
    return true;
  }

  private forget(caller: string): void {
    this.waiting.delete(caller);
    const t = this.turns.indexOf(caller);
    if (t >= 0) this.turns.splice(t, 1);
  }

  /** The next job in turn: the first of the caller whose turn it is, who then goes to the back. */
  private next(): Job | undefined {
    const caller = this.turns.shift();
    if (caller === undefined) return undefined;
    const jobs = this.waiting.get(caller) as Job[];
    const job = jobs.shift() as Job;
    this.waitingCount--;
    if (jobs.length > 0) this.turns.push(caller);
    else this.waiting.delete(caller);
    return job;
  }

  /**
   * The queue is full: refuses the newest job of the caller holding the most, if that caller holds more than
   * `caller` would with one more job. True when a place was freed.
   */
  private makeRoomFor(caller: string): boolean {
    let hog: string | undefined;
    let most = 0;
    for (const [c, jobs] of this.waiting) {
      if (jobs.length > most) {
        most = jobs.length;
        hog = c;
      }
    }
    if (hog === undefined || hog === caller || most <= this.queuedFor(caller) + 1) return false;
    const victim = this.waiting.get(hog)?.at(-1) as Job;
    this.unqueue(victim);
    victim.reject(new AppError('engineBusy'));
    return true;
  }

  private dispatch(slot: Slot, job: Job): void {
    const id = this.nextId++;
    // Running cannot be undone: from here the job only ends with the worker's answer.
    job.detach();
    slot.job = { ...job, id };
    // Copy the caller's bytes into a buffer we own, so it can be transferred without detaching theirs.
    const image = new Uint8Array(job.request.image);
    slot.worker.postMessage({ ...job.request, image, id } as WorkerRequest, [image.buffer]);
  }

  private finish(slot: Slot): void {
    slot.job = undefined;
    const next = this.next();
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
            const next = this.next();
            if (next) this.dispatch(slot, next);
            resolve();
          } else reject(new Error(m.message));
          return;
        }
        const job = slot.job;
        if (!job || job.id !== m.id) return;
        if (m.ok) job.resolve(m.result);
        else job.reject(m.error.kind ? rebuildError(m.error) : new Error(m.error.message));
        this.finish(slot);
      });
      worker.on('error', (err) => {
        if (!ready) reject(err);
        slot.job?.reject(new AppError('internal', { cause: err }));
        slot.job = undefined;
      });
      worker.on('exit', () => {
        const i = this.slots.indexOf(slot);
        if (i >= 0) this.slots.splice(i, 1);
        slot.job?.reject(new AppError('internal', { cause: new Error('face engine worker exited') }));
        slot.job = undefined;
        // A crashed worker is replaced so the pool keeps its size; a failure to respawn leaves it smaller.
        if (ready && !this.closed) this.spawn().catch(() => undefined);
      });
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    for (let job = this.next(); job; job = this.next()) job.reject(new AppError('engineClosed'));
    // Terminating a worker inside a native call (an ONNX run, the wasm detector) can abort the whole process
    // ("terminate called after throwing an instance of 'Napi::Error'", seen after a flood): let running jobs end
    // first, for a bounded time.
    const deadline = Date.now() + CLOSE_GRACE_MS;
    while (this.slots.some((s) => s.job) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
    this.slots.length = 0;
  }
}
