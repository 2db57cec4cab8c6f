import { ANALYZER_VERSION, analyze } from '../analyze/index.js';
import { refreshBriefing } from '../pipeline/process.js';
import { openStore } from '../store/index.js';
import { dbHelp, dbOption, storeOptions, EXIT_OK, progressBar, type Command } from './command.js';

export const reanalyzeCommand: Command = {
  name: 'reanalyze',
  summary: 'Re-run the analysis stage over stored articles (those analysed by an older version, or all with --all) and rebuild briefings.',
  usage: 'reanalyze [--db FILE] [--all]',
  help: [dbHelp, '--all              re-analyse every article, not only outdated ones'],
  options: { ...dbOption, all: { type: 'boolean' } },
  async run({ values }, io) {
    const store = await openStore(storeOptions(values, io.env));
    try {
      const ids = values.all ? (await store.listArticles()).map((a) => a.id) : await store.articlesNeedingAnalysis(ANALYZER_VERSION);
      const bar = progressBar(io, ids.length, 'analyzing');
      for (const id of ids) {
        const article = (await store.getArticle(id))!;
        await store.saveAnalysis({ articleId: id, version: ANALYZER_VERSION, analysis: analyze(article) });
        bar.tick();
      }
      bar.done();
      const stories = new Set((await store.storiesOf(ids)).values());
      for (const story of stories) await refreshBriefing(store, story);
      io.stdout.write(`${ids.length} articles re-analysed, ${stories.size} briefings rebuilt\n`);
      return EXIT_OK;
    } finally {
      await store.close();
    }
  },
};
