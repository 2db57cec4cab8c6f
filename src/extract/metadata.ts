/**
 * Metadata of an HTML page: title, authors, publication date, outlet,
 * canonical URL and language, read from `<meta>` tags, JSON-LD, microdata,
 * `<time datetime>`, bylines and, last, the URL itself. Each field is an
 * ordered list of sources and the first one that yields a usable value wins.
 */
import { parseDate, dateFromUrl } from './dates.js';
import { splitAuthors, bylineAuthors } from './boilerplate.js';
import { cleanLine } from './normalize.js';

/** What the single walk over the DOM collected for metadata (see html.ts). */
export interface Collected {
  /** `<meta>` values keyed by lower-cased `property`, `name`, `itemprop` or `http-equiv`; first value kept. */
  meta: Map<string, string>;
  canonical: string | null;
  titleTag: string | null;
  htmlLang: string | null;
  h1: string[];
  /** `datetime` of `<time>` elements, document order; `pubdate` ones first. */
  times: string[];
  /** Text of `[itemprop=author]`, `[rel=author]` and byline-class elements. */
  bylines: string[];
  /** `[itemprop=datePublished]` content/datetime values. */
  itempropDates: string[];
}

export interface JsonLdArticle {
  headline?: string;
  authors: string[];
  datePublished?: unknown;
  publisher?: string;
  url?: string;
  language?: string;
  articleBody?: string;
  description?: string;
}

export interface PageMetadata {
  title: string | null;
  author: string[];
  published: string | null;
  outlet: string | null;
  url: string | null;
  language: string | null;
  /** Raw values that may carry a credit (author fields, source tags), for provenance. */
  creditValues: string[];
  /** JSON-LD articleBody, used as a fallback extractor. */
  articleBody: string | null;
}

const ARTICLE_TYPES = /^(?:NewsArticle|Article|BlogPosting|ReportageNewsArticle|AnalysisNewsArticle|OpinionNewsArticle|BackgroundNewsArticle|ReviewNewsArticle|LiveBlogPosting|TechArticle|ScholarlyArticle|Report|SocialMediaPosting|Review|AskPublicNewsArticle|SatiricalArticle|DiscussionForumPosting|Posting)$/;

/** Parses JSON-LD blocks and returns the article-like object with the most fields, flattened. */
export function readJsonLd(blocks: string[]): { article: JsonLdArticle | null; publisherNames: string[] } {
  const objects: Record<string, unknown>[] = [];
  for (const block of blocks) {
    let parsed: unknown;
    const trimmed = block.trim().replace(/^<!\[CDATA\[|\]\]>$/g, '').replace(/^\/\/\s*<!\[CDATA\[|\/\/\s*\]\]>$/g, '');
    try {
      parsed = JSON.parse(trimmed);
    } catch {
      try {
        // Raw newlines and tabs inside strings are the usual fault.
        parsed = JSON.parse(trimmed.replace(/[\u0000-\u001f]+/g, ' ').replace(/,\s*([}\]])/g, '$1'));
      } catch {
        continue;
      }
    }
    flatten(parsed, objects, 0);
  }
  const publisherNames: string[] = [];
  let best: Record<string, unknown> | null = null;
  let bestScore = -1;
  for (const obj of objects) {
    const types = ([] as unknown[]).concat(obj['@type'] ?? []).map(String);
    if (types.some((t) => /^(?:Organization|NewsMediaOrganization|WebSite)$/.test(t)) && typeof obj.name === 'string') publisherNames.push(obj.name);
    const isArticle = types.some((t) => ARTICLE_TYPES.test(t));
    const isPage = types.some((t) => /WebPage$/.test(t));
    if (!isArticle && !isPage) continue;
    const score = (isArticle ? 10 : 0) + (obj.headline ? 2 : 0) + (obj.datePublished ? 2 : 0) + (obj.articleBody ? 3 : 0) + (obj.author ? 1 : 0);
    if (score > bestScore) { best = obj; bestScore = score; }
  }
  if (!best) return { article: null, publisherNames };
  const article: JsonLdArticle = { authors: names(best.author).slice(0, 10) };
  if (typeof best.headline === 'string') article.headline = best.headline;
  else if (typeof best.name === 'string') article.headline = best.name;
  article.datePublished = best.datePublished ?? best.dateCreated ?? best.uploadDate;
  const publisher = names(best.publisher)[0] ?? names(best.sourceOrganization)[0];
  if (publisher) article.publisher = publisher;
  const url = typeof best.url === 'string' ? best.url : typeof best['@id'] === 'string' && /^https?:/.test(best['@id']) ? best['@id'] : typeof best.mainEntityOfPage === 'string' ? best.mainEntityOfPage : undefined;
  if (url) article.url = url;
  const lang = typeof best.inLanguage === 'string' ? best.inLanguage : names(best.inLanguage)[0];
  if (lang) article.language = lang;
  if (typeof best.articleBody === 'string') article.articleBody = best.articleBody;
  if (typeof best.description === 'string') article.description = best.description;
  return { article, publisherNames };
}

