/**
 * Stories that change, through the API and the pages: `?since=` on the
 * briefing endpoint and the story page, and a page's revisions on the article
 * endpoint and page. A local site serves a page whose text changes between
 * two fetches, beside an independent report of the same event.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import Ajv2020 from 'ajv/dist/2020.js';
import type { Io } from '../../src/cli/command.js';
import { main } from '../../src/cli/main.js';
import { ingestUrl } from '../../src/pipeline/fetch.js';
import { ingestPaths } from '../../src/pipeline/ingest.js';
import { processPending } from '../../src/pipeline/process.js';
import { StoryService } from '../../src/server/service.js';
import { Fetcher } from '../../src/sources/index.js';
import { openStore, type Store } from '../../src/store/index.js';
import { newsPage, respond, startServer, type TestServer } from '../sources/server.js';
import { serve, type Running } from './helpers.js';

const common = [
  'The town council of Orlen voted on Thursday to shut the north tram line for six weeks after inspectors found worn rails on the river bridge.',
  'Replacement buses will run every ten minutes between the station and the hospital while the line is shut, the transport office said.',
];
const gazette1 = [
  ...common,
  'The repairs will cost about 3 million euros, Mayor Petra Lind told reporters at the depot.',
  'Cafe owners along the tram route said they expected fewer customers during the closure.',
];
// The second fetch drops the vote and the cafe owners, and adds a quote and a new figure.
const gazette2 = [
  common[1]!, gazette1[2]!,
  '"Safety comes first, and the rails are not safe," Mayor Petra Lind said on Friday.',
  'The north line, opened in 1974, carries about 18,000 passengers a day, according to the council.',
];

const ajv = new Ajv2020.default({ allErrors: true, strict: false });
ajv.addSchema(JSON.parse(readFileSync('docs/schema/briefing.schema.json', 'utf8')));
const validateDiff = ajv.compile<any>(JSON.parse(readFileSync('docs/schema/diff.schema.json', 'utf8')));

let site: TestServer;
let store: Store;
let db: string;
let server: Running;
let storyId: string;
let between: string;
let firstId: string;
let revisedId: string;

before(async () => {
  let version = 1;
  site = await startServer({
    '/gazette': (req, res) => respond(newsPage('Orlen shuts north tram line', version === 1 ? gazette1 : gazette2))(req, res),
    '/herald': respond(newsPage('North tram line to close for six weeks', [
      common[0]!,
      'Engineers from the regional rail agency checked the Orlen river bridge last month and advised closing the tram line at once.',
      'Passengers who take the north line every morning were told by the council to allow extra time for their journeys.',
      'Opposition councillors in Orlen blamed the mayor for putting off the rail repairs for more than three years.',
    ])),
  });
  db = path.join(mkdtempSync(path.join(tmpdir(), 'tri-changes-')), 'x.db');
  store = await openStore({ path: db });
  const fetcher = new Fetcher({ allowPrivateUrls: true, hostIntervalMs: 0, robots: false });
  firstId = (await ingestUrl(store, fetcher, `${site.origin}/gazette`)).articleId!;
  await ingestUrl(store, fetcher, `${site.origin}/herald`);
  storyId = (await processPending(store, { workers: 0 })).stories[0]!;
  // Briefings are kept by the time they were built: `between` falls after the first and before the second.
  await new Promise((resolve) => setTimeout(resolve, 5));
  between = new Date().toISOString();
  await new Promise((resolve) => setTimeout(resolve, 5));
  version = 2;
  const revised = await ingestUrl(store, fetcher, `${site.origin}/gazette`);
  assert.equal(revised.status, 'revised');
  revisedId = revised.articleId!;
  await processPending(store, { workers: 0 });
  server = await serve({ store });
});
after(async () => {
  await server?.close();
  await store?.close();
  await site?.close();
});

async function getJson(url: string): Promise<{ status: number; body: any }> {
  const response = await fetch(`${server.base}${url}`);
  return { status: response.status, body: await response.json() as any };
}

async function page(url: string): Promise<{ status: number; html: string }> {
  const response = await fetch(`${server.base}${url}`, { headers: { accept: 'text/html' } });
  return { status: response.status, html: await response.text() };
}

/** The response schema the OpenAPI document gives a route, compiled with the document's components. */
async function openApiValidator(route: string) {
  const doc = (await getJson('/api/openapi.json')).body;
  const schema = doc.paths[route].get.responses['200'].content['application/json'].schema;
  return new Ajv2020.default({ allErrors: true, strict: false }).compile<any>({ ...schema, components: doc.components });
}

