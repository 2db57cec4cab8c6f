/**
 * End to end in a real browser: playwright-core driving Debian's chromium
 * (never a downloaded browser). Skipped, with the reason, when
 * /usr/bin/chromium is absent. TRIANGULATE_SCREENSHOTS=1 also writes the
 * README's screenshots to docs/images/.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync } from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { Store } from '../../src/store/index.js';
import { demoStore, serve, type Running } from './helpers.js';

const CHROMIUM = '/usr/bin/chromium';
const skip = existsSync(CHROMIUM) ? false : `${CHROMIUM} is not installed (apt-get install chromium); browser tests need it and never download a browser`;

let browser: Browser;
let store: Store;
let server: Running;
let storyId: string;

before(async () => {
  if (skip) return;
  const { chromium } = await import('playwright-core');
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'] });
  ({ store } = await demoStore());
  server = await serve({ store });
  storyId = (await store.listStories({ search: 'Riyadh' }))[0]!.id;
});
after(async () => {
  if (skip) return;
  await browser.close();
  await server.close();
  await store.close();
});

/** A page that fails the test on any console error (a CSP violation is one) but the 4xx answers a test asks for. */
async function open(context: BrowserContext, path: string): Promise<{ page: Page; problems: string[] }> {
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('console', (m) => { if (m.type() === 'error' && !/status of 4\d\d/.test(m.text())) problems.push(m.text()); });
  page.on('pageerror', (e) => problems.push(e.message));
  await page.goto(`${server.base}${path}`);
  return { page, problems };
}

test('open the demo story, reveal a citation, follow it to the highlighted sentence', { skip }, async () => {
  const context = await browser.newContext({ viewport: { width: 1200, height: 900 } });
  const { page, problems } = await open(context, `/stories/${storyId}`);
  assert.match(await page.locator('h1').innerText(), /Russia|Ukraine/);
  const cite = page.locator('section:has(h2:text-is("Summary")) a.cite').first();
  const tip = cite.locator('.tip');
  assert.equal(await tip.isVisible(), false);
  await cite.hover();
  assert.equal(await tip.isVisible(), true, 'hovering reveals the source sentence and outlet');
  const sentence = (await tip.innerText()).trim();
  await page.mouse.move(0, 0);
  await cite.focus();
  assert.equal(await tip.isVisible(), true, 'keyboard focus reveals it too');
  if (process.env.TRIANGULATE_SCREENSHOTS === '1') {
    mkdirSync('docs/images', { recursive: true });
    await cite.evaluate((el) => el.scrollIntoView({ block: 'center' }));
    await page.screenshot({ path: 'docs/images/story.png' });
  }
  await cite.click();
  await page.waitForURL(/\/articles\/a[0-9a-f]+\?hl=\d+-\d+#hl$/);
  const highlighted = page.locator('#hl');
  assert.equal(await highlighted.isVisible(), true);
  assert.ok(await highlighted.evaluate((el) => el.classList.contains('hl')));
  const marked = (await page.locator('div.text .hl').allInnerTexts()).join('').replace(/\s+/g, ' ').trim();
  assert.ok(marked.length > 20 && sentence.replace(/\s+/g, ' ').includes(marked.slice(0, 40)), `"${marked.slice(0, 60)}" is the cited sentence`);
  const box = await highlighted.boundingBox();
  assert.ok(box && box.y >= 0 && box.y + box.height <= 900, 'the highlighted span is scrolled into view');
  assert.deepEqual(problems, []);
  await context.close();
});

test('on a phone, the first tap on a citation reveals it and the second follows it', { skip }, async () => {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 });
  const { page, problems } = await open(context, `/stories/${storyId}`);
  const width = await page.evaluate('document.documentElement.scrollWidth') as number;
  assert.ok(width <= 390, `no horizontal scrolling at phone width (page is ${width}px wide)`);
  if (process.env.TRIANGULATE_SCREENSHOTS === '1') await page.screenshot({ path: 'docs/images/story-phone.png' });
  const cite = page.locator('section:has(h2:text-is("Summary")) a.cite').first();
  await cite.tap();
  assert.equal(await cite.locator('.tip').isVisible(), true);
  assert.match(page.url(), /\/stories\//, 'the first tap stays on the story');
  await cite.tap();
  await page.waitForURL(/#hl$/);
  assert.deepEqual(problems, []);
  await context.close();
});

test('add an article through the form, and see a clear error for a bad upload', { skip }, async () => {
  const context = await browser.newContext({ viewport: { width: 1000, height: 900 } });
  const { page, problems } = await open(context, '/add');
  await page.getByLabel('Title').fill('Harbour reopens');
  await page.getByLabel('Outlet', { exact: true }).fill('Coast Daily');
  await page.getByLabel('Text').fill('The harbour reopened to shipping on Wednesday after a three-week closure caused by storm damage to the breakwater, the port authority said. Repairs cost about $3 million and were finished ahead of schedule, a spokesperson added.');
  await page.getByRole('button', { name: 'Add text' }).click();
  const status = page.locator('#status');
  await status.getByText(/Added 1 article/).waitFor();
  assert.match(await status.getAttribute('class') ?? '', /\bok\b/);
  const storyLink = status.locator('a[href^="/stories/"]');
  assert.equal(await storyLink.count(), 1, 'the result links to the story the article joined');

  await page.getByLabel('Files').setInputFiles({ name: 'notes.csv', mimeType: 'text/csv', buffer: Buffer.from('a,b\n1,2\n') });
  await page.getByRole('button', { name: 'Upload' }).click();
  await status.getByText(/TRI_E002/).first().waitFor();
  assert.match(await status.getAttribute('class') ?? '', /\berror\b/);
  assert.match(await status.innerText(), /notes\.csv.*unsupported file type/s);
  assert.deepEqual(problems, []);
  await context.close();
});
