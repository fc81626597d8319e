// Drives `kg serve`'s page in headless Chromium as a person would, with the keyboard where a
// person would use it, and reports as JSON on stdout what they saw: the card, the path and a
// hop's evidence, a SPARQL error with its position then a table, a shared link that opens the
// same view; console errors and requests that left the server. Saves screenshots.
//
// Usage: node serve_page.mjs URL SHOT_DIR
// Chromium: $KG_CHROMIUM, else /usr/bin/chromium, with a fresh profile.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

const [base, shots] = process.argv.slice(2);
if (!base || !shots) {
  console.error('usage: node serve_page.mjs URL SHOT_DIR');
  process.exit(2);
}
const profile = mkdtempSync(join(tmpdir(), 'kg-chromium-'));
const browser = await chromium.launchPersistentContext(profile, {
  executablePath: process.env.KG_CHROMIUM || '/usr/bin/chromium',
  headless: true,
  viewport: { width: 1366, height: 860 },
  args: [
    '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync',
  ],
});
const report = { console_errors: [], expected_errors: [], external_requests: [], steps: {} };
// While the page runs a query with a syntax error, Chromium logs the 400 it gets: expected.
let expect_400 = false;
const origin = new URL(base).origin;
try {
  const page = browser.pages()[0] || await browser.newPage();
  page.setDefaultTimeout(60000);
  page.on('console', (message) => {
    if (message.type() !== 'error') return;
    if (expect_400 && message.text().includes('status of 400')) report.expected_errors.push(message.text());
    else report.console_errors.push(message.text());
  });
  page.on('pageerror', (error) => report.console_errors.push(String(error)));
  page.on('request', (request) => {
    if (!request.url().startsWith(origin)) report.external_requests.push(request.url());
  });
  // Every API answer with its status and when it came, to explain a failure.
  const started = Date.now();
  report.api = [];
  page.on('response', (response) => {
    const url = new URL(response.url());
    if (url.pathname.startsWith('/api/')) {
      report.api.push(`${Date.now() - started} ms ${response.status()} ${url.pathname}${url.search}`);
    }
  });
  page.on('requestfailed', (request) => {
    report.api.push(`${Date.now() - started} ms failed ${request.url()}: ${request.failure()?.errorText}`);
  });
  await page.goto(base, { waitUntil: 'load' });

  // Search "Witkoff" with the keyboard: type, pick the first suggestion, Enter.
  await page.focus('#entity-name');
  await page.keyboard.type('Witkoff', { delay: 30 });
  // On a loaded machine the first answer can be slow; a person would type again.
  try {
    await page.waitForSelector('#entity-name-list li', { timeout: 20000 });
  } catch {
    report.retyped = await page.evaluate(() => ({
      focused: document.activeElement?.id, value: document.querySelector('#entity-name').value,
    }));
    // What was typed may not have reached the box (it had lost focus, its value was empty):
    // type the whole word again.
    await page.fill('#entity-name', '');
    await page.focus('#entity-name');
    await page.keyboard.type('Witkoff', { delay: 30 });
    await page.waitForSelector('#entity-name-list li');
  }
  // On a slow machine a pause between keys asks for a shorter prefix first; its list shows,
  // then the whole word's replaces it. Wait (bounded) for the list to settle on the whole word's.
  await page.waitForFunction(
    () => document.querySelector('#entity-name-list li')?.textContent.includes('Witkoff'),
    null, { timeout: 20000 },
  ).catch(() => { report.unsettled = true; });
  report.steps.suggestions = await page.$$eval('#entity-name-list li', (items) => items.map((i) => i.textContent));
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Enter');
  await page.waitForSelector('#card h2');
  await page.waitForSelector('#neighbourhood svg circle');
  await page.waitForFunction(() => document.querySelector('#card .sentence')?.textContent !== undefined);
  report.steps.card = {
    title: await page.textContent('#card h2'),
    relations: await page.$$eval('#card .relations > li', (items) => items.length),
    inferred: await page.$$eval('#card .relations .inferred', (items) => items.map((i) => i.textContent.trim())),
    evidence: await page.$$eval('#card .evidence li', (items) => items.slice(0, 3).map((i) => i.textContent)),
    hash: await page.evaluate(() => location.hash),
  };
  await page.screenshot({ path: join(shots, 'serve-card.png'), fullPage: false });

  // The path Kushner → Yermak, then a hop's evidence.
  await page.click('nav a[data-view=path]');
  await page.waitForSelector('#path-view:not([hidden])');
  await page.fill('#path-from', 'Kushner');
  await page.fill('#path-to', 'Yermak');
  await page.click('#path-form button[type=submit]');
  await page.waitForSelector('#path-result svg .hop-edge');
  report.steps.path = {
    hops: await page.$$eval('#path-result svg .hop-edge', (edges) => edges.length),
    nodes: await page.$$eval('#path-result svg text.label', (labels) => labels.map((l) => l.textContent)),
    hash: await page.evaluate(() => location.hash),
  };
  // Keyboard: focus the first hop of the drawing and press Enter.
  await page.focus('#path-result svg .hop-edge');
  await page.keyboard.press('Enter');
  await page.waitForSelector('#hop-evidence:not([hidden]) .evidence li');
  report.steps.hop = {
    heading: await page.textContent('#hop-evidence h3'),
    evidence: await page.$$eval('#hop-evidence .evidence li', (items) => items.map((i) => i.textContent)),
  };
  await page.screenshot({ path: join(shots, 'serve-path.png'), fullPage: false });

  // SPARQL: a syntax error, then a good query.
  await page.click('nav a[data-view=sparql]');
  await page.waitForSelector('#sparql-view:not([hidden])');
  await page.fill('#sparql-text', 'SELECT ?s WHERE {\n  ?s rdfs:label \n}}');
  expect_400 = true;
  await page.click('#sparql-form button[type=submit]');
  await page.waitForSelector('#sparql-error:not([hidden])');
  await page.waitForTimeout(200);
  expect_400 = false;
  report.steps.sparql_error = {
    message: await page.textContent('#sparql-error'),
    selection: await page.evaluate(() => document.querySelector('#sparql-text').selectionStart),
  };
  await page.screenshot({ path: join(shots, 'serve-sparql-error.png'), fullPage: false });
  await page.fill('#sparql-text', 'SELECT ?person ?label WHERE {\n  ?person a pto:Person ; rdfs:label ?label .\n} ORDER BY ?label LIMIT 10');
  await page.focus('#sparql-text');
  await page.keyboard.press('Control+Enter');
  await page.waitForSelector('#sparql-result table.results tbody tr');
  report.steps.sparql = {
    error_hidden: await page.evaluate(() => document.querySelector('#sparql-error').hidden),
    rows: await page.$$eval('#sparql-result tbody tr', (rows) => rows.length),
    header: await page.$$eval('#sparql-result thead th', (cells) => cells.map((c) => c.textContent)),
    hash: await page.evaluate(() => location.hash),
  };
  await page.screenshot({ path: join(shots, 'serve-sparql.png'), fullPage: false });

  // The link shares the view: a new tab on the same URL shows the same table.
  const shared = page.url();
  const second = await browser.newPage();
  second.on('pageerror', (error) => report.console_errors.push(String(error)));
  await second.goto(shared, { waitUntil: 'load' });
  await second.waitForSelector('#sparql-result table.results tbody tr');
  report.steps.shared = { rows: await second.$$eval('#sparql-result tbody tr', (rows) => rows.length) };
  await second.goto(base + '#view=path&from=Kushner&to=Yermak&k=3', { waitUntil: 'load' });
  await second.waitForSelector('#path-result svg .hop-edge');
  report.steps.shared.path_hops = await second.$$eval('#path-result svg .hop-edge', (edges) => edges.length);
} catch (error) {
  report.failure = String(error && error.stack || error);
  const open = browser.pages();
  if (open.length) {
    await open[0].screenshot({ path: join(shots, 'serve-failure.png') }).catch(() => {});
    report.failure_html = await open[0].evaluate(() => document.querySelector('main').innerText.slice(0, 2000)).catch(() => '');
  }
} finally {
  await browser.close();
}
console.log(JSON.stringify(report, null, 2));
