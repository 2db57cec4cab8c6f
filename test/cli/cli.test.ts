import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import Ajv2020 from 'ajv/dist/2020.js';
import { main } from '../../src/cli/main.js';
import type { Io } from '../../src/cli/command.js';

const EXAMPLES = path.resolve('examples/riyadh-talks');

async function cli(args: string[], cwd = mkdtempSync(path.join(tmpdir(), 'tri-cli-'))): Promise<{ code: number; stdout: string; stderr: string; cwd: string }> {
  let stdout = '';
  let stderr = '';
  const sink = (write: (s: string) => void) => new Writable({ write(chunk, _enc, done) { write(String(chunk)); done(); } });
  const io: Io = { stdout: sink((s) => { stdout += s; }), stderr: sink((s) => { stderr += s; }), env: {}, cwd };
  const code = await main(args, io);
  return { code, stdout, stderr, cwd };
}

test('ingest prints the summary line and re-ingesting the same content is a no-op', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'tri-cli-'));
  const db = path.join(dir, 'x.db');
  const first = await cli(['ingest', EXAMPLES, '--db', db, '--extract-only']);
  assert.equal(first.code, 0, first.stderr);
  assert.match(first.stdout, /^5 ingested, 0 duplicates skipped, 0 failed$/m);
  const second = await cli(['ingest', EXAMPLES, '--db', db, '--extract-only']);
  assert.match(second.stdout, /^0 ingested, 5 duplicates skipped, 0 failed$/m);
  const listed = await cli(['articles', '--db', db, '--json']);
  assert.equal(listed.stdout.trim().split('\n').length, 5);
});

test('bad inputs get one line each naming the input, the rest are stored, and the exit code says something failed', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'tri-cli-'));
  writeFileSync(path.join(dir, 'good.txt'), 'A title\n\nThe minister said on Monday that the bridge would reopen next month after repairs costing $2 million. Engineers had found cracks in two of its supports during a routine inspection in March.');
  writeFileSync(path.join(dir, 'empty.txt'), '');
  writeFileSync(path.join(dir, 'image.html'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0]));
  writeFileSync(path.join(dir, 'broken.jsonl'), '{"text": "The harbour will close for the winter season from next week, port officials said on Friday, after storms damaged two of the three piers and left the ferry terminal without power for most of the month."}\n{oops\n');
  writeFileSync(path.join(dir, 'notes.csv'), 'a,b');
  const run = await cli(['ingest', dir, path.join(dir, 'notes.csv'), path.join(dir, 'missing.txt'), '--db', path.join(dir, 'x.db'), '--extract-only']);
  assert.equal(run.code, 1);
  assert.match(run.stdout, /^2 ingested, 0 duplicates skipped, 5 failed$/m);
  for (const [file, code] of [['empty.txt', 'TRI_E003'], ['image.html', 'TRI_E005'], ['broken.jsonl:2', 'TRI_E006'], ['notes.csv', 'TRI_E002'], ['missing.txt', 'TRI_E001']]) {
    assert.match(run.stderr, new RegExp(`${file.replace('.', '\\.')}.*${code}`), `${file} reported with ${code}`);
  }
});

test('usage errors exit 2 with help; unknown commands too', async () => {
  assert.equal((await cli(['ingest'])).code, 2);
  assert.equal((await cli(['frobnicate'])).code, 2);
  assert.equal((await cli(['brief', 's1', '--format', 'pdf', '--db', ':memory:'])).code, 2);
  const help = await cli(['stories', '--help']);
  assert.equal(help.code, 0);
  assert.match(help.stdout, /--since DATE/);
});

test('analyze prints briefings as JSON that validate against the published schema', async () => {
  const run = await cli(['analyze', EXAMPLES, '--format', 'json']);
  assert.equal(run.code, 0, run.stderr);
  const document = JSON.parse(run.stdout) as import('../../src/brief/types.js').BriefingDocument;
  const schema = JSON.parse(readFileSync('docs/schema/briefing.schema.json', 'utf8'));
  const validate = new Ajv2020.default({ allErrors: true, strict: false }).compile(schema);
  assert.ok(validate(structuredClone(document)), JSON.stringify(validate.errors));
  const [story] = document.stories;
  assert.equal(story!.articles.length, 5, 'the demo corpus is one story of five articles');
  // The near rewrite: 004 rewords 000 sentence by sentence, so it derives from it and they count as one source.
  const byInput = (prefix: string) => story!.articles.find((a) => path.basename(a.input).startsWith(prefix));
  assert.equal(byInput('004')!.derivedFrom, byInput('000')!.id);
  assert.ok(story!.summary.length >= 5 && story!.summary.length <= 8);
  assert.ok(story!.contradictions.some((c) => c.kind === 'title' && c.claims.some((claim) => /Senator/.test(claim.text))), 'Secretary of State vs Senator');
});

