/**
 * Features of the entity tagger. Training (scripts/train-ner.ts) and tagging
 * (model.ts) both call `sentenceFeatures`, so the two can never drift apart.
 * Only what raw text has is used: words, their shapes, neighbours, where they
 * sit, a gazetteer learned from the training data and how a word is
 * capitalised elsewhere in the same document. No part-of-speech tags.
 */

/** The entity types the tagger knows; MISC is learned but never output. */
export const entityTypes = ['PER', 'ORG', 'LOC', 'MISC'] as const;
export type TaggerType = (typeof entityTypes)[number];

/**
 * A gazetteer: lower-cased, space-joined names seen as entities, each with a
 * bit per type in `entityTypes` order (see `withPrefixes` for the 0 entries).
 */
export interface Gazetteer {
  names: Map<string, number>;
  /** Longest name, in tokens. */
  longest: number;
  /** `gazetteerEntry` of every phrase that is a name or starts one, worked out once (one lookup, no string built). */
  entries: Map<string, number>;
}

/** What the tagger knows about the whole document a sentence comes from. */
export interface DocumentContext {
  /** Lower-cased word -> how it is mostly capitalised where capitals are informative. */
  casing: Map<string, string>;
}

const upperPattern = /\p{Lu}/u;
const lowerPattern = /\p{Ll}/u;

const hasUpperBit = 1;
const hasLowerBit = 2;

/** Which cases a word's letters come in (`hasUpperBit | hasLowerBit`); ASCII without regular expressions. */
function letterCases(word: string, from = 0): number {
  let bits = 0;
  for (let i = from; i < word.length && bits !== 3; i += 1) {
    const code = word.charCodeAt(i);
    if (code < 128) {
      if (code >= 65 && code <= 90) bits |= hasUpperBit;
      else if (code >= 97 && code <= 122) bits |= hasLowerBit;
    } else {
      const wide = code >= 0xd800 && code <= 0xdbff && i + 1 < word.length;
      const char = wide ? word.slice(i, i + 2) : word[i]!;
      if (wide) i += 1;
      if (upperPattern.test(char)) bits |= hasUpperBit;
      else if (lowerPattern.test(char)) bits |= hasLowerBit;
    }
  }
  return bits;
}

/** True when a word starts with a capital letter. */
export function isCapitalised(word: string): boolean {
  return word.length > 0 && (letterCases(word[0]!) & hasUpperBit) !== 0;
}

/** The capitalisation classes, by index (`casingIndex`); `none` (no letters) is -1. */
const casingClasses = ['title', 'upper', 'lower', 'mixed'] as const;
const [titleCase, upperCase, lowerCase, mixedCase] = [0, 1, 2, 3];

/** Index in `casingClasses` of a word's capitalisation, or -1 when it has no letters. */
export function casingIndex(word: string): number {
  const bits = letterCases(word);
  if (bits === 0) return -1;
  if (bits === hasLowerBit) return lowerCase;
  if (bits === hasUpperBit) return word.length > 1 ? upperCase : titleCase;
  return isCapitalised(word) && !(letterCases(word, 1) & hasUpperBit) ? titleCase : mixedCase;
}

/** Capitalisation class of a word: title, upper, lower, mixed or none. */
export function casingClass(word: string): string {
  const index = casingIndex(word);
  return index < 0 ? 'none' : casingClasses[index]!;
}

/** True when a sentence is written in capitals (a headline), so case says little. */
export function isCapsSentence(words: readonly string[]): boolean {
  let upper = 0;
  for (const word of words) {
    const bits = letterCases(word);
    if (bits & hasLowerBit) return false;
    if (bits & hasUpperBit) upper += 1;
  }
  return upper >= 2;
}

/**
 * Records how each word is capitalised where capitals carry meaning (not first
 * in its sentence, not in a capitals headline). A headline's "ROME" or a
 * sentence-initial "Bush" can then borrow "Rome"/"Bush" from the body.
 */
