import { openServices } from '../app.js';
import { loadConfig } from '../config.js';
import { clientSchema } from '../schemas/client.schema.js';
import { parseCommandArgs } from './args.js';

const USAGE = 'usage: facegate clients create --name NAME [--email EMAIL] [--json]';

export async function clientsCommand(argv: string[]): Promise<number | undefined> {
  const [sub, ...rest] = argv;
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
  const { store, services } = await openServices(loadConfig());
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
    await store.close();
  }
}
