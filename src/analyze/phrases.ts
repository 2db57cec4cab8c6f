/**
 * Parts of speech and phrase chunks (noun phrases, verb groups, …) of a
 * sentence's words: two greedy averaged-perceptron taggers trained on the
 * part-of-speech and chunk columns of CoNLL-2003 train (Reuters news,
 * `npm run train:phrases`, models/phrases.json.gz). The attribution tagger
 * reads them to see a clause's shape beyond its word window: a verb group
 * after a noun phrase and before "that" or a quote is how most attributions
 * look, whatever the verb.
 */
import { readModel, readModelIfPresent } from './models.js';
import { decodeBase64, featureHash, stringHash, WeightTable, type StoredWeights } from './weights.js';

/** Penn Treebank tags, folded where the difference does not help find clauses. */
export const PARTS_OF_SPEECH = [
  'NNP', 'NN', 'NNS', 'PRP', 'PRP$', 'DT', 'JJ', 'RB', 'VB', 'VBD', 'VBZ', 'VBG', 'VBN', 'MD', 'IN', 'TO',
  'CC', 'CD', 'WH', 'POS', 'RP', 'EX', ',', '.', ':', '(', ')', '"', 'X',
] as const;
export const CHUNKS = [
  'O', 'B-NP', 'I-NP', 'B-VP', 'I-VP', 'B-PP', 'I-PP', 'B-ADJP', 'I-ADJP', 'B-ADVP', 'I-ADVP', 'B-SBAR', 'I-SBAR', 'B-PRT', 'I-PRT',
] as const;

const FOLDED_TAGS: Record<string, string> = {
  NNPS: 'NNP', PDT: 'DT', JJR: 'JJ', JJS: 'JJ', RBR: 'RB', RBS: 'RB', VBP: 'VBZ',
  WDT: 'WH', WP: 'WH', WP$: 'WH', WRB: 'WH', "''": '"', '``': '"', 'NN|SYM': 'NN',
};
const POS_INDEX = new Map<string, number>(PARTS_OF_SPEECH.map((tag, i) => [tag, i]));
const CHUNK_INDEX = new Map<string, number>(CHUNKS.map((tag, i) => [tag, i]));

/** Index in PARTS_OF_SPEECH of a Penn Treebank tag (`$`, `SYM`, `FW`, `UH`, `LS`: X). */
export function partOfSpeechIndex(tag: string): number {
  return POS_INDEX.get(FOLDED_TAGS[tag] ?? tag) ?? POS_INDEX.get('X')!;
}

/** Index in CHUNKS of a CoNLL chunk tag (the rare INTJ, CONJP, LST and UCP: O). */
export function chunkIndex(tag: string): number {
  return CHUNK_INDEX.get(tag) ?? 0;
}

/** What the taggers read of one word: hashes of its normalised form, suffixes and shape. */
export interface PhraseWord {
  word: number;
  suffix1: number;
  suffix2: number;
  suffix3: number;
  shape: number;
}

const SHAPE_LOWER = 1;
const SHAPE_TITLE = 2;
const SHAPE_UPPER = 3;
const SHAPE_DIGIT = 4;
const SHAPE_OTHER = 5;

/**
 * A word's features: lower-cased, digits as 0, curly quotes straight, "n't"
 * apart from the verb it ends (CoNLL tokenises "did n't"; the attribution
 * tagger keeps "didn't" whole, and its verb is what matters).
 */
export function phraseWord(form: string): PhraseWord {
  let lower = form.toLowerCase().replace(/[0-9]/g, '0');
  if (/[’‘“”]/.test(lower)) lower = lower.replace(/[’‘]/g, "'").replace(/[“”]/g, '"');
  if (lower.length > 3 && lower.endsWith("n't")) lower = lower === "can't" ? 'can' : lower === "won't" ? 'will' : lower.slice(0, -3);
  const first = form[0];
  let shape = SHAPE_OTHER;
  if (first >= '0' && first <= '9') shape = SHAPE_DIGIT;
  else if (first.toLowerCase() !== first.toUpperCase()) {
    if (first === first.toLowerCase()) shape = SHAPE_LOWER;
    else shape = form.length > 1 && form === form.toUpperCase() ? SHAPE_UPPER : SHAPE_TITLE;
  }
  if (form.includes('-') && form.length > 1) shape += 8;
  return {
    word: stringHash(lower), suffix1: stringHash(lower.slice(-1)), suffix2: stringHash(lower.slice(-2)), suffix3: stringHash(lower.slice(-3)), shape,
  };
}

