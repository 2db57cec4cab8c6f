import { test } from 'node:test';
import assert from 'node:assert/strict';
import { watchFeeds, type WatchEvent } from '../../src/pipeline/watch.js';
import { Fetcher } from '../../src/sources/index.js';
import { openStore } from '../../src/store/index.js';
import { newsPage, respond, startServer, type TestServer } from '../sources/server.js';

const bridge = (outlet: string, extra: string) => [
  `The city council of Valmora voted on Monday to close the old harbour bridge for repairs, ${outlet} reported, after engineers found cracks in two of its supports.`,
  'The repairs will cost about 2 million euros and take four months, Mayor Elena Duarte told reporters outside the town hall on Monday afternoon.',
  `Ferry services across the Valmora harbour will run every twenty minutes while the bridge is closed, the transport authority said. ${extra}`,
];

function rss(origin: string, items: Array<{ guid: string; path: string; title: string }>): string {
  return `<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Valmora Daily</title>${items.map((i) => `<item><title>${i.title}</title><link>${origin}${i.path}</link><guid>${i.guid}</guid></item>`).join('')}</channel></rss>`;
}

function setUp(server: TestServer, rssItems: Array<{ guid: string; path: string; title: string }>) {
  server.routes.set('/robots.txt', respond('User-agent: *\nDisallow: /paywall/\n', { 'content-type': 'text/plain' }));
  server.routes.set('/rss', (req, res) => {
    const body = rss(server.origin, rssItems);
    const etag = `"${rssItems.length}"`;
    if (req.headers['if-none-match'] === etag) { res.writeHead(304); res.end(); return; }
    respond(body, { 'content-type': 'application/rss+xml', etag })(req, res);
  });
  // An Atom feed in ISO-8859-1, declared only in its XML declaration.
  server.routes.set('/atom', respond(Buffer.from(`<?xml version="1.0" encoding="ISO-8859-1"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Le Courrier de Valmora \xe9dition</title><entry><title>Pont ferm\xe9</title><id>urn:courrier:1</id><link href="${server.origin}/courrier/pont"/></entry></feed>`, 'latin1'), { 'content-type': 'application/atom+xml' }));
  server.routes.set('/json', respond(JSON.stringify({ version: 'https://jsonfeed.org/version/1.1', title: 'Harbour Wire', items: [{ id: 'w1', url: `${server.origin}/wire/bridge`, title: 'Bridge' }, { id: 'w2', url: `${server.origin}/paywall/bridge`, title: 'Paywalled' }] }), { 'content-type': 'application/feed+json' }));
  server.routes.set('/broken', respond('<rss><channel><item><title>cut off', { 'content-type': 'application/rss+xml' }));
  server.routes.set('/homepage', respond(newsPage('Valmora Daily', ['Welcome']), { 'content-type': 'text/html' }));
  server.routes.set('/daily/bridge', respond(newsPage('Valmora to close harbour bridge for repairs', bridge('Valmora Daily', 'Commuters were advised to allow extra time.'))));
  server.routes.set('/daily/bridge-2', respond(newsPage('Harbour bridge closure: ferries to run every 20 minutes', bridge('Valmora Daily', 'Extra ferries were added on Tuesday morning.'))));
  server.routes.set('/courrier/pont', respond(newsPage('Valmora closes its harbour bridge', bridge('Le Courrier', 'Shop owners near the bridge said they feared losing customers.'))));
  server.routes.set('/wire/bridge', respond(newsPage('Valmora harbour bridge shut for four months', bridge('Harbour Wire', 'The bridge was built in 1962.'))));
  server.routes.set('/paywall/bridge', respond(newsPage('Paywalled', bridge('Paywall', 'Subscribers only.'))));
}

const fast = { minIntervalMs: 0, initialIntervalMs: 0, maxIntervalMs: 50 };

