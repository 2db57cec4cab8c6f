/**
 * Ingesting a WARC file: readWarc -> extract -> store, one record at a time,
 * with a resume point saved in the store as it goes. A run that is stopped
 * (Ctrl-C, a crash, a full disk) continues at the record it stopped at;
 * re-reading a record already stored is a no-op anyway (same raw bytes), so
 * the resume point only has to be at or before the first record not done.
 */
import { createReadStream } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import { sha256 } from '../hash.js';
import { readWarc } from '../sources/warc.js';
import type { Store } from '../store/index.js';
import type { Message } from '../types.js';
import { ingestDocument, type IngestEvent } from './ingest.js';

export interface WarcSummary {
  file: string;
  /** Records read in this run (all types). */
  records: number;
  ingested: number;
  duplicates: number;
  failed: number;
  /** Records that are not HTML pages (requests, metadata, images, redirects…). */
  skipped: number;
  /** Record index this run started at (0 unless it resumed). */
  resumedAt: number;
  /** True when the file was read to its end (false when stopped or corrupt). */
  complete: boolean;
  articleIds: string[];
  /** The first `MAX_KEPT_MESSAGES` messages (every one goes to `onEvent` as it happens). */
  messages: Message[];
  /** Messages beyond those kept. */
  moreMessages: number;
}

export interface WarcIngestOptions {
  maxBytes?: number;
  /** Stops after the record in hand; the resume point is saved. */
  signal?: AbortSignal;
  onEvent?: (event: IngestEvent) => void;
  onProgress?: (bytesRead: number, size: number) => void;
  /** Keep article ids in the summary (default true; off for very large files, so memory does not grow with the file). */
  keepIds?: boolean;
}

interface Checkpoint {
  /** sha256 of the file's first 64 KB: a different file at the same path starts over. */
  head: string;
  /** Records done, counted from the file start. */
  records: number;
  /** Offset of the last record done, when the file can be entered there. */
  offset: number | null;
  complete: boolean;
}

/** Messages kept in the summary: a large archive can have one per record, and memory must not grow with the file. */
const MAX_KEPT_MESSAGES = 1_000;

/** Saving the resume point costs one small transaction; every 200 records is negligible next to extraction. */
const CHECKPOINT_EVERY = 200;

export async function ingestWarc(store: Store, file: string, options: WarcIngestOptions = {}): Promise<WarcSummary> {
  const key = `warc:${await realpath(file)}`;
  const head = await fileHead(file);
  const saved = parseCheckpoint(await store.getCheckpoint(key));
  const resume = saved && saved.head === head ? saved : null;
  const summary: WarcSummary = {
    file, records: 0, ingested: 0, duplicates: 0, failed: 0, skipped: 0, resumedAt: resume?.records ?? 0, complete: false, articleIds: [], messages: [], moreMessages: 0,
  };
  const keep = (messages: Message[]) => {
    for (const m of messages) {
      if (summary.messages.length < MAX_KEPT_MESSAGES) summary.messages.push(m);
      else summary.moreMessages++;
    }
  };
  if (resume?.complete) {
    summary.complete = true;
    return summary;
  }
  // A seekable file is entered at the last record done, which is then skipped; otherwise read from the start, skipping what was done.
  const position = resume
    ? resume.offset !== null
      ? { startOffset: resume.offset, startIndex: resume.records - 1, skipRecords: 1 }
      : { skipRecords: resume.records }
    : {};
  let done: Checkpoint = resume ?? { head, records: 0, offset: null, complete: false };
  let sinceSave = 0;
  const save = (checkpoint: Checkpoint) => store.saveCheckpoint(key, JSON.stringify(checkpoint));

  let stopped = false;
  for await (const item of readWarc(file, { maxBytes: options.maxBytes, ...position })) {
    if ('progress' in item) {
      options.onProgress?.(item.progress.bytesRead, item.progress.size);
      if (options.signal?.aborted) { stopped = true; break; }
      continue;
    }
    summary.records++;
    if ('skipped' in item) summary.skipped++;
    else if ('message' in item) {
      keep([item.message]);
      if (item.message.severity === 'error') summary.failed++;
      options.onEvent?.({ kind: 'rejected', message: item.message });
      if (item.message.code === 'TRI_E031') { stopped = true; break; }
    } else {
      const { outcome, messages } = await ingestDocument(store, item.document);
      keep(messages);
      if (outcome.status === 'ingested') {
        summary.ingested++;
        if (options.keepIds ?? true) summary.articleIds.push(outcome.articleId!);
      } else if (outcome.status === 'duplicate') summary.duplicates++;
      else summary.failed++;
      options.onEvent?.({ kind: 'document', input: item.document.input, outcome, messages });
    }
    done = { head, records: item.position.index + 1, offset: item.position.offset, complete: false };
    if (++sinceSave >= CHECKPOINT_EVERY) {
      await save(done);
      sinceSave = 0;
    }
  }
  summary.complete = !stopped;
  await save({ ...done, complete: summary.complete });
  return summary;
}

async function fileHead(file: string): Promise<string> {
  const size = (await stat(file)).size;
  if (size === 0) return sha256('');
  const chunks: Buffer[] = [];
  for await (const chunk of createReadStream(file, { start: 0, end: Math.min(size, 65_536) - 1 })) chunks.push(chunk as Buffer);
  return sha256(Buffer.concat(chunks));
}

function parseCheckpoint(value: string | null): Checkpoint | null {
  if (!value) return null;
  try {
    return JSON.parse(value) as Checkpoint;
  } catch {
    return null;
  }
}
