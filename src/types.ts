/**
 * Types shared by every stage. Data flows one way:
 * sources -> extract -> analyze -> link -> cluster -> brief -> present,
 * with the store underneath. Each stage has its own `index.ts`; this file
 * holds only what crosses stage boundaries.
 */

/** `[start, end)` character offsets into an article's extracted `text`. */
export type Span = [start: number, end: number];

export type Severity = 'error' | 'warning' | 'info';

/**
 * A problem found in content. Stages return these instead of throwing;
 * exceptions are reserved for bugs and I/O failures.
 */
export interface Message {
  /** The input the problem belongs to: a path, `path:line` for a JSON line, a URL, or `-`. */
  input: string;
  /** Byte or character offset inside the input, when one is meaningful. */
  offset?: number;
  /** Stable code from `src/errors.ts` (`TRI_E…` for errors, `TRI_W…` for warnings). */
  code: string;
  /** What is wrong and what to do about it, in one sentence a person can act on. */
  reason: string;
  severity: Severity;
}

export type SourceFormat = 'html' | 'text' | 'json';

/**
 * One document as it arrived: a file, one JSON line, a fetched page, a WARC record.
 * `bytes` are kept verbatim in the store so extraction can be re-run later.
 */
export interface SourceDocument {
  /** Human-readable name of where it came from (path, `path:line`, URL, `-`). */
  input: string;
  bytes: Uint8Array;
  format: SourceFormat;
  /** Content-Type charset from a transport (HTTP, WARC), when known. */
  charset?: string;
  /** URL the document was fetched from, when known. */
  url?: string;
}

/** Where an article's text comes from: a wire credit, a network, a syndication line. */
export interface ProvenanceCredit {
  /** Normalised origin name: `AFP`, `AP`, `Reuters`, `CNN`, … */
  origin: string;
  /** The sentence or line that credits it, verbatim. */
  evidence: string;
}

/** The output of extraction: clean text plus metadata. Immutable once stored. */
export interface ExtractedArticle {
  input: string;
  title: string | null;
  /** Main text: paragraphs separated by a blank line, whitespace normalised, UTF-8. */
  text: string;
  author: string[];
  /** ISO 8601 date or date-time, as precise as the source gave it. */
  published: string | null;
  outlet: string | null;
  url: string | null;
  /** BCP 47 primary language tag (`en`), or null when unknown. */
  language: string | null;
  provenance: ProvenanceCredit[];
  /** Boilerplate lines dropped from the text (text input), for transparency. */
  removed: string[];
}

export interface ExtractResult {
  article: ExtractedArticle | null;
  messages: Message[];
}

/** An extracted article as the store holds it. */
export interface Article extends ExtractedArticle {
  /** Stable id derived from the text's content hash (`a` + 12 hex digits). */
  id: string;
  /** sha256 of the raw input bytes. */
  rawHash: string;
  format: SourceFormat;
  ingestedAt: string;
}
