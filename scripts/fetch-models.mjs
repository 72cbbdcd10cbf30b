#!/usr/bin/env node
// Fetches the face models into models/ (run by `npm install` through the `prepare` script).
//
// Source: the npm package faceplugin-face-recognition-js@0.0.1 (MIT licence, "Copyright (c) 2021 gitguanqi";
// repository github.com/Faceplugin-ltd/FaceRecognition-LivenessDetection-Javascript). Only the tarball is fetched
// (`npm pack`), never installed: installing it pulls ~440 browser build packages. Only the model files the engine
// uses are kept, each checked against the sha256 pinned below, and a NOTICE is written beside them.
// A second run with valid files does no network work at all.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const PACKAGE = 'faceplugin-face-recognition-js@0.0.1';

// Kept in step with src/adapters/face-engine/model-files.ts, which verifies the same sums at engine start-up.
const MODELS = {
  'fr_detect.onnx': '6c0256ccd3164f844736a401faf936ec2930764a87ae39442180887d0c5c8854',
  'fr_landmark.onnx': 'f10b0ba1d2a8a099adefede1ebf3733e44fe370715e7303dbeb7f59c02142258',
  'fr_feature.onnx': '87aacdfe57510db2af90c0251df680e8eec88f122ee94712121d09bcaaaf3581',
  'fr_liveness.onnx': 'afa783b7e902fdfcf323a7240cac2a1c580c25314ea4161129dc1b0d100dc32d',
  // Not used by the passive pipeline yet; kept for an active liveness challenge (head turn, blink).
  'fr_pose.onnx': '72d032ec941b7153bf8d3f2c03a4c165453cc7e63d479041ec7c6ef087e5839d',
  'fr_eye.onnx': '1afcea006abc1ccac3c517022abde0aa092bed74ff3c9fe6878483ef9e6e38de',
};

const NOTICE = `The ONNX model files in this folder come from the npm package ${PACKAGE}
(https://www.npmjs.com/package/faceplugin-face-recognition-js,
repository https://github.com/Faceplugin-ltd/FaceRecognition-LivenessDetection-Javascript),
published under the MIT licence, Copyright (c) 2021 gitguanqi.
The package has no model card or training-data statement; review provenance before production use.
Fetched and verified by scripts/fetch-models.mjs (pinned sha256 sums).
`;

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const modelsDir = resolve(root, process.env.FACEGATE_MODELS_DIR ?? 'models');

const sha256 = (path) => createHash('sha256').update(readFileSync(path)).digest('hex');
const isValid = (path, sum) => existsSync(path) && sha256(path) === sum;
const invalid = () => Object.entries(MODELS).filter(([name, sum]) => !isValid(join(modelsDir, name), sum));

function fail(message) {
  process.stderr.write(`fetch-models: ${message}\n`);
  process.exit(1);
}

function run(cmd, args, cwd, what) {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  if (r.error || r.status !== 0) {
    const detail = (r.stderr || r.error?.message || '').trim().split('\n').slice(-3).join(' | ');
    fail(`${what} failed (${cmd} ${args[0]}${detail ? `: ${detail}` : ''})`);
  }
  return r.stdout;
}

const missing = invalid();
if (missing.length === 0) {
  if (!existsSync(join(modelsDir, 'NOTICE'))) writeFileSync(join(modelsDir, 'NOTICE'), NOTICE);
  process.exit(0);
}

process.stderr.write(`fetch-models: fetching ${missing.map(([n]) => n).join(', ')} from ${PACKAGE}\n`);
const tmp = mkdtempSync(join(tmpdir(), 'facegate-models-'));
try {
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const names = missing.map(([n]) => `models/${n}`).join(', ');
  run(
    npm,
    ['pack', PACKAGE, '--pack-destination', tmp, '--silent', '--ignore-scripts'],
    tmp,
    `${names} missing or corrupt; downloading ${PACKAGE} from the npm registry`,
  );
  const tarball = readdirSync(tmp).find((f) => f.endsWith('.tgz'));
  if (!tarball) fail(`npm pack ${PACKAGE} produced no tarball`);
  run('tar', ['-xzf', tarball, ...missing.map(([name]) => `package/model/${name}`)], tmp, `extracting ${tarball}`);
  mkdirSync(modelsDir, { recursive: true });
  for (const [name, sum] of missing) {
    const from = join(tmp, 'package', 'model', name);
    if (!isValid(from, sum)) fail(`model file ${name} from ${PACKAGE} does not match its pinned sha256 ${sum}`);
    copyFileSync(from, join(modelsDir, name));
  }
  writeFileSync(join(modelsDir, 'NOTICE'), NOTICE);
} finally {
  rmSync(tmp, { recursive: true, force: true });
}

const still = invalid();
if (still.length > 0) fail(`model file models/${still[0][0]} is missing or corrupt after fetching`);
process.stderr.write(`fetch-models: ${Object.keys(MODELS).length} model files verified in ${modelsDir}\n`);
