/**
 * Regenerates the reference parts of docs/ from the code, so they cannot drift:
 * docs/errors.md from src/errors.ts and docs/cli.md from the commands' --help.
 * `npx tsx scripts/gen-docs.ts`; a test fails when the committed files differ.
 */
import { writeFileSync } from 'node:fs';
import { codes } from '../src/errors.js';
import { commands, mainHelp } from '../src/cli/main.js';
import { helpText } from '../src/cli/command.js';

export function errorsDoc(): string {
  const rows = Object.entries(codes).map(([code, { severity, title, fix }]) => `| \`${code}\` | ${severity} | ${title} | ${fix} |`);
  return ['# Messages and error codes', '', 'Every problem Triangulate reports about an input names the input, a stable code and what to do.', 'Errors mean the input was not stored as an article (its raw bytes are still kept when it could be read);', 'warnings mean it was stored but something was repaired or ignored. Codes are never reused.', '', '| code | severity | what | how to fix |', '|---|---|---|---|', ...rows, ''].join('\n');
}

export function cliDoc(): string {
  const sections = commands.map((c) => `## triangulate ${c.name}\n\n\`\`\`\n${helpText(c)}\n\`\`\`\n`);
  return ['# Command-line reference', '', '_Generated from `--help` by `scripts/gen-docs.ts`._', '', '```', mainHelp(), '```', '', ...sections].join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  writeFileSync('docs/errors.md', errorsDoc());
  writeFileSync('docs/cli.md', cliDoc());
  console.log('wrote docs/errors.md and docs/cli.md');
}
