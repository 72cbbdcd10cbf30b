import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';

// The model files and their pinned sha256 sums; scripts/fetch-models.mjs fetches the same files (the face models from
// the npm tarball faceplugin-face-recognition-js@0.0.1, the object detector from @vladmandic/human@3.3.6, both MIT)
// and pins the same sums.

export const modelFiles = {
  detect: { file: 'fr_detect.onnx', sha256: '6c0256ccd3164f844736a401faf936ec2930764a87ae39442180887d0c5c8854' },
  landmark: { file: 'fr_landmark.onnx', sha256: 'f10b0ba1d2a8a099adefede1ebf3733e44fe370715e7303dbeb7f59c02142258' },
  feature: { file: 'fr_feature.onnx', sha256: '87aacdfe57510db2af90c0251df680e8eec88f122ee94712121d09bcaaaf3581' },
  liveness: { file: 'fr_liveness.onnx', sha256: 'afa783b7e902fdfcf323a7240cac2a1c580c25314ea4161129dc1b0d100dc32d' },
  // Active liveness (head pose, eye state); same sums as scripts/fetch-models.mjs.
  pose: { file: 'fr_pose.onnx', sha256: '72d032ec941b7153bf8d3f2c03a4c165453cc7e63d479041ec7c6ef087e5839d' },
  eye: { file: 'fr_eye.onnx', sha256: '1afcea006abc1ccac3c517022abde0aa092bed74ff3c9fe6878483ef9e6e38de' },
  // COCO object detector (TF.js graph + weights) for the animal check (animal-check.ts).
  objects: { file: 'centernet.json', sha256: 'bfb942eaacc5becf738d536663bc4580a0ae9e560722306e6d4dd7fe4a09de05' },
  objectWeights: { file: 'centernet.bin', sha256: '1b635a15009071f506f9f2b3519b31c072c534888989f30d269ffd44734ef7ef' },
} as const;

export type ModelName = keyof typeof modelFiles;

/** Stored with every template: a different recogniser file means templates are not comparable. */
export const recogniserModelId = `faceplugin-fr_feature-${modelFiles.feature.sha256.slice(0, 12)}`;

export class ModelFilesError extends Error {
  override name = 'ModelFilesError';
}

export function modelPath(modelsDir: string, name: ModelName): string {
  return join(modelsDir, modelFiles[name].file);
}

/** Throws one clear error naming the first missing or corrupt file; returns the model bytes keyed by name. */
export async function loadVerifiedModels(modelsDir: string): Promise<Record<ModelName, Uint8Array>> {
  const out = {} as Record<ModelName, Uint8Array>;
  for (const name of Object.keys(modelFiles) as ModelName[]) {
    const { sha256 } = modelFiles[name];
    const path = modelPath(modelsDir, name);
    const bytes = await readFile(path).catch(() => undefined);
    if (!bytes || createHash('sha256').update(bytes).digest('hex') !== sha256) {
      const shown = relative(process.cwd(), path) || path;
      throw new ModelFilesError(`model file ${shown} is missing or corrupt; run npm install`);
    }
    out[name] = bytes;
  }
  return out;
}
