import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, extname, join, resolve } from 'node:path';
import { SingleBar } from 'cli-progress';
import { openServices } from '../app.js';
import { loadConfig } from '../config.js';
import type { Collection } from '../domain/collection.js';
import { isObjectId } from '../domain/object-id.js';
import { isAppError, wireMessage } from '../errors.js';
import type { FaceSample } from '../ports/face-engine.js';
import { parseCommandArgs } from './args.js';
import { operator, refusal } from './operator.js';

// `facegate persons import --collection ID --dir DIR`: one folder per person, the folder's name is the person's
// name, up to three photos each. Running it again enrols nobody twice: a folder whose person already exists in
// the collection (same name, imported before) is skipped, so an interrupted import resumes where it stopped.

const USAGE =
  'usage: facegate persons import --collection ID|CODE --dir DIR [--json]\n' +
  '       facegate persons delete --id PERSON_ID [--collection ID|CODE] --yes';
const IMAGE = new Set(['.jpg', '.jpeg', '.png', '.webp']);
const MAX_IMAGES = 3;

interface Rejection {
  file: string;
  reason: string;
}

export async function personsCommand(argv: string[]): Promise<number | undefined> {
  const [sub, ...rest] = argv;
  if (sub === 'delete') return deletePerson(rest);
  if (sub !== 'import') {
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }
  const { values } = parseCommandArgs(rest, {
    collection: { type: 'string' },
    dir: { type: 'string' },
    json: { type: 'boolean' },
  });
  const ref = values['collection'];
  const dirArg = values['dir'];
  if (typeof ref !== 'string' || typeof dirArg !== 'string') {
    process.stderr.write(`facegate persons import: --collection and --dir are required\n${USAGE}\n`);
    return 2;
  }
  const dir = resolve(dirArg);
  const folders = readdirSync(dir)
    .filter((name) => statSync(join(dir, name)).isDirectory())
    .sort();

  const { store, services, close } = await openServices(loadConfig());
  try {
    const collection: Collection | undefined = isObjectId(ref)
      ? await store.collections.findById(null, ref)
      : await store.collections.findOne(null, { code: ref });
    if (!collection) {
      process.stderr.write(`facegate persons import: no collection ${ref}\n`);
      return 2;
    }
    const clientId = collection.client;
    const summary = { enrolled: 0, skipped: 0, rejectedPersons: 0, rejectedImages: [] as Rejection[] };
    const bar =
      process.stderr.isTTY && !values['json']
        ? new SingleBar({ format: ' {bar} {value}/{total} persons | {eta_formatted} left' })
        : undefined;
    bar?.start(folders.length, 0);

    const importOne = async (name: string) => {
      const identifier = `import:${name}`;
      const existing = await store.persons.findOne(clientId, { identifier });
      if (
        existing &&
        (await store.faceData.collectionsOf(clientId, [existing._id])).some((m) => m.collectionId === collection._id)
      ) {
        summary.skipped++;
        return;
      }
      const files = readdirSync(join(dir, name))
        .filter((f) => IMAGE.has(extname(f).toLowerCase()))
        .sort();
      const samples: FaceSample[] = [];
      for (const [i, f] of files.entries()) {
        if (samples.length === MAX_IMAGES) {
          summary.rejectedImages.push({
            file: name,
            reason: `${files.length - i} more photos not used (at most ${MAX_IMAGES})`,
          });
          break;
        }
        try {
          samples.push(await services.engine.analyse(readFileSync(join(dir, name, f)), { thumbnail: true }));
        } catch (err) {
          if (!isAppError(err)) throw err;
          summary.rejectedImages.push({ file: join(name, f), reason: err.code });
        }
      }
      if (samples.length === 0) {
        summary.rejectedPersons++;
        return;
      }
      try {
        await services.persons.enrol(
          clientId,
          { name, identifier, collections: [collection._id] },
          samples,
          operator(),
        );
        summary.enrolled++;
      } catch (err) {
        if (!isAppError(err)) throw err;
        summary.rejectedPersons++;
        summary.rejectedImages.push({ file: name, reason: wireMessage(err) });
      }
    };

    // As many persons in flight as the engine has workers, so both cores stay busy.
    const queue = [...folders];
    const t0 = performance.now();
    await Promise.all(
      Array.from({ length: Math.max(1, loadConfig().engineWorkers * 2) }, async () => {
        for (let name = queue.shift(); name !== undefined; name = queue.shift()) {
          await importOne(name);
          bar?.increment();
        }
      }),
    );
    bar?.stop();
    const seconds = (performance.now() - t0) / 1000;
    if (values['json']) {
      process.stdout.write(`${JSON.stringify({ ...summary, seconds: Math.round(seconds * 10) / 10 })}\n`);
    } else {
      process.stdout.write(
        `enrolled ${summary.enrolled}, already there ${summary.skipped}, rejected ${summary.rejectedPersons} ` +
          `(${folders.length} folders in ${seconds.toFixed(1)} s) into ${basename(collection.name)}\n`,
      );
      for (const r of summary.rejectedImages) process.stdout.write(`  rejected ${r.file}: ${r.reason}\n`);
    }
    return 0;
  } finally {
    await close();
  }
}

/**
 * Deletes a person with its templates and thumbnails (the search index forgets it), or with --collection removes
 * it from that collection only, as `DELETE /v2/face-recognition/persons/:id` does; recorded in the audit log.
 */
async function deletePerson(argv: string[]): Promise<number> {
  const { values } = parseCommandArgs(argv, {
    id: { type: 'string' },
    collection: { type: 'string' },
    yes: { type: 'boolean' },
  });
  const id = values['id'];
  if (typeof id !== 'string' || !values['yes']) {
    process.stderr.write(
      `facegate persons delete: --id and --yes are required (this deletes the person's face data)\n${USAGE}\n`,
    );
    return 2;
  }
  const collection = typeof values['collection'] === 'string' ? values['collection'] : undefined;
  const { store, services, close } = await openServices(loadConfig());
  try {
    const person = await store.persons.findById(null, id);
    if (!person) {
      process.stderr.write(`facegate persons delete: no person ${id}\n`);
      return 2;
    }
    try {
      const done = await services.persons.delete(person.client, id, collection, operator());
      process.stdout.write(
        done.deleted
          ? `deleted person ${id} (${person.name}) with its templates and thumbnails\n`
          : `removed person ${id} (${person.name}) from collection ${collection}\n`,
      );
      return 0;
    } catch (err) {
      process.stderr.write(`facegate persons delete: ${refusal(err)}\n`);
      return 2;
    }
  } finally {
    await close();
  }
}
