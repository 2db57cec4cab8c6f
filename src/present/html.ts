/**
 * The standalone HTML report: one self-contained file (no scripts, no network)
 * that opens in any browser. Every citation reveals its source sentence on
 * hover or keyboard focus and links to that sentence, highlighted, in the
 * article's full text at the end of the report. Everything that comes from an
 * article is escaped: article text is data, never markup.
 *
 * The story itself is rendered by the components the web UI uses too
 * (./components.ts); only where a citation leads differs.
 */
import type { Briefing, Evidence } from '../brief/types.js';
import { citationLabels, sourceName } from './common.js';
import { escapeHtml, renderMarkedText, renderStory, type ReportSource, type StoryContext } from './components.js';
import { BRIEFING_CSS } from './style.js';

export { escapeHtml, type ReportSource } from './components.js';

/** Anchor id of the sentence holding an evidence span. */
function anchorOf(sources: Map<string, ReportSource>, ev: Pick<Evidence, 'article' | 'span'>): string {
  const source = sources.get(ev.article);
  const index = source ? source.sentences.findIndex(([s, e]) => ev.span[0] >= s && ev.span[0] < e) : -1;
  return `${ev.article}-s${Math.max(index, 0)}`;
}

export function renderHtml(briefings: Briefing[], sources: ReportSource[], title = 'Triangulate briefing'): string {
  const sourceMap = new Map(sources.map((s) => [s.id, s]));
  const ctx: StoryContext = { sources: sourceMap, evidenceHref: (e) => `#${anchorOf(sourceMap, e)}` };
  const body = briefings.map((b) => renderStory(b, ctx)).join('\n');
  const cited = new Set(briefings.flatMap((b) => b.articles.map((a) => a.id)));
  const texts = sources.filter((s) => cited.has(s.id)).map((s) => renderSource(s, briefings)).join('\n');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<title>${escapeHtml(title)}</title>
<style>${BRIEFING_CSS}</style>
</head>
<body>
<main>
${body}
<section class="texts" aria-labelledby="texts-h"><h2 id="texts-h">Source texts</h2>
<p class="note">Each article as extracted. A citation links to its sentence here, highlighted.</p>
${texts}
</section>
</main>
<footer>Made by Triangulate. Every statement above is taken verbatim from the sources and cites them.</footer>
</body>
</html>
`;
}

function renderSource(source: ReportSource, briefings: Briefing[]): string {
  const article = briefings.flatMap((b) => b.articles).find((a) => a.id === source.id);
  const label = briefings.map((b) => citationLabels(b).get(source.id)).find((n) => n !== undefined);
  const marks = source.sentences.map((span, i) => ({ span, className: 'sentence', id: `${source.id}-s${i}` }));
  return `<article class="source" id="${escapeHtml(source.id)}"><h3>[${label ?? '?'}] ${escapeHtml(article ? sourceName(article) : source.id)} — ${escapeHtml(article?.title ?? '')}</h3>${renderMarkedText(source.text, marks)}</article>`;
}
