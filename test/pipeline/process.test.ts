import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { analyze, ANALYZER_VERSION } from '../../src/analyze/index.js';
import { sha256 } from '../../src/hash.js';
import { StoryClusterer } from '../../src/cluster/index.js';
import { briefStory, processPending } from '../../src/pipeline/process.js';
import { openStore, type Store } from '../../src/store/index.js';
import type { ExtractedArticle, SourceDocument } from '../../src/types.js';

const fixture = (name: string) => readFileSync(new URL(`../fixtures/link/${name}.txt`, import.meta.url), 'utf8');

async function add(store: Store, name: string, text: string, published: string, title: string): Promise<string> {
  const article: ExtractedArticle = {
    input: `test/${name}`, title, text, author: [], published, outlet: null, url: null, language: 'en', provenance: [], removed: [],
  };
  const bytes = new TextEncoder().encode(JSON.stringify(article));
  const document: SourceDocument = { input: article.input, bytes, format: 'json' };
  await store.ingest(document, sha256(bytes), article, []);
  return (await store.listArticles()).find((a) => a.input === article.input)!.id;
}

test('one story, the rewrite in the wire family, an independent report apart; a second run changes nothing', async () => {
  const store = await openStore({ path: ':memory:' });
  try {
    const wire = await add(store, 'wire', fixture('harbour-wire'), '2025-03-03T08:00:00Z', 'Valmora dock workers strike over pay');
    const independent = await add(store, 'independent', fixture('harbour-independent'), '2025-03-03T11:00:00Z', 'Queues and quiet quays as Valmora strike begins');
    const rewrite = await add(store, 'rewrite', fixture('harbour-rewrite'), '2025-03-03T13:00:00Z', 'Valmora dockers down tools, harbour at standstill');
    const first = await processPending(store, { briefings: false });
    assert.equal(first.clustered, 3);
    assert.equal(first.stories.length, 1);
    const members = new Map((await store.storyMembers(first.stories[0]!)).map((m) => [m.articleId, m]));
    assert.equal(members.size, 3);
    assert.equal(members.get(rewrite)!.derivedFrom, wire);
    assert.equal(members.get(rewrite)!.familyId, members.get(wire)!.familyId);
    assert.notEqual(members.get(independent)!.familyId, members.get(wire)!.familyId);
    assert.equal((await store.getStory(first.stories[0]!))!.familyCount, 2);

    const again = await processPending(store, { briefings: false });
    assert.deepEqual(again, { analyzed: 0, clustered: 0, stories: [], briefings: 0 });

    // A later copy of the wire joins the same story in a new run: ids are stable across runs.
    const copy = await add(store, 'copy', `${fixture('harbour-wire')}\n\nSign up for our newsletter.`, '2025-03-03T15:00:00Z', 'Valmora dock workers strike over pay');
    const third = await processPending(store, { briefings: false });
    assert.deepEqual(third.stories, first.stories);
    const after = (await store.storyMembers(first.stories[0]!)).find((m) => m.articleId === copy)!;
    assert.equal(after.derivedFrom, wire);
  } finally {
    await store.close();
  }
});

