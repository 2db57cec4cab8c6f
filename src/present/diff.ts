/**
 * A story's changes (`BriefingDiff`) as text, Markdown or JSON: the same
 * layout as the briefing (citations `[n]` are the later briefing's), listing
 * only what is new or different.
 */
import { isEmptyDiff, type BriefingDiff, type FactChange } from '../brief/diff.js';
import type { Briefing } from '../brief/types.js';
import { citationLabels, describeValue, plural, sourceName } from './common.js';
import { wrap } from './text.js';

export function renderDiff(diff: BriefingDiff, after: Briefing, format: 'text' | 'md' | 'json', options: { width?: number } = {}): string {
  if (format === 'json') return `${JSON.stringify(diff, null, 2)}\n`;
  const md = format === 'md';
  const width = md ? Number.MAX_SAFE_INTEGER : options.width ?? 100;
  const labels = citationLabels(after);
  const cite = (ids: string[]) => ids.map((id) => (labels.has(id) ? `[${labels.get(id)}]` : `[${id}]`)).join('');
  const out: string[] = [];
  const heading = (title: string, count: number) => { if (count > 0) out.push('', md ? `## ${title} (${count})` : `${title.toUpperCase()} (${count})`); };
  const bullet = (text: string) => out.push(wrap(`${md ? '-' : '  •'} ${text}`, width, md ? '  ' : '    '));
  const change = (c: FactChange) => {
    const moves = [c.gained.length ? `now also ${cite(c.gained)}` : '', c.lost.length ? `no longer ${cite(c.lost)}` : ''].filter(Boolean).join(', ');
    return `${c.fact.text} · ${c.before} → ${plural(c.after, 'source')}${moves ? ` (${moves})` : ''}`;
  };

  out.push(md ? `# What changed: ${diff.headline}` : `WHAT CHANGED · ${diff.headline}`);
  out.push(`Story ${diff.storyId} · since ${diff.since ?? 'the start (no earlier briefing)'} · ${diff.articles.before} → ${plural(diff.articles.after, 'article')} · ${diff.independentSources.before} → ${plural(diff.independentSources.after, 'independent source')}`);
  if (isEmptyDiff(diff)) {
    out.push('', 'Nothing changed.');
    return `${out.join('\n')}\n`;
  }
  heading('New sources', diff.newArticles.length);
  for (const a of diff.newArticles) bullet(`${cite([a.id])} ${sourceName(a)} — ${a.title ?? '(untitled)'}${a.published ? ` (${a.published.slice(0, 10)})` : ''}`);
  heading('Sources gone', diff.removedArticles.length);
  for (const a of diff.removedArticles) bullet(`${a.id} ${sourceName(a)} — ${a.title ?? '(untitled)'} (replaced by a revision, or moved to another story)`);
  heading('New contradictions', diff.newContradictions.length);
  for (const c of diff.newContradictions) {
    bullet(`${c.verdict === 'conflicting' ? '✗ conflicting' : '≈ compatible'} · ${c.kind} · ${c.subject}: ${c.claims.map((claim) => `${cite([claim.article])} ${describeValue(claim.value)}`).join(' vs ')}`);
  }
  heading('Contradictions no longer standing', diff.resolvedContradictions.length);
  for (const c of diff.resolvedContradictions) bullet(`${c.kind} · ${c.subject}`);
  heading('New facts', diff.newFacts.length);
  for (const f of diff.newFacts) bullet(`${f.text} ${cite(f.articles)} · ${plural(f.independentSources, 'source')}`);
  heading('Facts that gained support', diff.strengthened.length);
  for (const c of diff.strengthened) bullet(change(c));
  heading('Facts that lost support', diff.weakened.length + diff.droppedFacts.length);
  for (const c of diff.weakened) bullet(change(c));
  for (const f of diff.droppedFacts) bullet(`${f.text} · no source carries it any more (was ${plural(f.independentSources, 'source')})`);
  heading('New quotes', diff.newQuotes.length);
  for (const q of diff.newQuotes) bullet(`${q.speaker ?? 'Unattributed'}: “${q.text}” ${cite(q.articles)}`);
  return `${out.join('\n')}\n`;
}
