import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findDates } from '../../src/analyze/dates.js';
import { randomTexts } from '../fixtures/quotes/fuzz.js';

// Wednesday 19 February 2025.
const published = '2025-02-19';
const dates = (t: string, pub: string | null = published) =>
  findDates(t, pub).map((d) => [t.slice(d.span[0], d.span[1]), d.date, d.granularity, d.relative]);

test('explicit dates', () => {
  assert.deepEqual(dates('on Feb. 18, 2025, in 2008, since 2022, 18 February 2025, March 2024, 2025-02-18, the 1990s'), [
    ['Feb. 18, 2025', '2025-02-18', 'day', false],
    ['2008', '2008', 'year', false],
    ['2022', '2022', 'year', false],
    ['18 February 2025', '2025-02-18', 'day', false],
    ['March 2024', '2024-03', 'month', false],
    ['2025-02-18', '2025-02-18', 'day', false],
    ['the 1990s', '1990', 'decade', false],
  ]);
});

test('dates relative to publication', () => {
  assert.deepEqual(dates('They met on Tuesday.'), [['on Tuesday', '2025-02-18', 'day', true]]);
  assert.deepEqual(dates('They will meet on Tuesday.'), [['on Tuesday', '2025-02-25', 'day', true]]);
  assert.deepEqual(dates('Yesterday they met.'), [['Yesterday', '2025-02-18', 'day', true]]);
  assert.deepEqual(dates('They met last week.'), [['last week', '2025-W07', 'week', true]]);
  assert.deepEqual(dates('They met on February 18.'), [['February 18', '2025-02-18', 'day', true]]);
  assert.deepEqual(dates('It started in March.'), [['March', '2024-03', 'month', true]]);
  assert.deepEqual(dates('It happened 3 days ago.'), [['3 days ago', '2025-02-16', 'day', true]]);
});

test('without a publication date, relative dates are dropped', () => {
  assert.deepEqual(dates('On Tuesday, last week, in 2008.', null), [['2008', '2008', 'year', false]]);
});

test('fuzz: never throws, spans inside the text', () => {
  const alphabet = '0123456789 ,.-Feb March Tuesday last week ago in since ';
  for (const t of randomTexts(alphabet, 300, 80, 5)) {
    for (const d of findDates(t, published)) assert.ok(d.span[0] >= 0 && d.span[0] < d.span[1] && d.span[1] <= t.length);
  }
});
