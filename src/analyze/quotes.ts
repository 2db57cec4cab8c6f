/**
 * Quotes and reported speech, with the span of who said them and the cue
 * ("said", "told", "according to"). Rule-based, one pass per sentence.
 *
 * Span conventions (chosen to match PolNeAR's annotations, see bench/quotes.ts):
 * - a direct quote's `span` is the text inside the marks; a quote that runs
 *   over several paragraphs (open mark with no close at paragraph end, the
 *   next paragraph reopening) is one quote from the first to the last word;
 * - reported speech (`direct: false`) spans from after the cue to the end of
 *   the sentence, including "that" and without the final period
 *   ("Lavrov said [that talks would go on]."), or from the sentence start to
 *   the comma before the speaker ("[Talks will go on], Lavrov said.");
 * - a partial quote inside reported speech is returned twice: the reported
 *   content (direct: false) and the quoted words (direct: true), same cue;
 * - the speaker is the words that name it: a name with its appositive
 *   ("Sam Nunberg, a former Trump aide,"), a description ("a senior Ukrainian
 *   official"), a pronoun ("he"). Its `actor` is left null: the lead maps
 *   speaker spans to actors by overlap;
 * - a quote split by its cue (`"A," X said, "B."`) is one attribution: both
 *   pieces share the cue and speaker;
 * - in `Sooner or later, X said, “it starts to pay off.”` (a lower-case quote) the
 *   words before the speaker are a reported content with the same cue as the quote;
 * - a quote sentence with no cue takes the name of a credit line after it
 *   (`"…" ― Pamela Padilla`), or continues the quote just before it (same
 *   cue and speaker), or the one just after it in the next paragraph, or
 *   else is given the subject of the sentence before it, with no cue;
 * - scare quotes are not quotes: a quoted phrase inside a sentence with no cue
 *   is dropped, whatever its length; so is a title opening a sentence that goes
 *   on past it (`“Daily Show” host Trevor Noah …`);
 * - a headline `Kasich: ‘We Are Going All The Way.’` (single marks too) is a
 *   direct quote of the label before the colon.
 */
import type { Span } from '../types.js';
import type { Quote, Sentence } from './types.js';
import { sentenceIndexAt } from './sentences.js';
import { TAGGER_CUE_WORDS } from './lexicon/tagger-cues.js';
import { readModel, readModelIfPresent } from './models.js';
import { featureHash, stringHash, WeightTable, type StoredWeights } from './weights.js';
import { CHUNKS, PARTS_OF_SPEECH, phraseTagger, phraseWord, type PhraseWord } from './phrases.js';
import { CLAUSE_WORDS, CUE_ADVERBS, CUE_FORMS, CUE_RE, NEED_THAT, PRONOUNS, QUOTE_ONLY, TAKES_RECIPIENT } from './lexicon/attribution.js';
import { firstWhere } from '../sorted.js';
import { appendTo, groupBy } from '../collections.js';

/** A passage in quote marks: `open`/`close` include the marks, `start`/`end` do not. */
interface QuoteRegion {
  open: number;
  close: number;
  start: number;
  end: number;
}

interface Attribution {
  content: Span;
  direct: boolean;
  cue: Span | null;
  speaker: Span | null;
  /** Reported words before the speaker that the quote after the cue continues ("Sooner or later, he said, “it …”"). */
  lead?: Span;
}

export interface QuoteHints {
  /** Spans of person mentions, used to pick a speaker when no cue names one. */
  people?: Span[];
}

const OPENERS = '“"«';
const CLOSE_OF: Record<string, string> = { '“': '”', '"': '"', '«': '»', "''": "''", '``': "''" };

/** Finds direct quotes and reported speech in `text`, split by `splitSentences`. */
export function findQuotes(text: string, sentences: Sentence[], hints?: QuoteHints): Quote[] {
  const regions = findQuoteRegions(text);
  const attributions: Attribution[] = [];
  const attributed = new Set<QuoteRegion>();
  const bySentence: Attribution[][] = sentences.map(() => []);

  sentences.forEach((sentence, index) => {
    const found = attributeSentence(text, sentence.span, regions, attributed);
    bySentence[index] = found;
    attributions.push(...found);
  });

  // The tagger was trained on the phrase tagger's tags: without that model it would read other features, so the rules work alone.
  const tagger = phraseTagger() ? loadTagger() : null;
  let tokens: TaggerToken[] | null = null;
  if (tagger) {
    tokens = addTaggedAttributions(text, sentences, regions, attributed, bySentence, attributions, tagger);
    dropNounCues(text, tokens, attributions, attributed, regions);
    attributeLeadInQuotes(text, sentences, regions, attributed, attributions, tokens);
  }

  attributeHeadlineQuotes(text, regions, attributed, attributions);
  attributeLabelledLines(text, attributions);
  attributeStandaloneQuotes(text, sentences, regions, attributed, bySentence, attributions, hints?.people ?? []);

  if (tokens) dropNestedCues(text, sentences, tokens, attributions);
  endBeforeNextClause(text, sentences, attributions);
  attributions.sort((a, b) => a.content[0] - b.content[0] || b.content[1] - a.content[1]);
  const subjects = tokens ? new SubjectFinder(text, tokens) : null;
  return attributions.map((a) => {
    if (a.speaker && namesNoOne(text, a)) a.speaker = null;
    if (!a.speaker && a.cue && subjects) {
      const sentenceStart = sentences[sentenceIndexAt(sentences, a.cue[0])].span[0];
      // A participle or a verb joined by "and"/"but" (an adverb between allowed) shares its clause's subject.
      if (isParticipleCue(text, sentenceStart, a.cue) || /\b(?:and|but)\s+(?:then\s+|also\s+|later\s+)?$/i.test(text.slice(Math.max(0, a.cue[0] - 12), a.cue[0]))) {
        a.speaker = subjects.clauseSubject(a.cue, sentenceStart);
      }
    }
    if (a.speaker && a.cue && subjects && a.speaker[0] >= a.cue[1] && /^according to$/i.test(text.slice(a.cue[0], a.cue[1]))) a.speaker = subjects.accordingTo(a.speaker);
    const [speaker, cue] = a.speaker && a.cue ? auxiliariesToCue(text, relativeSpeaker(text, subjects?.subjectOf(a.speaker, a.cue) ?? a.speaker, a.cue), a.cue) : [a.speaker, a.cue];
    return {
      span: a.content,
      direct: a.direct,
      cue: cue ? { span: cue } : null,
      speaker: speaker ? { span: speakerComma(text, sourceEdges(text, speaker)), actor: null } : null,
    };
  });
}

/**
 * A relative clause's speaker is its relative pronoun, as PolNeAR spans it: `Graham, who says …`
 * → "who" (train: 377 sources end in "who", and the name before it is the source of its own
 * cue if any), and `which officials said` → "officials". Train CV, folds 0-4: source F1
 * 0.6307 -> 0.6330 (the pronoun alone), -> 0.6337 (with the leading "which"/"what" cut).
 */
function relativeSpeaker(text: string, speaker: Span, cue: Span): Span {
  if (speaker[1] > cue[0]) return speaker;
  const words = text.slice(speaker[0], speaker[1]);
  const last = /(?:^|[\s,])(who|which|that)$/i.exec(words);
  if (last && last.index > 0) return [speaker[1] - last[1].length, speaker[1]];
  const first = /^(?:which|what)\s+(?=\S)/i.exec(words);
  if (first) return [speaker[0] + first[0].length, speaker[1]];
  return speaker;
}

/** Auxiliaries, negations and adverbs that PolNeAR puts at the start of a cue ("has long maintained", "didn't ask"). */
const CUE_OPENERS = new Set([
  ...CUE_ADVERBS, 'is', 'are', 'was', 'were', 'will', 'would', 'could', 'can', 'may', 'might', 'must', 'should', 'did',
  'does', 'do', "didn't", "doesn't", "don't", "won't", "wouldn't", "can't", "couldn't", "isn't", "wasn't", "hasn't",
  "haven't", 'not', 'still', 'now', 'just', 'already', 'long', 'even', 'also', 'quickly', 'immediately', 'recently',
]);

/**
 * A speaker right before its cue gives the auxiliaries and adverbs between them to the cue:
 * `Marco Rubio still believes`, `the editorial board recently wrote`, `the moderators didn't ask`
 * (PolNeAR train: cues right after their source open with "has" 605 times, "also" 259, "is" 269;
 * sources end in such a word almost never).
 */
