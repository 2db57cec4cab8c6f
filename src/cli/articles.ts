import { openStore } from '../store/index.js';
import { countOption, dbHelp, dbOption, storeOptions, EXIT_OK, type Command } from './command.js';

export const articlesCommand: Command = {
  name: 'articles',
  summary: 'List the articles the database holds.',
  usage: 'articles [--db FILE] [--search TEXT] [--limit N] [--json]',
  help: [dbHelp, '--search TEXT      full-text search over titles and text', '--limit N          at most N articles', '--json             one JSON object per line (with text)'],
  options: { ...dbOption, search: { type: 'string' }, limit: { type: 'string' }, json: { type: 'boolean' } },
  async run({ values }, io) {
    const limit = countOption(values, 'limit');
    const store = await openStore(storeOptions(values, io.env));
    try {
      const articles = await store.listArticles({ search: values.search as string | undefined, limit });
      for (const a of articles) {
        if (values.json) io.stdout.write(`${JSON.stringify(a)}\n`);
        else io.stdout.write(`${a.id}  ${(a.published ?? '').slice(0, 10).padEnd(10)}  ${(a.outlet ?? '-').slice(0, 24).padEnd(24)}  ${a.title ?? '(no title)'}\n`);
      }
      if (!values.json) io.stdout.write(`${articles.length} article${articles.length === 1 ? '' : 's'} in ${store.location}\n`);
      return EXIT_OK;
    } finally {
      await store.close();
    }
  },
};
