import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { type App, buildApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { packageRoot } from '../../src/package-root.js';
import { face } from '../helpers/faces.js';

// The real server for the hosted-page tests: the composition root with the real engine and SQLite, listening on a
// free localhost port, plus the calls an integrator makes to set a project up.

export const artifactsDir = join(packageRoot, 'test-artifacts', 'hosted-page');

export interface Server {
  app: App;
  base: string;
  dir: string;
  token: string;
  clientId: string;
  call<T = any>(method: string, path: string, body?: unknown, token?: string): Promise<{ status: number; body: T }>;
  close(): Promise<void>;
}

/** `env`: more settings (an SMTP server for the code steps, say). */
export async function startServer(env: Record<string, string> = {}): Promise<Server> {
  const dir = mkdtempSync(join(tmpdir(), 'facegate-web-'));
  mkdirSync(artifactsDir, { recursive: true });
  const config = loadConfig({
    FACEGATE_DATA_DIR: dir,
    FACEGATE_LOG_LEVEL: 'warn',
    FACEGATE_HOST: '127.0.0.1',
    FACEGATE_PORT: '8080',
    ...(process.env['FACEGATE_MODELS_DIR'] ? { FACEGATE_MODELS_DIR: process.env['FACEGATE_MODELS_DIR'] } : {}),
    ...env,
  });
  const app = await buildApp(config, { logger: false });
  await app.warmUp();
  const address = await app.http.listen({ port: 0, host: '127.0.0.1' });
  const base = address.replace('[::1]', '127.0.0.1');
  const { client, token } = await app.services.clients.create({ name: 'acme' });
  const call: Server['call'] = async (method, path, body, bearer = token.token) => {
    const headers: Record<string, string> = {};
    if (bearer) headers['authorization'] = `Bearer ${bearer}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(`${base}${path}`, {
      method,
      headers,
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    return { status: res.status, body: (await res.json().catch(() => null)) as any };
  };
  return {
    app,
    base,
    dir,
    token: token.token,
    clientId: client._id,
    call,
    async close() {
      await app.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export const REDIRECT = 'https://app.acme.test/callback';

export interface ProjectSetup {
  projectId: string;
  loginFlowId: string;
  onboardingFlowId: string | null;
  collectionId: string;
}

/**
 * A branded project with an active login flow and optionally an onboarding flow. `livenessMode` is sent only when
 * given: without it the flow gets the server's default (active liveness since issue #10), so a test of passive
 * behaviour names `'passive'`.
 */
export async function createProject(
  s: Server,
  options: { name: string; livenessMode?: 'passive' | 'active'; onboarding?: boolean; livenessMinScore?: number },
): Promise<ProjectSetup> {
  const project = await s.call('POST', '/v2/projects', {
    name: options.name,
    privacyUrl: 'https://acme.test/privacy',
    termsAndConditionsUrl: 'https://acme.test/terms',
    branding: { bgColor: '#f4f1ea', borderColor: '#0b4f8a', titleColor: '#0b2f52', txtColor: '#1d232b' },
  });
  if (project.status !== 200) throw new Error(`project: ${JSON.stringify(project.body)}`);
  const projectId: string = project.body.data._id;
  const flow = async (type: 'login' | 'onboarding') => {
    const r = await s.call('POST', '/v2/project-flows', {
      project: projectId,
      type,
      status: 'active',
      redirectUrl: REDIRECT,
      loginSettings: {
        livenessMinScore: options.livenessMinScore ?? 0.51,
        ...(options.livenessMode ? { livenessMode: options.livenessMode } : {}),
      },
      onboardingSettings: { liveness: { livenessMinScore: options.livenessMinScore ?? 0.51 } },
    });
    if (r.status !== 200) throw new Error(`flow: ${JSON.stringify(r.body)}`);
    return r.body.data._id as string;
  };
  const loginFlowId = await flow('login');
  const onboardingFlowId = options.onboarding ? await flow('onboarding') : null;
  const collection = await s.app.store.collections.findOne(s.clientId, { project: projectId });
  if (!collection) throw new Error('no default collection');
  return { projectId, loginFlowId, onboardingFlowId, collectionId: collection._id };
}

/** Enrols a fixture photo (by name) or the given image bytes (one image or several), as base64. */
export async function enrol(
  s: Server,
  collectionId: string,
  name: string,
  photo: string | Buffer | readonly Buffer[],
): Promise<string> {
  const photos =
    typeof photo === 'string'
      ? [face(photo)]
      : (Buffer.isBuffer(photo) ? [photo] : photo).map((p) => p.toString('base64'));
  const r = await s.call('POST', '/v2/face-recognition/persons', {
    name,
    images: photos,
    collections: [collectionId],
  });
  if (r.status !== 200) throw new Error(`enrol: ${JSON.stringify(r.body)}`);
  return r.body.data._id;
}

/**
 * Issue #12: the page opens on a get-ready screen (what will happen, what is kept); the person presses Start, and
 * only then is the camera asked for.
 */
export async function pressStart(page: Page): Promise<void> {
  await page.waitForFunction(() => document.getElementById('main')?.dataset['state'] === 'get-ready');
  await page.click('#primary');
}
