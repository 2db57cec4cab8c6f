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

/** One article as sent to the thread: its facts and the typed arrays of its prepared text (the content words stay behind). */
export interface LinkItem {
  meta: LinkMeta;
  shingles: Uint32Array;
  features: Uint32Array;
  bounds: Uint32Array;
  vocabulary: Uint32Array;
}

/** `add`: link each item with what the linker holds, then keep it; `remember`: keep them only (already linked). */
export interface LinkRequest {
  kind: 'add' | 'remember';
  items: LinkItem[];
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
  /** Items waiting to be sent, all of `batchKind`. */
  private batch: LinkItem[] = [];
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
    const { shingles, sentences, vocabulary } = prepared;
    const meta: LinkMeta = { id: input.id, published: input.published, outlet: input.outlet, provenance: input.provenance };
    this.batch.push({ meta, shingles, features: sentences.features, bounds: sentences.bounds, vocabulary });
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
    // Copied, not transferred: the caller may still hold the arrays, and a few kilobytes copy as fast as they detach.
    this.worker.postMessage({ kind: this.batchKind, items: this.batch } satisfies LinkRequest);
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
