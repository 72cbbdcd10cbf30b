import { userInfo } from 'node:os';
import { z } from 'zod';
import { isAppError, wireMessage } from '../errors.js';
import { type AuditSource, cliSource } from '../services/audit-trail.js';

// What the operator commands share: who the audit log names for them, how a refused input is told, and tables.

/** The OS user at the terminal, as the audit log records the CLI's acts. */
export function operator(): AuditSource {
  let name = 'unknown';
  try {
    name = userInfo().username;
  } catch {
    // No passwd entry (some containers): the acts are still recorded, as an unknown user's.
  }
  return cliSource(name);
}

/** A refusal a user can act on (bad input, a missing record) as one line; anything else is rethrown. */
export function refusal(err: unknown): string {
  if (err instanceof z.ZodError)
    return err.issues.map((i) => `${i.path.join('.') || 'input'}: ${i.message}`).join('; ');
  if (isAppError(err)) return wireMessage(err);
  throw err;
}

/** Rows as aligned columns under a header. */
export function table(header: readonly string[], rows: ReadonlyArray<readonly string[]>): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  return `${[line(header), ...rows.map(line)].join('\n')}\n`;
}
