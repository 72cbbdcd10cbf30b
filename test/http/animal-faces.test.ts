import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { face, faces } from '../helpers/faces.js';
import { sqliteKind } from '../helpers/stores.js';

// Issue #11, "no face means no face", through HTTP with the real engine: a frontal kitten, which the face detector
// scores 0.999, is refused by the animal check of the pipeline wherever a face is looked for.

describe('an animal is not a face', () => {
  let t: TestApp;
  let token: string;
  const post = (path: string, body: unknown) => t.request('POST', `/v2/face-recognition/${path}`, { token, body });
  const kitten = face('kitten-frontal');

  before(async () => {
    t = await startTestApp(sqliteKind, { env: { FACEGATE_ENGINE_WORKERS: '1' } });
    token = (await t.newClient()).token;
  });
  after(() => t?.close());

  test('detect finds no face on the kitten, and still finds the person', async () => {
    const res = await post('detect', { image: kitten });
    assert.equal(res.statusCode, 200, res.body);
    assert.deepEqual(res.json().data, []);
    assert.equal((await post('detect', { image: faces.obama1() })).json().data.length, 1);
  });

  test('enrolment, search, compare and liveness answer no_face_detected, and nothing is enrolled', async () => {
    const collection = (await post('collections', { name: 'pets' })).json().data;
    const enrol = await post('persons', { name: 'Kitty', images: [kitten], collections: [collection._id] });
    assert.equal(enrol.statusCode, 412, enrol.body);
    assert.equal(enrol.json().code, 'no_face_detected');
    assert.equal((await t.request('GET', '/v2/face-recognition/persons', { token })).json().total, 0);

    const search = await post('search', { images: [kitten], collection_id: collection.code, min_score: 0.85 });
    assert.equal(search.statusCode, 412, search.body);
    assert.equal(search.json().code, 'no_face_detected');

    const compare = await post('compare', { probe: kitten, gallery: [faces.obama1()] });
    assert.equal(compare.statusCode, 412, compare.body);
    assert.equal(compare.json().code, 'no_face_detected');

    const liveness = await post('liveness', { image: kitten, os: 'DESKTOP' });
    assert.equal(liveness.statusCode, 412, liveness.body);
    assert.equal(liveness.json().code, 'no_face_detected');
  });

  test('an onboarding burst of kitten frames enrols nobody, though only some frames pay for the check', async () => {
    const project = (await t.request('POST', '/v2/projects', { token, body: { name: 'Pets' } })).json().data._id;
    const flow = await t.request('POST', '/v2/project-flows', {
      token,
      body: {
        project,
        type: 'onboarding',
        redirectUrl: 'https://pets.test/done',
        loginSettings: { livenessMode: 'passive' },
      },
    });
    assert.equal(flow.statusCode, 200, flow.body);
    const created = await t.request('POST', '/v2/biometric-validations', {
      token,
      body: { project, projectFlow: flow.json().data._id, identifier: 'kitty', type: 'onboarding' },
    });
    assert.equal(created.statusCode, 200, created.body);
    const res = await t.request('POST', '/v2/biometric-validations/validate', {
      token: created.json().data.token,
      body: { frames: Array.from({ length: 6 }, () => kitten), os: 'DESKTOP' },
    });
    assert.equal(res.statusCode, 412, res.body);
    assert.equal(res.json().code, 'no_face_detected');
    assert.equal((await t.request('GET', '/v2/face-recognition/persons', { token })).json().total, 0);
  });
});
