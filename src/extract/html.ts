/**
 * HTML main text. An explicit cascade, trafilatura-style, where each stage
 * engages only when the one before under-delivered:
 *
 *   1. `readability`: a cheap pre-clean (scripts, styles and comments cut from
 *      the source before parsing; navigation, share bars, related lists,
 *      captions, newsletter prompts and comment sections cut from the DOM in
 *      one walk that also collects the metadata), then Mozilla Readability on
 *      the smaller DOM, then a paragraph-level post-clean of its output.
 *   2. `json-ld`: the page's own JSON-LD `articleBody`, when stage 1 found less
 *      than half of it.
 *   3. `paragraphs`: every `<p>` of the cleaned page with enough words, for
 *      pages Readability gives up on.
 */
import { parseHTML } from 'linkedom';
import { Readability } from '@mozilla/readability';
import { classifyLine, bylineAuthors, type BoilerplateKind } from './boilerplate.js';
import { cleanLine, decodeEntities } from './normalize.js';
import { isCreditLine } from './provenance.js';
import type { Collected } from './metadata.js';

// linkedom's DOM types are structural; these are the few members used here.
interface El {
  nodeType: number;
  localName: string;
  tagName: string;
  firstChild: Node | null;
  nextSibling: Node | null;
  parentNode: El | null;
  firstElementChild: El | null;
  nextElementSibling: El | null;
  textContent: string | null;
  getAttribute(name: string): string | null;
  hasAttribute(name: string): boolean;
  remove(): void;
}
interface Node { nodeType: number; textContent: string | null; nextSibling: Node | null; firstChild: Node | null; localName?: string }

export interface HtmlText {
  paragraphs: string[];
  /** Paragraphs the post-clean dropped, for transparency and for credits. */
  removed: string[];
  /** Authors named by byline paragraphs that were dropped. */
  bylineAuthors: string[];
  stage: 'readability' | 'json-ld' | 'paragraphs' | 'none';
  /** What was found, for the no-text message. */
  found: string;
}

/** Cuts what never holds article text out of the source before parsing; JSON-LD blocks are returned separately. */
export function stripSource(html: string): { html: string; jsonLd: string[] } {
  const jsonLd: string[] = [];
  const stripped = html
    .replace(/<!--[\s\S]*?(?:-->|$)/g, '')
    .replace(/<script(?=[\s>/])([^>]*)>([\s\S]*?)<\/script\s*>/gi, (_whole, attrs: string, body: string) => {
      if (/application\/ld\+json/i.test(attrs)) jsonLd.push(body);
      return '';
    })
    // Containers that never hold article text, cut before parsing to save parse and walk time. A nested
    // one leaves a stray end tag, which the parser ignores; an unclosed one is left for the DOM walk.
    .replace(/<(style|noscript|template|svg|math|iframe|object|canvas|nav|aside|select|button)(?=[\s>/])[^>]*>[\s\S]*?<\/\1\s*>/gi, '')
    .replace(/<(?:script|style)(?=[\s/])[^>]*\/>/gi, '');
  return { html: stripped, jsonLd };
}

export function parse(html: string): { document: any } {
  const { document } = parseHTML(html);
  // linkedom builds no <html> element for empty or fragment-only input; give it a document shape.
  if (!document.documentElement || document.documentElement.localName !== 'html' || !document.body) return { document: parseHTML(`<!doctype html><html><head></head><body>${html}</body></html>`).document };
  return { document };
}

/** Elements removed whatever their class: they never hold article text. */
const DROP_TAGS = new Set(['script', 'style', 'noscript', 'template', 'svg', 'iframe', 'object', 'embed', 'canvas', 'button', 'input', 'select', 'textarea', 'option', 'label', 'nav', 'aside', 'figcaption', 'dialog', 'menu', 'video', 'audio', 'map', 'link', 'meta']);
/** Elements removed unless they hold the article (some sites wrap everything in a form or a header): see protectedNodes. */
const GUARDED_TAGS = new Set(['footer', 'header', 'form', 'figure']);
/**
 * Class or id words of boilerplate containers. A class token matches when it
 * is one of these words, or when one of its words (split on `-`, `_` and
 * camelCase) is, so `related-posts`, `relatedPosts` and `post-related` match
 * and `unrelated` does not. STRONG words name things that are never the
 * article (comments, share bars, related lists); WEAK words name things that
 * are usually small (captions, bylines, sidebars) and may be misused.
 */
