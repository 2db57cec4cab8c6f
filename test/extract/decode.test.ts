import { test } from 'node:test';
import assert from 'node:assert/strict';
import { extract, decode } from '../../src/extract/index.js';
import { doc, PROSE } from './helpers.js';

/** Encodes text as windows-1252 (only the characters used in these tests). */
function cp1252(text: string): Uint8Array {
  const special: Record<string, number> = { '€': 0x80, '‘': 0x91, '’': 0x92, '“': 0x93, '”': 0x94, '–': 0x96, '—': 0x97 };
  return Uint8Array.from([...text].map((ch) => special[ch] ?? ch.charCodeAt(0)));
}

const body = `<p>${PROSE[0]}</p><p>“Café crème,” said the mayor – it costs 3 € in Zürich’s old town.</p><p>${PROSE[1]}</p><p>${PROSE[2]}</p>`;

test('a windows-1252 page declared with <meta charset> is decoded correctly', () => {
  const html = `<html><head><meta charset="windows-1252"><title>T</title></head><body><article>${body}</article></body></html>`;
  const { article, messages } = extract(doc(cp1252(html)));
  assert.deepEqual(messages, []);
  assert.match(article!.text, /“Café crème,” said the mayor – it costs 3 € in Zürich’s old town\./);
});

test('an ISO-8859-1 page declared with http-equiv is read as windows-1252, as browsers do', () => {
  const html = `<html><head><meta http-equiv="Content-Type" content="text/html; charset=ISO-8859-1"></head><body><article>${body}</article></body></html>`;
  const { article, messages } = extract(doc(cp1252(html)));
  assert.deepEqual(messages, []);
  assert.match(article!.text, /Café crème/);
});

test('the transport charset is used when the page declares none', () => {
  const html = `<html><body><article>${body}</article></body></html>`;
  const { article, messages } = extract(doc(cp1252(html), 'html', { charset: 'iso-8859-1' }));
  assert.deepEqual(messages, []);
  assert.match(article!.text, /Zürich’s/);
});

test('a UTF-8 page mislabelled as ISO-8859-1 is read as UTF-8', () => {
  const html = `<html><head><meta charset="iso-8859-1"></head><body><article>${body}</article></body></html>`;
  const { article, messages } = extract(doc(html));
  assert.deepEqual(messages, []);
  assert.match(article!.text, /Café crème/);
});

test('a UTF-8 byte-order mark is honoured and removed', () => {
  const bytes = new TextEncoder().encode(`\uFEFF<html><head><meta charset="windows-1252"></head><body><article>${body}</article></body></html>`);
  const { article, messages } = extract(doc(bytes));
  assert.deepEqual(messages, []);
  assert.match(article!.text, /Zürich’s/);
  assert.ok(!article!.text.includes('\uFEFF'));
});

test('a UTF-16 page with a byte-order mark is decoded', () => {
  const text = `<html><body><article>${body}</article></body></html>`;
  const le = new Uint8Array(2 + text.length * 2);
  le[0] = 0xff; le[1] = 0xfe;
  for (let i = 0; i < text.length; i++) { const c = text.charCodeAt(i); le[2 + i * 2] = c & 0xff; le[3 + i * 2] = c >> 8; }
  const { article, messages } = extract(doc(le));
  assert.deepEqual(messages, []);
  assert.match(article!.text, /“Café crème,”/);
  const be = new Uint8Array(le.length);
  for (let i = 0; i < le.length; i += 2) { be[i] = le[i + 1]!; be[i + 1] = le[i]!; }
  assert.match(extract(doc(be)).article!.text, /Zürich’s/);
});

test('invalid bytes in a UTF-8 page become U+FFFD with a TRI_W001 warning', () => {
  const good = new TextEncoder().encode(`<html><head><meta charset="utf-8"></head><body><article>${body}</article></body></html>`);
  const bytes = new Uint8Array(good.length + 2);
  const at = good.indexOf(0x3c, 200); // a '<' well inside the body
  bytes.set(good.subarray(0, at));
  bytes.set([0xc3, 0x28], at); // a broken two-byte sequence
  bytes.set(good.subarray(at), at + 2);
  const { article, messages } = extract(doc(bytes, 'html', { input: 'broken.html' }));
  assert.ok(article);
  assert.equal(messages.length, 1);
  assert.equal(messages[0]!.code, 'TRI_W001');
  assert.equal(messages[0]!.severity, 'warning');
  assert.match(messages[0]!.reason, /not valid UTF-8/);
  assert.match(article.text, /Café crème/);
});

test('undeclared bytes that are not UTF-8 at all are read as windows-1252, with a warning', () => {
  const { text, encoding, warning } = decode(cp1252('Zürich’s café — “quoted”'), { html: false });
  assert.equal(text, 'Zürich’s café — “quoted”');
  assert.equal(encoding, 'windows-1252');
  assert.match(warning!, /windows-1252/);
  const { article, messages } = extract(doc(cp1252(`Title\n\n${PROSE.join('\n\n')}\n\nIt costs 3 € in Zürich’s old town.`), 'text'));
  assert.equal(messages[0]!.code, 'TRI_W001');
  assert.match(article!.text, /3 € in Zürich’s/);
});

test('plain UTF-8 needs no warning and keeps every character', () => {
  const { text, warning } = decode(new TextEncoder().encode('日本語 — “ok” 🎉'), { html: false });
  assert.equal(text, '日本語 — “ok” 🎉');
  assert.equal(warning, null);
});
