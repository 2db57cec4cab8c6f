import { test } from 'node:test';
import assert from 'node:assert/strict';
import { describeValue } from '../../src/brief/contradictions.js';

test('a claimed quantity reads as a reader writes it: bound, number, unit in the plural when needed', () => {
  assert.equal(describeValue({ kind: 'quantity', value: 4, unit: 'hour', bound: 'at least' }), 'at least 4 hours');
  assert.equal(describeValue({ kind: 'quantity', value: 1, unit: 'hour', bound: 'exact' }), '1 hour');
  assert.equal(describeValue({ kind: 'quantity', value: 5, unit: '%', bound: 'about' }), 'about 5 %');
  assert.equal(describeValue({ kind: 'quantity', value: 1000, unit: 'troops', bound: 'exact' }), '1000 troops');
  assert.equal(describeValue({ kind: 'quantity', value: 2000000000, unit: 'USD', bound: 'exact' }), '2000000000 USD');
});