const STRONG_NEGATIVE = /^(?:share|sharing|sharebar|sharetools|social|socials|related|recirc|recirculation|newsletter|newsletters|subscribe|subscription|signup|comment|comments|commentlist|disqus|outbrain|taboola|zergnet|promo|promos|promoted|sponsor|sponsored|advert|advertisement|advertising|ads|ad|adslot|adunit|dfp|gpt|cookie|cookies|consent|gdpr|popup|modal|breadcrumb|breadcrumbs|trending|mostread|mostpopular|popular|recommended|recommendation|recommendations|readmore|readnext|morestories|upnext|navbar|navigation|nav|menu|footer|skiplink|rss|tooltip|popover)$/;
const WEAK_NEGATIVE = /^(?:tags|taglist|tagcloud|keywords|sidebar|widget|widgets|toolbar|masthead|caption|captions|credit|credits|figcaption|byline|bylines|dateline|timestamp|author|authors|authorbox|bio|postmeta|entrymeta|articlemeta|contributor|rating|pagination|pager|banner|alert|feedback|survey|donate|donation|podcast|gallery|slideshow|carousel|toc|print|overlay)$/;
/** Whole class tokens of visually hidden elements (screen-reader text such as "Share on Facebook"). */
const HIDDEN_TOKENS = /^(?:hidden|is-hidden|visually-hidden|visuallyhidden|sr-only|screen-reader-text|screenreader-only|offscreen|element-invisible|u-hidden|d-none|hide)$/i;
/** Words that say the element is the article itself ("article-body", "story-content"): they turn a strong reason weak. */
const POSITIVE = /^(?:article|articlebody|story|storybody|entry|entrycontent|post|postbody|postcontent|content|body|main|text|richtext|prose)$/;

function classWords(value: string): string[] {
  return value
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
}

/** Why an element is boilerplate by its class, id or role, or null. */
function negativeReason(el: El): 'strong' | 'weak' | null {
  const role = el.getAttribute('role');
  if (role && /^(?:navigation|banner|contentinfo|complementary|dialog|alertdialog|menu|menubar|search|toolbar|tooltip)$/i.test(role)) return 'strong';
  const cls = el.getAttribute('class');
  const id = el.getAttribute('id');
  if (!cls && !id) return null;
  const raw = `${cls ?? ''} ${id ?? ''}`;
  if (raw.length > 400) return null;
  let strong = false;
  let weak = false;
  let positive = false;
  for (const token of raw.split(/\s+/)) {
    if (!token) continue;
    if (HIDDEN_TOKENS.test(token)) { strong = true; continue; }
    const words = classWords(token);
    const joined = words.join('');
    if (STRONG_NEGATIVE.test(joined)) strong = true;
    else if (WEAK_NEGATIVE.test(joined)) weak = true;
    else if (POSITIVE.test(joined)) positive = true;
    else if (words.length > 1) {
      for (const word of words) {
        if (POSITIVE.test(word)) positive = true;
        else if (STRONG_NEGATIVE.test(word)) strong = true;
        else if (WEAK_NEGATIVE.test(word)) weak = true;
      }
    }
  }
  if (strong) return positive ? 'weak' : 'strong';
  return weak && !positive ? 'weak' : null;
}

function isHidden(el: El): boolean {
  if (el.hasAttribute('hidden')) return true;
  const style = el.getAttribute('style');
  if (style && /(?:display\s*:\s*none|visibility\s*:\s*hidden)/i.test(style)) return true;
  return false;
}

const BYLINE_CLASS = /(?:^|[\s_-])(?:byline|author|authors|author-name|byline-name|contributor)(?:$|[\s_-])/i;

