import { parseArgs } from 'node:util';

export type OptionSpec = Record<string, { type: 'string' | 'boolean'; short?: string; multiple?: boolean }>;

/** Strict option parsing shared by every command: unknown flags are an error, not ignored. */
export function parseCommandArgs<T extends OptionSpec>(argv: string[], options: T) {
  return parseArgs({ args: argv, options, allowPositionals: true, strict: true });
}
