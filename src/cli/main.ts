/**
 * The `triangulate` command. Each subcommand lives in its own file and is
 * listed here once; `--help` text is generated from those declarations.
 */
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { articlesCommand } from './articles.js';
import { articleCommand } from './article.js';
import { StoreUnavailableError } from '../store/index.js';
import { EXIT_FAILED, EXIT_OK, EXIT_USAGE, helpText, parse, UsageError, type Command, type Io } from './command.js';
import { demoCommand } from './demo.js';
import { extractCommand } from './extract.js';
import { ingestCommand } from './ingest.js';
import { reextractCommand } from './reextract.js';
import { analyzeCommand } from './analyze.js';
import { briefCommand } from './brief.js';
import { inspectCommand } from './inspect.js';
import { reanalyzeCommand } from './reanalyze.js';
import { serveCommand } from './serve.js';
import { storiesCommand } from './stories.js';
import { watchCommand } from './watch.js';
import { queueCommand } from './queue.js';
import { workerCommand } from './worker.js';
import { migrateCommand } from './migrate.js';

export const commands: Command[] = [
  demoCommand, analyzeCommand, ingestCommand, watchCommand, storiesCommand, briefCommand, articlesCommand, articleCommand,
  extractCommand, inspectCommand, reextractCommand, reanalyzeCommand, serveCommand,
  workerCommand, queueCommand, migrateCommand,
];

export function mainHelp(): string {
  const width = Math.max(...commands.map((c) => c.name.length)) + 2;
  return [
    'usage: triangulate <command> [options]',
    '',
    'Triangulate groups news articles into stories and shows, with evidence, what independent sources agree on and where they disagree.',
    '',
    'commands:',
    ...commands.map((c) => `  ${c.name.padEnd(width)}${c.summary}`),
    '',
    'Run `triangulate <command> --help` for its options.',
  ].join('\n');
}

export async function main(argv: string[], io: Io): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.stdout.write(`${mainHelp()}\n`);
    return name ? EXIT_OK : EXIT_USAGE;
  }
  if (name === '--version' || name === '-v') {
    const { createRequire } = await import('node:module');
    io.stdout.write(`${(createRequire(import.meta.url)('../../package.json') as { version: string }).version}\n`);
    return EXIT_OK;
  }
  const command = commands.find((c) => c.name === name);
  if (!command) {
    io.stderr.write(`triangulate: unknown command "${name}"\n\n${mainHelp()}\n`);
    return EXIT_USAGE;
  }
  try {
    const args = parse(command, rest);
    if (args.values.help) { io.stdout.write(`${helpText(command)}\n`); return EXIT_OK; }
    return await command.run(args, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr.write(`triangulate ${command.name}: ${error.message}\n\n${helpText(command)}\n`);
      return EXIT_USAGE;
    }
    if (error instanceof StoreUnavailableError) {
      io.stderr.write(`triangulate ${command.name}: ${error.message}\n`);
      return EXIT_FAILED;
    }
    throw error;
  }
}

/** Runs the CLI in this process with the real streams; the `bin` script calls this. */
export function runCli(): void {
  const io: Io = { stdout: process.stdout, stderr: process.stderr, env: process.env, cwd: process.cwd() };
  main(process.argv.slice(2), io).then(
    (code) => { process.exitCode = code; },
    (error: unknown) => {
      process.stderr.write(`triangulate: internal error: ${(error as Error).stack ?? String(error)}\nThis is a bug; please report it with the command you ran.\n`);
      process.exitCode = 70;
    },
  );
}

// `tsx src/cli/main.ts …` during development.
if (process.argv[1] && realpathSync(process.argv[1]) === fileURLToPath(import.meta.url)) runCli();
