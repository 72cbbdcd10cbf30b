import { buildApp } from '../app.js';
import { loadConfig } from '../config.js';

export async function serveCommand(_argv: string[]): Promise<number | undefined> {
  const config = loadConfig();
  const app = await buildApp(config);
  // Load the models now: a missing or corrupt model file stops start-up with one clear message.
  await app.warmUp().catch(async (err) => {
    await app.close();
    throw err;
  });
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    app.http.log.info({ signal }, 'shutting down');
    // Stop taking requests, let those in flight finish, then close the database and workers.
    const force = setTimeout(() => process.exit(1), 15_000).unref();
    await app.close();
    clearTimeout(force);
    process.exit(0);
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));
  await app.http.listen({ port: config.port, host: config.host });
  app.http.log.info(
    { database: app.store.dialect, publicUrl: config.publicUrl, docs: `${config.publicUrl}/docs` },
    'facegate is ready',
  );
  return undefined;
}
