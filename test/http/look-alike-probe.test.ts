import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { degradeCommand } from '../../src/cli/degrade.command.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { evalDataDir, evalDataSkip } from '../helpers/eval-data.js';
import { sqliteKind } from '../helpers/stores.js';

// Issue #11: on a small, dim, noisy webcam face every face looks a little like every other. Two people are
// enrolled from webcam-degraded photos (`facegate degrade --condition webcam --seed 1`), and a webcam photo of a
// third person, never enrolled, resembles both: raw cosine 0.47 to each, above the old fixed 0.45 (score 0.85).
// Compared 1:1 with either photo it "matches"; searched against the collection (cohort-normalised) it is nobody.

const probe = 'angelina_jolie/006.jpg';
const enrolled = { 'Kate Winslet': 'kate_winslet/001.jpg', 'Tina Fey': 'tina_fey/001.jpg' } as const;

describe('a low-quality probe that resembles two enrolled people (#11)', { skip: evalDataSkip() }, () => {
  let t: TestApp;
  let token: string;
  let collection: string;
  let dir: string;
  const persons: Record<string, string> = {};
  const photo = (rel: string) => readFileSync(join(dir, 'out', 'webcam', 'identity', rel)).toString('base64');
  const post = (path: string, body: unknown) => t.request('POST', `/v2/face-recognition/${path}`, { token, body });

  before(async () => {
    // The same bytes as the CLI writes for the whole dev set: each copy's randomness is keyed by its own path.
    dir = mkdtempSync(join(tmpdir(), 'facegate-lookalike-'));
    for (const rel of [probe, ...Object.values(enrolled)]) {
      mkdirSync(join(dir, 'data', 'identity', rel.split('/')[0]!), { recursive: true });
      copyFileSync(join(evalDataDir, 'identity', rel), join(dir, 'data', 'identity', rel));
    }
    const out = join(dir, 'out');
    const code = await degradeCommand([
      '--data',
      join(dir, 'data'),
      '--out',
      out,
      '--condition',
      'webcam',
      '--seed',
      '1',
    ]);
    assert.equal(code, undefined);
    t = await startTestApp(sqliteKind, { env: { FACEGATE_ENGINE_WORKERS: '1' } });
    token = (await t.newClient('office')).token;
    collection = (await post('collections', { name: 'office' })).json().data._id;
    for (const [name, rel] of Object.entries(enrolled)) {
      const res = await post('persons', { name, images: [photo(rel)], collections: [collection] });
      assert.equal(res.statusCode, 200, res.body.slice(0, 300));
      persons[name] = res.json().data._id;
    }
  });
  after(async () => {
    await t?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  test('1:1, uncorrected, the probe passes the default 0.85 against both enrolled photos', async () => {
    for (const rel of Object.values(enrolled)) {
      const res = (await post('compare', { probe: [photo(probe)], gallery: [photo(rel)] })).json();
      assert.equal(res.data.passed, true, `${rel}: score ${res.data.score}`);
    }
  });

  test('search at the default 0.85 finds neither, nor at 0.5', async () => {
    const res = await post('search', { images: [photo(probe)], collection_id: collection, min_score: 0.85 });
    assert.equal(res.statusCode, 200, res.body.slice(0, 300));
    assert.deepEqual(res.json().data, []);
    // Even at the lowest threshold the API allows, neither is offered.
    const low = (await post('search', { images: [photo(probe)], collection_id: collection, min_score: 0.5 })).json();
    assert.deepEqual(low.data, [], JSON.stringify(low));
  });

  test('verify against either person fails', async () => {
    for (const [name, id] of Object.entries(persons)) {
      const res = await post('verify', { id, images: [photo(probe)] });
      assert.equal(res.statusCode, 200, res.body.slice(0, 300));
      assert.equal(res.json().data.match.passed, false, `${name}: ${res.body}`);
    }
  });

  test('each enrolled person is still found by another webcam photo of their own', async () => {
    const res = await post('search', { images: [photo(enrolled['Kate Winslet'])], collection_id: collection });
    assert.equal(res.json().data[0]?._id, persons['Kate Winslet']);
  });
});
