import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { renderHtml, reportSources } from '../../src/present/index.js';
import type { Briefing } from '../../src/brief/types.js';
import type { Store } from '../../src/store/index.js';
import { demoStore, HOSTILE, hostileArticles, serve, type Running } from './helpers.js';

let store: Store;
let server: Running;
let demoId: string;

before(async () => {
  ({ store } = await demoStore());
  server = await serve({ store });
  demoId = (await store.listStories({ search: 'Riyadh' }))[0]!.id;
});
after(async () => {
  await server.close();
  await store.close();
});

async function page(path: string, init: RequestInit = {}): Promise<{ status: number; html: string }> {
  const response = await fetch(`${server.base}${path}`, { ...init, headers: { accept: 'text/html', ...(init.headers ?? {}) } });
  assert.match(response.headers.get('content-type') ?? '', /^text\/html/);
  return { status: response.status, html: await response.text() };
}

/** Markup from an article never appears as markup; the page's only script is its own external one. */
function assertInert(html: string, where: string): void {
  assert.doesNotMatch(html, /<script>alert/, where);
  assert.doesNotMatch(html, /<img src=x/, where);
  assert.doesNotMatch(html, /<b onclick/, where);
  assert.match(html, /&lt;script&gt;alert\(&quot;x&quot;\)&lt;\/script&gt;/, `${where} shows the markup as text`);
  const scripts = html.match(/<script\b[^>]*>/gi) ?? [];
  assert.ok(scripts.every((s) => s === '<script src="/static/app.js" defer>'), `${where}: ${scripts.join(' ')}`);
}

test('the story page renders the shared briefing components, with citations that lead to the highlighted span', async () => {
  const { status, html } = await page(`/stories/${demoId}`);
  assert.equal(status, 200);
  for (const section of ['Summary', 'Contradictions', 'Who reports what', 'Quotes by speaker', 'Actors', 'Timeline']) assert.match(html, new RegExp(`>${section}</h2>`));
  assert.match(html, /<table class="matrix">/);
  assert.match(html, /<svg class="graph"[^>]*role="img"/);
  const cite = /<a class="cite" href="\/articles\/(a[0-9a-f]+)\?hl=(\d+)-(\d+)#hl"[^>]*>\[\d+\]<span class="tip" role="tooltip"><b>[^<]+<\/b> ([^<]+)<\/span><\/a>/.exec(html);
  assert.ok(cite, 'a citation carries its sentence and links to the article at that span');
  const [, article, start, end, sentence] = cite;
  const target = await page(`/articles/${article}?hl=${start}-${end}`);
  assert.equal(target.status, 200);
  const highlighted = /<span class="[^"]*\bhl\b[^"]*" id="hl"[^>]*>([^<]*)<\/span>/.exec(target.html);
  assert.ok(highlighted, 'the cited span is highlighted and anchored');
  assert.ok(sentence!.replace(/&[a-z#0-9]+;/g, '').startsWith(highlighted[1]!.replace(/&[a-z#0-9]+;/g, '').slice(0, 20)));
  assert.match(target.html, /class="[^"]*\bent\b/, 'entities are marked');
  assert.match(target.html, /class="[^"]*\bquote\b/, 'quotes are marked');
  assert.match(target.html, /class="[^"]*\bfact\b/, 'facts are marked');
  assert.match(target.html, new RegExp(`href="/api/articles/${article}/raw"`), 'the raw input is linked');
});

test('the story list shows counts and filters; a bad filter is explained', async () => {
  const { html } = await page('/');
  assert.match(html, new RegExp(`href="/stories/${demoId}"`));
  assert.match(html, /5 articles · 4 independent sources · \d+ contradictions?/);
  assert.match((await page('/?q=xylophone')).html, /No story matches these filters/);
  const bad = await page('/?from=last-week');
  assert.equal(bad.status, 400);
  assert.match(bad.html, /From date &quot;last-week&quot; is not a date like 2025-02-18/);
});

test('forms work without JavaScript: a pasted article is added, a bad upload gets an error page', async () => {
  const text = 'The regional library will extend its opening hours from next month, the council said on Thursday, after a survey found that most readers wanted evening access. The change will cost about $80,000 a year.';
  const added = await page('/add/text', { method: 'POST', body: new URLSearchParams({ title: 'Library opens late', outlet: 'Town Crier', text }), headers: { 'content-type': 'application/x-www-form-urlencoded' } });
  assert.equal(added.status, 200);
  assert.match(added.html, /Added 1 article/);
  const form = new FormData();
  form.append('files', new Blob(['%PDF-1.4 binary']), 'report.txt');
  const refused = await page('/add/files', { method: 'POST', body: form });
  assert.equal(refused.status, 422);
  assert.match(refused.html, /TRI_E005/);
  assert.match(refused.html, /report\.txt/);
});

test('a hostile article (markup and script in title, text and quotes) is shown as text everywhere: API, pages, report', async () => {
  let storyId = '';
  let articleId = '';
  for (const article of hostileArticles()) {
    const response = await fetch(`${server.base}/api/ingest/text`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(article) });
    const body = await response.json() as { documents: Array<{ article: string; story: string }> };
    assert.equal(response.status, 200, JSON.stringify(body));
    [articleId, storyId] = [body.documents[0]!.article, body.documents[0]!.story];
  }
  const api = await fetch(`${server.base}/api/stories/${storyId}`);
  assert.equal(api.headers.get('content-type'), 'application/json; charset=utf-8');
  assert.equal(api.headers.get('x-content-type-options'), 'nosniff');
  const briefing = (await api.json() as { stories: Briefing[] }).stories[0]!;
  assert.ok(briefing.articles.some((a) => a.title === `Bridge closes ${HOSTILE}`), 'the API returns the title as data, unaltered');
  assert.ok(briefing.quotes.some((q) => q.text.includes('<b onclick')), 'the quote keeps its text');

  assertInert((await page('/')).html, 'story list');
  assertInert((await page(`/stories/${storyId}`)).html, 'story page');
  assertInert((await page(`/stories/${storyId}?since=2000-01-01`)).html, 'what changed (everything new)');
  const quote = briefing.quotes.find((q) => q.text.includes('<b onclick'))!.copies[0]!;
  assertInert((await page(`/articles/${quote.article}?hl=${quote.span[0]}-${quote.span[1]}`)).html, 'article page');
  assertInert((await page(`/articles/${articleId}`)).html, 'article page');
  const report = renderHtml([briefing], await reportSources(store, [briefing]));
  assert.doesNotMatch(report, /<script|<img src=x|<b onclick/);
  assert.match(report, /&lt;script&gt;alert/);

  const echoed = await page(`/stories/${encodeURIComponent('<script>alert(1)</script>')}`);
  assert.equal(echoed.status, 404);
  assert.doesNotMatch(echoed.html, /<script>alert/);
});
