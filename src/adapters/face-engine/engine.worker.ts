import { parentPort, workerData } from 'node:worker_threads';
import { AppError } from '../../errors.js';
import { loadVerifiedModels } from './model-files.js';
import { createPipeline } from './pipeline.js';
import type { WorkerInit, WorkerRequest, WorkerResponse } from './worker-protocol.js';

// One engine worker: loads the models once, then analyses one image at a time (the pool never sends a second job
// before the first has answered, so ONNX sessions are never shared between concurrent runs).

const port = parentPort;
if (!port) throw new Error('engine.worker.js must run as a worker thread');
const post = (m: WorkerResponse, transfer: ArrayBuffer[] = []) => port.postMessage(m, transfer);

const init = workerData as WorkerInit;
try {
  const pipeline = await createPipeline(await loadVerifiedModels(init.modelsDir));
  port.on('message', async (req: WorkerRequest) => {
    try {
      const result =
        req.op === 'detect' ? await pipeline.detect(req.image) : await pipeline.analyse(req.image, req.options);
      const transfer: ArrayBuffer[] = [];
      if ('template' in result && result.template.buffer instanceof ArrayBuffer) transfer.push(result.template.buffer);
      post({ id: req.id, ok: true, result }, transfer);
    } catch (err) {
      const error =
        err instanceof AppError
          ? { kind: err.kind, message: err.message, ...(err.shown !== undefined ? { shown: err.shown } : {}) }
          : { message: err instanceof Error ? err.message : String(err) };
      post({ id: req.id, ok: false, error });
    }
  });
  post({ type: 'ready' });
} catch (err) {
  post({ type: 'startup-error', message: err instanceof Error ? err.message : String(err) });
}
