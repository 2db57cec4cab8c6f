/**
 * Quantities: a number with its unit and how exact the text says it is.
 *
 * Decisions:
 * - "nearly/almost/just under/up to/at most/no more than/fewer than/less
 *   than" → `at most`; "over/more than/at least/upwards of/some N+" → `at
 *   least`; "about/around/roughly/some/approximately/an estimated/nearly" —
 *   "nearly 40" is `at most` (it says the true figure is below 40);
 *   "about/around/roughly/some/approximately/an estimated" → `about`;
 * - a range "10 to 12 hours" / "10-12 hours" / "between 10 and 12 hours" is
 *   one quantity with the low value, bound `at least`, and its span covering
 *   the whole range (the high end is the span's other number; a range says
 *   "at least the low end");
 * - ordinals ("third"), years (1900–2100 with no unit, or after "in"/"since")
 *   and times of day are not quantities;
 * - units are singular and normalised: hours/hrs → hour, percent/per cent/%
 *   → percent, $/US$/dollars → USD, €/euros → EUR, £/pounds → GBP; a bare
 *   count has unit ``; otherwise the noun after the number, singularised.
 */
import type { Bound, Quantity, Sentence } from './types.js';

const SMALL: Record<string, number> = {
  zero: 0, one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10,
  eleven: 11, twelve: 12, thirteen: 13, fourteen: 14, fifteen: 15, sixteen: 16, seventeen: 17, eighteen: 18,
  nineteen: 19, twenty: 20, thirty: 30, forty: 40, fifty: 50, sixty: 60, seventy: 70, eighty: 80, ninety: 90,
};
const MULTIPLIERS: Record<string, number> = {
  hundred: 100, thousand: 1e3, million: 1e6, billion: 1e9, trillion: 1e12, m: 1e6, mn: 1e6, bn: 1e9, b: 1e9, k: 1e3, tn: 1e12,
};
const CURRENCY_SYMBOLS: Record<string, string> = { $: 'USD', 'US$': 'USD', '€': 'EUR', '£': 'GBP', '¥': 'JPY', '₽': 'RUB', '₴': 'UAH' };
const UNIT_WORDS: Record<string, string> = {
  hours: 'hour', hour: 'hour', hrs: 'hour', hr: 'hour', h: 'hour', minutes: 'minute', minute: 'minute', mins: 'minute', min: 'minute',
  seconds: 'second', second: 'second', secs: 'second', days: 'day', day: 'day', weeks: 'week', week: 'week', months: 'month',
  month: 'month', years: 'year', year: 'year', percent: 'percent', '%': 'percent', pct: 'percent', 'per cent': 'percent',
  'percentage points': 'percentage point', 'percentage point': 'percentage point',
  dollars: 'USD', dollar: 'USD', euros: 'EUR', euro: 'EUR', pounds: 'GBP', rubles: 'RUB', roubles: 'RUB', hryvnias: 'UAH',
  people: 'person', persons: 'person', person: 'person', men: 'man', women: 'woman', children: 'child', kilometres: 'km',
  kilometers: 'km', km: 'km', miles: 'mile', mile: 'mile', metres: 'm', meters: 'm', tons: 'ton', tonnes: 'tonne',
  barrels: 'barrel', feet: 'foot', troops: 'troop', soldiers: 'soldier', times: 'time',
};
const BOUND_WORDS: [RegExp, Bound][] = [
  [/(?:more than|over|at least|upwards of|in excess of|no fewer than|no less than|a minimum of|above|exceeding)\s+$/i, 'at least'],
  [/(?:nearly|almost|just under|up to|at most|no more than|fewer than|less than|under|a maximum of|as many as|as much as|below)\s+$/i, 'at most'],
  [/(?:about|around|roughly|some|approximately|an estimated|estimated|close to|circa|approx\.|more or less)\s+$/i, 'about'],
];

