import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { run } from '../../bench/quotes.js';

const text = 'Mayor Ann Lee said, “We will rebuild.” The council agreed with her.\n';

/** A brat attribution: source, cue and content given as the text they cover. */
function ann(source: string, cue: string, content: string): string {
  const at = (s: string) => `${text.indexOf(s)} ${text.indexOf(s) + s.length}\t${s}`;
  return `T1\tSource ${at(source)}\nT2\tCue ${at(cue)}\nT3\tContent ${at(content)}\nE1\tAttribution:T2 Source:T1 Cue:T2 Content:T3\n`;
}

test('--agreement scores the second annotator against the first, on the articles two annotated', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'polnear-'));
  try {
    mkdirSync(path.join(dir, 'text'));
    mkdirSync(path.join(dir, 'attributions'));
    for (const article of ['a', 'b']) writeFileSync(path.join(dir, 'text', `${article}.txt`), text);
    // Article a: both annotators agree on the source; the second leaves the quote marks out of the content.
    writeFileSync(path.join(dir, 'attributions', 'a_01.ann'), ann('Mayor Ann Lee', 'said', '“We will rebuild.”'));
    writeFileSync(path.join(dir, 'attributions', 'a_02.ann'), ann('Mayor Ann Lee', 'said', 'We will rebuild.'));
    // Article b has one annotator: not scored.
    writeFileSync(path.join(dir, 'attributions', 'b_01.ann'), ann('The council', 'agreed', 'with her'));
    const { figures } = await run(['--data', dir, '--agreement']);
    assert.equal(figures['quotes.agreement.source_f1'], 1);
    assert.equal(figures['quotes.agreement.direct_content_f1'], 0);
    assert.equal(figures['quotes.direct_content_f1'], undefined, 'no floor applies to the annotators');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