const EDGE = stringHash('<edge>');

/** Features of word `i` that do not depend on earlier tags. */
export const POS_STATIC = 13;
export const POS_HISTORY = 3;
export const CHUNK_STATIC = 11;
export const CHUNK_HISTORY = 3;

/** The part-of-speech tagger's static features of every word, POS_STATIC per word. */
export function posFeatures(words: PhraseWord[]): Int32Array {
  const n = words.length;
  const out = new Int32Array(n * POS_STATIC);
  for (let i = 0, o = 0; i < n; i++) {
    const w = words[i];
    const before = i > 0 ? words[i - 1] : undefined;
    const after = i + 1 < n ? words[i + 1] : undefined;
    out[o++] = featureHash(100, 0);
    out[o++] = featureHash(101, w.word);
    out[o++] = featureHash(102, w.suffix1);
    out[o++] = featureHash(103, w.suffix2);
    out[o++] = featureHash(104, w.suffix3);
    out[o++] = featureHash(105, w.shape, i === 0 ? 1 : 0);
    out[o++] = featureHash(106, before ? before.word : EDGE);
    out[o++] = featureHash(107, after ? after.word : EDGE);
    out[o++] = featureHash(108, i > 1 ? words[i - 2].word : EDGE);
    out[o++] = featureHash(109, i + 2 < n ? words[i + 2].word : EDGE);
    out[o++] = featureHash(110, before ? before.suffix3 : EDGE);
    out[o++] = featureHash(111, after ? after.suffix3 : EDGE);
    out[o++] = featureHash(112, w.shape, before ? before.shape : 0, after ? after.shape : 0);
  }
  return out;
}

/** Features of the part-of-speech tags before word `i`. */
export function posHistory(previous: ArrayLike<number>, i: number, word: PhraseWord, out: Int32Array): void {
  const p1 = i > 0 ? previous[i - 1] : -1;
  const p2 = i > 1 ? previous[i - 2] : -1;
  out[0] = featureHash(113, p1);
  out[1] = featureHash(114, p2, p1);
  out[2] = featureHash(115, p1, word.word);
}

/** The chunk tagger's static features: the parts of speech around word `i`, and its word. */
export function chunkFeatures(words: PhraseWord[], pos: ArrayLike<number>): Int32Array {
  const n = words.length;
  const out = new Int32Array(n * CHUNK_STATIC);
  const at = (i: number) => (i >= 0 && i < n ? pos[i] : -1);
  for (let i = 0, o = 0; i < n; i++) {
    const p = pos[i];
    out[o++] = featureHash(120, 0);
    out[o++] = featureHash(121, p);
    out[o++] = featureHash(122, at(i - 1));
    out[o++] = featureHash(123, at(i + 1));
    out[o++] = featureHash(124, at(i - 2));
    out[o++] = featureHash(125, at(i + 2));
    out[o++] = featureHash(126, at(i - 1), p);
    out[o++] = featureHash(127, p, at(i + 1));
    out[o++] = featureHash(128, at(i - 1), p, at(i + 1));
    out[o++] = featureHash(129, words[i].word);
    out[o++] = featureHash(130, i > 0 ? words[i - 1].word : EDGE, p);
  }
  return out;
}

/** Features of the chunk tags before word `i`. */
export function chunkHistory(previous: ArrayLike<number>, i: number, pos: ArrayLike<number>, out: Int32Array): void {
  const c1 = i > 0 ? previous[i - 1] : -1;
  const c2 = i > 1 ? previous[i - 2] : -1;
  out[0] = featureHash(131, c1);
  out[1] = featureHash(132, c2, c1);
  out[2] = featureHash(133, c1, pos[i]);
}

/** May chunk tag `tag` follow `previous` (-1 at the start)? I-X only after B-X or I-X. */
export function chunkCanFollow(previous: number, tag: number): boolean {
  const name = CHUNKS[tag];
  return name[0] !== 'I' || (previous >= 0 && CHUNKS[previous].slice(2) === name.slice(2));
}

/** What scripts/train-phrases.ts writes. */
export interface PhraseModelFile {
  version: 2;
  partsOfSpeech: string[];
  chunks: string[];
  /** Weight = stored integer × scale. */
  scale: number;
  pos: StoredWeights;
  chunk: StoredWeights;
  /** Words that take one part of speech: base64 Int32 word hashes, and their PARTS_OF_SPEECH indices as a base64 Uint8Array. */
  dictionary: { words: string; tags: string };
}

