import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { sha256 } from '../../src/hash.js';
import { processPending } from '../../src/pipeline/process.js';
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
