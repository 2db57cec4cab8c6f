/** One article's analysis as JSON, for `inspect --json` and the HTTP API (docs/schema/analysis.schema.json). */
import type { Analysis } from '../analyze/types.js';
import type { ExtractedArticle, Span } from '../types.js';

/** The analysis with the text of every span, as published in docs/schema/analysis.schema.json. */
export function analysisJson(article: Pick<ExtractedArticle, 'input' | 'title' | 'published' | 'text'>, analysis: Analysis) {
  const t = (span: Span) => article.text.slice(span[0], span[1]);
  return {
    input: article.input,
    title: article.title,
    published: article.published,
    text: article.text,
    sentences: analysis.sentences.map((s) => ({ span: s.span, paragraph: s.paragraph })),
    entities: analysis.entities.map((e) => ({ text: t(e.span), span: e.span, type: e.type, actor: e.actor })),
    actors: analysis.actors.map((a) => ({ id: a.id, name: a.name, type: a.type, key: a.key, aliases: a.aliases, roles: a.roles.map((r) => ({ title: r.title, affiliation: r.affiliation, text: t(r.span), span: r.span })) })),
    references: analysis.references.map((r) => ({ text: t(r.span), span: r.span, actor: r.actor })),
    quotes: analysis.quotes.map((q) => ({
      text: t(q.span), span: q.span, direct: q.direct,
      cue: q.cue ? { text: t(q.cue.span), span: q.cue.span } : null,
      speaker: q.speaker ? { text: q.speaker.span ? t(q.speaker.span) : null, span: q.speaker.span, actor: q.speaker.actor } : null,
    })),
    quantities: analysis.quantities.map((q) => ({ text: t(q.span), span: q.span, value: q.value, unit: q.unit, bound: q.bound })),
    dates: analysis.dates.map((d) => ({ text: t(d.span), span: d.span, date: d.date, granularity: d.granularity, relative: d.relative })),
  };
}

export type AnalysisJson = ReturnType<typeof analysisJson>;