/**
 * The tag dictionary: words seen at least DICTIONARY_MIN_COUNT times in
 * training with one part of speech at least DICTIONARY_MIN_SHARE of the time
 * ("the", "of", ",", "said") take it without being scored. Most running words
 * of news are such words, so the tagger scores fewer than half of them.
 */
export const DICTIONARY_MIN_COUNT = 20;
export const DICTIONARY_MIN_SHARE = 0.97;

/** A tag dictionary from word hashes and their tags (as the model file stores them). */
export function tagDictionary(words: Int32Array, tags: Uint8Array): Map<number, number> {
  return new Map(Array.from(words, (word, i) => [word, tags[i]]));
}

const POS_COUNT = PARTS_OF_SPEECH.length;
const CHUNK_COUNT = CHUNKS.length;
/** Shape codes of `phraseWord`: 1-5, +8 with a hyphen; 0 for no word (a sentence edge). */
const SHAPE_VALUES = SHAPE_OTHER + 9;
const WORD_CACHE_LIMIT = 1 << 14;
/** Where a word's rows keep its dictionary tag (after 5 part-of-speech rows and a chunk row). */
const DICTIONARY_SLOT = 5 * POS_COUNT + CHUNK_COUNT;

/** `CHUNK_FOLLOWS[(previous + 1) * CHUNK_COUNT + tag]`: may chunk `tag` follow `previous` (-1 at the start)? */
const CHUNK_FOLLOWS = Uint8Array.from({ length: (CHUNK_COUNT + 1) * CHUNK_COUNT }, (_, i) => (chunkCanFollow(Math.floor(i / CHUNK_COUNT) - 1, i % CHUNK_COUNT) ? 1 : 0));

function best(scores: Int32Array, width: number): number {
  let top = 0;
  for (let k = 1; k < width; k++) if (scores[k] > scores[top]) top = k;
  return top;
}

/**
 * A loaded phrase model. It gives the tags that scoring `posFeatures` +
 * `posHistory` and `chunkFeatures` + `chunkHistory` greedily gives (a test
 * pins this), without hashing per token: the weights of features over small
 * domains (shapes, parts of speech, earlier tags) are summed into dense
 * tables at load time, and a word's rows (as the word itself and as each
 * neighbour) are looked up once per word form and cached.
 */
export class PhraseTagger {
  private readonly words = new Map<number, Int32Array>();
  private readonly edgeRows: Int32Array;
  /** bias, shape with sentence start, shape triple. */
  private readonly posShapes: Int32Array;
  /** The two tags before. */
  private readonly posPrevious: Int32Array;
  /** bias and the parts of speech before, at and after the word. */
  private readonly chunkPos3: Int32Array;
  /** The parts of speech two before and two after. */
  private readonly chunkPos2: Int32Array;
  /** The two chunk tags before, with the word's part of speech. */
  private readonly chunkPrevious: Int32Array;

  constructor(private readonly pos: WeightTable, private readonly chunk: WeightTable, private readonly dictionary: Map<number, number>) {
    const build = (size: number, width: number, table: WeightTable, hashesOf: (value: number) => number[]) => {
      const out = new Int32Array(size * width);
      for (let v = 0; v < size; v++) for (const hash of hashesOf(v)) table.addRow(hash, out, v * width);
      return out;
    };
    const P = POS_COUNT + 1;
    this.posShapes = build(SHAPE_VALUES ** 3 * 2, POS_COUNT, pos, (v) => {
      const first = v % 2;
      const next = Math.floor(v / 2) % SHAPE_VALUES;
      const previous = Math.floor(v / 2 / SHAPE_VALUES) % SHAPE_VALUES;
      const shape = Math.floor(v / 2 / SHAPE_VALUES / SHAPE_VALUES);
      return [featureHash(100, 0), featureHash(105, shape, first), featureHash(112, shape, previous, next)];
    });
    this.posPrevious = build(P * P, POS_COUNT, pos, (v) => [featureHash(113, (v % P) - 1), featureHash(114, Math.floor(v / P) - 1, (v % P) - 1)]);
    this.chunkPos3 = build(P * P * P, CHUNK_COUNT, chunk, (v) => {
      const next = (v % P) - 1;
      const at = (Math.floor(v / P) % P) - 1;
      const previous = Math.floor(v / P / P) - 1;
      return [featureHash(120, 0), featureHash(121, at), featureHash(122, previous), featureHash(123, next),
        featureHash(126, previous, at), featureHash(127, at, next), featureHash(128, previous, at, next)];
    });
    this.chunkPos2 = build(P * P, CHUNK_COUNT, chunk, (v) => [featureHash(124, Math.floor(v / P) - 1), featureHash(125, (v % P) - 1)]);
    const C = CHUNK_COUNT + 1;
    this.chunkPrevious = build(C * C * POS_COUNT, CHUNK_COUNT, chunk, (v) => {
      const at = v % POS_COUNT;
      const c1 = (Math.floor(v / POS_COUNT) % C) - 1;
      const c2 = Math.floor(v / POS_COUNT / C) - 1;
      return [featureHash(131, c1), featureHash(132, c2, c1), featureHash(133, c1, at)];
    });
    this.edgeRows = this.rowsOf(EDGE, EDGE, EDGE, EDGE, EDGE);
  }

