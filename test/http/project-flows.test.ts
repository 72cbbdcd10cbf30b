import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { storeKinds } from '../helpers/stores.js';

for (const kind of storeKinds) {
  describe(`project flows over HTTP (${kind.name})`, { skip: kind.skip }, () => {
    let t: TestApp;
    let acme: { id: string; token: string };
    let other: { id: string; token: string };
    let project: string;
    before(async () => {
      t = await startTestApp(kind);
      acme = await t.newClient('acme');
      other = await t.newClient('other');
      project = (await t.request('POST', '/v2/projects', { token: acme.token, body: { name: 'P' } })).json().data._id;
    });
    after(() => t?.close());

    test('the hosted page opens on the get-ready screen unless the flow turns it off (#12)', async () => {
      const p = (await t.request('POST', '/v2/projects', { token: acme.token, body: { name: 'Ready' } })).json().data
        ._id;
      const f = (
        await t.request('POST', '/v2/project-flows', { token: acme.token, body: { project: p, type: 'login' } })
      ).json().data;
      const page = async () => (await t.request('GET', `/sign-in/${p}?type=liveness`)).body;
      assert.match(await page(), /<main id="main"[^>]*data-state="get-ready"/);
      const off = await t.request('PUT', `/v2/project-flows/${f._id}`, {
        token: acme.token,
        body: { loginSettings: { getReadyScreen: false } },
      });
      assert.equal(off.statusCode, 200, off.body);
      assert.equal(off.json().data.loginSettings.getReadyScreen, false);
      assert.match(await page(), /<main id="main"[^>]*data-state="starting"/);
    });

    test('a login flow gets Verifik-range defaults; settings merge on update', async () => {
      const res = await t.request('POST', '/v2/project-flows', {
        token: acme.token,
        body: { project, type: 'login', redirectUrl: 'https://app.test/done', loginSettings: { searchMode: 'FAST' } },
      });
      assert.equal(res.statusCode, 200);
      const f = res.json().data;
      assert.equal(f.status, 'active');
      assert.equal(f.sessionMinutes, 4);
      assert.equal(f.maxAttempts, 3);
      assert.deepEqual(f.loginSettings, {
        faceLiveness: true,
        livenessMinScore: 0.6,
        searchMinScore: 0.85,
        searchMode: 'FAST',
        livenessMode: 'active',
        showFaceLivenessRecommendation: false,
        getReadyScreen: true,
        // Verifik's one-time-code settings: stored and returned (#13), not acted on.
        email: false,
        emailGateway: 'none',
        phone: false,
        phoneGateway: 'none',
        steps: [],
      });
      const upd = await t.request('PUT', `/v2/project-flows/${f._id}`, {
        token: acme.token,
        body: { loginSettings: { livenessMinScore: 0.75 }, status: 'paused' },
      });
      assert.equal(upd.statusCode, 200);
      assert.equal(upd.json().data.loginSettings.livenessMinScore, 0.75);
      assert.equal(upd.json().data.loginSettings.searchMode, 'FAST');
      assert.equal(upd.json().data.loginSettings.livenessMode, 'active', 'an update keeps the stored mode');
      assert.equal(upd.json().data.status, 'paused');
      const list = (
        await t.request('GET', `/v2/project-flows?where_project=${project}&where_status=paused`, { token: acme.token })
      ).json();
      assert.deepEqual(
        list.data.map((x: { _id: string }) => x._id),
        [f._id],
      );
    });

    test('thresholds outside Verifik ranges are refused, and nothing changes', async () => {
      for (const loginSettings of [{ livenessMinScore: 0.5 }, { searchMinScore: 0.99 }, { searchMode: 'SLOW' }]) {
        const res = await t.request('POST', '/v2/project-flows', {
          token: acme.token,
          body: { project, type: 'login', loginSettings },
        });
        assert.equal(res.statusCode, 409);
        assert.equal(res.json().code, 'MissingParameter');
        assert.match(res.json().message, /loginSettings\./);
      }
      assert.match(
        (await t.request('POST', '/v2/project-flows', { token: acme.token, body: { project } })).json().message,
        /missing type/,
      );
      const f = (
        await t.request('POST', '/v2/project-flows', { token: acme.token, body: { project, type: 'onboarding' } })
      ).json().data;
      assert.equal(f.onboardingSettings.liveness.searchMinScore, 0.9);
      const bad = await t.request('PUT', `/v2/project-flows/${f._id}`, { token: acme.token, body: { maxAttempts: 0 } });
      assert.equal(bad.statusCode, 409);
      assert.equal((await t.request('GET', `/v2/project-flows/${f._id}`, { token: acme.token })).json().data.__v, 0);
    });

    test("a flow can't be attached to another tenant's project, nor read by another tenant", async () => {
      const res = await t.request('POST', '/v2/project-flows', {
        token: other.token,
        body: { project, type: 'login' },
      });
      assert.equal(res.statusCode, 404);
      const f = (
        await t.request('POST', '/v2/project-flows', { token: acme.token, body: { project, type: 'login' } })
      ).json().data;
      for (const method of ['GET', 'DELETE'] as const) {
        assert.equal((await t.request(method, `/v2/project-flows/${f._id}`, { token: other.token })).statusCode, 404);
      }
      assert.equal(
        (await t.request('PUT', `/v2/project-flows/${f._id}`, { token: other.token, body: { status: 'paused' } }))
          .statusCode,
        404,
      );
      assert.equal((await t.request('GET', '/v2/project-flows', { token: other.token })).json().total, 0);
      assert.equal((await t.request('DELETE', `/v2/project-flows/${f._id}`, { token: acme.token })).statusCode, 200);
      assert.equal((await t.request('GET', `/v2/project-flows/${f._id}`, { token: acme.token })).statusCode, 404);
    });
  });
}
