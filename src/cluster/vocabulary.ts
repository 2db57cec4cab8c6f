import { mix32 } from '../link/hash.js';

/**
 * The clusterer's terms as small integers: each term string is interned once
 * (`id`, `idOf`), and what the clusterer keeps per term — its document
 * frequency and `log(df + 1)`, scratch marks — lives in typed arrays indexed
 * by id. Ids of terms that no longer have a document frequency and that
 * nothing refers to are recycled by `collect`, so the vocabulary stays
 * bounded on an endless stream.
 *
 * Interning is an open-addressing table over typed arrays keyed by two 32-bit
 * hashes of the term (`probe`), not a `Map<string, number>`: a term is looked
 * up where it lies in a longer string (an article's content words joined by
 * spaces), so no string is cut out or hashed by V8 for it, and the stored
 * strings are never read to find one. Near the 300,000-term cap a Map lookup
 * per content word cost the pipeline's main thread about a third of a
 * millisecond per article.
 */
export class Vocabulary {
  /** (hash, check hash, id + 1, unused) by slot (id + 1 = 0: empty), linear probing; a power of two slots, at most half full. */
  private table = new Int32Array(4 << 12);
  private shift = 32 - 12;
  /** Interned terms (free ids excluded). */
  private interned = 0;
  /** Id → term ('' for a free id). */
  readonly terms: string[] = [];
  /** Document frequency by id (0: none). */
  df = new Int32Array(1024);
  /** `log(df + 1)` by id (0 when df is 0). */
  dfLog = new Float64Array(1024);
  /** General-purpose per-id stamps for the clusterer's scratch work (see StoryClusterer). */
  stampA = new Int32Array(1024);
  stampB = new Int32Array(1024);
  /** Per-id scratch numbers (an article's term counts). */
  scratch = new Float64Array(1024);
  /** When each id's current document frequency was first set (its place in the order frequencies are listed, as a Map would keep them). */
  dfSince = new Float64Array(1024);
  /** Ids with a document frequency. */
  withDf = 0;
  private dfSets = 0;
  private readonly free: number[] = [];

  /** The id of `term`, interning it when new. */
  id(term: string): number {
    return this.idOf(term, 0, term.length);
  }

  /** The id of the term `text[start, end)`, interning it when new: the term is cut out of `text` only then. */
  idOf(text: string, start: number, end: number): number {
    const h = this.probe(text, start, end);
    const table = this.table;
    if (table[4 * h + 2] !== 0) return table[4 * h + 2]! - 1;
    const id = this.free.pop() ?? this.terms.length;
    const term = start === 0 && end === text.length ? text : text.slice(start, end);
    if (id === this.terms.length) {
      this.terms.push(term);
      if (id >= this.df.length) this.grow(this.df.length * 2);
    } else {
      this.terms[id] = term;
    }
    table[4 * h] = this.hash;
    table[4 * h + 1] = this.check;
    table[4 * h + 2] = id + 1;
    if (++this.interned * 8 > table.length) this.rehash(table.length >> 1);
    return id;
  }

  /** The id of `term`, or -1 when it is not interned. */
  find(term: string): number {
    return this.table[4 * this.probe(term, 0, term.length) + 2]! - 1;
  }

  /** Hashes of the last term probed. */
  private hash = 0;
  private check = 0;

  /**
   * The slot of the term `text[start, end)`, or of the empty slot where it
   * would go. A term is known by two 32-bit hashes (FNV-1a, and the same walk
   * with another basis and multiplier, its length mixed in), not by comparing
   * strings: a probe reads one place in memory, never the term. Two terms
   * are mistaken for one only when both hashes agree: about one chance in
   * 40 million over a run that sees a million distinct terms.
   */
  private probe(text: string, start: number, end: number): number {
    let a = 0x811c9dc5 | 0;
    let b = 0x2545f491 | 0;
    for (let i = start; i < end; i++) {
      const c = text.charCodeAt(i);
      a = Math.imul(a ^ c, 0x01000193);
      b = Math.imul(b ^ c, 0x5bd1e995);
    }
    const hash = (this.hash = mix32(a) | 0);
    const check = (this.check = mix32(b ^ (end - start)) | 0);
    const table = this.table;
    const mask = (table.length >> 2) - 1;
    for (let h = hash >>> this.shift; ; h = (h + 1) & mask) {
      if (table[4 * h + 2] === 0 || (table[4 * h] === hash && table[4 * h + 1] === check)) return h;
    }
  }

  /** Ids handed out so far (free ones included): the bound of every id. */
  get capacity(): number {
    return this.terms.length;
  }

  /** Interned terms (free ids excluded). */
  get size(): number {
    return this.interned;
  }

  /** Sets a document frequency (`log` as the caller computes it; 0 forgets it). */
  setDf(id: number, n: number, log: number): void {
    if (n > 0 && this.df[id] === 0) {
      this.withDf++;
      this.dfSince[id] = ++this.dfSets;
    } else if (n === 0 && this.df[id]! > 0) this.withDf--;
    this.df[id] = n;
    this.dfLog[id] = n === 0 ? 0 : log;
  }

  /**
   * Ids with a document frequency, in the order their frequencies were first
   * set (a forgotten term seen again comes last), as the string-keyed
   * clusterer's Map listed them: the saved state keeps its order.
   */
  withDfInOrder(): Int32Array {
    const out = new Int32Array(this.withDf);
    let count = 0;
    let sorted = true;
    let previous = 0;
    for (let id = 0; id < this.terms.length; id++) {
      if (this.df[id] === 0) continue;
      out[count++] = id;
      if (this.dfSince[id]! < previous) sorted = false;
      previous = this.dfSince[id]!;
    }
    if (!sorted) out.sort((a, b) => this.dfSince[a]! - this.dfSince[b]!);
    return out;
  }

  /**
   * Frees the ids without a document frequency for which `referenced` is
   * false; returns how many were freed. Stamps of freed ids are reset.
   */
  collect(referenced: (id: number) => boolean): number {
    let freed = 0;
    for (let id = 0; id < this.terms.length; id++) {
      // A free id's term is ''.
      if (this.df[id] !== 0 || this.terms[id] === '' || referenced(id)) continue;
      this.terms[id] = '';
      this.stampA[id] = 0;
      this.stampB[id] = 0;
      this.free.push(id);
      freed++;
    }
    this.interned -= freed;
    if (freed > 0) this.rehash(this.table.length >> 2);
    return freed;
  }

  /** Rebuilds the table at `slots` slots, without the ids freed since it was built. */
  private rehash(slots: number): void {
    const old = this.table;
    const table = new Int32Array(4 * slots);
    const shift = 32 - Math.log2(slots);
    const mask = slots - 1;
    for (let i = 0; i < old.length; i += 4) {
      const entry = old[i + 2]!;
      if (entry === 0 || this.terms[entry - 1] === '') continue;
      let h = old[i]! >>> shift;
      while (table[4 * h + 2] !== 0) h = (h + 1) & mask;
      table.set(old.subarray(i, i + 4), 4 * h);
    }
    this.table = table;
    this.shift = shift;
  }

  private grow(length: number): void {
    const grow32 = (a: Int32Array) => {
      const b = new Int32Array(length);
      b.set(a);
      return b;
    };
    const grow64 = (a: Float64Array) => {
      const b = new Float64Array(length);
      b.set(a);
      return b;
    };
    this.df = grow32(this.df);
    this.dfLog = grow64(this.dfLog);
    this.stampA = grow32(this.stampA);
    this.stampB = grow32(this.stampB);
    this.scratch = grow64(this.scratch);
    this.dfSince = grow64(this.dfSince);
  }
}
