import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { extract } from '../../src/extract/index.js';
import { doc, page, PROSE } from './helpers.js';

const fixture = (name: string) => readFileSync(fileURLToPath(new URL(`../fixtures/extract/${name}`, import.meta.url)));

test('an article page keeps its paragraphs and drops navigation, share bars, related links, captions, comments and footer', () => {
  const { article, messages } = extract(doc(fixture('article.html'), 'html', { input: 'article.html' }));
  assert.deepEqual(messages, []);
  assert.ok(article);
  const paragraphs = article.text.split('\n\n');
  assert.equal(paragraphs.length, 6);
  assert.match(paragraphs[0]!, /^The harbour bridge reopened to traffic on Tuesday morning/);
  assert.match(article.text, /“This is the best day we have had in this job,” said Maria Lenz, the city’s chief engineer, as the first buses crossed at 7 a\.m\./);
  assert.match(article.text, /more than €40 million/);
  for (const junk of ['News', 'Share on Facebook', 'Tweet', 'cookies', 'Photo: Harbour Authority', 'Sign up', 'Council approves bridge budget', 'Tags', 'About time', 'Leave a Reply', 'All rights reserved', 'Storm warning', 'editor\'s comment', 'not text', 'By Jane Whitaker']) {
    assert.ok(!article.text.includes(junk), `text should not contain "${junk}"`);
  }
  assert.equal(article.title, 'Harbour bridge reopens after two-year repair');
  assert.deepEqual(article.author, ['Jane Whitaker']);
  assert.equal(article.published, '2025-03-04T08:30:00Z');
  assert.equal(article.outlet, 'The Daily Example');
  assert.equal(article.url, 'https://news.example.com/2025/03/04/harbour-bridge-reopens');
  assert.equal(article.language, 'en');
  assert.deepEqual(article.provenance, [{ origin: 'Reuters', evidence: 'The repair ran six months late, according to Reuters, because of a shortage of specialised cable.' }]);
});

test('text is normalised: one blank line between paragraphs, no trailing spaces, NBSP as space, entities decoded, quotes kept', () => {
  const html = page(`<article>
    <p>  ${PROSE[0]}   </p>
    <p>“Quoted,”&nbsp;she&#160;said &amp; left &mdash; <em>twice</em>.\u200b ${PROSE[1]}</p>
    <div>${PROSE[2]}<br>Second line of the same block.</div>
  </article>`);
  const { article } = extract(doc(html));
  assert.ok(article);
  assert.ok(!/[ \t]\n|\n{3,}|\u00a0|\u200b/.test(article.text));
  assert.match(article.text, /“Quoted,” she said & left — twice\./);
  assert.equal(article.text.split('\n\n').length, 4);
  assert.ok(!article.text.startsWith(' ') && !article.text.endsWith(' '));
});

test('script, style, comments and hidden elements inside the article never reach the text', () => {
  const html = page(`<article>
    <p>${PROSE[0]}<script>document.write("<p>INJECTED SCRIPT TEXT</p>")</script></p>
    <style>p { color: red } /* STYLE TEXT */</style>
    <!-- <p>COMMENTED OUT TEXT</p> -->
    <p>${PROSE[1]}<span style="display:none">HIDDEN SPAN TEXT</span></p>
    <div hidden>HIDDEN DIV TEXT</div>
    <noscript>NOSCRIPT TEXT</noscript>
    <p>${PROSE[2]}</p>
    <script type="text/javascript">var x = "</div><p>BROKEN OUT</p>";</script>
  </article>`);
  const { article } = extract(doc(html));
  assert.ok(article);
  for (const bad of ['INJECTED', 'STYLE TEXT', 'COMMENTED', 'HIDDEN', 'NOSCRIPT', 'BROKEN OUT', 'color: red']) assert.ok(!article.text.includes(bad), bad);
  assert.equal(article.text.split('\n\n').length, 3);
});

test('a page with no article text is an error naming what was found', () => {
  const html = page('<nav><a href="/">Home</a> <a href="/news">News</a></nav><div class="login"><form><input name="user"><button>Log in</button></form></div><footer>© 2025 Example</footer>');
  const { article, messages } = extract(doc(html, 'html', { input: 'login.html' }));
  assert.equal(article, null);
  assert.equal(messages.length, 1);
  assert.equal(messages[0]!.code, 'TRI_E008');
  assert.equal(messages[0]!.severity, 'error');
  assert.equal(messages[0]!.input, 'login.html');
  assert.match(messages[0]!.reason, /^no article text: found (?:no paragraph of text|only \d+ words?)/);
  assert.match(messages[0]!.reason, /Night buses reach the outer districts/);
});

test('a page with only a sentence or two is too short to be an article', () => {
  const { article, messages } = extract(doc(page('<article><p>Coming soon.</p></article>')));
  assert.equal(article, null);
  assert.equal(messages[0]!.code, 'TRI_E008');
});

test('a page Readability cannot score still yields its paragraphs (fallback stage)', () => {
  const body = PROSE.map((p) => `<p>${p}</p>`).join('');
  const { article } = extract(doc(page(`<div class="wrapper">${body}</div>`)));
  assert.ok(article);
  assert.equal(article.text.split('\n\n').length, 3);
});

test('the JSON-LD articleBody is used when the page shows much less of the article', () => {
  const body = `${PROSE.join(' ')} ${PROSE.join(' ')}`;
  const ld = `<script type="application/ld+json">${JSON.stringify({ '@type': 'NewsArticle', headline: 'Night buses', articleBody: body })}</script>`;
  const { article } = extract(doc(page('<div class="teaser"><p>Night buses are coming to the outer districts.</p></div>', ld)));
  assert.ok(article);
  assert.match(article.text, /four million euros/);
});

test('boilerplate paragraphs inside the article body are removed', () => {
  const html = page(`<article>
    <p>${PROSE[0]}</p>
    <p>ADVERTISEMENT</p>
    <p>Read more: Council approves new budget</p>
    <p>${PROSE[1]}</p>
    <p>Sign up for our daily newsletter to get the latest news in your inbox.</p>
    <p>${PROSE[2]}</p>
    <p>Copyright 2025 Example Media. All rights reserved.</p>
  </article>`);
  const { article } = extract(doc(html));
  assert.ok(article);
  assert.equal(article.text.split('\n\n').length, 3);
  assert.ok(article.removed.includes('ADVERTISEMENT'));
});

test('garbage and degenerate input never throws', () => {
  const inputs: Array<string | Uint8Array> = [
    '', ' ', '<', '<html>', '<html><body></body></html>', '<<<>>>&&&;;', '<p>'.repeat(2000), '</div>'.repeat(500),
    `<div>${'<div>'.repeat(300)}deep${'</div>'.repeat(300)}</div>`, '<script>', '<!--', '<svg><p>x</p>',
    Uint8Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256),
  ];
  for (const input of inputs) {
    for (const format of ['html', 'text', 'json'] as const) {
      const result = extract(doc(input, format));
      assert.ok(result.article === null || typeof result.article.text === 'string');
      for (const m of result.messages) assert.match(m.code, /^TRI_[EW]\d{3}$/);
    }
  }
});
