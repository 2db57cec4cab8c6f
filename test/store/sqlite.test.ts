import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { sha256 } from '../../src/hash.js';
import { openStore, resolveDbPath } from '../../src/store/index.js';
import type { ExtractedArticle, SourceDocument } from '../../src/types.js';

function doc(text: string, input = 'x.txt'): SourceDocument {
  return { input, bytes: new TextEncoder().encode(text), format: 'text' };
}
function article(text: string, extra: Partial<ExtractedArticle> = {}): ExtractedArticle {
  return { input: 'x.txt', title: 'T', text, author: [], published: '2025-02-18', outlet: 'Example', url: null, language: 'en', provenance: [{ origin: 'AFP', evidence: 'according to AFP.' }], removed: ['Leave a Reply'], ...extra };
}
const tempDb = () => path.join(mkdtempSync(path.join(tmpdir(), 'tri-store-')), 'test.db');

test('an ingested article round-trips with all its fields and its raw bytes', async () => {
  const store = await openStore({ path: ':memory:' });
  const d = doc('raw bytes');
  const outcome = await store.ingest(d, sha256(d.bytes), article('Body text.'), []);
  assert.equal(outcome.status, 'ingested');
  const stored = await store.getArticle(outcome.articleId!);
  assert.equal(stored?.text, 'Body text.');
  assert.deepEqual(stored?.provenance, [{ origin: 'AFP', evidence: 'according to AFP.' }]);
  assert.deepEqual(stored?.removed, ['Leave a Reply']);
  const raw = await store.getRaw(stored!.rawHash);
  assert.equal(new TextDecoder().decode(raw!.bytes), 'raw bytes');
  await store.close();
});

test('the same bytes twice, or the same text from other bytes, is a duplicate', async () => {
  const store = await openStore({ path: ':memory:' });
  const a = doc('one');
  await store.ingest(a, sha256(a.bytes), article('Same text.'), []);
  assert.equal((await store.ingest(a, sha256(a.bytes), article('Same text.'), [])).duplicateOf, 'raw');
  const b = doc('two');
  const second = await store.ingest(b, sha256(b.bytes), article('Same text.'), []);
  assert.deepEqual([second.status, second.duplicateOf], ['duplicate', 'text']);
  assert.equal(await store.countArticles(), 1);
  await store.close();
});

test('a failed extraction keeps the raw input and its messages, but no article', async () => {
  const store = await openStore({ path: ':memory:' });
  const d = doc('<html></html>', 'empty.html');
  const outcome = await store.ingest(d, sha256(d.bytes), null, [{ input: 'empty.html', code: 'TRI_E008', reason: 'no text', severity: 'error' }]);
  assert.equal(outcome.status, 'failed');
  assert.equal(await store.countArticles(), 0);
  assert.ok(await store.hasRaw(sha256(d.bytes)));
  assert.equal((await store.listMessages())[0]?.code, 'TRI_E008');
  await store.close();
});

test('re-extraction replaces the article and drops the analysis of the old text', async () => {
  const store = await openStore({ path: ':memory:' });
  const d = doc('raw');
  const hash = sha256(d.bytes);
  const first = await store.ingest(d, hash, article('Old text.'), []);
  await store.saveAnalysis({ articleId: first.articleId!, version: '1', analysis: { sentences: [], entities: [], actors: [], references: [], quotes: [], quantities: [], dates: [] } });
  const second = await store.replaceExtraction(hash, article('New text.'), []);
  assert.notEqual(second.articleId, first.articleId);
  assert.equal(await store.getArticle(first.articleId!), null);
  assert.equal(await store.getAnalysis(first.articleId!), null);
  assert.equal((await store.getArticle(second.articleId!))?.text, 'New text.');
  await store.close();
});

test('full-text search finds articles and treats user input as words, not query syntax', async () => {
  const store = await openStore({ path: ':memory:' });
  for (const [i, text] of ['Rubio met Lavrov in Riyadh.', 'Markets fell sharply.'].entries()) {
    const d = doc(`raw ${i}`);
    await store.ingest(d, sha256(d.bytes), article(text), []);
  }
  assert.equal((await store.listArticles({ search: 'riyadh' })).length, 1);
  assert.equal((await store.listArticles({ search: 'NEAR( "x' })).length, 0);
  await store.close();
});

test('a file database uses WAL and records its migrations once', async () => {
  const file = tempDb();
  await (await openStore({ path: file })).close();
  await (await openStore({ path: file })).close();
  const db = new Database(file, { readonly: true });
  assert.equal(db.pragma('journal_mode', { simple: true }), 'wal');
  const names = db.prepare('SELECT name FROM schema_migrations ORDER BY name').pluck().all() as string[];
  assert.deepEqual(names, [...new Set(names)]);
  assert.ok(names.length >= 2);
  db.close();
});

test('the database path comes from --db, then TRIANGULATE_DB, then the default', () => {
  assert.equal(resolveDbPath('x.db', { TRIANGULATE_DB: 'y.db' }), 'x.db');
  assert.equal(resolveDbPath(undefined, { TRIANGULATE_DB: 'y.db' }), 'y.db');
  assert.equal(resolveDbPath(undefined, {}), './triangulate.db');
});
