/**
 * HTML components shared by the standalone report (src/present/html.ts) and
 * the web UI (src/server/pages.ts). Both render the same `Briefing`; they
 * differ only in where a citation leads (an anchor in the same file, or the
 * article page with the span highlighted), which a `StoryContext` decides.
 *
 * Everything that comes from an article is untrusted: it goes through
 * `escapeHtml` and is never inserted as markup, not even inside SVG.
 */
import { isEmptyDiff, type BriefingDiff, type FactChange } from '../brief/diff.js';
import type { BriefArticle, Briefing, Contradiction, Evidence, Fact } from '../brief/types.js';
import type { Span } from '../types.js';
import {
  citationLabels, consensusFacts, NO_CONSENSUS_TO_OMIT, corroboratedFacts, dateRange, describeValue, familyLetters, plural, quotesBySpeaker, singleSourceFacts, sourceName,
} from './common.js';

/** An article's text and sentence spans, so citations and claims can point into it. */
export interface ReportSource {
  id: string;
  text: string;
  sentences: Span[];
}

export interface StoryContext {
  /** Article texts by id, for the sentence around a claim; any may be missing. */
  sources: Map<string, ReportSource>;
  /** Where a citation of this evidence leads: the span, highlighted. */
  evidenceHref(evidence: Pick<Evidence, 'article' | 'span'>): string;
  /** The article's own page, when there is one (the report has none). */
  articleHref?(id: string): string;
}