function auxiliariesToCue(text: string, speaker: Span, cue: Span): [Span, Span] {
  if (speaker[1] > cue[0] || speaker[0] >= cue[0]) return [speaker, cue];
  let cueStart = cue[0];
  let speakerEnd = speaker[1];
  for (;;) {
    const m = /([\p{L}'’]+)\s+$/u.exec(text.slice(Math.max(speaker[0], cueStart - 16), cueStart));
    if (!m) break;
    const wordStart = cueStart - m[0].length;
    if (wordStart <= speaker[0] || /\p{L}/u.test(text[wordStart - 1]) || !CUE_OPENERS.has(m[1].toLowerCase().replace('’', "'"))) break;
    if (!/\S/.test(text.slice(speaker[0], wordStart))) break;
    cueStart = wordStart;
    speakerEnd = Math.min(speakerEnd, wordStart);
  }
  if (cueStart === cue[0]) return [speaker, cue];
  while (speakerEnd > speaker[0] && /\s/.test(text[speakerEnd - 1])) speakerEnd--;
  return [[speaker[0], speakerEnd], [cueStart, cue[1]]];
}

const SUBORDINATOR_BEFORE_RE = /\b(?:as|when|while|after|before|if|because|since|although|though|once|until|unless)\s+$/i;

/**
 * PolNeAR's sources neither open with a connective nor end in a pronoun after other words: `And the
 * mayor said` -> "the mayor", `late Saturday he announced` -> "he" (PolNeAR train: 6 gold sources open
 * with And/But/Yet/Then/So/Still/Now/Also/Even, 407 follow one; 2 of several words end in he/she/they/we/I,
 * 3,354 are the pronoun alone). Nor do they end in an aside: `European leaders, however, suggest` ->
 * "European leaders" (none does; 48 are followed by one before their cue; train CV source +0.0002).
 */
export function sourceEdges(text: string, [s, e]: Span): Span {
  const source = text.slice(s, e);
  const connective = /^(?:And|But|Yet|Then|So|Still|Now|Also|Even)\s+(?:even\s+)?(?=\S)/.exec(source);
  if (connective) s += connective[0].length;
  const pronoun = /(?<!\bor)\s+(?:he|she|they|we|I)$/.exec(text.slice(s, e));
  if (pronoun) s = e - pronoun[0].trimStart().length;
  // `European leaders, however, suggest`: the aside is neither source nor cue.
  const aside = /,\s*(?:however|meanwhile|for example|for instance|for one|though|for (?:his|her|their|its) part|on the other hand|in turn)\s*,?\s*$/i.exec(text.slice(s, e));
  if (aside && aside.index > 0) e = s + aside.index;
  // `As discussions unfold, EU foreign policy chief Kaja Kallas warned`: the rest of a subordinate clause before the
  // source, to its one comma, is not part of it (train CV source F1 +0.0001).
  if (SUBORDINATOR_BEFORE_RE.test(text.slice(Math.max(0, s - 9), s))) {
    const comma = text.indexOf(',', s);
    const next = comma < 0 ? -1 : text.indexOf(',', comma + 1);
    if (comma > s && comma < e - 2 && (next < 0 || next >= e)) s = comma + 1 + (/^\s*/.exec(text.slice(comma + 1, e))?.[0].length ?? 0);
  }
  return [s, e];
}

/**
 * PolNeAR's comma convention for sources: a name with an appositive keeps the
 * comma that closes it ("Brian Fallon, a spokesman for the campaign, said"),
 * a plain name does not ("Gov. John Kasich (R-OH), said"). PolNeAR train: 849
 * of 925 appositive sources before their cue end in the comma, 5 of 436 plain ones.
 */
function speakerComma(text: string, [s, e]: Span): Span {
  const inner = text.slice(s, e).replace(/,\s*$/, '');
  const endsInComma = /,\s*$/.test(text.slice(s, e));
  if (!inner.includes(',')) return endsInComma ? [s, s + inner.trimEnd().length] : [s, e];
  if (!endsInComma && text[e] === ',') return [s, e + 1];
  return [s, e];
}

/**
 * Mixed marks close a quote too (`“…,\" said Devine`, `\"…,” Kagan said`: PolNeAR train has 29 and
 * 31 such pairs, each left open to the end of its line before; train CV direct-quote content F1
 * 0.846 -> 0.854, speaker accuracy 0.884 -> 0.894). The tagger still sees quotes paired
 * without them (`mixedMarks` false, its features were learned so): retrained on the new pairing it
 * scored lower (CV folds 0-1 source F1 0.630 -> 0.624), within the spread of a retrain.
 *
 * Pairs quote marks line by line, joining quotes that reopen at the start of the
 * next line (a quote running over paragraphs). A line break ends a quote: in
 * PolNeAR train no quote holds one, and texts that separate paragraphs by a
 * single line break otherwise threw the pairing out of step for the rest of the
 * paragraph. A straight mark that can only close (after a word, before a space
 * or punctuation) opens nothing, and one that can only open, met inside an open
 * quote, starts the quote again there: a stray mark costs one quote, not every
 * quote after it.
 */
export function findQuoteRegions(text: string, mixedMarks = true): QuoteRegion[] {
  const regions: QuoteRegion[] = [];
  let open = -1;
  let start = -1;
  let closer = '';
  const closeAt = (at: number, length: number) => {
    if (at > start) regions.push({ open, close: at + length, start, end: at });
    open = -1;
  };
  const begin = (at: number, length: number, mark: string) => {
    open = at;
    start = at + length;
    closer = mark;
  };
  let lineStart = 0;
  while (lineStart <= text.length) {
    let lineEnd = text.indexOf('\n', lineStart);
    if (lineEnd < 0) lineEnd = text.length;
    // A quote continued from the line before: skip its reopening mark.
    let i = open < 0 ? lineStart : lineStart + (text.startsWith("''", lineStart) || text.startsWith('``', lineStart) ? 2 : 1);
    for (; i < lineEnd; i++) {
      const c = text[i];
      if (open >= 0) {
        if (closer === "''") {
          if (c !== "'" || text[i + 1] !== "'") continue;
          // `'''`: a nested single quote ends with the quote; the last two marks close it.
          const at = text[i + 2] === "'" ? i + 1 : i;
          closeAt(at, 2);
          i = at + 1;
        } else if (c === '"' && closer === '"') {
          if (onlyOpens(text, i, 1)) begin(i, 1, '"');
          else closeAt(i, 1);
        } else if (c === closer || (c === '“' && closer === '”' && onlyCloses(text, i, 1)) ||
          (mixedMarks && ((c === '"' && closer === '”' && onlyCloses(text, i, 1)) || (c === '”' && closer === '"')))) {
          closeAt(i, 1);
        } else if (c === '“' && closer === '”') {
          begin(i, 1, '”');
        }
        continue;
      }
      const two = text.slice(i, i + 2);
      if (two === '``' || (two === "''" && !onlyCloses(text, i, 2))) {
        begin(i, 2, "''");
        i++;
      } else if (c === '"') {
        if (!onlyCloses(text, i, 1)) begin(i, 1, '"');
      } else if (c === '“' || c === '«') {
        begin(i, 1, CLOSE_OF[c]);
      }
    }
    if (open >= 0) {
      // An unclosed quote continues if the next non-blank line reopens it; otherwise it ends here.
      let k = lineEnd;
      while (k < text.length && /\s/.test(text[k])) k++;
      if (k < text.length && (OPENERS.includes(text[k]) || text.startsWith("''", k) || text.startsWith('``', k))) {
        lineStart = k;
        continue;
      }
      let end = lineEnd;
      while (end > start && /\s/.test(text[end - 1])) end--;
      if (end > start) regions.push({ open, close: end, start, end });
      open = -1;
    }
    lineStart = lineEnd + 1;
  }
  return regions;
}

/** A mark of `length` at `i` after a space or the line start and before a word: it can only open. */
function onlyOpens(text: string, i: number, length: number): boolean {
  const before = text[i - 1];
  const after = text[i + length];
  return (before === undefined || /[\s(\[{—–]/.test(before)) && after !== undefined && /[\p{L}\p{N}$‘'(\[.…-]/u.test(after);
}

/** A mark of `length` at `i` after a word or punctuation and before a space, punctuation or the end: it can only close. */
function onlyCloses(text: string, i: number, length: number): boolean {
  const before = text[i - 1];
  const after = text[i + length];
  return before !== undefined && !/[\s(\[{—–]/.test(before) && (after === undefined || /[\s,.;:!?)\]—–-]/.test(after));
}

const WORD_RE = /[\p{L}\p{N}][\p{L}\p{N}'’.\-]*/gu;

function isClosingMark(c: string): boolean {
  return c === '”' || c === '"' || c === '»' || c === "'";
}

/** Finds every cue in one sentence and builds its attribution. */
function attributeSentence(text: string, [a, b]: Span, regions: QuoteRegion[], attributed: Set<QuoteRegion>): Attribution[] {
  const out: Attribution[] = [];
  // Regions follow each other in text order without overlapping: those closing after a, until one opens at b.
  const inSentence: QuoteRegion[] = [];
  for (let i = firstWhere(regions.length, (k) => regions[k].close > a); i < regions.length && regions[i].open < b; i++) inSentence.push(regions[i]);
  const insideQuote = (pos: number) => inSentence.some((r) => pos >= r.start && pos < r.end);
  const consumed: Span[] = [];
  const isConsumed = (pos: number) => consumed.some(([s, e]) => pos >= s && pos < e);
  let lastSpeaker: Span | null = null;
  let lastAttributionEnd = a;

  const sentence = text.slice(a, b);
  CUE_RE.lastIndex = 0;
  for (let m = CUE_RE.exec(sentence); m; m = CUE_RE.exec(sentence)) {
    const cueStart = a + m.index;
    const cueEnd = cueStart + m[0].length;
    if (insideQuote(cueStart) || isConsumed(cueStart)) continue;
    const verb = m[1].toLowerCase().replace(/\s+/g, ' ');
    const base = verb === 'according to' ? 'according to' : CUE_FORMS.get(verb) ?? verb;
    if (isNounUse(text, cueStart, a)) continue;

    let found: Attribution | null;
    if (base === 'according to') found = accordingTo(text, a, b, cueStart, cueEnd, inSentence);
    else found = verbCue(text, a, b, cueStart, cueEnd, base, verb, inSentence, lastSpeaker, lastAttributionEnd);
    if (!found) continue;
    out.push(found);
    consumed.push(found.content);
    if (found.lead) {
      out.push({ content: found.lead, direct: false, cue: found.cue, speaker: found.speaker });
      consumed.push(found.lead);
      delete found.lead;
    }
    if (found.speaker) consumed.push(found.speaker);
    // A quote split by its cue: `"A," he said, "B."` is one attribution (PolNeAR
    // gives both pieces one content), so B takes the cue of A.
    if (found.content[1] <= cueStart) {
      const from = Math.max(cueEnd, found.speaker?.[1] ?? 0);
      // `"A," he said of Trump, "B."`: a short adverbial may come before the second half.
      const adverbial = /^[^“”"«».;:,]{0,40},/.exec(text.slice(from, b));
      // `"A," she said, and "B."`: the second half after "and" or "but" (train CV: direct-quote content +0.0003).
      const joined = /^\s*,?\s*(?:and|but)\s+(?=[“"«])/.exec(text.slice(from, b));
      const rest = quoteOpensAt(text, from, b, inSentence) ?? (adverbial ? quoteOpensAt(text, from + adverbial[0].length, b, inSentence) : undefined) ??
        (joined ? quoteOpensAt(text, from + joined[0].length, b, inSentence) : undefined);
      if (rest) {
        out.push({ ...found, content: [rest.open, rest.close] });
        consumed.push([rest.open, rest.close]);
      }
    }
    lastSpeaker = found.speaker;
    lastAttributionEnd = Math.max(found.content[1], cueEnd);
  }

  // Emit direct quotes for quote regions inside each attribution's content.
  const result: Attribution[] = [];
  for (const attribution of out) {
    const [cs, ce] = attribution.content;
    const exact = inSentence.find((r) => sameQuote(text, r, cs, ce));
    if (exact) {
      attributed.add(exact);
      result.push({ ...attribution, content: [exact.start, exact.end], direct: true });
      continue;
    }
    result.push(attribution);
    for (const r of inSentence) {
      if (r.open >= cs && r.close <= ce + 1 && !attributed.has(r)) {
        attributed.add(r);
        result.push({ ...attribution, content: [r.start, r.end], direct: true });
      }
    }
  }
  return result;
}

/** True when `[cs, ce)` is just the quote region `r` (marks and a trailing comma aside). */
function sameQuote(text: string, r: QuoteRegion, cs: number, ce: number): boolean {
  let s = cs;
  let e = ce;
  while (s < e && /[\s:,]/.test(text[s])) s++;
  while (e > s && /[\s,.;:—–-]/.test(text[e - 1])) e--;
  return s === r.open && Math.abs(e - r.close) <= 1;
}

/**
 * "reports", "the said", "added value", "secretary of state", "the State
 * Department": cue words used as nouns or adjectives (a capitalised cue word
 * inside a sentence is part of a name).
 */
function isNounUse(text: string, cueStart: number, sentenceStart: number): boolean {
  const before = text.slice(Math.max(sentenceStart, cueStart - 12), cueStart).toLowerCase();
  if (/\b(the|a|an|his|her|their|its|our|my|your|this|that|these|those|of)\s+$/.test(before)) return true;
  return /^\p{Lu}/u.test(text[cueStart]) && /[\p{L},]\s+$/u.test(text.slice(sentenceStart, cueStart));
}

function trimSpan(text: string, s: number, e: number, stripFinal = true): Span {
  while (s < e && /\s/.test(text[s])) s++;
  while (e > s && /\s/.test(text[e - 1])) e--;
  if (stripFinal) {
    while (e > s && /[.,;:!?—–-]/.test(text[e - 1])) e--;
    while (e > s && /\s/.test(text[e - 1])) e--;
  }
  return [s, e];
}

/** "according to X, …" and "…, according to X." */
function accordingTo(text: string, a: number, b: number, cueStart: number, cueEnd: number, regions: QuoteRegion[]): Attribution | null {
  let stop = b;
  for (let i = cueEnd; i < b; i++) {
    if (text[i] === ',' || text[i] === ';' || OPENERS.includes(text[i])) { stop = i; break; }
  }
  const speaker = trimSpan(text, cueEnd, stop);
  if (speaker[1] <= speaker[0]) return null;
  const before = trimSpan(text, a, cueStart);
  let content: Span;
  if (before[1] - before[0] < 3) {
    if (stop >= b) return null;
    content = trimSpan(text, stop + 1, b);
  } else {
    content = contentBefore(text, a, cueStart, regions);
  }
  if (content[1] <= content[0]) return null;
  return { content, direct: false, cue: [cueStart, cueEnd], speaker };
}

/** The content before a cue: the quote that closes just before it, or the clause from the sentence start. */
function contentBefore(text: string, a: number, end: number, regions: QuoteRegion[]): Span {
  const span = trimSpan(text, a, end);
  const quote = regions.find((r) => r.close >= span[1] - 1 && r.close <= span[1] + 1 && r.open >= a - 1);
  if (quote && quote.open <= span[0] + 1) return [quote.open, quote.close];
  // A quote that opened in an earlier paragraph and closes here.
  const long = regions.find((r) => r.open < a && Math.abs(r.close - span[1]) <= 1);
  if (long) return [long.open, long.close];
  // Keep the closing mark of a quote that ends the content.
  if (isClosingMark(text[span[1]]) || (text[span[1]] === ',' && isClosingMark(text[span[1] + 1] ?? ''))) return span;
  return span;
}

/** A verb cue: finds the speaker (before or after the verb) and the content. */
function verbCue(
  text: string, a: number, b: number, cueStart: number, cueEnd: number, base: string, verb: string,
  regions: QuoteRegion[], lastSpeaker: Span | null, floor: number,
): Attribution | null {
  const cue: Span = [cueStart, cueEnd];
  const beforeCue = text.slice(a, cueStart);
  const lead = beforeCue.trimEnd();
  const afterCue = text.slice(cueEnd, b);
  const nextWord = /^\s+([\p{L}][\p{L}'’.\-]*)/u.exec(afterCue)?.[1] ?? '';

  // Inverted order: `"…," said Lavrov` or `…, said Lavrov, the minister.`
  const afterQuoteOrComma = lead.endsWith(',') || isClosingMark(lead.slice(-1));
  // Right after a quote, a lower-case noun phrase names the speaker too ("…,” said
  // master of ceremonies Asab Al-Tabchi): PolNeAR train holdout, 2025-06.
  const afterQuote = isClosingMark(lead.slice(-1)) || /[,.?!][”"»]$/.test(lead) || lead.endsWith("''");
  const nextLower = nextWord.toLowerCase();
  // A participle does not invert: in `…, emphasizing the importance of …` what follows is what was said
  // (train CV: source F1 0.6678 -> 0.6693, content 0.5076 -> 0.5092; of 41 such inverted speakers none was PolNeAR's).
  if (afterQuoteOrComma && nextWord && !verb.endsWith('ing') && !TAKES_RECIPIENT.has(base) && !PRONOUNS.has(nextLower) && nextLower !== 'that' &&
      (/^\p{Lu}/u.test(nextWord) || /^(a|an|the|another|one|two|three|some|several|many)$/i.test(nextWord) ||
       (afterQuote && !NOT_A_SPEAKER_START.has(nextLower) && !CUE_ADVERBS.has(nextLower)))) {
    const speaker = speakerAfter(text, cueEnd, b);
    if (!speaker) return null;
    const content = contentBefore(text, Math.max(a, floor), a + lead.length - (lead.endsWith(',') ? 1 : 0), regions);
    if (content[1] <= content[0]) return null;
    return { content, direct: false, cue, speaker };
  }

  // Normal order: `Lavrov said …` / `"…," he said.` / `…, the source added.`
  let speakerEnd = cueStart;
  for (;;) {
    const w = /([\p{L}]+)\s+$/u.exec(text.slice(Math.max(a, speakerEnd - 20), speakerEnd));
    if (!w || !CUE_ADVERBS.has(w[1].toLowerCase())) break;
    speakerEnd -= w[0].length;
  }
  const left = speakerLeft(text, Math.max(a, floor), speakerEnd);

  // Where the content is: after the cue, unless only a short tail follows it
  // ("…, the source added." / "…," he told Reuters on Tuesday.).
  let c = cueEnd;
  if (TAKES_RECIPIENT.has(base)) c = skipRecipient(text, c, b);
  const tail = text.slice(c, b);
  // "Asked about it, Trump replied, “…”": a comma earlier in the sentence does
  // not put the content before the cue when a quote opens right after it.
  // A whole quoted sentence (`“…possessions.” Zimmerman wrote … that …`) is not the
  // content of a cue followed by a clause of its own: the quote stands alone.
  const quoteEndsSentence = left.boundary === 'quote' && /[.!?]\s*[”"»']{1,2}$/.test(text.slice(Math.max(a, left.boundaryAt - 4), left.boundaryAt));
  // `…,” emphasizing the importance of …`: a participle right after a quote says what follows it, and its
  // speaker is the clause's subject (isParticipleCue allows the closing mark). Train CV: content +0.0006,
  // source +0.0006, direct-quote content +0.0003.
  const participleAfterQuote = verb.endsWith('ing') && left.boundary === 'quote' && !/\p{L}/u.test(text.slice(left.boundaryAt, speakerEnd)) && !isShortTail(tail);
  const contentIsBefore = (left.boundary === 'quote' && !participleAfterQuote && !(quoteEndsSentence && !isShortTail(tail))) ||
    (left.commaAt >= 0 && isShortTail(tail) && !quoteOpensAt(text, c, b, regions));

  let speaker: Span | null = contentIsBefore && left.commaAt >= 0 ? trimSpan(text, left.commaAt + 1, speakerEnd, false) : left.speaker;
  // "Rubio thanked Miami and said …": a verb joined by "and"/"but" shares the subject of the verb
  // before it (the speaker of the attribution before, else the clause's pronoun or leading name),
  // not the words up to the conjunction. PolNeAR train: 1,154 of 18,360 sources serve two cues.
  if (isCoordinated(text, a, speakerEnd)) speaker = lastSpeaker ?? (speaker ? subjectOf(text, speaker) : null);
  if (speaker) speaker = withoutParticipleAside(text, speaker);
  if (speaker) speaker = pronounAlone(text, speaker);
  // Right after a quote that ends in a comma, "?" or "!", a lower-case noun
  // phrase speaks too ("…,” spokesman Alex Conant said).
  const afterSpokenQuote = left.boundary === 'quote' && contentIsBefore && /[,?!]\s*[”"»']{1,2},?$/.test(text.slice(Math.max(a, left.boundaryAt - 4), left.boundaryAt));
  if (speaker && !(afterSpokenQuote && isLowerCaseNounPhrase(text.slice(speaker[0], speaker[1]))) && !looksLikeSpeaker(text.slice(speaker[0], speaker[1]))) speaker = null;
  if (!speaker) {
    // "…, adding that …": the participle shares the speaker of the clause before.
    if (verb.endsWith('ing') && lastSpeaker) speaker = lastSpeaker;
    else if (!verb.endsWith('ing')) return null;
  }

  if (contentIsBefore) {
    const boundaryAt = left.boundary === 'quote' ? left.boundaryAt : left.commaAt;
    const content = contentBefore(text, Math.max(a, floor), boundaryAt, regions);
    if (content[1] > content[0]) return { content, direct: false, cue, speaker };
    return null;
  }

  while (c < b && /[\s:,]/.test(text[c])) c++;
  if (c >= b) return null;
  // "wrote on Truth Social: “…”": a short adverbial, then a colon or comma, then the quote.
  const lead2 = /^[^“"«.;]{0,60}?[:,]\s*/.exec(text.slice(c, b));
  const quote = regions.find((r) => r.open === c) ?? (lead2 ? regions.find((r) => r.open === c + lead2[0].length) : undefined);
  // A partial quote inside a reported clause is one (indirect) content in PolNeAR: `said that in any
  // negotiation, "we will …"` and `said “the wind is at our backs” despite his loss`. The clause is
  // the content (direct: false) and the quoted words come back as a direct piece with the same cue
  // (see attributeSentence). Train CV: direct-quote content F1 0.858 -> 0.861, every other figure
  // the same or up (a quote ending in `,` `.` `!` `?` is whole: `“We’ll see,” an aide said`).
  const partial = !quote ? -1 : quote.open > c && /^that\b/i.test(text.slice(c, c + 5)) ? c :
    !/[,.!?]\s*$/.test(text.slice(quote.start, quote.end)) && /^\s+\p{Ll}/u.test(text.slice(quote.close, b)) ? quote.open : -1;
  if (partial >= 0) return { content: trimSpan(text, partial, b, !isClosingMark(text[b - 1])), direct: false, cue, speaker };
  if (quote) {
    const found: Attribution = { content: [quote.open, quote.close], direct: true, cue, speaker };
    // `Sooner or later, the governor said, “it starts to pay off.”`: a quote going on in lower case
    // continues the words before the speaker, which PolNeAR makes one content with it. Train CV:
    // direct-quote content F1 0.854 -> 0.856 (upper-case quotes too: 0.850).
    // `If Clinton is elected, he said, "she might …"`: a lead opening with a clause word at the sentence
    // start is such words too (train CV: direct-quote content F1 0.861 -> 0.862; any lead before an
    // upper-case quote that opens with a clause word or "of", "and": 0.861, not kept).
    let leadStart = left.boundary === 'start' ? left.boundaryAt : -1;
    if (left.boundary === 'clause') {
      const word = /\p{L}+$/u.exec(text.slice(a, left.boundaryAt));
      if (word && /^[\s“"«'`]*$/.test(text.slice(a, a + word.index))) leadStart = a + word.index;
    }
    if (leadStart >= 0 && left.commaAt >= 0 && /^[“"«'`]*\p{Ll}/u.test(text.slice(quote.open, quote.open + 3))) {
      const lead = trimSpan(text, leadStart, left.commaAt, false);
      if (lead[1] > lead[0]) found.lead = lead;
    }
    return found;
  }
  if (QUOTE_ONLY.has(base)) return null;
  // `wrote in his 1990 autobiography that …`, `said on Tuesday that …`: a short adverbial, then the content,
  // which starts at "that" (train CV: content F1 0.5013 -> 0.5051, source +0.0003).
  const adverbialThat = /^(?:in|on|at|during|after|before|from|with|last|this|earlier|later)\b[^,.;:“"«\n]{0,60}?\s(?=that\b)/i.exec(text.slice(c, b));
  if (adverbialThat) c += adverbialThat[0].length;
  const startsWithThat = /^that\b/i.test(text.slice(c, c + 5));
  if (NEED_THAT.has(base) && !startsWithThat) return null;
  const content = trimSpan(text, c, b, !isClosingMark(text[b - 1]));
  if (content[1] - content[0] < 3) return null;
  return { content, direct: false, cue, speaker };
}

/** The quote region opening at `from` once spaces, commas and colons are skipped, if any (before `b`). */
function quoteOpensAt(text: string, from: number, b: number, regions: QuoteRegion[]): QuoteRegion | undefined {
  let k = from;
  while (k < b && /[\s:,]/.test(text[k])) k++;
  return k < b ? regions.find((r) => r.open === k) : undefined;
}

/**
 * "She then urges her husband to …" → "She": a pronoun subject takes no
 * modifiers (the rules' span, not the tagger's: PolNeAR train cross-validation,
 * speaker accuracy 0.871 -> 0.872, source F1 0.603 -> 0.604; on the tagger's spans too: no better).
 */
function pronounAlone(text: string, [s, e]: Span): Span {
  const m = /^(\p{L}+)\s+\S/u.exec(text.slice(s, e));
  return m?.[1] && PRONOUNS.has(m[1].toLowerCase()) ? [s, s + m[1].length] : [s, e];
}

/** "a senior official, speaking anonymously," → "a senior official": PolNeAR spans the noun phrase only. */
function withoutParticipleAside(text: string, [s, e]: Span): Span {
  const m = /,\s+\p{Ll}+ing\b[^,]*,?$/u.exec(text.slice(s, e));
  return m && m.index > 0 ? [s, s + m.index] : [s, e];
}

/** What may follow a cue whose content came before it: nothing, or a short adverbial ("on Tuesday"). */
function isShortTail(tail: string): boolean {
  if (/^\s*[,;]/.test(tail)) return true;
  return /^[^,;:“"«]{0,40}$/.test(tail) && !/\bthat\b/i.test(tail) && countWords(tail) <= 6;
}

const DETERMINERS = new Set([
  'a', 'an', 'the', 'another', 'some', 'many', 'several', 'most', 'both', 'all', 'one', 'two', 'three', 'his', 'her',
  'their', 'its', 'our', 'my', 'your', 'this', 'these', 'those', 'each', 'other', 'others', 'no', 'few', 'such',
  'who', 'officials', 'sources', 'people', 'analysts', 'experts', 'critics', 'supporters', 'voters', 'aides',
  'reporters', 'police', 'authorities', 'observers', 'democrats', 'republicans', 'residents', 'witnesses',
]);

/** CUE_RE without the global flag: a test that leaves CUE_RE's scan position alone. */
const HAS_CUE = new RegExp(CUE_RE.source, 'i');

/** Words that, right after an inverted cue, start an adverbial rather than the speaker. */
const NOT_A_SPEAKER_START = new Set([
  'that', 'to', 'in', 'on', 'at', 'by', 'with', 'for', 'of', 'about', 'during', 'after', 'before', 'when', 'while', 'as',
  'today', 'yesterday', 'tonight', 'recently', 'this', 'last', 'next', 'so', 'and', 'but', 'if', 'because', 'without',
]);

/** A short phrase ending in a name that does not start like an adverbial or a clause ("spokesman Alex Conant"). */
function isLowerCaseNounPhrase(s: string): boolean {
  const words = s.match(WORD_RE) ?? [];
  const last = words[words.length - 1];
  return last !== undefined && words.length <= 8 && !NOT_A_SPEAKER_START.has((words[0] ?? '').toLowerCase()) && !/[<>=]/.test(s) &&
    !words.some((w) => CLAUSE_WORDS.has(w.toLowerCase())) && /^\p{Lu}/u.test(last);
}

/** A speaker starts with a capital, a digit, a pronoun or a determiner ("a senior official"). */
function looksLikeSpeaker(s: string): boolean {
  const first = /^[\p{L}\p{N}]+/u.exec(s)?.[0] ?? '';
  if (!first) return false;
  if (/^[\p{Lu}\p{N}]/u.test(first)) return true;
  const lower = first.toLowerCase();
  if (PRONOUNS.has(lower) || DETERMINERS.has(lower) || lower === 'me' || lower === 'him' || lower === 'them' || lower === 'us') return true;
  // A few lower-case words ending in a plural: "election officials", "investigators", "campaign aides"
  // (train CV: source F1 +0.0009, cue +0.0009, direct-quote content +0.0006).
  const words = s.trim().split(/\s+/);
  return words.length <= 4 && /^\p{Ll}[\p{L}-]*[^s]s$/u.test(words[words.length - 1]) && words.every((w) => /^\p{Ll}[\p{L}-]*$/u.test(w) && !CLAUSE_WORDS.has(w) && !NOT_A_SPEAKER_START.has(w));
}

/** Skips the recipient of "told": up to "that", a colon/comma or a quote, or a few name words. */
function skipRecipient(text: string, from: number, b: number): number {
  const rest = text.slice(from, Math.min(b, from + 80));
  const that = /\bthat\b/.exec(rest);
  if (that && rest.slice(0, that.index).split(/\s+/).length <= 8) return from + that.index;
  const stop = /[,:“"]/.exec(rest);
  if (stop && stop.index < 40) return from + stop.index;
  const name = /^\s+((?:the\s+|a\s+)?(?:[\p{Lu}][\p{L}.'’-]*\s*)+|reporters\s+|journalists\s+)/u.exec(rest);
  return name ? from + name[0].length : from;
}

/** The speaker after an inverted cue: to the sentence end, or a relative clause, or a quote. */
function speakerAfter(text: string, from: number, b: number): Span | null {
  const rest = text.slice(from, b);
  const stop = /,\s+(?:\p{Ll}+ing\b|where|when|according|in\s|on\s|at\s|during|after|before|as\s)|\s+(?:in\s+an?\s+(?:statement|interview)|on\s+(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|Twitter))|[“"«;]/u.exec(rest);
  let end = stop ? from + stop.index : b;
  // PolNeAR keeps a relative clause in the source ("Ms. Leon, who works as a
  // secretary"), unless the clause is an attribution of its own ("…, who said …").
  const relative = /,?\s+(?:who|which|whose)\b/.exec(text.slice(from, end));
  if (relative && HAS_CUE.test(text.slice(from + relative.index, end))) end = from + relative.index;
  const span = trimSpan(text, from, end);
  return span[1] > span[0] ? span : null;
}

type Boundary = 'start' | 'quote' | 'clause';

interface LeftScan {
  /** The speaker when the content follows the cue: an appositive is kept whole. */
  speaker: Span | null;
  boundary: Boundary;
  boundaryAt: number;
  /** The last comma inside the segment (not its final character), or -1. */
  commaAt: number;
}

/**
 * Scans left from `end` over the words naming the speaker. Stops at a
 * clause word, strong punctuation, a closing quote (content before) or the
 * sentence start. A segment with a comma keeps only what follows its last
 * comma, unless it is an appositive ("Nunberg, a former aide, said").
 */
function speakerLeft(text: string, a: number, end: number): LeftScan {
  let i = end;
  let boundary: Boundary = 'start';
  let boundaryAt = a;
  while (i > a) {
    const c = text[i - 1];
    if (/\s/.test(c)) { i--; continue; }
    if (isClosingMark(c) || (c === ',' && isClosingMark(text[i - 2] ?? ''))) {
      // `'s` and `s'` are apostrophes, not quote marks.
      if ((c === "'" || c === '’') && text[i - 2] !== "'" && /\p{L}/u.test(text[i - 2] ?? '')) { i--; continue; }
      boundary = 'quote';
      boundaryAt = i;
      break;
    }
    // A short parenthesis belongs to the name: "Sen. Chuck Schumer (D-N.Y.) said".
    if (c === ')') {
      const open = text.lastIndexOf('(', i - 1);
      if (open > a && i - open <= 30 && !/[()“”"]/.test(text.slice(open + 1, i - 1))) { i = open; continue; }
    }
    if (/[;:—–(\[]/.test(c) || (c === '-' && text[i - 2] === ' ')) { boundary = 'clause'; boundaryAt = i; break; }
    if (/[\p{L}\p{N}]/u.test(c) || c === '.' || c === '’' || c === "'" || c === ')' || c === '-') {
      let s = i;
      while (s > a && /[\p{L}\p{N}'’.\-)]/u.test(text[s - 1])) s--;
      if (s === i) { i--; continue; }
      if (CLAUSE_WORDS.has(text.slice(s, i).toLowerCase())) { boundary = 'clause'; boundaryAt = i; break; }
      i = s;
      continue;
    }
    i--;
  }
  const segment = trimSpan(text, boundaryAt, end, false);
  if (segment[1] <= segment[0]) return { speaker: null, boundary, boundaryAt, commaAt: -1 };
  const segText = text.slice(segment[0], segment[1]);
  const last = segText.lastIndexOf(',');
  const commaAt = last >= 0 && last < segText.length - 1 ? segment[0] + last : -1;
  let speaker: Span = segment;
  if (commaAt >= 0) {
    const first = segText.indexOf(',');
    const appositive = first < last && startsWithName(segText) && countWords(segText.slice(0, first)) <= 4;
    if (!appositive) speaker = trimSpan(text, commaAt + 1, end, false);
  }
  if (countWords(text.slice(speaker[0], speaker[1])) > 12) return { speaker: null, boundary, boundaryAt, commaAt };
  return { speaker, boundary, boundaryAt, commaAt };
}

function startsWithName(s: string): boolean {
  return /^\s*\p{Lu}/u.test(s);
}

function countWords(s: string): number {
  return (s.match(WORD_RE) ?? []).length;
}

/**
 * Quote sentences no cue claimed: continue the attributed quote right before
 * (same or previous paragraph), else the one right after, else take the
 * subject of the sentence before. Quotes inside a sentence are scare quotes.
 */
function attributeStandaloneQuotes(
  text: string, sentences: Sentence[], regions: QuoteRegion[], attributed: Set<QuoteRegion>,
  bySentence: Attribution[][], attributions: Attribution[], people: Span[],
): void {
  const sentenceAt = (pos: number) => sentenceIndexAt(sentences, pos);
  // `"A," he said. Instead, "B."`: a quote after a connective opening its sentence continues the quote
  // before it, as a quote sentence does (and only that). Train CV: direct-quote content F1 0.8765 ->
  // 0.8775 (after any lead of up to eight words and a comma: 0.8778, but dev 0.877 -> 0.872).
  // Such a quote is not a sentence of its own: only the continuation applies to it.
  const led = new Set<QuoteRegion>();
  const standalone = regions.filter((r) => {
    if (attributed.has(r) || sentences.length === 0) return false;
    const s = sentences[sentenceAt(r.open)];
    if (s.span[0] < r.open - 1) {
      if (!LEAD_CONNECTIVE_RE.test(text.slice(s.span[0], r.open))) return false;
      led.add(r);
      return true;
    }
    // `“Daily Show” host Trevor Noah …`, `"Sons of Trump" is …`: a quote opening a sentence that goes on
    // past it names or mentions, it is not a quote sentence (a credit line after it aside). Train CV,
    // folds 0-2: direct-quote content F1 0.864 -> 0.868, speaker accuracy 0.888 -> 0.896.
    // A quote ending in `.`, `!` or `?` is a sentence of its own, whatever the splitter joined to it.
    const end = sentences[sentenceAt(Math.max(r.open, r.close - 1))].span[1];
    return /[.!?…][’'"”]*\s*$/.test(text.slice(r.start, r.end)) || !/[\p{L}\p{N}]/u.test(text.slice(r.close, end)) || creditLine(text, r.close) !== null;
  });
  // The direct attribution ending last before a position, the first of them in array order: those found
  // before this pass by a binary search (sorted by end, for one end the first last), then the one this
  // pass added last (the regions come in text order, so it ends after every other it added).
  const earlier = attributions.map((x, i) => ({ x, i })).filter(({ x }) => x.direct).sort((p, q) => p.x.content[1] - q.x.content[1] || q.i - p.i);
  let lastAdded: Attribution | undefined;
  const directBefore = (pos: number): Attribution | undefined => {
    const k = firstWhere(earlier.length, (i) => earlier[i].x.content[1] > pos) - 1;
    const before = k >= 0 ? earlier[k].x : undefined;
    return lastAdded && (!before || lastAdded.content[1] > before.content[1]) ? lastAdded : before;
  };
  const add = (x: Attribution) => {
    attributions.push(x);
    lastAdded = x;
  };
  for (const r of standalone) {
    // A credit line: `“…” — Pamela Padilla`, at the end of the paragraph or alone in the next one.
    const credit = creditLine(text, r.close);
    if (credit) {
      add({ content: [r.start, r.end], direct: true, cue: null, speaker: credit });
      attributed.add(r);
      continue;
    }
    // `“Is it two? Three?” Clinton asks as …`, `“…?” reacted Trump.`: after a question or exclamation the sentence
    // goes on with its speaker, by a verb no cue list holds.
    const named = /[?!][’'"”]*$/.test(text.slice(r.start, r.end).trimEnd()) ? SPEAKER_AFTER_QUESTION_RE.exec(text.slice(r.close, r.close + 80)) : null;
    if (named) {
      const at = r.close + named.index + named[0].indexOf(named[1] ?? named[2]);
      add({ content: [r.start, r.end], direct: true, cue: null, speaker: [at, at + (named[1] ?? named[2]).length] });
      attributed.add(r);
      continue;
    }
    const index = sentenceAt(r.open);
    const sentence = sentences[index];
    const previous = index > 0 ? sentences[index - 1] : null;
    const near = previous && sentence.paragraph - previous.paragraph <= 1;
    // Continuation of the quote just before it.
    const before = directBefore(r.open);
    // (Or its cue is in the sentence before: `"Can we win?" Mr. Manafort asked. "I don't know."`.)
    if (near && before && (before.content[1] >= previous.span[0] - 2 || (before.cue !== null && before.cue[0] >= previous.span[0]))) {
      add({ content: [r.start, r.end], direct: true, cue: before.cue, speaker: before.speaker });
      attributed.add(r);
      continue;
    }
    if (led.has(r)) continue;
    // A quote followed, in the next sentence, by an attributed quote.
    const endIndex = sentenceAt(Math.max(r.open, r.close - 1));
    const next = bySentence[endIndex + 1]?.find((x) => x.direct);
    if (next && sentences[endIndex + 1].paragraph - sentences[endIndex].paragraph <= 1 && next.content[0] <= sentences[endIndex + 1].span[0] + 2) {
      add({ content: [r.start, r.end], direct: true, cue: next.cue, speaker: next.speaker });
      attributed.add(r);
      continue;
    }
    // The subject of the sentence before: "Lavrov spoke to reporters. “We …”"
    let speaker: Span | null = null;
    if (near && previous) {
      const own = bySentence[index - 1].find((x) => x.speaker)?.speaker;
      const person = people.find(([s, e]) => s >= previous.span[0] && e <= previous.span[1]);
      speaker = own ?? person ?? leadingSubject(text, previous.span);
    }
    add({ content: [r.start, r.end], direct: true, cue: null, speaker });
    attributed.add(r);
  }
}

/**
 * `While Rubio suggested the involvement of European partners, Nebenzya asserted that …`: reported words end at
 * the comma before the next speaker of their sentence who speaks with a cue of their own (that clause is not
 * part of what the first speaker said), and the quotes after the cut go with that speaker only. Train CV:
 * content F1 0.5098 -> 0.5104, every other figure the same; with a comma inside a closing quote and the
 * quotes after the cut: 0.5113 (dev 0.5361 -> 0.5376).
 */
function endBeforeNextClause(text: string, sentences: Sentence[], attributions: Attribution[]): void {
  // Attributions by the sentence of their cue, and quote pieces by the cue they share (one array per cue),
  // so that each cut looks only within its sentence and at its own pieces.
  const withCue = groupBy(attributions.filter((x) => x.cue), (x) => sentenceIndexAt(sentences, x.cue![0]));
  const piecesOf = groupBy(attributions.filter((x) => x.direct && x.cue), (x) => x.cue!);
  const dropped = new Set<Attribution>();
  for (const a of attributions) {
    if (a.direct || !a.cue || a.content[0] < a.cue[1]) continue;
    const sameSentence = withCue.get(sentenceIndexAt(sentences, a.cue[0])) ?? [];
    for (const b of sameSentence) {
      if (b === a || !b.speaker || b.speaker[1] > b.cue![0] || b.speaker[0] <= a.content[0] || b.cue![1] > a.content[1]) continue;
      // The comma may sit inside the quote that ends the words: `… at "less advanced schools," Trump said`.
      const comma = /(?:,|,?([”"’']+),?)\s*$/.exec(text.slice(a.content[0], b.speaker![0]));
      if (!comma) continue;
      const end = a.content[0] + comma.index + (comma[1] ? comma[0].indexOf(comma[1]) + comma[1].length : 0);
      a.content = [a.content[0], end];
      // Its quote pieces past the cut are the next speaker's, where an attribution of that sentence holds them.
      for (const piece of piecesOf.get(a.cue) ?? []) {
        if (piece === a || piece.content[0] < end) continue;
        if (sameSentence.some((x) => x.cue !== a.cue && !dropped.has(x) && x.content[0] <= piece.content[0] && x.content[1] >= piece.content[1])) dropped.add(piece);
      }
      break;
    }
  }
  if (dropped.size > 0) attributions.splice(0, attributions.length, ...attributions.filter((x) => !dropped.has(x)));
}

const LEAD_CONNECTIVE_RE = /^\s*(?:But|And|Now|Then|Instead|Still|Yet|So|Also|Later|Again|Otherwise)\s*,?\s*$/;

/** After a closing mark: a name or pronoun and a lower-case verb ("Clinton asks"), or a lower-case verb and a name ("reacted Trump"). */
const SPEAKER_AFTER_QUESTION_RE = /^[ \t]+(?:((?:\p{Lu}[\p{L}.'’-]*[ \t]+){0,2}\p{Lu}[\p{L}.'’-]*|he|she|they|we)[ \t]+\p{Ll}+(?:ed|s)\b|\p{Ll}+ed[ \t]+((?:\p{Lu}[\p{L}.'’-]*[ \t]+){0,2}\p{Lu}[\p{L}'’-]*))/u;

/**
 * A line `Label: ‘Quote.’`: the label before the colon, then a quote in single or double marks
 * running to the line end (`headlineQuote` finds its closing mark: the pattern stays linear on a
 * long line, where `[^\n]*\p{L}[^\n]*` before the mark took seconds to backtrack).
 */
const HEADLINE_QUOTE_RE = /^([^\n:‘’“”"]{2,80}):[ \t]+[‘'“"]([^\n]*)$/gmu;

/** The quoted words of a headline line's rest: up to a closing mark, an optional period and spaces at the line end; they hold a letter. */
function headlineQuote(rest: string): string | null {
  const m = /[’'”"]\.?[ \t]*$/.exec(rest);
  if (!m) return null;
  const quoted = rest.slice(0, m.index);
  return /\p{L}/u.test(quoted) ? quoted : null;
}

/**
 * Headlines and one-line leads in the form `Kasich: ‘We Are Going All The Way.’` quote the label
 * before the colon, often in single marks that the region scan leaves alone (they are apostrophes
 * too). PolNeAR train: all 16 lines of this form are a direct quote exactly the marked words, 11
 * with the label as source; the rest a name and what it spoke on ("Gillibrand on …": Gillibrand).
 */
function attributeHeadlineQuotes(text: string, regions: QuoteRegion[], attributed: Set<QuoteRegion>, attributions: Attribution[]): void {
  if (!text.includes(':')) return;
  HEADLINE_QUOTE_RE.lastIndex = 0;
  for (let m = HEADLINE_QUOTE_RE.exec(text); m; m = HEADLINE_QUOTE_RE.exec(text)) {
    const [line, label, rest] = m;
    const quoted = headlineQuote(rest);
    if (quoted === null) continue;
    // Past the headline only a name labels a quote ("Reid: …"; not "Then, later that month on CNN: …").
    const headline = m.index === 0;
    if (HAS_CUE.test(label) || countWords(label) > 8 || (!headline && !/^(?:[\p{Lu}][\p{L}'’.-]*\s+){0,3}[\p{Lu}][\p{L}'’.-]*$/u.test(label))) continue;
    const start = m.index + line.indexOf(quoted, label.length + 1);
    const end = start + quoted.length;
    const region = regions.find((r) => r.start === start && r.end === end);
    if (region && attributed.has(region)) continue;
    if (attributions.some((x) => x.direct && x.content[0] < end && start < x.content[1])) continue;
    if (region) attributed.add(region);
    const colon = m.index + label.length;
    // The colon is the cue, as PolNeAR marks it (train CV: cue F1 +0.0005).
    attributions.push({ content: [start, end], direct: true, cue: [colon, colon + 1], speaker: headlineSpeaker(m.index, label) });
  }
}

/** A line `Name: what they said` (a name of at most five words, then at least three words). */
const LABELLED_LINE_RE = /^[ \t]*((?:\p{Lu}[\p{L}\p{N}.'’-]*)(?:[ \t]+(?:\p{Lu}[\p{L}\p{N}.'’-]*|of|the|and)){0,4}):[ \t]+([\p{L}‘“"'][^\n]*?)[ \t]*$/gmu;
/** Labels that head a line without naming who speaks: kickers, notes, bylines. */
const NOT_A_SPEAKER_LABEL = /^The\s|\b(?:Note|Update|Updated|Watch|Related|Photo|Source|Latest|Daily|Editor|Correction|Contributing|Name|Paid|Breaking|Wow|Revealed|Look|Bombshell|Exclusive|Leaked|Continued)\b/;

/**
 * Headlines `Trump: Cruz Has ‘To Come a Long Way’ on Ethanol`, `Poll: Donald Trump Ties Hillary
 * Clinton`: the label is the source, the colon the cue, the rest of the line the content. Not a line of
 * a list of such lines (`Sanders: Win in a walk.` / `Cruz: Just hang on.`; `Iowa: Tim Albrecht, …`), nor
 * a kicker (`Breaking:`, `The Latest:`), a note or an all-capitals label, nor a number after the colon.
 * PolNeAR train: of the lines so labelled, 72 are such attributions (69 with the label as source), 23 not.
 */
function attributeLabelledLines(text: string, attributions: Attribution[]): void {
  if (!text.includes(':')) return;
  LABELLED_LINE_RE.lastIndex = 0;
  const labelled = [...text.matchAll(LABELLED_LINE_RE)];
  labelled.forEach((m, i) => {
    const [, label, content] = m;
    if (NOT_A_SPEAKER_LABEL.test(label) || !/\p{Ll}/u.test(label) || countWords(content) < 3) return;
    const lineStart = m.index;
    // In a list: the line before or after is labelled too.
    const previous = labelled[i - 1];
    const next = labelled[i + 1];
    const inList = (previous && !/\S/.test(text.slice(previous.index + previous[0].length, lineStart).replace(/\n/g, ''))) ||
        (next && !/\S/.test(text.slice(lineStart + m[0].length, next.index).replace(/\n/g, '')));
    if (inList) return;
    const labelStart = lineStart + m[0].indexOf(label);
    const colon = labelStart + label.length;
    const contentStart = lineStart + m[0].indexOf(content, label.length + 1);
    // Without its final period, as PolNeAR spans a headline (a closing quote mark ends it).
    const contentSpan = trimSpan(text, contentStart, contentStart + content.length);
    if (attributions.some((x) => x.content[0] < contentSpan[1] && contentSpan[0] < x.content[1])) return;
    attributions.push({ content: contentSpan, direct: false, cue: [colon, colon + 1], speaker: [labelStart, colon] });
  });
}

/** "Ted Cruz" → itself; "Gillibrand on Hillary's …" → "Gillibrand"; "Sarah Silverman heckles Sanders supporters" → "Sarah Silverman". */
function headlineSpeaker(at: number, label: string): Span {
  const name = label.split(/\s+(?:on|On|to|To|about|About)\s/)[0].trimEnd();
  if (countWords(name) <= 3) return [at, at + name.length];
  const run = /^(?:[\p{Lu}\p{N}][\p{L}\p{N}'’.-]*\s+)*[\p{Lu}\p{N}][\p{L}\p{N}'’.-]*/u.exec(name);
  return [at, at + (run ? run[0].length : name.length)];
}

/** Where the relative word (which, what, that, who, whom, one) just before `at`, or starting at it, begins; -1 if none. */
function relativeWordAt(text: string, at: number): number {
  const before = /\b(?:which|what|that|whom|who|one)\s+$/i.exec(text.slice(Math.max(0, at - 12), at));
  if (before) return at - before[0].length;
  return /^(?:which|what|that|whom|who)\b/i.test(text.slice(at, at + 6)) ? at : -1;
}

/**
 * The speaker of a participle cue the tagger found without one ("…,” she said,
 * referring to …") or of a verb joined to the one before ("… and urged him to
 * resign"): the speaker of the attribution before it in the sentence.
 * PolNeAR train cross-validation: source F1 0.602 -> 0.604 (also taking the
 * name that opens the sentence when there is none: no better); with joined
 * verbs, 0.6271 -> 0.6298 on folds 0-4.
 */
function participleSpeaker(text: string, [a]: Span, cue: Span, inSentence: Attribution[]): Span | null {
  if (!isParticipleCue(text, a, cue) && !isCoordinated(text, a, cue[0])) return null;
  let best: Span | null = null;
  let bestCue = -1;
  for (const x of inSentence) if (x.speaker && x.cue && x.cue[1] <= cue[0] && x.cue[0] > bestCue) { best = x.speaker; bestCue = x.cue[0]; }
  return best;
}

/**
 * The name in a credit line right after a quote: a dash, then a name of
 * capitalised words (initials allowed), optionally ", description", ending
 * its paragraph ("― Pamela Padilla", "- Michelle Marks, Philadelphia.").
 * PolNeAR train: 7 of the 12 quotes followed by a dash line credit the name there.
 */
function creditLine(text: string, from: number): Span | null {
  const m = /^[ \t\u00a0]*(?:\r?\n[ \t\u00a0]*){0,2}[―—–-]+[ \t\u00a0]*((?:\p{Lu}[\p{L}'’.-]*\.?[ \t\u00a0]+){0,3}\p{Lu}[\p{L}'’-]*)(?:,[^\n]{0,60})?\.?[ \t\u00a0]*(?:\r?\n|$)/u.exec(text.slice(from, from + 120));
  if (!m?.[1]) return null;
  const start = from + m[0].indexOf(m[1]);
  return [start, start + m[1].length];
}

/** A participle after a comma: "…, saying", "…, arguing" (`from`: where the sentence starts). */
function isParticipleCue(text: string, from: number, cue: Span): boolean {
  return /^\p{L}+ing\b/iu.test(text.slice(cue[0], cue[1])) && /,[”"’']*\s*$/.test(text.slice(from, cue[0]));
}

/** A verb at `cueStart` joined to the one before it: "… and said", "… but did not suggest". */
function isCoordinated(text: string, sentenceStart: number, cueStart: number): boolean {
  return /\b(?:and|but)\s+$/i.test(text.slice(Math.max(sentenceStart, cueStart - 5), cueStart));
}

/** The pronoun or the leading name that opens a clause ("he supported Obama and" → "he"). */
function subjectOf(text: string, span: Span): Span | null {
  const pronoun = pronounAlone(text, span);
  return pronoun[1] < span[1] ? pronoun : leadingSubject(text, span);
}

/** The leading name or pronoun of a sentence: "Sergei Lavrov", "He", "The minister". */
function leadingSubject(text: string, [s, e]: Span): Span | null {
  const m = /^(?:(?:The|A|An)\s+)?(?:[\p{Lu}][\p{L}'’.\-]*\s+){0,3}[\p{Lu}][\p{L}'’.\-]*/u.exec(text.slice(s, e));
  if (!m) return null;
  const words = m[0].split(/\s+/);
  if (words.length === 1 && !PRONOUNS.has(words[0].toLowerCase()) && /^(The|A|An|But|And|In|On|At|It|This|That)$/.test(words[0])) return null;
  return [s, s + m[0].length];
}

// ---------------------------------------------------------------------------
// The learned attribution tagger. PolNeAR marks many cues a verb list cannot
// hold ("plan", "mocked", "believe", "statement", "according to") and spans
// sources by its own conventions, so an averaged perceptron trained on
// PolNeAR train (scripts/train-quotes.ts → models/quotes.json.gz) tags every
// token as part of a Source, Cue or coNtent, greedily left to right. The
// feature code here is shared with the training script so both see the same.
// ---------------------------------------------------------------------------

/** Tag set: outside, then begin/inside of Source, Cue and coNtent. */
export const TAGGER_TAGS = ['O', 'B-S', 'I-S', 'B-C', 'I-C', 'B-N', 'I-N'] as const;
const TAG_COUNT = TAGGER_TAGS.length;

/** One token as the tagger sees it. */
export interface TaggerToken {
  span: Span;
  /** Hash of the lower-cased word (curly quotes and apostrophes made straight). */
  word: number;
  /** Hash of its last three letters. */
  suffix: number;
  /** Index in SHAPES. */
  shape: number;
  /** A cue form of the lexicon ("said", "according"). */
  lexiconCue: boolean;
  /** Inside quote marks (the marks themselves are not). */
  inQuote: boolean;
  sentence: number;
  /** Index of the token inside its sentence. */
  position: number;
  /** Tokens in the sentence. */
  sentenceLength: number;
  /** Index in PARTS_OF_SPEECH and in CHUNKS (phrases.ts); 0 and 0 without the phrase model (findQuotes then uses no tagger). */
  pos: number;
  chunk: number;
}

/** The part of speech of a word inside quote marks, which the phrase tagger does not read (a third of news text). */
const QUOTED_POS = PARTS_OF_SPEECH.indexOf('"');

// Words (inner apostrophes, periods and hyphens kept; a possessive 's apart), '' and ``, else one character.
const TOKEN_RE = /[\p{L}\p{N}]+(?:(?:[’'](?![sS]\b)|[.\-])[\p{L}\p{N}]+)*\.?|[’'][sS]\b|''|``|\S/gu;
const SHAPES = ['X', 'XX', 'Xx', 'x', 'd', 'Q', ',', '.', ':', ';', '(', ')', '—', '–', '-', '?', '!', "'", '$', '%', '&', '/', 'other'];

/** What a token's form alone gives the tagger: its hashes, shape and whether it is a cue word. */
interface FormFeatures {
  word: number;
  suffix: number;
  shape: number;
  lexiconCue: boolean;
  /** What the phrase tagger reads of the form; worked out when the form first occurs outside quote marks. */
  phrase?: PhraseWord;
}

/** The tagger's features of a token form (curly quotes and apostrophes made straight before hashing). */
function formFeatures(form: string): FormFeatures {
  let lower = form.toLowerCase();
  if (/[’‘“”]/.test(lower)) lower = lower.replace(/[’‘]/g, "'").replace(/[“”]/g, '"');
  return { word: stringHash(lower), suffix: stringHash(lower.slice(-3)), shape: shapeOf(form), lexiconCue: TAGGER_CUES.has(lower) };
}

/** Tokens of every sentence, with the quote state each one is in. */
export function taggerTokens(text: string, sentences: Sentence[], regions: QuoteRegion[] = findQuoteRegions(text, false)): TaggerToken[] {
  const tokens: TaggerToken[] = [];
  // Forms repeat within an article ("the", ",", "said"): their features are worked out once per call.
  const formsSeen = new Map<string, FormFeatures>();
  const phrases = phraseTagger();
  let region = 0;
  sentences.forEach((sentence, index) => {
    const first = tokens.length;
    const phraseWords: PhraseWord[] = [];
    const slice = text.slice(sentence.span[0], sentence.span[1]);
    for (let position = 0; position < slice.length;) {
      let tokenStart: number;
      let end: number;
      let code = slice.charCodeAt(position);
      while (code < 128 && ASCII_CLASS[code] & ASCII_SPACE && position < slice.length) code = slice.charCodeAt(++position);
      if (position >= slice.length) break;
      const asciiEnd = asciiTokenEnd(slice, position);
      if (asciiEnd >= 0) {
        tokenStart = position;
        end = asciiEnd;
      } else {
        TOKEN_RE.lastIndex = position;
        const m = TOKEN_RE.exec(slice);
        if (!m) break;
        tokenStart = m.index;
        end = tokenStart + m[0].length;
      }
      let word = slice.slice(tokenStart, end);
      // A final period ends the sentence unless the word is dotted initials ("U.S.").
      if (word.length > 1 && end === slice.length && word.endsWith('.') && !/^(?:\p{L}\.)+$/u.test(word)) { word = word.slice(0, -1); end--; }
      position = end;
      const start = sentence.span[0] + tokenStart;
      while (region < regions.length && regions[region].end <= start) region++;
      const inQuote = region < regions.length && regions[region].start <= start;
      let form = formsSeen.get(word);
      if (form === undefined) {
        form = formFeatures(word);
        formsSeen.set(word, form);
      }
      tokens.push({
        span: [start, sentence.span[0] + end], word: form.word, suffix: form.suffix, shape: form.shape,
        lexiconCue: form.lexiconCue, inQuote, sentence: index, position: tokens.length - first, sentenceLength: 0, pos: 0, chunk: 0,
      });
      if (!inQuote) phraseWords.push(form.phrase ??= phraseWord(word));
    }
    const tagged = phrases?.tag(phraseWords);
    for (let i = first, k = 0; i < tokens.length; i++) {
      tokens[i].sentenceLength = tokens.length - first;
      if (!tagged) continue;
      if (tokens[i].inQuote) {
        tokens[i].pos = QUOTED_POS;
        continue;
      }
      tokens[i].pos = tagged.pos[k];
      tokens[i].chunk = tagged.chunks[k++];
    }
  });
  return tokens;
}

const ASCII_SPACE = 1;
const ASCII_ALNUM = 2;
/** `\b`'s word characters: letters, digits and the underscore. */
const ASCII_WORD = 4;
/** Character classes of the ASCII codes, as bits: tab to carriage return and space are `\s`. */
const ASCII_CLASS = Uint8Array.from({ length: 128 }, (_, code) => {
  const c = String.fromCharCode(code);
  return (/\s/.test(c) ? ASCII_SPACE : 0) | (/[a-z0-9]/i.test(c) ? ASCII_ALNUM | ASCII_WORD : 0) | (c === '_' ? ASCII_WORD : 0);
});

/** The ASCII class bits of the code at `i` inside a run of ASCII ending at `runEnd`; past it, a space. */
function classAt(text: string, i: number, runEnd: number): number {
  return i < runEnd ? ASCII_CLASS[text.charCodeAt(i)] : ASCII_SPACE;
}

/** `'s` or `'S` at `i` before a non-word character: a possessive, which `TOKEN_RE` keeps apart. */
function possessiveAt(text: string, i: number, runEnd: number): boolean {
  if (i + 1 >= runEnd || text.charCodeAt(i) !== 39) return false;
  const s = text.charCodeAt(i + 1);
  return (s === 115 || s === 83) && !(classAt(text, i + 2, runEnd) & ASCII_WORD);
}

/**
 * The end of the token `TOKEN_RE` matches at `start` when the run of
 * non-space characters there is plain ASCII (most news text), found without
 * the regular expression by its alternatives in order, restricted to ASCII
 * (\p{L}\p{N} is then a-z, A-Z, 0-9). Returns -1 when the run holds another
 * character: the caller then runs the regular expression.
 */
function asciiTokenEnd(text: string, start: number): number {
  let runEnd = start;
  for (; runEnd < text.length; runEnd++) {
    const code = text.charCodeAt(runEnd);
    if (code >= 128) return -1;
    if (ASCII_CLASS[code] & ASCII_SPACE) break;
  }
  const first = text.charCodeAt(start);
  if (ASCII_CLASS[first] & ASCII_ALNUM) {
    let i = start + 1;
    for (;;) {
      while (classAt(text, i, runEnd) & ASCII_ALNUM) i++;
      const joiner = text.charCodeAt(i);
      const joins = i < runEnd && (joiner === 46 || joiner === 45 || (joiner === 39 && !possessiveAt(text, i, runEnd)));
      if (joins && classAt(text, i + 1, runEnd) & ASCII_ALNUM) i += 2;
      else return i < runEnd && joiner === 46 ? i + 1 : i;
    }
  }
  if (possessiveAt(text, start, runEnd)) return start + 2;
  // '' and ``
  if ((first === 39 || first === 96) && start + 1 < runEnd && text.charCodeAt(start + 1) === first) return start + 2;
  return start + 1;
}

/** Words the tagger sees as cues: the rules' cue forms, "according", and the tagger's own list. */
const TAGGER_CUES = new Set([...CUE_FORMS.keys(), 'according', ...TAGGER_CUE_WORDS]);

const SHAPE_INDEX = new Map(SHAPES.map((shape, i) => [shape, i]));

/** Letter case and digit shape of a word, or the punctuation itself (char tests: this runs per token). */
function shapeOf(word: string): number {
  const first = word[0];
  const upper = first.toUpperCase();
  const lower = first.toLowerCase();
  let shape: string;
  if (upper !== lower) {
    if (first === lower) shape = 'x';
    else if (word.length === 1) shape = 'X';
    else shape = word === word.toUpperCase() ? 'XX' : 'Xx';
  } else if (first >= '0' && first <= '9') shape = 'd';
  else shape = word === '“' || word === '”' || word === '"' || word === "''" || word === '``' ? 'Q' : word === '’' || word === '‘' ? "'" : word;
  return SHAPE_INDEX.get(shape) ?? SHAPES.length - 1;
}

/** 0, 1, 2, 3-5, 6-10, 11+ as 0..5. */
function bucket(p: number): number {
  return p < 3 ? p : p < 6 ? 3 : p < 11 ? 4 : 5;
}

const SENTENCE_START = stringHash('<s>');
const SENTENCE_END = stringHash('</s>');
/** Word features per token from the verb groups (`phraseFeatures`). */
const PHRASE_FEATURES = 5;
/**
 * Features per token that do not depend on earlier tags (21 of words, shapes, quotes and cue words;
 * 4 of parts of speech and chunks; the verb groups'), and those that do.
 */
export const STATIC_FEATURES = 25 + PHRASE_FEATURES;
export const HISTORY_FEATURES = 4;

const CUE_REACH_LEFT = 4;
const CUE_REACH_RIGHT = 6;

/** Distance to the nearest lexicon cue on each side within the sentence (0 = none within reach). */
function cueDistances(tokens: TaggerToken[]): { cueLeft: Int8Array; cueRight: Int8Array } {
  const n = tokens.length;
  const cueLeft = new Int8Array(n);
  const cueRight = new Int8Array(n);
  for (let i = 0; i < n; i++) {
    const t = tokens[i];
    for (let k = 1; k <= CUE_REACH_LEFT && i - k >= 0 && tokens[i - k].sentence === t.sentence; k++) if (tokens[i - k].lexiconCue) { cueLeft[i] = k; break; }
    for (let k = 1; k <= CUE_REACH_RIGHT && i + k < n && tokens[i + k].sentence === t.sentence; k++) if (tokens[i + k].lexiconCue) { cueRight[i] = k; break; }
  }
  return { cueLeft, cueRight };
}

/**
 * The nearest lexicon cue on each side in the sentence, at any distance: its
 * word with a distance bucket, as two feature hashes per token. PolNeAR train,
 * folds 0-2 held out: tagger source span F1 0.609/0.616/0.616 -> 0.616/0.633/0.624.
 */
function farCueFeatures(tokens: TaggerToken[]): Int32Array {
  const n = tokens.length;
  const out = new Int32Array(n * 2);
  let lastCue = -1;
  for (let i = 0; i < n; i++) {
    if (i > 0 && tokens[i].sentence !== tokens[i - 1].sentence) lastCue = -1;
    out[i * 2] = lastCue >= 0 ? featureHash(23, tokens[lastCue].word, bucket(i - lastCue)) : NO_CUE_LEFT;
    if (tokens[i].lexiconCue) lastCue = i;
  }
  let nextCue = -1;
  for (let i = n - 1; i >= 0; i--) {
    if (i < n - 1 && tokens[i].sentence !== tokens[i + 1].sentence) nextCue = -1;
    out[i * 2 + 1] = nextCue >= 0 ? featureHash(24, tokens[nextCue].word, bucket(nextCue - i)) : NO_CUE_RIGHT;
    if (tokens[i].lexiconCue) nextCue = i;
  }
  return out;
}

const NO_CUE_LEFT = featureHash(23, 0, 0);
const NO_CUE_RIGHT = featureHash(24, 0, 0);

const B_VP = CHUNKS.indexOf('B-VP');
const I_VP = CHUNKS.indexOf('I-VP');
const B_NP = CHUNKS.indexOf('B-NP');
const I_NP = CHUNKS.indexOf('I-NP');
const B_PP = CHUNKS.indexOf('B-PP');
const QUOTE_SHAPE = SHAPES.indexOf('Q');

const posIndex = (tag: (typeof PARTS_OF_SPEECH)[number]) => PARTS_OF_SPEECH.indexOf(tag);
const VERB_POS = new Set((['VB', 'VBD', 'VBZ', 'VBG', 'VBN'] as const).map(posIndex));
const VBG_POS = posIndex('VBG');
const WH_POS = posIndex('WH');
const NN_POS = posIndex('NN');
const NNS_POS = posIndex('NNS');
const MD_POS = posIndex('MD');
const COMMA_SHAPE = SHAPES.indexOf(',');
const FINITE_POS = new Set((['VBD', 'VBZ', 'MD'] as const).map(posIndex));
const TO_POS = posIndex('TO');
const RB_POS = posIndex('RB');
const POS_POS = posIndex('POS');
function isNounPhrase(chunk: number): boolean {
  return chunk === B_NP || chunk === I_NP;
}

/**
 * What the phrase tagger says around each token. Its part of speech and chunk
 * with their neighbours' are small-domain features (templates 25-28, written
 * by `staticFeatures`, dense tables in the tagger); these are the word
 * features of the clause's verb groups, `PHRASE_FEATURES` per token: the
 * nearest one on each side (its last word, how far), for a token in a verb
 * group that group's last word with the word after it ("has been lobbying
 * for", "settled on :"), the token's part of speech with the next word, and
 * the next verb group's part of speech and following word with the token's
 * chunk. A cue is a verb group between a noun phrase and "that", a quote or a
 * colon whatever its verb is; the word lists cannot know every verb.
 * PolNeAR train, fold 0 held out: tagger S/C/N span F1 0.635/0.622/0.554 ->
 * 0.644/0.637/0.570.
 */
function phraseFeatures(tokens: TaggerToken[]): Int32Array {
  const n = tokens.length;
  const out = new Int32Array(n * PHRASE_FEATURES);
  // Per token: the index of the last token of its verb group (-1 outside one).
  const groupEnd = new Int32Array(n).fill(-1);
  for (let i = n - 1; i >= 0; i--) {
    const chunk = tokens[i].chunk;
    if (chunk !== B_VP && chunk !== I_VP) continue;
    groupEnd[i] = i + 1 < n && tokens[i + 1].sentence === tokens[i].sentence && tokens[i + 1].chunk === I_VP ? groupEnd[i + 1] : i;
  }
  const wordAfter = (end: number) => wordAt(tokens, end + 1, tokens[end].sentence, SENTENCE_END);
  // The last token of the nearest verb group ending before i, and of the one starting after i.
  const previousHead = new Int32Array(n).fill(-1);
  const nextHead = new Int32Array(n).fill(-1);
  for (let i = 1; i < n; i++) {
    if (tokens[i].sentence !== tokens[i - 1].sentence) continue;
    previousHead[i] = groupEnd[i - 1] === i - 1 ? i - 1 : previousHead[i - 1];
  }
  for (let i = n - 2; i >= 0; i--) {
    if (tokens[i].sentence !== tokens[i + 1].sentence) continue;
    const inGroup = tokens[i].chunk === B_VP || tokens[i].chunk === I_VP;
    nextHead[i] = tokens[i + 1].chunk === B_VP || (groupEnd[i + 1] >= 0 && !inGroup) ? groupEnd[i + 1] : nextHead[i + 1];
  }
  for (let i = 0, o = 0; i < n; i++) {
    const t = tokens[i];
    const next = nextHead[i];
    out[o++] = next >= 0 ? featureHash(29, tokens[next].word, bucket(next - i)) : NO_VERB_RIGHT;
    const previous = previousHead[i];
    out[o++] = previous >= 0 ? featureHash(30, tokens[previous].word, bucket(i - previous)) : NO_VERB_LEFT;
    const own = groupEnd[i];
    out[o++] = own >= 0 ? featureHash(31, tokens[own].word, wordAfter(own)) : featureHash(31, t.chunk, posAt(tokens, i + 1, t.sentence), 1);
    out[o++] = featureHash(32, t.pos, wordAt(tokens, i + 1, t.sentence, SENTENCE_END));
    out[o++] = next >= 0 ? featureHash(33, tokens[next].pos, wordAfter(next), t.chunk) : featureHash(33, -1, 0, t.chunk);
  }
  return out;
}

/** The part of speech of token `i` when it is in `sentence`, else -1. */
function posAt(tokens: TaggerToken[], i: number, sentence: number): number {
  const x = tokens[i];
  return x !== undefined && x.sentence === sentence ? x.pos : -1;
}

/** The chunk tag of token `i` when it is in `sentence`, else -1. */
function chunkAt(tokens: TaggerToken[], i: number, sentence: number): number {
  const x = tokens[i];
  return x !== undefined && x.sentence === sentence ? x.chunk : -1;
}

const NO_VERB_RIGHT = featureHash(29, 0, 0);
const NO_VERB_LEFT = featureHash(30, 0, 0);

/** The tag-independent feature hashes of every token, `STATIC_FEATURES` per token. */
export function staticFeatures(tokens: TaggerToken[]): Int32Array {
  const out = new Int32Array(tokens.length * STATIC_FEATURES);
  const n = tokens.length;
  const { cueLeft, cueRight } = cueDistances(tokens);
  const far = farCueFeatures(tokens);
  const phrase = phraseFeatures(tokens);
  for (let i = 0, o = 0; i < n; i++) {
    const t = tokens[i];
    const w = t.word;
    const wPrev = wordAt(tokens, i - 1, t.sentence, SENTENCE_START);
    const wNext = wordAt(tokens, i + 1, t.sentence, SENTENCE_END);
    const shPrev = i > 0 ? tokens[i - 1].shape : -1;
    const shNext = i + 1 < n ? tokens[i + 1].shape : -1;
    const quoteEdge = (i > 0 && tokens[i - 1].inQuote ? 4 : 0) + (t.inQuote ? 2 : 0) + (i + 1 < n && tokens[i + 1].inQuote ? 1 : 0);
    out[o++] = featureHash(0, 0);
    out[o++] = featureHash(1, w);
    out[o++] = featureHash(2, t.suffix);
    out[o++] = featureHash(3, t.shape);
    out[o++] = featureHash(4, wPrev);
    out[o++] = featureHash(5, wNext);
    out[o++] = featureHash(6, wordAt(tokens, i - 2, t.sentence, SENTENCE_START));
    out[o++] = featureHash(7, wordAt(tokens, i + 2, t.sentence, SENTENCE_END));
    out[o++] = featureHash(8, wPrev, w);
    out[o++] = featureHash(9, w, wNext);
    out[o++] = featureHash(10, shPrev, t.shape, shNext);
    out[o++] = featureHash(11, quoteEdge);
    out[o++] = featureHash(12, bucket(t.position));
    out[o++] = featureHash(13, bucket(t.sentenceLength - 1 - t.position));
    out[o++] = featureHash(14, t.lexiconCue ? 1 : 0);
    out[o++] = featureHash(15, cueLeft[i]);
    out[o++] = featureHash(16, cueRight[i]);
    out[o++] = featureHash(17, cueRight[i], t.shape);
    out[o++] = featureHash(18, cueLeft[i], quoteEdge);
    out[o++] = far[i * 2];
    out[o++] = far[i * 2 + 1];
    out[o++] = featureHash(25, t.pos);
    out[o++] = featureHash(26, posAt(tokens, i - 1, t.sentence), t.pos, posAt(tokens, i + 1, t.sentence));
    out[o++] = featureHash(27, t.chunk, t.pos);
    out[o++] = featureHash(28, chunkAt(tokens, i - 1, t.sentence), t.chunk, chunkAt(tokens, i + 1, t.sentence));
    for (let k = 0; k < PHRASE_FEATURES; k++) out[o++] = phrase[i * PHRASE_FEATURES + k];
  }
  return out;
}

/** The word hash of token `i` when it is in `sentence`, else `edge`. */
function wordAt(tokens: TaggerToken[], i: number, sentence: number, edge: number): number {
  const x = tokens[i];
  return x !== undefined && x.sentence === sentence ? x.word : edge;
}

/** The word rows of token `i` when it is in `sentence`, else `edge` (as `wordAt`). */
function rowsAt(tokens: TaggerToken[], rows: Int32Array[], i: number, sentence: number, edge: Int32Array): Int32Array {
  const x = tokens[i];
  return x !== undefined && x.sentence === sentence ? rows[i] : edge;
}

/** Writes the features of the tags chosen before token `i` into `out`. */
export function historyFeatures(previous: ArrayLike<number>, i: number, token: TaggerToken, out: Int32Array): void {
  const p1 = i > 0 ? previous[i - 1] : 0;
  const p2 = i > 1 ? previous[i - 2] : 0;
  out[0] = featureHash(19, p1);
  out[1] = featureHash(20, p2, p1);
  out[2] = featureHash(21, p1, token.word);
  out[3] = featureHash(22, p1, token.shape, token.inQuote ? 1 : 0);
}

/** What scripts/train-quotes.ts writes. */
export interface TaggerFile extends StoredWeights {
  version: 2;
  tags: string[];
  /** Weight = stored integer × scale; TAGGER_TAGS.length weights per feature. */
  scale: number;
}

/**
 * A loaded tagger. Features whose values come from a small set (shapes, tags,
 * positions, distances) are looked up once at load time into dense tables, so
 * tagging a token hashes and probes only its 9 word features; the others are
 * array reads. Word features go through an open-addressing table of
 * [hash, row] pairs. Weights stay the stored integers: the scale is positive
 * and only the order of the scores matters.
 */
export class AttributionTagger {
  /** Dense weights, TAG_COUNT per value: see `denseTables`. */
  private readonly dense: DenseTables;
  private readonly wordCache = new Map<number, Int32Array>();

  constructor(private readonly weights: WeightTable) {
    this.dense = denseTables((hash, into, at) => weights.addRow(hash, into, at));
  }

  static fromFile(file: TaggerFile): AttributionTagger {
    if (file.version !== 2 || file.tags.join() !== TAGGER_TAGS.join()) {
      throw new Error('models/quotes.json.gz does not match this version of the quote tagger; run `npm run train:quotes`');
    }
    return new AttributionTagger(WeightTable.fromStored(file, TAG_COUNT));
  }

  /**
   * The weights a word form gives as the token itself (word and suffix), and
   * as the word before, after, two before and two after it, cached per form
   * (words repeat: one cache read replaces six table probes).
   */
  private wordRows(word: number, suffix: number): Int32Array {
    let rows = this.wordCache.get(word);
    if (rows) return rows;
    rows = new Int32Array(5 * TAG_COUNT);
    this.weights.addRow(featureHash(1, word), rows, WORD_SELF * TAG_COUNT);
    this.weights.addRow(featureHash(2, suffix), rows, WORD_SELF * TAG_COUNT);
    this.weights.addRow(featureHash(4, word), rows, WORD_AS_PREVIOUS * TAG_COUNT);
    this.weights.addRow(featureHash(5, word), rows, WORD_AS_NEXT * TAG_COUNT);
    this.weights.addRow(featureHash(6, word), rows, WORD_AS_PREVIOUS2 * TAG_COUNT);
    this.weights.addRow(featureHash(7, word), rows, WORD_AS_NEXT2 * TAG_COUNT);
    // Bounded: a long-running process sees an open vocabulary.
    if (this.wordCache.size >= WORD_CACHE_LIMIT) this.wordCache.clear();
    this.wordCache.set(word, rows);
    return rows;
  }

  /** Greedy left-to-right tags (indices into TAGGER_TAGS); the same tags as scoring `staticFeatures` + `historyFeatures`. */
  tag(tokens: TaggerToken[]): Uint8Array {
    const n = tokens.length;
    const out = new Uint8Array(n);
    const scores = new Int32Array(TAG_COUNT);
    const { cueLeft, cueRight } = cueDistances(tokens);
    const far = farCueFeatures(tokens);
    const phrase = phraseFeatures(tokens);
    const d = this.dense;
    const shapes = SHAPES.length;
    // Each token's word rows, read once: its neighbours read them again as theirs.
    const rows: Int32Array[] = new Array(n);
    for (let i = 0; i < n; i++) rows[i] = this.wordRows(tokens[i].word, tokens[i].suffix);
    // The edge markers are only ever read as neighbours: their WORD_SELF rows (suffix 0) go unused.
    const startRows = this.wordRows(SENTENCE_START, 0);
    const endRows = this.wordRows(SENTENCE_END, 0);
    for (let i = 0; i < n; i++) {
      const t = tokens[i];
      scores.fill(0);
      // Word features: per word form (templates 1, 2, 4–7), then the pairs (8, 9, 21).
      const w = t.word;
      const wPrev = wordAt(tokens, i - 1, t.sentence, SENTENCE_START);
      const wNext = wordAt(tokens, i + 1, t.sentence, SENTENCE_END);
      const p1 = i > 0 ? out[i - 1] : 0;
      const p2 = i > 1 ? out[i - 2] : 0;
      addDense(rows[i], WORD_SELF, scores);
      addDense(rowsAt(tokens, rows, i - 1, t.sentence, startRows), WORD_AS_PREVIOUS, scores);
      addDense(rowsAt(tokens, rows, i + 1, t.sentence, endRows), WORD_AS_NEXT, scores);
      addDense(rowsAt(tokens, rows, i - 2, t.sentence, startRows), WORD_AS_PREVIOUS2, scores);
      addDense(rowsAt(tokens, rows, i + 2, t.sentence, endRows), WORD_AS_NEXT2, scores);
      this.weights.addRow(featureHash(8, wPrev, w), scores, 0);
      this.weights.addRow(featureHash(9, w, wNext), scores, 0);
      this.weights.addRow(featureHash(21, p1, w), scores, 0);
      this.weights.addRow(far[i * 2], scores, 0);
      this.weights.addRow(far[i * 2 + 1], scores, 0);
      for (let k = i * PHRASE_FEATURES; k < (i + 1) * PHRASE_FEATURES; k++) this.weights.addRow(phrase[k], scores, 0);
      // Small-domain features: dense rows.
      const shPrev = i > 0 ? tokens[i - 1].shape : -1;
      const shNext = i + 1 < n ? tokens[i + 1].shape : -1;
      const quoteEdge = (i > 0 && tokens[i - 1].inQuote ? 4 : 0) + (t.inQuote ? 2 : 0) + (i + 1 < n && tokens[i + 1].inQuote ? 1 : 0);
      addDense(d.shapes3, ((shPrev + 1) * shapes + t.shape) * (shapes + 1) + shNext + 1, scores);
      addDense(d.positionsCue, (bucket(t.position) * 6 + bucket(t.sentenceLength - 1 - t.position)) * 2 + (t.lexiconCue ? 1 : 0), scores);
      addDense(d.nearCues, ((cueLeft[i] * 8 + quoteEdge) * (CUE_REACH_RIGHT + 1) + cueRight[i]) * shapes + t.shape, scores);
      addDense(d.previous, ((p2 * TAG_COUNT + p1) * shapes + t.shape) * 2 + (t.inQuote ? 1 : 0), scores);
      addDense(d.partsOfSpeech, ((posAt(tokens, i - 1, t.sentence) + 1) * POS_VALUES + t.pos + 1) * POS_VALUES + posAt(tokens, i + 1, t.sentence) + 1, scores);
      addDense(d.chunkPos, t.chunk * PARTS_OF_SPEECH.length + t.pos, scores);
      addDense(d.chunks, ((chunkAt(tokens, i - 1, t.sentence) + 1) * CHUNK_VALUES + t.chunk + 1) * CHUNK_VALUES + chunkAt(tokens, i + 1, t.sentence) + 1, scores);
      out[i] = allowedBest(scores, p1);
    }
    return out;
  }
}

const WORD_SELF = 0;
const WORD_AS_PREVIOUS = 1;
const WORD_AS_NEXT = 2;
const WORD_AS_PREVIOUS2 = 3;
const WORD_AS_NEXT2 = 4;
const WORD_CACHE_LIMIT = 1 << 16;

/** Adds row `index` (TAG_COUNT weights) of `table` to `scores`. */
function addDense(table: Int32Array, index: number, scores: Int32Array): void {
  const at = index * TAG_COUNT;
  for (let k = 0; k < TAG_COUNT; k++) scores[k] += table[at + k];
}

/**
 * Summed weights of the small-domain feature templates, TAG_COUNT per value.
 * Templates are added together once at load time into a table over the
 * product of their indices (bias and shape into the shape triple; position,
 * distance to the end and the cue flag; the cue distances, quote edge and
 * shape; the previous two tags, shape and quote state): 4 rows per token
 * instead of 14. The tables hold 22k rows (0.6 MB); the sums are of integers,
 * so the scores are the same whatever the grouping.
 */
interface DenseTables {
  shapes3: Int32Array; positionsCue: Int32Array; nearCues: Int32Array; previous: Int32Array;
  /** The parts of speech before, at and after the token. */
  partsOfSpeech: Int32Array;
  /** The token's chunk tag with its part of speech. */
  chunkPos: Int32Array;
  /** The chunk tags before, at and after the token. */
  chunks: Int32Array;
}

/** Values of a part of speech or chunk index, with -1 (no token) stored as 0. */
const POS_VALUES = PARTS_OF_SPEECH.length + 1;
const CHUNK_VALUES = CHUNKS.length + 1;

/** Builds the dense tables by looking up every value of each small-domain template once. */
function denseTables(addRow: (hash: number, into: Int32Array, at: number) => void): DenseTables {
  const shapes = SHAPES.length;
  // Row v of the table is the sum of the rows of the templates `hashesOf(v)`.
  const build = (size: number, hashesOf: (value: number) => number[]) => {
    const table = new Int32Array(size * TAG_COUNT);
    for (let v = 0; v < size; v++) for (const hash of hashesOf(v)) addRow(hash, table, v * TAG_COUNT);
    return table;
  };
  return {
    // Previous and next shapes are -1 at the text's edges, stored as 0.
    shapes3: build((shapes + 1) * shapes * (shapes + 1), (v) => {
      const next = (v % (shapes + 1)) - 1;
      const rest = Math.floor(v / (shapes + 1));
      const shape = rest % shapes;
      return [featureHash(0, 0), featureHash(3, shape), featureHash(10, Math.floor(rest / shapes) - 1, shape, next)];
    }),
    positionsCue: build(36 * 2, (v) => {
      const positions = Math.floor(v / 2);
      return [featureHash(12, Math.floor(positions / 6)), featureHash(13, positions % 6), featureHash(14, v % 2)];
    }),
    nearCues: build((CUE_REACH_LEFT + 1) * 8 * (CUE_REACH_RIGHT + 1) * shapes, (v) => {
      const shape = v % shapes;
      const cueRight = Math.floor(v / shapes) % (CUE_REACH_RIGHT + 1);
      const leftQuote = Math.floor(v / (shapes * (CUE_REACH_RIGHT + 1)));
      const cueLeft = Math.floor(leftQuote / 8);
      const quoteEdge = leftQuote % 8;
      return [featureHash(16, cueRight), featureHash(17, cueRight, shape), featureHash(11, quoteEdge), featureHash(15, cueLeft), featureHash(18, cueLeft, quoteEdge)];
    }),
    partsOfSpeech: build(POS_VALUES ** 3, (v) => {
      const next = (v % POS_VALUES) - 1;
      const at = (Math.floor(v / POS_VALUES) % POS_VALUES) - 1;
      return [featureHash(25, at), featureHash(26, Math.floor(v / POS_VALUES / POS_VALUES) - 1, at, next)];
    }),
    chunkPos: build(CHUNKS.length * PARTS_OF_SPEECH.length, (v) => [featureHash(27, Math.floor(v / PARTS_OF_SPEECH.length), v % PARTS_OF_SPEECH.length)]),
    chunks: build(CHUNK_VALUES ** 3, (v) => {
      const next = (v % CHUNK_VALUES) - 1;
      const at = (Math.floor(v / CHUNK_VALUES) % CHUNK_VALUES) - 1;
      return [featureHash(28, Math.floor(v / CHUNK_VALUES / CHUNK_VALUES) - 1, at, next)];
    }),
    previous: build(TAG_COUNT * TAG_COUNT * shapes * 2, (v) => {
      const inQuote = v % 2;
      const shape = Math.floor(v / 2) % shapes;
      const tags = Math.floor(v / (shapes * 2));
      const p1 = tags % TAG_COUNT;
      return [featureHash(19, p1), featureHash(20, Math.floor(tags / TAG_COUNT), p1), featureHash(22, p1, shape, inQuote)];
    }),
  };
}

/** The best tag that may follow `previous`: I-X only after B-X or I-X. */
export function allowedBest(scores: ArrayLike<number>, previous: number): number {
  let best = 0;
  for (let k = 1; k < TAG_COUNT; k++) {
    if (!canFollow(previous, k)) continue;
    if (scores[k] > scores[best]) best = k;
  }
  return best;
}

/** `FOLLOWS[previous * TAG_COUNT + tag]`: may `tag` follow `previous`? */
const FOLLOWS = Uint8Array.from({ length: TAG_COUNT * TAG_COUNT }, (_, i) => {
  const previous = TAGGER_TAGS[Math.floor(i / TAG_COUNT)];
  const tag = TAGGER_TAGS[i % TAG_COUNT];
  return tag[0] !== 'I' || previous.slice(2) === tag.slice(2) ? 1 : 0;
});

/** May `tag` follow `previous`? I-X only after B-X or I-X. */
export function canFollow(previous: number, tag: number): boolean {
  return FOLLOWS[previous * TAG_COUNT + tag] === 1;
}

/** `[first, last]` token ranges of each role in a tag sequence. */
export function roleSpans(tags: ArrayLike<number>): { role: 'S' | 'C' | 'N'; first: number; last: number }[] {
  const out: { role: 'S' | 'C' | 'N'; first: number; last: number }[] = [];
  for (let i = 0; i < tags.length; i++) {
    const name = TAGGER_TAGS[tags[i]];
    if (name === 'O') continue;
    const role = name.slice(2) as 'S' | 'C' | 'N';
    const last = out[out.length - 1];
    if (name[0] === 'I' && last && last.role === role && last.last === i - 1) last.last = i;
    else out.push({ role, first: i, last: i });
  }
  return out;
}


let loadedTagger: AttributionTagger | null | undefined;

/**
 * Makes findQuotes use the tagger in `file` (a model trained with
 * `scripts/train-quotes.ts --out`), for benchmarks on a held-out slice of train.
 */
export function useTaggerModel(file: string | URL): void {
  loadedTagger = AttributionTagger.fromFile(readModel<TaggerFile>(file));
}

/** The tagger from models/quotes.json.gz, read on first use; null when the file is missing. */
function loadTagger(): AttributionTagger | null {
  if (loadedTagger === undefined) {
    const file = readModelIfPresent<TaggerFile>('quotes.json.gz');
    loadedTagger = file && AttributionTagger.fromFile(file);
  }
  return loadedTagger;
}

/**
 * Merges the tagger's attributions into the rules' ones. Where both found the
 * same cue, the rule keeps its content (quote marks are the rules' strength)
 * and takes the tagger's source span (PolNeAR's span conventions are the
 * tagger's); cues only the tagger found become new attributions.
 */
function addTaggedAttributions(
  text: string, sentences: Sentence[], regions: QuoteRegion[], attributed: Set<QuoteRegion>,
  bySentence: Attribution[][], attributions: Attribution[], tagger: AttributionTagger,
): TaggerToken[] {
  // Only a text holding both curly and straight double marks pairs them differently without mixed marks.
  const mixed = text.includes('"') && (text.includes('“') || text.includes('”'));
  const tokens = taggerTokens(text, sentences, mixed ? findQuoteRegions(text, false) : regions);
  const tags = tagger.tag(tokens);
  const spans = roleSpans(tags);
  const charSpan = (x: { first: number; last: number }): Span => [tokens[x.first].span[0], tokens[x.last].span[1]];
  const overlaps = (p: Span, q: Span) => p[0] < q[1] && q[0] < p[1];
  const used = new Set<number>();
  // The rules' cues by start, and every attribution with a cue by its cue's sentence (kept up to date
  // below): a long text holds thousands, and a cue overlaps only cues of its own sentence.
  const ruleCues = attributions.filter((x) => x.cue).map((x) => x.cue!).sort((p, q) => p[0] - q[0]);
  let longestRuleCue = 0;
  for (const c of ruleCues) longestRuleCue = Math.max(longestRuleCue, c[1] - c[0]);
  const overlapsRuleCue = (span: Span) => {
    for (let i = firstWhere(ruleCues.length, (k) => ruleCues[k][0] >= span[0] - longestRuleCue); i < ruleCues.length && ruleCues[i][0] < span[1]; i++) {
      if (overlaps(ruleCues[i], span)) return true;
    }
    return false;
  };
  const withCue = groupBy(attributions.filter((x) => x.cue), (x) => sentenceIndexAt(sentences, x.cue![0]));
  const push = (...added: Attribution[]) => {
    for (const x of added) {
      attributions.push(x);
      if (x.cue) appendTo(withCue, sentenceIndexAt(sentences, x.cue[0]), x);
    }
  };
  // Spans are in token order: search only the few around each cue, within its
  // paragraph (a tagged content never reaches into the next paragraph: PolNeAR
  // train holdout, a quote paragraph was being given the next paragraph's cue).
  const paragraphOf = (x: { first: number }) => sentences[tokens[x.first].sentence].paragraph;
  spans.forEach((cue, ci) => {
    if (cue.role !== 'C') return;
    const sentence = tokens[cue.first].sentence;
    const paragraph = paragraphOf(cue);
    // The nearest source in the cue's sentence.
    let source = -1;
    let best = Infinity;
    for (let k = ci - 1; k >= 0 && tokens[spans[k].last].sentence === sentence; k--) {
      if (spans[k].role === 'S' && !used.has(k)) { best = cue.first - spans[k].last; source = k; break; }
    }
    for (let k = ci + 1; k < spans.length && tokens[spans[k].first].sentence === sentence; k++) {
      if (spans[k].role === 'S' && !used.has(k)) { if (spans[k].first - cue.last < best) source = k; break; }
    }
    const sourceLength = source >= 0 ? spans[source].last - spans[source].first + 1 : 0;
    // Content: the coNtent span right after the cue (or after its source), else right before.
    let after = -1;
    for (let k = ci + 1; k < spans.length && spans[k].first - cue.last <= 4 + sourceLength; k++) {
      const x = spans[k];
      if (x.role === 'C') break;
      if (x.role === 'N' && !used.has(k)) {
        if (paragraphOf(x) === paragraph && x.first - cue.last <= 4 + (source > ci ? sourceLength : 0)) after = k;
        break;
      }
    }
    let before = -1;
    for (let k = ci - 1; k >= 0 && cue.first - spans[k].last <= 4 + sourceLength; k--) {
      const x = spans[k];
      if (x.role === 'C') break;
      if (x.role === 'N' && !used.has(k)) {
        if (paragraphOf(x) === paragraph && cue.first - x.last <= 4 + (source >= 0 && source < ci ? sourceLength : 0)) before = k;
        break;
      }
    }
    // `…, emphasizing the importance of …`: what follows a participle cue is what is said, though the tagger
    // sometimes reads it as the source (a participle does not invert, see verbCue); the speaker is the clause's subject.
    // Train CV: source F1 0.6699 -> 0.6703.
    const cueSpan = charSpan(cue);
    if (source > ci && isParticipleCue(text, sentences[sentence].span[0], cueSpan) && !/^according\b/i.test(text.slice(...cueSpan))) {
      if (after < 0) after = source;
      source = -1;
    }
    // `"A," he surmised. "B."`: a content ending in the cue's sentence wins over
    // one that starts the next sentence, which then continues it as a quote of
    // its own with the same cue (see attributeStandaloneQuotes).
    const afterIsLater = after >= 0 && tokens[spans[after].first].sentence > sentence;
    // `"Can we win?" Mr. Manafort asked. "I don't know."`: the splitter ends a sentence at `?"` and `!"`, so the
    // question is the sentence right before the cue's; it is the content, as it would be in one sentence.
    const questionBefore = before >= 0 && tokens[spans[before].last].sentence === sentence - 1 &&
      regions.some((r) => r.close <= sentences[sentence].span[0] && !text.slice(r.close, sentences[sentence].span[0]).trim() &&
        r.close > tokens[spans[before].first].span[0] && /[?!][’'”"]*$/.test(text.slice(r.start, r.end).trimEnd()));
    const contentIndex = after >= 0 && !(afterIsLater && before >= 0 && (tokens[spans[before].last].sentence === sentence || questionBefore)) ? after : before;
    const sourceSpan = source >= 0 ? charSpan(spans[source]) : null;
    const sameSentence = withCue.get(sentenceIndexAt(sentences, cueSpan[0])) ?? [];
    const rule = sameSentence.find((x) => x.cue && overlaps(x.cue, cueSpan));
    if (rule) {
      // Taking the tagger's source and cue spans: PolNeAR train holdout, 2025-06, source F1
      // 0.548 -> 0.575 (rules' cues: 0.576 -> 0.594 cue F1), direct speaker accuracy 0.834 -> 0.852.
      // Except after an inverted cue, where the tagger often stops a long source
      // early ("said Bob Mason, a letter carrier who [lined up …]") and the rule's
      // span, starting at the same word, runs on to the sentence end: PolNeAR train
      // cross-validation, direct-quote speaker accuracy 0.862 -> 0.869, source F1 0.597 -> 0.600.
      const ruleRunsOn = !!sourceSpan && !!rule.speaker && sourceSpan[0] > cueSpan[0] && rule.speaker[0] === sourceSpan[0] && rule.speaker[1] > sourceSpan[1];
      if (sourceSpan && !ruleRunsOn) for (const x of sameSentence) if (x.cue === rule.cue) x.speaker = sourceSpan;
      const ruleCue = rule.cue;
      // A word is cue or speaker, not both (PolNeAR gives each token one role): a tagged cue that
      // runs into the speaker kept from the rule ("according to a statement from" before "a statement
      // from the State Department") leaves the rule's cue in place.
      const speakerKept = rule.speaker;
      if (!speakerKept || !overlaps(speakerKept, cueSpan)) for (const x of sameSentence) if (x.cue === ruleCue) x.cue = cueSpan;
      if (source >= 0) used.add(source);
      return;
    }
    // A cue must hold a word ("Source: apnews.com" is a credit line, not an attribution).
    if (overlapsRuleCue(cueSpan) || !/\p{L}{2}/u.test(text.slice(cueSpan[0], cueSpan[1]))) return;
    // `would not yield to`, `will send`: a cue the tagger opens with a modal and no cue word in it is rarely
    // PolNeAR's (train CV: 16 of 109 such attributions had the gold source; dropping them: source F1
    // 0.6609 -> 0.6621, cue +0.0012, content +0.0010).
    if (tokens[cue.first].pos === MD_POS && !tokens.slice(cue.first, cue.last + 1).some((t) => t.lexiconCue)) return;
    if (contentIndex < 0) return;
    const content = trimSpan(text, ...charSpan(spans[contentIndex]), false);
    used.add(contentIndex);
    used.add(ci);
    if (source >= 0) used.add(source);
    // The new attribution is kept even where its content overlaps a rule's
    // content: PolNeAR train holdout, 2025-06, source F1 0.579 -> 0.588, cue
    // F1 0.594 -> 0.606, direct-quote content F1 0.789 -> 0.786.
    const found: Attribution = { content, direct: false, cue: cueSpan, speaker: sourceSpan ?? participleSpeaker(text, sentences[sentence].span, cueSpan, bySentence[sentence]) };
    // In a bare `Mr. Manafort asked.` after a question, the words before the cue are the speaker.
    if (!found.speaker && questionBefore && contentIndex === before) {
      const words = trimSpan(text, sentences[sentence].span[0], cueSpan[0], false);
      const named = text.slice(words[0], words[1]);
      if (words[1] > words[0] && countWords(named) <= 6 && looksLikeSpeaker(named) && !/[,;:]/.test(named)) found.speaker = words;
    }
    // Regions are in text order: only those opening at most two characters before the content can be it.
    let exact: QuoteRegion | undefined;
    for (let i = firstWhere(regions.length, (k) => regions[k].open >= content[0] - 2); i < regions.length && regions[i].open <= content[1]; i++) {
      const r = regions[i];
      if (sameQuote(text, r, content[0], content[1]) || (r.start === content[0] && r.end === content[1])) { exact = r; break; }
    }
    // A word inside a speaker takes no quote ("said Ms. Warren, who has borne Mr. Trump's attacks. ''She …''":
    // "attacks" took the next quote from the speaker it continues). Train CV folds 0-4: direct-quote content F1
    // 0.8696 -> 0.8706, speaker accuracy 0.895 -> 0.896 (any tagged cue inside a speaker: source F1 -0.0003).
    if (exact && attributions.some((x) => x.speaker && overlaps(x.speaker, cueSpan))) {
      used.delete(contentIndex);
      used.delete(ci);
      if (source >= 0) used.delete(source);
      return;
    }
    // `“A,” Clinton said. “B.”\nClinton paused, then …`: a quote sentence that continues the quote
    // attributed just before it is not the content of a cue the tagger found in a later sentence
    // (attributeStandaloneQuotes joins it to its quote). Train CV: direct-quote content F1 0.856 ->
    // 0.858, speaker accuracy 0.894 -> 0.895 (any quote of an earlier sentence: speaker 0.894).
    if (exact && contentIndex === before && tokens[spans[contentIndex].last].sentence < sentence) {
      const quoteSentence = tokens[spans[contentIndex].first].sentence;
      const previousSentence = quoteSentence > 0 ? sentences[quoteSentence - 1] : null;
      if (previousSentence && attributions.some((x) => x.direct && x.cue && x.content[1] >= previousSentence.span[0] - 2 && x.content[1] <= exact.open)) {
        used.delete(contentIndex);
        used.delete(ci);
        if (source >= 0) used.delete(source);
        return;
      }
    }
    // `The mayor spoke first. “We will rebuild,” he said.`: a quote that the cue right after it in its own
    // sentence took is not the content of a cue the tagger found in an earlier sentence. Train CV (fold
    // models of the phrase features): direct-quote content P 0.878 -> 0.880, F1 0.872 -> 0.873.
    const taken = exact && attributed.has(exact) && exact.open > sentences[sentence].span[1] &&
      attributions.some((x) => x.cue && x.content[0] <= exact.start && x.content[1] >= exact.end && x.cue[0] >= exact.close - 1 && x.cue[0] - exact.close < 40);
    if (taken) {
      used.delete(contentIndex);
      used.delete(ci);
      if (source >= 0) used.delete(source);
      return;
    }
    const sentenceIndex = tokens[cue.first].sentence;
    // `which Mr. Trump called ''a disgrace,''`, `what it calls “…”`: PolNeAR makes the relative clause the
    // content of "call" (train: 17 of 21 gold "call" cues before a quote), the quoted words a direct piece
    // with the same cue. Train CV: direct-quote content F1 0.862 -> 0.863.
    if (exact && exact.open >= cueSpan[1] && /^call(?:s|ed)?$/i.test(text.slice(cueSpan[0], cueSpan[1]))) {
      const from = sourceSpan && sourceSpan[0] < cueSpan[0] ? sourceSpan[0] : cueSpan[0];
      const relative = relativeWordAt(text, from);
      if (relative >= 0) {
        attributed.add(exact);
        found.content = [relative, exact.close];
        push(found, { ...found, content: [exact.start, exact.end], direct: true });
        bySentence[sentenceIndex].push(found);
        return;
      }
    }
    if (exact) {
      attributed.add(exact);
      found.content = [exact.start, exact.end];
      found.direct = true;
      push(found);
      bySentence[sentenceIndex].push(found);
      return;
    }
    push(found);
    bySentence[sentenceIndex].push(found);
    for (let i = firstWhere(regions.length, (k) => regions[k].open >= content[0]); i < regions.length && regions[i].open <= content[1] + 1; i++) {
      const r = regions[i];
      if (r.close <= content[1] + 1 && !attributed.has(r)) {
        attributed.add(r);
        push({ ...found, content: [r.start, r.end], direct: true });
      }
    }
  });
  return tokens;
}

/**
 * The first token of the noun phrase whose last token is `end`, with its possessives and its
 * "of"/"for" phrases ("a spokesman for Bernie Sanders", "the Illinois Board of Elections"); -1 when
 * `end` ends no noun phrase.
 */
function nounPhraseEndingAt(text: string, tokens: TaggerToken[], end: number): number {
  if (end < 0 || !isNounPhrase(tokens[end].chunk)) return -1;
  const sentence = tokens[end].sentence;
  const extend = (from: number) => {
    let start = from;
    while (start > 0 && tokens[start - 1].sentence === sentence && (tokens[start].chunk === I_NP || tokens[start].pos === POS_POS) && isNounPhrase(tokens[start - 1].chunk)) start--;
    return start;
  };
  let start = extend(end);
  for (;;) {
    const preposition = start - 1;
    if (preposition < 1 || tokens[preposition].chunk !== B_PP || !/^(?:of|for)$/i.test(text.slice(...tokens[preposition].span)) ||
        tokens[preposition - 1].sentence !== sentence || !isNounPhrase(tokens[preposition - 1].chunk)) break;
    start = extend(preposition - 1);
  }
  return start;
}

/** A subject noun phrase as a speaker: an appositive keeps its commas ("Tim Grieve, the editor, …"), as `speakerLeft` spans it. */
function subjectSpan(text: string, sentenceStart: number, tokens: TaggerToken[], first: number, last: number): Span {
  const left = speakerLeft(text, sentenceStart, tokens[last + 1]?.span[0] ?? tokens[last].span[1]).speaker;
  return left && left[1] === tokens[last].span[1] && left[0] < tokens[first].span[0] && text.slice(left[0], left[1]).includes(',')
    ? left : [tokens[first].span[0], tokens[last].span[1]];
}

/**
 * Speakers PolNeAR does not give an attribution, all counted on train:
 * - `Trump was asked about …`, `he is widely known`: only an agent after "by" is the source of a passive
 *   cue (of 428 passive cues, 261 have no source, 87 the agent after the cue, 80 a subject before it, mostly
 *   of feelings, "was worried", "is convinced", which the list leaves out). Train CV source F1 0.6647 ->
 *   0.6656 (0.6652 with "asked", "declared" and "expected" alone).
 * - `The plan seemed to falter`: "seem" and "appear" have none (150 of 154), nor "reportedly" (14) and
 *   "asked about" (12). Source F1 +0.0006.
 * - Reported speech by "you", "this", "that …", "whose …", or by words ending in "his", "to" or "and": the
 *   span is a generic word or a broken clause (train CV: 37 of 188 such speakers right; none of the 50
 *   ending in "to" or "and"; source F1 0.6656 -> 0.6671). Quotes keep theirs.
 * Worked out before a speakerless cue takes its clause's subject (after it: source -0.0002).
 */
function namesNoOne(text: string, a: Attribution): boolean {
  const speaker = a.speaker!;
  if (!a.direct && NO_ONE_RE.test(text.slice(speaker[0], speaker[1]))) return true;
  if (!a.cue) return false;
  const cue = text.slice(a.cue[0], a.cue[1]);
  if (/^(?:seem|seems|seemed|appear|appears|appeared|reportedly|asked about)$/i.test(cue)) return true;
  return PASSIVE_CUE_RE.test(cue) && !(speaker[0] >= a.cue[1] && /^\s+by\s+$/i.test(text.slice(a.cue[1], speaker[0])));
}

const NO_ONE_RE = /^(?:whose|that|you|this)\b|\bhis$|\s(?:to|and)$/i;
/** Passive cues whose subject does not speak: `was asked about`, `is expected`, `has been widely criticized`. */
const PASSIVE_CUE_RE = /^(?:was|were|is|are|been|be|has been|have been|had been|being)(?:\s+(?:also|widely|not|repeatedly|later|often|\w+ly))?\s+(?:declared|asked|expected|known|seen|announced|charged|said|called|released|shown|accused|criticized|projected|confirmed|revealed|reported|quoted|told)(?:\s+about)?$/i;
const REPORTING_CUE = /^(?:said|says|say|told|tells|added|wrote|according to)$/i;

/**
 * `Mr. Obama said the program, which critics slammed, …`: a cue of no cue list inside the content of an
 * attribution by "said", "told", "according to" … or of one whose content starts with "that" is part of
 * what was said (PolNeAR gives each word one role, so such a cue is never its own). Quotes keep their
 * attribution. Train CV: source F1 0.6637 -> 0.6647, cue +0.0015, content +0.0014, direct content
 * +0.0001 (+0.0004 dropping their quotes too: a quote or two, and a quote is worth keeping); of the nested pairs, inner cues of no
 * list were right a quarter of the time.
 */
function dropNestedCues(text: string, sentences: Sentence[], tokens: TaggerToken[], attributions: Attribution[]): void {
  // The outer attributions by the sentence their content starts in.
  const outers = attributions.filter((x) => x.cue && (REPORTING_CUE.test(text.slice(x.cue[0], x.cue[1])) || /^that\b/i.test(text.slice(x.content[0], x.content[0] + 5))));
  const outerBySentence = groupBy(outers, (x) => sentenceIndexAt(sentences, x.content[0]));
  const lexical = (cue: Span) => {
    for (let i = firstWhere(tokens.length, (k) => tokens[k].span[1] > cue[0]); i < tokens.length && tokens[i].span[0] < cue[1]; i++) if (tokens[i].lexiconCue) return true;
    return false;
  };
  for (let i = attributions.length - 1; i >= 0; i--) {
    const a = attributions[i];
    if (!a.cue || lexical(a.cue) || a.direct) continue;
    const at = sentenceIndexAt(sentences, a.cue[0]);
    let inside = false;
    for (let s = Math.max(0, at - 2); s <= at && !inside; s++) {
      inside = (outerBySentence.get(s) ?? []).some((o) => o !== a && o.cue !== a.cue && o.content[0] <= a.cue![0] && a.cue![1] <= o.content[1]);
    }
    if (inside) attributions.splice(i, 1);
  }
}

/**
 * Cue words that are as often nouns: "the tweet", "his recent claim", `</tweet>` in markup. Train CV, the
 * attributions of such a cue the phrase tagger reads as a noun dropped: source F1 0.6624 -> 0.6631, cue
 * +0.0006, direct-quote content +0.0002, speaker +0.0008 ("state", "a swing state", too: direct content -0.0007).
 */
const NOUN_CUES = new Set(['tweet', 'tweets', 'report', 'reports', 'claim', 'claims']);

/** Drops the attributions of a one-word cue of `NOUN_CUES` that the phrase tagger reads as a noun (or that sits in markup), and those of "state" read as a noun that hold no quote. */
function dropNounCues(text: string, tokens: TaggerToken[], attributions: Attribution[], attributed: Set<QuoteRegion>, regions: QuoteRegion[]): void {
  // Where the phrase tagger reads a noun, and which of those nouns are words of NOUN_CUES.
  const nounStarts = new Set<number>();
  const nouns = new Set<number>();
  for (const t of tokens) {
    if (t.pos !== NN_POS && t.pos !== NNS_POS) continue;
    nounStarts.add(t.span[0]);
    if (NOUN_CUES.has(text.slice(t.span[0], t.span[1]).toLowerCase())) nouns.add(t.span[0]);
  }
  for (let i = attributions.length - 1; i >= 0; i--) {
    const cue = attributions[i].cue;
    if (!cue) continue;
    const word = text.slice(cue[0], cue[1]).toLowerCase();
    // "a swing state", "his own state" (train CV: 2 of 24 such attributions had the gold source); not its quotes.
    const stateNoun = (word === 'state' || word === 'states') && !attributions[i].direct && nounStarts.has(cue[0]);
    if (!stateNoun && (!NOUN_CUES.has(word) || !(nouns.has(cue[0]) || /<\/?$/.test(text.slice(Math.max(0, cue[0] - 2), cue[0]))))) continue;
    const [removed] = attributions.splice(i, 1);
    if (removed.direct) for (const r of regions) if (r.start === removed.content[0] && r.end === removed.content[1]) attributed.delete(r);
  }
}

/**
 * `As Trump attacked Clinton, the attendees chanted, "Lock her up!"`, `Kelly responded pointedly: "…"`:
 * a quote no cue claimed, right after a comma or colon that ends a clause with a verb group, is what
 * the clause's subject said, whatever the verb (no cue list holds "chanted", "interjected", "put it").
 * The cue is the last verb group before the quote (with the adverbs before it), the speaker the noun
 * phrase right before that, with its "of"/"for" phrases ("a spokesman for the campaign"), or the
 * appositive that `speakerLeft` spans. PolNeAR train: 74 of the 148 gold direct quotes nothing
 * overlapped were such quotes. Train CV (fold models unchanged): 30 quotes attributed, 24 of them a
 * gold direct quote exactly, 16 with its gold speaker; direct-quote content F1 0.872 -> 0.875, source
 * F1 +0.0005, speaker accuracy -0.002 (the speakers found are right less often than the others).
 */
function attributeLeadInQuotes(
  text: string, sentences: Sentence[], regions: QuoteRegion[], attributed: Set<QuoteRegion>,
  attributions: Attribution[], tokens: TaggerToken[],
): void {
  // The cues found before this pass, by start, and those it adds (in text order, as the regions come):
  // "the clause already holds an attribution" is then a lookup within the sentence, not a scan of all.
  const cues = attributions.flatMap((x) => (x.cue ? [x.cue] : [])).sort((p, q) => p[0] - q[0]);
  const added: Span[] = [];
  const cueBetween = (from: number, to: number): boolean => {
    for (let i = firstWhere(cues.length, (k) => cues[k][0] >= from); i < cues.length && cues[i][0] < to; i++) if (cues[i][1] <= to) return true;
    for (let i = added.length - 1; i >= 0 && added[i][0] >= from; i--) if (added[i][1] <= to) return true;
    return false;
  };
  let t = 0;
  for (const r of regions) {
    if (attributed.has(r)) continue;
    while (t < tokens.length && tokens[t].span[1] <= r.open) t++;
    // tokens[t - 1] is the last token before the opening mark.
    const last = t - 1;
    if (last < 0) continue;
    const sentence = sentences[tokens[last].sentence];
    if (r.open >= sentence.span[1]) continue;
    if (!/[,:]\s*$/.test(text.slice(tokens[last].span[0], r.open)) || !/^\s*\p{Lu}/u.test(text.slice(r.start, r.end))) continue;
    // The last verb group before the punctuation, in the same sentence and outside quotes.
    let verbEnd = -1;
    for (let k = last; k >= 0 && tokens[k].sentence === tokens[last].sentence && !tokens[k].inQuote; k--) {
      if (tokens[k].chunk === B_VP || tokens[k].chunk === I_VP) { verbEnd = k; break; }
    }
    // A short clause: the verb group with at most a few words after it ("wrote to his followers").
    if (verbEnd < 0 || last - verbEnd > 8) continue;
    const clauseSentence = tokens[verbEnd].sentence;
    let verbStart = verbEnd;
    while (verbStart > 0 && tokens[verbStart].chunk === I_VP && tokens[verbStart - 1].sentence === clauseSentence) verbStart--;
    // A finite verb: not "to announce", nor an -ing participle after a noun ("a hat reading"; the phrase tagger
    // often takes a past tense for a participle, "the crowd chanted" VBN).
    if (!VERB_POS.has(tokens[verbEnd].pos) || tokens[verbStart].pos === TO_POS || (verbStart === verbEnd && tokens[verbEnd].pos === VBG_POS)) continue;
    // Adverbs before the verb group open the cue ("emphatically proclaimed"), as auxiliaries do.
    while (verbStart > 0 && tokens[verbStart - 1].sentence === clauseSentence && tokens[verbStart - 1].pos === RB_POS) verbStart--;
    // Its subject: the noun phrase right before it.
    const subjectEnd = verbStart - 1;
    const subjectStart = nounPhraseEndingAt(text, tokens, subjectEnd);
    if (subjectStart < 0) continue;
    if (tokens[subjectStart].shape === QUOTE_SHAPE) continue;
    // `the star journalist, who is promoting his book, "Sin Miedo"`: the comma closes a relative clause, it does not introduce its quote.
    if (tokens[subjectEnd].pos === WH_POS && tokens[last].shape === COMMA_SHAPE) continue;
    const cue: Span = [tokens[verbStart].span[0], tokens[verbEnd].span[1]];
    if (/[-—–]/.test(text.slice(cue[1], r.open))) continue;
    // The clause must not already hold an attribution.
    if (cueBetween(sentence.span[0], r.open)) continue;
    // An appositive keeps its commas ("Tim Grieve, the editor, …"), as speakerLeft spans it; else the noun phrase.
    const speaker = subjectSpan(text, sentence.span[0], tokens, subjectStart, subjectEnd);
    attributed.add(r);
    attributions.push({ content: [r.start, r.end], direct: true, cue, speaker });
    added.push(cue);
  }
}

/**
 * `Mr. Cruz seemed to mock his vague tough talk, saying …`: a speaker before its cue that holds a
 * clause of its own is the clause's subject, the words before its (finite) verb group. A verb group
 * after a relative word stays ("Sanders, whose coalition includes young people,"): PolNeAR keeps
 * those. Train CV (fold models unchanged): source F1 0.6495 -> 0.6526 (sources running past the gold
 * end 486 -> 407), direct-quote speaker accuracy 0.909 -> 0.912. What is left before the verb group
 * loses an introductory phrase ended by its one comma, as `speakerLeft` drops it (`After the talks,
 * Zelensky affirmed …, citing` -> "Zelensky"): source 0.6558 -> 0.6561, dev 0.688 -> 0.689.
 */
export class SubjectFinder {
  constructor(private readonly text: string, private readonly tokens: TaggerToken[]) {}

  /** The index of the first token ending after `pos`. */
  private tokenAt(pos: number): number {
    return firstWhere(this.tokens.length, (i) => this.tokens[i].span[1] > pos);
  }

  subjectOf(speaker: Span, cue: Span): Span {
    if (speaker[1] > cue[0]) return speaker;
    const tokens = this.tokens;
    const first = this.tokenAt(speaker[0]);
    let relative = false;
    for (let k = first; k < tokens.length && tokens[k].span[1] <= speaker[1]; k++) {
      const t = tokens[k];
      if (t.pos === WH_POS) relative = true;
      if (k === first || relative || t.chunk !== B_VP || !FINITE_POS.has(t.pos)) continue;
      // The verb group must leave words after it in the speaker (one right before the cue is the cue's: auxiliariesToCue).
      let end = k;
      while (end + 1 < tokens.length && tokens[end + 1].chunk === I_VP) end++;
      if (tokens[end].span[1] >= speaker[1]) return speaker;
      const subject = trimSpan(this.text, speaker[0], t.span[0], false);
      // `After the talks, Zelensky affirmed …`: one comma before the subject ends an introductory phrase.
      const words = this.text.slice(subject[0], subject[1]);
      const comma = words.indexOf(',');
      if (comma >= 0 && comma === words.lastIndexOf(',') && comma < words.length - 1) return trimSpan(this.text, subject[0] + comma + 1, subject[1], false);
      return subject;
    }
    return speaker;
  }

  /**
   * `According to Variety, CNN has gotten back to Trump`: the source after "according to" ends at the
   * comma after which a clause of its own starts (a finite verb group, or a relative word: `Andrew
   * McCarthy, who prosecuted …`). Train CV: source F1 0.6589 -> 0.6609 (for every source after its cue: -0.007,
   * PolNeAR keeps what follows an inverted "said X," about as often as not).
   */
  accordingTo(speaker: Span): Span {
    const tokens = this.tokens;
    for (let k = this.tokenAt(speaker[0]); k < tokens.length && tokens[k].span[1] <= speaker[1]; k++) {
      if (tokens[k].shape !== COMMA_SHAPE) continue;
      let clause = false;
      // The words after the comma, to the next one or the sentence end (past the speaker: `pool reports, Obama | spoke`).
      for (let j = k + 1; j < tokens.length && tokens[j].sentence === tokens[k].sentence && tokens[j].shape !== COMMA_SHAPE; j++) {
        if (tokens[j].pos === WH_POS || (tokens[j].chunk === B_VP && FINITE_POS.has(tokens[j].pos))) { clause = true; break; }
      }
      if (clause) return trimSpan(this.text, speaker[0], tokens[k].span[0], false);
    }
    return speaker;
  }

  /**
   * The subject of the sentence's first finite verb group before `cue`, for a participle cue with no
   * speaker: `A spokeswoman … emailed reporters the text, arguing, “…”` -> "A spokeswoman …". Train CV
   * (fold models unchanged): source F1 0.6531 -> 0.6546, speaker accuracy 0.910 -> 0.912 (for every
   * cue with no speaker: 0.6503, the subject is then more often wrong than right). Also for a verb joined
   * by "and"/"but" that found no speaker (`The judge rubbed his chin, and then said …`): 0.6635 -> 0.6637.
   */
  clauseSubject(cue: Span, sentenceStart: number): Span | null {
    const tokens = this.tokens;
    const cueToken = this.tokenAt(cue[0]);
    if (cueToken >= tokens.length) return null;
    const sentence = tokens[cueToken].sentence;
    for (let k = this.tokenAt(sentenceStart); k < cueToken; k++) {
      const t = tokens[k];
      if (t.sentence !== sentence || t.inQuote || t.chunk !== B_VP || !FINITE_POS.has(t.pos)) continue;
      let end = k - 1;
      while (end >= 0 && tokens[end].sentence === sentence && tokens[end].pos === RB_POS) end--;
      const start = end >= 0 && tokens[end].sentence === sentence ? nounPhraseEndingAt(this.text, tokens, end) : -1;
      if (start < 0 || tokens[start].shape === QUOTE_SHAPE) return null;
      return subjectSpan(this.text, sentenceStart, tokens, start, end);
    }
    return null;
  }
}
