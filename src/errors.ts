/**
 * Every message code Triangulate emits, in one place. Codes are never reused;
 * each has a "how to fix" line that `docs/errors.md` mirrors (a test checks that).
 */
import type { Message, Severity } from './types.js';

export const codes = {
  TRI_E001: { severity: 'error', title: 'unreadable input', fix: 'Check that the path exists and that you may read it.' },
  TRI_E002: { severity: 'error', title: 'unsupported file type', fix: 'Give .html/.htm (optionally .gz), .txt/.md, .json or .jsonl files.' },
  TRI_E003: { severity: 'error', title: 'empty input', fix: 'The file has no content; remove it or fill it.' },
  TRI_E004: { severity: 'error', title: 'input too large', fix: 'Split the file, or raise the limit with --max-bytes.' },
  TRI_E005: { severity: 'error', title: 'binary content', fix: 'The file is not text or HTML (it contains NUL bytes or a known binary signature); give a text, HTML or JSON file.' },
  TRI_E006: { severity: 'error', title: 'invalid JSON', fix: 'Fix the JSON syntax of that line or file; each JSON Lines record must be one object on one line.' },
  TRI_E007: { severity: 'error', title: 'JSON record without text', fix: 'Give each record a non-empty "text" or "html" field.' },
  TRI_E008: { severity: 'error', title: 'no article text', fix: 'The page has no main text Triangulate could find (a index page, a login wall or a script-only page); give the article page itself.' },
  TRI_E009: { severity: 'error', title: 'corrupt compressed file', fix: 'The .gz file cannot be decompressed; download it again.' },
  TRI_E010: { severity: 'error', title: 'no inputs matched', fix: 'The path or glob matched no files; check the spelling or the current directory.' },
  TRI_E020: { severity: 'error', title: 'invalid URL', fix: 'Give an absolute http:// or https:// URL (other schemes and credentials in URLs are refused).' },
  TRI_E021: { severity: 'error', title: 'private address refused', fix: 'The URL resolves to a private, loopback or link-local address; pass --allow-private-urls if you really mean to fetch from your own network.' },
  TRI_E022: { severity: 'error', title: 'network error', fix: 'The host could not be resolved or reached, the connection broke, or the server\'s TLS certificate was not accepted; check the URL and your connection (transient failures are retried with backoff). For a certificate from your own authority, name its PEM file in NODE_EXTRA_CA_CERTS.' },
  TRI_E023: { severity: 'error', title: 'fetch timed out', fix: 'The server answered too slowly; try again later or raise --timeout.' },
  TRI_E024: { severity: 'error', title: 'redirect loop or too many redirects', fix: 'The URL redirects in a loop or through too many hops; give the final URL of the page.' },
  TRI_E025: { severity: 'error', title: 'HTTP error status', fix: 'The server answered with an error status; check the URL (4xx) or try again later (5xx and 429 are retried with backoff).' },
  TRI_E026: { severity: 'error', title: 'response too large', fix: 'The response is over the size limit (after decompression); raise --max-bytes if the page is genuine.' },
  TRI_E027: { severity: 'error', title: 'unsupported content type', fix: 'The URL serves something that is not a page or a feed (an image, a PDF, a download); give the URL of an HTML page or a feed.' },
  TRI_E028: { severity: 'error', title: 'refused by robots.txt', fix: 'The site\'s robots.txt asks crawlers (or Triangulate) not to fetch this path; respect it, or get the text another way (a file, a WARC).' },
  TRI_E029: { severity: 'error', title: 'malformed feed', fix: 'The URL did not give a readable RSS, Atom, RDF or JSON Feed document; check that it is the feed\'s address and not its web page.' },
  TRI_E030: { severity: 'error', title: 'unreadable feed list', fix: 'Give an OPML file or a text file with one feed URL per line (blank lines and lines starting with # are ignored).' },
  TRI_E031: { severity: 'error', title: 'corrupt WARC', fix: 'The WARC file could not be read past this point (truncated download or not a WARC); download it again. Records before it were ingested.' },
  TRI_E032: { severity: 'error', title: 'corrupt content encoding', fix: 'The response claimed gzip, deflate or br compression but could not be decompressed; try again later.' },
  TRI_E100: { severity: 'error', title: 'not found', fix: 'No story, article or page has that id or address; GET /api/stories lists the stories (a story merged into another redirects to it).' },
  TRI_E101: { severity: 'error', title: 'invalid request', fix: 'A parameter or field is missing or malformed (the message names it); /api/openapi.json describes every endpoint.' },
  TRI_E102: { severity: 'error', title: 'token required', fix: 'This server only accepts changes with its token: send Authorization: Bearer TOKEN (or fill in the Access token field of the form); the token was given to triangulate serve with --token or TRIANGULATE_TOKEN.' },
  TRI_E103: { severity: 'error', title: 'cross-site request refused', fix: 'Write requests must come from the server\'s own pages or from a client that sends no Origin header of another site; submit the form from the server\'s own Add page.' },
  TRI_E104: { severity: 'error', title: 'request too large', fix: 'The request body or an uploaded file is over the server\'s limit; split the upload, or start the server with a larger --max-upload.' },
  TRI_E105: { severity: 'error', title: 'unsupported media type', fix: 'Send uploads as multipart/form-data (field files) and pasted text or URLs as JSON or a form.' },
  TRI_E106: { severity: 'error', title: 'host not allowed', fix: 'The Host header names neither this machine nor an address the server was told to answer to; open the server by 127.0.0.1 or localhost, or start it with --host and --token.' },
  TRI_E107: { severity: 'error', title: 'internal server error', fix: 'This is a bug: the server logged it with the request id; please report it with what you were doing.' },
  TRI_W001: { severity: 'warning', title: 'invalid UTF-8', fix: 'Bytes that were not valid in the declared encoding were replaced with U+FFFD; re-save the file as UTF-8 if text looks wrong.' },
  TRI_W002: { severity: 'warning', title: 'skipped file', fix: 'Files named README, LICENSE or starting with a dot are skipped inside folders; name them explicitly to ingest them.' },
  TRI_W003: { severity: 'warning', title: 'invalid date', fix: 'The "published" value could not be read as a date and was ignored; use ISO 8601 (2025-02-18 or 2025-02-18T10:00:00Z).' },
  TRI_W020: { severity: 'warning', title: 'feed item without link', fix: 'A feed item has no URL to fetch and no usable text; it was skipped. Nothing to do unless every item is skipped.' },
  TRI_W021: { severity: 'warning', title: 'WARC record skipped', fix: 'A response record could not be read (bad HTTP headers or a truncated payload) and was skipped; the rest of the file was read.' },
  TRI_W022: { severity: 'warning', title: 'retrying after a failure', fix: 'A fetch failed in a way that may pass (a 5xx, a 429, a timeout); it is retried with exponential backoff. Nothing to do unless it keeps failing.' },
} as const satisfies Record<string, { severity: Severity; title: string; fix: string }>;

export type Code = keyof typeof codes;

/** Builds a message with the severity that belongs to its code. */
export function message(code: Code, input: string, reason: string, offset?: number): Message {
  const m: Message = { input, code, reason, severity: codes[code].severity };
  if (offset !== undefined) m.offset = offset;
  return m;
}

/** One line a person can read: `input[:offset]: error TRI_E001 reason`. */
export function formatMessage(m: Message): string {
  const where = m.offset !== undefined ? `${m.input} (offset ${m.offset})` : m.input;
  return `${where}: ${m.severity} ${m.code}: ${m.reason}`;
}