export function documentContext(sentences: string[][]): DocumentContext {
  const counts = new Map<string, Int32Array>();
  // Each distinct word is lower-cased and classed once; later occurrences go straight to its counts.
  const byWord = new Map<string, { cls: number; byClass: Int32Array | null }>();
  for (const words of sentences) {
    if (isCapsSentence(words)) continue;
    for (let i = 1; i < words.length; i += 1) {
      const word = words[i]!;
      let seen = byWord.get(word);
      if (!seen) {
        const cls = casingIndex(word);
        let byClass: Int32Array | null = null;
        if (cls >= 0) byClass = caseCounts(counts, word.toLowerCase());
        byWord.set(word, (seen = { cls, byClass }));
      }
      const { cls, byClass } = seen;
      if (byClass) countCase(byClass, cls);
    }
  }
  const casing = new Map<string, string>();
  for (const [key, byClass] of counts) casing.set(key, casingClasses[mostCommonCase(byClass)]!);
  return { casing };
}

/**
 * The casing counts of one lower-cased word (created empty when new): the
 * count of each class, then the order in which each class was first seen (1,
 * 2, …; 0 = never), which breaks ties (the class seen first wins), then how
 * many classes have been seen.
 */
export function caseCounts(counts: Map<string, Int32Array>, key: string): Int32Array {
  let byClass = counts.get(key);
  if (!byClass) counts.set(key, (byClass = new Int32Array(2 * casingClasses.length + 1)));
  return byClass;
}

/** Counts one more word of class `cls` (a `casingIndex`) in `caseCounts`. */
export function countCase(byClass: Int32Array, cls: number): void {
  if (byClass[cls] === 0) byClass[casingClasses.length + cls] = ++byClass[2 * casingClasses.length]!;
  byClass[cls] += 1;
}

/** The class (`casingIndex`) a word mostly has in its `caseCounts`: the most frequent, the first seen on a tie. */
export function mostCommonCase(byClass: Int32Array): number {
  let best = -1;
  for (let cls = 0; cls < casingClasses.length; cls += 1) {
    if (byClass[cls] === 0) continue;
    if (best < 0 || byClass[cls]! > byClass[best]! || (byClass[cls] === byClass[best] && byClass[casingClasses.length + cls]! < byClass[casingClasses.length + best]!)) best = cls;
  }
  return best;
}

/** Word shape with runs collapsed: `Xx`, `X.X.`, `d-d`. */
export function shape(word: string): string {
  let out = '';
  let last = '';
  for (let i = 0; i < word.length && out.length <= 8; i += 1) {
    const code = word.charCodeAt(i);
    let cls: string;
    if (code >= 65 && code <= 90) cls = 'X';
    else if (code >= 97 && code <= 122) cls = 'x';
    else if (code >= 48 && code <= 57) cls = 'd';
    else if (code < 128) cls = word[i]!;
    else {
      const char = word[i]!;
      cls = upperPattern.test(char) ? 'X' : lowerPattern.test(char) ? 'x' : char;
    }
    if (cls !== last) out += cls;
    last = cls;
  }
  return out;
}

/** FNV-1a over UTF-16 code units (of `text[start, end)`): feature parts are hashed, never joined into strings. */
export function hashString(text: string, start = 0, end = text.length): number {
  let h = 0x811c9dc5;
  for (let i = start; i < end; i += 1) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h | 0;
}

/** Combines two hashes (murmur3-style finaliser); never returns 0, which marks an empty slot. */
export function mix(a: number, b: number): number {
  let h = Math.imul(a ^ Math.imul(b, 0xcc9e2d51), 0x1b873593);
  h ^= h >>> 15;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  return h === 0 ? 1 : h;
}

/**
 * Adds, for every proper prefix of a multi-word name, the entry `prefix + ' '`
 * with no type bits, so matching can stop as soon as no name continues.
 */
export function withPrefixes(names: Map<string, number>): Gazetteer {
  let longest = 0;
  for (const phrase of [...names.keys()]) {
    const parts = phrase.split(' ');
    longest = Math.max(longest, parts.length);
    for (let k = 1; k < parts.length; k += 1) {
      const prefix = `${parts.slice(0, k).join(' ')} `;
      if (!names.has(prefix)) names.set(prefix, 0);
    }
  }
  const entries = new Map<string, number>();
  for (const key of names.keys()) {
    const phrase = key.endsWith(' ') ? key.slice(0, -1) : key;
    entries.set(phrase, namesEntry(names, phrase));
  }
  return { names, longest, entries };
}

