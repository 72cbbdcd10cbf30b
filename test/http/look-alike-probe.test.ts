import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { degradeCommand } from '../../src/cli/degrade.command.js';
import { enrolPerson, loginProject } from '../helpers/api-setup.js';
import { errorOf, startTestApp } from '../helpers/app.js';
import { evalDataDir, evalDataSkip } from '../helpers/eval-data.js';
import { sqliteKind } from '../helpers/stores.js';

/**
 * Copies of some dev photos through one capture condition (the same bytes as `facegate degrade --condition C
 * --seed 1` writes for the whole set: each copy's randomness is keyed by its own path), and a tenant with a passive
 * login project at the lowest liveness bar the API allows, so that the face decides.
 */
async function office(condition: string, photos: readonly string[]) {
  const dir = mkdtempSync(join(tmpdir(), 'facegate-lookalike-'));
  for (const rel of photos) {
    mkdirSync(join(dir, 'data', 'identity', rel.split('/')[0]!), { recursive: true });
    copyFileSync(join(evalDataDir, 'identity', rel), join(dir, 'data', 'identity', rel));
  }
  const argv = ['--data', join(dir, 'data'), '--out', join(dir, 'out'), '--condition', condition, '--seed', '1'];
  assert.equal(await degradeCommand(argv), undefined);
  const t = await startTestApp(sqliteKind, { env: { FACEGATE_ENGINE_WORKERS: '1' } });
  const { token } = await t.newClient('office');
  const { project, flow, collection } = await loginProject(t, token, {
    loginSettings: { livenessMode: 'passive', livenessMinScore: 0.51 },
  });
  const photo = (rel: string) => readFileSync(join(dir, 'out', condition, 'identity', rel)).toString('base64');
  const post = (path: string, body: unknown) => t.request('POST', `/v2/face-recognition/${path}`, { token, body });
  const enrol = (name: string, rels: readonly string[]) => enrolPerson(t, token, collection._id, name, rels.map(photo));
  /** A login through the flow with one image (base64): the validate answer and the validation as read back. */
  const login = async (identifier: string, image: string) => {
    const created = await t.request('POST', '/v2/biometric-validations', {
      token,
      body: { project, projectFlow: flow, identifier, type: 'login' },
    });
    assert.equal(created.statusCode, 200, created.body.slice(0, 300));
    const res = await t.request('POST', '/v2/biometric-validations/validate', {
      token: created.json().data.token,
      body: { image, os: 'DESKTOP' },
    });
    const validation = (
      await t.request('GET', `/v2/biometric-validations/${created.json().data.biometricValidation._id}`, { token })
    ).json().data;
    return { res, validation };
  };
  const close = async () => {
    await t.close();
    rmSync(dir, { recursive: true, force: true });
  };
  return { collection: collection._id, photo, post, enrol, login, close };
}

type Office = Awaited<ReturnType<typeof office>>;

// Issue #11: on a small, dim, noisy webcam face every face looks a little like every other. Two people are
// enrolled from webcam-degraded photos (`facegate degrade --condition webcam --seed 1`), and a webcam photo of a
// third person, never enrolled, resembles both: raw cosine 0.47 to each, above the old fixed 0.45 (score 0.85).
// Compared 1:1 (the compare rule, domain/compare-similarity.ts) or searched against the collection (the match rule
// of domain/match-similarity.ts) it is nobody: not by /compare, /search or /verify, and not at login.

const probe = 'angelina_jolie/006.jpg';
const enrolled = { 'Kate Winslet': 'kate_winslet/001.jpg', 'Tina Fey': 'tina_fey/001.jpg' } as const;
/** Another webcam photo of Tina Fey (raw cosine 0.78 to her enrolled one, 0.22 to Kate Winslet's). */
const tinaAgain = 'tina_fey/004.jpg';

