import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { errorOf, startTestApp, type TestApp } from '../helpers/app.js';
import { faces } from '../helpers/faces.js';
import { sqliteKind } from '../helpers/stores.js';

// Issue #13: a create or update body's key is kept, or refused with 409 naming it; never silently dropped. The keys
// Verifik documents for a resource that Facegate does not implement are accepted (Verifik's clients send them) and
// not stored, as the README says. Sent with Verifik's client's headers.

const json = { 'content-type': 'application/json' };

describe('create and update bodies: kept, refused naming the key, or a documented Verifik key ignored (#13)', () => {
  let t: TestApp;
  let acme: { id: string; token: string };
  let project: { _id: string };
  let flow: { _id: string };
  let collection: { _id: string; code: string };

  const call = (method: 'GET' | 'POST' | 'PUT', url: string, body?: unknown) =>
    t.request(method, url, { token: acme.token, headers: json, ...(body !== undefined ? { body } : {}) });
  const refused = async (method: 'POST' | 'PUT', url: string, body: unknown, key: string) => {
    const res = await call(method, url, body);
    assert.equal(res.statusCode, 409, `${method} ${url}: ${res.body}`);
    assert.deepEqual(errorOf(res), { code: 'MissingParameter', message: `"${key}" is not allowed` });
  };

  before(async () => {
    t = await startTestApp(sqliteKind, { env: { FACEGATE_ENGINE_WORKERS: '1' } });
    acme = await t.newClient('acme');
    project = (await call('POST', '/v2/projects', { name: 'Shop' })).json().data;
    flow = (await call('POST', '/v2/project-flows', { project: project._id, type: 'login' })).json().data;
    collection = (await call('POST', '/v2/face-recognition/collections', { name: 'staff' })).json().data;
  });
  after(() => t?.close());

  test('projects: an unknown key is a 409 naming it; Verifik’s client and type are accepted, not stored', async () => {
    await refused('POST', '/v2/projects', { name: 'Shop', colour: 'blue' }, 'colour');
    await refused('PUT', `/v2/projects/${project._id}`, { contactEmails: 'a@shop.example' }, 'contactEmails');

    const other = await t.newClient('other');
    const res = await call('POST', '/v2/projects', { name: 'Kiosk', client: other.id, type: 'biometrics' });
    assert.equal(res.statusCode, 200, res.body);
    const created = res.json().data;
    assert.equal(created.client, acme.id, 'the owner is the token’s client, never the body’s');
    assert.equal('type' in created, false);
    const put = await call('PUT', `/v2/projects/${created._id}`, { type: 'other', name: 'Kiosk 2' });
    assert.equal(put.statusCode, 200, put.body);
    // The stored document, since the response schema would hide a stored key anyway.
    const stored = await t.app.store.projects.findById(acme.id, created._id);
    assert.equal(stored?.name, 'Kiosk 2');
    assert.equal(stored?.client, acme.id);
    assert.equal(stored && 'type' in stored, false);
  });

  test('project flows: unknown keys refused at the top and in onboardingSettings; Verifik’s others ignored', async () => {
    await refused('POST', '/v2/project-flows', { project: project._id, type: 'login', colour: 1 }, 'colour');
    await refused('PUT', `/v2/project-flows/${flow._id}`, { sessionMinute: 5 }, 'sessionMinute');
    await refused(
      'PUT',
      `/v2/project-flows/${flow._id}`,
      { onboardingSettings: { livenes: { livenessMinScore: 0.7 } } },
      'onboardingSettings.livenes',
    );

    // What Verifik documents for a flow (§4.3) and Facegate does not implement.
    const verifikOnly = {
      target: 'personal',
      identityUrl: 'https://shop.example/identity',
      security: { strategy: 'whitelist', source: 'API', apiUrl: 'https://shop.example/allowed' },
      usesWhiteList: true,
      whiteList: [{ name: 'Ada', email: 'ada@shop.example', phone: '5550100', countryCode: '+1' }],
      emailTemplates: { en: { subject: 'Hi', message: 'Log in', greeting: 'Hello' } },
      emailTemplateDesign: 'standard',
      allowedCountries: ['Colombia'],
      webAuthN: false,
    };
    const res = await call('POST', '/v2/project-flows', {
      project: project._id,
      type: 'onboarding',
      maxAttempts: 4,
      ...verifikOnly,
      onboardingSettings: {
        liveness: { livenessMinScore: 0.7 },
        steps: { signUpForm: 'mandatory', liveness: 'mandatory' },
        signUpForm: { fullName: true, email: true },
      },
    });
    assert.equal(res.statusCode, 200, res.body);
    const created = res.json().data;
    assert.equal(created.maxAttempts, 4);
    assert.equal(created.onboardingSettings.liveness.livenessMinScore, 0.7);
    const stored = async () => {
      const doc = await t.app.store.projectFlows.findById(acme.id, created._id);
      assert.ok(doc);
      return doc as unknown as Record<string, unknown> & { onboardingSettings: object };
    };
    for (const key of Object.keys(verifikOnly)) assert.equal(key in (await stored()), false, key);
    assert.deepEqual(Object.keys((await stored()).onboardingSettings), ['liveness']);

    const put = await call('PUT', `/v2/project-flows/${created._id}`, {
      usesWhiteList: false,
      sessionMinutes: 6,
      onboardingSettings: { document: { includeOCR: true } },
    });
    assert.equal(put.statusCode, 200, put.body);
    assert.equal(put.json().data.sessionMinutes, 6);
    assert.equal(put.json().data.onboardingSettings.liveness.livenessMinScore, 0.7, 'an ignored key resets nothing');
    assert.equal('usesWhiteList' in (await stored()), false);
    assert.deepEqual(Object.keys((await stored()).onboardingSettings), ['liveness']);
  });

  test('collections: an unknown key is a 409 naming it; Verifik’s people on update is accepted, not acted on', async () => {
    await refused('POST', '/v2/face-recognition/collections', { name: 'visitors', colour: 'red' }, 'colour');
    await refused('PUT', `/v2/face-recognition/collections/${collection._id}`, { nam: 'x' }, 'nam');
    const res = await call('PUT', `/v2/face-recognition/collections/${collection.code}`, {
      name: 'staff',
      description: 'Employees',
      people: [{ _id: '665f1c2e9b1d4a3f8c2e7a14' }],
    });
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.json().data.description, 'Employees');
    const stored = await t.app.store.collections.findById(acme.id, collection._id);
    assert.equal(stored && 'people' in stored, false);
  });

  test('persons: every key Verifik documents is kept; another is a 409 naming it, before any face work', async () => {
    const images = [faces.angelina1()];
    await refused(
      'POST',
      '/v2/face-recognition/persons',
      { name: 'Ada', images, collections: [collection._id], nickname: 'A' },
      'nickname',
    );
    await refused(
      'POST',
      '/v2/face-recognition/persons/search-live-face',
      { name: 'Ada', images, collection_id: collection._id, nickname: 'A' },
      'nickname',
    );
    // What Verifik's client sends to create a person (its CreatePersonPayload), every documented field.
    const res = await call('POST', '/v2/face-recognition/persons', {
      name: 'Angelina Jolie',
      images,
      gender: 'F',
      date_of_birth: '1975-06-04',
      collections: [collection.code],
      nationality: 'American',
      email: 'angelina@shop.example',
      phone: '+15550100',
      notes: 'enrolled at the desk',
    });
    assert.equal(res.statusCode, 200, res.body);
    const person = res.json().data;
    assert.equal(person.phone, '+15550100');
    assert.equal(person.notes, 'enrolled at the desk');
    assert.deepEqual(person.collections, [collection._id]);
    // Verifik's update takes no new photos: saying so beats ignoring them.
    await refused('PUT', `/v2/face-recognition/persons/${person._id}`, { images }, 'images');
    const put = await call('PUT', `/v2/face-recognition/persons/${person._id}`, {
      name: 'Angelina Jolie',
      gender: 'F',
      date_of_birth: '1975-06-04',
      nationality: 'American',
      collections: [collection._id],
      notes: 'VIP',
    });
    assert.equal(put.statusCode, 200, put.body);
    assert.equal(put.json().data.notes, 'VIP');
  });

  test('validations: every key of Verifik’s create is accepted; another is a 409 naming it', async () => {
    const body = { project: project._id, projectFlow: flow._id, identifier: 'ada@shop.example', type: 'login' };
    await refused('POST', '/v2/biometric-validations', { ...body, redirectURL: 'https://shop.example' }, 'redirectURL');
    const res = await call('POST', '/v2/biometric-validations', {
      ...body,
      expiresAt: new Date(Date.now() + 5 * 60_000).toISOString(),
      redirectUrl: 'https://shop.example/done',
      webhookUrl: 'https://shop.example/hook',
      requires2FA: false,
      ipAddress: '203.0.113.7',
      sendViaEmail: false,
      email: 'ada@shop.example',
      language: 'es',
      location: { latitude: 4.711, longitude: -74.072 },
    });
    assert.equal(res.statusCode, 200, res.body);
    const id = res.json().data.biometricValidation._id;
    const read = (await call('GET', `/v2/biometric-validations/${id}`)).json().data;
    assert.equal(read.language, 'es');
    assert.equal(read.ipAddress, '203.0.113.7');
  });
});
