/**
 * The analysis stage: one article's text in, spans out. The order is fixed
 * and visible here: sentences -> tokens -> entities -> actors (roles, aliases,
 * references) -> quotes (speakers resolved to actors) -> quantities -> dates.
 * Entities and actors read the same tokens (tokenised once).
 */
import { resolveActors } from './actors.js';
import { findDates } from './dates.js';
import { findEntities, sentenceTokens } from './ner/index.js';
import { findQuantities } from './quantities.js';
import { findQuotes } from './quotes.js';
import { sentenceIndexAt, splitSentences } from './sentences.js';
import type { Actor, Analysis, EntityMention, Quote, Reference, Sentence } from './types.js';
import type { Span } from '../types.js';
import { firstWhere } from '../sorted.js';

export type * from './types.js';
export { actorKey } from './actors.js';

/** Bump when any analyzer changes what it finds; `reanalyze` redoes older analyses. */
export const ANALYZER_VERSION = '9';

export interface AnalysisInput {
  text: string;
  /** Publication date (ISO), against which relative dates resolve. */
  published: string | null;
}

export function analyze(article: AnalysisInput): Analysis {
  const { text } = article;
  const sentences = splitSentences(text);
  const tokens = sentenceTokens(text, sentences);
  const mentions = findEntities(text, sentences, tokens);
  const { actors, entities, references, pronouns } = resolveActors(text, sentences, mentions, tokens);
  const people = entities.filter((e) => e.type === 'PER').map((e) => e.span);
  const found = findQuotes(text, sentences, { people });
  // Names and references that resolve to an actor, built once for all quotes (was per quote: 3% of the stage).
  const speakers = found.length > 0 ? speakerCandidates(entities, references) : { byStart: [], longest: 0 };
  const quotes = continuingSpeakers(text, sentences, actors, pronouns, found.map((quote) => withSpeakerActor(text, quote, speakers)));
  const quantities = findQuantities(text, sentences);
  const dates = findDates(text, article.published, sentences);
  return { sentences, entities, actors, references, quotes, quantities, dates };
}

/** A name or reference a speaker span can resolve to: entities in text order, then references (as people). */
type SpeakerCandidate = Pick<EntityMention, 'span' | 'type' | 'actor'>;

interface SpeakerCandidates {
  /** By span start (a stable sort: entities before references at one start). */
  byStart: SpeakerCandidate[];
  /** The longest candidate span: how far before a speaker a candidate overlapping it can start. */
  longest: number;
}

function speakerCandidates(entities: EntityMention[], references: Reference[]): SpeakerCandidates {
  const candidates: SpeakerCandidate[] = entities.filter((e) => e.actor !== null);
  for (const r of references) candidates.push({ span: r.span, type: 'PER', actor: r.actor });
  candidates.sort((a, b) => a.span[0] - b.span[0]);
  let longest = 0;
  for (const c of candidates) longest = Math.max(longest, c.span[1] - c.span[0]);
  return { byStart: candidates, longest };
}

/** The candidates overlapping `span`, in start order (a binary search, then a scan of the few near it). */
function overlapping({ byStart, longest }: SpeakerCandidates, span: Span): SpeakerCandidate[] {
  const lo = firstWhere(byStart.length, (i) => byStart[i]!.span[0] >= span[0] - longest);
  const out: SpeakerCandidate[] = [];
  for (let i = lo; i < byStart.length && byStart[i]!.span[0] < span[1]; i += 1) if (overlapLength(span, byStart[i]!.span) > 0) out.push(byStart[i]!);
  return out;
}

/**
 * A speaker span ("Rubio", "he", "U.S. Secretary of State Marco Rubio") takes
 * the actor of the name or reference it contains or overlaps most. A name after
 * a preposition is not who speaks ("a spokesman for Bernie Sanders", "Recent talks
 * between Rubio and Lavrov"); "of" in a title is ("Secretary of State Marco Rubio").
 */
function withSpeakerActor(text: string, quote: Quote, candidates: SpeakerCandidates): Quote {
  const speakerSpan = quote.speaker?.span;
  if (!quote.speaker || !speakerSpan || quote.speaker.actor) return quote;
  // A person named in the span speaks for it ("U.S. National Security Adviser Mike Waltz, who …"):
  // the first person wins, unless a title joins it to the next one ("Clinton Communications Director
  // Jennifer Palmieri", "Trump's spokeswoman Hope Hicks"); otherwise the organisation or place that overlaps most.
  const inSpan = overlapping(candidates, speakerSpan).filter((c) => c.span[0] <= speakerSpan[0] || !PREPOSITION_BEFORE_NAME.test(text.slice(speakerSpan[0], c.span[0])));
  const people = inSpan.filter((c) => c.type === 'PER').sort((a, b) => a.span[0] - b.span[0]);
  let first = 0;
  while (first + 1 < people.length && TITLE_BETWEEN_NAMES.test(text.slice(people[first]!.span[1], people[first + 1]!.span[0]))) first += 1;
  const person = people[first];
  const best = person ?? inSpan.sort((a, b) => overlapLength(speakerSpan, b.span) - overlapLength(speakerSpan, a.span))[0];
  return best ? { ...quote, speaker: { span: speakerSpan, actor: best.actor } } : quote;
}

/**
 * `Ryan said, “…” He added, “…”`: a he/she speaker the references left unresolved is the person who spoke
 * last, when that was at most two paragraphs before and the text does not title that person for the other
 * pronoun (quotes come in text order).
 */
function continuingSpeakers(text: string, sentences: Sentence[], actors: Actor[], pronouns: Map<string, 'he' | 'she'>, quotes: Quote[]): Quote[] {
  const people = new Set(actors.filter((a) => a.type === 'PER').map((a) => a.id));
  const paragraphAt = (pos: number) => sentences[sentenceIndexAt(sentences, pos)]?.paragraph ?? 0;
  let last: { actor: string; paragraph: number } | null = null;
  return quotes.map((quote) => {
    const speaker = quote.speaker;
    if (!speaker?.span) return quote;
    if (speaker.actor) {
      if (people.has(speaker.actor)) last = { actor: speaker.actor, paragraph: paragraphAt(speaker.span[0]) };
      return quote;
    }
    const pronoun = text.slice(speaker.span[0], speaker.span[1]).toLowerCase();
    if (!last || (pronoun !== 'he' && pronoun !== 'she') || (pronouns.get(last.actor) ?? pronoun) !== pronoun || paragraphAt(speaker.span[0]) - last.paragraph > 2) return quote;
    return { ...quote, speaker: { span: speaker.span, actor: last.actor } };
  });
}

/** What lies between a name and the next one when the first only qualifies a title of the second: `'s campaign manager ` (no conjunction, no -ing verb: "Bush calling Reagan's policies"). */
const TITLE_BETWEEN_NAMES = /^(?:['’]s)?\s+(?!(?:and|or|with)\s)(?:(?!\p{L}+ing\s)[\p{L}.\-]+\s+){1,5}$/u;

const PREPOSITION_BEFORE_NAME = /\b(?:between|for|with|from|to|about|among|against|at|in|on|by|after|before|during|over|than|like)\s/i;

export function overlapLength(a: Span, b: Span): number {
  return Math.max(0, Math.min(a[1], b[1]) - Math.max(a[0], b[0]));
}