describe('a low-quality probe that resembles two enrolled people (#11)', { skip: evalDataSkip() }, () => {
  let o: Office;
  const persons: Record<string, string> = {};
  const photo = (rel: string) => o.photo(rel);
  const post = (path: string, body: unknown) => o.post(path, body);

  before(async () => {
    o = await office('webcam', [probe, tinaAgain, ...Object.values(enrolled)]);
    for (const [name, rel] of Object.entries(enrolled)) persons[name] = await o.enrol(name, [rel]);
  });
  after(() => o?.close());

  test('1:1 /compare refuses the probe against both enrolled photos, and passes Tina Fey against her own', async () => {
    // Raw cosine 0.47 to each, above the old fixed 0.45: the compare rule (domain/compare-similarity.ts) takes off
    // the recogniser's doubt about two dark webcam faces (embedding lengths 2.79 and 2.79 / 3.27).
    for (const rel of Object.values(enrolled)) {
      const res = (await post('compare', { probe: [photo(probe)], gallery: [photo(rel)] })).json();
      assert.equal(res.data.passed, false, `${rel}: score ${res.data.score}`);
    }
    // Her two webcam photos are faces it is sure of (lengths 3.27 and 3.32): cosine 0.78 keeps its score.
    const own = (await post('compare', { probe: [photo(tinaAgain)], gallery: [photo(enrolled['Tina Fey'])] })).json();
    assert.equal(own.data.passed, true, `score ${own.data.score}`);
    assert.ok(own.data.score > 0.95, `score ${own.data.score}`);
  });

  test('search at the default 0.85 finds neither, nor at 0.5', async () => {
    const res = await post('search', { images: [photo(probe)], collection_id: o.collection, min_score: 0.85 });
    assert.equal(res.statusCode, 200, res.body.slice(0, 300));
    assert.deepEqual(res.json().data, []);
    // Even at the lowest threshold the API allows, neither is offered.
    const low = (await post('search', { images: [photo(probe)], collection_id: o.collection, min_score: 0.5 })).json();
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
    const res = await post('search', { images: [photo(enrolled['Kate Winslet'])], collection_id: o.collection });
    assert.equal(res.json().data[0]?._id, persons['Kate Winslet']);
  });

  test('at login (POST /v2/biometric-validations/validate, passive flow) the probe is logged in as neither', async () => {
    const { res, validation } = await o.login('visitor', photo(probe));
    // Not a liveness refusal: the face was live enough and searched, and nobody matched.
    assert.equal(res.statusCode, 404, res.body.slice(0, 300));
    assert.deepEqual(errorOf(res), { code: 'person_not_found', message: 'person_not_found' });
    assert.equal(validation.person ?? null, null);
    assert.notEqual(validation.status, 'validated');
  });

  test('through the same flow, another webcam photo of an enrolled person logs her in', async () => {
    const { res, validation } = await o.login('tina', photo(tinaAgain));
    assert.equal(res.statusCode, 200, res.body.slice(0, 300));
    assert.equal(res.json().data.person, persons['Tina Fey']);
    assert.equal(validation.person, persons['Tina Fey']);
  });
});

// The same issue with several templates: a stranger needs only one of an enrolled person's photos to resemble them.
// Victoria Beckham is enrolled with three dim photos (`facegate degrade --condition dim --seed 1`); a dim photo of
// Halle Berry, a look-alike never enrolled, is at raw cosine 0.48 to one of them (score 0.87) and 0.07 and 0.24 to
// the others. The best template alone would let her in; blended with the second best (match-similarity.ts) it does
// not, and 1:1 the compare rule refuses the two dim faces. A well-lit photo of Victoria Beckham logs her in.
const lookAlike = 'halle_berry/002.jpg';
const victoria = ['victoria_beckham/002.jpg', 'victoria_beckham/003.jpg', 'victoria_beckham/005.jpg'];
/** Not enrolled; as the dev set holds it (embedding length 3.67), raw cosine 0.57 and 0.54 to her two closest. */
const victoriaLit = 'victoria_beckham/001.jpg';