// Feature templates: each feature is mix(template, parts…).
const enum F { Bias = 1, Word, Lower, Shape, Prefix, Suffix2, Suffix3, Suffix4, Left1, Right1, Left2, Right2,
  ShapeLeft, ShapeRight, Shape3, BigramLeft, BigramRight, LeftShape, ShapeRightWord, First, Caps, CapsWord,
  DocCase, DocCaseMid, Gaz, GazShape, GazRight, GazLeft }

const start = hashString('<s>');
const end = hashString('</s>');
const bias = mix(F.Bias, 0);

/**
 * The features a word form gives whatever its context, split by which token
 * they belong to: `own` to the word itself (bias, word, lower case, shape,
 * prefix, suffixes); `neighbour` to the tokens around it, in the order of
 * `neighbourOffsets` (the word as left neighbour of the next token, as right
 * neighbour of the previous one, and two away). The tagger scores both once
 * per distinct form in a document.
 */
export interface WordFeatures extends WordFacts {
  own: Int32Array;
  neighbour: Int32Array;
}

/** What `contextFeatures` reads of each word of a sentence. */
export interface WordFacts {
  lower: string;
  hashLower: number;
  hashShape: number;
  /** Starts with a capital (gazetteer names are only matched from such words). */
  capitalised: boolean;
  /**
   * The word's own gazetteer entry (`gazetteerEntry`), when the caller
   * keeps one per form; otherwise looked up per token.
   */
  gazetteerEntry?: number;
  /**
   * The hash of the class the document mostly writes the word in
   * (`DocumentContext.casing`; `casingHash`), null when it has none, when the
   * caller keeps one per form; otherwise looked up per token.
   */
  docCase?: number | null;
}

/** Where each `WordFeatures.neighbour` feature applies, relative to the word. */
export const neighbourOffsets = [1, -1, 2, -2] as const;

/** How many `own` features a word form has (`writeFormFeatures`). */
export const ownFeatureCount = 8;

function neighbourFeatures(hashLower: number): Int32Array {
  return Int32Array.of(mix(F.Left1, hashLower), mix(F.Right1, hashLower), mix(F.Left2, hashLower), mix(F.Right2, hashLower));
}

/** `neighbour` features for a missing neighbour: before the start (offsets 1, 2) or after the end (-1, -2). */
export const boundaryFeatures: Int32Array = (() => {
  const before = neighbourFeatures(start);
  const after = neighbourFeatures(end);
  return Int32Array.of(before[0]!, after[1]!, before[2]!, after[3]!);
})();

export function wordFeatures(word: string): WordFeatures {
  const lower = word.toLowerCase();
  const hashLower = hashString(lower);
  const hashShape = hashString(shape(word));
  const hashes = new Int32Array(ownFeatureCount + neighbourOffsets.length);
  writeFormFeatures(word, lower, hashLower, hashShape, hashes);
  return { lower, hashLower, hashShape, capitalised: isCapitalised(word), own: hashes.slice(0, ownFeatureCount), neighbour: hashes.slice(ownFeatureCount) };
}

/** The bias feature: every word's first `own` feature. */
export const biasFeature = bias;

/**
 * Writes a word's `own` then its `neighbour` feature hashes (`wordFeatures`)
 * into `out[0 …)`, from its lower case and the hashes of that and of its shape.
 */
export function writeFormFeatures(word: string, lower: string, hashLower: number, hashShape: number, out: Int32Array): void {
  const n = lower.length;
  out[0] = bias;
  out[1] = mix(F.Word, hashString(word));
  out[2] = mix(F.Lower, hashLower);
  out[3] = mix(F.Shape, hashShape);
  // Prefix and suffixes (as `slice(0, 3)`, `slice(-2)`, …), hashed in place.
  out[4] = mix(F.Prefix, hashString(lower, 0, Math.min(3, n)));
  out[5] = mix(F.Suffix2, hashString(lower, Math.max(0, n - 2)));
  out[6] = mix(F.Suffix3, hashString(lower, Math.max(0, n - 3)));
  out[7] = mix(F.Suffix4, hashString(lower, Math.max(0, n - 4)));
  out[8] = mix(F.Left1, hashLower);
  out[9] = mix(F.Right1, hashLower);
  out[10] = mix(F.Left2, hashLower);
  out[11] = mix(F.Right2, hashLower);
}

