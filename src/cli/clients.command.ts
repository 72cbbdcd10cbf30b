import { openServices } from '../app.js';
import { loadConfig } from '../config.js';
import { emptyListQuery } from '../domain/list-query.js';
import { clientSchema } from '../schemas/client.schema.js';
import { parseCommandArgs } from './args.js';
import { table } from './operator.js';

const USAGE =
  'usage: facegate clients create --name NAME [--email EMAIL] [--json]\n' +
  '       facegate clients list [--json]\n' +
  '       facegate clients delete --id CLIENT_ID --yes';

export async function clientsCommand(argv: string[]): Promise<number | undefined> {
  const [sub, ...rest] = argv;
  if (sub === 'delete') return deleteClient(rest);
  if (sub === 'list') return listClients(rest);
  if (sub !== 'create') {
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }
  const { values } = parseCommandArgs(rest, {
    name: { type: 'string' },
    email: { type: 'string' },
    json: { type: 'boolean' },
  });
  const name = values['name'];
  if (typeof name !== 'string' || !name.trim()) {
    process.stderr.write(`facegate clients create: --name is required\n${USAGE}\n`);
    return 2;
  }
  const { services, close } = await openServices(loadConfig());
  try {
    const email = typeof values['email'] === 'string' ? values['email'] : null;
    const { client, token } = await services.clients.create({ name: name.trim(), email });
    const shown = clientSchema.parse(client);
    if (values['json']) {
      process.stdout.write(`${JSON.stringify({ client: shown, token: token.token })}\n`);
    } else {
      process.stdout.write(
        `client  ${shown._id}  ${shown.name}\ntoken   ${token.token}\nexpires ${token.expiresAt.toISOString()}\n`,
      );
    }
    return 0;
  } finally {
    await close();
  }
}

/** Every client (tenant), oldest first; never a token or a webhook secret. */
async function listClients(argv: string[]): Promise<number> {
  const { values } = parseCommandArgs(argv, { json: { type: 'boolean' } });
  const { store, close } = await openServices(loadConfig());
  try {
    const { items } = await store.clients.list(
      null,
      emptyListQuery({ perPage: 100_000, sort: [{ field: 'createdAt', desc: false }] }),
    );
    const shown = items.map((c) => clientSchema.parse(c));
    if (values['json']) process.stdout.write(`${JSON.stringify(shown)}\n`);
    else
      process.stdout.write(
        table(
          ['id', 'name', 'status', 'created'],
          shown.map((c) => [c._id, c.name, c.status, c.createdAt]),
        ),
      );
    return 0;
  } finally {
    await close();
  }
}

/**
 * Deletes a client and everything it owns: projects, flows, collections, persons with their templates and
 * thumbnails, validations, sessions, app logins and undelivered webhooks. Running servers are told through the
 * index change log to drop the client's collections from their search indexes.
 */
async function deleteClient(argv: string[]): Promise<number> {
  const { values } = parseCommandArgs(argv, { id: { type: 'string' }, yes: { type: 'boolean' } });
  const id = values['id'];
  if (typeof id !== 'string' || !values['yes']) {
    process.stderr.write(
      `facegate clients delete: --id and --yes are required (this deletes all of the client's data)\n${USAGE}\n`,
    );
    return 2;
  }
  const { store, services, close } = await openServices(loadConfig());
  try {
    const client = await store.clients.findById(id, id);
    if (!client) {
      process.stderr.write(`facegate clients delete: no client ${id}\n`);
      return 2;
    }
    const collections = await store.collections.list(id, emptyListQuery({ perPage: 100_000 }));
    for (const c of collections.items) await services.index.dropCollection(c._id);
    await store.clients.delete(id, id);
    process.stdout.write(`deleted client ${id} (${client.name}) and all its data\n`);
    return 0;
  } finally {
    await close();
  }
}
