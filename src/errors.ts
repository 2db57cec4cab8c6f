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
  TRI_W001: { severity: 'warning', title: 'invalid UTF-8', fix: 'Bytes that were not valid in the declared encoding were replaced with U+FFFD; re-save the file as UTF-8 if text looks wrong.' },
  TRI_W002: { severity: 'warning', title: 'skipped file', fix: 'Files named README, LICENSE or starting with a dot are skipped inside folders; name them explicitly to ingest them.' },
  TRI_W003: { severity: 'warning', title: 'invalid date', fix: 'The "published" value could not be read as a date and was ignored; use ISO 8601 (2025-02-18 or 2025-02-18T10:00:00Z).' },
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
