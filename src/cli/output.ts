/** Writing a rendered briefing to stdout or to --out. */
import { writeFileSync } from 'node:fs';
import type { Briefing } from '../brief/types.js';
import { isFormat, renderBriefings, reportSources, type Format } from '../present/index.js';
import type { Store } from '../store/index.js';
import { UsageError, type Io } from './command.js';

export const formatHelp = ['--format F         text (default), md, json or html', '--out FILE         write to FILE instead of standard output'];
export const formatOptions = { format: { type: 'string' as const }, out: { type: 'string' as const } };

export function parseFormat(value: unknown, out?: unknown): Format {
  const format = (value as string | undefined) ?? (typeof out === 'string' && /\.html?$/i.test(out) ? 'html' : typeof out === 'string' && /\.json$/i.test(out) ? 'json' : 'text');
  if (!isFormat(format)) throw new UsageError(`--format takes text, md, json or html, not "${format}"`);
  return format;
}

export async function writeBriefings(store: Store, briefings: Briefing[], format: Format, out: string | undefined, io: Io): Promise<void> {
  const sources = format === 'html' ? await reportSources(store, briefings) : [];
  writeRendered(renderBriefings(briefings, format, sources, { width: Math.min(io.stdout.columns ?? 100, 120) }), out, io);
}

/** Writes rendered output to `out` (saying so on stderr) or to standard output. */
export function writeRendered(rendered: string, out: string | undefined, io: Io): void {
  if (out) {
    writeFileSync(out, rendered);
    io.stderr.write(`wrote ${out}\n`);
  } else io.stdout.write(rendered);
}
