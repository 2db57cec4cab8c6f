import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as extractModule from '../../src/extract/index.js';

test('the extract stage exports its public functions', () => {
  assert.deepEqual(Object.keys(extractModule).sort(), [
    'MIN_WEIGHT', 'classifyLine', 'creditsIn', 'dateFromUrl', 'decode', 'extract', 'extractPlainText', 'findCredits', 'isCreditLine', 'parseDate',
  ]);
  assert.equal(typeof extractModule.extract, 'function');
});
