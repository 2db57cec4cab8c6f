/**
 * WARC archives (Common Crawl's CC-NEWS layout: `response` records holding an
 * HTTP response with an HTML page), read as a stream with warcio: one record
 * in memory at a time, whatever the size of the file.
 *
 * Each HTML response becomes a `SourceDocument` whose bytes are the page as
 * the server sent it (transfer and content encodings undone), its URL the
 * record's target URI and its charset the HTTP header's. Other records
 * (requests, metadata, redirects, images, …) are counted as skipped.
 *
 * Resuming: every item carries the record's index and, when the file can be
 * entered in the middle, its byte offset. A plain `.warc` can; a `.warc.gz`
 * can when every record is its own gzip member (the WARC standard's advice,
 * which CC-NEWS follows) — the reader checks that offsets advance. Otherwise a
 * resume reads from the start and skips the records already done.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { WARCParser, type WARCRecord } from 'warcio';
import { message } from '../errors.js';
import type { Message, SourceDocument } from '../types.js';
import { DEFAULT_MAX_BYTES, formatBytes } from './index.js';

export interface WarcPosition {
  /** Index of the record in the file, from 0. */
  index: number;
  /** Byte offset of the record in the file, or null when the file cannot be entered there. */
  offset: number | null;
}

export type WarcItem =
  | { document: SourceDocument; position: WarcPosition }
  | { skipped: string; position: WarcPosition }
  | { message: Message; position: WarcPosition }
  /** Bytes of the file read so far (for progress); sent after every record. */
  | { progress: { bytesRead: number; size: number } };

export interface WarcReadOptions {
  maxBytes?: number;
  /** Start here: a record offset from an earlier run (seekable files only). */
  startOffset?: number;
  /** Skip this many records from where reading starts (the file start, or `startOffset`). */
  skipRecords?: number;
  /** Index of the record at `startOffset`, so positions stay counted from the file start. */
  startIndex?: number;
}

export function isWarcPath(name: string): boolean {
  return /\.warc(\.gz)?$/i.test(name);
}

const HTML_TYPES = /^(text\/html|application\/xhtml\+xml)\b/i;

/** Reads a WARC file record by record. Never throws for bad content: a corrupt tail ends the stream with a TRI_E031 message. */
export async function* readWarc(file: string, options: WarcReadOptions = {}): AsyncGenerator<WarcItem> {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  const size = (await stat(file)).size;
  const gzipped = /\.gz$/i.test(file);
  const startOffset = options.startOffset ?? 0;
  const stream = createReadStream(file, { start: startOffset, highWaterMark: 256 * 1024 });
  const parser = new WARCParser(stream);
  let index = options.startIndex ?? 0;
  let lastOffset = -1;
  // A gzip file is seekable only while each record starts past the previous one (one gzip member per record).
  let seekable = true;
  const toSkip = options.skipRecords ?? 0;
  let read = 0;
  try {
    for (;;) {
      let record: WARCRecord | null;
      try {
        record = await parser.parse();
      } catch (error) {
        yield { message: message('TRI_E031', file, `cannot read record ${index + 1}: ${(error as Error).message}`, startOffset + parser.offset), position: { index, offset: null } };
        return;
      }
      if (!record) break;
      const offset = startOffset + parser.offset;
      if (gzipped && offset <= lastOffset) seekable = false;
      lastOffset = offset;
      const position: WarcPosition = { index, offset: seekable ? offset : null };
      index++;
      if (!record.warcType) {
        yield { message: message('TRI_E031', file, `record ${index} has no WARC-Type: this is not a WARC file, or it is corrupt from here on`, offset), position };
        return;
      }
      if (++read <= toSkip) {
        await discard(record);
        continue;
      }
      const item = await readRecord(file, record, position, maxBytes);
      if (unread(record) > 0) {
        // The file ended inside this record (an interrupted download): nothing after it can be read.
        yield { message: message('TRI_E031', file, `the file ends inside record ${index}, ${unread(record)} bytes short`, offset), position };
        return;
      }
      yield item;
      yield { progress: { bytesRead: stream.bytesRead + startOffset, size } };
    }
  } finally {
    stream.destroy();
  }
}

/**
 * Reads past a record's content without keeping it. (warcio's skipFully waits
 * forever when the file ends inside the record; reading chunks ends with the file.)
 */
async function discard(record: WARCRecord): Promise<void> {
  for await (const chunk of record._reader) void chunk;
}

