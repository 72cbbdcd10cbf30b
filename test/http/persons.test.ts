import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { faces } from '../helpers/faces.js';
import { storeKinds } from '../helpers/stores.js';

// Persons and 1:N search with the real face engine and fixture photos, on every store.

for (const kind of storeKinds) {
  describe(`persons and search over HTTP (${kind.name})`, { skip: kind.skip }, () => {
    let t: TestApp;
    let acme: { id: string; token: string };
    let other: { id: string; token: string };
    let staff: { _id: string; code: string };
    let guests: { _id: string; code: string };
    let obama: { _id: string };

    const post = (path: string, body: unknown, token = acme.token) =>
      t.request('POST', `/v2/face-recognition/${path}`, { token, body });
    const search = async (image: string, collection: string, token = acme.token, min_score = 0.5) =>
      (await post('search', { images: [image], collection_id: collection, min_score }, token)).json();

    before(async () => {
      t = await startTestApp(kind, { env: { FACEGATE_ENGINE_WORKERS: '1' } });
      acme = await t.newClient('acme');
      other = await t.newClient('other');
      staff = (await post('collections', { name: 'staff' })).json().data;
      guests = (await post('collections', { name: 'guests' })).json().data;
    });
    after(() => t?.close());

    test('enrol a person with two photos: thumbnails and collections, never a template', async () => {
      const res = await post('persons', {
        name: 'Barack Obama',
        date_of_birth: '1961-08-04',
        gender: 'M',
        images: [faces.obama1(), `data:image/jpeg;base64,${faces.obama2()}`],
        collections: [staff.code, guests._id],
      });
      assert.equal(res.statusCode, 200, res.body.slice(0, 200));
      const body = res.json();
      assert.match(body.id, /^[A-Z0-9]{5}$/);
      assert.match(body.signature.message, /Facegate/);
      obama = body.data;
      assert.equal(body.data.name, 'Barack Obama');
      assert.equal(body.data.thumbnails.length, 2);
      assert.ok(
        Buffer.from(body.data.thumbnails[0].thumbnail, 'base64')
          .subarray(0, 2)
          .equals(Buffer.from([0xff, 0xd8])),
      );
      assert.deepEqual(
        // Verifik's shape: the collections' ids (#13).
        [...body.data.collections].sort(),
        [staff._id, guests._id].sort(),
      );
      assert.doesNotMatch(res.body, /template|embedding|faceEncodings/i);
    });

    test('the same name and date of birth in the collection is refused with the existing person', async () => {
      const res = await post('persons', {
        name: 'barack  obama',
        date_of_birth: '1961-08-04',
        images: [faces.obama2()],
        collections: [staff._id],
      });
      assert.equal(res.statusCode, 412);
      assert.equal(res.json().message, 'person_already_set');
      assert.equal(res.json().data._id, obama._id);
    });

    test('photos the engine cannot use are refused with their codes, and nothing is created', async () => {
      const before = (await t.request('GET', '/v2/face-recognition/persons', { token: acme.token })).json().total;
      const cases: Array<[string, number, string]> = [
        [faces.cat(), 412, 'no_face_detected'],
        [faces.twoPeople(), 412, 'multiple_faces'],
        [Buffer.from('definitely not an image '.repeat(10)).toString('base64'), 409, 'invalid_image'],
        ['abc', 412, 'ERROR'],
      ];
      for (const [image, status, code] of cases) {
        const res = await post('persons', { name: 'Nobody', images: [image], collections: [staff._id] });
        assert.equal(res.statusCode, status, code);
        assert.equal(res.json().code, code);
      }
      assert.equal(
        (await post('persons', { name: 'x', images: [faces.biden()], collections: ['no-such'] })).statusCode,
        404,
      );
      assert.equal(
        (await t.request('GET', '/v2/face-recognition/persons', { token: acme.token })).json().total,
        before,
      );
    });

    test('search finds the enrolled person from another photo, and not from a stranger', async () => {
      await post('persons', { name: 'Joe Biden', images: [faces.biden()], collections: [staff._id] });
      const hits = await search(faces.obama2(), staff.code);
      assert.equal(hits.data[0].name, 'Barack Obama');
      assert.equal(hits.data[0].id, obama._id);
      assert.ok(hits.data[0].score >= 0.85, `score ${hits.data[0].score}`);
      assert.deepEqual(Object.keys(hits.data[0]).sort(), [
        '_id',
        'collections',
        'date_of_birth',
        'gender',
        'id',
        'name',
        'nationality',
        'score',
        'thumbnails',
      ]);
      const stranger = await search(faces.angelina1(), staff.code, acme.token, 0.85);
      assert.deepEqual(stranger.data, []);
      const verify = (await post('verify', { id: obama._id, images: [faces.obama2()] })).json().data.match;
      assert.equal(verify.passed, true);
      const wrong = (await post('verify', { id: obama._id, images: [faces.biden()] })).json().data.match;
      assert.equal(wrong.passed, false);
    });

    test("another tenant can neither see nor search this tenant's persons", async () => {
      assert.equal(
        (await t.request('GET', `/v2/face-recognition/persons/${obama._id}`, { token: other.token })).statusCode,
        404,
      );
      const res = await post('search', { images: [faces.obama2()], collection_id: staff.code }, other.token);
      assert.equal(res.statusCode, 404);
      assert.equal(res.json().message, 'invalid_collection');
      const everywhere = await post('search', { images: [faces.obama2()], min_score: 0.2 }, other.token);
      assert.deepEqual(everywhere.json().data, []);
      assert.equal((await post('verify', { id: obama._id, images: [faces.obama2()] }, other.token)).statusCode, 404);
      assert.equal(
        (await t.request('DELETE', `/v2/face-recognition/persons/${obama._id}`, { token: other.token })).statusCode,
        404,
      );
    });

    test('lookup by name and update of name, date of birth and collections', async () => {
      const found = (
        await t.request('GET', '/v2/face-recognition/persons/lookup?name=obam4a', { token: acme.token })
      ).json();
      assert.equal(found.total, 1);
      const res = await t.request('PUT', `/v2/face-recognition/persons/${obama._id}`, {
        token: acme.token,
        body: { notes: 'vip', collections: [staff._id] },
      });
      assert.equal(res.statusCode, 200);
      assert.equal(res.json().data.notes, 'vip');
      assert.deepEqual(res.json().data.collections, [staff._id]);
      assert.deepEqual((await search(faces.obama2(), guests._id)).data, []);
      assert.equal((await search(faces.obama2(), staff._id)).data[0].name, 'Barack Obama');
    });

    test('enrolling with liveness refuses a face already in the collection', async () => {
      const res = await post('persons/search-live-face', {
        name: 'Obama again',
        images: [faces.obama2()],
        collection_id: staff.code,
        os: 'DESKTOP',
      });
      assert.equal(res.statusCode, 409);
      assert.equal(res.json().message, '409:duplicated_person');
      const ok = await post('persons/search-live-face', {
        name: 'Angelina',
        images: [faces.angelina1()],
        collection_id: staff.code,
      });
      assert.equal(ok.statusCode, 200, ok.body.slice(0, 200));
      const live = (
        await post('search-live-face', { image: faces.angelina2(), os: 'IOS', collection_id: staff.code })
      ).json().data;
      assert.equal(live.liveness.passed, true);
      assert.equal(live.search[0].name, 'Angelina');
    });

    test('deleting a collection deletes the persons only it held, and keeps those also elsewhere', async () => {
      const temp = (await post('collections', { name: 'temporary' })).json().data;
      const only = (
        await post('persons', { name: 'Only Here', images: [faces.angelina1()], collections: [temp._id] })
      ).json().data;
      const shared = (
        await post('persons', { name: 'Also Staff', images: [faces.biden()], collections: [temp._id, staff._id] })
      ).json().data;
      const res = await t.request('DELETE', `/v2/face-recognition/collections/${temp.code}`, { token: acme.token });
      assert.equal(res.statusCode, 200);
      assert.equal(
        (await t.request('GET', `/v2/face-recognition/persons/${only._id}`, { token: acme.token })).statusCode,
        404,
      );
      const kept = (await t.request('GET', `/v2/face-recognition/persons/${shared._id}`, { token: acme.token })).json()
        .data;
      assert.deepEqual(kept.collections, [staff._id]);
      assert.equal((await search(faces.angelina1(), temp._id)).code, 'ERROR');
      await t.request('DELETE', `/v2/face-recognition/persons/${shared._id}`, { token: acme.token });
    });

    test('a deleted person is never found again, from the moment the delete answers', async () => {
      const p = (
        await post('persons', { name: 'Temp', images: [faces.angelina2()], collections: [guests._id, staff._id] })
      ).json().data;
      const partial = await t.request('DELETE', `/v2/face-recognition/persons/${p._id}?collection=${guests.code}`, {
        token: acme.token,
      });
      assert.equal(partial.statusCode, 200);
      assert.deepEqual((await search(faces.angelina2(), guests._id, acme.token, 0.85)).data, []);
      assert.equal(
        (await t.request('GET', `/v2/face-recognition/persons/${p._id}`, { token: acme.token })).statusCode,
        200,
      );
      const del = await t.request('DELETE', `/v2/face-recognition/persons/${p._id}`, { token: acme.token });
      assert.equal(del.statusCode, 200);
      const after = await search(faces.angelina2(), staff._id, acme.token, 0.2);
      assert.equal(
        after.data.some((h: { id: string }) => h.id === p._id),
        false,
      );
      assert.equal(
        (await t.request('GET', `/v2/face-recognition/persons/${p._id}`, { token: acme.token })).statusCode,
        404,
      );
    });
  });
}
