import { Agent, request } from 'node:http';

// The benches' HTTP client: keep-alive requests to the server under test on 127.0.0.1, JSON in and out, without
// fetch's per-request overhead (which would be measured as the server's).

export interface LoopbackResponse {
  status: number;
  json: () => any;
}

export type LoopbackCall = ((
  port: number,
  method: string,
  path: string,
  body: unknown,
  token?: string,
  timeoutMs?: number,
) => Promise<LoopbackResponse>) & {
  /** Closes the kept-alive connections, cutting the requests still waiting on them. */
  close(): void;
};

/** A client whose requests share `maxSockets` kept-alive connections; `timeoutMs` makes a hung server a timeout. */
export function createLoopbackClient(maxSockets: number): LoopbackCall {
  const agent = new Agent({ keepAlive: true, maxSockets });
  const call = (
    port: number,
    method: string,
    path: string,
    body: unknown,
    token?: string,
    timeoutMs?: number,
  ): Promise<LoopbackResponse> =>
    new Promise((resolve, reject) => {
      const payload = body === undefined ? undefined : JSON.stringify(body);
      const req = request(
        {
          host: '127.0.0.1',
          port,
          method,
          path,
          agent,
          headers: {
            ...(payload ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) } : {}),
            ...(token ? { authorization: `Bearer ${token}` } : {}),
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c) => chunks.push(c));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString();
            resolve({ status: res.statusCode ?? 0, json: () => JSON.parse(text) });
          });
        },
      );
      req.on('error', reject);
      if (timeoutMs !== undefined) {
        req.setTimeout(timeoutMs, () => req.destroy(Object.assign(new Error('timeout'), { code: 'TIMEOUT' })));
      }
      if (payload) req.write(payload);
      req.end();
    });
  return Object.assign(call, { close: () => agent.destroy() });
}
