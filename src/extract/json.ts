/**
 * JSON records (one per JSON Lines line, split by the sources stage):
 * `text` or `html` (html goes through the HTML path), optional `title`, `url`,
 * `published`, `outlet`, `author` (a string or an array), `language`.
 */
import { message } from '../errors.js';
import type { Message } from '../types.js';
import { parseDate } from './dates.js';
import { cleanLine, decodeEntities } from './normalize.js';
import { splitAuthors } from './boilerplate.js';

export interface JsonRecord {
  text: string | null;
  html: string | null;
  title: string | null;
  url: string | null;
  published: string | null;
  /** True when the record gave a `published` value, valid or not (an invalid one leaves `published` null). */
  publishedGiven: boolean;
  outlet: string | null;
  author: string[] | null;
  language: string | null;
}

/** Reads one record; null (with an error message) when it has no usable text. */
export function readRecord(bytes: Uint8Array, input: string, messages: Message[]): JsonRecord | null {
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder('utf-8').decode(bytes).replace(/^\uFEFF/, ''));
  } catch (error) {
    messages.push(message('TRI_E006', input, `not valid JSON: ${(error as Error).message}`));
    return null;
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    messages.push(message('TRI_E007', input, `the record is ${Array.isArray(value) ? 'an array' : value === null ? 'null' : `a ${typeof value}`}, not an object with a "text" or "html" field`));
    return null;
  }
  const obj = value as Record<string, unknown>;
  const str = (k: string): string | null => (typeof obj[k] === 'string' && (obj[k] as string).trim() ? (obj[k] as string) : null);
  const text = str('text') ?? str('content') ?? str('body') ?? str('articleBody');
  const html = str('html');
  if (!text && !html) {
    const keys = Object.keys(obj);
    const present = ['text', 'html'].filter((k) => k in obj);
    const reason = present.length > 0
      ? `the record's ${present.map((k) => `"${k}"`).join(' and ')} ${present.length === 1 ? 'is' : 'are'} empty or not a string`
      : `the record has no "text" or "html" field (it has ${keys.length ? keys.slice(0, 8).map((k) => `"${k}"`).join(', ') : 'no fields'})`;
    messages.push(message('TRI_E007', input, reason));
    return null;
  }
  let published: string | null = null;
  const rawDate = obj.published ?? obj.date ?? obj.datePublished ?? obj.published_at;
  if (rawDate !== undefined && rawDate !== null && rawDate !== '') {
    published = parseDate(rawDate);
    if (!published) messages.push(message('TRI_W003', input, `"published" is ${JSON.stringify(rawDate).slice(0, 60)}, which is not a date; it was ignored`));
  }
  let author: string[] | null = null;
  const rawAuthor = obj.author ?? obj.authors;
  if (typeof rawAuthor === 'string' && rawAuthor.trim()) {
    const split = splitAuthors(rawAuthor.replace(/^\s*by\s+/i, ''));
    author = split.length ? split : [cleanLine(rawAuthor)];
  } else if (Array.isArray(rawAuthor)) {
    author = rawAuthor.map((a) => (typeof a === 'string' ? a : a && typeof a === 'object' && typeof (a as { name?: unknown }).name === 'string' ? (a as { name: string }).name : '')).map(cleanLine).filter(Boolean);
  }
  const title = str('title') ?? str('headline');
  return {
    text,
    html,
    title: title ? cleanLine(decodeEntities(title)) : null,
    url: str('url') ? cleanLine(str('url')!) : null,
    published,
    publishedGiven: rawDate !== undefined && rawDate !== null && rawDate !== '',
    outlet: str('outlet') ?? str('source') ?? str('site') ? cleanLine((str('outlet') ?? str('source') ?? str('site'))!) : null,
    author,
    language: str('language') ?? str('lang'),
  };
}
