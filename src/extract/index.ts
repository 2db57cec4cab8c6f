/**
 * Extraction: one `SourceDocument` in, one `ExtractedArticle` (clean text
 * plus metadata and provenance credits) and messages out. Synchronous and
 * free of I/O. The steps, in order:
 *
 *   decode (decode.ts) → by format:
 *     html → stripSource, parse, collectAndClean, readMetadata, mainText (html.ts, metadata.ts)
 *     text → extractPlainText (plaintext.ts)
 *     json → readRecord (json.ts), then the html or text path with the record's fields on top
 *   → normalise paragraphs (normalize.ts) → credits (provenance.ts) → minimum-length check.
 */
import { message } from '../errors.js';
import type { ExtractResult, ExtractedArticle, Message, SourceDocument } from '../types.js';
import { decode } from './decode.js';
import { stripSource, parse, collectAndClean, mainText, textWeight, MIN_WEIGHT } from './html.js';
import { readJsonLd, readMetadata, domainOf, normaliseLanguage, type PageMetadata } from './metadata.js';
import { extractPlainText } from './plaintext.js';
import { readRecord, type JsonRecord } from './json.js';
import { findCredits } from './provenance.js';
import { joinParagraphs, cleanLine } from './normalize.js';
import { dateFromUrl } from './dates.js';

export { decode } from './decode.js';
export { parseDate, dateFromUrl } from './dates.js';
export { findCredits, creditsIn, isCreditLine } from './provenance.js';
export { classifyLine } from './boilerplate.js';
export { extractPlainText } from './plaintext.js';
export { MIN_WEIGHT } from './html.js';

export function extract(doc: SourceDocument): ExtractResult {
  const messages: Message[] = [];
  let article: ExtractedArticle | null = null;
  if (doc.format === 'json') {
    const record = readRecord(doc.bytes, doc.input, messages);
    if (record) article = fromRecord(doc, record, messages);
  } else {
    const decoded = decode(doc.bytes, { html: doc.format === 'html', charset: doc.charset });
    if (decoded.warning) messages.push(message('TRI_W001', doc.input, decoded.warning));
    article = doc.format === 'html'
      ? fromHtml(doc.input, decoded.text, doc.url, messages)
      : fromText(doc.input, decoded.text, doc.url, messages, { markdown: /\.md(?:\.gz)?$/i.test(doc.input) ? true : undefined });
  }
  return { article, messages };
}

function fromHtml(input: string, html: string, url: string | undefined, messages: Message[], override?: JsonRecord): ExtractedArticle | null {
  const stripped = stripSource(html);
  const { document } = parse(stripped.html);
  const collected = collectAndClean(document);
  const meta: PageMetadata = readMetadata(collected, readJsonLd(stripped.jsonLd), override?.url ?? url);
  const title = override?.title ?? meta.title;
  const main = mainText(document, title, meta.articleBody);
  const text = joinParagraphs(main.paragraphs);
  if (main.stage === 'none' || textWeight(text) < MIN_WEIGHT) {
    const found = main.stage === 'none' ? main.found : `found only ${textWeight(text)} words of main text`;
    messages.push(message('TRI_E008', input, `no article text: ${found}${title ? ` on the page titled "${title.slice(0, 80)}"` : ''}; an article needs at least ${MIN_WEIGHT} words`));
    return null;
  }
  const author = override?.author ?? (meta.author.length ? meta.author : main.bylineAuthors);
  const provenance = findCredits({ text, removed: main.removed, metadata: [...meta.creditValues, ...(override?.author ?? [])] });
  return {
    input,
    title,
    text,
    author: dedupe(author),
    published: override?.publishedGiven ? override.published : meta.published,
    outlet: override?.outlet ?? meta.outlet,
    url: override?.url ?? meta.url,
    language: normaliseLanguage(override?.language) ?? meta.language,
    provenance,
    removed: main.removed,
  };
}

function fromText(input: string, raw: string, url: string | undefined, messages: Message[], options: { markdown?: boolean; record?: JsonRecord }): ExtractedArticle | null {
  const record = options.record;
  const plain = extractPlainText(raw, { markdown: options.markdown, title: record?.title ?? undefined });
  const text = joinParagraphs(plain.paragraphs);
  if (textWeight(text) < MIN_WEIGHT) {
    const weight = textWeight(text);
    messages.push(message('TRI_E008', input, `no article text: found only ${weight} word${weight === 1 ? '' : 's'} after removing ${plain.removed.length} boilerplate line${plain.removed.length === 1 ? '' : 's'}${plain.title ? ` under the title "${plain.title.slice(0, 80)}"` : ''}; an article needs at least ${MIN_WEIGHT} words`));
    return null;
  }
  const author = record?.author ?? plain.author;
  const articleUrl = record?.url ?? url ?? null;
  return {
    input,
    title: plain.title,
    text,
    author: dedupe(author),
    published: record?.publishedGiven ? record.published : dateFromUrl(articleUrl),
    outlet: record?.outlet ?? domainOf(articleUrl),
    url: articleUrl,
    language: normaliseLanguage(record?.language),
    provenance: findCredits({ text, removed: plain.removed, metadata: record?.author ?? [] }),
    removed: plain.removed,
  };
}

function fromRecord(doc: SourceDocument, record: JsonRecord, messages: Message[]): ExtractedArticle | null {
  if (record.html && (!record.text || record.html.length > record.text.length)) {
    return fromHtml(doc.input, record.html, record.url ?? doc.url, messages, record);
  }
  return fromText(doc.input, record.text!, record.url ?? doc.url, messages, { record });
}

function dedupe(names: string[]): string[] {
  const out: string[] = [];
  for (const name of names) {
    const clean = cleanLine(name);
    if (clean && !out.some((o) => o.toLowerCase() === clean.toLowerCase())) out.push(clean);
  }
  return out;
}
