import { test } from 'node:test';
import assert from 'node:assert/strict';
import { extract, parseDate, dateFromUrl } from '../../src/extract/index.js';
import { doc, PROSE } from './helpers.js';

const article = `<article>${PROSE.map((p) => `<p>${p}</p>`).join('')}</article>`;

test('JSON-LD gives headline, authors, date, publisher and language', () => {
  const ld = {
    '@context': 'https://schema.org',
    '@graph': [
      { '@type': 'WebSite', name: 'Example Times' },
      {
        '@type': 'NewsArticle',
        headline: 'Night buses reach the outer districts',
        author: [{ '@type': 'Person', name: 'Ana Ruiz' }, { '@type': 'Person', name: 'Tom Berg' }],
        datePublished: '2025-02-18T10:00:00+02:00',
        publisher: { '@type': 'Organization', name: 'Example Times' },
        inLanguage: 'es-ES',
        url: 'https://example.com/buses',
      },
    ],
  };
  const html = `<html><head><title>Night buses reach the outer districts - Example Times</title><script type="application/ld+json">${JSON.stringify(ld)}</script></head><body>${article}</body></html>`;
  const { article: a } = extract(doc(html));
  assert.equal(a!.title, 'Night buses reach the outer districts');
  assert.deepEqual(a!.author, ['Ana Ruiz', 'Tom Berg']);
  assert.equal(a!.published, '2025-02-18T08:00:00Z');
  assert.equal(a!.outlet, 'Example Times');
  assert.equal(a!.language, 'es');
  assert.equal(a!.url, 'https://example.com/buses');
});

test('broken JSON-LD (raw newlines, trailing commas) is still read', () => {
  const html = `<html><head><script type="application/ld+json">{"@type": "NewsArticle", "headline": "Line one\nline two", "datePublished": "2025-02-18",}</script></head><body>${article}</body></html>`;
  const { article: a } = extract(doc(html));
  assert.equal(a!.published, '2025-02-18');
  assert.equal(a!.title, 'Line one line two');
});

test('a date only in the URL is used, as precise as the URL gives it', () => {
  const html = `<html><head><title>Night buses</title></head><body>${article}</body></html>`;
  assert.equal(extract(doc(html, 'html', { url: 'https://example.com/news/2025/02/18/night-buses' })).article!.published, '2025-02-18');
  assert.equal(extract(doc(html, 'html', { url: 'https://example.com/2025/02/night-buses.html' })).article!.published, '2025-02');
  assert.equal(extract(doc(html, 'html', { url: 'https://example.com/night-buses-20250218.html' })).article!.published, '2025-02-18');
  assert.equal(extract(doc(html, 'html', { url: 'https://example.com/night-buses' })).article!.published, null);
  assert.equal(dateFromUrl('https://example.com/2025/13/45/x'), null);
});

test('meta tags, <time datetime>, canonical link and site name', () => {
  const head = `<meta property="og:site_name" content="Example Times"><meta property="og:title" content="Night buses | Example Times"><link rel="canonical" href="https://example.com/a/night-buses"><meta property="og:url" content="https://example.com/og-url"><meta name="author" content="By Ana Ruiz and Tom Berg">`;
  const html = `<html lang="de-AT"><head>${head}</head><body><time datetime="2025-02-18">18 Feb</time>${article}</body></html>`;
  const { article: a } = extract(doc(html));
  assert.equal(a!.title, 'Night buses');
  assert.equal(a!.outlet, 'Example Times');
  assert.equal(a!.url, 'https://example.com/a/night-buses');
  assert.equal(a!.published, '2025-02-18');
  assert.deepEqual(a!.author, ['Ana Ruiz', 'Tom Berg']);
  assert.equal(a!.language, 'de');
});

test('without a site name the outlet is the domain, and the title loses a short site suffix', () => {
  const html = `<html><head><title>Night buses reach the outer districts at last | Metro</title></head><body>${article}</body></html>`;
  const { article: a } = extract(doc(html, 'html', { url: 'https://www.metro-news.example/buses' }));
  assert.equal(a!.outlet, 'metro-news.example');
  assert.equal(a!.title, 'Night buses reach the outer districts at last');
});

test('an <h1> the title starts with is the headline', () => {
  const html = `<html><head><title>Night buses reach the outer districts - Local - City Herald Online Edition</title></head><body><h1>Night buses reach the outer districts</h1>${article}</body></html>`;
  assert.equal(extract(doc(html)).article!.title, 'Night buses reach the outer districts');
});

test('parseDate reads machine dates and keeps their precision', () => {
  assert.equal(parseDate('2025-02-18'), '2025-02-18');
  assert.equal(parseDate('2025-02-18T10:00:00Z'), '2025-02-18T10:00:00Z');
  assert.equal(parseDate('2025-02-18T10:00:00.123+01:00'), '2025-02-18T09:00:00Z');
  assert.equal(parseDate('2025-02-18 10:00'), '2025-02-18T10:00:00');
  assert.equal(parseDate('20250218'), '2025-02-18');
  assert.equal(parseDate('Tue, 18 Feb 2025 10:00:00 GMT'), '2025-02-18T10:00:00Z');
  assert.equal(parseDate('February 18, 2025'), '2025-02-18');
  assert.equal(parseDate(1739872800), '2025-02-18T10:00:00Z');
  assert.equal(parseDate('2025-02-30'), null);
  assert.equal(parseDate('yesterday-ish'), null);
  assert.equal(parseDate('not a date'), null);
});