test('?since= on the briefing endpoint returns what changed, as brief --since --format json prints it, valid against diff.schema.json and the OpenAPI document', async () => {
  const res = await getJson(`/api/stories/${storyId}?since=${encodeURIComponent(between)}`);
  assert.equal(res.status, 200, JSON.stringify(res.body));
  assert.ok(validateDiff(res.body), JSON.stringify(validateDiff.errors?.slice(0, 3)));
  const viaOpenApi = await openApiValidator('/api/stories/{id}');
  assert.ok(viaOpenApi(res.body), JSON.stringify(viaOpenApi.errors?.slice(0, 3)));
  assert.deepEqual(res.body.newArticles.map((a: any) => a.id), [revisedId]);
  assert.deepEqual(res.body.removedArticles.map((a: any) => a.id), [firstId]);
  assert.ok(res.body.weakened.some((c: any) => /council of Orlen voted/.test(c.fact.text) && c.before === 2 && c.after === 1), 'the vote lost a source');
  assert.ok(res.body.newFacts.some((f: any) => /18,000 passengers/.test(f.text)));
  assert.ok(res.body.newQuotes.some((q: any) => /rails are not safe/.test(q.text)));

  let stdout = '';
  const sink = (write: (s: string) => void) => new Writable({ write(chunk, _enc, done) { write(String(chunk)); done(); } });
  const io: Io = { stdout: sink((s) => { stdout += s; }), stderr: sink(() => {}), env: {}, cwd: process.cwd() };
  assert.equal(await main(['brief', storyId, '--since', between, '--db', db, '--format', 'json'], io), 0);
  assert.deepEqual(res.body, JSON.parse(stdout), 'the API and the CLI give the same changes');

  // Before the first briefing everything is new; the plain endpoint is still the briefing.
  const fromStart = await getJson(`/api/stories/${storyId}?since=2000-01-01`);
  assert.equal(fromStart.body.since, null);
  assert.equal(fromStart.body.newArticles.length, 2);
  assert.ok(Array.isArray((await getJson(`/api/stories/${storyId}`)).body.stories));
});

test('a since the API cannot read is a 400 naming the accepted forms; an unknown story is a 404', async () => {
  const bad = await getJson(`/api/stories/${storyId}?since=last%20tuesday`);
  assert.equal(bad.status, 400);
  assert.equal(bad.body.code, 'TRI_E101');
  assert.match(bad.body.message, /since takes an ISO date or time .* or a duration back from now \(6h, 2d\), not "last tuesday"/);
  const missing = await getJson('/api/stories/nope?since=1d');
  assert.equal(missing.status, 404);
  assert.equal(missing.body.code, 'TRI_E100');
});

test('the story page links to what changed; ?since= renders the changes server-side with citations into the articles', async () => {
  const story = await page(`/stories/${storyId}`);
  assert.equal(story.status, 200);
  assert.match(story.html, /<form class="changes-nav" method="get" action="\/stories\/[^"]+"/);
  assert.match(story.html, /href="\/stories\/[^"?]+\?since=1d">day<\/a> · <a href="\/stories\/[^"?]+\?since=7d">7 days<\/a>/);
  assert.match(story.html, /<label for="since">or since<\/label><input id="since" name="since"/);

  const changes = await page(`/stories/${storyId}?since=${encodeURIComponent(between)}`);
  assert.equal(changes.status, 200);
  assert.match(changes.html, /<h2 id="changes-h">What changed<\/h2>/);
  for (const heading of ['New sources (1)', 'Sources gone (1)', 'New facts', 'Facts that lost support', 'New quotes']) assert.ok(changes.html.includes(`<h3>${heading}`), heading);
  assert.match(changes.html, /council of Orlen voted[^<]*<a class="cite"[^>]*href="\/articles\/[^"]+\?hl=\d+-\d+#hl"/, 'a weakened fact cites its sentence');
  assert.match(changes.html, /2 → 1 source/);
  assert.match(changes.html, /rails are not safe/);
  assert.ok(changes.html.includes(`value="${between}"`), 'the form keeps the time asked for');
  assert.doesNotMatch(changes.html, /id="[^"]+-matrix"/, 'only the changes, not the whole briefing');

  const everything = await page(`/stories/${storyId}?since=7d`);
  assert.match(everything.html, /No briefing had been built by then: everything is new/);
  assert.match(everything.html, /<b aria-current="page">7 days<\/b>/);
  const nothing = await page(`/stories/${storyId}?since=${encodeURIComponent(new Date().toISOString())}`);
  assert.match(nothing.html, /Nothing changed\./, 'no briefing was built since now');
  const bad = await page(`/stories/${storyId}?since=soon`);
  assert.equal(bad.status, 400);
  assert.match(bad.html, /role="alert"><p>&quot;soon&quot; is not an ISO date or time/);
  assert.match(bad.html, /<form class="changes-nav"/, 'the form is there to try again');
});

