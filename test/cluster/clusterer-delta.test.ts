/**
 * The clusterer's delta API (`trackChanges`, `takeDelta`, `applyDelta`): how
 * workers sharing one saved clusterer catch up with each other's turns
 * without reloading the whole state (src/worker/).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { generateArticles } from '../../bench/generate.js';
import { StoryClusterer, type ClusterableArticle, type ClustererDelta } from '../../src/cluster/index.js';

/**
 * The saved state without centroids, stories in id order. Centroids are left
 * out: a delta carries them rounded as `export` does, so the receiver holds
 * what `import` of the producer's state would give, not the producer's exact
 * floating-point sums.
 */
function membership(clusterer: StoryClusterer) {
  const saved = clusterer.export();
  return { ...saved, stories: saved.stories.map(({ centroid: _, ...story }) => story).sort((a, b) => (a.id < b.id ? -1 : 1)) };
}

test('two clusterers taking turns on one stream stay in step by exchanging deltas, and group as one clusterer that took every article', () => {
  // 1,100 articles over three weeks: stories decay and are dropped at the sweep after 1,000 arrivals.
  const articles: ClusterableArticle[] = [...generateArticles({ articles: 1_100, seed: 5, storiesPerDay: 4 })]
    .map((a) => ({ id: a.id, text: a.text, title: a.title, published: a.published, entityKeys: a.entityKeys }));
  const alone = new StoryClusterer();
  for (const article of articles) alone.assign(article);
  const workers = [new StoryClusterer(), new StoryClusterer()];
  for (const w of workers) w.trackChanges();
  let removed = 0;
  // Turns of 250: each starts where the other stopped, after applying its delta (through JSON, as stored).
  for (let start = 0, turn = 0; start < articles.length; start += 250, turn++) {
    const [active, other] = turn % 2 === 0 ? [workers[0]!, workers[1]!] : [workers[1]!, workers[0]!];
    for (const article of articles.slice(start, start + 250)) active.assign(article);
    const delta = active.takeDelta();
    removed += delta.removed.length;
    other.applyDelta(JSON.parse(JSON.stringify(delta)) as ClustererDelta);
    assert.deepEqual(membership(other), membership(active), `after turn ${turn}`);
  }
  assert.ok(removed > 0, 'decayed stories were dropped');
  assert.deepEqual(membership(workers[0]!), membership(alone));
});

test('a delta carries what changed: a merge, its redirect, the absorbed story gone; applying it is no change of the receiver', () => {
  const options = { joinThreshold: 0.45, mergeThreshold: 0.3, storyMergeThreshold: 0.1 };
  const item = (id: string, text: string): ClusterableArticle => ({ id, text, title: null, published: null });
  const producer = new StoryClusterer(options);
  const background = ['central bank raises interest rates inflation', 'football club signs striker transfer fee', 'wildfire spreads across hills thousands evacuated'];
  background.forEach((text, i) => producer.assign(item(`bg${i}`, text)));
  const a = producer.assign(item('m1', 'rubio lavrov riyadh talks embassies'));
  const b = producer.assign(item('m2', 'witkoff ushakov riyadh talks prisoners'));
  const receiver = StoryClusterer.import(producer.export(), options);
  receiver.trackChanges();
  producer.trackChanges();
  assert.deepEqual(producer.assign(item('m3', 'rubio lavrov witkoff ushakov riyadh talks embassies prisoners')).merged, [b.storyId]);
  const delta = producer.takeDelta();
  assert.deepEqual(delta.stories.map((s) => s.id), [a.storyId]);
  assert.deepEqual(delta.removed, [b.storyId]);
  assert.deepEqual(delta.redirects, { [b.storyId]: a.storyId });
  assert.ok(Object.keys(delta.df).length < Object.keys(producer.export().df).length, 'only the frequencies that changed');
  receiver.applyDelta(delta);
  assert.equal(receiver.resolve(b.storyId), a.storyId);
  assert.deepEqual(receiver.story(b.storyId)!.articles.sort(), ['m1', 'm2', 'm3']);
  assert.deepEqual(receiver.export(), producer.export());
  assert.deepEqual(receiver.takeDelta(), { ...delta, df: {}, stories: [], removed: [], redirects: {} });
  assert.deepEqual(producer.takeDelta().stories, [], 'taking a delta starts a new one');
  assert.throws(() => new StoryClusterer().takeDelta(), /trackChanges/);
});
