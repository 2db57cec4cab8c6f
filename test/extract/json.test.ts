import { test } from 'node:test';
import assert from 'node:assert/strict';
import { extract } from '../../src/extract/index.js';
import { doc, PROSE } from './helpers.js';

const record = (value: unknown, input = 'feed.jsonl:3') => extract(doc(JSON.stringify(value), 'json', { input }));

test('a record with text and metadata fields', () => {
  const { article, messages } = record({ title: 'Night buses', text: PROSE.join('\n\n'), url: 'https://example.com/buses', published: '2025-02-18T10:00:00Z', outlet: 'Example Times', author: 'Ana Ruiz and Tom Berg', language: 'en' });
  assert.deepEqual(messages, []);
  assert.equal(article!.input, 'feed.jsonl:3');
  assert.equal(article!.title, 'Night buses');
  assert.equal(article!.text, PROSE.join('\n\n'));
  assert.equal(article!.url, 'https://example.com/buses');
  assert.equal(article!.published, '2025-02-18T10:00:00Z');
  assert.equal(article!.outlet, 'Example Times');
  assert.deepEqual(article!.author, ['Ana Ruiz', 'Tom Berg']);
  assert.equal(article!.language, 'en');
});

test('author may be an array; the record title replaces a repeated first line', () => {
  const { article } = record({ title: 'Night buses', text: `Night buses\n\n${PROSE.join('\n\n')}`, author: ['Ana Ruiz', 'Tom Berg'] });
  assert.deepEqual(article!.author, ['Ana Ruiz', 'Tom Berg']);
  assert.equal(article!.text, PROSE.join('\n\n'));
  assert.equal(article!.outlet, null);
});

test('an html field goes through the HTML path, with the record fields on top', () => {
  const html = `<html><head><title>Page title | Site</title><meta property="og:site_name" content="Site"></head><body><nav><a href="/">Home</a></nav><article>${PROSE.map((p) => `<p>${p}</p>`).join('')}</article></body></html>`;
  const { article } = record({ html, title: 'Record title', published: '2025-02-18' });
  assert.equal(article!.title, 'Record title');
  assert.equal(article!.published, '2025-02-18');
  assert.equal(article!.outlet, 'Site');
  assert.equal(article!.text, PROSE.join('\n\n'));
});

test('a record without text or html is an error TRI_E007', () => {
  const { article, messages } = record({ title: 'Only a title', url: 'https://example.com' });
  assert.equal(article, null);
  assert.equal(messages.length, 1);
  assert.equal(messages[0]!.code, 'TRI_E007');
  assert.equal(messages[0]!.input, 'feed.jsonl:3');
  assert.match(messages[0]!.reason, /no "text" or "html"/);
  assert.equal(record({ text: '   ' }).messages[0]!.code, 'TRI_E007');
  assert.equal(record({ text: 42 }).messages[0]!.code, 'TRI_E007');
});

test('an invalid date leaves published null with a TRI_W003 warning', () => {
  const { article, messages } = record({ text: PROSE.join('\n\n'), published: 'sometime last week', url: 'https://example.com/2025/02/18/x' });
  assert.ok(article);
  assert.equal(article.published, null);
  assert.equal(messages.length, 1);
  assert.equal(messages[0]!.code, 'TRI_W003');
  assert.equal(messages[0]!.severity, 'warning');
  assert.match(messages[0]!.reason, /sometime last week/);
});

test('a record whose text is too short is TRI_E008', () => {
  const { article, messages } = record({ text: 'Breaking: more soon.' });
  assert.equal(article, null);
  assert.equal(messages[0]!.code, 'TRI_E008');
});
