/**
 * What changed in a story between two of its briefings: a pure function of
 * the two objects, so the CLI (`brief STORY --since TIME`), the API and the
 * web UI show the same thing.
 *
 * Fact ids are ordinal within one briefing, so facts are matched by their
 * evidence instead: articles are immutable and spans point into their text,
 * so a fact of the earlier briefing and one of the later that share a
 * supporting sentence (same article, same span) are the same fact. Quotes
 * are matched the same way, or by their words; contradictions by kind,
 * subject and the values the sides give.
 */
import type { BriefArticle, BriefQuote, Briefing, Contradiction, Evidence, Fact } from './types.js';

export interface FactChange {
  fact: Fact;
  /** Independent sources before and after. */
  before: number;
  after: number;
  /** Articles that now carry it and did not, and those that no longer do. */
  gained: string[];
  lost: string[];
}

export interface BriefingDiff {
  storyId: string;
  headline: string;
  /** When the earlier briefing was built (null: none existed, everything is new). */
  since: string | null;
  articles: { before: number; after: number };
  independentSources: { before: number; after: number };
  /** Articles the story gained, as the later briefing lists them. */
  newArticles: BriefArticle[];
  /** Articles that left the story (a merge, a revision that replaced them). */
  removedArticles: BriefArticle[];
  newFacts: Fact[];
  /** Facts carried by more independent sources than before. */
  strengthened: FactChange[];
  /** Facts carried by fewer independent sources than before (still present). */
  weakened: FactChange[];
  /** Facts of the earlier briefing nothing supports any more (as they were then). */
  droppedFacts: Fact[];
  newContradictions: Contradiction[];
  /** Contradictions of the earlier briefing that no longer stand. */
  resolvedContradictions: Contradiction[];
  newQuotes: BriefQuote[];
}

const evidenceKey = (e: Pick<Evidence, 'article' | 'span'>) => `${e.article}:${e.span[0]}:${e.span[1]}`;

/** The changes from `before` (null when the story had no briefing yet) to `after`. */
export function diffBriefings(before: Briefing | null, after: Briefing, since: string | null = null): BriefingDiff {
  const old = before ?? emptyBriefing(after);
  const oldArticles = new Set(old.articles.map((a) => a.id));
  const newArticles = new Set(after.articles.map((a) => a.id));

  // Facts: index the earlier ones by evidence, then find each later fact's match.
  const oldByEvidence = new Map<string, Fact>();
  for (const fact of old.facts) for (const e of fact.support) oldByEvidence.set(evidenceKey(e), fact);
  const matched = new Set<Fact>();
  const newFacts: Fact[] = [];
  const strengthened: FactChange[] = [];
  const weakened: FactChange[] = [];
  for (const fact of after.facts) {
    const match = fact.support.map((e) => oldByEvidence.get(evidenceKey(e))).find((f): f is Fact => f !== undefined);
    if (!match) { newFacts.push(fact); continue; }
    matched.add(match);
    const change: FactChange = {
      fact, before: match.independentSources, after: fact.independentSources,
      gained: fact.articles.filter((id) => !match.articles.includes(id)),
      lost: match.articles.filter((id) => !fact.articles.includes(id)),
    };
    if (change.after > change.before) strengthened.push(change);
    else if (change.after < change.before || change.lost.length > 0) weakened.push(change);
  }
  const droppedFacts = old.facts.filter((f) => !matched.has(f));

  const contradictionKey = (c: Contradiction) => `${c.kind}\n${c.subject.toLowerCase()}\n${[...new Set(c.claims.map((claim) => JSON.stringify(claim.value)))].sort().join('|')}`;
  const oldContradictions = new Set(old.contradictions.map(contradictionKey));
  const laterContradictions = new Set(after.contradictions.map(contradictionKey));

  const quoteWords = (q: BriefQuote) => q.text.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, ' ').trim();
  const oldQuoteEvidence = new Set(old.quotes.flatMap((q) => q.copies.map(evidenceKey)));
  const oldQuoteWords = new Set(old.quotes.map(quoteWords));

  return {
    storyId: after.id,
    headline: after.headline,
    since,
    articles: { before: old.articles.length, after: after.articles.length },
    independentSources: { before: old.independentSources, after: after.independentSources },
    newArticles: after.articles.filter((a) => !oldArticles.has(a.id)),
    removedArticles: old.articles.filter((a) => !newArticles.has(a.id)),
    newFacts,
    strengthened,
    weakened,
    droppedFacts,
    newContradictions: after.contradictions.filter((c) => !oldContradictions.has(contradictionKey(c))),
    resolvedContradictions: old.contradictions.filter((c) => !laterContradictions.has(contradictionKey(c))),
    newQuotes: after.quotes.filter((q) => !oldQuoteWords.has(quoteWords(q)) && !q.copies.some((c) => oldQuoteEvidence.has(evidenceKey(c)))),
  };
}

/** True when nothing changed. */
export function isEmptyDiff(diff: BriefingDiff): boolean {
  return diff.newArticles.length + diff.removedArticles.length + diff.newFacts.length + diff.strengthened.length + diff.weakened.length
    + diff.droppedFacts.length + diff.newContradictions.length + diff.resolvedContradictions.length + diff.newQuotes.length === 0;
}

function emptyBriefing(like: Briefing): Briefing {
  return {
    id: like.id, headline: like.headline, dates: { first: null, last: null }, articles: [], independentSources: 0, summary: [], facts: [],
    omissions: {}, contradictions: [], quotes: [], actors: [], rewrites: [], timeline: [],
  };
}
