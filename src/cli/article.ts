import { diffRevision, factsRemovedBy, type RevisionDiff } from '../brief/revisions.js';
import type { Briefing, Fact } from '../brief/types.js';
import { openStore, type PageVersion, type Store } from '../store/index.js';
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

export interface ArticleView {
  article: Article;
  /** The URL the page was fetched from (null for files). */
  fetchedFrom: string | null;
  /** Every fetch of that URL, oldest first. */
  revisions: PageVersion[];
  /** The newer article that replaced this one, when the page changed since. */
  supersededBy: string | null;
  /** The changes from the previous revision to this one. */
  changes: RevisionDiff | null;
  /** Facts of the story's briefing (as built before this revision) that the changes removed, with the other articles that still carry each. */
  removedFacts: Array<Fact & { storyId: string; otherArticles: string[] }>;
}

/** What `article` shows, from the store: the revision history of the article's URL and its last change. */
export async function articleView(store: Store, article: Article): Promise<ArticleView> {
  const raw = await store.getRaw(article.rawHash);
  const url = raw?.url ?? null;
  const revisions = url ? await store.pageVersions(url) : [];
  const texts = revisions.filter((r) => r.articleId !== null);
  const at = texts.findIndex((r) => r.articleId === article.id);
  const supersededBy = at >= 0 && at < texts.length - 1 ? texts.at(-1)!.articleId : null;
  let changes: RevisionDiff | null = null;
  const removedFacts: ArticleView['removedFacts'] = [];
  const previousId = at > 0 ? texts[at - 1]!.articleId! : null;
  const previous = previousId ? await store.getArticle(previousId) : null;
  if (previous) {
    changes = diffRevision(previous, article);
    // The briefing built before this revision arrived is the one that still counted the older text.
    const storyId = (await store.storiesOf([previous.id])).get(previous.id) ?? (await store.storiesOf([article.id])).get(article.id);
    const saved = storyId ? await store.getBriefing(storyId, texts[at]!.firstSeen) : null;
    if (saved && storyId) for (const fact of factsRemovedBy(changes, JSON.parse(saved.data) as Briefing)) removedFacts.push({ ...fact, storyId, otherArticles: fact.articles.filter((id) => id !== previous.id) });
  }
  return { article, fetchedFrom: url, revisions, supersededBy, changes, removedFacts };
}

export function renderArticleView(view: ArticleView, width = 100): string {
  const { article } = view;
  const out: string[] = [
    `${article.id} · ${article.title ?? '(no title)'}`,
    [article.outlet, article.published?.slice(0, 10), view.fetchedFrom ?? article.input].filter(Boolean).join(' · '),
  ];
  if (view.revisions.length > 1) {
    out.push('', `REVISIONS OF ${view.fetchedFrom} (${view.revisions.length} fetches)`);
    view.revisions.forEach((r, i) => out.push(`  ${String(i + 1).padStart(2)}. ${r.firstSeen}  ${r.articleId ?? '(same text, or no article)'}${r.articleId === article.id ? '  ← this article' : ''}`));
  }
  if (view.supersededBy) out.push('', `The page has changed since: its newest text is article ${view.supersededBy} (briefings use that one).`);
  if (view.changes) {
    out.push('', `CHANGES FROM ${view.changes.from} (${view.changes.removed.length} removed, ${view.changes.added.length} added, ${view.changes.unchanged} unchanged sentences)`);
    for (const s of view.changes.removed) out.push(wrap(`  - ${s.text}`, width, '    '));
    for (const s of view.changes.added) out.push(wrap(`  + ${s.text}`, width, '    '));
  }
  if (view.removedFacts.length > 0) {
    out.push('', `FACTS THIS REVISION REMOVED (${view.removedFacts.length})`);
    for (const f of view.removedFacts) {
      const others = f.otherArticles.length === 0 ? 'no other source reports it' : `still reported by ${f.otherArticles.join(', ')}`;
      out.push(wrap(`  ✗ ${f.text} (story ${f.storyId}; ${others})`, width, '    '));
    }
  }
  out.push('', 'TEXT', ...article.text.split('\n\n').map((p) => wrap(`  ${p}`, width, '  ')));
  return `${out.join('\n')}\n`;
}
