/**
 * What every CLI command shares: its declaration (for --help and the generated
 * reference), argument parsing, output streams and exit codes.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { formatMessage } from '../errors.js';
import type { OpenStoreOptions } from '../store/index.js';
import type { Message } from '../types.js';

export type Options = NonNullable<ParseArgsConfig['options']>;

export interface Io {
  stdout: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  stderr: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  env: NodeJS.ProcessEnv;
  cwd: string;
}

export interface Command {
  name: string;
  summary: string;
  usage: string;
  /** One line per option for --help: `--db FILE  the database …`. */
  help: string[];
  options: Options;
  run(args: { values: Record<string, string | boolean | string[] | undefined>; positionals: string[] }, io: Io): Promise<number>;
}

/** Exit codes: 0 success, 1 some input failed or nothing found, 2 usage error. */
export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_USAGE = 2;

export class UsageError extends Error {}

export const dbOption: Options = { db: { type: 'string' }, 'database-url': { type: 'string' } };
/** Two lines of help (`helpText` indents each line it is given; the newline keeps the second aligned). */
export const dbHelp = [
  '--db FILE          SQLite database (default ./triangulate.db, or $TRIANGULATE_DB)',
  '  --database-url URL PostgreSQL database instead (postgres://user@host:5432/db[?schema=name], or $TRIANGULATE_DATABASE_URL)',
].join('\n');

/** The store a command opens, from `--database-url`, `--db` and the environment (see `resolveStoreTarget`). */
export function storeOptions(values: Record<string, unknown>, env: NodeJS.ProcessEnv): OpenStoreOptions {
  const databaseUrl = values['database-url'] as string | undefined;
  const path = values.db as string | undefined;
  if (databaseUrl !== undefined && path !== undefined) throw new UsageError('give --db or --database-url, not both');
  return { env, ...(databaseUrl === undefined ? {} : { databaseUrl }), ...(path === undefined ? {} : { path }) };
}

/** A `--name N` count option: undefined when absent, a usage error unless N is a whole number of at least 1. */
export function countOption(values: Record<string, unknown>, name: string): number | undefined {
  const raw = values[name];
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`--${name} takes a whole number of at least 1, not "${String(raw)}"`);
  return n;
}

export function parse(command: Command, argv: string[]) {
  try {
    return parseArgs({ args: argv, options: { help: { type: 'boolean', short: 'h' }, ...command.options }, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

export function helpText(command: Command): string {
  return [`usage: triangulate ${command.usage}`, '', command.summary, '', ...command.help.map((line) => `  ${line}`), '  -h, --help         show this help'].join('\n');
}

export function printMessages(messages: Message[], io: Io): void {
  for (const m of messages) io.stderr.write(`${formatMessage(m)}\n`);
}

/** A one-line progress bar on a TTY; silent otherwise so pipes stay machine-readable. */
export function progressBar(io: Io, total: number, label: string): { tick(note?: string): void; done(): void } {
  const enabled = Boolean(io.stderr.isTTY) && total >= 10;
  let count = 0;
  let last = 0;
  const draw = (note = '') => {
    const width = 30;
    const filled = Math.round((count / Math.max(total, 1)) * width);
    const line = `${label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${count}/${total} ${note}`;
    io.stderr.write(`\r${line.slice(0, (io.stderr.columns ?? 100) - 1).padEnd(Math.min(io.stderr.columns ?? 100, 100) - 1)}`);
  };
  return {
    tick(note) {
      count++;
      const time = Date.now();
      if (enabled && (time - last > 80 || count === total)) { last = time; draw(note); }
    },
    done() { if (enabled) io.stderr.write('\n'); },
  };
}
