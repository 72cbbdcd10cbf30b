import { openServices } from '../app.js';
import { loadConfig } from '../config.js';
import { emptyListQuery } from '../domain/list-query.js';
import { projectFlowCreateSchema, projectFlowSchema } from '../schemas/project-flow.schema.js';
import { parseCommandArgs } from './args.js';
import { operator, refusal, table } from './operator.js';

// `facegate flows list|create`: a client's project flows from the operator's terminal, with the API's defaults.

const USAGE =
  'usage: facegate flows list --client CLIENT_ID [--project PROJECT_ID] [--json]\n' +
  '       facegate flows create --client CLIENT_ID --project PROJECT_ID --type login|onboarding [--name NAME]\n' +
  '                             [--redirect-url URL] [--webhook-url URL] [--json]';

export async function flowsCommand(argv: string[]): Promise<number | undefined> {
  const [sub, ...rest] = argv;
  if (sub !== 'list' && sub !== 'create') {
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }
  const { values } = parseCommandArgs(rest, {
    client: { type: 'string' },
    project: { type: 'string' },
    type: { type: 'string' },
    name: { type: 'string' },
    'redirect-url': { type: 'string' },
    'webhook-url': { type: 'string' },
    json: { type: 'boolean' },
  });
  const clientId = values['client'];
  if (typeof clientId !== 'string') {
    process.stderr.write(`facegate flows ${sub}: --client is required\n${USAGE}\n`);
    return 2;
  }
  const { store, services, close } = await openServices(loadConfig());
  try {
    if (!(await store.clients.findById(clientId, clientId))) {
      process.stderr.write(`facegate flows ${sub}: no client ${clientId}\n`);
      return 2;
    }
    if (sub === 'list') {
      const project = values['project'];
      const { items } = await services.projectFlows.list(
        clientId,
        emptyListQuery({
          perPage: 100_000,
          sort: [{ field: 'createdAt', desc: false }],
          where: typeof project === 'string' ? { project } : {},
        }),
      );
      const shown = items.map((f) => projectFlowSchema.parse(f));
      if (values['json']) process.stdout.write(`${JSON.stringify(shown)}\n`);
      else
        process.stdout.write(
          table(
            ['id', 'project', 'type', 'status', 'name'],
            shown.map((f) => [f._id, f.project, f.type, f.status, f.name ?? '']),
          ),
        );
      return 0;
    }
    const optional = (key: string, value: unknown) => (value === undefined ? {} : { [key]: value });
    let flow: ReturnType<typeof projectFlowSchema.parse>;
    try {
      const input = projectFlowCreateSchema.parse({
        project: values['project'],
        type: values['type'],
        ...optional('name', values['name']),
        ...optional('redirectUrl', values['redirect-url']),
        ...optional('webhookUrl', values['webhook-url']),
      });
      flow = projectFlowSchema.parse(await services.projectFlows.create(clientId, input, operator()));
    } catch (err) {
      process.stderr.write(`facegate flows create: ${refusal(err)}\n${USAGE}\n`);
      return 2;
    }
    process.stdout.write(
      values['json'] ? `${JSON.stringify(flow)}\n` : `flow ${flow._id}  ${flow.type}  ${flow.project}\n`,
    );
    return 0;
  } finally {
    await close();
  }
}
