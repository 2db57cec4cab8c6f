import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { ingestWarc } from '../../src/pipeline/warc.js';
import { readWarc, serializeWarcRecord } from '../../src/sources/warc.js';
import { openStore } from '../../src/store/index.js';
import { newsPage } from '../sources/server.js';

const paragraphs = (n: number, topic: string) => Array.from({ length: 4 }, (_, i) =>
  `Officials in the harbour town of ${topic} said on Tuesday that repairs to pier number ${n + i} would take at least ${3 + i} weeks, after inspectors found cracks in ${2 + i} of its supports.`);

/** A CC-NEWS-like archive: for each page a request and a response record, plus an image, a redirect and a metadata record. */
async function writeArchive(file: string, pages: number, gzip: boolean): Promise<void> {
  const parts: Uint8Array[] = [];
  for (let i = 0; i < pages; i++) {
    const url = `https://news${i % 3}.example/story-${i}`;
    parts.push(await serializeWarcRecord({ url, date: '2025-02-18T10:00:00Z', body: '', type: 'request' }, { gzip }));
    parts.push(await serializeWarcRecord({ url, date: '2025-02-18T10:00:00Z', body: newsPage(`Harbour story ${i}`, paragraphs(i, `Town${i}`)) }, { gzip }));
  }
  parts.push(await serializeWarcRecord({ url: 'https://news0.example/logo.png', date: '2025-02-18T10:00:00Z', body: new Uint8Array([0x89, 0x50]), contentType: 'image/png' }, { gzip }));
  parts.push(await serializeWarcRecord({ url: 'https://news0.example/old', date: '2025-02-18T10:00:00Z', body: '', statusline: 'HTTP/1.1 301 Moved Permanently' }, { gzip }));
  // A page in windows-1252 whose charset only the HTTP header gives.
  const latin = Buffer.from(newsPage('Caf\xe9 owners protest', paragraphs(99, 'Saint-\xc9tienne')).replace('<meta charset="utf-8">', ''), 'latin1');
  parts.push(await serializeWarcRecord({ url: 'https://news1.example/cafe', date: '2025-02-18T10:00:00Z', body: latin, contentType: 'text/html; charset=windows-1252' }, { gzip }));
  parts.push(await serializeWarcRecord({ url: 'https://news1.example/', date: '2025-02-18T10:00:00Z', body: 'crawl metadata', type: 'metadata', contentType: 'application/warc-fields' }, { gzip }));
  writeFileSync(file, Buffer.concat(parts));
}

test('a WARC file: HTML responses are stored with their raw bytes, URL and charset; other records are skipped', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'tri-warc-'));
  const file = path.join(dir, 'news.warc.gz');
  await writeArchive(file, 5, true);
  const store = await openStore({ path: ':memory:' });
  try {
    const summary = await ingestWarc(store, file);
    assert.equal(summary.records, 14);
    assert.equal(summary.ingested, 6);
    assert.equal(summary.skipped, 8, 'five requests, an image, a redirect, a metadata record');
    assert.ok(summary.complete);
    const articles = await store.listArticles();
    const cafe = articles.find((a) => a.title?.startsWith('Caf'))!;
    assert.equal(cafe.title, 'Café owners protest');
    assert.match(cafe.text, /Saint-Étienne/);
    const raw = (await store.getRaw(cafe.rawHash))!;
    assert.equal(raw.url, 'https://news1.example/cafe');
    assert.equal(raw.charset, 'windows-1252');
    assert.match(raw.input, /news\.warc\.gz#\d+ https:\/\/news1\.example\/cafe/);
    // Read to the end: a second run has nothing to do.
    const again = await ingestWarc(store, file);
    assert.equal(again.records, 0);
    assert.ok(again.complete);
  } finally {
    await store.close();
  }
});

for (const [name, gzip, wholeFileGzip] of [['per-record gzip', true, false], ['uncompressed', false, false], ['one gzip stream', false, true]] as const) {
  test(`an interrupted WARC resumes where it stopped (${name})`, async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'tri-warc-'));
    let file = path.join(dir, gzip ? 'a.warc.gz' : 'a.warc');
    await writeArchive(file, 8, gzip);
    if (wholeFileGzip) {
      const whole = path.join(dir, 'b.warc.gz');
      writeFileSync(whole, gzipSync(readFileSync(file)));
      file = whole;
    }
    const store = await openStore({ path: ':memory:' });
    try {
      const controller = new AbortController();
      let seen = 0;
      const first = await ingestWarc(store, file, {
        signal: controller.signal,
        onEvent: (event) => { if (event.kind === 'document' && ++seen === 3) controller.abort(); },
      });
      assert.equal(first.complete, false);
      assert.equal(first.ingested, 3);
      const second = await ingestWarc(store, file);
      assert.ok(second.complete);
      assert.ok(second.resumedAt > 0);
      assert.equal(second.ingested, 6, 'the remaining pages, none twice');
      assert.equal(second.duplicates, 0);
      assert.equal(first.records + second.records, 20, "every record read once");
      assert.equal(await store.countArticles(), 9);
    } finally {
      await store.close();
    }
  });
}

test('a truncated or foreign file ends with a clear message after the records that could be read', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'tri-warc-'));
  const good = path.join(dir, 'good.warc');
  await writeArchive(good, 3, false);
  const bytes = readFileSync(good);
  const truncated = path.join(dir, 'cut.warc');
  writeFileSync(truncated, Buffer.concat([bytes, Buffer.from('WARC/1.0\r\nWARC-Type: response\r\nContent-Length: 9999\r\n\r\n<html>')]));
  const items = [];
  for await (const item of readWarc(truncated)) if (!('progress' in item)) items.push(item);
  assert.ok(items.filter((i) => 'document' in i).length >= 4);
  const last = items.at(-1)!;
  assert.ok('message' in last && last.message.code === 'TRI_E031' && /ends inside record/.test(last.message.reason));
  const foreign = path.join(dir, 'notes.warc');
  writeFileSync(foreign, 'this is not a WARC file at all\n');
  const store = await openStore({ path: ':memory:' });
  try {
    const summary = await ingestWarc(store, foreign);
    assert.equal(summary.complete, false);
    assert.equal(summary.messages[0]?.code, 'TRI_E031');
  } finally {
    await store.close();
  }
});