function flatten(value: unknown, out: Record<string, unknown>[], depth: number): void {
  if (depth > 4 || value === null || typeof value !== 'object') return;
  if (Array.isArray(value)) { for (const v of value) flatten(v, out, depth + 1); return; }
  const obj = value as Record<string, unknown>;
  out.push(obj);
  if (obj['@graph']) flatten(obj['@graph'], out, depth + 1);
  if (obj.mainEntity && typeof obj.mainEntity === 'object') flatten(obj.mainEntity, out, depth + 1);
}

/** Names in a JSON-LD person/organisation value: a string, `{name}`, or an array of those. */
function names(value: unknown): string[] {
  if (!value) return [];
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(names);
  if (typeof value === 'object') {
    const name = (value as Record<string, unknown>).name;
    if (typeof name === 'string') return [name];
    if (Array.isArray(name)) return name.filter((n): n is string => typeof n === 'string');
  }
  return [];
}

function metaValue(c: Collected, ...keys: string[]): string | null {
  for (const key of keys) {
    const v = c.meta.get(key);
    if (v && v.trim()) return cleanLine(v);
  }
  return null;
}

export function readMetadata(c: Collected, jsonLd: { article: JsonLdArticle | null; publisherNames: string[] }, docUrl: string | undefined): PageMetadata {
  const ld = jsonLd.article;
  const url = pickUrl([c.canonical, metaValue(c, 'og:url', 'twitter:url'), ld?.url ?? null], docUrl);
  const outletNamed = metaValue(c, 'og:site_name', 'application-name', 'al:android:app_name', 'al:iphone:app_name', 'twitter:app:name:iphone') ?? ld?.publisher ?? jsonLd.publisherNames[0] ?? null;
  const outlet = outletNamed ? cleanLine(outletNamed) : domainOf(url ?? docUrl ?? null);
  const title = pickTitle(c, ld, outlet, url ?? docUrl ?? null);

  const creditValues: string[] = [];
  let author: string[] = [];
  const authorSources: string[][] = [];
  if (ld?.authors.length) authorSources.push(ld.authors);
  const metaAuthor = metaValue(c, 'author', 'article:author', 'parsely-author', 'sailthru.author', 'dc.creator', 'dcterms.creator', 'byl', 'cxenseparse:author', 'twitter:creator:name');
  if (metaAuthor) authorSources.push([metaAuthor]);
  if (c.bylines.length) authorSources.push(c.bylines);
  for (const source of authorSources) {
    const found: string[] = [];
    for (const raw of source) {
      const value = cleanLine(raw);
      if (!value || /^https?:|^www\.|@/.test(value)) continue;
      creditValues.push(value);
      const byline = bylineAuthors(value);
      const people = byline.length > 0 ? byline : splitAuthors(value);
      for (const name of people) if (!found.some((f) => f.toLowerCase() === name.toLowerCase())) found.push(name);
    }
    if (found.length) { author = found.slice(0, 10); break; }
  }
  const source = metaValue(c, 'source', 'original-source', 'syndication-source', 'dc.source');
  if (source) creditValues.push(`Source: ${source}`);

  let published: string | null = null;
  const dateCandidates: unknown[] = [
    ld?.datePublished,
    c.meta.get('article:published_time'), c.meta.get('og:article:published_time'), c.meta.get('og:published_time'), c.meta.get('published_time'),
    c.meta.get('datepublished'), c.meta.get('date_published'), c.meta.get('pubdate'), c.meta.get('publishdate'), c.meta.get('publish-date'), c.meta.get('publish_date'),
    c.meta.get('publication_date'), c.meta.get('parsely-pub-date'), c.meta.get('sailthru.date'), c.meta.get('dc.date.issued'), c.meta.get('dcterms.issued'),
    c.meta.get('dc.date'), c.meta.get('dcterms.date'), c.meta.get('dcterms.created'), c.meta.get('dc.date.created'), c.meta.get('article.published'),
    c.meta.get('original-publish-date'), c.meta.get('release_date'), c.meta.get('date'), c.meta.get('displaydate'), c.meta.get('article_date_original'),
    ...c.itempropDates, ...c.times,
  ];
  for (const candidate of dateCandidates) {
    if (candidate === undefined || candidate === null || candidate === '') continue;
    published = parseDate(candidate);
    if (published) break;
  }
  published ??= dateFromUrl(url ?? docUrl);

  const language = normaliseLanguage(c.htmlLang) ?? normaliseLanguage(metaValue(c, 'content-language', 'language', 'dc.language', 'og:locale')) ?? normaliseLanguage(ld?.language ?? null);

  return { title, author, published, outlet, url, language, creditValues, articleBody: ld?.articleBody ?? null };
}

