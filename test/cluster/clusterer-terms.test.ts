/**
 * The clusterer on numeric term ids (src/cluster/vocabulary.ts): the same
 * stories as the string-keyed version, and a vocabulary that stays bounded
 * on an endless stream.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { generateArticles } from '../../bench/generate.js';
import { StoryClusterer, type ClusterableArticle } from '../../src/cluster/index.js';
import type { Vocabulary } from '../../src/cluster/vocabulary.js';

test('stories, deltas and the saved state are byte for byte those of the string-keyed clusterer', () => {
  // Digest recorded with the clusterer of commit 7ad0af8 (term strings as Map keys) on the same input.
  // It pins bench/generate.ts too: a change there changes it (check against that commit's clusterer).
  const clusterer = new StoryClusterer();
  clusterer.trackChanges();
  const hash = createHash('sha256');
  let i = 0;
  for (const a of generateArticles({ articles: 1_500, seed: 5, storiesPerDay: 6 })) {
    const dates = a.published ? [a.published.slice(0, 10)] : [];
    hash.update(JSON.stringify(clusterer.assign({ id: a.id, text: a.text, title: a.title, published: a.published, entityKeys: a.entityKeys, dates })));
    if (++i % 500 === 0) hash.update(JSON.stringify(clusterer.takeDelta()));
  }
  hash.update(JSON.stringify(clusterer.export()));
  assert.equal(hash.digest('hex'), '859a9eda14e89a366cfa817222004fa82a1515ae824b3399822e87e059333957');
});

/** Article `i`: 95 words of its own and 3 of its story's (stories of 10), one day per 200 articles. */
function rareWords(i: number): ClusterableArticle {
  const own = Array.from({ length: 95 }, (_, j) => `q${i.toString(36)}z${j.toString(36)}`);
  const story = Math.floor(i / 10);
  const shared = [0, 1, 2].map((j) => `s${story.toString(36)}k${j}`);
  const day = new Date(Date.UTC(2025, 0, 1) + Math.floor(i / 200) * 86_400_000).toISOString();
  return { id: `a${i}`, text: [...shared, ...own].join(' '), title: null, published: day };
}

test('terms seen once are forgotten past 300,000 and their ids recycled; live stories keep theirs; the state round-trips', () => {
  const clusterer = new StoryClusterer();
  for (let i = 0; i < 6_000; i++) clusterer.assign(rareWords(i));
  const vocabulary = (clusterer as unknown as { vocabulary: Vocabulary }).vocabulary;
  // 6,000 × 95 own words = 570,000 distinct terms seen.
  assert.ok(vocabulary.capacity < 500_000, `ids recycled (${vocabulary.capacity} handed out)`);
  const saved = clusterer.export();
  assert.equal(saved.df['q0z0'], undefined, 'a term seen once, long ago, is forgotten');
  assert.equal(vocabulary.find('q0z0'), -1, 'and its id freed');
  assert.equal(saved.df[`s${(599).toString(36)}k0`], 10, 'a story word keeps its count');
  // A live story still names its terms (ids in its centroid were not recycled under it).
  const last = saved.stories.find((story) => story.articles.includes('a5999'))!;
  const words = new Set(Array.from({ length: 10 }, (_, k) => rareWords(5_990 + k).text.split(' ')).flat());
  assert.ok(Object.keys(last.centroid).length > 0 && Object.keys(last.centroid).every((term) => words.has(term)));
  // Import gives the same state, and both clusterers then go on alike.
  const copy = StoryClusterer.import(JSON.parse(JSON.stringify(saved)) as typeof saved);
  assert.deepEqual(copy.export(), saved);
  for (let i = 6_000; i < 6_300; i++) assert.deepEqual(copy.assign(rareWords(i)), clusterer.assign(rareWords(i)));
  assert.deepEqual(copy.export(), clusterer.export());
});
