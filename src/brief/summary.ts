/**
 * The cited summary: 5–8 sentences taken verbatim from the sources. Facts are
 * ranked by independent support, then breadth of coverage, then centrality
 * (how much of the story's vocabulary they carry) and how early articles tell
 * them; near-repeats are skipped (diversity); the chosen ones are put in the
 * order articles tell the story.
 */
import type { FactsResult } from './facts.js';
import { contentStems, dice } from './material.js';
import type { Fact, SummarySentence } from './types.js';

const MAX_SENTENCES = 8;
const MIN_SENTENCES = 5;
/** A candidate this close to a chosen sentence repeats it. */
const REPEAT_OVERLAP = 0.45;

export function buildSummary(result: FactsResult): SummarySentence[] {
  const { facts, positions } = result;
  const stemsOf = new Map(facts.map((f) => [f.id, contentStems(f.text)]));
  const storyWeight = new Map<string, number>();
  for (const fact of facts) for (const stem of stemsOf.get(fact.id)!) storyWeight.set(stem, (storyWeight.get(stem) ?? 0) + fact.articles.length);
  const centrality = (fact: Fact) => {
    const stems = stemsOf.get(fact.id)!;
    if (stems.size === 0) return 0;
    let sum = 0;
    for (const s of stems) sum += Math.log1p(storyWeight.get(s) ?? 0);
    return sum / stems.size;
  };
  const score = (fact: Fact) => 3 * fact.independentSources + fact.articles.length + centrality(fact) - 2 * (positions.get(fact.id) ?? 1) - quotePenalty(fact.text);

  const ranked = facts.filter((f) => isSummarySentence(f.text)).sort((a, b) => score(b) - score(a) || a.id.localeCompare(b.id));
  const chosen: Fact[] = [];
  for (const fact of ranked) {
    if (chosen.length >= MAX_SENTENCES) break;
    // Past the minimum, a single-source statement does not belong in a summary of what is known.
    if (chosen.length >= MIN_SENTENCES && fact.independentSources < 2) break;
    if (chosen.some((c) => dice(stemsOf.get(c.id)!, stemsOf.get(fact.id)!) >= REPEAT_OVERLAP)) continue;
    chosen.push(fact);
  }
  chosen.sort((a, b) => (positions.get(a.id) ?? 1) - (positions.get(b.id) ?? 1) || a.id.localeCompare(b.id));
  return chosen.map((fact) => ({ text: fact.text, citations: fact.articles, evidence: fact.support, fact: fact.id }));
}

/** Summaries state facts; mostly-quoted sentences and questions read badly out of context. */
function quotePenalty(text: string): number {
  const quoted = (text.match(/[“"][^”"]*[”"]/g) ?? []).join('').length;
  return quoted / Math.max(text.length, 1) > 0.5 ? 3 : 0;
}

function isSummarySentence(text: string): boolean {
  if (text.endsWith('?')) return false;
  // A sentence that opens with a pronoun ("He stressed…") leans on a sentence the summary may not carry.
  if (/^(he|she|they|it|this|these|those|his|her|their)\b/i.test(text)) return false;
  // Unbalanced quote marks: one sentence of a quote that runs over several, cut from its speaker.
  if (count(text, '“') !== count(text, '”') || count(text, '"') % 2 === 1) return false;
  const words = text.split(/\s+/).length;
  return words >= 8 && words <= 60;
}

function count(text: string, mark: string): number {
  return text.split(mark).length - 1;
}
