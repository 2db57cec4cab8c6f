/**
 * The web UI: server-rendered pages, readable with JavaScript off. The story
 * page is the HTML report's own `renderStory` (src/present/components.ts) with
 * citations leading to the article page, where the cited span is highlighted.
 * Article text, titles and names are escaped everywhere; nothing from an
 * article is ever inserted as markup.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { formatMessage } from '../errors.js';
import { dateRange, plural, sourceName } from '../present/common.js';
import { escapeHtml, renderMarkedText, renderStory, renderStoryChanges, type Mark, type StoryContext } from '../present/components.js';
import { renderRevisionsHtml } from '../present/revisions.js';
import { APP_CSS, BRIEFING_CSS } from '../present/style.js';
import { parseSince, SINCE_FORMATS } from '../time.js';
import type { Span } from '../types.js';
import type { Evidence } from '../brief/types.js';
import { CLIENT_JS } from './client.js';
import { ApiError, type ErrorBody } from './errors.js';
import type { AppContext } from './app.js';
import { encodeBody, type EncodedBody, type IngestResult, type StoryService, type StorySummary, type StoryView } from './service.js';

const STYLESHEET = `${BRIEFING_CSS}${APP_CSS}`;
/** Story pages rendered from a cached view; they go when the view leaves the service's cache. */
const renderedStories = new WeakMap<StoryView, EncodedBody>();
const PAGE_SIZE = 20;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
/** The "What changed" shortcuts on a story page. */
const SINCE_LINKS: Array<[string, string]> = [['1d', 'day'], ['7d', '7 days']];

function layout(title: string, main: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} · Triangulate</title>
<link rel="stylesheet" href="/static/style.css">
<script src="/static/app.js" defer></script>
</head>
<body>
<a class="skip" href="#main">Skip to content</a>
<nav class="top" aria-label="Site"><a class="brand" href="/">Triangulate</a><a href="/">Stories</a><a href="/add">Add articles</a><a href="/api/openapi.json">API</a></nav>
<main id="main" tabindex="-1">
${main}
</main>
</body>
</html>
`;
}

function html(reply: FastifyReply, body: string, status = 200): FastifyReply {
  return reply.code(status).type('text/html; charset=utf-8').send(body);
}

/** A cached body, gzipped when the client accepts it (the large story pages and briefings shrink about sixfold). */
export function sendEncoded(reply: FastifyReply, request: FastifyRequest, body: EncodedBody): FastifyReply {
  reply.header('vary', 'accept-encoding');
  if (/\bgzip\b/.test(String(request.headers['accept-encoding'] ?? ''))) return reply.header('content-encoding', 'gzip').send(body.gzip);
  return reply.send(body.raw);
}

export function renderErrorPage(error: ErrorBody): string {
  const messages = error.messages?.length ? `<ul>${error.messages.map((m) => `<li>${escapeHtml(formatMessage(m))}</li>`).join('')}</ul>` : '';
  return layout(`Error ${error.status}`, `<h1>Error ${error.status}</h1><div class="status error" role="alert"><p><code>${escapeHtml(error.code)}</code> ${escapeHtml(error.message)}</p>${messages}</div>
<p><a href="/">Back to the stories</a> · <a href="/add">Add articles</a></p>`);
}

function storyItem(s: StorySummary): string {
  const dates = s.firstPublished ? dateRange({ dates: { first: s.firstPublished, last: s.lastPublished } } as Parameters<typeof dateRange>[0]) : 'undated';
  return `<li><h2><a href="/stories/${encodeURIComponent(s.id)}">${escapeHtml(s.headline)}</a></h2><p class="meta">${escapeHtml(dates)} · ${plural(s.articleCount, 'article')} · ${plural(s.familyCount, 'independent source')} · ${plural(s.contradictionCount, 'contradiction')}</p></li>`;
}

/** On the site a citation leads to the article page with the span highlighted. */
const links = {
  evidenceHref: (e: Pick<Evidence, 'article' | 'span'>) => `/articles/${encodeURIComponent(e.article)}?hl=${e.span[0]}-${e.span[1]}#hl`,
  articleHref: (articleId: string) => `/articles/${encodeURIComponent(articleId)}`,
  storyHref: (storyId: string) => `/stories/${encodeURIComponent(storyId)}`,
};

