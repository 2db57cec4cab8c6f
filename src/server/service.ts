/**
 * What the API and the pages ask of the store, in one place: stories with
 * their contradiction counts, a story's current briefing and article texts,
 * one article with its analysis, and ingestion. Reads are cached by story
 * version (id, update time, size), so a cached page is never stale; writes go
 * through one queue so two uploads never cluster at the same time.
 */
import { gzipSync } from 'node:zlib';
import { diffBriefings, type BriefingDiff } from '../brief/diff.js';
import type { Briefing } from '../brief/types.js';
import { sha256 } from '../hash.js';
import { ingestUrl } from '../pipeline/fetch.js';
import { ingestDocument } from '../pipeline/ingest.js';
import { processPending, refreshBriefing } from '../pipeline/process.js';
import type { Analysis } from '../analyze/types.js';
import { analysisJson, type AnalysisJson } from '../present/analysis.js';
import type { ReportSource } from '../present/components.js';
import { articleRevisions, type ArticleRevisions } from '../present/revisions.js';
import { documentsFromNamedBytes, type Fetcher } from '../sources/index.js';
import type { IngestStatus, Store, StoryQuery, StoryRecord } from '../store/index.js';
import type { Article, Message, SourceDocument } from '../types.js';

export interface StorySummary extends StoryRecord {
  contradictionCount: number;
}

/** A response body encoded once and kept, with its gzip form for clients that accept it. */
export interface EncodedBody {
  raw: Buffer;
  gzip: Buffer;
}

export function encodeBody(text: string): EncodedBody {
  const raw = Buffer.from(text);
  return { raw, gzip: gzipSync(raw, { level: 6 }) };
}

export interface StoryView {
  story: StoryRecord;
  briefing: Briefing;
  /** The briefing document exactly as `brief --format json` prints it, encoded once for every request that sends it. */
  json: EncodedBody;
  sources: Map<string, ReportSource>;
}

export interface ArticleView {
  article: Article;
  analysis: Analysis | null;
  analysisJson: AnalysisJson | null;
  /** The story the article belongs to, once clustered. */
  story: string | null;
  /** Its page's fetches and what the last change removed and added (src/present/revisions.ts). */
  revisions: ArticleRevisions;
}

export interface IngestResult {
  ingested: number;
  duplicates: number;
  failed: number;
  documents: Array<{ input: string; status: IngestStatus; article: string | null; story: string | null }>;
  stories: string[];
  messages: Message[];
}

/** One input as it reached the server: documents to store, or the messages that refused it. */
export type Received = { document: SourceDocument } | { message: Message };

/** Stories views kept in memory; each is a few hundred kilobytes for a large story. */
const VIEW_CACHE = 64;
/**
 * Story list pages are reused for this long. This server's own writes clear
 * them at once; another process writing the same database (a `triangulate
 * ingest` run) shows up within this delay. It turns a list under load from a
 * query per request into a query per page per second (bench/serve.ts).
 */
const PAGE_TTL_MS = 1_000;
const PAGE_CACHE = 1_000;

export class StoryService {
  private readonly views = new Map<string, StoryView>();
  private readonly contradictionCounts = new Map<string, number>();
  private readonly pages = new Map<string, { until: number; page: { stories: StorySummary[]; next: number | null } }>();
  private queue: Promise<unknown> = Promise.resolve();

  constructor(readonly store: Store) {}

  /** Runs `fn` after every write queued before it: one writer at a time. */
  private exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.queue.then(fn, fn);
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** One page of stories plus whether there is another (one extra row is read to know). */
  async listStories(query: StoryQuery & { limit: number; offset: number }): Promise<{ stories: StorySummary[]; next: number | null }> {
    const key = JSON.stringify(query);
    const now = Date.now();
    const cached = this.pages.get(key);
    if (cached && cached.until > now) return cached.page;
    const page = await this.readStories(query);
    if (this.pages.size >= PAGE_CACHE) this.pages.clear();
    this.pages.set(key, { until: now + PAGE_TTL_MS, page });
    return page;
  }