  static fromFile(file: PhraseModelFile): PhraseTagger {
    if (file.version !== 2 || file.partsOfSpeech.join() !== PARTS_OF_SPEECH.join() || file.chunks.join() !== CHUNKS.join()) {
      throw new Error('models/phrases.json.gz does not match this version of the phrase tagger; run `npm run train:phrases`');
    }
    const dictionary = tagDictionary(decodeBase64(file.dictionary.words, (b) => new Int32Array(b)), decodeBase64(file.dictionary.tags, (b) => new Uint8Array(b)));
    return new PhraseTagger(WeightTable.fromStored(file.pos, POS_COUNT), WeightTable.fromStored(file.chunk, CHUNK_COUNT), dictionary);
  }

  /**
   * A word's part-of-speech rows as itself, as the word before, after, two
   * before and two after, then its chunk row as itself, then its dictionary
   * tag + 1 (0: not in the dictionary).
   */
  private rowsOf(word: number, suffix1: number, suffix2: number, suffix3: number, self: number): Int32Array {
    const rows = new Int32Array(DICTIONARY_SLOT + 1);
    if (self !== EDGE) {
      rows[DICTIONARY_SLOT] = (this.dictionary.get(word) ?? -1) + 1;
      this.pos.addRow(featureHash(101, word), rows, 0);
      this.pos.addRow(featureHash(102, suffix1), rows, 0);
      this.pos.addRow(featureHash(103, suffix2), rows, 0);
      this.pos.addRow(featureHash(104, suffix3), rows, 0);
      this.chunk.addRow(featureHash(129, word), rows, 5 * POS_COUNT);
    }
    this.pos.addRow(featureHash(106, word), rows, POS_COUNT);
    this.pos.addRow(featureHash(110, suffix3), rows, POS_COUNT);
    this.pos.addRow(featureHash(107, word), rows, 2 * POS_COUNT);
    this.pos.addRow(featureHash(111, suffix3), rows, 2 * POS_COUNT);
    this.pos.addRow(featureHash(108, word), rows, 3 * POS_COUNT);
    this.pos.addRow(featureHash(109, word), rows, 4 * POS_COUNT);
    return rows;
  }

  private wordRows(w: PhraseWord): Int32Array {
    let rows = this.words.get(w.word);
    if (rows) return rows;
    rows = this.rowsOf(w.word, w.suffix1, w.suffix2, w.suffix3, w.word);
    // Bounded: a long-running process sees an open vocabulary.
    if (this.words.size >= WORD_CACHE_LIMIT) this.words.clear();
    this.words.set(w.word, rows);
    return rows;
  }

  /** Part-of-speech and chunk indices of a sentence's words. */
  tag(words: PhraseWord[]): { pos: Uint8Array; chunks: Uint8Array } {
    const n = words.length;
    const rows: Int32Array[] = new Array(n);
    for (let i = 0; i < n; i++) rows[i] = this.wordRows(words[i]);
    const pos = this.partsOfSpeech(words, rows);
    return { pos, chunks: this.chunks(words, rows, pos) };
  }