test('a later article that bridges two stories merges them in the store; the absorbed id redirects and the merged story keeps every article', async () => {
  const store = await openStore({ path: ':memory:' });
  try {
    const fire = 'Fire crews fought a blaze at the Kelmouth ferry terminal overnight. The fire started in a storage hall near the north pier, port officials said. Two ferries were moved out of the harbour as a precaution.';
    const cancelled = 'Ferry services from Kelmouth were cancelled on Tuesday after an overnight fire at the terminal. Passengers were told to travel via Brinmouth while the damaged storage hall is inspected. The harbour master said the north pier would stay closed.';
    const bridge = 'Kelmouth ferry terminal fire: crews fought the blaze in a storage hall by the north pier overnight, two ferries left the harbour, and Tuesday services were cancelled while the hall is inspected, the harbour master said.';
    const a = await add(store, 'fire', fire, '2025-03-04T06:00:00Z', 'Blaze at Kelmouth ferry terminal');
    const b = await add(store, 'cancelled', cancelled, '2025-03-04T09:00:00Z', 'Kelmouth ferries cancelled after fire');
    // An earlier run (here: a stricter clusterer) kept the two reports apart and saved its state.
    const earlier = new StoryClusterer({ joinThreshold: 0.99 });
    const saved = [];
    for (const id of [a, b]) {
      const article = (await store.getArticle(id))!;
      const { storyId } = earlier.assign({ id, text: article.text, title: article.title, published: article.published });
      saved.push({ id: storyId, headline: article.title!, firstPublished: article.published, lastPublished: article.published, articleCount: 1, familyCount: 1, updatedAt: article.published!, members: [{ articleId: id, familyId: id, derivedFrom: null }] });
    }
    const [first, second] = saved as [(typeof saved)[0], (typeof saved)[0]];
    assert.notEqual(first.id, second.id);
    await store.saveStoryUpdate({ links: [], stories: [first, second], redirects: [], clustererState: JSON.stringify(earlier.export()) });

    const c = await add(store, 'bridge', bridge, '2025-03-04T12:00:00Z', 'Kelmouth terminal fire halts ferries');
    const run = await processPending(store, { briefings: false });
    assert.deepEqual(run.stories, [first.id], 'the older story survives');
    const merged = (await store.getStory(second.id))!;
    assert.equal(merged.id, first.id, 'the absorbed id redirects to the survivor');
    assert.equal(merged.articleCount, 3);
    assert.deepEqual((await store.storyMembers(first.id)).map((m) => m.articleId).sort(), [a, b, c].sort());
    assert.deepEqual((await store.listStories()).map((s) => s.id), [first.id]);
    assert.equal((await briefStory(store, second.id))?.id, first.id, 'a briefing asked for by the old id is the merged story');
    // The next run restores the merged state: the old id still redirects and a new report joins the survivor.
    await add(store, 'later', `${fire} Investigators said the fire was accidental.`, '2025-03-04T18:00:00Z', 'Kelmouth fire was an accident');
    const next = await processPending(store, { briefings: false });
    assert.deepEqual(next.stories, [first.id]);
    assert.equal((await store.getStory(second.id))?.articleCount, 4);
  } finally {
    await store.close();
  }
});

test('the story list and the briefing call a story by the same headline: its most central title', async () => {
  const store = await openStore({ path: ':memory:' });
  try {
    // The first article's title is the odd one out; the other two name the story alike.
    await add(store, 'wire', fixture('harbour-wire'), '2025-03-03T08:00:00Z', 'Quiet morning on the quays');
    await add(store, 'independent', fixture('harbour-independent'), '2025-03-03T11:00:00Z', 'Valmora dock workers strike over pay');
    await add(store, 'rewrite', fixture('harbour-rewrite'), '2025-03-03T13:00:00Z', 'Valmora dock workers on strike over pay cuts');
    const { stories } = await processPending(store, { briefings: false });
    assert.equal(stories.length, 1);
    const record = (await store.getStory(stories[0]!))!;
    const briefing = (await briefStory(store, stories[0]!))!;
    assert.equal(record.headline, briefing.headline);
    assert.match(record.headline, /^Valmora dock workers/);
  } finally {
    await store.close();
  }
});

test('on worker threads (analysis and text preparation overlapping linking and clustering) the stories, links and analyses are those of one thread', async () => {
  const { storeGenerated } = await import('../../bench/generate.js');
  const snapshot = async (workers: number) => {
    const store = await openStore({ path: ':memory:' });
    try {
      const ids = (await storeGenerated(store, { articles: 90, seed: 3 })).map((a) => a.id);
      // Some articles analysed and left unclustered by an earlier run, the rest new: both kinds go through one ordered stream.
      for (const article of await store.getArticles(ids.filter((_, i) => i % 3 === 0))) {
        await store.saveAnalysis({ articleId: article.id, version: ANALYZER_VERSION, analysis: analyze(article) });
      }
      await processPending(store, { workers, briefings: false });
      const stories = await store.storiesOf(ids);
      const links = (await store.linksAmong(ids)).map((l) => `${l.from} ${l.to} ${l.kind} ${l.similarity} ${l.alignedShare}`).sort();
      const analyses = await Promise.all(ids.slice(0, 5).map(async (id) => JSON.stringify((await store.getAnalysis(id))!.analysis)));
      return { stories: ids.map((id) => stories.get(id)), links, analyses };
    } finally {
      await store.close();
    }
  };
  const inThread = await snapshot(0);
  assert.ok(inThread.links.length > 0, 'the generated articles include copies');
  assert.ok(inThread.stories.every((s) => s !== undefined), 'every article in a story');
  assert.deepEqual(await snapshot(2), inThread);
});