describe('a look-alike of one of an enrolled person’s photos (#11)', { skip: evalDataSkip() }, () => {
  let o: Office;
  let personId: string;
  const photo = (rel: string) => o.photo(rel);
  const post = (path: string, body: unknown) => o.post(path, body);

  before(async () => {
    o = await office('dim', [lookAlike, ...victoria]);
    personId = await o.enrol('Victoria Beckham', victoria);
  });
  after(() => o?.close());

  test('1:1 /compare against the one photo she resembles refuses the look-alike', async () => {
    // Raw cosine 0.48 (score 0.87 under the old fixed calibration); both are dim faces (lengths 2.84 and 2.75).
    const res = (await post('compare', { probe: [photo(lookAlike)], gallery: [photo(victoria[0]!)] })).json();
    assert.equal(res.data.passed, false, `score ${res.data.score}`);
  });

  test('against the person, she is nobody: /search, /verify and login', async () => {
    const found = await post('search', { images: [photo(lookAlike)], min_score: 0.85 });
    assert.equal(found.statusCode, 200, found.body.slice(0, 300));
    assert.deepEqual(found.json().data, []);
    const verified = await post('verify', { id: personId, images: [photo(lookAlike)] });
    assert.equal(verified.json().data.match.passed, false, verified.body);
    const { res } = await o.login('visitor', photo(lookAlike));
    assert.equal(res.statusCode, 404, res.body.slice(0, 300));
    assert.deepEqual(errorOf(res), { code: 'person_not_found', message: 'person_not_found' });
  });

  test('a well-lit photo of the enrolled person logs her in', async () => {
    // In a collection this small her own dim photos are refused as well (the recogniser's doubt about two dim
    // faces, lengths 2.5-2.8, is a floor there: README); the dev set's original of a photo not enrolled is not dim.
    const daylight = readFileSync(join(evalDataDir, 'identity', victoriaLit)).toString('base64');
    const { res } = await o.login('victoria', daylight);
    assert.equal(res.statusCode, 200, res.body.slice(0, 300));
    assert.equal(res.json().data.person, personId);
  });
});

// A small office: one person enrolled, so no cohort to show how far a dark webcam probe's similarities have risen.
// Tina Fey is enrolled with three webcam photos (`facegate degrade --condition webcam --seed 1`); Angelina Jolie's
// webcam photo is at a fused raw cosine of 0.46 to them, above the old fixed 0.45. The recogniser's doubt about the
// faces (their embedding lengths, the floor of match-similarity.ts in a collection this small) refuses her, and
// another webcam photo of Tina Fey (0.68 after the floor) still logs her in.
const officeStranger = 'angelina_jolie/006.jpg';
const tinaEnrolled = ['tina_fey/001.jpg', 'tina_fey/002.jpg', 'tina_fey/003.jpg'];

describe('a stranger to a one-person collection, on a webcam (#11)', { skip: evalDataSkip() }, () => {
  let o: Office;
  let personId: string;
  const photo = (rel: string) => o.photo(rel);
  const post = (path: string, body: unknown) => o.post(path, body);

  before(async () => {
    o = await office('webcam', [officeStranger, tinaAgain, ...tinaEnrolled]);
    personId = await o.enrol('Tina Fey', tinaEnrolled);
  });
  after(() => o?.close());

  test('the stranger is nobody: login, /search and /verify', async () => {
    const { res } = await o.login('visitor', photo(officeStranger));
    assert.equal(res.statusCode, 404, res.body.slice(0, 300));
    assert.deepEqual(errorOf(res), { code: 'person_not_found', message: 'person_not_found' });
    const found = await post('search', { images: [photo(officeStranger)], min_score: 0.85 });
    assert.equal(found.statusCode, 200, found.body.slice(0, 300));
    assert.deepEqual(found.json().data, []);
    const verified = await post('verify', { id: personId, images: [photo(officeStranger)] });
    assert.equal(verified.json().data.match.passed, false, verified.body);
  });

  test('another webcam photo of the enrolled person logs her in', async () => {
    const { res } = await o.login('tina', photo(tinaAgain));
    assert.equal(res.statusCode, 200, res.body.slice(0, 300));
    assert.equal(res.json().data.person, personId);
  });
});
