import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { documentsFromNamedBytes, globToRegExp, readSources, type SourceItem } from '../../src/sources/index.js';

async function collect(inputs: string[], options = {}): Promise<SourceItem[]> {
  const items: SourceItem[] = [];
  for await (const item of readSources(inputs, options)) items.push(item);
  return items;
}
const documents = (items: SourceItem[]) => items.flatMap((i) => ('document' in i ? [i.document] : []));
const messages = (items: SourceItem[]) => items.flatMap((i) => ('message' in i ? [i.message] : []));

function folder(files: Record<string, string | Uint8Array>): string {
  const root = mkdtempSync(path.join(tmpdir(), 'tri-sources-'));
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, name)), { recursive: true });
    writeFileSync(path.join(root, name), content);
  }
  return root;
}

test('a folder is read recursively, by extension, skipping README and dotfiles', async () => {
  const root = folder({ 'a.html': '<p>x</p>', 'sub/b.txt': 'Title\n\nBody.', 'sub/deeper/c.md': 'T\n\nB.', 'README.md': 'about', '.hidden.txt': 'no', 'notes.csv': 'x,y' });
  const docs = documents(await collect([root]));
  assert.deepEqual(docs.map((d) => path.relative(root, d.input)), ['a.html', 'sub/b.txt', 'sub/deeper/c.md']);
  assert.deepEqual(docs.map((d) => d.format), ['html', 'text', 'text']);
});

test('an explicit file with an unsupported extension gets TRI_E002 and the rest carry on', async () => {
  const root = folder({ 'x.csv': 'a,b', 'y.txt': 'Title\n\nBody.' });
  const items = await collect([path.join(root, 'x.csv'), path.join(root, 'y.txt')]);
  assert.equal(messages(items)[0]?.code, 'TRI_E002');
  assert.equal(documents(items).length, 1);
});

test('gzipped HTML is decompressed; a corrupt .gz is reported', async () => {
  const root = folder({ 'page.html.gz': gzipSync('<html><body><p>Hi</p></body></html>'), 'bad.html.gz': 'not gzip at all' });
  const items = await collect([root]);
  const doc = documents(items)[0]!;
  assert.equal(doc.format, 'html');
  assert.match(new TextDecoder().decode(doc.bytes), /<p>Hi<\/p>/);
  assert.equal(messages(items)[0]?.code, 'TRI_E009');
});

test('empty, binary and oversized inputs are refused with one message each', async () => {
  const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0]);
  const root = folder({ 'empty.txt': '', 'blank.txt': '  \n\n ', 'image.html': png, 'nul.txt': 'abc\u0000def', 'big.txt': 'x'.repeat(2000) });
  const items = await collect([root], { maxBytes: 1000 });
  const byFile = new Map(messages(items).map((m) => [path.basename(m.input), m.code]));
  assert.deepEqual(Object.fromEntries(byFile), { 'big.txt': 'TRI_E004', 'blank.txt': 'TRI_E003', 'empty.txt': 'TRI_E003', 'image.html': 'TRI_E005', 'nul.txt': 'TRI_E005' });
  assert.equal(documents(items).length, 0);
});

test('JSON Lines become one document per record; a broken line is reported with its line number', async () => {
  const root = folder({ 'feed.jsonl': '{"text":"One."}\n\nnot json\n{"html":"<p>Two</p>"}\n' });
  const items = await collect([root]);
  assert.deepEqual(documents(items).map((d) => path.basename(d.input)), ['feed.jsonl:1', 'feed.jsonl:4']);
  const [bad] = messages(items);
  assert.equal(bad?.code, 'TRI_E006');
  assert.match(bad!.input, /feed\.jsonl:3$/);
});

test('a .json file with an array yields one document per element', async () => {
  const root = folder({ 'dump.json': JSON.stringify([{ text: 'A.' }, { text: 'B.' }]) });
  assert.deepEqual(documents(await collect([root])).map((d) => path.basename(d.input)), ['dump.json[0]', 'dump.json[1]']);
});

test('a path that does not exist, and a glob that matches nothing, are reported', async () => {
  const items = await collect(['/nonexistent/triangulate/file.txt', '/nonexistent/triangulate/*.html']);
  assert.deepEqual(messages(items).map((m) => m.code), ['TRI_E001', 'TRI_E010']);
});

test('globs expand ** and {a,b}', async () => {
  const root = folder({ 'x/one.html': '<p>1</p>', 'x/y/two.txt': 'T\n\nB.', 'x/y/three.md': 'T\n\nB.' });
  const docs = documents(await collect([`${root}/**/*.{html,txt}`]));
  assert.deepEqual(docs.map((d) => path.basename(d.input)), ['one.html', 'two.txt']);
  assert.ok(globToRegExp('**/*.txt').test('a/b/c.txt'));
  assert.ok(globToRegExp('**/*.txt').test('c.txt'));
  assert.ok(!globToRegExp('*.txt').test('a/c.txt'));
});

test('stdin is sniffed for its format', async () => {
  const items = await collect(['-'], { readStdin: async () => new TextEncoder().encode('<!doctype html><p>x</p>') });
  assert.equal(documents(items)[0]?.format, 'html');
  const json = await collect(['-'], { readStdin: async () => new TextEncoder().encode('{"text":"a"}\n{"text":"b"}\n') });
  assert.equal(documents(json).length, 2);
});

test('the run announces each file with the total, for progress bars', async () => {
  const root = folder({ 'a.txt': 'A\n\nB.', 'b.txt': 'C\n\nD.' });
  const files = (await collect([root])).flatMap((i) => ('file' in i ? [i.file] : []));
  assert.deepEqual(files.map((f) => [f.index, f.total]), [[0, 2], [1, 2]]);
});

test('UTF-16 text with a byte-order mark is accepted as text', async () => {
  const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('Title\n\nA body in UTF-16.', 'utf16le')]);
  const root = folder({ 'wide.txt': utf16 });
  const items = await collect([root]);
  assert.equal(messages(items).length, 0);
  assert.equal(documents(items).length, 1);
});

test('bytes already in memory are read as a file of that name: .gz decompressed within the limit, JSON Lines split, unknown types refused', async () => {
  const read = async (name: string, bytes: Uint8Array, options = {}) => {
    const items: SourceItem[] = [];
    for await (const item of documentsFromNamedBytes(name, bytes, options)) items.push(item);
    return items;
  };
  const lines = gzipSync('{"title":"A","text":"One."}\n{"title":"B","text":"Two."}\n');
  assert.deepEqual(documents(await read('upload.jsonl.gz', lines)).map((d) => [d.input, d.format]), [['upload.jsonl.gz:1', 'json'], ['upload.jsonl.gz:2', 'json']]);
  // A small gzip that inflates past the limit is stopped while inflating.
  const bomb = await read('bomb.txt.gz', gzipSync(Buffer.alloc(200_000, 0x61)), { maxBytes: 10_000, tooLargeHint: 'upload less' });
  assert.equal(messages(bomb)[0]?.code, 'TRI_E004');
  assert.match(messages(bomb)[0]!.reason, /decompresses to over the 9\.8 KB limit; upload less/);
  const csv = messages(await read('notes.csv.gz', gzipSync('x,y')));
  assert.equal(csv[0]?.code, 'TRI_E002');
  assert.match(csv[0]!.reason, /"\.csv"/);
  assert.equal(messages(await read('bad.html.gz', Buffer.from('not gzip')))[0]?.code, 'TRI_E009');
});
