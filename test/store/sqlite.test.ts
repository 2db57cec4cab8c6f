/** What only the SQLite store does, and how a run picks its database (the Store contract is in store.test.ts, run on every backend). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { openStore, resolveDbPath, resolveStoreTarget } from '../../src/store/index.js';

const tempDb = () => path.join(mkdtempSync(path.join(tmpdir(), 'tri-store-')), 'test.db');

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

test('a PostgreSQL URL wins over a path and TRIANGULATE_DB; TRIANGULATE_DATABASE_URL picks PostgreSQL by default', () => {
  const url = 'postgres://u@h:5432/db';
  assert.deepEqual(resolveStoreTarget({ databaseUrl: url, path: 'x.db' }), { kind: 'postgres', url });
  assert.deepEqual(resolveStoreTarget({ path: 'x.db', env: { TRIANGULATE_DATABASE_URL: url } }), { kind: 'sqlite', path: 'x.db' });
  assert.deepEqual(resolveStoreTarget({ env: { TRIANGULATE_DATABASE_URL: url, TRIANGULATE_DB: 'y.db' } }), { kind: 'postgres', url });
  assert.deepEqual(resolveStoreTarget({ env: { TRIANGULATE_DB: 'y.db' } }), { kind: 'sqlite', path: 'y.db' });
  assert.deepEqual(resolveStoreTarget({ path: 'postgresql://u@h/db', env: {} }), { kind: 'postgres', url: 'postgresql://u@h/db' });
});