test('watch: feeds of every kind are polled, new items fetched, stored and assigned to a story; bad feeds and refused pages get messages', async () => {
  const server = await startServer();
  const items = [{ guid: 'd1', path: '/daily/bridge', title: 'Bridge to close' }];
  setUp(server, items);
  const store = await openStore({ path: ':memory:' });
  try {
    const fetcher = new Fetcher({ allowPrivateUrls: true, hostIntervalMs: 0, retries: 0 });
    const feeds = ['/rss', '/atom', '/json', '/broken', '/homepage'].map((p) => `${server.origin}${p}`);
    const events: WatchEvent[] = [];
    const first = await watchFeeds(store, fetcher, { feeds, once: true, ...fast, onEvent: (e) => events.push(e) });
    const feedEvents = new Map(events.filter((e) => e.kind === 'feed').map((e) => [e.url.slice(server.origin.length), e]));
    assert.equal(feedEvents.get('/rss')!.status, 'new-items');
    assert.equal(feedEvents.get('/atom')!.title, 'Le Courrier de Valmora édition', 'the XML declaration\'s encoding is used');
    assert.equal(feedEvents.get('/broken')!.status, 'failed');
    assert.equal(feedEvents.get('/broken')!.messages[0]!.code, 'TRI_E029');
    assert.match(feedEvents.get('/homepage')!.messages[0]!.reason, /HTML page, not a feed/);
    const refused = events.find((e) => e.kind === 'item' && e.url?.endsWith('/paywall/bridge'));
    assert.ok(refused && refused.kind === 'item' && refused.status === 'failed' && refused.messages[0]!.code === 'TRI_E028');
    assert.equal(first.ingested, 3);
    const story = events.find((e) => e.kind === 'story');
    assert.ok(story && story.kind === 'story' && story.articleIds.length === 3, 'the three reports join one story');
    assert.ok(await store.getBriefing(story.storyId), 'its briefing is built');
    assert.equal((await store.getFetchState(`${server.origin}/broken`))!.failures, 1);

    // Nothing new: a 304 for the RSS feed, no item fetched twice.
    const before = server.requests.filter((r) => r.path.startsWith('/daily')).length;
    const quiet: WatchEvent[] = [];
    await watchFeeds(store, fetcher, { feeds, once: true, ...fast, onEvent: (e) => quiet.push(e) });
    assert.equal(quiet.filter((e) => e.kind === 'item').length, 0);
    assert.equal(server.requests.filter((r) => r.path.startsWith('/daily')).length, before);

    // A new item arrives and joins the same story; the briefing is rebuilt and the previous one kept.
    items.push({ guid: 'd2', path: '/daily/bridge-2', title: 'Ferries' });
    const later: WatchEvent[] = [];
    await watchFeeds(store, fetcher, { feeds: [`${server.origin}/rss`], once: true, ...fast, onEvent: (e) => later.push(e) });
    const joined = later.find((e) => e.kind === 'story');
    assert.ok(joined && joined.kind === 'story' && joined.storyId === story.storyId && joined.articleCount === 4);
  } finally {
    await store.close();
    await server.close();
  }
});

test('watch stops cleanly on a signal: an item in flight stays queued and is fetched by the next run', async () => {
  const server = await startServer();
  const items = [{ guid: 'd1', path: '/daily/slow', title: 'Slow page' }];
  setUp(server, items);
  let slow = true;
  server.routes.set('/daily/slow', (req, res) => {
    if (slow) return; // hangs until the watcher is stopped
    respond(newsPage('Valmora to close harbour bridge for repairs', bridge('Valmora Daily', 'It was slow.')))(req, res);
  });
  const store = await openStore({ path: ':memory:' });
  try {
    const fetcher = new Fetcher({ allowPrivateUrls: true, hostIntervalMs: 0, retries: 0 });
    const controller = new AbortController();
    const events: WatchEvent[] = [];
    const run = watchFeeds(store, fetcher, {
      feeds: [`${server.origin}/rss`], ...fast, signal: controller.signal,
      onEvent: (e) => {
        events.push(e);
        if (e.kind === 'feed') setTimeout(() => controller.abort(), 50);
      },
    });
    const summary = await run;
    assert.equal(summary.ingested, 0);
    const stopped = events.at(-1)!;
    assert.deepEqual(stopped, { kind: 'stopped', pending: 1 });
    assert.equal((await store.pendingFeedItems())[0]!.attempts, 0, 'a stopped fetch is not a failed attempt');

    slow = false;
    const again = await watchFeeds(store, fetcher, { once: true, ...fast });
    assert.equal(again.ingested, 1, 'the next run (no feed named: every watched feed) fetches the queued item');
    assert.equal((await store.pendingFeedItems()).length, 0);
  } finally {
    await store.close();
    await server.close();
  }
});

test('the schedule adapts: a feed that keeps changing is polled more often, a quiet one less, a failing one backs off', async () => {
  const server = await startServer();
  let n = 0;
  server.routes.set('/busy', (req, res) => { n++; respond(rss(server.origin, [{ guid: `b${n}`, path: '/none', title: `Item ${n}` }]), { 'content-type': 'application/rss+xml' })(req, res); });
  server.routes.set('/quiet', respond(rss(server.origin, []), { 'content-type': 'application/rss+xml' }));
  server.routes.set('/down', respond('down', { 'content-type': 'text/plain' }, 503));
  const store = await openStore({ path: ':memory:' });
  try {
    const fetcher = new Fetcher({ allowPrivateUrls: true, hostIntervalMs: 0, retries: 0, robots: false });
    const feeds = ['/busy', '/quiet', '/down'].map((p) => `${server.origin}${p}`);
    const options = { feeds, once: true, process: false, minIntervalMs: 60_000, maxIntervalMs: 3_600_000, initialIntervalMs: 600_000 };
    await watchFeeds(store, fetcher, options);
    const interval = async (p: string) => (await store.getFetchState(`${server.origin}${p}`))!;
    assert.equal((await interval('/busy')).intervalSeconds, 300, 'new items halve the interval');
    assert.equal((await interval('/quiet')).intervalSeconds, 900, 'nothing new lengthens it by half');
    const down = await interval('/down');
    assert.equal(down.failures, 1);
    assert.ok(Date.parse(down.nextAt!) - Date.parse(down.fetchedAt!) >= 1_200_000, 'a failure backs off from the interval');
  } finally {
    await store.close();
    await server.close();
  }
});
