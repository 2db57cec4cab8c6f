import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as triangulate from '../src/index.js';

test('the public API exports exactly these functions', () => {
  assert.deepEqual(Object.keys(triangulate).sort(), [
    'ANALYZER_VERSION', 'Fetcher', 'actorKey', 'analyze', 'briefStory', 'buildBriefing', 'codes', 'diffBriefings', 'escapeHtml', 'extract', 'formatMessage', 'formatOf',
    'ingestDocument', 'ingestPaths', 'ingestUrl', 'ingestUrls', 'ingestWarc', 'message', 'openStore', 'processPending', 'readSources', 'reextractAll', 'refreshBriefing',
    'renderBriefings', 'renderDiff', 'renderHtml', 'renderMarkdown', 'renderText', 'resolveDbPath', 'watchFeeds',
  ]);
});

test('the library runs a story end to end in memory', async () => {
  const store = await triangulate.openStore({ path: ':memory:' });
  const summary = await triangulate.ingestPaths(store, ['examples/riyadh-talks']);
  assert.equal(summary.ingested, 5);
  await store.close();
});
