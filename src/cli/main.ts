// `facegate <command>`: each command lives in its own file and is imported only when used, so that
// `facegate clients create` does not load the face models.

type Command = { summary: string; run: (argv: string[]) => Promise<number | undefined> };

const commands: Record<string, Command> = {
  serve: {
    summary: 'start the HTTP service',
    run: async (argv) => (await import('./serve.command.js')).serveCommand(argv),
  },
  clients: {
    summary:
      'manage clients (tenants): clients create --name NAME [--json] | clients list [--json] | clients delete --id ID --yes',
    run: async (argv) => (await import('./clients.command.js')).clientsCommand(argv),
  },
  projects: {
    summary: "a client's projects: projects list --client ID [--json] | projects create --client ID --name NAME",
    run: async (argv) => (await import('./projects.command.js')).projectsCommand(argv),
  },
  flows: {
    summary: "a client's project flows: flows list --client ID | flows create --client ID --project ID --type login",
    run: async (argv) => (await import('./flows.command.js')).flowsCommand(argv),
  },
  persons: {
    summary:
      'bulk-enrol persons, one folder each: persons import --collection ID --dir DIR [--json] | persons delete --id ID --yes',
    run: async (argv) => (await import('./persons.command.js')).personsCommand(argv),
  },
  openapi: {
    summary: 'print the OpenAPI document generated from the routes: openapi [--out FILE]',
    run: async (argv) => (await import('./openapi.command.js')).openapiCommand(argv),
  },
  degrade: {
    summary:
      'write degraded copies of an eval folder (webcam-sized, blurred, dim, …): degrade --data DIR --out DIR [--condition NAME ...] [--seed N]',
    run: async (argv) => (await import('./degrade.command.js')).degradeCommand(argv),
  },
  eval: {
    summary: 'measure the face engine on a labelled folder: eval --data DIR [--json] [--plot FILE.svg|png]',
    run: async (argv) => (await import('./eval.command.js')).evalCommand(argv),
  },
};

function usage(): string {
  const rows = Object.entries(commands).map(([name, c]) => `  ${name.padEnd(10)} ${c.summary}`);
  return `usage: facegate <command> [options]\n\ncommands:\n${rows.join('\n')}\n`;
}

export async function main(argv: string[]): Promise<void> {
  // `facegate … | head` closes the pipe early: that is not an error worth a stack trace.
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(0);
    throw err;
  });
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(usage());
    return;
  }
  const command = commands[name];
  if (!command) {
    process.stderr.write(`facegate: unknown command '${name}'\n\n${usage()}`);
    process.exitCode = 2;
    return;
  }
  try {
    const code = await command.run(rest);
    if (code !== undefined) process.exitCode = code;
  } catch (err) {
    process.stderr.write(`facegate ${name}: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  }
}
