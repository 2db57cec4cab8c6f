import { articleRevisions, renderRevisionsText, type ArticleRevisions } from '../present/revisions.js';
import { openStore, type Store } from '../store/index.js';
import type { Article } from '../types.js';
import { dbHelp, dbOption, EXIT_FAILED, EXIT_OK, storeOptions, UsageError, type Command } from './command.js';
import { wrap } from '../present/text.js';

export const articleCommand: Command = {
  name: 'article',
  summary: 'Show one stored article: its metadata, its revisions (the same URL fetched again with a changed text), what each revision removed and added, and the story facts a revision removed.',
  usage: 'article ARTICLE_ID [--db FILE] [--json]',
  help: [dbHelp, '--json             the article, its revisions, the changes from the previous revision and the facts it removed, as JSON'],
  options: { ...dbOption, json: { type: 'boolean' } },
  async run({ values, positionals }, io) {
    if (positionals.length !== 1) throw new UsageError('give one article id (see triangulate articles)');
    const store = await openStore(storeOptions(values, io.env));
    try {
      const article = await store.getArticle(positionals[0]!);
      if (!article) {
        io.stderr.write(`triangulate article: no article "${positionals[0]}" in ${store.location}; run triangulate articles to see the ids\n`);
        return EXIT_FAILED;
      }
      const view = await articleView(store, article);
      io.stdout.write(values.json ? `${JSON.stringify(view)}\n` : renderArticleView(view, Math.min(io.stdout.columns ?? 100, 120)));
      return EXIT_OK;
    } finally {
      await store.close();
    }
  },
};

export interface ArticleView extends ArticleRevisions {
  article: Article;
}

/** What `article` shows, from the store: the article and the revision history of its URL. */
export async function articleView(store: Store, article: Article): Promise<ArticleView> {
  return { article, ...await articleRevisions(store, article) };
}

export function renderArticleView(view: ArticleView, width = 100): string {
  const { article } = view;
  const out: string[] = [
    `${article.id} · ${article.title ?? '(no title)'}`,
    [article.outlet, article.published?.slice(0, 10), view.fetchedFrom ?? article.input].filter(Boolean).join(' · '),
  ];
  out.push(...renderRevisionsText(article.id, view, width));
  out.push('', 'TEXT', ...article.text.split('\n\n').map((p) => wrap(`  ${p}`, width, '  ')));
  return `${out.join('\n')}\n`;
}
