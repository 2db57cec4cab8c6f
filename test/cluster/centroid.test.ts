/**
 * The clusterer's numeric building blocks (src/cluster/centroid.ts,
 * vocabulary.ts, the ranking helpers): they must behave exactly as the
 * Map-based code they replace, order included.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Centroid } from '../../src/cluster/centroid.js';
import { sortPositions, topPositions } from '../../src/cluster/clusterer.js';
import { Vocabulary } from '../../src/cluster/vocabulary.js';
import { hashString } from '../../src/link/hash.js';
import { seededRandom } from '../../bench/random.js';

test('a centroid adds, finds and keeps weights in insertion order, as a Map would, through growth and pruning', () => {
  const rand = seededRandom(3);
  const centroid = new Centroid(4);
  const map = new Map<number, number>();
  for (let i = 0; i < 5_000; i++) {
    const term = Math.floor(rand() * 700) * 7919;
    const value = rand();
    centroid.add(term, value);
    map.set(term, (map.get(term) ?? 0) + value);
  }
  const entries = () => Array.from({ length: centroid.size }, (_, i) => [centroid.terms[i]!, centroid.weights[i]!]);
  assert.deepEqual(entries(), [...map]);
  for (const term of [...map.keys(), 1, 7918]) assert.equal(centroid.slot(term) >= 0 ? centroid.weights[centroid.slot(term)] : undefined, map.get(term));
  // Keep every third slot, last first.
  const slots = Int32Array.from({ length: Math.ceil(centroid.size / 3) }, (_, i) => i * 3).reverse();
  const kept = [...slots].map((slot) => entries()[slot]!);
  centroid.keep(slots, slots.length);
  assert.deepEqual(entries(), kept);
  for (const [term, weight] of kept) assert.equal(centroid.weights[centroid.slot(term!)], weight);
  assert.equal(centroid.slot(-5), -1);
});

test('topPositions and sortPositions rank as a stable descending sort does, ties in order', () => {
  const rand = seededRandom(11);
  for (let round = 0; round < 200; round++) {
    const n = Math.floor(rand() * 120);
    // Few distinct values, so ties are common.
    const values = Float64Array.from({ length: n }, () => Math.floor(rand() * 9) / 4);
    const stable = [...values.keys()].sort((a, b) => values[b]! - values[a]!);
    const k = Math.floor(rand() * 30);
    const top = new Int32Array(n + 1);
    const count = topPositions(values, n, k, top);
    assert.deepEqual([...top.subarray(0, count)], stable.slice(0, k));
    const all = new Int32Array(n);
    assert.equal(sortPositions(values, n, all), n);
    assert.deepEqual([...all], stable);
  }
});

test('the vocabulary interns terms once, lists frequencies in the order they were set, and recycles only unreferenced ids without one', () => {
  const vocabulary = new Vocabulary();
  const ids = ['alpha', 'beta', 'gamma', 'delta'].map((term) => vocabulary.id(term));
  assert.deepEqual(ids, [0, 1, 2, 3]);
  assert.equal(vocabulary.id('gamma'), 2);
  assert.equal(vocabulary.find('omega'), -1);
  for (const id of [2, 0, 1]) vocabulary.setDf(id, 1, Math.LN2);
  assert.deepEqual([...vocabulary.withDfInOrder()], [2, 0, 1]);
  // Forgotten, then set again: it moves to the end, as a Map's deleted and re-added key does.
  vocabulary.setDf(2, 0, 0);
  vocabulary.setDf(0, 5, Math.log(6));
  vocabulary.setDf(2, 1, Math.LN2);
  assert.deepEqual([...vocabulary.withDfInOrder()], [0, 1, 2]);
  assert.equal(vocabulary.withDf, 3);
  // 'delta' has no frequency: freed unless referenced.
  assert.equal(vocabulary.collect((id) => id === 3), 0);
  assert.equal(vocabulary.collect(() => false), 1);
  assert.equal(vocabulary.find('delta'), -1);
  assert.equal(vocabulary.size, 3);
  assert.equal(vocabulary.id('epsilon'), 3, 'a freed id is reused');
  assert.equal(vocabulary.terms[3], 'epsilon');
  for (let i = 0; i < 5_000; i++) vocabulary.id(`t${i}`);
  assert.equal(vocabulary.id('beta'), 1, 'ids survive growth');
  assert.equal(vocabulary.df[0], 5);
});

test('the vocabulary finds a term where it lies in a longer string as it finds the term alone, through growth, recycling and terms whose hashes collide', () => {
  const rand = seededRandom(5);
  const vocabulary = new Vocabulary();
  const model = new Map<string, number>();
  const word = () => Array.from({ length: 1 + Math.floor(rand() * 6) }, () => 'abcdefgh'[Math.floor(rand() * 8)]).join('');
  for (let round = 0; round < 6; round++) {
    const words = Array.from({ length: 4_000 }, word);
    const joined = words.join(' ');
    let start = 0;
    for (const term of words) {
      const id = vocabulary.idOf(joined, start, start + term.length);
      if (!model.has(term)) model.set(term, id);
      assert.equal(id, model.get(term));
      assert.equal(vocabulary.terms[id], term);
      start += term.length + 1;
    }
    // Pairs of words as one term (the clusterer's word pairs), looked up in place and alone.
    assert.equal(vocabulary.idOf(joined, 0, words[0]!.length + 1 + words[1]!.length), vocabulary.id(`${words[0]} ${words[1]}`));
    // Every other term keeps a frequency; the rest are freed and their ids handed out again.
    let kept = 0;
    for (const id of model.values()) if (kept++ % 2 === 0) vocabulary.setDf(id, 1, Math.LN2);
    vocabulary.collect(() => false);
    for (const [term, id] of [...model]) {
      if (vocabulary.df[id] === 0) model.delete(term);
      assert.equal(vocabulary.find(term), model.has(term) ? id : -1);
    }
    assert.equal(vocabulary.size, model.size);
  }
  // Two terms of one 32-bit hash (the vocabulary's, `hashString`'s; found by a search over `w${i}`): kept apart.
  const colliding = ['w673879', 'w1180600'];
  assert.equal(hashString(colliding[0]!), hashString(colliding[1]!));
  const ids = colliding.map((term) => vocabulary.id(term));
  assert.equal(new Set(ids).size, colliding.length);
  assert.deepEqual(colliding.map((term) => vocabulary.find(term)), ids);
});