function pickUrl(candidates: Array<string | null>, base: string | undefined): string | null {
  for (const candidate of candidates) {
    if (!candidate) continue;
    try {
      const resolved = new URL(candidate.trim(), base ?? undefined);
      if (resolved.protocol === 'http:' || resolved.protocol === 'https:') return resolved.href;
    } catch {
      // Relative URL with no base, or garbage: try the next candidate.
    }
  }
  if (base && /^https?:\/\//i.test(base)) return base;
  return null;
}

export function domainOf(url: string | null): string | null {
  if (!url) return null;
  try {
    const host = new URL(url).hostname.toLowerCase();
    return host.replace(/^(?:www\d?|m|amp|mobile)\./, '') || null;
  } catch {
    return null;
  }
}

export function normaliseLanguage(value: string | null | undefined): string | null {
  if (!value) return null;
  const m = /^\s*([a-z]{2,3})(?:[-_][a-z0-9]+)*\s*$/i.exec(value.split(',')[0]!);
  return m ? m[1]!.toLowerCase() : null;
}

const SEPARATORS = /\s+[|–—•·»:\/-]\s+|\s+::\s+|\s+-{2}\s+/;

/** The page's headline: JSON-LD headline, Open Graph title, the `<h1>`, `<title>`, with any " | Site Name" part removed. */
function pickTitle(c: Collected, ld: JsonLdArticle | null, outlet: string | null, url: string | null): string | null {
  const site = [outlet, metaValue(c, 'og:site_name', 'application-name'), domainOf(url)].filter((s): s is string => !!s);
  const candidates = [ld?.headline ?? null, metaValue(c, 'og:title', 'twitter:title', 'title', 'headline', 'sailthru.title', 'parsely-title'), c.titleTag];
  const h1 = c.h1.map(cleanLine).filter((h) => h.length > 3);
  for (const raw of candidates) {
    if (!raw) continue;
    const value = cleanLine(raw);
    if (!value) continue;
    // An <h1> that the title starts with is the headline without the suffix.
    const heading = h1.find((h) => value !== h && value.startsWith(h) && SEPARATORS.test(value.slice(h.length - 1, h.length + 4)));
    if (heading) return heading;
    return stripSiteName(value, site);
  }
  return h1[0] ?? null;
}

/** Removes a leading or trailing site name ("Headline | Site", "Site - Headline"). */
export function stripSiteName(title: string, site: string[]): string {
  const parts = title.split(SEPARATORS);
  if (parts.length < 2) return title;
  const norm = (s: string) => s.toLowerCase().replace(/^the\s+/, '').replace(/[^\p{L}\p{N}]+/gu, '');
  const sites = site.map(norm).filter(Boolean);
  const isSite = (part: string) => {
    const p = norm(part);
    return !!p && sites.some((s) => s === p || s.startsWith(p) || p.startsWith(s) || s.includes(p) && p.length > 3);
  };
  let start = 0;
  let end = parts.length;
  while (end - start > 1 && isSite(parts[end - 1]!)) end--;
  while (end - start > 1 && isSite(parts[start]!)) start++;
  if (end === parts.length && start === 0) {
    // No known site name: drop a short last part (a section or brand) when the rest is clearly the headline.
    const last = parts[parts.length - 1]!;
    const words = last.split(/\s+/).length;
    const restWords = parts.slice(0, -1).join(' ').split(/\s+/).length;
    if (/\s[|–—•·»]\s|\s::\s/.test(title) && words <= 4 && restWords >= 4) end = parts.length - 1;
  }
  if (end - start === parts.length) return title;
  // Rebuild from the original text so that separators inside the headline stay as written.
  const first = parts[start]!;
  const last = parts[end - 1]!;
  const from = title.indexOf(first);
  const to = title.lastIndexOf(last) + last.length;
  return from >= 0 && to > from ? title.slice(from, to).trim() : parts.slice(start, end).join(' - ');
}
