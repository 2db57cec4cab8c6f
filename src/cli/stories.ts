import { openStore } from '../store/index.js';
import { countOption, dbHelp, dbOption, storeOptions, EXIT_OK, UsageError, type Command } from './command.js';

export const storiesCommand: Command = {
  name: 'stories',
  summary: 'List the stories in the database with their sizes and independent source families.',
  usage: 'stories [--db FILE] [--since DATE] [--search TEXT] [--limit N] [--json]',
  help: [dbHelp, '--since DATE       stories with an article published on or after DATE (2025-02-18); undated ones by when they last changed', '--search TEXT      stories whose articles match TEXT (full-text)', '--limit N          at most N stories', '--json             one JSON object per line'],
  options: { ...dbOption, since: { type: 'string' }, search: { type: 'string' }, limit: { type: 'string' }, json: { type: 'boolean' } },
  async run({ values }, io) {
    const since = values.since as string | undefined;
    if (since !== undefined && Number.isNaN(Date.parse(since))) throw new UsageError(`--since takes a date like 2025-02-18, not "${since}"`);
    const limit = countOption(values, 'limit');
    const store = await openStore(storeOptions(values, io.env));
    try {
      const stories = await store.listStories({ since, search: values.search as string | undefined, limit });
      for (const s of stories) {
        if (values.json) { io.stdout.write(`${JSON.stringify(s)}\n`); continue; }
        const dates = s.firstPublished ? `${s.firstPublished.slice(0, 10)}${s.lastPublished && s.lastPublished.slice(0, 10) !== s.firstPublished.slice(0, 10) ? ` – ${s.lastPublished.slice(0, 10)}` : ''}` : 'undated';
        io.stdout.write(`${s.id.padEnd(8)} ${String(s.articleCount).padStart(4)} articles ${String(s.familyCount).padStart(4)} sources  ${dates.padEnd(23)}  ${s.headline}\n`);
      }
      if (!values.json) io.stdout.write(`${stories.length} stor${stories.length === 1 ? 'y' : 'ies'}${stories.length ? ' (triangulate brief ID shows one)' : ''}\n`);
      return EXIT_OK;
    } finally {
      await store.close();
    }
  },
};