/**
 * One walk over the parsed page: collects what metadata needs, then removes
 * boilerplate containers. Removal is guarded: an element that holds most of
 * the page's text is kept whatever its class says.
 */
export function collectAndClean(document: any): Collected {
  const collected: Collected = { meta: new Map(), canonical: null, titleTag: null, htmlLang: null, h1: [], times: [], bylines: [], itempropDates: [] };
  const root = document.documentElement as El | null;
  if (!root) return collected;
  collected.htmlLang = root.getAttribute('lang') ?? root.getAttribute('xml:lang');
  const drop: El[] = [];
  const guarded: Array<[El, 'strong' | 'weak']> = [];
  const pubTimes: string[] = [];
  // Paragraphs outside boilerplate containers, for finding the article's container (see protectedNodes).
  const paragraphs: Array<[El, string, boolean]> = [];
  const bodies: El[] = [];
  const visit = (parent: El, dropped: boolean, negative: boolean): void => {
    for (let el = parent.firstElementChild; el; el = el.nextElementSibling) {
      const tag = el.localName;
      if (tag === 'meta') {
        const key = (el.getAttribute('property') ?? el.getAttribute('name') ?? el.getAttribute('itemprop') ?? el.getAttribute('http-equiv'))?.toLowerCase();
        const content = el.getAttribute('content');
        if (key && content && !collected.meta.has(key)) collected.meta.set(key, decodeEntities(content));
        if (key === 'datepublished' && content) collected.itempropDates.push(content);
        continue;
      }
      if (tag === 'link') {
        if (!collected.canonical && /\bcanonical\b/i.test(el.getAttribute('rel') ?? '')) collected.canonical = el.getAttribute('href');
        continue;
      }
      if (tag === 'title') {
        if (collected.titleTag === null) collected.titleTag = el.textContent ?? '';
        continue;
      }
      if (tag === 'script' || tag === 'style') { if (!dropped) drop.push(el); continue; }
      if (tag === 'h1') {
        if (collected.h1.length < 3) collected.h1.push(el.textContent ?? '');
      } else if (tag === 'time') {
        const dt = el.getAttribute('datetime');
        if (dt) (el.hasAttribute('pubdate') || /publish|posted|created/i.test(el.getAttribute('class') ?? '') || el.getAttribute('itemprop') === 'datePublished' ? pubTimes : collected.times).push(dt);
      }
      const itemprop = el.getAttribute('itemprop');
      if (itemprop) {
        if (itemprop === 'datePublished') { const v = el.getAttribute('content') ?? el.getAttribute('datetime'); if (v) collected.itempropDates.push(v); }
        else if (itemprop === 'author' && collected.bylines.length < 6) {
          const t = cleanLine(el.textContent ?? '');
          if (t && t.length < 120) collected.bylines.push(t);
        }
      } else if (tag === 'a' && /\bauthor\b/i.test(el.getAttribute('rel') ?? '') && collected.bylines.length < 6) {
        const t = cleanLine(el.textContent ?? '');
        if (t && t.length < 80) collected.bylines.push(t);
      } else if (collected.bylines.length < 6 && tag !== 'body' && BYLINE_CLASS.test(el.getAttribute('class') ?? '')) {
        const t = cleanLine(el.textContent ?? '');
        if (t && t.length < 120 && bylineAuthors(t).length > 0) collected.bylines.push(t);
      }
      let droppedHere = dropped;
      let negativeHere = negative;
      if (!dropped && tag !== 'head' && tag !== 'body') {
        if (DROP_TAGS.has(tag) || isHidden(el)) { drop.push(el); droppedHere = true; }
        else if (tag === 'p' || tag === 'li' || tag === 'pre' || tag === 'td' || tag === 'dd') {
          const reason = tag === 'p' && el.hasAttribute('class') ? negativeReason(el) : null;
          // A paragraph classed as a caption, credit or byline is removed like any container.
          if (reason) guarded.push([el, reason]);
          else paragraphs.push([el.parentNode!, el.textContent ?? '', negative]);
        }
        else if (tag !== 'article' && tag !== 'main' && tag !== 'a' && tag !== 'h1') {
          if (GUARDED_TAGS.has(tag)) guarded.push([el, 'weak']);
          else {
            const reason = negativeReason(el);
            if (reason) { guarded.push([el, reason]); if (reason === 'strong') negativeHere = true; }
          }
          // Text written straight into a container with <br>s (blog platforms) counts like a paragraph.
          if ((tag === 'div' || tag === 'td' || tag === 'section' || tag === 'article' || tag === 'font' || tag === 'center')) {
            let direct = '';
            for (let child = (el as unknown as Node).firstChild; child; child = child.nextSibling) if (child.nodeType === 3) direct += child.textContent;
            if (direct.length >= 100 && /\S/.test(direct)) paragraphs.push([el, direct, negativeHere]);
          }
        }
        if (!negativeHere && BODY_MARKER.test(`${el.getAttribute('class') ?? ''} ${el.getAttribute('itemprop') ?? ''} ${el.getAttribute('id') ?? ''}`)) bodies.push(el);
      }
      if (el.firstElementChild) visit(el, droppedHere, negativeHere);
    }
  };
  visit(root, false, false);
  collected.times = [...pubTimes, ...collected.times];
  for (const node of drop) node.remove();
  if (guarded.length) {
    const keep = protectedNodes(paragraphs, bodies);
    for (const [node, reason] of guarded) {
      if (keep.has(node) || !node.parentNode) continue;
      node.remove();
    }
  }
  return collected;
}

