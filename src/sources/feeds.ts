/**
 * Feeds: RSS, Atom, RDF and JSON Feed documents (parsed by feedsmith) to a
 * flat list of items with a stable key and the URL of the page to fetch;
 * feed lists (OPML, or one URL a line) to feed URLs. Bytes are decoded as
 * pages are (src/extract/decode.ts: byte-order mark, transport charset, the
 * XML declaration, then UTF-8 with repairs), so a feed in a legacy or
 * mislabelled encoding reads right.
 */
import { parseFeed, parseOpml } from 'feedsmith';
import { message } from '../errors.js';
import { decode } from '../extract/decode.js';
import type { Message } from '../types.js';

export interface FeedEntry {
  /** Stable identity within the feed: guid / id, else the link. */
  key: string;
  /** Absolute URL of the item's page, or null when the item has none. */
  url: string | null;
  title: string | null;
  /** The date the feed gives, as it gives it. */
  published: string | null;
}

export interface ParsedFeed {
  format: 'rss' | 'atom' | 'rdf' | 'json';
  title: string | null;
  entries: FeedEntry[];
  /** RSS `<ttl>` or `sy:updatePeriod` / `sy:updateFrequency`, in minutes: how often the publisher says it changes. */
  ttlMinutes: number | null;
}

/** Parses a fetched feed. `baseUrl` resolves relative item links. Never throws for bad content. */
export function parseFeedBytes(bytes: Uint8Array, input: string, options: { charset?: string | null; baseUrl?: string } = {}): { feed: ParsedFeed | null; messages: Message[] } {
  const messages: Message[] = [];
  const decoded = decode(bytes, { html: true, charset: options.charset ?? undefined });
  if (decoded.warning) messages.push(message('TRI_W001', input, decoded.warning));
  const text = decoded.text.trim();
  if (text === '') return { feed: null, messages: [...messages, message('TRI_E029', input, 'the feed is empty')] };
  let parsed: ReturnType<typeof parseFeed>;
  try {
    parsed = parseFeed(text);
  } catch (error) {
    const looksHtml = /^(<!doctype html|<html)/i.test(text);
    const reason = looksHtml
      ? 'this is an HTML page, not a feed; give the feed\'s own address (look for an RSS or Atom link on the page)'
      : `not a readable RSS, Atom, RDF or JSON Feed document (${(error as Error).message})`;
    return { feed: null, messages: [...messages, message('TRI_E029', input, reason)] };
  }
  const base = options.baseUrl ?? input;
  const resolve = (href: unknown): string | null => {
    if (typeof href !== 'string' || href.trim() === '') return null;
    try {
      const url = new URL(href.trim(), base);
      return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null;
    } catch {
      return null;
    }
  };
  const entries: FeedEntry[] = [];
  const add = (key: unknown, href: unknown, title: unknown, published: unknown) => {
    const url = resolve(href);
    const id = typeof key === 'string' && key.trim() ? key.trim() : url;
    if (!id) {
      messages.push(message('TRI_W020', input, `item ${entries.length + 1}${typeof title === 'string' ? ` ("${title.slice(0, 60)}")` : ''} has neither a link nor an id`));
      return;
    }
    entries.push({ key: id, url, title: textOf(title), published: typeof published === 'string' ? published : null });
  };
  // feedsmith types each format differently; the fields read here exist in each one's shape.
  const feed = parsed.feed as Record<string, unknown>;
  let ttlMinutes: number | null = null;
  switch (parsed.format) {
    case 'rss':
    case 'rdf': {
      for (const item of (feed.items as Array<Record<string, unknown>> | undefined) ?? []) {
        const guid = item.guid as { value?: string } | undefined;
        const dc = item.dc as { dates?: string[]; date?: string } | undefined;
        add(guid?.value ?? (item.rdf as { about?: string } | undefined)?.about, item.link, item.title, item.pubDate ?? dc?.dates?.[0] ?? dc?.date);
      }
      ttlMinutes = typeof feed.ttl === 'number' ? feed.ttl : syndicationMinutes(feed.sy);
      break;
    }
    case 'atom': {
      for (const entry of (feed.entries as Array<Record<string, unknown>> | undefined) ?? []) {
        const links = (entry.links as Array<{ href?: string; rel?: string }> | undefined) ?? [];
        const link = links.find((l) => !l.rel || l.rel === 'alternate') ?? links[0];
        add(entry.id, link?.href, entry.title, entry.published ?? entry.updated);
      }
      ttlMinutes = syndicationMinutes(feed.sy);
      break;
    }
    case 'json': {
      for (const item of (feed.items as Array<Record<string, unknown>> | undefined) ?? []) {
        add(item.id, item.url ?? item.external_url, item.title, item.date_published ?? item.date_modified);
      }
      break;
    }
  }
  return { feed: { format: parsed.format, title: textOf(feed.title), entries, ttlMinutes }, messages };
}

function textOf(value: unknown): string | null {
  if (typeof value === 'string') return value.trim() || null;
  if (value && typeof value === 'object' && typeof (value as { value?: unknown }).value === 'string') return ((value as { value: string }).value).trim() || null;
  return null;
}

/** The Syndication module's period and frequency, in minutes between updates. */
function syndicationMinutes(sy: unknown): number | null {
  if (!sy || typeof sy !== 'object') return null;
  const { updatePeriod, updateFrequency } = sy as { updatePeriod?: string; updateFrequency?: number };
  const period = { hourly: 60, daily: 1440, weekly: 10080, monthly: 43200, yearly: 525600 }[String(updatePeriod ?? '').toLowerCase()];
  if (!period) return null;
  return period / Math.max(1, Number(updateFrequency ?? 1) || 1);
}

/** Reads a feed list: an OPML file (every outline with an xmlUrl, nested or not) or one URL a line (`#` comments, blank lines). */
export function parseFeedList(text: string, input: string): { urls: string[]; messages: Message[] } {
  const messages: Message[] = [];
  const urls: string[] = [];
  const trimmed = text.replace(/^\uFEFF/, '').trim();
  const accept = (value: string, where?: number) => {
    try {
      const url = new URL(value.trim());
      if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error('scheme');
      if (!urls.includes(url.href)) urls.push(url.href);
    } catch {
      messages.push(message('TRI_E030', where === undefined ? input : `${input}:${where}`, `"${value.slice(0, 120)}" is not an http(s) URL`));
    }
  };
  if (trimmed.startsWith('<')) {
    let opml: ReturnType<typeof parseOpml>;
    try {
      opml = parseOpml(trimmed);
    } catch (error) {
      return { urls, messages: [message('TRI_E030', input, `not a readable OPML file (${(error as Error).message})`)] };
    }
    const walk = (outlines: Array<{ xmlUrl?: string; outlines?: unknown[] }> | undefined) => {
      for (const outline of outlines ?? []) {
        if (outline.xmlUrl) accept(outline.xmlUrl);
        walk(outline.outlines as typeof outlines);
      }
    };
    walk(opml.body?.outlines as Array<{ xmlUrl?: string; outlines?: unknown[] }> | undefined);
    if (urls.length === 0 && messages.length === 0) messages.push(message('TRI_E030', input, 'the OPML file lists no feed (no outline has an xmlUrl)'));
    return { urls, messages };
  }
  trimmed.split(/\r?\n/).forEach((line, i) => {
    const value = line.replace(/\s+#.*$/, '').trim();
    if (value === '' || value.startsWith('#')) return;
    accept(value, i + 1);
  });
  if (urls.length === 0 && messages.length === 0) messages.push(message('TRI_E030', input, 'the file lists no feed URL'));
  return { urls, messages };
}
