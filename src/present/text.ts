/**
 * The terminal briefing, written like an editor's memo: headline, sources and
 * families, the cited summary, contradictions side by side, consensus and
 * single-source facts, omissions, quotes by speaker, timeline, actors.
 * Markdown uses the same layout with Markdown syntax (see `renderMarkdown`).
 */
import type { Briefing } from '../brief/types.js';
import {
  citationLabels, consensusFacts, NO_CONSENSUS_TO_OMIT, corroboratedFacts, dateRange, describeValue, familyLetters, plural, quotesBySpeaker, singleSourceFacts, sourceName,
} from './common.js';

export interface TextOptions {
  /** Wrap width for terminal output. */
  width?: number;
  /** Upper bound on listed single-source facts and timeline entries (the JSON has them all). */
  limit?: number;
  markdown?: boolean;
}

export function renderText(briefing: Briefing, options: TextOptions = {}): string {
  const md = options.markdown ?? false;
  const width = options.width ?? 100;
  const limit = options.limit ?? 12;
  const labels = citationLabels(briefing);
  const letters = familyLetters(briefing);
  const cite = (ids: string[]) => ids.map((id) => `[${labels.get(id)}]`).join('');
  const out: string[] = [];
  const heading = (title: string) => out.push('', md ? `## ${title}` : `${title.toUpperCase()}`);
  const bullet = (text: string) => out.push(wrap(`${md ? '-' : '  •'} ${text}`, width, md ? '  ' : '    '));

  out.push(md ? `# ${briefing.headline}` : `${'═'.repeat(Math.min(width, 80))}\n${briefing.headline}\n${'═'.repeat(Math.min(width, 80))}`);
  out.push(`Story ${briefing.id} · ${plural(briefing.articles.length, 'article')} · ${plural(briefing.independentSources, 'independent source')} · ${dateRange(briefing)}`);

  heading('Sources');
  for (const a of briefing.articles) {
    const notes = [`family ${letters.get(a.family)}`];
    if (a.provenance.length > 0) notes.push(`credits ${[...new Set(a.provenance.map((p) => p.origin))].join(', ')}`);
    const rewrite = briefing.rewrites.find((r) => r.from === a.id);
    if (rewrite) notes.push(`${rewrite.kind === 'duplicate' ? 'copy' : 'rewrite'} of [${labels.get(rewrite.to)}] (${Math.round(rewrite.alignedShare * 100)}% of sentences align)`);
    out.push(wrap(`${md ? '-' : ' '} [${labels.get(a.id)}] ${sourceName(a)} — ${a.title ?? '(untitled)'}${a.published ? ` (${a.published.slice(0, 10)})` : ''} · ${notes.join(' · ')}`, width, '      '));
  }

  heading('Summary');
  for (const s of briefing.summary) bullet(`${s.text} ${cite(s.citations)}`);

  heading(`Contradictions (${briefing.contradictions.length})`);
  if (briefing.contradictions.length === 0) out.push(`${md ? '' : '  '}No contradictions found between the sources.`);
  for (const c of briefing.contradictions) {
    const mark = c.verdict === 'conflicting' ? '✗ conflicting' : '≈ compatible';
    out.push(wrap(`${md ? '-' : '  '} ${md ? `**${mark}**` : mark} · ${c.kind} · ${c.subject}${c.withinFamily ? ' · within one source family' : ''}`, width, '      '));
    for (const claim of c.claims) {
      out.push(wrap(`${md ? '  -' : '      '} [${labels.get(claim.article)}] ${describeValue(claim.value)}: “${claim.text}”`, width, '          '));
    }
    out.push(wrap(`${md ? '  ' : '      '}${c.explanation}`, width, '      '));
  }

  const consensus = consensusFacts(briefing);
  heading(`Consensus: what most independent sources report (${consensus.length})`);
  for (const f of consensus) bullet(`${f.text} ${cite(f.articles)} · ${plural(f.independentSources, 'source')}`);
  const corroborated = corroboratedFacts(briefing);
  if (corroborated.length > 0) {
    heading(`Also corroborated (${corroborated.length})`);
    for (const f of corroborated.slice(0, limit)) bullet(`${f.text} ${cite(f.articles)} · ${plural(f.independentSources, 'source')}`);
  }
  const single = singleSourceFacts(briefing);
  heading(`Reported by one source only (${single.length})`);
  for (const f of single.slice(0, limit)) bullet(`${f.text} ${cite(f.articles)}`);
  if (single.length > limit) out.push(`${md ? '' : '    '}… and ${single.length - limit} more (see --format json)`);

  heading('What each source leaves out');
  if (consensusFacts(briefing).length === 0) out.push(`${md ? '' : '  '}${NO_CONSENSUS_TO_OMIT}`);
  else for (const a of briefing.articles) {
    const missing = briefing.omissions[a.id] ?? [];
    out.push(`${md ? '-' : ' '} [${labels.get(a.id)}] ${sourceName(a)}: ${missing.length === 0 ? 'carries every consensus fact' : `omits ${plural(missing.length, 'consensus fact')} (${missing.join(', ')})`}`);
  }

  heading(`Quotes by speaker (${briefing.quotes.length})`);
  for (const [speaker, quotes] of quotesBySpeaker(briefing)) {
    out.push(`${md ? '- **' : '  '}${speaker}${md ? '**' : ''}`);
    for (const q of quotes) {
      const flags = [q.verbatim ? 'verbatim' : 'wording differs between copies'];
      if (q.paraphraseInQuotes) flags.push('a paraphrase is presented in quote marks');
      out.push(wrap(`${md ? '  -' : '    ›'} “${q.text}” ${cite(q.articles)} · ${flags.join(' · ')}`, width, '      '));
    }
  }

  heading('Timeline');
  for (const t of briefing.timeline.slice(0, limit)) out.push(wrap(`${md ? '-' : ' '} ${t.date.padEnd(10)}  ${t.text} ${cite(t.citations)}`, width, '              '));
  if (briefing.timeline.length > limit) out.push(`  … and ${briefing.timeline.length - limit} more`);

  heading('Actors');
  for (const actor of briefing.actors.filter((a) => a.articles.length >= 2 || a.roles.length > 0).slice(0, limit * 2)) {
    const roles = actor.roles.map((r) => `${r.title}${r.affiliation ? ` (${r.affiliation})` : ''}`);
    const aliases = actor.aliases.length > 0 ? ` · also ${actor.aliases.join(', ')}` : '';
    out.push(wrap(`${md ? '-' : ' '} ${actor.name} [${actor.type}]${roles.length ? ` — ${[...new Set(roles)].join('; ')}` : ''} · ${plural(actor.articles.length, 'article')}${aliases}`, width, '      '));
  }
  return `${out.join('\n')}\n`;
}

export function renderMarkdown(briefing: Briefing): string {
  return renderText(briefing, { markdown: true, width: Number.MAX_SAFE_INTEGER, limit: 50 });
}

/** Greedy word wrap with a hanging indent. */
export function wrap(text: string, width: number, indent: string): string {
  if (text.length <= width) return text;
  const lead = /^ */.exec(text)![0];
  const words = text.slice(lead.length).split(' ');
  const lines: string[] = [];
  let line = lead;
  for (const word of words) {
    if (line.trim() && line.length + 1 + word.length > width) { lines.push(line); line = indent + word; }
    else line = line.trim() ? `${line} ${word}` : line + word;
  }
  if (line) lines.push(line);
  return lines.join('\n');
}
