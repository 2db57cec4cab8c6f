import { test } from 'node:test';
import assert from 'node:assert/strict';
import { generateArticles } from '../../bench/generate.js';
import { Linker, prepareText } from '../../src/link/index.js';
import { decodeLinkFeatures, encodeLinkFeatures } from '../../src/worker/features.js';

test('a linker fed packed features remembers articles exactly as one fed their prepared texts: the same later links', () => {
  const articles = [...generateArticles({ articles: 120, seed: 11, storiesPerDay: 4 })];
  const [earlier, later] = [articles.slice(0, 80), articles.slice(80)];
  const direct = new Linker();
  const packed = new Linker();
  for (const article of earlier) {
    const prepared = prepareText(article);
    direct.remember(article, prepared);
    // Through a Buffer at an odd offset, as the database driver may hand them back.
    const bytes = encodeLinkFeatures(prepared);
    const stored = Buffer.concat([Buffer.from([0]), Buffer.from(bytes)]).subarray(1);
    const decoded = decodeLinkFeatures(stored)!;
    assert.deepEqual({ ...decoded, content: prepared.content }, prepared);
    packed.remember({ ...article, text: '' }, decoded);
  }
  const links = (linker: Linker) => later.flatMap((article) => linker.add(article));
  const expected = links(direct);
  assert.ok(expected.length > 0, 'the later articles include copies of earlier ones');
  assert.deepEqual(links(packed), expected);
});

test('features packed by the earlier format, with the vocabulary stored, still decode', () => {
  const prepared = prepareText({ text: 'Talks resumed in Riyadh on Monday. The envoys met again on Tuesday.', title: 'Talks', sentences: [[0, 34], [35, 68]] });
  const parts = [prepared.shingles, prepared.sentences.features, prepared.sentences.bounds, prepared.vocabulary];
  const words = Uint32Array.from([2, ...parts.map((p) => p.length), ...parts.flatMap((p) => [...p])]);
  assert.deepEqual({ ...decodeLinkFeatures(new Uint8Array(words.buffer))!, content: prepared.content }, prepared);
  assert.ok(encodeLinkFeatures(prepared).byteLength < words.byteLength, 'the current format leaves the vocabulary out');
});

test('bytes that are not packed features decode to null', () => {
  assert.equal(decodeLinkFeatures(new Uint8Array(3)), null);
  assert.equal(decodeLinkFeatures(new Uint8Array(16)), null, 'format 0');
  const bytes = encodeLinkFeatures(prepareText({ text: 'One sentence here.', title: null, sentences: [[0, 18]] }));
  assert.equal(decodeLinkFeatures(bytes.subarray(0, bytes.length - 4)), null, 'cut short');
});
