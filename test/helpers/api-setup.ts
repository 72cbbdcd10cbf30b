import assert from 'node:assert/strict';
import type { TestApp } from './app.js';

/**
 * A project with one login flow, made through the API as an integrator makes it, and the collection the project's
 * validations search (its first). `flow` adds to or overrides the flow's body.
 */
export async function loginProject(t: TestApp, token: string, flow: Record<string, unknown> = {}) {
  const project = await t.request('POST', '/v2/projects', { token, body: { name: 'Shop' } });
  assert.equal(project.statusCode, 200, project.body);
  const projectId = project.json().data._id as string;
  const created = await t.request('POST', '/v2/project-flows', {
    token,
    body: {
      project: projectId,
      type: 'login',
      redirectUrl: 'https://shop.example/done',
      loginSettings: { livenessMode: 'passive' },
      ...flow,
    },
  });
  assert.equal(created.statusCode, 200, created.body);
  const collections = await t.request('GET', `/v2/face-recognition/collections?where_project=${projectId}`, { token });
  return {
    project: projectId,
    flow: created.json().data._id as string,
    collection: collections.json().data[0] as { _id: string; code: string },
  };
}

/** A person enrolled through the API with the given photos (base64) in the collection (its code or id). */
export async function enrolPerson(
  t: TestApp,
  token: string,
  collection: string,
  name: string,
  images: readonly string[],
): Promise<string> {
  const res = await t.request('POST', '/v2/face-recognition/persons', {
    token,
    body: { name, images, collections: [collection] },
  });
  assert.equal(res.statusCode, 200, res.body);
  return res.json().data._id as string;
}
