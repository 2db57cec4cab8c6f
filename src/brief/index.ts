/**
 * The brief stage: a story's articles (with analyses, families and rewrite
 * links) in, one `Briefing` out. Parts are built in this order because each
 * uses the ones before it: actors -> facts -> omissions -> contradictions ->
 * quotes -> summary -> timeline.
 */
import { buildActors } from './actors.js';
import { findContradictions } from './contradictions.js';
import { buildFacts, buildOmissions } from './facts.js';
import { contentStems, dice, type StoryMaterial } from './material.js';
import { buildQuotes } from './quotes.js';
import { buildSummary } from './summary.js';
import { buildTimeline } from './timeline.js';
import type { BriefArticle, Briefing } from './types.js';

export type * from './types.js';
export type { StoryArticle, StoryLink, StoryMaterial } from './material.js';
export { diffBriefings, isEmptyDiff, type BriefingDiff, type FactChange } from './diff.js';

export function buildBriefing(material: StoryMaterial): Briefing {
  const actors = buildActors(material);
  const factsResult = buildFacts(material);
  const { facts } = factsResult;
  const articles: BriefArticle[] = material.articles.map(({ article, family, derivedFrom }) => ({
    id: article.id,
    input: article.input,
    outlet: article.outlet,
    title: article.title,
    published: article.published,
    url: article.url,
    family,
    derivedFrom,
    provenance: article.provenance,
  }));
  const published = articles.map((a) => a.published).filter((d): d is string => d !== null).sort();
  return {
    id: material.id,
    headline: material.headline ?? chooseHeadline(material),
    dates: { first: published[0] ?? null, last: published.at(-1) ?? null },
    articles,
    independentSources: factsResult.totalFamilies,
    summary: buildSummary(factsResult),
    facts,
    omissions: buildOmissions(material, facts),
    contradictions: findContradictions(material, factsResult, actors),
    quotes: buildQuotes(material, actors),
    actors: actors.actors,
    rewrites: material.links.map((l) => ({ from: l.from, to: l.to, kind: l.kind, alignedShare: l.alignedShare })),
    timeline: buildTimeline(material),
  };
}

/** The story's headline: its most central title, or its first sentence when no article has a title. */
export function chooseHeadline(material: StoryMaterial): string {
  const central = centralTitle(material.articles.map((a) => a.article.title));
  if (central) return central;
  const first = material.articles[0];
  const sentence = first?.analysis.sentences[0];
  return first && sentence ? first.article.text.slice(sentence.span[0], sentence.span[1]) : 'Untitled story';
}

/**
 * The title that shares the most words with the other titles: the story as
 * most outlets name it. The story list and the briefing both use it, so a
 * story is called the same everywhere.
 */
export function centralTitle(candidates: Array<string | null>): string | null {
  const titles = candidates.filter((t): t is string => Boolean(t && t.trim()));
  if (titles.length === 0) return null;
  const stems = titles.map((t) => contentStems(t));
  let best = 0;
  let bestScore = -1;
  stems.forEach((s, i) => {
    const score = stems.reduce((sum, other, j) => sum + (i === j ? 0 : dice(s, other)), 0);
    if (score > bestScore) { bestScore = score; best = i; }
  });
  return titles[best]!;
}
