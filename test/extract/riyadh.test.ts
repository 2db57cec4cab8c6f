/**
 * The demo corpus as sites served it: each file's title, its boilerplate gone,
 * its credits found and its article sentences kept.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { extract } from '../../src/extract/index.js';
import type { ExtractedArticle } from '../../src/types.js';

const dir = new URL('../../examples/riyadh-talks/', import.meta.url);

function load(name: string): ExtractedArticle {
  const { article, messages } = extract({ input: `examples/riyadh-talks/${name}`, bytes: readFileSync(fileURLToPath(new URL(name, dir))), format: 'text' });
  assert.deepEqual(messages, [], name);
  assert.ok(article, name);
  return article;
}

/** Boilerplate that must not be left in any of the five texts. */
const BOILERPLATE = [/Leave a Reply/i, /Leave A Comment/i, /No comments yet/, /^Comments$/m, /Recommended news/, /Advertisement/i, /spot_img/, /^Author$/m, /Original Source/, /sign up for an account/, /Hush Money/];

function checkClean(article: ExtractedArticle): void {
  for (const pattern of BOILERPLATE) assert.ok(!pattern.test(article.text), `${article.input}: ${pattern}`);
  assert.ok(!/[ \t]\n|\n{3,}|\u00a0/.test(article.text), `${article.input}: whitespace`);
}

test('000: title, repeated title and comment prompts removed, AFP credit', () => {
  const a = load('000_744ed3bbcf6cda70.txt');
  assert.equal(a.title, 'Russia and US to Appoint Negotiators for Ukraine War Resolution');
  assert.ok(!a.text.includes('Russia and US to Appoint Negotiators'));
  checkClean(a);
  assert.ok(a.removed.includes('Leave a Reply'));
  assert.ok(a.removed.includes('No comments yet. Why don’t you start the discussion?'));
  assert.equal(a.provenance.length, 1);
  assert.equal(a.provenance[0]!.origin, 'AFP');
  assert.match(a.provenance[0]!.evidence, /according to AFP\.$/);
  assert.ok(a.text.startsWith('Russia and the United States have agreed to form negotiating teams'));
  for (const sentence of [
    '“Proceeding without Ukraine will only encourage Putin further,” a senior Ukrainian official, speaking anonymously, told AFP.',
    'Meanwhile, German Chancellor Olaf Scholz dismissed the idea as “premature.”',
    'Meanwhile, Zelensky traveled to Turkey for discussions with President Recep Tayyip Erdogan, focusing on the ongoing conflict and possible diplomatic initiatives.',
  ]) assert.ok(a.text.includes(sentence), sentence);
});

test('001: title, sub-headings out of the text, comment prompt removed', () => {
  const a = load('001_b8a2ebccda844a67.txt');
  assert.equal(a.title, 'US and Russia Agree to ‘Lay the Groundwork’ for Ending Ukraine War');
  checkClean(a);
  assert.ok(a.removed.includes('Leave A Comment'));
  assert.ok(a.removed.includes('Restoring Diplomatic Ties'));
  assert.ok(a.text.endsWith('were no longer viewed as "realistic" objectives in Washington’s eyes.'));
  assert.ok(a.text.includes('Russia’s foreign ministry has explicitly opposed any European peacekeeping mission.\n\n'));
  assert.ok(a.text.includes('“We reject the idea that our allies have not been consulted,” Waltz said.'));
  assert.deepEqual(a.provenance, []);
});

test('002: contributions line, author label, recommended block and advertisement removed; CNN credit', () => {
  const a = load('002_ddea7c48e4d77bb1.txt');
  assert.equal(a.title, 'Confidential negotiations between global superpowers to resolve conflict');
  checkClean(a);
  assert.deepEqual(a.provenance.map((c) => c.origin), ['CNN']);
  assert.match(a.provenance[0]!.evidence, /^This report includes contributions from CNN’s Anna Chernova/);
  assert.ok(a.text.endsWith('due to what he described as a deep-seated “Russophobia.”'));
  assert.ok(a.text.includes('Russia has been excluded from global diplomacy since its invasion of Ukraine in February 2022.'));
  assert.ok(a.removed.includes('Recommended news'));
  assert.ok(a.removed.includes('- Advertisement -spot_img'));
});

test('003: a lede paragraph first (no title line), "Original Source: apnews.com" as an AP credit', () => {
  const a = load('003_67675baa472eb90e.txt');
  assert.equal(a.title, null);
  checkClean(a);
  assert.ok(a.text.startsWith('Recent talks between U.S. Secretary of State Marco Rubio and Russian Foreign Minister Sergey Lavrov in Riyadh'));
  assert.deepEqual(a.provenance, [{ origin: 'AP', evidence: 'Original Source: apnews.com' }]);
  assert.deepEqual(a.removed, ['Original Source: apnews.com']);
  assert.equal(a.text.split('\n\n').length, 8);
});

test('004: a clean text keeps every paragraph', () => {
  const a = load('004_8778bcb5261e95bc.txt');
  assert.equal(a.title, 'US and Russia Agree to Set Up Negotiating Teams Amid Ukraine War, Kyiv Excluded from Talks');
  checkClean(a);
  assert.deepEqual(a.removed, []);
  assert.equal(a.text.split('\n\n').length, 7);
  assert.deepEqual(a.provenance, []);
});
