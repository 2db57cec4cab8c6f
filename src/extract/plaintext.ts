/**
 * Plain text (`.txt`, `.md`) as sites serve it: a title line, the title
 * repeated, section headings, the article, then comment prompts, "Recommended"
 * blocks, advertisement leftovers, author and sign-up lines. The first line
 * is the title when it reads like one; boilerplate lines and sub-headings are
 * taken out of the text and listed in `removed`; credit lines are taken out
 * too (their credit is kept by provenance.ts); every sentence of the article
 * stays.
 */
import { classifyLine, bylineAuthors, splitAuthors } from './boilerplate.js';
import { cleanLine, cleanLines, decodeEntities } from './normalize.js';
import { isCreditLine } from './provenance.js';

export interface PlainText {
  title: string | null;
  paragraphs: string[];
  removed: string[];
  author: string[];
}

/** A title is one line of at most this many characters (the longest headline in the Riyadh and ScrapingHub sets is ~130). */
const MAX_TITLE_CHARS = 200;
/** A sub-heading is short: at most this many words. */
const MAX_HEADING_WORDS = 16;

function words(line: string): number {
  let n = 0;
  for (const _ of line.matchAll(/[\p{L}\p{N}]+(?:['’][\p{L}\p{N}]+)*/gu)) n++;
  return n;
}

const TERMINAL = /[.!?…:;,"”’)\]]$/;

/** A line that reads as a heading: short, no sentence punctuation at the end, not starting in lower case. */
function looksLikeHeading(line: string): boolean {
  if (line.length > 120 || words(line) > MAX_HEADING_WORDS || words(line) === 0) return false;
  if (TERMINAL.test(line) && !/[?!]$/.test(line)) return false;
  if (/^[\p{Ll}]/u.test(line)) return false;
  return true;
}

function looksLikeTitle(line: string): boolean {
  if (line.length > MAX_TITLE_CHARS || words(line) === 0) return false;
  // Several sentences are a lede, not a headline.
  if ((line.match(/[.!?]\s+\p{Lu}/gu) ?? []).length >= 1 && line.length > 120) return false;
  return !/[.:;,]$/.test(line) || line.length < 90;
}

/** A line of running prose (long, or ending like a sentence). */
function isProse(line: string | undefined): boolean {
  if (!line) return false;
  return words(line) > MAX_HEADING_WORDS || /[.!?…]["”’)]?$/.test(line) && words(line) >= 4;
}

const key = (s: string) => s.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '');

/**
 * Lines of a text: each line a paragraph when the text is written one
 * paragraph per line; lines joined inside blank-line-separated blocks when it
 * is hard-wrapped (all lines short, blank lines between paragraphs).
 */
function paragraphLines(text: string): string[] {
  const raw = text.replace(/\r\n?/g, '\n');
  const blocks = raw.split(/\n[ \t\u00a0]*\n/);
  const lines = cleanLines(raw);
  const longest = lines.reduce((max, l) => Math.max(max, l.length), 0);
  const multiLineBlocks = blocks.filter((b) => cleanLines(b).length > 1).length;
  const hardWrapped = longest <= 100 && multiLineBlocks >= 1 && lines.length >= 6 && blocks.length >= 2;
  if (!hardWrapped) return lines;
  const out: string[] = [];
  for (const block of blocks) {
    let current = '';
    for (const line of cleanLines(block)) {
      // Markdown list items and headings start a new paragraph even inside a block.
      if (/^(?:#{1,6}\s|[-*+]\s|\d+[.)]\s|>\s?)/.test(line) && current) { out.push(current); current = ''; }
      current = current ? `${current} ${line}` : line;
    }
    if (current) out.push(current);
  }
  return out;
}

/** Strips the Markdown a news site leaves in `.md` text: heading marks, emphasis, links, images. */
function stripMarkdown(line: string): { line: string; heading: boolean } {
  let heading = false;
  let out = line;
  const h = /^#{1,6}\s+(.*?)\s*#*$/.exec(out);
  if (h) { out = h[1]!; heading = true; }
  out = out
    .replace(/!\[[^\]]*\]\([^)]*\)/g, '')
    .replace(/\[([^\]]+)\]\((?:[^()]|\([^)]*\))*\)/g, '$1')
    .replace(/(\*\*|__)(?=\S)(.+?)(?<=\S)\1/g, '$2')
    .replace(/(^|[\s(])[*_](?=\S)([^*_]+?)(?<=\S)[*_](?=[\s).,;:!?]|$)/g, '$1$2')
    .replace(/^>\s?/, '');
  if (/^(?:-{3,}|\*{3,}|_{3,})$/.test(out.trim())) out = '';
  return { line: cleanLine(out), heading };
}

export function extractPlainText(input: string, options: { markdown?: boolean; title?: string | null } = {}): PlainText {
  const text = decodeEntities(input);
  let lines = paragraphLines(text);
  const headings = new Set<number>();
  if (options.markdown ?? /^#{1,6}\s|\n#{1,6}\s|\]\(https?:/.test(text)) {
    const stripped: string[] = [];
    for (const line of lines) {
      const s = stripMarkdown(line);
      if (!s.line) continue;
      if (s.heading) headings.add(stripped.length);
      stripped.push(s.line);
    }
    lines = stripped;
  }

  const removed: string[] = [];
  const author: string[] = [];
  const keep: boolean[] = lines.map(() => true);
  const drop = (i: number) => { if (keep[i]) { keep[i] = false; removed.push(lines[i]!); } };

  // Title: the given one, else the first line when it reads like a headline.
  let title = options.title ?? null;
  let first = 0;
  while (first < lines.length && classifyLine(lines[first]!) !== null) first++;
  if (title === null && first < lines.length && looksLikeTitle(lines[first]!) && lines.length > 1) {
    title = lines[first]!;
    keep[first] = false;
  }
  const titleKey = title ? key(title) : null;

  // Where the article ends: the last line of prose that is not boilerplate (blocks after it are the page's tail).
  const n = lines.length;
  let inTail = false;
  for (let i = 0; i < n; i++) {
    if (!keep[i]) continue;
    const line = lines[i]!;
    if (titleKey && key(line) === titleKey) { drop(i); continue; }
    const kind = classifyLine(line);
    if (inTail) {
      // Inside a related/comments block: teaser titles and snippets ("…"), short lines, more boilerplate.
      if (kind || !isProse(line) || /(?:\.\.\.|…)["”’]?$/.test(line) || tailIsShort(lines, keep, i)) { drop(i); continue; }
      inTail = false;
    }
    if (kind === 'related-heading' || kind === 'comments' && i > n * 0.5) {
      drop(i);
      inTail = true;
      continue;
    }
    if (kind) {
      if (kind === 'byline') author.push(...bylineAuthors(line));
      drop(i);
      continue;
    }
    if (isCreditLine(line)) { drop(i); continue; }
    // Sub-headings: short title-like lines standing between paragraphs of prose.
    if ((headings.has(i) || looksLikeHeading(line)) && isProse(nextKept(lines, keep, i)) && i > first) { drop(i); continue; }
  }
  // A lone name after an "Author" label.
  for (let i = 0; i < n - 1; i++) {
    if (!keep[i] && /^(?:author|written by|by)[:.]?$/i.test(lines[i]!) && keep[i + 1] && /^(?:\p{Lu}[\p{L}'’.-]+\s?){2,4}$/u.test(lines[i + 1]!)) {
      author.push(...splitAuthors(lines[i + 1]!));
      drop(i + 1);
    }
  }
  const paragraphs = lines.filter((_, i) => keep[i]);
  return { title: title ? cleanLine(title) : null, paragraphs, removed, author: [...new Set(author)] };
}

function nextKept(lines: string[], keep: boolean[], i: number): string | undefined {
  for (let j = i + 1; j < lines.length; j++) if (keep[j]) return lines[j];
  return undefined;
}

/** True when what is left after line i is a short run of lines with little prose (a teaser block, not the article resuming). */
function tailIsShort(lines: string[], keep: boolean[], i: number): boolean {
  let prose = 0;
  let count = 0;
  for (let j = i; j < lines.length; j++) {
    if (!keep[j]) continue;
    count++;
    if (words(lines[j]!) > 40 && !/(?:\.\.\.|…)["”’]?$/.test(lines[j]!)) prose++;
  }
  return count <= 6 && prose <= 1;
}
