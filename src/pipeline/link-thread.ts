/**
 * The linker on a thread of its own. Linking needs only each article's
 * prepared text (shingle signature, sentence features, vocabulary) and a few
 * facts for the direction of a link, and its links are needed only when a
 * chunk of stories is saved; so while the main thread clusters article n, this
 * thread links it or an article close behind. Articles are linked in the order
 * they are sent, which is the order the in-thread linker would see them: the
 * links are the same (test/pipeline/link-thread.test.ts).
 */
import type { Worker } from 'node:worker_threads';
import type { Link, LinkableArticle, PreparedText } from '../link/index.js';
import type { StoredLink } from '../store/index.js';
import { startWorker } from './pool.js';

/** What the linker keeps of an article besides its prepared text (no text). */
export type LinkMeta = Pick<LinkableArticle, 'id' | 'published' | 'outlet' | 'provenance'>;

/**
 * `add`: link each article with what the linker holds, then keep it;
 * `remember`: keep them only (already linked). The typed arrays of the
 * articles' prepared texts (the content words stay behind) travel as one
 * buffer, transferred: for each article in turn its shingle signature,
 * sentence features, sentence bounds and vocabulary, of the lengths in
 * `lengths` (four per article). One buffer instead of four per article: each
 * typed array cloned costs the sender and the receiver an allocation.
 */
export interface LinkRequest {
  kind: 'add' | 'remember';
  metas: LinkMeta[];
  lengths: Uint32Array;
  data: Uint32Array;
}

/** The prepared texts of a request, as views into its buffer (no copy). */
export function unpackRequest(request: LinkRequest): PreparedText[] {
  const out: PreparedText[] = [];
  let at = 0;
  const next = (length: number) => request.data.subarray(at, (at += length));
  for (let i = 0; i < request.metas.length; i++) {
    const shingles = next(request.lengths[4 * i]!);
    const features = next(request.lengths[4 * i + 1]!);
    const bounds = next(request.lengths[4 * i + 2]!);
    out.push({ shingles, content: '', sentences: { features, bounds }, vocabulary: next(request.lengths[4 * i + 3]!) });
  }
  return out;
}

/** One reply per request, in order: each item's links (empty for `remember`), or what went wrong. */
export type LinkReply = { links: StoredLink[][] } | { error: string };

/**
 * Articles sent in one message. A message costs the sender a fixed share of
 * its time whatever it holds (see pool.ts), and nothing waits for a single
 * article's links.
 */
const BATCH = 32;

interface Waiting {
  resolve: (links: StoredLink[]) => void;
  reject: (error: Error) => void;
}

export class LinkThread {
  private readonly worker: Worker;
  /** Articles waiting to be sent, all of `batchKind`. */
  private batch: Array<{ meta: LinkMeta; prepared: PreparedText }> = [];
  private batchKind: LinkRequest['kind'] = 'add';
  private batchWaiting: Waiting[] = [];
  /** Per request sent and not answered yet, in order: who waits for each item's links. */
  private readonly sent: Waiting[][] = [];
  private failure: Error | null = null;
  private flushScheduled = false;

  constructor() {
    this.worker = startWorker('link-worker');
    this.worker.on('message', (reply: LinkReply) => {
      const waiting = this.sent.shift() ?? [];
      if ('error' in reply) {
        this.fail(new Error(`linking failed in the linker thread: ${reply.error}`), waiting);
        return;
      }
      waiting.forEach((w, i) => w.resolve(reply.links[i] ?? []));
    });
    this.worker.on('error', (error) => this.fail(error, []));
  }

  /** Links `input` with the articles sent before it, then keeps it; resolves to its links. */
  add(input: LinkMeta, prepared: PreparedText): Promise<StoredLink[]> {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => this.push('add', input, prepared, { resolve, reject }));
  }

  /** Keeps an article already linked (a warm start), so later arrivals are compared with it. */
  remember(input: LinkMeta, prepared: PreparedText): void {
    if (!this.failure) this.push('remember', input, prepared, { resolve: () => {}, reject: () => {} });
  }

  private push(kind: LinkRequest['kind'], input: LinkMeta, prepared: PreparedText, waiting: Waiting): void {
    if (kind !== this.batchKind) this.flush();
    this.batchKind = kind;
    const meta: LinkMeta = { id: input.id, published: input.published, outlet: input.outlet, provenance: input.provenance };
    this.batch.push({ meta, prepared });
    this.batchWaiting.push(waiting);
    if (this.batch.length >= BATCH) this.flush();
    else if (!this.flushScheduled) {
      this.flushScheduled = true;
      setImmediate(() => this.flush());
    }
  }

  private flush(): void {
    this.flushScheduled = false;
    if (this.batch.length === 0) return;
    const lengths = new Uint32Array(4 * this.batch.length);
    let size = 0;
    this.batch.forEach(({ prepared: { shingles, sentences, vocabulary } }, i) => {
      lengths.set([shingles.length, sentences.features.length, sentences.bounds.length, vocabulary.length], 4 * i);
      size += shingles.length + sentences.features.length + sentences.bounds.length + vocabulary.length;
    });
    const data = new Uint32Array(size);
    let at = 0;
    for (const { prepared: { shingles, sentences, vocabulary } } of this.batch) {
      for (const array of [shingles, sentences.features, sentences.bounds, vocabulary]) {
        data.set(array, at);
        at += array.length;
      }
    }
    const request: LinkRequest = { kind: this.batchKind, metas: this.batch.map((b) => b.meta), lengths, data };
    this.worker.postMessage(request, [data.buffer as ArrayBuffer]);
    this.sent.push(this.batchWaiting);
    this.batch = [];
    this.batchWaiting = [];
  }

  private fail(error: Error, waiting: Waiting[]): void {
    this.failure ??= error;
    for (const w of [...waiting, ...this.sent.flat(), ...this.batchWaiting]) w.reject(this.failure);
    this.sent.length = 0;
    this.batch = [];
    this.batchWaiting = [];
  }

  async close(): Promise<void> {
    await this.worker.terminate();
  }
}

/** A link as the store keeps it (no sentence alignments). */
export function storedLink(link: Link | StoredLink): StoredLink {
  return { from: link.from, to: link.to, kind: link.kind, similarity: link.similarity, alignedShare: link.alignedShare };
}
