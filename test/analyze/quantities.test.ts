import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findQuantities, nextQuantity, QUANTITY_RE } from '../../src/analyze/quantities.js';
import { randomTexts } from '../fixtures/quotes/fuzz.js';

const one = (t: string) => {
  const q = findQuantities(t);
  assert.equal(q.length, 1, `expected one quantity in "${t}", got ${JSON.stringify(q)}`);
  return { text: t.slice(q[0].span[0], q[0].span[1]), value: q[0].value, unit: q[0].unit, bound: q[0].bound };
};

test('each quantity form', () => {
  assert.deepEqual(one('The talks lasted over four hours.'), { text: 'over four hours', value: 4, unit: 'hour', bound: 'at least' });
  assert.deepEqual(one('They talked for four and a half hours.'), { text: 'four and a half hours', value: 4.5, unit: 'hour', bound: 'exact' });
  assert.deepEqual(one('more than 1,000 troops'), { text: 'more than 1,000 troops', value: 1000, unit: 'troop', bound: 'at least' });
  assert.deepEqual(one('growth of 5% this year'), { text: '5%', value: 5, unit: 'percent', bound: 'exact' });
  assert.deepEqual(one('It fell 4.5 per cent.'), { text: '4.5 per cent', value: 4.5, unit: 'percent', bound: 'exact' });
  assert.deepEqual(one('$2 billion in aid'), { text: '$2 billion', value: 2e9, unit: 'USD', bound: 'exact' });
  assert.deepEqual(one('a €300m fund'), { text: '€300m', value: 3e8, unit: 'EUR', bound: 'exact' });
  assert.deepEqual(one('nearly 40 people died'), { text: 'nearly 40 people', value: 40, unit: 'person', bound: 'at most' });
  assert.deepEqual(one('up to 12 drones'), { text: 'up to 12 drones', value: 12, unit: 'drone', bound: 'at most' });
  assert.deepEqual(one('roughly 200 hrs'), { text: 'roughly 200 hrs', value: 200, unit: 'hour', bound: 'about' });
  assert.deepEqual(one('some 30 vessels'), { text: 'some 30 vessels', value: 30, unit: 'vessel', bound: 'about' });
  assert.deepEqual(one('a dozen officials'), { text: 'a dozen officials', value: 12, unit: 'official', bound: 'exact' });
  assert.deepEqual(one('talks of 10 to 12 hours'), { text: '10 to 12 hours', value: 10, unit: 'hour', bound: 'at least' });
  assert.deepEqual(one('twenty-five men'), { text: 'twenty-five men', value: 25, unit: 'man', bound: 'exact' });
  assert.deepEqual(one('US$5 million'), { text: 'US$5 million', value: 5e6, unit: 'USD', bound: 'exact' });
});

test('ordinals, years, dates and times are not quantities', () => {
  assert.deepEqual(findQuantities('the third round in 2008 on Feb. 18 at 3 p.m. on 18 February'), []);
});

test('fuzz: never throws, spans inside the text', () => {
  const alphabet = '0123456789 ,.$€%-to and a half dozen hours over about ';
  for (const t of randomTexts(alphabet, 300, 80, 11)) {
    for (const q of findQuantities(t)) assert.ok(q.span[0] >= 0 && q.span[0] < q.span[1] && q.span[1] <= t.length && Number.isFinite(q.value));
  }
});

test('quantities are looked for only where one can start, with the same matches as the expression tried at every position', () => {
  const pieces = ['1', '25', '3.5', '1,000', ' ', ' ', ' ', '-', '.', ',', '/', ':', '$', 'US$', 'us$', '€', '£', 'a', 'A dozen', 'a half',
    'four', 'Four', 'ſix', 'twenty-one', 'and', 'to', 'x', 'Z', 'k', 'K', 'm', 'bn', '%', 'percent', 'hours', 'ö', 'é5', '\u{1F600}',
    '\uD83D', '\uDE00', '\n', '"', '(', 'Million', 'hundred', 'Ünf', 'ſeven'];
  let state = 11;
  const random = (): number => (state = (state * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
  const global = new RegExp(QUANTITY_RE.source, QUANTITY_RE.flags);
  for (let n = 0; n < 5000; n += 1) {
    let text = '';
    for (let i = Math.floor(random() * 14); i > 0; i -= 1) text += pieces[Math.floor(random() * pieces.length)];
    const expected: string[] = [];
    global.lastIndex = 0;
    for (let m = global.exec(text); m; m = global.exec(text)) expected.push(`${m.index}:${m[0]}`);
    const actual: string[] = [];
    for (let m = nextQuantity(text, 0); m; m = nextQuantity(text, m.index + m[0].length)) actual.push(`${m.index}:${m[0]}`);
    assert.deepEqual(actual, expected, JSON.stringify(text));
  }
});
