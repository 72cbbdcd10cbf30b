import { type ChildProcess, spawn } from 'node:child_process';
import { createServer as createHttpServer, type IncomingHttpHeaders } from 'node:http';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { packageRoot } from '../../src/package-root.js';

// The real server as deployed, `facegate serve` in a child process, and a webhook receiver on 127.0.0.1: for the
// end-to-end tests and benches that need a process they can kill or measure from outside.

export const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      s.close(() => resolve(typeof a === 'object' && a ? a.port : 0));
    });
  });

export interface ServerProcess {
  base: string;
  port: number;
  child: ChildProcess;
  /** From spawn to the first 200 of `/health/ready`. */
  startMs: number;
}

/** Starts `facegate serve` with `env` on a free port (unless it names one) and waits until it is ready. */
export async function startServerProcess(env: NodeJS.ProcessEnv, timeoutMs = 60_000): Promise<ServerProcess> {
  const port = env['FACEGATE_PORT'] ? Number(env['FACEGATE_PORT']) : await freePort();
  const t0 = performance.now();
  const child = spawn(process.execPath, [join(packageRoot, 'bin', 'facegate.js'), 'serve'], {
    env: { ...env, FACEGATE_PORT: String(port) },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const base = `http://127.0.0.1:${port}`;
  while (performance.now() - t0 < timeoutMs) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`server exited during start-up (${child.exitCode ?? child.signalCode})`);
    }
    const ready = await fetch(`${base}/health/ready`).then(
      (r) => r.ok,
      () => false,
    );
    if (ready) return { base, port, child, startMs: performance.now() - t0 };
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill('SIGKILL');
  throw new Error('server did not become ready');
}

/** Sends `signal` and resolves once the process has exited (and been reaped: its pid is free again). */
export const stopServerProcess = (child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM') =>
  new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill(signal);
  });

export interface ReceivedWebhook {
  deliveryId: string;
  event: string;
  headers: IncomingHttpHeaders;
  body: string;
  /** Date.now() when the body had arrived. */
  at: number;
}

/**
 * A webhook receiver on 127.0.0.1 that answers 204 to everything and keeps what it got, in arrival order.
 * `holdNext()` leaves the next request unanswered (the sender waits) and resolves with it once it has arrived.
 */
export function startWebhookReceiver() {
  const received: ReceivedWebhook[] = [];
  let hold: ((r: ReceivedWebhook) => void) | undefined;
  const server = createHttpServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const r: ReceivedWebhook = {
        deliveryId: String(req.headers['x-facegate-delivery'] ?? ''),
        event: String(req.headers['x-facegate-event'] ?? ''),
        headers: req.headers,
        body: Buffer.concat(chunks).toString(),
        at: Date.now(),
      };
      received.push(r);
      if (hold) {
        const held = hold;
        hold = undefined;
        held(r);
        return;
      }
      res.writeHead(204).end();
    });
  });
  return new Promise<{
    url: string;
    received: ReceivedWebhook[];
    holdNext(): Promise<ReceivedWebhook>;
    close(): Promise<void>;
  }>((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      const a = server.address();
      const port = typeof a === 'object' && a ? a.port : 0;
      resolve({
        url: `http://127.0.0.1:${port}/hooks`,
        received,
        holdNext: () =>
          new Promise<ReceivedWebhook>((r) => {
            hold = r;
          }),
        close: () =>
          new Promise((r) => {
            server.closeAllConnections();
            server.close(() => r());
          }),
      });
    }),
  );
}