/**
 * The container that holds most of the page's paragraph text (scored as
 * Readability scores candidates: a paragraph's length and commas go to its
 * parent in full and to its grandparent by half) and all its ancestors. A
 * class that says "sidebar" or "hidden" on one of these cannot remove the
 * article.
 */
function protectedNodes(paragraphs: Array<[El, string, boolean]>, bodies: El[]): Set<El> {
  const scores = new Map<El, number>();
  for (const [parent, text, negative] of paragraphs) {
    if (text.length < 25 || !parent || parent.nodeType !== 1) continue;
    // Paragraphs inside a comments/related/ad container count half: the article usually outweighs them,
    // but a page whose every paragraph sits in a misnamed wrapper still finds its article.
    const score = (1 + (text.match(/[,，、]/g)?.length ?? 0) + Math.min(3, Math.floor(text.length / 100))) * (negative ? 0.5 : 1);
    scores.set(parent, (scores.get(parent) ?? 0) + score);
    const grand = parent.parentNode;
    if (grand && grand.nodeType === 1) scores.set(grand, (scores.get(grand) ?? 0) + score / 2);
  }
  let top: El | null = null;
  let best = 0;
  for (const [node, score] of scores) if (score > best) { best = score; top = node; }
  const keep = new Set<El>();
  for (let node = top; node && node.nodeType === 1; node = node.parentNode) keep.add(node);
  // Elements the page itself marks as the article body, when they hold real text.
  for (const body of bodies) {
    if (keep.has(body) || (body.textContent ?? '').length < 500) continue;
    for (let node: El | null = body; node && node.nodeType === 1 && !keep.has(node); node = node.parentNode) keep.add(node);
  }
  return keep;
}

/** Class, id or itemprop of the element that holds an article's body on common platforms. */
const BODY_MARKER = /(?:^|\s)(?:articleBody|article-body|articlebody|article__body|article-content|article__content|articleContent|post-body|postBody|post-content|post__content|entry-content|entry__content|story-body|storyBody|story-content|story__body|body-content|article-text|articleText|story-text|main-content|td-post-content|field-name-body|rich-text|richtext)(?:$|\s)/;

