import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sha256 } from '../../src/hash.js';
import { openStore, type FetchState } from '../../src/store/index.js';
import type { ExtractedArticle } from '../../src/types.js';

const state = (url: string, over: Partial<FetchState> = {}): FetchState => ({
  url, kind: 'feed', etag: null, lastModified: null, fetchedAt: null, changedAt: null, nextAt: null, intervalSeconds: 900, failures: 0, lastError: null, title: null, ...over,
});

test('fetch state and queued feed items: new items are queued once, finished items leave the queue', async () => {
  const store = await openStore({ path: ':memory:' });
  try {
    const items = [
      { feedUrl: 'http://f/rss', key: 'g1', url: 'http://f/1', title: 'One', published: null },
      { feedUrl: 'http://f/rss', key: 'g2', url: 'http://f/2', title: 'Two', published: '2025-02-18' },
    ];
    assert.equal(await store.saveFetchState(state('http://f/rss', { etag: '"e1"' }), items), 2);
    assert.equal(await store.saveFetchState(state('http://f/rss', { etag: '"e2"' }), items), 0);
    assert.equal((await store.getFetchState('http://f/rss'))!.etag, '"e2"');
    assert.deepEqual((await store.listFetchStates('feed')).map((s) => s.url), ['http://f/rss']);
    assert.deepEqual((await store.listFetchStates('page')), []);
    await store.finishFeedItem('http://f/rss', 'g1', 'pending', null, 'HTTP 503');
    await store.finishFeedItem('http://f/rss', 'g2', 'done', null, null);
    const pending = await store.pendingFeedItems();
    assert.deepEqual(pending.map((p) => [p.key, p.attempts, p.error]), [['g1', 1, 'HTTP 503']]);
    await store.saveCheckpoint('warc:x', '{"offset":10}');
    assert.equal(await store.getCheckpoint('warc:x'), '{"offset":10}');
    await store.saveCheckpoint('warc:x', null);
    assert.equal(await store.getCheckpoint('warc:x'), null);
  } finally {
    await store.close();
  }
});

test('page versions: two texts fetched from one URL, the older article is superseded by the newer', async () => {
  const store = await openStore({ path: ':memory:' });
  try {
    const ids: string[] = [];
    for (const text of ['First version of the page text, long enough.', 'Second version of the page text, now changed.']) {
      const bytes = new TextEncoder().encode(`<p>${text}</p>`);
      const article: ExtractedArticle = { input: 'http://n/a', title: 'A', text, author: [], published: null, outlet: null, url: 'http://n/a', language: 'en', provenance: [], removed: [] };
      const outcome = await store.ingest({ input: 'http://n/a', bytes, format: 'html', url: 'http://n/a' }, sha256(bytes), article, []);
      ids.push(outcome.articleId!);
    }
    const versions = await store.pageVersions('http://n/a');
    assert.deepEqual(versions.map((v) => v.articleId), ids);
    assert.deepEqual([...await store.supersededArticles(ids)], [[ids[0], ids[1]]]);
  } finally {
    await store.close();
  }
});
