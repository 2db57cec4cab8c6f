/**
 * Date mentions, resolved to ISO dates. Hand-written patterns rather than
 * chrono-node: chrono joins neighbouring phrases across sentences ("3 days
 * ago. this week") and reads "2024, Sept. 11" as one date, and news needs a
 * documented rule for bare weekdays.
 *
 * Rules (all against the publication date, in UTC):
 * - a bare weekday ("on Tuesday") is the most recent such day on or before
 *   publication; with "next", or "will"/"to be"/"scheduled"/"plans" earlier in
 *   the sentence, the first such day after it; "last Tuesday" is the most
 *   recent one strictly before publication;
 * - "last/this/next week" has week granularity and an ISO week date
 *   (`2025-W07`); "last/this/next month|year" month/year granularity;
 * - a month and day without a year ("February 18") takes the publication
 *   year, or the year before if that would put it more than 31 days after
 *   publication; a bare month ("in March") is the most recent such month on or
 *   before publication (or the next one with "next"/future words);
 * - `relative` is true whenever the publication date was needed;
 * - without a publication date, mentions that need one are dropped; explicit
 *   dates and years are kept;
 * - years are 1800–2099 ("in 2008", "since 2022"); "the 1990s" is a decade
 *   with date `1990`. Times of day are not reported.
 */
import type { DateMention, Granularity, Sentence } from './types.js';

const MONTHS: Record<string, number> = {
  january: 1, february: 2, march: 3, april: 4, may: 5, june: 6, july: 7, august: 8, september: 9, october: 10,
  november: 11, december: 12, jan: 1, feb: 2, mar: 3, apr: 4, jun: 6, jul: 7, aug: 8, sep: 9, sept: 9, oct: 10,
  nov: 11, dec: 12,
};
const WEEKDAYS: Record<string, number> = { sunday: 0, monday: 1, tuesday: 2, wednesday: 3, thursday: 4, friday: 5, saturday: 6 };
const MONTH = String.raw`(January|February|March|April|May|June|July|August|September|October|November|December|Jan\.?|Feb\.?|Mar\.?|Apr\.?|Jun\.?|Jul\.?|Aug\.?|Sept?\.?|Oct\.?|Nov\.?|Dec\.?)`;
const WEEKDAY = String.raw`(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)`;
const YEAR = String.raw`(1[89]\d\d|20\d\d)`;

const PATTERNS: { re: RegExp; kind: string }[] = [
  { re: new RegExp(String.raw`\b${YEAR}-(\d\d)-(\d\d)\b`, 'g'), kind: 'iso' },
  { re: new RegExp(String.raw`\b${MONTH}\s+(\d{1,2})(?:st|nd|rd|th)?\b(?:,?\s+${YEAR}\b)?`, 'g'), kind: 'month-day' },
  { re: new RegExp(String.raw`\b(\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?${MONTH}(?:,?\s+${YEAR}\b)?`, 'g'), kind: 'day-month' },
  { re: new RegExp(String.raw`\b${MONTH}(?:\s+of)?,?\s+${YEAR}\b`, 'g'), kind: 'month-year' },
  { re: new RegExp(String.raw`\b(?:(last|next|this|early|late|mid-?)\s*|(?<=\b(?:in|since|until|by|during|from|through)\s+))${MONTH}\b(?!\s+\d)`, 'g'), kind: 'month' },
  { re: new RegExp(String.raw`\b(?:the\s+)?(?:(?:19|20)\d0)s\b`, 'g'), kind: 'decade' },
  { re: new RegExp(String.raw`(?<![$€£\d.,])\b${YEAR}\b(?![\d%]|,\d|\s*(?:percent|people|troops|votes))`, 'g'), kind: 'year' },
  { re: /\b(yesterday|today|tonight|tomorrow|last night)\b/gi, kind: 'deictic' },
  { re: new RegExp(String.raw`\b(?:(last|next|this|on|early|late)\s+)?${WEEKDAY}\b`, 'gi'), kind: 'weekday' },
  { re: /\b(last|this|next|past)\s+(week|month|year|weekend)\b/gi, kind: 'period' },
  { re: /\b(\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten)\s+(day|week|month|year)s?\s+ago\b/gi, kind: 'ago' },
];

const FUTURE = /\b(?:will|would|to be|scheduled|plans?|planned|expected to|set to|next|upcoming)\b/i;
const SMALL: Record<string, number> = { a: 1, an: 1, one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10 };
const DAY = 86_400_000;

/** Finds dates in `text`; `published` (ISO) resolves relative ones. */
export function findDates(text: string, published: string | null, _sentences?: Sentence[]): DateMention[] {
  const ref = published ? new Date(published.length === 10 ? `${published}T12:00:00Z` : published) : null;
  const pub = ref && !Number.isNaN(ref.getTime()) ? ref : null;
  const found: DateMention[] = [];
  const taken: [number, number][] = [];
  const free = (s: number, e: number) => !taken.some(([a, b]) => s < b && e > a);

  for (const { re, kind } of PATTERNS) {
    re.lastIndex = 0;
    for (let m = re.exec(text); m; m = re.exec(text)) {
      const start = m.index;
      const end = start + m[0].length;
      if (!free(start, end)) continue;
      const before = text.slice(Math.max(0, start - 100), start);
      const clause = before.slice(Math.max(before.lastIndexOf('.'), before.lastIndexOf('\n')) + 1);
      const resolved = resolve(kind, m, pub, FUTURE.test(clause));
      if (!resolved) continue;
      found.push({ span: [start, end], ...resolved });
      taken.push([start, end]);
    }
  }
  return found.sort((a, b) => a.span[0] - b.span[0]);
}