const NUMBER_WORD = Object.keys(SMALL).concat(['hundred', 'thousand', 'million', 'billion', 'trillion', 'dozen', 'dozens', 'half']).join('|');
const NUMERAL = String.raw`\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?`;
const SPELLED = String.raw`(?:a\s+dozen|a\s+half|(?:${NUMBER_WORD})(?:[\s-]+(?:and\s+)?(?:a\s+half|${NUMBER_WORD}))*)`;
const CURRENCY = String.raw`US\$|\$|€|£|¥|₽|₴`;
const MULT = String.raw`(?:\s*(?:hundred|thousand|million|billion|trillion)\b|(?:m|mn|bn|b|k|tn)\b)`;
const NUM = String.raw`${NUMERAL}|${SPELLED}(?![\p{L}])`;
const ONE = String.raw`(?:(${CURRENCY})\s?)?(${NUM})(${MULT})?`;
export const QUANTITY_RE = new RegExp(
  String.raw`(?<![\p{L}\p{N}.,/:-])` + ONE +
    String.raw`(?:\s*(?:-|–|to|and)\s*(?:between\s+)?(?:${CURRENCY})?(${NUM})(${MULT})?)?` +
    String.raw`(?:\s*(%|percentage\s+points?|per\s?cent|pct)|(?:[\s-]+(?:more\s+|additional\s+|other\s+)?([\p{L}]+))?)`,
  'giu',
);

/** `QUANTITY_RE` tried at one position only (sticky). */
const QUANTITY_AT = new RegExp(QUANTITY_RE.source, 'iuy');

/**
 * Character codes below 128 at which a match of `QUANTITY_RE` can start:
 * digits, `$`, and the first letters of "US$", "a dozen"/"a half" and the
 * number words, in either case. Any other ASCII character cannot start one.
 */
const asciiStarts = new Uint8Array(128);
for (const first of ['0123456789$', 'u', 'a', ...NUMBER_WORD.split('|').map((word) => word[0]!)].join('')) {
  asciiStarts[first.charCodeAt(0)] = 1;
  asciiStarts[first.toUpperCase().charCodeAt(0)] = 1;
}
/** Character codes below 128 that `QUANTITY_RE`'s look-behind refuses before a match: letters, digits, `.,/:-`. */
const asciiRefusedBefore = new Uint8Array(128);
for (let code = 0; code < 128; code += 1) if (/[\p{L}\p{N}.,/:-]/u.test(String.fromCharCode(code))) asciiRefusedBefore[code] = 1;

/**
 * The next match of `QUANTITY_RE` at or after `from` (what `exec` of the
 * global expression finds with `lastIndex = from`), found by trying the
 * sticky expression only where a match can start: an ASCII character in
 * `asciiStarts` not preceded by one in `asciiRefusedBefore`, or any other
 * character but a trailing surrogate (the global search never starts inside
 * a surrogate pair). The expression no longer runs at every position of the
 * text: three quarters of the step's time went there.
 */
export function nextQuantity(text: string, from: number): RegExpExecArray | null {
  for (let p = from; p < text.length; p += 1) {
    const code = text.charCodeAt(p);
    if (code < 128 ? asciiStarts[code] === 0 : code >= 0xdc00 && code <= 0xdfff && p > 0 && isLeadSurrogate(text.charCodeAt(p - 1))) continue;
    const before = p > 0 ? text.charCodeAt(p - 1) : 32;
    if (before < 128 && asciiRefusedBefore[before] === 1) continue;
    QUANTITY_AT.lastIndex = p;
    const match = QUANTITY_AT.exec(text);
    if (match) return match;
  }
  return null;
}

function isLeadSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

