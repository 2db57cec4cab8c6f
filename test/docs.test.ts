import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { cliDoc, errorsDoc } from '../scripts/gen-docs.js';

test('docs/errors.md documents every message code (regenerate with npx tsx scripts/gen-docs.ts)', () => {
  assert.equal(readFileSync('docs/errors.md', 'utf8'), errorsDoc());
});

test('docs/cli.md documents every command and option (regenerate with npx tsx scripts/gen-docs.ts)', () => {
  assert.equal(readFileSync('docs/cli.md', 'utf8'), cliDoc());
});
