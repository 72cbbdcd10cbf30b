import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import { openServices } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { emptyListQuery } from '../../src/domain/list-query.js';
import { packageRoot } from '../../src/package-root.js';

// `facegate persons import` as a user runs it: a folder per person, run twice, with photos it must refuse.

const run = promisify(execFile);
const bin = join(packageRoot, 'bin', 'facegate.js');
const fixture = (n: string) => join(packageRoot, 'test', 'fixtures', 'faces', `${n}.jpg`);

describe('facegate persons import', () => {
  let root: string;
  let env: NodeJS.ProcessEnv;
  let code: string;

  before(async () => {
    root = mkdtempSync(join(tmpdir(), 'facegate-import-'));
    env = {
      ...process.env,
      FACEGATE_DATA_DIR: join(root, 'data'),
      FACEGATE_LOG_LEVEL: 'silent',
      FACEGATE_ENGINE_WORKERS: '1',
    };
    delete env['FACEGATE_DATABASE_URL'];
    const people: Record<string, string[]> = {
      'Barack Obama': ['obama-1', 'obama-2'],
      'Joe Biden': ['biden-1'],
      'A Cat': ['cat-no-face'],
      Crowd: ['two-people'],
    };
    for (const [name, photos] of Object.entries(people)) {
      mkdirSync(join(root, 'people', name), { recursive: true });
      for (const p of photos) copyFileSync(fixture(p), join(root, 'people', name, `${p}.jpg`));
    }
    writeFileSync(join(root, 'people', 'Joe Biden', 'notes.txt'), 'not a photo');
    const config = loadConfig(env);
    const { services, close } = await openServices(config);
    const { client } = await services.clients.create({ name: 'importer' });
    code = (await services.collections.create(client._id, { name: 'staff', description: null, project: null })).code;
    await close();
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  test('enrols each usable folder once, says why the others were refused, and resumes without duplicates', async () => {
    const args = [bin, 'persons', 'import', '--collection', code, '--dir', join(root, 'people'), '--json'];
    const first = JSON.parse((await run(process.execPath, args, { env })).stdout);
    assert.equal(first.enrolled, 2);
    assert.equal(first.rejectedPersons, 2);
    assert.deepEqual(first.rejectedImages.map((r: { reason: string }) => r.reason).sort(), [
      'multiple_faces',
      'no_face_detected',
    ]);
    const second = JSON.parse((await run(process.execPath, args, { env })).stdout);
    assert.equal(second.enrolled, 0);
    assert.equal(second.skipped, 2);

    const { store, close } = await openServices(loadConfig(env));
    try {
      const persons = await store.persons.list(null, emptyListQuery());
      assert.deepEqual(persons.items.map((p) => p.name).sort(), ['Barack Obama', 'Joe Biden']);
      const obama = persons.items.find((p) => p.name === 'Barack Obama');
      assert.equal((await store.faceData.templatesOf(obama?.client ?? '', [obama?._id ?? ''])).length, 2);
    } finally {
      await close();
    }
  });
});
