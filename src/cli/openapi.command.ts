import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildApp } from '../app.js';
import { loadConfig } from '../config.js';
import { parseCommandArgs } from './args.js';

/** The API description generated from the route schemas, as the running server serves it at /openapi.json. */
export async function generateOpenApi(): Promise<string> {
  const dataDir = mkdtempSync(join(tmpdir(), 'facegate-openapi-'));
  try {
    // A throwaway database: the document depends on the routes only, not on data or deployment settings.
    const app = await buildApp(
      loadConfig({
        FACEGATE_DATA_DIR: dataDir,
        FACEGATE_LOG_LEVEL: 'silent',
        FACEGATE_PUBLIC_URL: 'http://localhost:8080',
      }),
      { backgroundJobs: false },
    );
    try {
      await app.http.ready();
      return `${JSON.stringify(app.http.swagger(), null, 2)}\n`;
    } finally {
      await app.close();
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

export async function openapiCommand(argv: string[]): Promise<number | undefined> {
  const { values } = parseCommandArgs(argv, { out: { type: 'string' } });
  const doc = await generateOpenApi();
  if (typeof values['out'] === 'string') writeFileSync(values['out'], doc);
  else process.stdout.write(doc);
  return 0;
}
