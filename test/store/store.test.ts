/**
 * The Store contract, run against every backend (test/store/backends.ts):
 * SQLite always, PostgreSQL when TRIANGULATE_TEST_DATABASE_URL is set.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { sha256 } from '../../src/hash.js';
import { processPending } from '../../src/pipeline/process.js';
import type { Store, StoryMember, StoryRecord } from '../../src/store/index.js';
import type { Analysis } from '../../src/analyze/types.js';
import type { ExtractedArticle, SourceDocument } from '../../src/types.js';
import { backends, type Backend, type TestStore } from './backends.js';

function doc(text: string, input = 'x.txt'): SourceDocument {
  return { input, bytes: new TextEncoder().encode(text), format: 'text' };
}
function article(text: string, extra: Partial<ExtractedArticle> = {}): ExtractedArticle {
  return { input: 'x.txt', title: 'T', text, author: [], published: '2025-02-18', outlet: 'Example', url: null, language: 'en', provenance: [{ origin: 'AFP', evidence: 'according to AFP.' }], removed: ['Leave a Reply'], ...extra };
}
const emptyAnalysis: Analysis = { sentences: [], entities: [], actors: [], references: [], quotes: [], quantities: [], dates: [] };

/** Ingests `text` from its own raw bytes and returns the article id. */
async function add(store: Store, text: string, extra: Partial<ExtractedArticle> = {}): Promise<string> {
  const d = doc(`raw:${text}`, extra.input ?? 'x.txt');
  const outcome = await store.ingest(d, sha256(d.bytes), article(text, extra), []);
  assert.equal(outcome.status, 'ingested');
  return outcome.articleId!;
}

function story(id: string, members: StoryMember[], extra: Partial<StoryRecord> = {}): StoryRecord & { members: StoryMember[] } {
  return { id, headline: `Story ${id}`, firstPublished: '2025-02-18', lastPublished: '2025-02-18', articleCount: members.length, familyCount: members.length, updatedAt: '2025-02-19T00:00:00.000Z', members, ...extra };
}
const member = (articleId: string, derivedFrom: string | null = null): StoryMember => ({ articleId, familyId: derivedFrom ?? articleId, derivedFrom });

async function using(backend: Backend, fn: (t: TestStore) => Promise<void>, options: { file?: boolean } = {}): Promise<void> {
  const t = await backend.open(options);
  try {
    await fn(t);
  } finally {
    await t.dispose();
  }
}

