import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ArticlePool, threadOptions } from '../../src/pipeline/pool.js';

test('worker threads started from the sources get the profiling options only: not tsx\'s, nor options a thread refuses', () => {
  const argv = ['--require', '/x/node_modules/tsx/dist/preflight.cjs', '--import', 'file:///x/node_modules/tsx/dist/loader.mjs', '--expose-gc', '--cpu-prof', '--cpu-prof-dir', '/tmp/p', '--heap-prof-interval=1024'];
  assert.deepEqual(threadOptions(argv), ['--cpu-prof', '--cpu-prof-dir', '/tmp/p', '--heap-prof-interval=1024']);
  assert.deepEqual(threadOptions(['--import', 'tsx', '--expose-gc']), []);
});

test('a bundled worker prepares texts, and analyses by loading the analysis module from the sources when asked', async () => {
  const pool = new ArticlePool(1);
  try {
    const text = 'Dock workers in Valmora began a strike on Monday. The harbour is closed.';
    const prepared = await pool.run({ text, title: 'Strike', published: '2025-03-03', spans: new Uint32Array([0, 50, 51, text.length]) });
    assert.equal(prepared.analysis, undefined);
    assert.deepEqual(prepared.prepared.content.split(' ').slice(0, 3), ['dock', 'worker', 'valmora']);
    const analysed = await pool.run({ text, title: 'Strike', published: '2025-03-03' });
    assert.equal(analysed.analysis!.sentences.length, 2);
  } finally {
    await pool.close();
  }
});
