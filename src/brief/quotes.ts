/**
 * Quotes across the story: each distinct direct quote once, with its speaker,
 * the articles that carry it and whether each carries the same words. A copy
 * whose words differ from the others (beyond case, spacing and punctuation)
 * is a paraphrase presented in quote marks, and is flagged.
 */
import type { ActorIndex } from './actors.js';
import { contentStems, dice, evidence, type StoryMaterial } from './material.js';
import type { BriefQuote, Evidence, QuoteCopy } from './types.js';

/**
 * Two quotes are the same quote when one's words contain the other's (a partial
 * quote), or their content words overlap this much (a reworded copy).
 */
const SAME_QUOTE_OVERLAP = 0.6;
/** With the same resolved speaker, a looser overlap suffices. */
const SAME_SPEAKER_QUOTE_OVERLAP = 0.45;
/** Quoted fragments shorter than this are scare quotes or titles, not statements. */
const MIN_QUOTE_WORDS = 3;

interface Candidate {
  ev: Evidence;
  normalised: string;
  stems: Set<string>;
  speaker: string | null;
}

export function buildQuotes(material: StoryMaterial, actors: ActorIndex): BriefQuote[] {
  const candidates: Candidate[] = [];
  for (const entry of material.articles) {
    for (const quote of entry.analysis.quotes) {
      if (!quote.direct) continue;
      const ev = evidence(entry, quote.span);
      if (ev.text.split(/\s+/).filter(Boolean).length < MIN_QUOTE_WORDS) continue;
      candidates.push({ ev, normalised: normaliseQuote(ev.text), stems: contentStems(ev.text), speaker: speakerName(entry, quote.speaker, actors) });
    }
  }

  const groups: Candidate[][] = [];
  for (const candidate of candidates) {
    const group = groups.find((g) => g.some((other) => sameQuote(candidate, other)));
    if (group) group.push(candidate);
    else groups.push([candidate]);
  }

  return groups.map((group) => {
    // The canonical wording is the longest one that another copy contains or repeats;
    // with no agreement, simply the longest.
    const byLength = [...group].sort((a, b) => b.normalised.length - a.normalised.length);
    const canonical = byLength.find((c) => group.some((o) => o !== c && c.normalised.includes(o.normalised))) ?? byLength[0]!;
    const copies: QuoteCopy[] = group.map((c) => ({ ...c.ev, verbatim: canonical.normalised.includes(c.normalised) }));
    const speakers = group.map((c) => c.speaker).filter((s): s is string => s !== null);
    return {
      speaker: mostCommon(speakers),
      text: canonical.ev.text,
      articles: [...new Set(group.map((c) => c.ev.article))],
      verbatim: copies.every((c) => c.verbatim),
      paraphraseInQuotes: copies.some((c) => !c.verbatim),
      copies,
    };
  }).sort((a, b) => b.articles.length - a.articles.length || (a.speaker ?? '~').localeCompare(b.speaker ?? '~'));
}

function sameQuote(a: Candidate, b: Candidate): boolean {
  if (a.normalised.includes(b.normalised) || b.normalised.includes(a.normalised)) return true;
  const overlap = dice(a.stems, b.stems);
  return overlap >= SAME_QUOTE_OVERLAP || (a.speaker !== null && a.speaker === b.speaker && overlap >= SAME_SPEAKER_QUOTE_OVERLAP);
}

/** Lower case, letters and digits only, single spaces: what "the same words" means. */
export function normaliseQuote(text: string): string {
  return text.toLowerCase().normalize('NFKD').replace(/\p{M}/gu, '').replace(/[^\p{L}\p{N}]+/gu, ' ').trim();
}

function speakerName(entry: StoryMaterial['articles'][number], speaker: { span: [number, number] | null; actor: string | null } | null, actors: ActorIndex): string | null {
  if (!speaker) return null;
  const key = actors.keyOf(entry.article.id, speaker.actor);
  const actor = key ? actors.byKey.get(key) : undefined;
  if (actor) return actor.name;
  if (!speaker.span) return null;
  const words = entry.article.text.slice(speaker.span[0], speaker.span[1]).trim();
  // An unresolved pronoun says nothing on its own.
  return /^(he|she|they|it|we|i|his|her|their)$/i.test(words) ? null : words;
}

function mostCommon(values: string[]): string | null {
  const counts = new Map<string, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  let best: string | null = null;
  for (const [v, n] of counts) if (best === null || n > counts.get(best)! || (n === counts.get(best)! && v.length > best.length)) best = v;
  return best;
}