/** Bytes of the record's content the file did not hold (0 for a complete record). */
function unread(record: WARCRecord): number {
  const limit = (record._reader as { limit?: unknown }).limit;
  return typeof limit === 'number' ? Math.max(0, limit) : 0;
}

async function readRecord(file: string, record: WARCRecord, position: WarcPosition, maxBytes: number): Promise<WarcItem> {
  const type = record.warcType;
  const uri = record.warcTargetURI ?? null;
  const name = `${file}#${position.index + 1}${uri ? ` ${uri}` : ''}`;
  if (type !== 'response' && type !== 'resource') {
    await discard(record);
    return { skipped: `${type} record`, position };
  }
  let contentType: string | null;
  if (type === 'response') {
    const http = record.httpHeaders;
    if (!http) {
      await discard(record);
      return { message: message('TRI_W021', name, 'the response record has no readable HTTP headers'), position };
    }
    const status = Number(http.statusCode);
    if (!(status >= 200 && status < 300)) {
      await discard(record);
      return { skipped: `HTTP ${Number.isNaN(status) ? '?' : status}`, position };
    }
    contentType = http.headers.get('content-type') ?? null;
  } else {
    contentType = record.warcContentType ?? null;
  }
  if (!contentType || !HTML_TYPES.test(contentType.trim())) {
    await discard(record);
    return { skipped: contentType ? contentType.split(';')[0]!.trim().toLowerCase() : 'no content type', position };
  }
  if (record.warcContentLength > maxBytes * 2) {
    // The record is far over the limit even before decoding: do not read it into memory.
    await discard(record);
    return { message: message('TRI_E004', name, `the record is ${formatBytes(record.warcContentLength)}, over the ${formatBytes(maxBytes)} limit; pass --max-bytes to read it`), position };
  }
  let bytes: Uint8Array;
  try {
    bytes = await record.readFully(true);
  } catch (error) {
    return { message: message('TRI_W021', name, `the payload cannot be decoded: ${(error as Error).message}`), position };
  }
  if (bytes.length > maxBytes) {
    return { message: message('TRI_E004', name, `the page is ${formatBytes(bytes.length)}, over the ${formatBytes(maxBytes)} limit; pass --max-bytes to read it`), position };
  }
  const document: SourceDocument = { input: name, bytes, format: 'html' };
  if (uri) document.url = uri;
  const charset = /;\s*charset\s*=\s*"?([^";\s]+)/i.exec(contentType)?.[1];
  if (charset) document.charset = charset;
  return { document, position };
}

export interface WarcResponse {
  url: string;
  /** WARC-Date, ISO 8601. */
  date: string;
  body: Uint8Array | string;
  /** HTTP Content-Type (default `text/html; charset=utf-8`). */
  contentType?: string;
  /** HTTP status line (default `HTTP/1.1 200 OK`). */
  statusline?: string;
  /** WARC record type (default `response`). */
  type?: 'response' | 'request' | 'metadata' | 'resource';
}

/**
 * One WARC record as bytes (a gzip member when `gzip`), in the CC-NEWS
 * layout: WARC headers, then the HTTP response headers, then the body.
 * Concatenated records make a WARC file; tests and the WARC benchmark write
 * their archives with it.
 */
export async function serializeWarcRecord(response: WarcResponse, options: { gzip?: boolean } = {}): Promise<Uint8Array> {
  const { WARCRecord } = await import('warcio');
  const { WARCSerializer } = await import('warcio/node');
  const body = typeof response.body === 'string' ? new TextEncoder().encode(response.body) : response.body;
  const type = response.type ?? 'response';
  const http = type === 'response' || type === 'request';
  const record = WARCRecord.create({
    url: response.url,
    date: response.date,
    type,
    warcVersion: 'WARC/1.0',
    ...(http
      ? { statusline: response.statusline ?? (type === 'request' ? 'GET / HTTP/1.1' : 'HTTP/1.1 200 OK'), httpHeaders: type === 'request' ? { Host: new URL(response.url).host } : { 'Content-Type': response.contentType ?? 'text/html; charset=utf-8', 'Content-Length': String(body.length) } }
      : { warcHeaders: { 'Content-Type': response.contentType ?? 'application/octet-stream' } }),
  }, [body]);
  return WARCSerializer.serialize(record, { gzip: options.gzip ?? false });
}