test('the article endpoint and page show the page\'s revisions: sentences removed and added, and the facts the revision removed', async () => {
  const res = await getJson(`/api/articles/${revisedId}`);
  assert.equal(res.status, 200);
  const viaOpenApi = await openApiValidator('/api/articles/{id}');
  assert.ok(viaOpenApi(res.body), JSON.stringify(viaOpenApi.errors?.slice(0, 3)));
  assert.equal(res.body.fetchedFrom, `${site.origin}/gazette`);
  assert.deepEqual(res.body.revisions.map((r: any) => r.articleId), [firstId, revisedId]);
  assert.equal(res.body.supersededBy, null);
  assert.equal(res.body.changes.from, firstId);
  assert.ok(res.body.changes.removed.some((s: any) => /Cafe owners/.test(s.text)));
  assert.ok(res.body.changes.added.some((s: any) => /18,000 passengers/.test(s.text)));
  for (const s of res.body.changes.added) assert.equal(res.body.text.slice(s.span[0], s.span[1]), s.text, 'added sentences are spans into this text');
  const removed = new Map(res.body.removedFacts.map((f: any) => [f.text.slice(0, 16), f.otherArticles.length]));
  assert.equal(removed.get('Cafe owners alon'), 0, 'nothing else carries the cafe owners');
  assert.equal(removed.get('The town council'), 1, 'the vote is still carried by the other report');
  const older = await getJson(`/api/articles/${firstId}`);
  assert.equal(older.body.supersededBy, revisedId);
  assert.equal(older.body.changes, null);

  const { status, html } = await page(`/articles/${revisedId}`);
  assert.equal(status, 200);
  assert.match(html, /<h2 id="revisions-h">Revisions<\/h2>/);
  assert.match(html, new RegExp(`<h3>Changes from <a href="/articles/${firstId}">`));
  assert.match(html, /<ul class="removed"><li><a href="\/articles\/[^"]+\?hl=\d+-\d+#hl">The town council of Orlen voted/, 'a removed sentence links to where it stood in the older text');
  assert.match(html, /<h3>Facts this revision removed<\/h3>[\s\S]*Cafe owners[\s\S]*no other source reports it/);
  assert.match(html, /<span class="[^"]*\badded\b[^"]*"[^>]*>The north line, opened in 1974/, 'added sentences are marked in the text');
  assert.doesNotMatch(html, /<span class="[^"]*\badded\b[^"]*"[^>]*>Replacement buses/, 'kept sentences are not');
  const old = await page(`/articles/${firstId}`);
  assert.match(old.html, new RegExp(`its newest text is article <a href="/articles/${revisedId}">`));
});

test('a story whose page was revised keeps serving its saved briefing: the server rebuilds one only when the story changed after it was built', async () => {
  const saved = await store.getBriefing(storyId);
  assert.ok(saved, 'processPending saved a briefing');
  const story = await store.getStory(storyId);
  assert.ok(story && story.articleCount > saved.articleCount, 'the superseded text is still a member, so counts differ');
  assert.ok(await new StoryService(store).storyView(storyId));
  assert.equal((await store.getBriefing(storyId))!.builtAt, saved.builtAt, 'the current briefing was served, not rebuilt');

  // A story that changes after its briefing was built gets a new one, built on the next view.
  const later = path.join(path.dirname(db), 'later.json');
  writeFileSync(later, JSON.stringify({ title: 'Orlen tram line shut for six weeks', outlet: 'Orlen Courier', published: new Date().toISOString(),
    text: [common[0], common[1], 'Shop owners near the river bridge said the closure would hurt their trade.'].join('\n\n') }));
  await ingestPaths(store, [later]);
  await processPending(store, { workers: 0, briefings: false });
  const changed = await store.getStory(storyId);
  assert.ok(changed && changed.updatedAt > saved.builtAt, 'the new article joined the story');
  const view = await new StoryService(store).storyView(storyId);
  assert.ok(view?.briefing.articles.some((a) => a.title === 'Orlen tram line shut for six weeks'));
  assert.ok((await store.getBriefing(storyId))!.builtAt > changed.updatedAt, 'the rebuilt briefing was saved');
});
