import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { degradeCommand } from '../../src/cli/degrade.command.js';
import { errorOf, startTestApp, type TestApp } from '../helpers/app.js';
import { evalDataDir, evalDataSkip } from '../helpers/eval-data.js';
import { sqliteKind } from '../helpers/stores.js';

// Issue #11: on a small, dim, noisy webcam face every face looks a little like every other. Two people are
// enrolled from webcam-degraded photos (`facegate degrade --condition webcam --seed 1`), and a webcam photo of a
// third person, never enrolled, resembles both: raw cosine 0.47 to each, above the old fixed 0.45 (score 0.85).
// Compared 1:1 with either photo it "matches"; searched against the collection (the match rule of
// domain/match-similarity.ts) it is nobody: not by /search, not by /verify, and not at login, where it matters.

const probe = 'angelina_jolie/006.jpg';
const enrolled = { 'Kate Winslet': 'kate_winslet/001.jpg', 'Tina Fey': 'tina_fey/001.jpg' } as const;
/** Another webcam photo of Tina Fey (raw cosine 0.78 to her enrolled one, 0.22 to Kate Winslet's). */
const tinaAgain = 'tina_fey/004.jpg';

describe('a low-quality probe that resembles two enrolled people (#11)', { skip: evalDataSkip() }, () => {
  let t: TestApp;
  let token: string;
  let collection: string;
  let project: string;
  let loginFlow: string;
  let dir: string;
  const persons: Record<string, string> = {};
  const photo = (rel: string) => readFileSync(join(dir, 'out', 'webcam', 'identity', rel)).toString('base64');
  const post = (path: string, body: unknown) => t.request('POST', `/v2/face-recognition/${path}`, { token, body });

  before(async () => {
    // The same bytes as the CLI writes for the whole dev set: each copy's randomness is keyed by its own path.
    dir = mkdtempSync(join(tmpdir(), 'facegate-lookalike-'));
    for (const rel of [probe, tinaAgain, ...Object.values(enrolled)]) {
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
    // The office's project: its default collection is the one its logins search.
    project = (await t.request('POST', '/v2/projects', { token, body: { name: 'Office' } })).json().data._id;
    collection = (await t.request('GET', `/v2/face-recognition/collections?where_project=${project}`, { token })).json()
      .data[0]._id;
    // A single photo needs a passive flow; the lowest liveness bar the API allows, so that the face decides.
    const flow = await t.request('POST', '/v2/project-flows', {
      token,
      body: { project, type: 'login', loginSettings: { livenessMode: 'passive', livenessMinScore: 0.51 } },
    });
    assert.equal(flow.statusCode, 200, flow.body.slice(0, 300));
    loginFlow = flow.json().data._id;
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

  const login = async (identifier: string, rel: string) => {
    const created = await t.request('POST', '/v2/biometric-validations', {
      token,
      body: { project, projectFlow: loginFlow, identifier, type: 'login' },
    });
    assert.equal(created.statusCode, 200, created.body.slice(0, 300));
    const res = await t.request('POST', '/v2/biometric-validations/validate', {
      token: created.json().data.token,
      body: { image: photo(rel), os: 'DESKTOP' },
    });
    const validation = (
      await t.request('GET', `/v2/biometric-validations/${created.json().data.biometricValidation._id}`, { token })
    ).json().data;
    return { res, validation };
  };

  test('at login (POST /v2/biometric-validations/validate, passive flow) the probe is logged in as neither', async () => {
    const { res, validation } = await login('visitor', probe);
    // Not a liveness refusal: the face was live enough and searched, and nobody matched.
    assert.equal(res.statusCode, 404, res.body.slice(0, 300));
    assert.deepEqual(errorOf(res), { code: 'person_not_found', message: 'person_not_found' });
    assert.equal(validation.person ?? null, null);
    assert.notEqual(validation.status, 'validated');
  });

  test('through the same flow, another webcam photo of an enrolled person logs her in', async () => {
    const { res, validation } = await login('tina', tinaAgain);
    assert.equal(res.statusCode, 200, res.body.slice(0, 300));
    assert.equal(res.json().data.person, persons['Tina Fey']);
    assert.equal(validation.person, persons['Tina Fey']);
  });
});

// The same issue with several templates: a stranger needs only one of an enrolled person's photos to resemble them.
// Victoria Beckham is enrolled with three dim photos (`facegate degrade --condition dim --seed 1`); a dim photo of
// Halle Berry, a look-alike never enrolled, is at raw cosine 0.48 to one of them (score 0.87) and 0.07 and 0.24 to
// the others. The best template alone would let her in; blended with the second best (match-similarity.ts) it does
// not, while another dim photo of Victoria Beckham (0.66 and 0.35 to her two closest) still logs her in.
const lookAlike = 'halle_berry/002.jpg';
const victoria = ['victoria_beckham/002.jpg', 'victoria_beckham/003.jpg', 'victoria_beckham/005.jpg'];
const victoriaAgain = 'victoria_beckham/006.jpg';

describe('a look-alike of one of an enrolled person’s photos (#11)', { skip: evalDataSkip() }, () => {
  let t: TestApp;
  let token: string;
  let project: string;
  let loginFlow: string;
  let personId: string;
  let dir: string;
  const photo = (rel: string) => readFileSync(join(dir, 'out', 'dim', 'identity', rel)).toString('base64');
  const post = (path: string, body: unknown) => t.request('POST', `/v2/face-recognition/${path}`, { token, body });

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'facegate-lookalike-'));
    for (const rel of [lookAlike, victoriaAgain, ...victoria]) {
      mkdirSync(join(dir, 'data', 'identity', rel.split('/')[0]!), { recursive: true });
      copyFileSync(join(evalDataDir, 'identity', rel), join(dir, 'data', 'identity', rel));
    }
    const argv = ['--data', join(dir, 'data'), '--out', join(dir, 'out'), '--condition', 'dim', '--seed', '1'];
    assert.equal(await degradeCommand(argv), undefined);
    t = await startTestApp(sqliteKind, { env: { FACEGATE_ENGINE_WORKERS: '1' } });
    token = (await t.newClient('studio')).token;
    project = (await t.request('POST', '/v2/projects', { token, body: { name: 'Studio' } })).json().data._id;
    const collection = (
      await t.request('GET', `/v2/face-recognition/collections?where_project=${project}`, { token })
    ).json().data[0]._id;
    const flow = await t.request('POST', '/v2/project-flows', {
      token,
      body: { project, type: 'login', loginSettings: { livenessMode: 'passive', livenessMinScore: 0.51 } },
    });
    assert.equal(flow.statusCode, 200, flow.body.slice(0, 300));
    loginFlow = flow.json().data._id;
    const res = await post('persons', {
      name: 'Victoria Beckham',
      images: victoria.map(photo),
      collections: [collection],
    });
    assert.equal(res.statusCode, 200, res.body.slice(0, 300));
    personId = res.json().data._id;
  });
  after(async () => {
    await t?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const login = async (identifier: string, rel: string) => {
    const created = await t.request('POST', '/v2/biometric-validations', {
      token,
      body: { project, projectFlow: loginFlow, identifier, type: 'login' },
    });
    assert.equal(created.statusCode, 200, created.body.slice(0, 300));
    return t.request('POST', '/v2/biometric-validations/validate', {
      token: created.json().data.token,
      body: { image: photo(rel), os: 'DESKTOP' },
    });
  };

  test('1:1 against the one photo she resembles, the look-alike passes the default 0.85', async () => {
    const res = (await post('compare', { probe: [photo(lookAlike)], gallery: [photo(victoria[0]!)] })).json();
    assert.equal(res.data.passed, true, `score ${res.data.score}`);
  });

  test('against the person, she is nobody: /search, /verify and login', async () => {
    const found = await post('search', { images: [photo(lookAlike)], min_score: 0.85 });
    assert.equal(found.statusCode, 200, found.body.slice(0, 300));
    assert.deepEqual(found.json().data, []);
    const verified = await post('verify', { id: personId, images: [photo(lookAlike)] });
    assert.equal(verified.json().data.match.passed, false, verified.body);
    const res = await login('visitor', lookAlike);
    assert.equal(res.statusCode, 404, res.body.slice(0, 300));
    assert.deepEqual(errorOf(res), { code: 'person_not_found', message: 'person_not_found' });
  });

  test('another dim photo of the enrolled person logs her in', async () => {
    const res = await login('victoria', victoriaAgain);
    assert.equal(res.statusCode, 200, res.body.slice(0, 300));
    assert.equal(res.json().data.person, personId);
  });
});