/** Block-level elements: each starts a new paragraph in the text. */
const BLOCK = new Set(['p', 'div', 'section', 'article', 'main', 'header', 'footer', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'li', 'ul', 'ol', 'dl', 'dt', 'dd', 'blockquote', 'pre', 'table', 'thead', 'tbody', 'tfoot', 'tr', 'figure', 'figcaption', 'address', 'hr', 'form', 'fieldset', 'details', 'summary', 'center', 'aside', 'nav', 'caption']);
const CELL = new Set(['td', 'th']);

interface Block { text: string; linkChars: number; tag: string; inList: boolean }

/** Turns an element into paragraphs: one per block element, `<br>` as a break, table cells separated by spaces. */
export function blocksOf(root: El): Block[] {
  const blocks: Block[] = [];
  let buffer = '';
  let linkChars = 0;
  let blockTag = 'p';
  let listDepth = 0;
  let linkDepth = 0;
  const flush = () => {
    const text = cleanLine(buffer);
    if (text) blocks.push({ text, linkChars: Math.min(linkChars, text.length), tag: blockTag, inList: listDepth > 0 });
    buffer = '';
    linkChars = 0;
  };
  const visit = (node: Node): void => {
    for (let child = node.firstChild; child; child = child.nextSibling) {
      if (child.nodeType === 3) {
        const data = child.textContent ?? '';
        buffer += data;
        if (linkDepth > 0) linkChars += data.trim().length;
        continue;
      }
      if (child.nodeType !== 1) continue;
      const tag = (child as unknown as El).localName;
      if (tag === 'br') { flush(); continue; }
      if (tag === 'script' || tag === 'style' || tag === 'noscript' || tag === 'template') continue;
      if (BLOCK.has(tag)) {
        flush();
        const previous = blockTag;
        if (tag !== 'div' && tag !== 'section' && tag !== 'article' && tag !== 'main') blockTag = tag;
        if (tag === 'ul' || tag === 'ol') listDepth++;
        visit(child);
        if (tag === 'ul' || tag === 'ol') listDepth--;
        flush();
        blockTag = previous;
      } else if (CELL.has(tag)) {
        buffer += ' ';
        visit(child);
        buffer += ' ';
      } else if (tag === 'a') {
        linkDepth++;
        visit(child);
        linkDepth--;
      } else if (tag === 'img') {
        continue;
      } else {
        visit(child);
      }
    }
  };
  visit(root as unknown as Node);
  flush();
  return blocks;
}

function words(text: string): number {
  let n = 0;
  for (const _ of text.matchAll(/[\p{L}\p{N}]+/gu)) n++;
  return n;
}

/** Counts characters as words for scripts written without spaces (CJK), so thresholds work across languages. */
export function textWeight(text: string): number {
  const cjk = text.match(/[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]/g)?.length ?? 0;
  return words(text) + Math.floor(cjk / 2);
}

interface PostCleaned { kept: Block[]; removed: string[]; authors: string[] }

/**
 * Paragraph-level clean of the extracted main text: boilerplate lines
 * (boilerplate.ts), the headline repeated at the top, bylines and dates at
 * the edges, and link lists that follow a "Related"/"More from" heading.
 */
