/**
 * The clusterer's terms as small integers: each term string is interned once
 * (`id`), and what the clusterer keeps per term — its document frequency and
 * `log(df + 1)`, scratch marks — lives in typed arrays indexed by id. Ids of
 * terms that no longer have a document frequency and that nothing refers to
 * are recycled by `collect`, so the vocabulary stays bounded on an endless
 * stream.
 */
export class Vocabulary {
  private readonly ids = new Map<string, number>();
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
    let id = this.ids.get(term);
    if (id !== undefined) return id;
    id = this.free.pop() ?? this.terms.length;
    if (id === this.terms.length) {
      this.terms.push(term);
      if (id >= this.df.length) this.grow(this.df.length * 2);
    } else {
      this.terms[id] = term;
    }
    this.ids.set(term, id);
    return id;
  }

  /** The id of `term`, or -1 when it is not interned. */
  find(term: string): number {
    return this.ids.get(term) ?? -1;
  }

  /** Ids handed out so far (free ones included): the bound of every id. */
  get capacity(): number {
    return this.terms.length;
  }

  /** Interned terms (free ids excluded). */
  get size(): number {
    return this.ids.size;
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
      if (this.df[id] !== 0) continue;
      const term = this.terms[id]!;
      // A free id's term is '' and no longer maps to it.
      if (this.ids.get(term) !== id || referenced(id)) continue;
      this.ids.delete(term);
      this.terms[id] = '';
      this.stampA[id] = 0;
      this.stampB[id] = 0;
      this.free.push(id);
      freed++;
    }
    return freed;
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