function storyContext(view: StoryView): StoryContext {
  return { sources: view.sources, ...links };
}

/** The story page's way into "What changed": one day, seven days, or a time of one's own. */
function changesForm(storyId: string, since: string): string {
  const path = `/stories/${encodeURIComponent(storyId)}`;
  const quick = SINCE_LINKS.map(([value, label]) => (value === since ? `<b aria-current="page">${label}</b>` : `<a href="${escapeHtml(`${path}?since=${value}`)}">${label}</a>`)).join(' · ');
  return `<form class="changes-nav" method="get" action="${escapeHtml(path)}" aria-label="What changed"><span class="label">What changed in the last</span> ${quick}
<label for="since">or since</label><input id="since" name="since" type="text" value="${escapeHtml(since)}" placeholder="2025-02-18, 6h, 2d" aria-describedby="since-hint"><button type="submit">Show changes</button>
<p class="hint" id="since-hint">A date or time (2025-02-18, 2025-02-18T10:00Z) or a duration back from now (6h, 2d).</p></form>`;
}

/** `/stories/ID?since=…`: what changed since then, the CLI's `brief --since` as a page. */
async function storyChangesPage(reply: FastifyReply, service: StoryService, view: StoryView, since: string): Promise<FastifyReply> {
  const title = `What changed · ${view.briefing.headline}`;
  const back = `<p class="meta"><a href="/stories/${encodeURIComponent(view.story.id)}">The whole briefing</a> · <a href="/api/stories/${encodeURIComponent(view.story.id)}?${escapeHtml(new URLSearchParams({ since }).toString())}">these changes as JSON</a></p>`;
  const header = `<h1>${escapeHtml(view.briefing.headline)}</h1>${changesForm(view.story.id, since)}`;
  const at = parseSince(since);
  if (at === null) return html(reply, layout(title, `${header}<div class="status error" role="alert"><p>${escapeHtml(`"${since}" is not ${SINCE_FORMATS}.`)}</p></div>${back}`), 400);
  const changes = await service.storyChanges(view.story.id, at);
  if (!changes) throw new ApiError(404, 'TRI_E100', `no story "${view.story.id}"; the story list at / shows them all`);
  const body = renderStoryChanges(changes.diff, changes.view.briefing, storyContext(changes.view));
  return html(reply, layout(title, `${header}<p class="meta">Changes since ${escapeHtml(at)}.</p>${body}${back}`));
}

