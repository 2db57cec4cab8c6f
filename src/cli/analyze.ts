import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Briefing } from '../brief/types.js';
import { openStore } from '../store/index.js';
import { EXIT_FAILED, EXIT_OK, UsageError, type Command, type Io } from './command.js';
import { parseMaxBytes, runIngest, runProcess, summarize } from './ingest.js';
import { formatHelp, formatOptions, parseFormat, writeBriefings } from './output.js';

export const analyzeCommand: Command = {
  name: 'analyze',
  summary: 'One-shot: ingest PATHs into a temporary database and print every story\'s briefing.',
  usage: 'analyze PATH... [--format text|md|json|html] [--out FILE] [--max-bytes N]',
  help: [...formatHelp, '--max-bytes N      largest input accepted (default 20 MB)'],
  options: { ...formatOptions, 'max-bytes': { type: 'string' } },
  async run({ values, positionals }, io) {
    if (positionals.length === 0) throw new UsageError('give at least one file, folder, glob or - (stdin)');
    const format = parseFormat(values.format, values.out);
    const dir = mkdtempSync(path.join(tmpdir(), 'triangulate-'));
    const store = await openStore({ path: path.join(dir, 'analyze.db') });
    try {
      const summary = await runIngest(store, positionals, io, parseMaxBytes(values['max-bytes'] as string | undefined));
      io.stderr.write(`${summarize(summary)}\n`);
      const briefings = await buildAll(store, io);
      await writeBriefings(store, briefings, format, values.out as string | undefined, io);
      return summary.failed > 0 || briefings.length === 0 ? EXIT_FAILED : EXIT_OK;
    } finally {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  },
};

/** Processes everything pending and returns the briefings of all stories, largest first. */
export async function buildAll(store: Awaited<ReturnType<typeof openStore>>, io: Io): Promise<Briefing[]> {
  await runProcess(store, io);
  const stories = await store.listStories();
  stories.sort((a, b) => b.articleCount - a.articleCount || a.id.localeCompare(b.id));
  const briefings: Briefing[] = [];
  for (const story of stories) {
    const saved = await store.getBriefing(story.id);
    if (saved) briefings.push(JSON.parse(saved.data) as Briefing);
  }
  return briefings;
}