test('demo prints the briefing and writes a standalone HTML report with no scripts', async () => {
  const run = await cli(['demo']);
  assert.equal(run.code, 0, run.stderr);
  assert.match(run.stdout, /SUMMARY/);
  assert.match(run.stdout, /CONTRADICTIONS/);
  const report = path.join(run.cwd, 'triangulate-demo-report.html');
  assert.ok(existsSync(report));
  const html = readFileSync(report, 'utf8');
  assert.doesNotMatch(html, /<script/i);
  assert.match(html, /Content-Security-Policy/);
  assert.match(html, /class="cite" href="#a[0-9a-f]{12}-s\d+"/);
  const stories = await cli(['stories', '--db', path.join(run.cwd, 'triangulate-demo.db'), '--json']);
  const listed = stories.stdout.trim().split('\n').map((line) => JSON.parse(line));
  assert.equal(listed.length, 1);
  assert.equal(listed[0].articleCount, 5);
  assert.equal(listed[0].familyCount, 4, 'five articles, four independent sources: the rewrite joins its original');
});

test('inspect --json validates against the analysis schema and every span slices its text', async () => {
  const file = path.join(EXAMPLES, '000_744ed3bbcf6cda70.txt');
  const run = await cli(['inspect', file, '--json']);
  assert.equal(run.code, 0, run.stderr);
  type Spanned = { text: string; span: [number, number] };
  const analysis = JSON.parse(run.stdout) as { text: string; entities: Spanned[]; quantities: Spanned[]; dates: Spanned[]; quotes: Array<Spanned & { speaker: { text: string } | null }> };
  const schema = JSON.parse(readFileSync('docs/schema/analysis.schema.json', 'utf8'));
  const validate = new Ajv2020.default({ allErrors: true, strict: false }).compile(schema);
  assert.ok(validate(structuredClone(analysis)), JSON.stringify(validate.errors));
  for (const list of [analysis.entities, analysis.quantities, analysis.dates, analysis.quotes]) {
    for (const item of list) assert.equal(analysis.text.slice(item.span[0], item.span[1]), item.text);
  }
  assert.ok(analysis.quotes.some((q) => /senior Ukrainian official/.test(q.speaker?.text ?? '')));
});

test('stories filter by date and search text; brief finds a story by id and says when it does not exist', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'tri-cli-'));
  const db = path.join(dir, 'x.db');
  const write = (name: string, published: string, text: string) => writeFileSync(path.join(dir, name), JSON.stringify({ title: text.split('.')[0], published, outlet: name, text }));
  write('harbour.json', '2024-01-10', 'The harbour at Kelmouth will close for the winter from next week, port officials said on Friday. Storms damaged two of the three piers and left the ferry terminal without power for most of the month, and repairs are expected to take until March.');
  write('election.json', '2025-03-02', 'Voters in Ardenfield elected a new mayor on Sunday after a campaign dominated by housing costs. Turnout reached 61 percent, the highest in two decades, and the winner promised to build four thousand homes within five years of taking office.');
  const ingest = await cli(['ingest', dir, '--db', db]);
  assert.equal(ingest.code, 0, ingest.stderr);
  const all = (await cli(['stories', '--db', db, '--json'])).stdout.trim().split('\n').map((l) => JSON.parse(l) as { id: string; headline: string });
  assert.equal(all.length, 2);
  const since = (await cli(['stories', '--db', db, '--json', '--since', '2025-01-01'])).stdout.trim().split('\n');
  assert.equal(since.length, 1);
  assert.match(since[0]!, /Ardenfield/);
  const search = (await cli(['stories', '--db', db, '--json', '--search', 'ferry piers'])).stdout.trim().split('\n');
  assert.equal(search.length, 1);
  assert.match(search[0]!, /Kelmouth/);
  const brief = await cli(['brief', all[0]!.id, '--db', db, '--format', 'md']);
  assert.equal(brief.code, 0, brief.stderr);
  assert.match(brief.stdout, /^# /);
  const missing = await cli(['brief', 'nope', '--db', db]);
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /no story "nope"/);
  assert.equal((await cli(['stories', '--db', db, '--since', 'yesterday-ish'])).code, 2);
  for (const command of ['stories', 'articles']) {
    const bad = await cli([command, '--db', db, '--limit', 'ten']);
    assert.equal(bad.code, 2, `${command} --limit ten is a usage error, not a crash`);
    assert.match(bad.stderr, /--limit takes a whole number/);
  }
  assert.equal((await cli(['stories', '--db', db, '--json', '--limit', '1'])).stdout.trim().split('\n').length, 1);
});