for (const backend of backends) {
  describe(`store contract on ${backend.name}`, { skip: backend.skip }, () => {
    test('an ingested article round-trips with all its fields and its raw bytes', () => using(backend, async ({ store }) => {
      const d = doc('raw bytes');
      const outcome = await store.ingest(d, sha256(d.bytes), article('Body text.', { author: ['A. Writer'], url: 'https://example.org/a' }), []);
      assert.equal(outcome.status, 'ingested');
      const stored = await store.getArticle(outcome.articleId!);
      assert.equal(stored?.text, 'Body text.');
      assert.deepEqual(stored?.author, ['A. Writer']);
      assert.equal(stored?.url, 'https://example.org/a');
      assert.equal(stored?.format, 'text');
      assert.deepEqual(stored?.provenance, [{ origin: 'AFP', evidence: 'according to AFP.' }]);
      assert.deepEqual(stored?.removed, ['Leave a Reply']);
      const raw = await store.getRaw(stored!.rawHash);
      assert.equal(new TextDecoder().decode(raw!.bytes), 'raw bytes');
      assert.equal(await store.getArticle('a000000000000'), null);
      assert.equal(await store.getRaw('0'.repeat(64)), null);
    }));

    test('the same bytes twice, or the same text from other bytes, is a duplicate', () => using(backend, async ({ store }) => {
      const a = doc('one');
      const first = await store.ingest(a, sha256(a.bytes), article('Same text.'), []);
      const again = await store.ingest(a, sha256(a.bytes), article('Same text.'), []);
      assert.deepEqual([again.status, again.duplicateOf, again.articleId], ['duplicate', 'raw', first.articleId]);
      const b = doc('two');
      const second = await store.ingest(b, sha256(b.bytes), article('Same text.'), []);
      assert.deepEqual([second.status, second.duplicateOf, second.articleId], ['duplicate', 'text', first.articleId]);
      assert.equal(await store.countArticles(), 1);
      assert.ok(await store.hasRaw(sha256(b.bytes)), 'the raw bytes of a text duplicate are still kept');
    }));

    test('two handles ingesting the same bytes at once store them once', () => using(backend, async (t) => {
      const other = await t.reopen();
      const d = doc('raced bytes');
      const outcomes = await Promise.all([t.store, other].map((s) => s.ingest(d, sha256(d.bytes), article('Raced text.'), [])));
      assert.deepEqual(outcomes.map((o) => o.status).sort(), ['duplicate', 'ingested']);
      assert.equal(await t.store.countArticles(), 1);
    }, { file: true }));

    test('a failed extraction keeps the raw input and its messages, but no article', () => using(backend, async ({ store }) => {
      const d = doc('<html></html>', 'empty.html');
      const outcome = await store.ingest(d, sha256(d.bytes), null, [
        { input: 'empty.html', code: 'TRI_W001', reason: 'bad byte', severity: 'warning', offset: 7 },
        { input: 'empty.html', code: 'TRI_E008', reason: 'no text', severity: 'error' },
      ]);
      assert.equal(outcome.status, 'failed');
      assert.equal(await store.countArticles(), 0);
      assert.ok(await store.hasRaw(sha256(d.bytes)));
      const messages = await store.listMessages();
      assert.deepEqual(messages.map((m) => [m.code, m.offset]), [['TRI_E008', undefined], ['TRI_W001', 7]]);
      assert.equal((await store.listMessages(1)).length, 1);
    }));

    test('re-extraction replaces the article and drops the analysis of the old text', () => using(backend, async ({ store }) => {
      const d = doc('raw');
      const hash = sha256(d.bytes);
      const first = await store.ingest(d, hash, article('Old text.'), [{ input: 'x.txt', code: 'TRI_W001', reason: 'old', severity: 'warning' }]);
      await store.saveAnalysis({ articleId: first.articleId!, version: '1', analysis: emptyAnalysis });
      const second = await store.replaceExtraction(hash, article('New text.'), []);
      assert.notEqual(second.articleId, first.articleId);
      assert.equal(await store.getArticle(first.articleId!), null);
      assert.equal(await store.getAnalysis(first.articleId!), null);
      assert.equal((await store.getArticle(second.articleId!))?.text, 'New text.');
      assert.deepEqual(await store.listMessages(), [], 'the old extraction messages go with it');
    }));

    test('re-extraction to the same text updates the metadata in place and keeps the analysis', () => using(backend, async ({ store }) => {
      const d = doc('raw');
      const hash = sha256(d.bytes);
      const first = await store.ingest(d, hash, article('Same text.', { title: 'Old title' }), []);
      await store.saveAnalysis({ articleId: first.articleId!, version: '1', analysis: emptyAnalysis });
      const second = await store.replaceExtraction(hash, article('Same text.', { title: 'New title' }), []);
      assert.deepEqual(second, { status: 'ingested', articleId: first.articleId });
      assert.equal((await store.getArticle(first.articleId!))?.title, 'New title');
      assert.ok(await store.getAnalysis(first.articleId!));
      const failed = await store.replaceExtraction(hash, null, [{ input: 'x.txt', code: 'TRI_E008', reason: 'no text', severity: 'error' }]);
      assert.equal(failed.status, 'failed');
      assert.equal(await store.countArticles(), 0);
      await assert.rejects(store.replaceExtraction('f'.repeat(64), null, []));
    }));

    test('full-text search finds articles and treats user input as words, not query syntax', () => using(backend, async ({ store }) => {
      for (const text of ['Rubio met Lavrov in Riyadh.', 'Markets fell sharply.']) await add(store, text);
      assert.equal((await store.listArticles({ search: 'riyadh' })).length, 1);
      assert.equal((await store.listArticles({ search: 'Riyadh Lavrov' })).length, 1);
      assert.equal((await store.listArticles({ search: 'Riyadh markets' })).length, 0, 'every word must match');
      assert.equal((await store.listArticles({ search: 'NEAR( "x' })).length, 0);
      assert.equal((await store.listArticles({ search: '&|!:*' })).length, 0);
      assert.equal((await store.listArticles({ search: "O'Brien & (Riyadh)" })).length, 0);
    }));

    test('articles list in publication order with limit and offset; raw inputs oldest first', () => using(backend, async ({ store }) => {
      const late = await add(store, 'Late.', { published: '2025-03-01' });
      const early = await add(store, 'Early.', { published: '2025-01-01T10:00:00Z' });
      const middle = await add(store, 'Middle.', { published: '2025-02-01' });
      assert.deepEqual((await store.listArticles()).map((a) => a.id), [early, middle, late]);
      assert.deepEqual((await store.listArticles({ limit: 1, offset: 1 })).map((a) => a.id), [middle]);
      assert.deepEqual((await store.getArticles([middle, 'a000000000000', late])).map((a) => a.id), [middle, late]);
      assert.deepEqual(await store.getArticles([]), []);
      assert.equal(await store.countArticles(), 3);
      const raws: string[] = [];
      for await (const raw of store.rawInputs()) raws.push(new TextDecoder().decode(raw.bytes));
      assert.deepEqual(raws, ['raw:Late.', 'raw:Early.', 'raw:Middle.']);
    }));

    test('analyses: saved, replaced, and what still needs analysis or a story', () => using(backend, async ({ store }) => {
      const a = await add(store, 'First.', { published: '2025-02-02' });
      const b = await add(store, 'Second.', { published: '2025-02-01' });
      assert.deepEqual(await store.articlesNeedingAnalysis('1'), [a, b]);
      await store.saveAnalysis({ articleId: a, version: '1', analysis: emptyAnalysis });
      await store.saveAnalysis({ articleId: b, version: '0', analysis: emptyAnalysis });
      assert.deepEqual(await store.articlesNeedingAnalysis('1'), [b]);
      const withSentence: Analysis = { ...emptyAnalysis, sentences: [{ span: [0, 7] } as Analysis['sentences'][number]] };
      await store.saveAnalysis({ articleId: b, version: '1', analysis: withSentence });
      assert.deepEqual(await store.articlesNeedingAnalysis('1'), []);
      assert.deepEqual((await store.getAnalysis(b))?.analysis.sentences, withSentence.sentences);
      assert.equal(await store.getAnalysis('a000000000000'), null);
      assert.deepEqual(await store.articlesWithoutStory(), [b, a], 'oldest publication first');
    }));

    test('since: a story with no publication date counts from when it last changed, as the list orders it', () => using(backend, async ({ store }) => {
      const [a, b, c] = [await add(store, 'A.'), await add(store, 'B.'), await add(store, 'C.')];
      const undated = { firstPublished: null, lastPublished: null };
      await store.saveStoryUpdate({
        links: [],
        stories: [story('s0', [member(a)], { lastPublished: '2025-01-10' }), story('s1', [member(b)], { ...undated, updatedAt: '2025-03-02T08:00:00.000Z' }), story('s2', [member(c)], { ...undated, updatedAt: '2025-01-02T08:00:00.000Z' })],
        redirects: [],
        clustererState: '{}',
      });
      assert.deepEqual((await store.listStories({ since: '2025-02-01' })).map((s) => s.id), ['s1']);
      assert.deepEqual((await store.listStories({ since: '2025-01-05' })).map((s) => s.id), ['s1', 's0']);
    }));

    test('story updates: members, links, merges with redirects, and the clusterer state', () => using(backend, async ({ store }) => {
      const [a, b, c, d] = [await add(store, 'A.'), await add(store, 'B.'), await add(store, 'C.'), await add(store, 'D.')];
      assert.equal(await store.loadClustererState(), null);
      await store.saveStoryUpdate({
        links: [{ from: b, to: a, kind: 'duplicate', similarity: 0.9, alignedShare: 1 }, { from: d, to: a, kind: 'rewrite', similarity: 0.3, alignedShare: 0.7 }],
        stories: [story('s0', [member(a), member(b, a)]), story('s1', [member(c)], { lastPublished: '2025-03-01' }), story('s2', [member(d)], { lastPublished: '2025-01-01' })],
        redirects: [],
        clustererState: '{"v":1}',
      });
      assert.equal(await store.loadClustererState(), '{"v":1}');
      assert.deepEqual((await store.storyMembers('s0')).map((m) => [m.articleId, m.derivedFrom]).sort(), [[a, null], [b, a]].sort());
      assert.deepEqual(await store.linksAmong([a, b]), [{ from: b, to: a, kind: 'duplicate', similarity: 0.9, alignedShare: 1 }]);
      assert.deepEqual(await store.linksAmong([a, c]), [], 'links need both ends among the ids');
      assert.deepEqual(await store.linksAmong([]), []);
      assert.deepEqual([...(await store.storiesOf([c, a, 'a000000000000']))], [[c, 's1'], [a, 's0']]);
      assert.deepEqual((await store.listStories()).map((s) => s.id), ['s1', 's0', 's2']);
      assert.deepEqual((await store.listStories({ since: '2025-02-01' })).map((s) => s.id), ['s1', 's0']);
      assert.deepEqual((await store.listStories({ limit: 1, offset: 1 })).map((s) => s.id), ['s0']);

      // s1 absorbs s0, then s2 absorbs s1: every old id leads to s2 in one step, with all members.
      await store.saveStoryUpdate({ links: [], stories: [story('s1', [member(a), member(b, a), member(c)])], redirects: [{ from: 's0', to: 's1' }], clustererState: '{"v":2}' });
      await store.saveStoryUpdate({ links: [], stories: [story('s2', [member(a), member(b, a), member(c), member(d)])], redirects: [{ from: 's1', to: 's2' }], clustererState: '{"v":3}' });
      assert.equal((await store.getStory('s0'))?.id, 's2');
      assert.equal((await store.getStory('s1'))?.id, 's2');
      assert.equal((await store.getStory('s2'))?.articleCount, 4);
      assert.equal(await store.getStory('s9'), null);
      assert.deepEqual((await store.listStories()).map((s) => s.id), ['s2']);
      assert.equal((await store.storyMembers('s2')).length, 4);
      assert.deepEqual(await store.storyMembers('s0'), []);
      assert.equal(await store.loadClustererState(), '{"v":3}');
      assert.deepEqual(await store.articlesWithoutStory(), []);
    }));

    test('clusterer deltas are logged after the whole state, in order, until the next whole save folds them', () => using(backend, async ({ store }) => {
      const update = { links: [], stories: [], redirects: [] };
      await assert.rejects(store.saveStoryUpdate({ ...update, clustererDelta: '{"d":0}' }), /needs a clusterer state saved whole/);
      await assert.rejects(store.saveStoryUpdate(update), /exactly one of clustererState and clustererDelta/);
      await assert.rejects(store.saveStoryUpdate({ ...update, clustererState: '{}', clustererDelta: '{}' }), /exactly one/);
      assert.deepEqual(await store.clustererLog(), []);
      await store.saveStoryUpdate({ ...update, clustererState: '{"v":1}' });
      await store.saveStoryUpdate({ ...update, clustererDelta: '{"d":1}' });
      await store.saveStoryUpdate({ ...update, clustererDelta: '{"d":2}' });
      assert.equal(await store.loadClustererState(), '{"v":1}');
      assert.deepEqual(await store.clustererLog(), ['{"d":1}', '{"d":2}']);
      await store.saveStoryUpdate({ ...update, clustererState: '{"v":2}' });
      assert.deepEqual(await store.clustererLog(), []);
      assert.equal(await store.loadClustererState(), '{"v":2}');
    }));

    test('stories are found by their articles\' words', () => using(backend, async ({ store }) => {
      const a = await add(store, 'Talks in Riyadh began.');
      const b = await add(store, 'Harbour strike continues.');
      await store.saveStoryUpdate({ links: [], stories: [story('s0', [member(a)]), story('s1', [member(b)])], redirects: [], clustererState: '{}' });
      assert.deepEqual((await store.listStories({ search: 'riyadh' })).map((s) => s.id), ['s0']);
      assert.deepEqual(await store.listStories({ search: '"(' }), []);
    }));

    test('stories are filtered by an end date and by outlet name or host', () => using(backend, async ({ store }) => {
      const a = await add(store, 'Gazette report.', { outlet: 'The Gazette', url: 'https://www.gazette.example/a' });
      const b = await add(store, 'Herald report.', { outlet: null, url: 'https://herald.example/b' });
      await store.saveStoryUpdate({
        links: [],
        stories: [story('s0', [member(a)], { firstPublished: '2025-02-18T23:00:00Z' }), story('s1', [member(b)], { firstPublished: '2025-02-19T01:00:00Z' })],
        redirects: [],
        clustererState: '{}',
      });
      assert.deepEqual((await store.listStories({ until: '2025-02-18' })).map((s) => s.id), ['s0'], 'a plain date includes its whole day');
      assert.deepEqual((await store.listStories({ until: '2025-02-18T22:00:00Z' })).map((s) => s.id), []);
      assert.deepEqual((await store.listStories({ outlet: 'the gazette' })).map((s) => s.id), ['s0']);
      assert.deepEqual((await store.listStories({ outlet: 'gazette.example' })).map((s) => s.id), ['s0'], 'www. is looked through');
      assert.deepEqual((await store.listStories({ outlet: 'herald.example' })).map((s) => s.id), ['s1']);
      assert.deepEqual(await store.listStories({ outlet: 'example' }), []);
    }));

    test('fetch state, queued feed items and checkpoints', () => using(backend, async ({ store }) => {
      const state = { url: 'http://f/rss', kind: 'feed' as const, etag: '"e1"', lastModified: null, fetchedAt: null, changedAt: null, nextAt: null, intervalSeconds: 900, failures: 0, lastError: null, title: 'F' };
      const items = ['g1', 'g2', 'g3'].map((key) => ({ feedUrl: 'http://f/rss', key, url: `http://f/${key}`, title: key, published: null }));
      assert.equal(await store.saveFetchState(state, items), 3);
      assert.equal(await store.saveFetchState({ ...state, etag: '"e2"', nextAt: '2025-02-18T10:00:00Z' }, items), 0);
      assert.deepEqual(await store.getFetchState('http://f/rss'), { ...state, etag: '"e2"', nextAt: '2025-02-18T10:00:00Z' });
      assert.equal(await store.getFetchState('http://f/none'), null);
      await store.saveFetchState({ ...state, url: 'http://a/page', kind: 'page' });
      assert.deepEqual((await store.listFetchStates('feed')).map((f) => f.url), ['http://f/rss']);
      assert.deepEqual((await store.listFetchStates('page')).map((f) => f.url), ['http://a/page']);
      await store.finishFeedItem('http://f/rss', 'g1', 'pending', null, 'HTTP 503');
      await store.finishFeedItem('http://f/rss', 'g2', 'done', 'a000000000001', null);
      assert.deepEqual((await store.pendingFeedItems()).map((p) => [p.key, p.attempts, p.error]), [['g1', 1, 'HTTP 503'], ['g3', 0, null]]);
      assert.deepEqual((await store.pendingFeedItems(1)).map((p) => p.key), ['g1']);
      await store.saveCheckpoint('warc:x', '{"offset":10}');
      await store.saveCheckpoint('warc:x', '{"offset":20}');
      assert.equal(await store.getCheckpoint('warc:x'), '{"offset":20}');
      await store.saveCheckpoint('warc:x', null);
      assert.equal(await store.getCheckpoint('warc:x'), null);
    }));

    test('page versions: texts fetched from one URL, the older article superseded by the newest', () => using(backend, async ({ store }) => {
      const ids: string[] = [];
      for (const text of ['First version.', 'Second version.']) {
        const bytes = new TextEncoder().encode(`<p>${text}</p>`);
        const outcome = await store.ingest({ input: 'http://n/a', bytes, format: 'html', url: 'http://n/a' }, sha256(bytes), article(text, { url: 'http://n/a' }), []);
        ids.push(outcome.articleId!);
      }
      assert.deepEqual((await store.pageVersions('http://n/a')).map((v) => v.articleId), ids);
      assert.deepEqual(await store.pageVersions('http://n/none'), []);
      assert.deepEqual([...await store.supersededArticles(ids)], [[ids[0], ids[1]]]);
      assert.deepEqual([...await store.supersededArticles([])], []);
    }));

    test('briefings keep their history and are found as of a time', () => using(backend, async ({ store }) => {
      await store.saveBriefing({ storyId: 's0', builtAt: '2025-02-18T10:00:00.000Z', articleCount: 2, data: '{"n":1}' });
      await store.saveBriefing({ storyId: 's0', builtAt: '2025-02-19T10:00:00.000Z', articleCount: 3, data: '{"n":2}' });
      assert.equal((await store.getBriefing('s0'))?.data, '{"n":2}');
      assert.deepEqual(await store.getBriefing('s0', '2025-02-18T12:00:00.000Z'), { storyId: 's0', builtAt: '2025-02-18T10:00:00.000Z', articleCount: 2, data: '{"n":1}' });
      assert.equal(await store.getBriefing('s0', '2025-02-01'), null);
      assert.equal(await store.getBriefing('s1'), null);
    }));

    test('the store reopens with its data and its migrations applied once', () => using(backend, async (t) => {
      const id = await add(t.store, 'Kept.');
      const again = await t.reopen();
      assert.equal((await again.getArticle(id))?.text, 'Kept.');
    }, { file: true }));

    test('the pipeline groups a wire story, its rewrite and an independent report the same way', () => using(backend, async ({ store }) => {
      const fixture = (name: string) => readFileSync(new URL(`../fixtures/link/${name}.txt`, import.meta.url), 'utf8');
      const wire = await add(store, fixture('harbour-wire'), { published: '2025-03-03T08:00:00Z', title: 'Valmora dock workers strike over pay', provenance: [] });
      const independent = await add(store, fixture('harbour-independent'), { published: '2025-03-03T11:00:00Z', title: 'Queues and quiet quays as Valmora strike begins', provenance: [] });
      const rewrite = await add(store, fixture('harbour-rewrite'), { published: '2025-03-03T13:00:00Z', title: 'Valmora dockers down tools, harbour at standstill', provenance: [] });
      const summary = await processPending(store, { workers: 0 });
      assert.equal(summary.stories.length, 1);
      assert.equal(summary.briefings, 1);
      const members = new Map((await store.storyMembers(summary.stories[0]!)).map((m) => [m.articleId, m]));
      assert.equal(members.get(rewrite)!.derivedFrom, wire);
      assert.notEqual(members.get(independent)!.familyId, members.get(wire)!.familyId);
      assert.equal(JSON.parse((await store.getBriefing(summary.stories[0]!))!.data).id, summary.stories[0]);
      assert.deepEqual(await processPending(store, { workers: 0 }), { analyzed: 0, clustered: 0, stories: [], briefings: 0 });
    }));
  });
}