/** Finds quantities in `text`. `sentences` is accepted for symmetry with the other finders. */
export function findQuantities(text: string, _sentences?: Sentence[]): Quantity[] {
  const out: Quantity[] = [];
  for (let m = nextQuantity(text, 0); m; m = nextQuantity(text, m.index + m[0].length)) {
    const [whole, currency, first, firstMult, second, secondMult, percent, nextWord] = m;
    const start = m.index;
    let value = parseNumber(first, firstMult);
    if (value === null) continue;
    const isRange = second !== undefined;
    const low = value;
    if (isRange) {
      const high = parseNumber(second, secondMult ?? firstMult);
      if (high === null || high <= low) continue;
    }
    // "and" is only a range inside "between … and …".
    const before = text.slice(Math.max(0, start - 30), start);
    if (isRange && /\band\b/.test(whole) && !/between\s+$/i.test(before)) continue;

    let unit = '';
    let end = start + whole.length;
    if (currency) unit = CURRENCY_SYMBOLS[currency] ?? currency;
    if (percent) unit = /^percentage/i.test(percent) ? 'percentage point' : 'percent';
    else if (nextWord) {
      const lower = nextWord.toLowerCase();
      const mapped = UNIT_WORDS[lower] ?? UNIT_WORDS[`${lower} ${/^\s*\w+/.exec(text.slice(end))?.[0].trim() ?? ''}`];
      if (currency) {
        end = trimEnd(text, start, end - nextWord.length); // "$2 billion in aid": not a unit
      } else if (mapped) unit = mapped;
      else if (/^\p{Ll}/u.test(nextWord) && !STOP.has(lower)) unit = singular(lower);
      else end = trimEnd(text, start, end - nextWord.length);
    }
    // Not quantities: ordinals, years, times of day, bare single digits inside dates.
    const numberText = first.toLowerCase();
    if (/^(?:st|nd|rd|th)\b/i.test(text.slice(start + whole.length - (nextWord?.length ?? 0)))) continue;
    if (!currency && !percent && /^\d{4}$/.test(first) && value >= 1900 && value <= 2100 && !UNIT_WORDS[nextWord?.toLowerCase() ?? '']) continue;
    if (/^\s*(?:a\.m\.|p\.m\.|am\b|pm\b)/i.test(text.slice(start + first.length + (currency?.length ?? 0)))) continue;
    if (/^(?:one)$/.test(numberText) && !nextWord) continue;
    if (/\b(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?\s+$/.test(before) && /^\d{1,2}$/.test(first)) continue;
    if (/^\d{1,2}$/.test(first) && /^\s+(?:January|February|March|April|May|June|July|August|September|October|November|December)\b/.test(text.slice(start + first.length))) continue;

    let bound: Bound = 'exact';
    for (const [re, b] of BOUND_WORDS) if (re.test(before)) { bound = b; break; }
    let spanStart = start;
    const boundMatch = bound !== 'exact' ? /(?:[\p{L}.]+\s+){0,2}[\p{L}.]+\s+$/u.exec(before) : null;
    if (boundMatch) {
      const phrase = BOUND_WORDS.find(([, b]) => b === bound)![0].exec(before);
      if (phrase) spanStart = start - (before.length - phrase.index);
    }
    if (isRange) {
      bound = 'at least';
      const between = /between\s+$/i.exec(before);
      if (between) spanStart = start - (before.length - between.index);
    }
    if (/^dozens$/i.test(first)) bound = 'at least';
    value = Math.round(value * 1e6) / 1e6;
    out.push({ span: [spanStart, end], value, unit, bound });
  }
  return out;
}

/** Words after a number that are not its unit. */
const STOP = new Set([
  'and', 'or', 'of', 'in', 'to', 'the', 'a', 'an', 'for', 'on', 'at', 'by', 'with', 'from', 'as', 'is', 'are', 'was',
  'were', 'that', 'this', 'who', 'which', 'will', 'would', 'have', 'has', 'had', 'be', 'been', 'said', 'says', 'than',
  'more', 'less', 'per', 'each', 'other', 'into', 'out', 'up', 'down', 'over', 'after', 'before', 'against', 'also',
]);

function trimEnd(text: string, start: number, end: number): number {
  while (end > start && /[\s-]/.test(text[end - 1])) end--;
  return end;
}

function singular(word: string): string {
  if (/ies$/.test(word) && word.length > 4) return `${word.slice(0, -3)}y`;
  if (/(?:ses|xes|ches|shes)$/.test(word)) return word.slice(0, -2);
  if (/[^s]s$/.test(word) && word.length > 3) return word.slice(0, -1);
  return word;
}

/** Parses "1,000", "4.5", "four and a half", "a dozen", "two million". */
export function parseNumber(raw: string, multiplier?: string): number | null {
  const words = raw.toLowerCase().replace(/-/g, ' ').trim();
  let value: number;
  if (/^[\d,.]+$/.test(words)) value = Number(words.replace(/,/g, ''));
  else value = parseWords(words);
  if (!Number.isFinite(value)) return null;
  const mult = multiplier?.trim().toLowerCase();
  if (mult) value *= MULTIPLIERS[mult] ?? 1;
  return value;
}

function parseWords(words: string): number {
  if (words === 'a dozen' || words === 'dozen') return 12;
  if (words === 'dozens') return 24;
  if (words === 'a half' || words === 'half') return 0.5;
  let total = 0;
  let current = 0;
  let any = false;
  for (const w of words.split(/\s+/)) {
    if (w === 'and' || w === 'a') continue;
    if (w === 'half') { current += 0.5; any = true; continue; }
    if (w === 'dozen') { current = (current || 1) * 12; any = true; continue; }
    if (w in SMALL) { current += SMALL[w]; any = true; continue; }
    if (w === 'hundred') { current = (current || 1) * 100; any = true; continue; }
    if (w in MULTIPLIERS) { total += (current || 1) * MULTIPLIERS[w]; current = 0; any = true; continue; }
    return NaN;
  }
  return any ? total + current : NaN;
}
