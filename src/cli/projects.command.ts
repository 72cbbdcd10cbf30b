import { openServices } from '../app.js';
import { loadConfig } from '../config.js';
import { emptyListQuery } from '../domain/list-query.js';
import { projectCreateSchema, projectSchema } from '../schemas/project.schema.js';
import { parseCommandArgs } from './args.js';
import { operator, refusal, table } from './operator.js';

// `facegate projects list|create`: a client's projects from the operator's terminal, as the API would answer them.

const USAGE =
  'usage: facegate projects list --client CLIENT_ID [--json]\n' +
  '       facegate projects create --client CLIENT_ID --name NAME [--retention-days N] [--json]';

export async function projectsCommand(argv: string[]): Promise<number | undefined> {
  const [sub, ...rest] = argv;
  if (sub !== 'list' && sub !== 'create') {
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }
  const { values } = parseCommandArgs(rest, {
    client: { type: 'string' },
    name: { type: 'string' },
    'retention-days': { type: 'string' },
    json: { type: 'boolean' },
  });
  const clientId = values['client'];
  if (typeof clientId !== 'string') {
    process.stderr.write(`facegate projects ${sub}: --client is required\n${USAGE}\n`);
    return 2;
  }
  const { store, services, close } = await openServices(loadConfig());
  try {
    if (!(await store.clients.findById(clientId, clientId))) {
      process.stderr.write(`facegate projects ${sub}: no client ${clientId}\n`);
      return 2;
    }
    if (sub === 'list') {
      const { items } = await services.projects.list(
        clientId,
        emptyListQuery({ perPage: 100_000, sort: [{ field: 'createdAt', desc: false }] }),
      );
      const shown = items.map((p) => projectSchema.parse(p));
      if (values['json']) process.stdout.write(`${JSON.stringify(shown)}\n`);
      else
        process.stdout.write(
          table(
            ['id', 'name', 'status', 'retention', 'created'],
            shown.map((p) => [
              p._id,
              p.name,
              p.status,
              p.retentionDays ? `${p.retentionDays} d` : 'default',
              p.createdAt,
            ]),
          ),
        );
      return 0;
    }
    const days = values['retention-days'];
    let project: ReturnType<typeof projectSchema.parse>;
    try {
      const input = projectCreateSchema.parse({
        name: values['name'],
        ...(days === undefined ? {} : { retentionDays: Number(days) }),
      });
      project = projectSchema.parse(await services.projects.create(clientId, input, operator()));
    } catch (err) {
      process.stderr.write(`facegate projects create: ${refusal(err)}\n${USAGE}\n`);
      return 2;
    }
    process.stdout.write(values['json'] ? `${JSON.stringify(project)}\n` : `project ${project._id}  ${project.name}\n`);
    return 0;
  } finally {
    await close();
  }
}