// Hashes of the gazetteer marks (`PER:B`, …) by type index and position in the name.
const markHashes = entityTypes.map((type) => ['B', 'I', 'L', 'U'].map((position) => hashString(`${type}:${position}`)));
const casingHashes = new Map(['title', 'upper', 'lower', 'mixed'].map((cls) => [cls, hashString(cls)]));

/** The hash `contextFeatures` uses for a class of `DocumentContext.casing` (undefined: none). */
export function casingHash(docCase: string | undefined): number | null {
  return docCase === undefined ? null : casingHashes.get(docCase) ?? hashString(docCase);
}

/** `casingHash` of the class with this `casingIndex`. */
export const casingIndexHashes: readonly number[] = casingClasses.map((cls) => casingHash(cls)!);
const noMarks: readonly number[] = [];

/**
 * Marks every token covered by a gazetteer name with the hash of `PER:B`,
 * `LOC:U`, … (most tokens share one empty array).
 */
function gazetteerMarks(info: readonly WordFacts[], gazetteer: Gazetteer): Array<readonly number[]> {
  const marks: number[][] = info.map(() => noMarks as number[]);
  const n = info.length;
  for (let i = 0; i < n; i += 1) {
    const first = info[i]!;
    if (!first.capitalised) continue;
    let phrase = '';
    for (let length = 1; length <= gazetteer.longest && i + length <= n; length += 1) {
      let entry: number;
      if (length === 1) {
        phrase = first.lower;
        entry = first.gazetteerEntry ?? gazetteerEntry(gazetteer, phrase);
      } else {
        phrase = `${phrase} ${info[i + length - 1]!.lower}`;
        entry = gazetteerEntry(gazetteer, phrase);
      }
      const bits = entry & noName ? undefined : entry & typeBits;
      const continues = (entry & continuesBit) !== 0;
      if (bits === undefined) {
        if (!continues) break;
        continue;
      }
      for (let t = 0; t < entityTypes.length; t += 1) {
        if (!(bits & (1 << t))) continue;
        const [b, inside, l, u] = markHashes[t]!;
        if (length === 1) addMark(marks, i, u!);
        else {
          addMark(marks, i, b!);
          for (let k = i + 1; k < i + length - 1; k += 1) addMark(marks, k, inside!);
          addMark(marks, i + length - 1, l!);
        }
      }
      if (!continues) break;
    }
  }
  return marks;
}

const typeBits = (1 << entityTypes.length) - 1;
const noName = 1 << 8;
const continuesBit = 1 << 9;

/**
 * A phrase's gazetteer entry as one number: its type bits, `noName`
 * when it is not in the gazetteer, `continuesBit` when a longer name starts
 * with it.
 */
export function gazetteerEntry(gazetteer: Gazetteer, phrase: string): number {
  return gazetteer.entries.get(phrase) ?? noName;
}

function namesEntry(names: Map<string, number>, phrase: string): number {
  const bits = names.get(phrase);
  return (bits === undefined ? noName : bits) | (names.has(`${phrase} `) ? continuesBit : 0);
}

function addMark(marks: number[][], k: number, hash: number): void {
  if (marks[k] === noMarks) marks[k] = [];
  marks[k]!.push(hash);
}

/** One sentence prepared for feature extraction: per-word facts, case and gazetteer marks. */
export interface PreparedSentence<W extends WordFacts = WordFacts> {
  info: readonly W[];
  caps: boolean;
  marks: ReadonlyArray<readonly number[]>;
}

/** Prepares a sentence; `lookup` may return cached (and extended) `WordFeatures` for repeated forms. */
export function prepareSentence<W extends WordFacts = WordFeatures>(words: string[], gazetteer: Gazetteer, lookup: (word: string) => W): PreparedSentence<W> {
  return prepareWords(words.map(lookup), isCapsSentence(words), gazetteer);
}

/** Prepares a sentence from its words' facts and whether it is written in capitals (`isCapsSentence`). */
export function prepareWords<W extends WordFacts>(info: readonly W[], caps: boolean, gazetteer: Gazetteer): PreparedSentence<W> {
  return { info, caps, marks: gazetteerMarks(info, gazetteer) };
}