  /** The greedy part-of-speech pass: a word's seven dense rows summed in one loop, then its one hashed feature. */
  private partsOfSpeech(words: PhraseWord[], rows: Int32Array[]): Uint8Array {
    const n = words.length;
    const pos = new Uint8Array(n);
    const edge = this.edgeRows;
    const { posShapes, posPrevious } = this;
    const scores = new Int32Array(POS_COUNT);
    const P = POS_COUNT + 1;
    for (let i = 0; i < n; i++) {
      const self = rows[i];
      if (self[DICTIONARY_SLOT] > 0) {
        pos[i] = self[DICTIONARY_SLOT] - 1;
        continue;
      }
      const before = i > 0 ? rows[i - 1] : edge;
      const after = i + 1 < n ? rows[i + 1] : edge;
      const before2 = i > 1 ? rows[i - 2] : edge;
      const after2 = i + 2 < n ? rows[i + 2] : edge;
      const shapes = (words[i].shape * SHAPE_VALUES + (i > 0 ? words[i - 1].shape : 0)) * SHAPE_VALUES + (i + 1 < n ? words[i + 1].shape : 0);
      const shapeAt = (shapes * 2 + (i === 0 ? 1 : 0)) * POS_COUNT;
      const p1 = i > 0 ? pos[i - 1] : -1;
      const previousAt = (((i > 1 ? pos[i - 2] : -1) + 1) * P + p1 + 1) * POS_COUNT;
      for (let k = 0; k < POS_COUNT; k++) {
        scores[k] = self[k] + before[POS_COUNT + k] + after[2 * POS_COUNT + k] + before2[3 * POS_COUNT + k] + after2[4 * POS_COUNT + k] +
          posShapes[shapeAt + k] + posPrevious[previousAt + k];
      }
      this.pos.addRow(featureHash(115, p1, words[i].word), scores, 0);
      pos[i] = best(scores, POS_COUNT);
    }
    return pos;
  }

  /** The greedy chunk pass over the parts of speech. */
  private chunks(words: PhraseWord[], rows: Int32Array[], pos: Uint8Array): Uint8Array {
    const n = words.length;
    const chunks = new Uint8Array(n);
    const { chunkPos3, chunkPos2, chunkPrevious } = this;
    const scores = new Int32Array(CHUNK_COUNT);
    const P = POS_COUNT + 1;
    const C = CHUNK_COUNT + 1;
    const ownChunk = 5 * POS_COUNT;
    for (let i = 0; i < n; i++) {
      const p = pos[i];
      const before = i > 0 ? pos[i - 1] : -1;
      const after = i + 1 < n ? pos[i + 1] : -1;
      const at3 = (((before + 1) * P + p + 1) * P + after + 1) * CHUNK_COUNT;
      const at2 = (((i > 1 ? pos[i - 2] : -1) + 1) * P + (i + 2 < n ? pos[i + 2] : -1) + 1) * CHUNK_COUNT;
      const c1 = i > 0 ? chunks[i - 1] : -1;
      const previousAt = ((((i > 1 ? chunks[i - 2] : -1) + 1) * C + c1 + 1) * POS_COUNT + p) * CHUNK_COUNT;
      const self = rows[i];
      for (let k = 0; k < CHUNK_COUNT; k++) scores[k] = chunkPos3[at3 + k] + chunkPos2[at2 + k] + self[ownChunk + k] + chunkPrevious[previousAt + k];
      this.chunk.addRow(featureHash(130, i > 0 ? words[i - 1].word : EDGE, p), scores, 0);
      let top = -1;
      const follows = (c1 + 1) * CHUNK_COUNT;
      for (let k = 0; k < CHUNK_COUNT; k++) if (CHUNK_FOLLOWS[follows + k] && (top < 0 || scores[k] > scores[top])) top = k;
      chunks[i] = top;
    }
    return chunks;
  }
}

let loaded: PhraseTagger | null | undefined;

/**
 * Makes the analysis use the phrase model in `file` (a model written by
 * `scripts/train-phrases.ts --out`), or none with null, as when
 * models/phrases.json.gz is missing; undefined goes back to that file.
 */
export function usePhraseModel(file: string | URL | null | undefined): void {
  loaded = file === undefined ? undefined : file === null ? null : PhraseTagger.fromFile(readModel<PhraseModelFile>(file));
}

/** The phrase tagger from models/phrases.json.gz, read on first use; null when the file is missing. */
export function phraseTagger(): PhraseTagger | null {
  if (loaded === undefined) {
    const file = readModelIfPresent<PhraseModelFile>('phrases.json.gz');
    loaded = file && PhraseTagger.fromFile(file);
  }
  return loaded;
}
