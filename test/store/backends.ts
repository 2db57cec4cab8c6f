/**
 * The store backends every store test runs against. SQLite always runs.
 * PostgreSQL runs when TRIANGULATE_TEST_DATABASE_URL is set (CI sets it): each
 * store then lives in its own schema, named for this process and a counter,
 * dropped when the test ends, so parallel runs never see each other's tables.
 * When the variable is set and the server is unreachable, the tests fail:
 * a skipped PostgreSQL suite in CI would hide a broken backend.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { openStore, type Store } from '../../src/store/index.js';

export const TEST_DATABASE_URL = process.env.TRIANGULATE_TEST_DATABASE_URL;

export const POSTGRES_SKIP = TEST_DATABASE_URL
  ? false
  : 'PostgreSQL tests need TRIANGULATE_TEST_DATABASE_URL (for example postgres://postgres@127.0.0.1:5432/test); CI sets it';

export interface Backend {
  name: 'sqlite' | 'postgres';
  /** false, or why this backend's tests are skipped. */
  skip: string | false;
  /** A fresh, empty store. `file: true` asks for a file database (SQLite) rather than memory. */
  open(options?: { file?: boolean }): Promise<TestStore>;
}

export interface TestStore {
  store: Store;
  /** Opens the same database again (a second process would). */
  reopen(): Promise<Store>;
  /** The options `openStore` takes for this database (for commands and child processes). */
  target: { path: string } | { databaseUrl: string };
  /** Closes the store and removes the database. */
  dispose(): Promise<void>;
}

let counter = 0;

/** A schema name no other run uses: process id, time and a counter. */
export function uniqueSchema(prefix = 'tri_test'): string {
  return `${prefix}_${process.pid}_${Date.now().toString(36)}_${counter++}`;
}

/** The test database URL with `?schema=` set. */
export function schemaUrl(schema: string): string {
  const url = new URL(TEST_DATABASE_URL!);
  url.searchParams.set('schema', schema);
  return url.toString();
}

export async function dropSchema(schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: TEST_DATABASE_URL! });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  } finally {
    await client.end();
  }
}

const sqlite: Backend = {
  name: 'sqlite',
  skip: false,
  async open(options = {}) {
    const dir = options.file ? mkdtempSync(path.join(tmpdir(), 'tri-store-')) : null;
    const file = dir ? path.join(dir, 'test.db') : ':memory:';
    const store = await openStore({ path: file });
    const opened: Store[] = [store];
    return {
      store,
      target: { path: file },
      async reopen() {
        if (!dir) throw new Error('reopen needs a file database: open({ file: true })');
        const again = await openStore({ path: file });
        opened.push(again);
        return again;
      },
      async dispose() {
        for (const s of opened) await s.close();
        if (dir) rmSync(dir, { recursive: true, force: true });
      },
    };
  },
};

const postgres: Backend = {
  name: 'postgres',
  skip: POSTGRES_SKIP,
  async open() {
    const schema = uniqueSchema();
    const databaseUrl = schemaUrl(schema);
    const store = await openStore({ databaseUrl });
    const opened: Store[] = [store];
    return {
      store,
      target: { databaseUrl },
      async reopen() {
        const again = await openStore({ databaseUrl });
        opened.push(again);
        return again;
      },
      async dispose() {
        for (const s of opened) await s.close();
        await dropSchema(schema);
      },
    };
  },
};

export const backends: Backend[] = [sqlite, postgres];