/**
 * Writes the features of token `i` that combine it with its neighbours, its
 * place or the document (all but `own` and `neighbour`) into `out` from
 * index `at`; returns the index after the last one written. `out` needs the
 * room `contextRoom` gives.
 */
export function contextFeatures(sentence: PreparedSentence, i: number, context: DocumentContext, out: Int32Array, at: number): number {
  const { info, caps, marks } = sentence;
  const n = info.length;
  const word = info[i]!;
  const sh = word.hashShape;
  const li = word.hashLower;
  const l1 = i > 0 ? info[i - 1]!.hashLower : start;
  const r1 = i + 1 < n ? info[i + 1]!.hashLower : end;
  const s1 = i > 0 ? info[i - 1]!.hashShape : start;
  const t1 = i + 1 < n ? info[i + 1]!.hashShape : end;
  let k = at;
  out[k++] = mix(mix(F.ShapeLeft, s1), sh);
  out[k++] = mix(mix(F.ShapeRight, sh), t1);
  out[k++] = mix(mix(mix(F.Shape3, s1), sh), t1);
  out[k++] = mix(mix(F.BigramLeft, l1), li);
  out[k++] = mix(mix(F.BigramRight, li), r1);
  out[k++] = mix(mix(F.LeftShape, l1), sh);
  out[k++] = mix(mix(F.ShapeRightWord, sh), r1);
  if (i === 0) out[k++] = mix(F.First, sh);
  if (caps) {
    out[k++] = mix(F.Caps, sh);
    out[k++] = mix(F.CapsWord, li);
  }
  const hashCase = word.docCase !== undefined ? word.docCase : casingHash(context.casing.get(word.lower));
  if (hashCase !== null) {
    out[k++] = i === 0 || caps ? mix(mix(F.DocCase, hashCase), sh) : mix(F.DocCaseMid, hashCase);
  }
  const own = marks[i]!;
  for (const hm of own) {
    out[k++] = mix(F.Gaz, hm);
    out[k++] = mix(mix(F.GazShape, hm), sh);
  }
  if (own.length === 0 && i + 1 < n) for (const hm of marks[i + 1]!) out[k++] = mix(F.GazRight, hm);
  if (own.length === 0 && i > 0) for (const hm of marks[i - 1]!) out[k++] = mix(F.GazLeft, hm);
  return k;
}

/** Room `contextFeatures` needs for token `i`. */
export function contextRoom(sentence: PreparedSentence, i: number): number {
  const { marks } = sentence;
  return 11 + 2 * marks[i]!.length + (i > 0 ? marks[i - 1]!.length : 0) + (i + 1 < marks.length ? marks[i + 1]!.length : 0);
}

/**
 * The hashed features of every token of one sentence (words in model form):
 * one Int32Array of feature hashes per token. Training uses this; the tagger
 * adds up the same features from `WordFeatures` and `contextFeatures`.
 */
export function sentenceFeatures(words: string[], context: DocumentContext, gazetteer: Gazetteer): Int32Array[] {
  const sentence = prepareSentence(words, gazetteer, wordFeatures);
  const { info } = sentence;
  return info.map((word, i) => {
    const out = new Int32Array(word.own.length + neighbourOffsets.length + contextRoom(sentence, i));
    out.set(word.own);
    let k = word.own.length;
    neighbourOffsets.forEach((offset, f) => {
      const from = i - offset;
      out[k++] = from >= 0 && from < info.length ? info[from]!.neighbour[f]! : boundaryFeatures[f]!;
    });
    return out.slice(0, contextFeatures(sentence, i, context, out, k));
  });
}

/** BILOU tags over `entityTypes`, `O` first. */
export const tags: string[] = ['O', ...entityTypes.flatMap((t) => ['B', 'I', 'L', 'U'].map((p) => `${p}-${t}`))];

/** Whether tag `next` may follow tag `previous` (-1 is the sentence start; `tags.length` the end). */
export function allowedTransition(previous: number, next: number): boolean {
  const prev = previous < 0 ? 'O' : tags[previous]!;
  const cur = next >= tags.length ? 'O' : tags[next]!;
  const prevOpen = prev[0] === 'B' || prev[0] === 'I';
  const curContinues = cur[0] === 'I' || cur[0] === 'L';
  if (prevOpen) return curContinues && prev.slice(2) === cur.slice(2);
  return !curContinues;
}
