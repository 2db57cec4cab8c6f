import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { run } from '../../bench/speakers.js';

test('the labelled pronoun speakers are well formed', () => {
  const items = readFileSync(new URL('../../bench/speakers-gold.jsonl', import.meta.url), 'utf8').trim().split('\n').map((line) => JSON.parse(line));
  assert.equal(items.length, 56);
  for (const item of items) {
    assert.match(item.article, /^[a-z-]+_\d{4}-\d{2}-\d{2}_/);
    assert.ok(Number.isInteger(item.speaker) && item.speaker >= 0);
    assert.match(item.pronoun, /^(?:he|she)$/i);
    assert.ok(item.person === null || typeof item.person === 'string');
  }
});

test('a pronoun speaker is right when its actor has the labelled surname, unresolved when it has none', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'speakers-'));
  try {
    mkdirSync(path.join(dir, 'text'));
    const text = 'Mrs. Ann Lee met Mr. Bob Stone in Iowa on Monday. “We will win this state,” she said.';
    writeFileSync(path.join(dir, 'text', 'a.txt'), text);
    const at = text.lastIndexOf('she');
    const gold = path.join(dir, 'gold.jsonl');
    writeFileSync(gold, [
      { article: 'a', speaker: at, pronoun: 'she', person: 'Lee' },
      { article: 'a', speaker: at, pronoun: 'she', person: 'Stone' },
    ].map((item) => JSON.stringify(item)).join('\n'));
    const { figures } = await run(['--data', dir, '--gold', gold]);
    assert.equal(figures['speakers.accuracy'], 0.5);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