export function registerPages(app: FastifyInstance, ctx: AppContext): void {
  const { service } = ctx;
  app.decorate('renderErrorPage', (error: ApiError) => renderErrorPage(error.body()));

  app.get('/static/style.css', async (_request, reply) => reply.type('text/css; charset=utf-8').header('cache-control', 'public, max-age=3600').send(STYLESHEET));
  app.get('/static/app.js', async (_request, reply) => reply.type('text/javascript; charset=utf-8').header('cache-control', 'public, max-age=3600').send(CLIENT_JS));
  app.get('/favicon.ico', async (_request, reply) => reply.code(204).send());

  app.get('/', async (request, reply) => {
    const q = request.query as Record<string, string | undefined>;
    const search = (q.q ?? '').trim().slice(0, 500);
    const outlet = (q.outlet ?? '').trim().slice(0, 200);
    const [from, to] = [(q.from ?? '').trim(), (q.to ?? '').trim()];
    const offset = Math.min(Math.max(Number.parseInt(q.offset ?? '0', 10) || 0, 0), 1_000_000);
    const problems = [[from, 'From'], [to, 'To']].filter(([v]) => v && !DATE.test(v!)).map(([v, name]) => `${name} date "${v}" is not a date like 2025-02-18.`);
    const form = `<form class="filters" method="get" action="/" role="search">
<div><label for="q">Search</label><input id="q" type="search" name="q" value="${escapeHtml(search)}" placeholder="words in the articles"></div>
<div><label for="from">From</label><input id="from" type="date" name="from" value="${escapeHtml(from)}"></div>
<div><label for="to">To</label><input id="to" type="date" name="to" value="${escapeHtml(to)}"></div>
<div><label for="outlet">Outlet</label><input id="outlet" type="text" name="outlet" value="${escapeHtml(outlet)}" placeholder="name or example.com"></div>
<div><button type="submit">Show stories</button></div></form>`;
    if (problems.length) return html(reply, layout('Stories', `<h1>Stories</h1>${form}<div class="status error" role="alert">${problems.map((p) => `<p>${escapeHtml(p)}</p>`).join('')}</div>`), 400);
    const { stories, next } = await service.listStories({
      limit: PAGE_SIZE, offset, ...(search ? { search } : {}), ...(from ? { since: from } : {}), ...(to ? { until: to } : {}), ...(outlet ? { outlet } : {}),
    });
    const link = (o: number) => `/?${new URLSearchParams({ ...(search ? { q: search } : {}), ...(from ? { from } : {}), ...(to ? { to } : {}), ...(outlet ? { outlet } : {}), offset: String(o) })}`;
    const filtered = Boolean(search || from || to || outlet);
    const list = stories.length
      ? `<ol class="stories" start="${offset + 1}">${stories.map(storyItem).join('')}</ol>`
      : `<p class="note">${filtered ? 'No story matches these filters.' : 'No stories yet: <a href="/add">add articles</a> or run <code>triangulate ingest</code> on this database.'}</p>`;
    const pager = `<nav class="pager" aria-label="Pages">${offset > 0 ? `<a href="${escapeHtml(link(Math.max(0, offset - PAGE_SIZE)))}" rel="prev">← Newer</a>` : '<span></span>'}${next !== null ? `<a href="${escapeHtml(link(next))}" rel="next">Older →</a>` : ''}</nav>`;
    return html(reply, layout('Stories', `<h1>Stories</h1>${form}${list}${pager}`));
  });

  app.get('/stories/:id', async (request, reply) => {
    const { id } = request.params as { id: string };
    const since = String((request.query as Record<string, unknown>).since ?? '').trim().slice(0, 100);
    const view = await service.storyView(id);
    if (!view) throw new ApiError(404, 'TRI_E100', `no story "${id}"; the story list at / shows them all`);
    const path = `/stories/${encodeURIComponent(view.story.id)}`;
    if (view.story.id !== id) return reply.redirect(since ? `${path}?${new URLSearchParams({ since })}` : path, 301);
    if (since) return storyChangesPage(reply, service, view, since);
    const cached = renderedStories.get(view);
    if (cached) return sendEncoded(reply.type('text/html; charset=utf-8'), request, cached);
    const story = renderStory(view.briefing, storyContext(view));
    const footer = `<p class="meta"><a href="/api/stories/${encodeURIComponent(view.story.id)}">This briefing as JSON</a> · citations [n] show their sentence on hover, focus or tap, and open it highlighted in its article</p>`;
    const rendered = encodeBody(layout(view.briefing.headline, `${changesForm(view.story.id, '')}${story}${footer}`));
    renderedStories.set(view, rendered);
    return sendEncoded(reply.type('text/html; charset=utf-8'), request, rendered);
  });

  app.get('/articles/:id', async (request, reply) => {
    const { id } = request.params as { id: string };
    const view = await service.articleView(id);
    if (!view) throw new ApiError(404, 'TRI_E100', `no article "${id}"`);
    const { article, analysis } = view;
    const hl = /^(\d+)-(\d+)$/.exec(String((request.query as Record<string, string>).hl ?? ''));
    const storyView = view.story ? await service.storyView(view.story) : null;
    const marks: Mark[] = [];
    if (analysis) {
      const actorName = new Map(analysis.actors.map((a) => [a.id, a.name]));
      for (const e of analysis.entities) marks.push({ span: e.span, className: 'ent', title: `${{ PER: 'person', ORG: 'organisation', LOC: 'place' }[e.type]}${e.actor && actorName.get(e.actor) ? `: ${actorName.get(e.actor)}` : ''}` });
      for (const q of analysis.quotes) {
        const speaker = q.speaker?.actor ? actorName.get(q.speaker.actor) : q.speaker?.span ? article.text.slice(q.speaker.span[0], q.speaker.span[1]) : null;
        marks.push({ span: q.span, className: 'quote', title: `${q.direct ? 'quote' : 'reported speech'}${speaker ? ` of ${speaker}` : ''}` });
      }
    }
    for (const fact of storyView?.briefing.facts ?? []) {
      if (fact.independentSources < 2) continue;
      for (const e of fact.support) if (e.article === id) marks.push({ span: e.span, className: 'fact', title: `fact reported by ${plural(fact.independentSources, 'independent source')}` });
    }
    const added = view.revisions.changes?.added ?? [];
    for (const e of added) marks.push({ span: e.span, className: 'added', title: 'added since the previous revision of the page' });
    let highlighted = '';
    if (hl) {
      const span: Span = [Number(hl[1]), Number(hl[2])];
      marks.push({ span, className: 'hl', id: 'hl' });
      highlighted = `<p class="note">The highlighted passage is the one cited: “${escapeHtml(article.text.slice(span[0], span[1]).slice(0, 300))}”. <a href="#hl">Jump to it</a>.</p>`;
    }
    const brief = storyView?.briefing.articles.find((a) => a.id === id);
    const name = brief ? sourceName(brief) : article.outlet ?? article.input;
    const safeUrl = article.url && /^https?:\/\//i.test(article.url) ? article.url : null;
    const rows: Array<[string, string]> = [
      ['Outlet', escapeHtml(name)],
      ['Published', escapeHtml(article.published ?? 'unknown')],
      ['Author', escapeHtml(article.author.join(', ') || 'unknown')],
      ['URL', safeUrl ? `<a href="${escapeHtml(safeUrl)}" rel="noopener noreferrer nofollow">${escapeHtml(safeUrl)}</a>` : escapeHtml(article.url ?? 'none')],
      ['Credits', escapeHtml(article.provenance.map((p) => `${p.origin} (“${p.evidence}”)`).join('; ') || 'none found')],
      ['Language', escapeHtml(article.language ?? 'unknown')],
      ['Input', `${escapeHtml(article.input)} (${escapeHtml(article.format)}) · <a href="/api/articles/${encodeURIComponent(id)}/raw">raw input as received</a> · <a href="/api/articles/${encodeURIComponent(id)}">analysis as JSON</a>`],
      ['Story', view.story ? `<a href="/stories/${encodeURIComponent(view.story)}">${escapeHtml(storyView?.briefing.headline ?? view.story)}</a>` : 'not grouped yet'],
      ['Ingested', escapeHtml(article.ingestedAt)],
    ];
    const removed = article.removed.length ? `<details><summary>${plural(article.removed.length, 'boilerplate line')} removed from the text</summary><ul>${article.removed.map((r) => `<li>${escapeHtml(r)}</li>`).join('')}</ul></details>` : '';
    const legend = analysis
      ? `<p class="legend meta"><span class="text"><span class="ent">names</span></span> <span class="text"><span class="quote">quotes and reported speech</span></span> <span class="text"><span class="fact">facts other sources carry too</span></span>${added.length ? ' <span class="text"><span class="added">added since the previous revision</span></span>' : ''}${hl ? ' <span class="text"><span class="hl">the cited passage</span></span>' : ''}</p>`
      : '<p class="note">Not analysed yet.</p>';
    return html(reply, layout(article.title ?? id, `<article><header><h1>${escapeHtml(article.title ?? '(untitled)')}</h1></header>
<dl class="meta-list">${rows.map(([k, v]) => `<dt>${k}</dt><dd>${v}</dd>`).join('')}</dl>${removed}
${renderRevisionsHtml(id, view.revisions, links)}
<h2>Text</h2>${highlighted}${legend}<div class="text">${renderMarkedText(article.text, marks)}</div></article>`));
  });

  const tokenField = (prefix: string) => (ctx.options.token
    ? `<div class="field"><label for="${prefix}-token">Access token</label><input id="${prefix}-token" type="password" name="token" autocomplete="current-password" required><p class="hint">This server accepts articles only with its token.</p></div>`
    : '');
  app.get('/add', async (_request, reply) => html(reply, layout('Add articles', `<h1>Add articles</h1>
<p>Articles are stored, analysed and grouped into stories; the result lists what changed. Nothing you add is shown as markup: pages and text are read as text.</p>
<div id="status" class="status" role="status" aria-live="polite" tabindex="-1"></div><progress id="progress" hidden aria-label="Progress"></progress>
<div class="add">
<form method="post" action="/add/files" enctype="multipart/form-data" data-api="/api/ingest/files"><fieldset><legend>Upload files</legend>
${tokenField('files')}<div class="field"><label for="files">Files</label><input id="files" type="file" name="files" multiple required accept=".html,.htm,.xhtml,.txt,.md,.json,.jsonl,.ndjson,.gz" aria-describedby="files-hint">
<p class="hint" id="files-hint">.html/.htm, .txt/.md, .json/.jsonl (records with text or html, and optional title, url, published, outlet, author), optionally .gz; up to ${Math.round((ctx.options.maxUploadBytes ?? 20 * 1024 * 1024) / 1024 / 1024)} MB.</p></div>
<button type="submit">Upload</button></fieldset></form>
<form method="post" action="/add/text" data-api="/api/ingest/text"><fieldset><legend>Paste an article</legend>
${tokenField('text')}<div class="field"><label for="title">Title</label><input id="title" type="text" name="title"></div>
<div class="field"><label for="paste-outlet">Outlet</label><input id="paste-outlet" type="text" name="outlet"></div>
<div class="field"><label for="paste-url">Address (URL)</label><input id="paste-url" type="url" name="url"></div>
<div class="field"><label for="published">Published</label><input id="published" type="date" name="published"></div>
<div class="field"><label for="text">Text</label><textarea id="text" name="text" rows="10" required></textarea></div>
<button type="submit">Add text</button></fieldset></form>
<form method="post" action="/add/url" data-api="/api/ingest/url"><fieldset><legend>Fetch a page</legend>
${tokenField('url')}<div class="field"><label for="url">Address (URL)</label><input id="url" type="url" name="url" required placeholder="https://" aria-describedby="url-hint">
<p class="hint" id="url-hint">The server fetches the page (with size and time limits${ctx.options.allowPrivateUrls ? '' : '; addresses on private networks are refused'}) and honours robots.txt.</p></div>
<button type="submit">Fetch</button></fieldset></form>
</div>`)));

  const added = (result: IngestResult) => layout('Articles added', `<h1>Articles added</h1><div class="status ok" role="status"><p>Added ${plural(result.ingested, 'article')} (${plural(result.duplicates, 'duplicate')} skipped, ${result.failed} failed).</p>
<ul>${result.documents.map((d) => `<li>${d.article ? `<a href="/articles/${encodeURIComponent(d.article)}">${escapeHtml(d.input)}</a>` : escapeHtml(d.input)} — ${d.status}${d.story ? ` · story <a href="/stories/${encodeURIComponent(d.story)}">${escapeHtml(d.story)}</a>` : ''}</li>`).join('')}</ul>
${result.messages.length ? `<ul>${result.messages.map((m) => `<li>${escapeHtml(formatMessage(m))}</li>`).join('')}</ul>` : ''}</div><p><a href="/add">Add more</a> · <a href="/">Stories</a></p>`);
  for (const kind of ['files', 'text', 'url'] as const) {
    app.post(`/add/${kind}`, async (request: FastifyRequest, reply) => html(reply, added(await ctx.ingest(kind, request))));
  }
}