  private async readStories(query: StoryQuery & { limit: number; offset: number }): Promise<{ stories: StorySummary[]; next: number | null }> {
    const rows = await this.store.listStories({ ...query, limit: query.limit + 1 });
    const page = rows.slice(0, query.limit);
    const stories: StorySummary[] = [];
    for (const story of page) stories.push({ ...story, contradictionCount: await this.contradictionCount(story) });
    return { stories, next: rows.length > query.limit ? query.offset + query.limit : null };
  }

  private async contradictionCount(story: StoryRecord): Promise<number> {
    const key = versionKey(story);
    const cached = this.contradictionCounts.get(key) ?? this.views.get(key)?.briefing.contradictions.length;
    if (cached !== undefined) return cached;
    const saved = await this.store.getBriefing(story.id);
    // A briefing built before the story last grew still counts; the story page rebuilds it.
    const count = saved ? (JSON.parse(saved.data) as Briefing).contradictions.length : 0;
    if (this.contradictionCounts.size > 10_000) this.contradictionCounts.clear();
    this.contradictionCounts.set(key, count);
    return count;
  }

  /** A story's current briefing and article texts; null when no story has that id. */
  async storyView(id: string): Promise<StoryView | null> {
    const story = await this.store.getStory(id);
    if (!story) return null;
    const key = versionKey(story);
    const cached = this.views.get(key);
    if (cached) {
      // Least recently used goes first when the cache is full.
      this.views.delete(key);
      this.views.set(key, cached);
      return cached;
    }
    const saved = await this.store.getBriefing(story.id);
    // Current when built after the story's last change; counts cannot tell (a revised page stays a member beside its revision).
    let briefing: Briefing | null = saved && saved.builtAt >= story.updatedAt ? (JSON.parse(saved.data) as Briefing) : null;
    briefing ??= await this.exclusive(() => refreshBriefing(this.store, story.id));
    if (!briefing) return null;
    const sources = new Map<string, ReportSource>();
    for (const a of briefing.articles) {
      const [article, analysis] = [await this.store.getArticle(a.id), await this.store.getAnalysis(a.id)];
      if (article && analysis) sources.set(a.id, { id: a.id, text: article.text, sentences: analysis.analysis.sentences.map((s) => s.span) });
    }
    const view: StoryView = { story, briefing, json: encodeBody(`{"stories":[${JSON.stringify(briefing)}]}`), sources };
    this.views.set(key, view);
    if (this.views.size > VIEW_CACHE) this.views.delete(this.views.keys().next().value!);
    return view;
  }

  async articleView(id: string): Promise<ArticleView | null> {
    const article = await this.store.getArticle(id);
    if (!article) return null;
    const analysis = (await this.store.getAnalysis(id))?.analysis ?? null;
    const story = (await this.store.storiesOf([id])).get(id) ?? null;
    return { article, analysis, analysisJson: analysis ? analysisJson(article, analysis) : null, story, revisions: await articleRevisions(this.store, article) };
  }

  /**
   * What changed in a story since `since` (an ISO time): the current briefing
   * against the latest one built at or before then (none: everything is new),
   * as `brief STORY --since` computes it. Null when no story has that id.
   */
  async storyChanges(id: string, since: string): Promise<{ view: StoryView; diff: BriefingDiff } | null> {
    const view = await this.storyView(id);
    if (!view) return null;
    const earlier = await this.store.getBriefing(view.story.id, since);
    return { view, diff: diffBriefings(earlier ? (JSON.parse(earlier.data) as Briefing) : null, view.briefing, earlier?.builtAt ?? null) };
  }

