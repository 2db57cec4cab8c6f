/**
 * Facts: groups of sentences from different articles that say the same thing
 * (aligned across paraphrase by the MSRP-trained classifier), each counted in
 * articles and in independent source families. Sentences no other article
 * echoes become single-source facts.
 */
import { alignSentences } from './align/index.js';
import { clauseSpans, countFamilies, evidence, familyOf, storySentences, type StoryMaterial, type StorySentenceRef } from './material.js';
import type { Span } from '../types.js';
import type { Fact } from './types.js';

/** Sentences shorter than this say too little to stand as a fact (headings, bylines, fragments). */
const MIN_FACT_WORDS = 6;

export interface FactsResult {
  facts: Fact[];
  /** The story's sentences, and for each the ids of the facts it supports (a long sentence can carry several). */
  sentences: StorySentenceRef[];
  factsOfSentence: string[][];
  /** For facts aligned across articles: the clause of each supporting sentence that aligned. */
  alignedClauses: Map<string, Array<{ sentence: number; span: Span }>>;
  /** Mean position in their articles of each fact's sentences (0 = lead), for ordering. */
  positions: Map<string, number>;
  totalFamilies: number;
}

export function buildFacts(material: StoryMaterial): FactsResult {
  const sentences = storySentences(material);
  const families = familyOf(material);
  const totalFamilies = new Set(material.articles.map((a) => a.family)).size;
  const eligible = sentences.map((s, index) => ({ s, index })).filter(({ s }) => isFactSentence(s.text));
  // Align clauses, not whole sentences: outlets wrap one fact in different framing clauses.
  const units = eligible.flatMap(({ s, index }) => {
    const text = material.articles[s.articleIndex]!.article.text;
    return clauseSpans(text, s.span).map((span) => ({ sentence: index, span, articleId: s.article, text: text.slice(span[0], span[1]) }));
  });
  const groups = alignSentences(units);

  const members: number[][] = [];
  const clausesOfMembers = new Map<string, Array<{ sentence: number; span: Span }>>();
  const seenGroups = new Set<string>();
  const grouped = new Set<number>();
  for (const group of groups) {
    const indices = [...new Set(group.sentences.map((i) => units[i]!.sentence))].sort((a, b) => a - b);
    const key = indices.join(',');
    // Two clauses of the same sentences aligning again is the same fact twice.
    if (indices.length < 2 || seenGroups.has(key)) continue;
    seenGroups.add(key);
    indices.forEach((i) => grouped.add(i));
    members.push(indices);
    clausesOfMembers.set(key, group.sentences.map((i) => ({ sentence: units[i]!.sentence, span: units[i]!.span })));
  }
  for (const { index } of eligible) if (!grouped.has(index)) members.push([index]);

  const drafts = members.map((indices) => {
    const support = indices.map((i) => {
      const ref = sentences[i]!;
      return evidence(material.articles[ref.articleIndex]!, ref.span);
    });
    const articles = [...new Set(support.map((e) => e.article))];
    const independentSources = countFamilies(articles, families);
    const position = indices.reduce((sum, i) => sum + sentences[i]!.position, 0) / indices.length;
    return { indices, support, articles, independentSources, position };
  });
  // Most independent support first; then the order in which articles tell the story.
  drafts.sort((a, b) => b.independentSources - a.independentSources || b.articles.length - a.articles.length || a.position - b.position || a.indices[0]! - b.indices[0]!);

  const factsOfSentence: string[][] = sentences.map(() => []);
  const positions = new Map<string, number>();
  const alignedClauses = new Map<string, Array<{ sentence: number; span: Span }>>();
  const facts: Fact[] = drafts.map((draft, n) => {
    const id = `f${n + 1}`;
    draft.indices.forEach((i) => factsOfSentence[i]!.push(id));
    const clauses = clausesOfMembers.get(draft.indices.join(','));
    if (clauses) alignedClauses.set(id, clauses);
    positions.set(id, draft.position);
    return {
      id,
      text: representative(draft.support.map((e) => e.text)),
      support: draft.support,
      articles: draft.articles,
      independentSources: draft.independentSources,
      consensus: isConsensus(draft.independentSources, totalFamilies),
    };
  });
  return { facts, sentences, factsOfSentence, alignedClauses, positions, totalFamilies };
}

/** "Most families": at least two, and more than half of the story's families. */
export function isConsensus(independentSources: number, totalFamilies: number): boolean {
  return independentSources >= 2 && independentSources * 2 > totalFamilies;
}

export function isFactSentence(text: string): boolean {
  const words = text.split(/\s+/).filter((w) => /[\p{L}\p{N}]/u.test(w));
  if (words.length < MIN_FACT_WORDS) return false;
  // A heading or title line: no final punctuation and mostly capitalised words.
  if (!/[.!?…"”’)]$/.test(text)) {
    const capitalised = words.filter((w) => /^\p{Lu}/u.test(w)).length;
    if (capitalised / words.length > 0.6) return false;
  }
  return true;
}

/**
 * The wording shown for a fact: the member of middling length (the longest
 * versions tend to carry one outlet's additions, the shortest to lose detail).
 */
function representative(texts: string[]): string {
  const sorted = [...texts].sort((a, b) => a.length - b.length || a.localeCompare(b));
  return sorted[Math.floor((sorted.length - 1) / 2)]!;
}

/** For each article, the consensus facts it does not carry. */
export function buildOmissions(material: StoryMaterial, facts: Fact[]): Record<string, string[]> {
  const omissions: Record<string, string[]> = {};
  const consensus = facts.filter((f) => f.consensus);
  for (const { article } of material.articles) {
    omissions[article.id] = consensus.filter((f) => !f.articles.includes(article.id)).map((f) => f.id);
  }
  return omissions;
}
