/**
 * Revisions: when a page fetched again has a different text, the sentences
 * the new text dropped and the ones it added, and the facts of the story's
 * briefing that only the dropped sentences supported. Pure functions over
 * texts and briefings; the store keeps both revisions as articles.
 */
import { splitSentences } from '../analyze/sentences.js';
import type { Briefing, Evidence, Fact } from './types.js';

export interface RevisionDiff {
  /** The older and the newer article. */
  from: string;
  to: string;
  /** Sentences of the older text the newer one does not have (evidence into the older article). */
  removed: Evidence[];
  /** Sentences of the newer text the older one did not have (evidence into the newer article). */
  added: Evidence[];
  unchanged: number;
}

/** Sentence-level differences; a reworded sentence is one removed and one added. */
export function diffRevision(older: { id: string; text: string }, newer: { id: string; text: string }): RevisionDiff {
  const key = (text: string) => text.toLowerCase().replace(/\s+/g, ' ').trim();
  const sentencesOf = (article: { id: string; text: string }) => splitSentences(article.text).map((s): Evidence => ({ article: article.id, span: s.span, text: article.text.slice(s.span[0], s.span[1]) }));
  const before = sentencesOf(older);
  const after = sentencesOf(newer);
  // Multisets: a sentence said twice and kept once counts one removal.
  const remaining = new Map<string, number>();
  for (const s of after) remaining.set(key(s.text), (remaining.get(key(s.text)) ?? 0) + 1);
  const removed: Evidence[] = [];
  let unchanged = 0;
  for (const s of before) {
    const count = remaining.get(key(s.text)) ?? 0;
    if (count > 0) { remaining.set(key(s.text), count - 1); unchanged++; } else removed.push(s);
  }
  const kept = new Map<string, number>();
  for (const s of before) kept.set(key(s.text), (kept.get(key(s.text)) ?? 0) + 1);
  const added: Evidence[] = [];
  for (const s of after) {
    const count = kept.get(key(s.text)) ?? 0;
    if (count > 0) kept.set(key(s.text), count - 1); else added.push(s);
  }
  return { from: older.id, to: newer.id, removed, added, unchanged };
}

/**
 * Facts of `briefing` (one built while the older revision was in the story)
 * that the revision removed: the older article supported them with a sentence
 * the newer text dropped, and the newer article does not carry them. Other
 * sources may still report them; `fact.articles` says which.
 */
export function factsRemovedBy(diff: RevisionDiff, briefing: Briefing): Fact[] {
  const overlaps = (a: Evidence, b: Evidence) => a.article === b.article && a.span[0] < b.span[1] && b.span[0] < a.span[1];
  return briefing.facts.filter((fact) => !fact.articles.includes(diff.to)
    && fact.support.some((e) => e.article === diff.from && diff.removed.some((r) => overlaps(e, r))));
}
