import { test } from 'node:test';
import assert from 'node:assert/strict';
import { StoryClusterer, type ClusterableArticle } from '../../src/cluster/index.js';

function item(id: string, text: string, published: string | null = null, extra: Partial<ClusterableArticle> = {}): ClusterableArticle {
  return { id, text, title: null, published, ...extra };
}

/** Unrelated articles so document frequencies look like a real stream. */
const background = [
  'central bank raises interest rates inflation mortgage lenders',
  'football club signs striker transfer fee record summer',
  'wildfire spreads across hills thousands evacuated firefighters',
  'new smartphone launch battery camera review price',
  'election campaign polls candidate debate voters turnout',
  'hospital strike nurses pay dispute union talks',
];

function seeded(options = {}): StoryClusterer {
  const clusterer = new StoryClusterer(options);
  background.forEach((text, i) => clusterer.assign(item(`bg${i}`, text)));
  return clusterer;
}

test('public exports', async () => {
  const api = await import('../../src/cluster/index.js');
  assert.equal(typeof api.StoryClusterer, 'function');
  assert.equal(typeof api.defaultClustererOptions.joinThreshold, 'number');
});

test('articles about the same story join it; a different story stays apart', () => {
  const clusterer = seeded();
  const first = clusterer.assign(item('r1', 'rubio lavrov riyadh talks ukraine war diriyah palace', '2025-02-18', { title: 'US and Russia meet in Riyadh' }));
  assert.equal(first.created, true);
  const second = clusterer.assign(item('r2', 'lavrov rubio met riyadh palace talks ukraine', '2025-02-18'));
  assert.equal(second.created, false);
  assert.equal(second.storyId, first.storyId);
  const other = clusterer.assign(item('v1', 'volcano erupts iceland lava flows grindavik', '2025-02-18'));
  assert.equal(other.created, true);
  assert.notEqual(other.storyId, first.storyId);
  const story = clusterer.story(first.storyId)!;
  assert.deepEqual(story.articles, ['r1', 'r2']);
  assert.equal(story.headline, 'US and Russia meet in Riyadh');
  assert.equal(story.first, '2025-02-18T00:00:00.000Z');
});

test('entity keys add signal when the words differ', () => {
  const clusterer = seeded();
  const keys = ['marco rubio', 'sergei lavrov', 'riyadh'];
  const a = clusterer.assign(item('e1', 'negotiators gathered behind closed doors', null, { entityKeys: keys }));
  const b = clusterer.assign(item('e2', 'diplomats convened for hours at the palace', null, { entityKeys: keys }));
  assert.equal(b.storyId, a.storyId);
});

test('an article close to two stories merges them; the absorbed id redirects', () => {
  const clusterer = seeded({ joinThreshold: 0.45, mergeThreshold: 0.3, storyMergeThreshold: 0.1 });
  const a = clusterer.assign(item('m1', 'rubio lavrov riyadh talks embassies'));
  const b = clusterer.assign(item('m2', 'witkoff ushakov riyadh talks prisoners'));
  assert.notEqual(a.storyId, b.storyId);
  const bridge = clusterer.assign(item('m3', 'rubio lavrov witkoff ushakov riyadh talks embassies prisoners'));
  assert.deepEqual(bridge.merged, [b.storyId]);
  assert.equal(bridge.storyId, a.storyId);
  assert.equal(clusterer.resolve(b.storyId), a.storyId);
  assert.deepEqual(clusterer.story(b.storyId)!.articles.sort(), ['m1', 'm2', 'm3']);
});

test('ids stay stable after export and import', () => {
  const clusterer = seeded();
  const a = clusterer.assign(item('x1', 'glacier survey antarctic ice shelf collapse scientists'));
  const state = JSON.parse(JSON.stringify(clusterer.export()));
  const restored = StoryClusterer.import(state);
  assert.deepEqual(restored.export(), clusterer.export());
  const again = restored.assign(item('x2', 'antarctic ice shelf collapse glacier scientists warn'));
  assert.equal(again.storyId, a.storyId);
  const fresh = restored.assign(item('x3', 'marathon runner fastest time berlin'));
  const expected = clusterer.assign(item('x3', 'marathon runner fastest time berlin'));
  assert.equal(fresh.storyId, expected.storyId);
  assert.equal(fresh.created, true);
});

test('a story that has been quiet for longer than the decay period is not joined', () => {
  const clusterer = seeded({ decayDays: 10 });
  const old = clusterer.assign(item('d1', 'measles outbreak school vaccination clinic county', '2025-01-01'));
  const soon = clusterer.assign(item('d2', 'measles outbreak county vaccination clinic school', '2025-01-05'));
  assert.equal(soon.storyId, old.storyId);
  const late = clusterer.assign(item('d3', 'measles outbreak county school vaccination clinic', '2025-03-01'));
  assert.equal(late.created, true);
  assert.notEqual(late.storyId, old.storyId);
});

test('candidate lists stay short however many stories exist', () => {
  const clusterer = new StoryClusterer({ postingCap: 8 });
  for (let i = 0; i < 300; i++) clusterer.assign(item(`c${i}`, `common shared words token${i} marker${i} label${i}`));
  assert.ok(clusterer.lastCandidates <= 8 * clusterer.options.queryTerms, String(clusterer.lastCandidates));
});

test('decayed stories leave memory and the saved state, and are handed to the caller once', () => {
  const clusterer = seeded({ decayDays: 10 });
  const old = clusterer.assign(item('q1', 'measles outbreak school vaccination clinic county', '2025-01-01'));
  // Enough later arrivals for a sweep (one per thousand), all dated well past the decay period.
  for (let i = 0; i < 1000; i++) clusterer.assign(item(`f${i}`, `filler report number${i} about topic${i}`, '2025-02-01'));
  assert.equal(clusterer.story(old.storyId), undefined);
  assert.ok(!clusterer.export().stories.some((s) => s.id === old.storyId));
  const retired = clusterer.drainRetired();
  assert.deepEqual(retired.find((s) => s.id === old.storyId)?.articles, ['q1']);
  assert.deepEqual(clusterer.drainRetired(), []);
  // Recent stories stay.
  assert.ok(clusterer.story(clusterer.assign(item('f0b', 'filler report number0 about topic0', '2025-02-01')).storyId));
});

test('a day both articles mention adds signal, as a rare word does', () => {
  const apart = seeded();
  const a = apart.assign(item('t1', 'harbour cranes stalled overnight', null));
  assert.notEqual(apart.assign(item('t2', 'dockers walked out at dawn', null)).storyId, a.storyId);
  const together = seeded();
  const b = together.assign(item('t1', 'harbour cranes stalled overnight', null, { dates: ['2025-03-04'] }));
  assert.equal(together.assign(item('t2', 'dockers walked out at dawn', null, { dates: ['2025-03-04'] })).storyId, b.storyId);
});