export function postClean(blocks: Block[], title: string | null): PostCleaned {
  const kept: Block[] = [];
  const removed: string[] = [];
  const authors: string[] = [];
  const titleKey = title ? key(title) : null;
  let skipLinks = false;
  for (let i = 0; i < blocks.length; i++) {
    const block = blocks[i]!;
    const text = block.text;
    const n = textWeight(text);
    const density = block.linkChars / Math.max(1, text.length);
    let kind: BoilerplateKind | 'title' | 'links' | 'credit' | null = null;
    if (skipLinks) {
      if (density > 0.5 || n <= 3 || (n <= 25 && !/[.!?…]["”’]?$/.test(text) && block.inList)) kind = 'links';
      else skipLinks = false;
    }
    if (!kind) {
      if (n <= 45 || block.tag === 'li' || /^h[1-6]$/.test(block.tag)) kind = classifyLine(text);
      else if (/all rights reserved|©/i.test(text) && n <= 80 && classifyLine(text) === 'copyright') kind = 'copyright';
      if (kind === 'related-heading') skipLinks = true;
      if (!kind && titleKey && kept.length < 3 && key(text) === titleKey) kind = 'title';
      if (!kind && n <= 40 && isCreditLine(text) && !/^(?:[\p{Lu}][\p{L}.,'’ -]{0,60}?\s*)?\([^)]*\)\s*[-—–:]/u.test(text)) kind = 'credit';
    }
    if (kind) {
      if (kind === 'byline') authors.push(...bylineAuthors(text));
      removed.push(text);
      continue;
    }
    kept.push(block);
  }
  // Trailing link lists and one-line teasers after the article (no full stop, mostly links).
  while (kept.length > 1) {
    const last = kept[kept.length - 1]!;
    const density = last.linkChars / Math.max(1, last.text.length);
    if (density > 0.6 && textWeight(last.text) < 30) { removed.push(last.text); kept.pop(); continue; }
    break;
  }
  return { kept, removed, authors };
}

function key(text: string): string {
  return text.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '');
}

/**
 * Runs the cascade over a cleaned document. `title` lets the post-clean drop
 * a repeated headline; `articleBody` is the JSON-LD fallback.
 */
export function mainText(document: any, title: string | null, articleBody: string | null): HtmlText {
  let stage: HtmlText['stage'] = 'readability';
  let blocks: Block[] = [];
  let readabilityFailed = '';
  try {
    const reader = new Readability(document, { serializer: (el: unknown) => el, charThreshold: 500 } as never);
    const result = reader.parse() as { content?: El } | null;
    if (result?.content) blocks = blocksOf(result.content);
  } catch (error) {
    readabilityFailed = (error as Error).message;
  }
  let cleaned = postClean(blocks, title);
  let weight = cleaned.kept.reduce((sum, b) => sum + textWeight(b.text), 0);

  // Stage 2: JSON-LD articleBody when Readability found much less than it.
  if (articleBody) {
    const bodyText = decodeEntities(articleBody.replace(/<[^>]+>/g, ' '));
    const bodyWeight = textWeight(bodyText);
    // 0.5: Readability's text is kept unless the page's own articleBody is twice as long (ScrapingHub set, 2025).
    if (bodyWeight >= MIN_WEIGHT && weight < bodyWeight * 0.5) {
      const paragraphs = bodyText.split(/\n\s*\n|\r?\n|(?<=[.!?]["”]?)\s{2,}(?=\p{Lu})/u).map(cleanLine).filter(Boolean);
      cleaned = { kept: paragraphs.map((text) => ({ text, linkChars: 0, tag: 'p', inList: false })), removed: cleaned.removed, authors: cleaned.authors };
      weight = bodyWeight;
      stage = 'json-ld';
    }
  }

  // Stage 3: every paragraph of the cleaned page, for pages Readability could not score.
  if (weight < MIN_WEIGHT) {
    const body = document.body as El | null;
    if (body) {
      const all = blocksOf(body).filter((b) => b.tag === 'p' && textWeight(b.text) >= 8 && b.linkChars / b.text.length < 0.5);
      const fallback = postClean(all, title);
      const fallbackWeight = fallback.kept.reduce((sum, b) => sum + textWeight(b.text), 0);
      if (fallbackWeight > weight) { cleaned = fallback; weight = fallbackWeight; stage = 'paragraphs'; }
    }
  }
  const paragraphs = cleaned.kept.map((b) => b.text);
  const found = weight === 0
    ? `found no paragraph of text${readabilityFailed ? ` (the main-text scorer failed: ${readabilityFailed})` : ''}`
    : `found only ${weight} word${weight === 1 ? '' : 's'} in ${paragraphs.length} paragraph${paragraphs.length === 1 ? '' : 's'}`;
  return { paragraphs, removed: cleaned.removed, bylineAuthors: cleaned.authors, stage: weight === 0 ? 'none' : stage, found };
}

/**
 * Fewest words of main text that count as an article (a short news brief has
 * about 40). CJK characters count as half a word each.
 */
export const MIN_WEIGHT = 25;
