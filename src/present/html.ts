/**
 * The standalone HTML report: one self-contained file (no scripts, no network)
 * that opens in any browser. Every citation reveals its source sentence on
 * hover or keyboard focus and links to that sentence, highlighted, in the
 * article's full text at the end of the report. Everything that comes from an
 * article is escaped: article text is data, never markup.
 */
import type { Briefing, Evidence } from '../brief/types.js';
import type { Span } from '../types.js';
import {
  citationLabels, consensusFacts, corroboratedFacts, dateRange, describeValue, familyLetters, plural, quotesBySpeaker, singleSourceFacts, sourceName,
} from './common.js';

/** An article's text and sentence spans, so citations can point into it. */
export interface ReportSource {
  id: string;
  text: string;
  sentences: Span[];
}

export function escapeHtml(value: unknown): string {
  return String(value ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** Anchor id of the sentence holding an evidence span. */
function anchorOf(sources: Map<string, ReportSource>, ev: Pick<Evidence, 'article' | 'span'>): string {
  const source = sources.get(ev.article);
  const index = source ? source.sentences.findIndex(([s, e]) => ev.span[0] >= s && ev.span[0] < e) : -1;
  return `${ev.article}-s${Math.max(index, 0)}`;
}

export function renderHtml(briefings: Briefing[], sources: ReportSource[], title = 'Triangulate briefing'): string {
  const sourceMap = new Map(sources.map((s) => [s.id, s]));
  const body = briefings.map((b) => renderStory(b, sourceMap)).join('\n');
  const cited = new Set(briefings.flatMap((b) => b.articles.map((a) => a.id)));
  const texts = sources.filter((s) => cited.has(s.id)).map((s) => renderSource(s, briefings)).join('\n');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style>
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

function renderStory(b: Briefing, sources: Map<string, ReportSource>): string {
  const labels = citationLabels(b);
  const letters = familyLetters(b);
  const byId = new Map(b.articles.map((a) => [a.id, a]));
  const cite = (evidence: Evidence[]) => {
    const seen = new Set<string>();
    return evidence.filter((e) => !seen.has(e.article) && seen.add(e.article)).map((e) => {
      const article = byId.get(e.article);
      return `<a class="cite" href="#${anchorOf(sources, e)}" aria-label="Source ${labels.get(e.article)}: ${escapeHtml(article ? sourceName(article) : e.article)}">[${labels.get(e.article)}]<span class="tip" role="tooltip"><b>${escapeHtml(article ? sourceName(article) : e.article)}</b> ${escapeHtml(e.text)}</span></a>`;
    }).join('');
  };
  const list = (items: string[], empty: string) => (items.length === 0 ? `<p class="note">${empty}</p>` : `<ul>${items.join('')}</ul>`);

  const sourcesRows = b.articles.map((a) => {
    const rewrite = b.rewrites.find((r) => r.from === a.id);
    const notes = [`family ${letters.get(a.family)}`];
    if (a.provenance.length) notes.push(`credits ${[...new Set(a.provenance.map((p) => p.origin))].join(', ')}`);
    if (rewrite) notes.push(`${rewrite.kind === 'duplicate' ? 'copy' : 'rewrite'} of [${labels.get(rewrite.to)}] (${Math.round(rewrite.alignedShare * 100)}% of sentences align)`);
    return `<li><span class="label">[${labels.get(a.id)}]</span> <b>${escapeHtml(sourceName(a))}</b> — ${escapeHtml(a.title ?? '(untitled)')}${a.published ? ` <time>${escapeHtml(a.published.slice(0, 10))}</time>` : ''} <span class="meta">${escapeHtml(notes.join(' · '))}</span></li>`;
  });
  const contradictions = b.contradictions.map((c) => `<li class="contradiction ${c.verdict}"><p><span class="verdict">${c.verdict}</span> <span class="kind">${escapeHtml(c.kind)}</span> ${escapeHtml(c.subject)}${c.withinFamily ? ' <span class="meta">within one source family</span>' : ''}</p>
<div class="claims">${c.claims.map((claim) => `<blockquote><p class="value">${escapeHtml(describeValue(claim.value))} ${cite([claim])}</p><p>${escapeHtml(claim.text)}</p></blockquote>`).join('')}</div><p class="note">${escapeHtml(c.explanation)}</p></li>`);
  const fact = (f: Briefing['facts'][number]) => `<li>${escapeHtml(f.text)} ${cite(f.support)} <span class="meta">${plural(f.independentSources, 'source')}</span></li>`;
  const single = singleSourceFacts(b);
  const omissions = b.articles.map((a) => {
    const missing = (b.omissions[a.id] ?? []).map((id) => b.facts.find((f) => f.id === id)).filter((f) => f !== undefined);
    return `<li><span class="label">[${labels.get(a.id)}]</span> ${escapeHtml(sourceName(a))}: ${missing.length === 0 ? 'carries every consensus fact' : `<details><summary>omits ${plural(missing.length, 'consensus fact')}</summary><ul>${missing.map((f) => `<li>${escapeHtml(f!.text)}</li>`).join('')}</ul></details>`}</li>`;
  });
  const quotes = quotesBySpeaker(b).map(([speaker, qs]) => `<li><b>${escapeHtml(speaker)}</b><ul>${qs.map((q) => `<li><q>${escapeHtml(q.text)}</q> ${cite(q.copies)} <span class="meta">${q.verbatim ? 'verbatim' : 'wording differs'}${q.paraphraseInQuotes ? ' · a paraphrase is presented in quote marks' : ''}</span></li>`).join('')}</ul></li>`);
  const timeline = b.timeline.map((t) => `<li><time>${escapeHtml(t.date)}</time> ${escapeHtml(t.text)} ${cite(t.evidence)}</li>`);
  const actors = b.actors.filter((a) => a.articles.length >= 2 || a.roles.length > 0).map((a) => `<li><b>${escapeHtml(a.name)}</b> <span class="kind">${a.type}</span>${a.roles.length ? ` — ${escapeHtml([...new Set(a.roles.map((r) => `${r.title}${r.affiliation ? ` (${r.affiliation})` : ''}`))].join('; '))}` : ''} <span class="meta">${plural(a.articles.length, 'article')}${a.aliases.length ? ` · also ${escapeHtml(a.aliases.join(', '))}` : ''}</span></li>`);

  return `<article class="story" id="story-${escapeHtml(b.id)}">
<header><h1>${escapeHtml(b.headline)}</h1><p class="meta">Story ${escapeHtml(b.id)} · ${plural(b.articles.length, 'article')} · ${plural(b.independentSources, 'independent source')} · ${escapeHtml(dateRange(b))}</p></header>
<section><h2>Sources</h2><ul class="sources">${sourcesRows.join('')}</ul></section>
<section><h2>Summary</h2>${list(b.summary.map((s) => `<li>${escapeHtml(s.text)} ${cite(s.evidence)}</li>`), 'No summary: too little text.')}</section>
<section><h2>Contradictions</h2>${list(contradictions, 'No contradictions found between the sources.')}</section>
<section><h2>Consensus</h2>${list(consensusFacts(b).map(fact), 'No fact is carried by most independent sources.')}</section>
${corroboratedFacts(b).length ? `<section><h2>Also corroborated</h2>${list(corroboratedFacts(b).map(fact), '')}</section>` : ''}
<section><h2>Reported by one source only</h2><details><summary>${plural(single.length, 'statement')}</summary>${list(single.map(fact), 'None.')}</details></section>
<section><h2>What each source leaves out</h2>${list(omissions, '')}</section>
<section><h2>Quotes by speaker</h2>${list(quotes, 'No direct quotes.')}</section>
<section><h2>Timeline</h2>${list(timeline, 'No dated events.')}</section>
<section><h2>Actors</h2>${list(actors, 'No actors found.')}</section>
</article>`;
}

function renderSource(source: ReportSource, briefings: Briefing[]): string {
  const article = briefings.flatMap((b) => b.articles).find((a) => a.id === source.id);
  const label = briefings.map((b) => citationLabels(b).get(source.id)).find((n) => n !== undefined);
  let html = '';
  let cursor = 0;
  source.sentences.forEach(([start, end], i) => {
    html += escapeHtml(source.text.slice(cursor, start)).replace(/\n\n+/g, '</p><p>');
    html += `<span class="sentence" id="${escapeHtml(source.id)}-s${i}">${escapeHtml(source.text.slice(start, end))}</span>`;
    cursor = end;
  });
  html += escapeHtml(source.text.slice(cursor)).replace(/\n\n+/g, '</p><p>');
  return `<article class="source" id="${escapeHtml(source.id)}"><h3>[${label ?? '?'}] ${escapeHtml(article ? sourceName(article) : source.id)} — ${escapeHtml(article?.title ?? '')}</h3><p>${html}</p></article>`;
}

const STYLE = `
:root{color-scheme:light dark;--fg:#1b1b1b;--bg:#fdfdfb;--muted:#5d5d5d;--accent:#0b5cad;--bad:#a3111b;--ok:#2d6a1f;--hl:#fff1a8;--card:#f3f2ee}
@media (prefers-color-scheme:dark){:root{--fg:#ececec;--bg:#161616;--muted:#b0b0b0;--accent:#8cc4ff;--bad:#ff8a8a;--ok:#9fdc86;--hl:#5a4d00;--card:#222}}
*{box-sizing:border-box}body{margin:0;font:17px/1.55 Georgia,'Times New Roman',serif;color:var(--fg);background:var(--bg)}
main{max-width:52rem;margin:0 auto;padding:1rem}h1{font-size:1.7rem;line-height:1.25;margin:.5rem 0}h2{font:600 1rem/1.3 system-ui,sans-serif;text-transform:uppercase;letter-spacing:.04em;margin-top:2rem;border-bottom:1px solid var(--muted)}
.meta,.note,.kind,time{font:.85rem/1.4 system-ui,sans-serif;color:var(--muted)}.label{font:600 .85rem system-ui,sans-serif}
ul{padding-left:1.2rem}li{margin:.35rem 0}
.cite{position:relative;font:600 .75rem system-ui,sans-serif;color:var(--accent);text-decoration:none;vertical-align:super;margin-left:1px}
.cite:focus{outline:2px solid var(--accent);outline-offset:1px}
.tip{display:none;position:absolute;z-index:2;left:0;top:1.4em;width:min(24rem,80vw);padding:.6rem;background:var(--card);color:var(--fg);border:1px solid var(--muted);border-radius:4px;font:400 .85rem/1.4 system-ui,sans-serif;box-shadow:0 2px 8px #0004}
.cite:hover .tip,.cite:focus .tip{display:block}
.contradiction{list-style:none;margin:1rem 0;padding:.6rem;background:var(--card);border-left:4px solid var(--muted)}
.contradiction.conflicting{border-left-color:var(--bad)}.contradiction.compatible{border-left-color:var(--ok)}
.verdict{font:700 .8rem system-ui,sans-serif;text-transform:uppercase}.conflicting .verdict{color:var(--bad)}.compatible .verdict{color:var(--ok)}
.claims{display:grid;grid-template-columns:repeat(auto-fit,minmax(14rem,1fr));gap:.6rem}blockquote{margin:0;padding:.4rem .6rem;border:1px solid var(--muted);border-radius:4px}
.value{font:600 .9rem system-ui,sans-serif;margin:0 0 .3rem}
.source{margin:1.5rem 0}.source h3{font:600 1rem system-ui,sans-serif}.sentence:target{background:var(--hl);outline:2px solid var(--accent)}
footer{max-width:52rem;margin:2rem auto;padding:1rem;font:.8rem system-ui,sans-serif;color:var(--muted)}
`;