export function escapeHtml(value: unknown): string {
  return String(value ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** A span of text to mark: its classes, an optional anchor id and a tooltip. */
export interface Mark {
  span: Span;
  className: string;
  id?: string;
  title?: string;
}

/**
 * Text as paragraphs (blank-line separated) with marked spans. Marks may nest
 * or overlap (an entity inside a quote inside a fact sentence): the text is cut
 * at every mark boundary and each piece carries the classes of the marks that
 * cover it, so the markup always nests correctly whatever the spans do.
 */
export function renderMarkedText(text: string, marks: Mark[]): string {
  const cuts = new Set<number>([0, text.length]);
  const breaks: Span[] = [];
  for (const m of text.matchAll(/\n\s*\n\s*/g)) {
    breaks.push([m.index!, m.index! + m[0].length]);
    cuts.add(m.index!).add(m.index! + m[0].length);
  }
  const valid = marks
    .map((m) => ({ ...m, span: [Math.max(0, Math.min(m.span[0], text.length)), Math.max(0, Math.min(m.span[1], text.length))] as Span }))
    .filter((m) => m.span[1] > m.span[0]);
  for (const m of valid) cuts.add(m.span[0]).add(m.span[1]);
  const points = [...cuts].sort((a, b) => a - b);
  const breakStarts = new Map(breaks.map(([s, e]) => [s, e]));
  const idsAt = new Map<number, string[]>();
  for (const m of valid) if (m.id) idsAt.set(m.span[0], [...(idsAt.get(m.span[0]) ?? []), m.id]);
  let html = '<p>';
  for (let i = 0; i < points.length - 1; i++) {
    const [start, end] = [points[i]!, points[i + 1]!];
    if (breakStarts.get(start) === end) { html += '</p>\n<p>'; continue; }
    const active = valid.filter((m) => m.span[0] <= start && m.span[1] >= end);
    const ids = idsAt.get(start) ?? [];
    const piece = escapeHtml(text.slice(start, end));
    // A second anchor starting at the same place gets an empty element of its own.
    for (const id of ids.slice(active.length ? 1 : 0)) html += `<span id="${escapeHtml(id)}"></span>`;
    if (active.length === 0) { html += piece; continue; }
    const classes = [...new Set(active.flatMap((m) => m.className.split(' ')))].join(' ');
    const titles = [...new Set(active.map((m) => m.title).filter(Boolean))].join(' · ');
    html += `<span class="${escapeHtml(classes)}"${ids[0] ? ` id="${escapeHtml(ids[0])}"` : ''}${titles ? ` title="${escapeHtml(titles)}"` : ''}>${piece}</span>`;
  }
  return `${html}</p>`;
}

/** The sentence of `source` that holds `span`, with the span itself marked. */
export function sentenceWithMark(source: ReportSource | undefined, span: Span, fallback: string): string {
  if (!source) return `<mark>${escapeHtml(fallback)}</mark>`;
  const sentence = source.sentences.find(([s, e]) => span[0] >= s && span[0] < e) ?? span;
  const [s, e] = [Math.min(sentence[0], span[0]), Math.max(sentence[1], span[1])];
  const t = source.text;
  return `${escapeHtml(t.slice(s, span[0]))}<mark>${escapeHtml(t.slice(span[0], span[1]))}</mark>${escapeHtml(t.slice(span[1], e))}`;
}

type Cite = (evidence: Evidence[]) => string;

/**
 * Citation markers `[n]` for evidence, one per article, numbered as `labels`
 * says: each reveals its sentence and outlet, and leads where `ctx` says.
 */
function citations(labels: Map<string, number | string>, articles: BriefArticle[], ctx: StoryContext): Cite {
  const byId = new Map(articles.map((a) => [a.id, a]));
  const nameOf = (id: string) => { const a = byId.get(id); return a ? sourceName(a) : id; };
  return (evidence) => {
    const seen = new Set<string>();
    return evidence.filter((e) => !seen.has(e.article) && seen.add(e.article)).map((e) => (
      `<a class="cite" href="${escapeHtml(ctx.evidenceHref(e))}" aria-label="Source ${escapeHtml(labels.get(e.article))}: ${escapeHtml(nameOf(e.article))}">[${escapeHtml(labels.get(e.article))}]<span class="tip" role="tooltip"><b>${escapeHtml(nameOf(e.article))}</b> ${escapeHtml(e.text)}</span></a>`
    )).join('');
  };
}

/** A contradiction: the verdict, and each side's claim highlighted in its sentence. */
function contradictionItem(c: Contradiction, cite: Cite, ctx: StoryContext): string {
  return `<li class="contradiction ${c.verdict}"><p><span class="verdict">${c.verdict}</span> <span class="kind">${escapeHtml(c.kind)}</span> ${escapeHtml(c.subject)}${c.withinFamily ? ' <span class="meta">within one source family</span>' : ''}</p>
<div class="claims">${c.claims.map((claim) => `<blockquote><p class="value">${escapeHtml(describeValue(claim.value))} ${cite([claim])}</p><p>${sentenceWithMark(ctx.sources.get(claim.article), claim.span, claim.text)}</p></blockquote>`).join('')}</div><p class="note">${escapeHtml(c.explanation)}</p></li>`;
}

/** One story's briefing as an `<article>`: every section, every citation linked through `ctx`. */
export function renderStory(b: Briefing, ctx: StoryContext): string {
  const labels = citationLabels(b);
  const letters = familyLetters(b);
  const cite = citations(labels, b.articles, ctx);
  const list = (items: string[], empty: string) => (items.length === 0 ? `<p class="note">${empty}</p>` : `<ul>${items.join('')}</ul>`);

  const sourcesRows = b.articles.map((a) => {
    const rewrite = b.rewrites.find((r) => r.from === a.id);
    const notes = [`family ${letters.get(a.family)}`];
    if (a.provenance.length) notes.push(`credits ${[...new Set(a.provenance.map((p) => p.origin))].join(', ')}`);
    if (rewrite) notes.push(`${rewrite.kind === 'duplicate' ? 'copy' : 'rewrite'} of [${labels.get(rewrite.to)}] (${Math.round(rewrite.alignedShare * 100)}% of sentences align)`);
    const title = escapeHtml(a.title ?? '(untitled)');
    const href = ctx.articleHref?.(a.id);
    return `<li><span class="label">[${labels.get(a.id)}]</span> <b>${escapeHtml(sourceName(a))}</b> — ${href ? `<a href="${escapeHtml(href)}">${title}</a>` : title}${a.published ? ` <time>${escapeHtml(a.published.slice(0, 10))}</time>` : ''} <span class="meta">${escapeHtml(notes.join(' · '))}</span></li>`;
  });
  const contradictions = b.contradictions.map((c) => contradictionItem(c, cite, ctx));
  const fact = (f: Fact) => `<li>${escapeHtml(f.text)} ${cite(f.support)} <span class="meta">${plural(f.independentSources, 'source')}</span></li>`;
  const single = singleSourceFacts(b);
  const omissions = b.articles.map((a) => {
    const missing = (b.omissions[a.id] ?? []).map((id) => b.facts.find((f) => f.id === id)).filter((f) => f !== undefined);
    return `<li><span class="label">[${labels.get(a.id)}]</span> ${escapeHtml(sourceName(a))}: ${missing.length === 0 ? 'carries every consensus fact' : `<details><summary>omits ${plural(missing.length, 'consensus fact')}</summary><ul>${missing.map((f) => `<li>${escapeHtml(f!.text)}</li>`).join('')}</ul></details>`}</li>`;
  });
  const quotes = quotesBySpeaker(b).map(([speaker, qs]) => `<li><b>${escapeHtml(speaker)}</b><ul>${qs.map((q) => `<li><q>${escapeHtml(q.text)}</q> ${cite(q.copies)} <span class="meta">${q.verbatim ? 'verbatim' : 'wording differs'}${q.paraphraseInQuotes ? ' · a paraphrase is presented in quote marks' : ''}</span></li>`).join('')}</ul></li>`);
  const timeline = b.timeline.map((t) => `<li><time>${escapeHtml(t.date)}</time> ${escapeHtml(t.text)} ${cite(t.evidence)}</li>`);
  const actors = b.actors.filter((a) => a.articles.length >= 2 || a.roles.length > 0).map((a) => `<li><b>${escapeHtml(a.name)}</b> <span class="kind">${a.type}</span>${a.roles.length ? ` — ${escapeHtml([...new Set(a.roles.map((r) => `${r.title}${r.affiliation ? ` (${r.affiliation})` : ''}`))].join('; '))} ${cite(a.roles.flatMap((r) => r.evidence))}` : ''} <span class="meta">${plural(a.articles.length, 'article')}${a.aliases.length ? ` · also ${escapeHtml(a.aliases.join(', '))}` : ''}</span></li>`);
  const id = escapeHtml(b.id);

  return `<article class="story" id="story-${id}">
<header><h1>${escapeHtml(b.headline)}</h1><p class="meta">Story ${id} · ${plural(b.articles.length, 'article')} · ${plural(b.independentSources, 'independent source')} · ${plural(b.contradictions.length, 'contradiction')} · ${escapeHtml(dateRange(b))}</p></header>
<section aria-labelledby="${id}-sources"><h2 id="${id}-sources">Sources</h2><ul class="sources">${sourcesRows.join('')}</ul>
${renderProvenanceGraph(b)}</section>
<section aria-labelledby="${id}-summary"><h2 id="${id}-summary">Summary</h2>${list(b.summary.map((s) => `<li>${escapeHtml(s.text)} ${cite(s.evidence)}</li>`), 'No summary: too little text.')}</section>
<section aria-labelledby="${id}-contra"><h2 id="${id}-contra">Contradictions</h2>${list(contradictions, 'No contradictions found between the sources.')}</section>
<section aria-labelledby="${id}-matrix"><h2 id="${id}-matrix">Who reports what</h2>${renderFactMatrix(b, ctx)}</section>
<section aria-labelledby="${id}-consensus"><h2 id="${id}-consensus">Consensus</h2>${list(consensusFacts(b).map(fact), 'No fact is carried by most independent sources.')}</section>
${corroboratedFacts(b).length ? `<section aria-labelledby="${id}-corr"><h2 id="${id}-corr">Also corroborated</h2>${list(corroboratedFacts(b).map(fact), '')}</section>` : ''}
<section aria-labelledby="${id}-single"><h2 id="${id}-single">Reported by one source only</h2><details><summary>${plural(single.length, 'statement')}</summary>${list(single.map(fact), 'None.')}</details></section>
<section aria-labelledby="${id}-omit"><h2 id="${id}-omit">What each source leaves out</h2>${consensusFacts(b).length === 0 ? `<p class="note">${NO_CONSENSUS_TO_OMIT}</p>` : list(omissions, '')}</section>
<section aria-labelledby="${id}-quotes"><h2 id="${id}-quotes">Quotes by speaker</h2>${list(quotes, 'No direct quotes.')}</section>
<section aria-labelledby="${id}-actors"><h2 id="${id}-actors">Actors</h2>${list(actors, 'No actors found.')}</section>
<section aria-labelledby="${id}-timeline"><h2 id="${id}-timeline">Timeline</h2>${list(timeline, 'No dated events.')}</section>
</article>`;
}

/**
 * What changed in a story (`BriefingDiff`, as `brief --since` prints it) as a
 * `<section>`: the same sections as the terminal view, citations numbered as
 * in the later briefing `after`; articles that left the story are numbered on
 * after its own, so what cites them still leads to their text.
 */
export function renderStoryChanges(diff: BriefingDiff, after: Briefing, ctx: StoryContext): string {
  const labels: Map<string, number | string> = citationLabels(after);
  diff.removedArticles.forEach((a, i) => labels.set(a.id, after.articles.length + i + 1));
  const cite = citations(labels, [...after.articles, ...diff.removedArticles], ctx);
  const parts: string[] = [];
  const section = (title: string, items: string[], note = '') => {
    if (items.length > 0) parts.push(`<h3>${escapeHtml(title)} (${items.length})</h3>${note}<ul>${items.join('')}</ul>`);
  };
  const source = (a: BriefArticle, note: string) => {
    const title = escapeHtml(a.title ?? '(untitled)');
    const href = ctx.articleHref?.(a.id);
    return `<li><span class="label">[${escapeHtml(labels.get(a.id))}]</span> <b>${escapeHtml(sourceName(a))}</b> — ${href ? `<a href="${escapeHtml(href)}">${title}</a>` : title}${a.published ? ` <time>${escapeHtml(a.published.slice(0, 10))}</time>` : ''}${note}</li>`;
  };
  const moved = (c: FactChange) => {
    const ids = (list: string[]) => cite(list.map((id) => c.fact.support.find((e) => e.article === id) ?? { article: id, span: [0, 0], text: '' }));
    const notes = [c.gained.length ? `now also ${ids(c.gained)}` : '', c.lost.length ? `no longer ${c.lost.map((id) => `[${escapeHtml(labels.get(id) ?? id)}]`).join('')}` : ''].filter(Boolean).join(', ');
    return `<li>${escapeHtml(c.fact.text)} ${cite(c.fact.support)} <span class="meta">${c.before} → ${plural(c.after, 'source')}</span>${notes ? ` <span class="meta">(${notes})</span>` : ''}</li>`;
  };
  section('New sources', diff.newArticles.map((a) => source(a, '')));
  section('Sources gone', diff.removedArticles.map((a) => source(a, ' <span class="meta">replaced by a revision of its page, or moved to another story</span>')));
  section('New contradictions', diff.newContradictions.map((c) => contradictionItem(c, cite, ctx)));
  section('Contradictions no longer standing', diff.resolvedContradictions.map((c) => `<li><span class="kind">${escapeHtml(c.kind)}</span> ${escapeHtml(c.subject)}: ${c.claims.map((claim) => `${escapeHtml(describeValue(claim.value))} ${cite([claim])}`).join(' vs ')}</li>`));
  section('New facts', diff.newFacts.map((f) => `<li>${escapeHtml(f.text)} ${cite(f.support)} <span class="meta">${plural(f.independentSources, 'source')}</span></li>`));
  section('Facts that gained support', diff.strengthened.map(moved));
  section('Facts that lost support', [
    ...diff.weakened.map(moved),
    ...diff.droppedFacts.map((f) => `<li>${escapeHtml(f.text)} ${cite(f.support)} <span class="meta">no source carries it any more (was ${plural(f.independentSources, 'source')})</span></li>`),
  ]);
  section('New quotes', diff.newQuotes.map((q) => `<li><b>${escapeHtml(q.speaker ?? 'Unattributed')}</b>: <q>${escapeHtml(q.text)}</q> ${cite(q.copies)}</li>`));
  const counts = `${diff.articles.before} → ${plural(diff.articles.after, 'article')} · ${diff.independentSources.before} → ${plural(diff.independentSources.after, 'independent source')}`;
  const against = diff.since ? `Compared with the briefing built ${escapeHtml(diff.since)}` : 'No briefing had been built by then: everything is new';
  return `<section class="changes" aria-labelledby="changes-h"><h2 id="changes-h">What changed</h2>
<p class="meta">${against} · ${counts}</p>
${isEmptyDiff(diff) ? '<p class="note">Nothing changed.</p>' : parts.join('\n')}</section>`;
}

/** Facts carried by two or more families, most widely carried first: the rows of the matrix. */
const MATRIX_ROWS = 30;

/**
 * Sources × facts: one row per corroborated fact, one column per article; a
 * filled cell links to the sentence that carries it, an empty one is an omission.
 */
export function renderFactMatrix(b: Briefing, ctx: StoryContext): string {
  const labels = citationLabels(b);
  const rows = [...consensusFacts(b), ...corroboratedFacts(b)].slice(0, MATRIX_ROWS);
  if (rows.length === 0) return '<p class="note">No fact is carried by two or more independent sources.</p>';
  const head = b.articles.map((a) => `<th scope="col"><abbr title="${escapeHtml(sourceName(a))}">[${labels.get(a.id)}]</abbr></th>`).join('');
  const body = rows.map((f) => {
    const cells = b.articles.map((a) => {
      const ev = f.support.find((e) => e.article === a.id);
      return ev
        ? `<td class="has"><a href="${escapeHtml(ctx.evidenceHref(ev))}" title="${escapeHtml(ev.text)}">●<span class="vh">[${labels.get(a.id)}] ${escapeHtml(sourceName(a))} reports this</span></a></td>`
        : `<td class="miss">–<span class="vh">[${labels.get(a.id)}] ${escapeHtml(sourceName(a))} does not report this</span></td>`;
    }).join('');
    return `<tr><th scope="row">${escapeHtml(f.text)}${f.consensus ? '' : ' <span class="meta">(not consensus)</span>'}</th>${cells}</tr>`;
  }).join('');
  const more = consensusFacts(b).length + corroboratedFacts(b).length - rows.length;
  return `<div class="matrix-wrap" tabindex="0" role="region" aria-label="Sources by facts"><table class="matrix"><caption class="note">● the source reports the fact (links to its sentence) · – it leaves it out${more > 0 ? ` · ${more} more facts in the lists below` : ''}</caption><thead><tr><th scope="col">Fact</th>${head}</tr></thead><tbody>${body}</tbody></table></div>`;
}

/**
 * Provenance as a small SVG graph: one node per article (labelled with its
 * citation number and family letter), the wire services and networks they
 * credit above them, and arrows from each rewrite or copy to its original.
 * A text description goes with it for screen readers.
 */
export function renderProvenanceGraph(b: Briefing): string {
  const labels = citationLabels(b);
  const letters = familyLetters(b);
  const origins = [...new Set(b.articles.flatMap((a) => a.provenance.map((p) => p.origin)))];
  if (origins.length === 0 && b.rewrites.length === 0) return '';
  const step = 130;
  const width = Math.max(b.articles.length, origins.length) * step + 20;
  const xOf = (i: number, n: number) => 10 + (width - 20) * ((i + 0.5) / n);
  const articleX = new Map(b.articles.map((a, i) => [a.id, xOf(i, b.articles.length)]));
  const originX = new Map(origins.map((o, i) => [o, xOf(i, origins.length)]));
  const [originY, nodeY] = [28, 118];
  const hasRewrites = b.rewrites.length > 0;
  const height = hasRewrites ? 215 : 170;
  const marker = `arrow-${b.id.replace(/[^A-Za-z0-9_-]/g, '')}`;
  const short = (s: string) => (s.length > 14 ? `${s.slice(0, 13)}…` : s);
  const parts: string[] = [];
  for (const a of b.articles) {
    for (const origin of new Set(a.provenance.map((p) => p.origin))) {
      parts.push(`<line class="credit" x1="${articleX.get(a.id)!.toFixed(1)}" y1="${nodeY - 18}" x2="${originX.get(origin)!.toFixed(1)}" y2="${originY + 14}"/>`);
    }
  }
  for (const r of b.rewrites) {
    const [x1, x2] = [articleX.get(r.from), articleX.get(r.to)];
    if (x1 === undefined || x2 === undefined) continue;
    const dip = nodeY + 60 + Math.min(30, Math.abs(x2 - x1) / 10);
    parts.push(`<path class="rewrite" marker-end="url(#${marker})" d="M${x1.toFixed(1)} ${nodeY + 40} Q${((x1 + x2) / 2).toFixed(1)} ${dip} ${x2.toFixed(1)} ${nodeY + 42}"/>`);
    parts.push(`<text class="sub" text-anchor="middle" x="${((x1 + x2) / 2).toFixed(1)}" y="${dip - 8}">${r.kind === 'duplicate' ? 'copy' : `rewrite ${Math.round(r.alignedShare * 100)}%`}</text>`);
  }
  origins.forEach((o) => {
    const x = originX.get(o)!;
    parts.push(`<rect class="origin" x="${(x - 40).toFixed(1)}" y="${originY - 14}" width="80" height="28" rx="14"/><text text-anchor="middle" x="${x.toFixed(1)}" y="${originY + 4}">${escapeHtml(short(o))}</text>`);
  });
  for (const a of b.articles) {
    const x = articleX.get(a.id)!;
    parts.push(`<circle class="node" cx="${x.toFixed(1)}" cy="${nodeY}" r="18"/><text text-anchor="middle" x="${x.toFixed(1)}" y="${nodeY + 4}">[${labels.get(a.id)}]</text>`);
    parts.push(`<text text-anchor="middle" x="${x.toFixed(1)}" y="${nodeY + 34}">${escapeHtml(short(sourceName(a)))}</text><text class="sub" text-anchor="middle" x="${x.toFixed(1)}" y="${nodeY - 24}">family ${letters.get(a.family)}</text>`);
  }
  const described = [
    ...b.articles.filter((a) => a.provenance.length).map((a) => `[${labels.get(a.id)}] credits ${[...new Set(a.provenance.map((p) => p.origin))].join(', ')}`),
    ...b.rewrites.map((r) => `[${labels.get(r.from)}] is a ${r.kind === 'duplicate' ? 'copy' : 'rewrite'} of [${labels.get(r.to)}]`),
  ].join('; ');
  return `<figure><svg class="graph" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-labelledby="${marker}-t ${marker}-d"><title id="${marker}-t">How the sources relate</title><desc id="${marker}-d">${escapeHtml(described)}</desc>
<defs><marker id="${marker}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path class="arrow" d="M0 0L10 5L0 10z"/></marker></defs>
${parts.join('\n')}</svg><figcaption class="note">Provenance: dashed lines lead to the wire service or network an article credits; red arrows go from a rewrite or copy to its original. ${escapeHtml(described)}.</figcaption></figure>`;
}
