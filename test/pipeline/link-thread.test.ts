import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ANALYZER_VERSION } from '../../src/analyze/index.js';
import { splitSentences } from '../../src/analyze/sentences.js';
import { Linker, prepareText } from '../../src/link/index.js';
import { LinkThread, storedLink } from '../../src/pipeline/link-thread.js';
import { processPending } from '../../src/pipeline/process.js';
import { openStore, type Store } from '../../src/store/index.js';

test('the linker thread gives each article the links the in-thread linker gives, in the same order, after the same warm start', async () => {
  const { generateArticles } = await import('../../bench/generate.js');
  const articles = [...generateArticles({ articles: 300, seed: 5 })].map((a) => ({ ...a, sentences: splitSentences(a.text).map((s) => s.span) }));
  const warm = articles.slice(0, 60);
  const rest = articles.slice(60);
  const linker = new Linker();
  for (const a of warm) linker.remember(a, prepareText(a));
  const expected = rest.map((a) => linker.add(a, prepareText(a)).map(storedLink));
  const thread = new LinkThread();
  try {
    for (const a of warm) thread.remember(a, prepareText(a));
    const found = await Promise.all(rest.map((a) => thread.add(a, prepareText(a))));
    assert.ok(expected.flat().some((l) => l.kind === 'rewrite') && expected.flat().some((l) => l.kind === 'duplicate'), 'the stream holds copies and rewrites');
    assert.deepEqual(found, expected);
  } finally {
    await thread.close();
  }
});

test('a failure in the linker thread rejects the waiting articles and every later one', async () => {
  const thread = new LinkThread();
  try {
    const article = { id: 'a', published: null, outlet: null, provenance: [] };
    // A signature shorter than the shingle bands need: the LSH index throws.
    const broken = { shingles: new Uint32Array(3), content: '', sentences: { features: new Uint32Array(0), bounds: new Uint32Array(1) }, vocabulary: new Uint32Array(0) };
    await assert.rejects(thread.add(article, broken), /linker thread: .*signature too short/);
    await assert.rejects(thread.add({ ...article, id: 'b' }, prepareText({ text: 'Some text here.', title: null, sentences: [[0, 15]] })), /signature too short/);
  } finally {
    await thread.close();
  }
});

/** Stores the first `articles` generated articles (seed 11; a longer stream starts with the same articles) with the analysis stage's sentences as their analyses (no actors or dates: the bench's `--skip-analysis`). */
async function storeWithSentences(store: Store, articles: number): Promise<string[]> {
  const { storeGenerated } = await import('../../bench/generate.js');
  const stored = await storeGenerated(store, { articles, seed: 11 }, async (generated, articleId) => {
    const analysis = { sentences: splitSentences(generated.text), entities: [], actors: [], references: [], quotes: [], quantities: [], dates: [] };
    await store.saveAnalysis({ articleId, version: ANALYZER_VERSION, analysis });
  });
  return stored.map((s) => s.id);
}

test('linking on its own thread stores the links, stories, families and clusterer state of linking in the clustering thread, across runs', async () => {
  const snapshot = async (linkThread: boolean) => {
    const store = await openStore({ path: ':memory:' });
    try {
      await storeWithSentences(store, 160);
      assert.equal((await processPending(store, { workers: 0, linkThread, briefings: false })).clustered, 160);
      // A second run starts from the first's clusterer state and warms the linker with its articles.
      const ids = await storeWithSentences(store, 260);
      assert.equal((await processPending(store, { workers: 0, linkThread, briefings: false })).clustered, 100);
      const links = (await store.linksAmong(ids)).map((l) => `${l.from} ${l.to} ${l.kind} ${l.similarity} ${l.alignedShare}`);
      const stories = await store.storiesOf(ids);
      const members = await Promise.all([...new Set(stories.values())].sort().map((id) => store.storyMembers(id)));
      return { links, stories: ids.map((id) => stories.get(id)), members, state: await store.loadClustererState() };
    } finally {
      await store.close();
    }
  };
  const inThread = await snapshot(false);
  assert.ok(inThread.links.length > 0);
  assert.deepEqual(await snapshot(true), inThread);
});