type Resolved = { date: string; granularity: Granularity; relative: boolean };

function resolve(kind: string, m: RegExpExecArray, pub: Date | null, future: boolean): Resolved | null {
  switch (kind) {
    case 'iso': return validDay(+m[1], +m[2], +m[3]) ? { date: m[0], granularity: 'day', relative: false } : null;
    case 'month-day':
    case 'day-month': {
      const month = monthOf(kind === 'month-day' ? m[1] : m[2]);
      const day = Number(kind === 'month-day' ? m[2] : m[1]);
      const yearText = m[3];
      if (!month || day < 1 || day > 31) return null;
      if (yearText) return validDay(+yearText, month, day) ? { date: iso(+yearText, month, day), granularity: 'day', relative: false } : null;
      if (!pub) return null;
      let year = pub.getUTCFullYear();
      if (Date.UTC(year, month - 1, day) - pub.getTime() > 31 * DAY) year--;
      return validDay(year, month, day) ? { date: iso(year, month, day), granularity: 'day', relative: true } : null;
    }
    case 'month-year': {
      const month = monthOf(m[1]);
      return month ? { date: `${m[2]}-${pad(month)}`, granularity: 'month', relative: false } : null;
    }
    case 'month': {
      const month = monthOf(m[2]);
      if (!month || !pub) return null;
      if (m[2] === 'May' && !m[1]) return null; // "may" the verb is lower case, but "May" could start a sentence
      const pubMonth = pub.getUTCMonth() + 1;
      let year = pub.getUTCFullYear();
      const forward = m[1] === 'next' || (future && m[1] !== 'last');
      if (forward) { if (month < pubMonth) year++; } else if (month > pubMonth || (m[1] === 'last' && month === pubMonth)) year--;
      return { date: `${year}-${pad(month)}`, granularity: 'month', relative: true };
    }
    case 'decade': {
      const digits = /\d{4}/.exec(m[0])![0];
      return { date: digits, granularity: 'decade', relative: false };
    }
    case 'year': return { date: m[1], granularity: 'year', relative: false };
    case 'deictic': {
      if (!pub) return null;
      const word = m[1].toLowerCase();
      const offset = word === 'yesterday' || word === 'last night' ? -1 : word === 'tomorrow' ? 1 : 0;
      return { date: dayString(new Date(pub.getTime() + offset * DAY)), granularity: 'day', relative: true };
    }
    case 'weekday': {
      if (!pub) return null;
      const modifier = m[1]?.toLowerCase();
      if (!/^[A-Z]/.test(m[2])) return null;
      const target = WEEKDAYS[m[2].toLowerCase()];
      const today = pub.getUTCDay();
      let delta: number;
      if (modifier === 'next' || (future && modifier !== 'last')) delta = ((target - today + 7) % 7) || 7;
      else if (modifier === 'last') delta = -(((today - target + 7) % 7) || 7);
      else delta = -((today - target + 7) % 7);
      return { date: dayString(new Date(pub.getTime() + delta * DAY)), granularity: 'day', relative: true };
    }
    case 'period': {
      if (!pub) return null;
      const which = m[1].toLowerCase();
      const unit = m[2].toLowerCase();
      const step = which === 'last' || which === 'past' ? -1 : which === 'next' ? 1 : 0;
      if (unit === 'week' || unit === 'weekend') return { date: isoWeek(new Date(pub.getTime() + step * 7 * DAY)), granularity: 'week', relative: true };
      if (unit === 'month') {
        const d = new Date(Date.UTC(pub.getUTCFullYear(), pub.getUTCMonth() + step, 1));
        return { date: `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}`, granularity: 'month', relative: true };
      }
      return { date: String(pub.getUTCFullYear() + step), granularity: 'year', relative: true };
    }
    case 'ago': {
      if (!pub) return null;
      const n = /^\d+$/.test(m[1]) ? Number(m[1]) : SMALL[m[1].toLowerCase()] ?? 1;
      const unit = m[2].toLowerCase();
      if (unit === 'day') return { date: dayString(new Date(pub.getTime() - n * DAY)), granularity: 'day', relative: true };
      if (unit === 'week') return { date: isoWeek(new Date(pub.getTime() - n * 7 * DAY)), granularity: 'week', relative: true };
      if (unit === 'month') {
        const d = new Date(Date.UTC(pub.getUTCFullYear(), pub.getUTCMonth() - n, 1));
        return { date: `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}`, granularity: 'month', relative: true };
      }
      return { date: String(pub.getUTCFullYear() - n), granularity: 'year', relative: true };
    }
  }
  return null;
}

function monthOf(word: string): number | undefined {
  return MONTHS[word.replace('.', '').toLowerCase()];
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

function iso(y: number, m: number, d: number): string {
  return `${y}-${pad(m)}-${pad(d)}`;
}

function validDay(y: number, m: number, d: number): boolean {
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

function dayString(d: Date): string {
  return iso(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate());
}

/** ISO 8601 week date of a day: `2025-W08`. */
export function isoWeek(d: Date): string {
  const day = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()));
  const weekday = day.getUTCDay() || 7;
  day.setUTCDate(day.getUTCDate() + 4 - weekday); // the Thursday of this week decides the year
  const yearStart = Date.UTC(day.getUTCFullYear(), 0, 1);
  const week = Math.ceil(((day.getTime() - yearStart) / DAY + 1) / 7);
  return `${day.getUTCFullYear()}-W${pad(week)}`;
}
