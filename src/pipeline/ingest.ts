/**
 * Ingestion: sources -> extract -> store, one document at a time. Problems
 * with one input never stop the others; every outcome is reported through
 * `onEvent` so a CLI can print progress and a summary.
 */
import { extract } from '../extract/index.js';
import { sha256 } from '../hash.js';
import { readSources, type SourceOptions } from '../sources/index.js';
import type { IngestOutcome, RawInput, Store } from '../store/index.js';
import type { Message, SourceDocument } from '../types.js';

export interface IngestSummary {
  ingested: number;
  duplicates: number;
  failed: number;
  /** Ids of the articles stored by this run, in input order. */
  articleIds: string[];
  messages: Message[];
}

export type IngestEvent =
  | { kind: 'file'; path: string; index: number; total: number }
  | { kind: 'document'; input: string; outcome: IngestOutcome; messages: Message[] }
  | { kind: 'rejected'; message: Message };

export interface IngestOptions extends SourceOptions {
  onEvent?: (event: IngestEvent) => void;
}

export async function ingestPaths(store: Store, inputs: string[], options: IngestOptions = {}): Promise<IngestSummary> {
  const summary: IngestSummary = { ingested: 0, duplicates: 0, failed: 0, articleIds: [], messages: [] };
  for await (const item of readSources(inputs, options)) {
    if ('file' in item) {
      options.onEvent?.({ kind: 'file', ...item.file });
      continue;
    }
    if ('message' in item) {
      summary.messages.push(item.message);
      if (item.message.severity === 'error') summary.failed++;
      options.onEvent?.({ kind: 'rejected', message: item.message });
      continue;
    }
    const { outcome, messages } = await ingestDocument(store, item.document);
    summary.messages.push(...messages);
    if (outcome.status === 'ingested') {
      summary.ingested++;
      summary.articleIds.push(outcome.articleId!);
    } else if (outcome.status === 'duplicate') summary.duplicates++;
    else summary.failed++;
    options.onEvent?.({ kind: 'document', input: item.document.input, outcome, messages });
  }
  return summary;
}

/** Stores one document: raw bytes always, the article when extraction found one. */
export async function ingestDocument(store: Store, document: SourceDocument): Promise<{ outcome: IngestOutcome; messages: Message[] }> {
  const hash = sha256(document.bytes);
  if (await store.hasRaw(hash)) {
    return { outcome: { status: 'duplicate', articleId: null, duplicateOf: 'raw' }, messages: [] };
  }
  const { article, messages } = extract(document);
  const outcome = await store.ingest(document, hash, article, messages);
  return { outcome, messages };
}

/**
 * Re-runs extraction over every stored raw input (after the extractor
 * improved). Articles whose text changed get new ids; their old analyses go.
 */
export async function reextractAll(store: Store, onEvent?: (event: IngestEvent) => void): Promise<IngestSummary> {
  const summary: IngestSummary = { ingested: 0, duplicates: 0, failed: 0, articleIds: [], messages: [] };
  for await (const raw of store.rawInputs()) {
    const { outcome, messages } = await reextractRaw(store, raw);
    summary.messages.push(...messages);
    if (outcome.status === 'ingested') { summary.ingested++; summary.articleIds.push(outcome.articleId!); }
    else if (outcome.status === 'duplicate') summary.duplicates++;
    else summary.failed++;
    onEvent?.({ kind: 'document', input: raw.input, outcome, messages });
  }
  return summary;
}

/** Re-runs extraction over one stored raw input and replaces its article. */
export async function reextractRaw(store: Store, raw: RawInput): Promise<{ outcome: IngestOutcome; messages: Message[] }> {
  const document: SourceDocument = { input: raw.input, bytes: raw.bytes, format: raw.format };
  if (raw.url) document.url = raw.url;
  if (raw.charset) document.charset = raw.charset;
  const { article, messages } = extract(document);
  const outcome = await store.replaceExtraction(raw.hash, article, messages);
  return { outcome, messages };
}
