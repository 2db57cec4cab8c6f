/**
 * A stored page's revisions (the same URL fetched again with a changed text):
 * every fetch, the sentences the last change removed and added, and the facts
 * of the story's briefing that change removed. `articleRevisions` reads them
 * from the store (the diffs themselves are the pure functions of
 * src/brief/revisions.ts); the terminal (`triangulate article`), the API and
 * the article page render this one object.
 */
import { diffRevision, factsRemovedBy, type RevisionDiff } from '../brief/revisions.js';
import type { Briefing, Fact } from '../brief/types.js';
import type { PageVersion, Store } from '../store/index.js';
import type { Article } from '../types.js';
import { plural } from './common.js';
import { escapeHtml, type StoryContext } from './components.js';
import { wrap } from './text.js';

export interface ArticleRevisions {
  /** The URL the page was fetched from (null for files). */
  fetchedFrom: string | null;
  /** Every fetch of that URL, oldest first. */
  revisions: PageVersion[];
  /** The newer article that replaced this one, when the page changed since. */
  supersededBy: string | null;
  /** The changes from the previous revision to this one. */
  changes: RevisionDiff | null;
  /** Facts of the story's briefing (as built before this revision) that the changes removed, with the other articles that still carry each. */
  removedFacts: RemovedFact[];
}

export type RemovedFact = Fact & { storyId: string; otherArticles: string[] };

/** The revision history of the article's URL and its last change, from the store. */
export async function articleRevisions(store: Store, article: Article): Promise<ArticleRevisions> {
  const raw = await store.getRaw(article.rawHash);
  const url = raw?.url ?? null;
  const revisions = url ? await store.pageVersions(url) : [];
  const texts = revisions.filter((r) => r.articleId !== null);
  const at = texts.findIndex((r) => r.articleId === article.id);
  const supersededBy = at >= 0 && at < texts.length - 1 ? texts.at(-1)!.articleId : null;
  let changes: RevisionDiff | null = null;
  const removedFacts: RemovedFact[] = [];
  const previousId = at > 0 ? texts[at - 1]!.articleId! : null;
  const previous = previousId ? await store.getArticle(previousId) : null;
  if (previous) {
    changes = diffRevision(previous, article);
    // The briefing built before this revision arrived is the one that still counted the older text.
    const storyId = (await store.storiesOf([previous.id])).get(previous.id) ?? (await store.storiesOf([article.id])).get(article.id);
    const saved = storyId ? await store.getBriefing(storyId, texts[at]!.firstSeen) : null;
    if (saved && storyId) for (const fact of factsRemovedBy(changes, JSON.parse(saved.data) as Briefing)) removedFacts.push({ ...fact, storyId, otherArticles: fact.articles.filter((id) => id !== previous.id) });
  }
  return { fetchedFrom: url, revisions, supersededBy, changes, removedFacts };
}

/** The revisions as terminal text: nothing when the page was fetched once. */
export function renderRevisionsText(articleId: string, view: ArticleRevisions, width = 100): string[] {
  const out: string[] = [];
  if (view.revisions.length > 1) {
    out.push('', `REVISIONS OF ${view.fetchedFrom} (${view.revisions.length} fetches)`);
    view.revisions.forEach((r, i) => out.push(`  ${String(i + 1).padStart(2)}. ${r.firstSeen}  ${r.articleId ?? '(same text, or no article)'}${r.articleId === articleId ? '  ← this article' : ''}`));
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
  return out;
}

/**
 * The revisions as an HTML section (empty when the page was fetched once):
 * removed sentences link to where they stood in the older revision, added
 * ones to this text; each removed fact says which other articles still carry it.
 */
export function renderRevisionsHtml(articleId: string, view: ArticleRevisions, ctx: Pick<StoryContext, 'evidenceHref'> & { articleHref(id: string): string; storyHref(id: string): string }): string {
  if (view.revisions.length < 2 && !view.changes && !view.supersededBy) return '';
  const link = (id: string) => `<a href="${escapeHtml(ctx.articleHref(id))}">${escapeHtml(id)}</a>`;
  const parts: string[] = ['<section class="revisions" aria-labelledby="revisions-h"><h2 id="revisions-h">Revisions</h2>'];
  if (view.supersededBy) parts.push(`<p class="status" role="note">The page has changed since this text was fetched: its newest text is article ${link(view.supersededBy)}, and briefings use that one.</p>`);
  if (view.revisions.length > 1) {
    parts.push(`<p class="meta">${escapeHtml(view.fetchedFrom ?? '')} was fetched ${view.revisions.length} times:</p><ol class="fetches">${view.revisions.map((r) => `<li><time>${escapeHtml(r.firstSeen)}</time> ${r.articleId === articleId ? `<b>${escapeHtml(r.articleId)}</b> (this text)` : r.articleId ? link(r.articleId) : '<span class="meta">the same text, or no article</span>'}</li>`).join('')}</ol>`);
  }
  if (view.changes) {
    const c = view.changes;
    const sentence = (e: RevisionDiff['removed'][number]) => `<li><a href="${escapeHtml(ctx.evidenceHref(e))}">${escapeHtml(e.text)}</a></li>`;
    parts.push(`<h3>Changes from ${link(c.from)}</h3><p class="meta">${plural(c.removed.length, 'sentence')} removed, ${c.added.length} added, ${c.unchanged} unchanged.</p>`);
    if (c.removed.length) parts.push(`<h4>Removed</h4><ul class="removed">${c.removed.map(sentence).join('')}</ul>`);
    if (c.added.length) parts.push(`<h4>Added</h4><ul class="added">${c.added.map(sentence).join('')}</ul>`);
  }
  if (view.removedFacts.length) {
    parts.push(`<h3>Facts this revision removed</h3><ul class="removed">${view.removedFacts.map((f) => `<li>${escapeHtml(f.text)} <span class="meta">story <a href="${escapeHtml(ctx.storyHref(f.storyId))}">${escapeHtml(f.storyId)}</a>; ${f.otherArticles.length === 0 ? 'no other source reports it' : `still reported by ${f.otherArticles.map(link).join(', ')}`}</span></li>`).join('')}</ul>`);
  }
  parts.push('</section>');
  return parts.join('\n');
}