  /**
   * Stores the received documents, then analyses, links and clusters them and
   * rebuilds the briefings of the stories they changed (src/pipeline, as the
   * CLI does), all in the write queue.
   */
  ingest(received: Received[]): Promise<IngestResult> {
    return this.exclusive(async () => {
      const result = emptyResult();
      for (const item of received) {
        if ('message' in item) {
          result.messages.push(item.message);
          if (item.message.severity === 'error') {
            result.failed++;
            result.documents.push({ input: item.message.input, status: 'failed', article: null, story: null });
          }
          continue;
        }
        const { outcome, messages } = await ingestDocument(this.store, item.document);
        result.messages.push(...messages);
        count(result, item.document.input, outcome.status, outcome.articleId);
      }
      return this.process(result);
    });
  }

  /**
   * Fetches a submitted URL and stores it through src/pipeline/fetch.ts (the
   * safe fetcher; validators and revisions kept as `ingest URL` keeps them).
   * The fetch runs outside the write queue so a slow site holds up no other
   * write; analysis and clustering run in it.
   */
  async ingestUrl(fetcher: Fetcher, url: string, signal?: AbortSignal): Promise<IngestResult> {
    const fetched = await ingestUrl(this.store, fetcher, url, signal ? { signal } : {});
    const result = emptyResult();
    result.messages.push(...fetched.messages);
    count(result, url, fetched.status === 'failed' ? 'failed' : fetched.status === 'unchanged' ? 'duplicate' : 'ingested', fetched.articleId);
    return this.exclusive(() => this.process(result));
  }

  /** Analysis, linking, clustering and briefings for what was stored; then each document's story. */
  private async process(result: IngestResult): Promise<IngestResult> {
    if (result.ingested > 0) {
      // Few articles per request: analysing in this thread beats starting workers.
      const processed = await processPending(this.store, { workers: 0 });
      result.stories = processed.stories;
      this.pages.clear();
    }
    const ids = result.documents.map((d) => d.article).filter((id): id is string => id !== null);
    const storyOf = await this.store.storiesOf(ids);
    for (const d of result.documents) if (d.article) d.story = storyOf.get(d.article) ?? null;
    return result;
  }
}

function emptyResult(): IngestResult {
  return { ingested: 0, duplicates: 0, failed: 0, documents: [], stories: [], messages: [] };
}

function count(result: IngestResult, input: string, status: IngestStatus, article: string | null): void {
  result[status === 'ingested' ? 'ingested' : status === 'duplicate' ? 'duplicates' : 'failed']++;
  result.documents.push({ input, status, article, story: null });
}

function versionKey(story: StoryRecord): string {
  return `${story.id}\u0000${story.updatedAt}\u0000${story.articleCount}`;
}

/**
 * An uploaded file as documents, read as a file of that name on disk would be
 * (src/sources: format from the name, `.gz` decompressed within the limit,
 * JSON Lines split).
 */
export async function receiveUpload(name: string, bytes: Uint8Array, maxBytes: number): Promise<Received[]> {
  const out: Received[] = [];
  for await (const item of documentsFromNamedBytes(name, bytes, { maxBytes, tooLargeHint: 'split it, or start the server with a larger --max-upload' })) {
    if ('document' in item || 'message' in item) out.push(item);
  }
  return out;
}

export interface PastedArticle {
  text: string;
  title?: string;
  url?: string;
  outlet?: string;
  published?: string;
}

/**
 * Pasted text becomes a JSON record, the format that carries a title, URL,
 * outlet and date with the text; the record is what the store keeps as raw input.
 */
export function receivePaste(pasted: PastedArticle): Received {
  const record = Object.fromEntries(Object.entries(pasted).filter(([, v]) => typeof v === 'string' && v.trim() !== '').map(([k, v]) => [k, (v as string).trim()]));
  const bytes = new TextEncoder().encode(JSON.stringify(record));
  return { document: { input: `pasted ${pasted.title?.trim() ? `"${pasted.title.trim().slice(0, 60)}"` : `text ${sha256(bytes).slice(0, 8)}`}`, bytes, format: 'json' } };
}
