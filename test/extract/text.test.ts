import { test } from 'node:test';
import assert from 'node:assert/strict';
import { extract, classifyLine } from '../../src/extract/index.js';
import { doc, PROSE } from './helpers.js';

const text = (content: string) => extract(doc(content, 'text', { input: 'story.txt' }));

test('the first line is the title and a repeated title is removed', () => {
  const { article } = text(`Night Buses Reach the Outer Districts\n\nNight Buses Reach the Outer Districts\n\n${PROSE.join('\n\n')}\n`);
  assert.equal(article!.title, 'Night Buses Reach the Outer Districts');
  assert.ok(!article!.text.includes('Night Buses Reach'));
  assert.deepEqual(article!.removed, ['Night Buses Reach the Outer Districts']);
  assert.equal(article!.text, PROSE.join('\n\n'));
});

test('a first line that is a paragraph of prose is not a title and stays in the text', () => {
  const lede = 'Transport officials announced on Monday that night buses will reach the outer districts. The change follows a decade of requests from residents, who had no service after midnight.';
  const { article } = text(`${lede}\n${PROSE.join('\n')}`);
  assert.equal(article!.title, null);
  assert.ok(article!.text.startsWith(lede));
});

test('comment prompts, recommended blocks, advertisement leftovers, author and sign-up lines are removed and listed', () => {
  const content = [
    'Night Buses Reach the Outer Districts',
    'By Ana Ruiz',
    PROSE[0],
    '- Advertisement -',
    PROSE[1],
    'Share this article',
    PROSE[2],
    'Sign up for our newsletter to get the latest news in your inbox.',
    'Related Articles',
    'Council Approves a New Budget for Roads',
    'The council approved the budget after a long debate about the new ring road...',
    'ADVERTISEMENT',
    '3 Comments',
    'Leave a Reply',
    'Your email address will not be published. Required fields are marked *',
  ].join('\n');
  const { article } = text(content);
  assert.equal(article!.text, PROSE.join('\n\n'));
  assert.deepEqual(article!.author, ['Ana Ruiz']);
  for (const line of ['By Ana Ruiz', '- Advertisement -', 'Share this article', 'Related Articles', 'Council Approves a New Budget for Roads', 'ADVERTISEMENT', '3 Comments', 'Leave a Reply']) {
    assert.ok(article!.removed.includes(line), `removed should list "${line}"`);
  }
});

test('a lone "Author" label and a name under it are removed, the name kept as author', () => {
  const { article } = text(`Night Buses\n\n${PROSE.join('\n\n')}\n\nAuthor\n\nAna Ruiz\n`);
  assert.deepEqual(article!.author, ['Ana Ruiz']);
  assert.equal(article!.text, PROSE.join('\n\n'));
});

test('sub-headings between paragraphs are taken out of the text and listed in removed', () => {
  const { article } = text(`Night Buses\n${PROSE[0]}\nWhat Changes for Riders\n${PROSE[1]}\nCosts and funding\n${PROSE[2]}`);
  assert.equal(article!.text, PROSE.join('\n\n'));
  assert.deepEqual(article!.removed, ['What Changes for Riders', 'Costs and funding']);
});

test('a hard-wrapped text is joined into paragraphs; Markdown marks are removed', () => {
  const wrap = (p: string) => p.replace(/(.{1,70})(?:\s+|$)/g, '$1\n').trim();
  const md = `# Night Buses\n\n${wrap(PROSE[0]!)}\n\n${wrap(PROSE[1]!.replace('twenty minutes', '**twenty minutes**'))}\n\n${wrap(PROSE[2]!.replace('parking revenue', '[parking revenue](https://example.com/parking)'))}\n`;
  const { article } = extract(doc(md, 'text', { input: 'story.md' }));
  assert.equal(article!.title, 'Night Buses');
  assert.equal(article!.text, PROSE.join('\n\n'));
});

test('HTML entities and odd spaces in plain text are cleaned', () => {
  const { article } = text(`Title\n\n${PROSE[0]} Caf&eacute; &amp; bar&#8217;s\u00a0\u00a0menu.  \n\n${PROSE[1]}\n\n\n\n${PROSE[2]}\t\n`);
  assert.match(article!.text, /Café & bar’s menu\.\n\n/);
  assert.ok(!/ \n| {2}|\n{3}/.test(article!.text));
});

test('a text that is only boilerplate has no article text', () => {
  const { article, messages } = text('Home\nLeave a Reply\nNo comments yet. Why don’t you start the discussion?\nSign up for our newsletter\n');
  assert.equal(article, null);
  assert.equal(messages[0]!.code, 'TRI_E008');
  assert.match(messages[0]!.reason, /boilerplate line/);
});

test('classifyLine knows the common kinds of web boilerplate and leaves sentences alone', () => {
  const cases: Array<[string, string | null]> = [
    ['Leave a Reply', 'comments'],
    ['No comments yet. Why don’t you start the discussion?', 'comments'],
    ['Leave A Comment', 'comments'],
    ['Recommended news', 'related-heading'],
    ['You may also like', 'related-heading'],
    ['Read more: Council approves budget', 'related'],
    ['- Advertisement -spot_img', 'advertisement'],
    ['Story continues below advertisement', 'advertisement'],
    ['Sign up for our morning newsletter', 'signup'],
    ['Follow us on Twitter and Facebook', 'share'],
    ['Share on Facebook', 'share'],
    ['© 2025 Example Media. All rights reserved.', 'copyright'],
    ['Photo: Jane Doe / Reuters', 'caption'],
    ['Officials inspect the bridge. (AP Photo/John Roe)', 'caption'],
    ['By Ana Ruiz and Tom Berg', 'byline'],
    ['Author', 'byline'],
    ['Published 10:02 AM EST Nov 19, 2019', 'date'],
    ['Tuesday, February 18, 2025', 'date'],
    ['Home › World › Europe', 'navigation'],
    ['Skip to content', 'navigation'],
    ['https://example.com/story', 'link'],
    ['Share prices fell sharply on Monday.', null],
    ['By Tuesday, the company had lost half its value.', null],
    ['Comments from the minister drew criticism across Europe on Tuesday.', null],
    ['The advertisement was banned by the regulator last year after complaints.', null],
    ['Related talks will continue in Geneva next week, officials said.', null],
  ];
  for (const [line, kind] of cases) assert.equal(classifyLine(line), kind, line);
});
