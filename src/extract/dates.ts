/**
 * Publication dates as ISO 8601, as precise as the source gave them: a date
 * alone stays `2025-02-18`, a date-time with a zone becomes UTC
 * (`2025-02-18T10:00:00Z`), a date-time without a zone keeps its wall-clock
 * time without one.
 */
import * as chrono from 'chrono-node';

const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,]\d+)?)?\s*(Z|[+-]\d{2}:?\d{2}|[+-]\d{2}|UTC|GMT)?)?$/i;
const COMPACT = /^(\d{4})(\d{2})(\d{2})(?:T?(\d{2})(\d{2})(\d{2})?(Z|[+-]\d{4})?)?$/;

function valid(y: number, m: number, d: number): boolean {
  if (y < 1900 || y > 2200 || m < 1 || m > 12 || d < 1 || d > 31) return false;
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

const pad = (n: number) => String(n).padStart(2, '0');

function fromParts(y: string, mo: string, d: string, h?: string, mi?: string, s?: string, zone?: string): string | null {
  const year = +y, month = +mo, day = +d;
  if (!valid(year, month, day)) return null;
  const date = `${y}-${mo}-${d}`;
  if (h === undefined) return date;
  if (+h > 23 || +mi! > 59 || (s !== undefined && +s > 60)) return null;
  const time = `${h}:${mi}:${s ?? '00'}`;
  if (!zone) return `${date}T${time}`;
  const z = zone.toUpperCase();
  const offset = z === 'Z' || z === 'UTC' || z === 'GMT' ? 'Z' : z.length === 3 ? `${z}:00` : z.includes(':') ? z : `${z.slice(0, 3)}:${z.slice(3)}`;
  const ms = Date.parse(`${date}T${time}${offset}`);
  return Number.isNaN(ms) ? null : utc(ms);
}

function utc(ms: number): string {
  return new Date(ms).toISOString().replace(/\.000Z$/, 'Z');
}

/**
 * Reads a date written by a machine (meta tags, JSON-LD, `<time datetime>`,
 * JSON fields): ISO 8601 in its common variants, compact `20250218`, RFC 2822,
 * epoch seconds or milliseconds, and, with `loose`, dates in words
 * ("18 February 2025", "Feb. 18, 2025 10:00 AM EST"). Null when it is not a date.
 */
export function parseDate(value: unknown, loose = true): string | null {
  if (typeof value === 'number') return fromEpoch(value);
  if (typeof value !== 'string') return null;
  const text = value.trim();
  if (!text || text.length > 100) return null;
  let m = ISO.exec(text);
  if (m) return fromParts(m[1]!, m[2]!, m[3]!, m[4], m[5], m[6], m[7]);
  m = COMPACT.exec(text);
  if (m) return fromParts(m[1]!, m[2]!, m[3]!, m[4], m[5], m[6], m[7]);
  if (/^\d{10}(?:\d{3})?$/.test(text)) return fromEpoch(+text);
  // Year-month only ("2025-02") is a valid, reduced-precision ISO date.
  m = /^(\d{4})-(\d{2})$/.exec(text);
  if (m && valid(+m[1]!, +m[2]!, 1)) return text;
  // RFC 2822 and other forms JavaScript reads reliably when they carry a zone.
  if (/^(?:[A-Z][a-z]{2},\s*)?\d{1,2}\s+[A-Z][a-z]{2}\s+\d{4}\s+\d{2}:\d{2}(?::\d{2})?\s*(?:[+-]\d{4}|GMT|UTC|[A-Z]{3})$/.test(text)) {
    const ms = Date.parse(text);
    if (!Number.isNaN(ms)) return utc(ms);
  }
  if (!loose || !/\d/.test(text)) return null;
  return parseWords(text);
}

function fromEpoch(n: number): string | null {
  const ms = n < 1e11 ? n * 1000 : n;
  const year = new Date(ms).getUTCFullYear();
  return year >= 1990 && year <= 2200 ? utc(ms) : null;
}

/** Dates in words through chrono, kept to what the text says: no invented time of day. */
function parseWords(text: string): string | null {
  const results = chrono.strict.parse(text, new Date(Date.UTC(2000, 0, 1)));
  const first = results[0];
  if (!first || !first.start.isCertain('year') || !first.start.isCertain('month') || !first.start.isCertain('day')) return null;
  // The date must be most of the string, not a number inside a sentence.
  if (first.text.length < text.replace(/^(?:published|updated|posted|on|date)\s*:?\s*/i, '').length * 0.6) return null;
  const s = first.start;
  const y = s.get('year')!, mo = s.get('month')!, d = s.get('day')!;
  if (!valid(y, mo, d)) return null;
  if (!s.isCertain('hour')) return `${y}-${pad(mo)}-${pad(d)}`;
  const offset = s.get('timezoneOffset');
  if (s.isCertain('timezoneOffset') && offset !== null && offset !== undefined) return utc(s.date().getTime());
  return `${y}-${pad(mo)}-${pad(d)}T${pad(s.get('hour')!)}:${pad(s.get('minute') ?? 0)}:${pad(s.get('second') ?? 0)}`;
}

/** A date in a URL path: `/2025/02/18/`, `/2025-02-18/`, `/20250218/`, or year and month `/2025/02/`. */
export function dateFromUrl(url: string | null | undefined): string | null {
  if (!url) return null;
  let path: string;
  try {
    path = new URL(url).pathname;
  } catch {
    path = url;
  }
  let m = /(?:^|[/_-])((?:19|20)\d{2})[/_-](\d{1,2})[/_-](\d{1,2})(?=[/_.-]|$)/.exec(path);
  if (m && valid(+m[1]!, +m[2]!, +m[3]!)) return `${m[1]}-${pad(+m[2]!)}-${pad(+m[3]!)}`;
  m = /(?:^|[/_-])((?:19|20)\d{2})(\d{2})(\d{2})(?=[/_.-]|$)/.exec(path);
  if (m && valid(+m[1]!, +m[2]!, +m[3]!)) return `${m[1]}-${m[2]}-${m[3]}`;
  m = /\/((?:19|20)\d{2})\/(\d{1,2})\//.exec(path);
  if (m && valid(+m[1]!, +m[2]!, 1)) return `${m[1]}-${pad(+m[2]!)}`;
  return null;
}
