import { newObjectId } from '../src/domain/object-id.js';
import { startTestApp } from '../test/helpers/app.js';
import { createFakeFaceEngine } from '../test/helpers/fake-face-engine.js';
import { storeKinds } from '../test/helpers/stores.js';

// What an operator's console session costs per request beside the API token: the API token is remembered for a
// second once it authenticated (client.service.ts), while a console session re-reads its client, project and person
// on every request (so that turning consoleAccess off or deleting the operator ends it at once), and looks up
// whether its operator signed out of it (measured also with that lookup stubbed out, to see what it adds). The same request
// (GET /v2/projects?perPage=1 through inject) 2,000 times with each, twice, after a warm-up.
// `node dist/bench/console-session.bench.js [sqlite|postgres]`

const kind = storeKinds.find((k) => k.name === (process.argv[2] ?? 'sqlite'));
if (!kind || kind.skip) throw new Error(`store ${process.argv[2]} unavailable: ${kind?.skip}`);
const t = await startTestApp(kind, { overrides: { faceEngine: createFakeFaceEngine(), backgroundJobs: false } });
const acme = await t.newClient('acme');
const project = (
  await t.request('POST', '/v2/projects', { token: acme.token, body: { name: 'Ops', consoleAccess: true } })
).json().data._id as string;
const person = await t.app.store.persons.insert({
  client: acme.id,
  name: 'Ada',
  email: 'ada@acme.test',
  deleted: false,
  gender: null,
  date_of_birth: null,
  nationality: null,
  phone: null,
  notes: null,
  identifier: null,
  status: 'active',
});
const client = await t.app.store.clients.findById(acme.id, acme.id);
const session = await t.app.services.tokens.sign(
  {
    typ: 'consoleSession',
    client: acme.id,
    sub: person._id,
    project,
    gen: client?.tokenGeneration ?? 1,
    sid: newObjectId(),
  },
  new Date(Date.now() + 3600_000),
);

async function run(token: string, n: number) {
  const ms: number[] = [];
  for (let i = 0; i < n; i++) {
    const start = process.hrtime.bigint();
    const r = await t.request('GET', '/v2/projects?perPage=1', { token });
    if (r.statusCode !== 200) throw new Error(r.body);
    ms.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  ms.sort((a, b) => a - b);
  const at = (q: number) => (ms[Math.floor(n * q)] ?? 0).toFixed(3);
  return `median ${at(0.5)} ms, p90 ${at(0.9)} ms`;
}

// The same session with the sign-out lookup answering at once without the database: what that lookup costs.
const ends = t.app.store.consoleSessionEnds;
const withoutLookup = { ...ends, hasEnded: async () => false };
async function runWithoutLookup(n: number) {
  t.app.store.consoleSessionEnds = withoutLookup;
  try {
    return await run(session, n);
  } finally {
    t.app.store.consoleSessionEnds = ends;
  }
}

await run(acme.token, 200);
await run(session, 200);
for (let round = 1; round <= 2; round++) {
  console.log(`${kind.name} round ${round}: API token      ${await run(acme.token, 2000)}`);
  console.log(`${kind.name} round ${round}: console session ${await run(session, 2000)}`);
  console.log(`${kind.name} round ${round}: … no sign-out lookup ${await runWithoutLookup(2000)}`);
}
await t.close();
