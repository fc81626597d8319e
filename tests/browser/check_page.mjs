// Loads a page written by `kg export --format html` in headless Chromium and reports, as JSON
// on stdout, what a person would see: console errors, requests that left the file, the nodes
// drawn and whether each is on screen, what searching and clicking show; saves screenshots.
//
// Usage: node check_page.mjs PAGE.html SHOT.png LABELS.json [SEARCH]
//   LABELS.json: the labels every node must show (from the node-link export);
//   SEARCH: an entity to search for and open (default: the first label).
// Chromium: $KG_CHROMIUM, else /usr/bin/chromium, with a new empty profile (playwright makes
// one per launch); playwright-core never downloads a browser.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';

const [page_path, shot_path, labels_path, search_for] = process.argv.slice(2);
if (!page_path || !shot_path || !labels_path) {
  console.error('usage: node check_page.mjs PAGE.html SHOT.png LABELS.json [SEARCH]');
  process.exit(2);
}
const expected = JSON.parse(readFileSync(labels_path, 'utf8'));
const browser = await chromium.launch({
  executablePath: process.env.KG_CHROMIUM || '/usr/bin/chromium',
  headless: true,
  args: [
    '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync',
  ],
});
const report = { console_errors: [], external_requests: [] };
try {
  const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
  page.on('console', (message) => {
    if (message.type() === 'error') {
      report.console_errors.push(message.text());
    }
  });
  page.on('pageerror', (error) => report.console_errors.push(String(error)));
  page.on('request', (request) => {
    const url = request.url();
    if (!url.startsWith('file:') && !url.startsWith('data:')) {
      report.external_requests.push(url);
    }
  });
  const url = pathToFileURL(resolve(page_path)).href;
  await page.goto(url, { waitUntil: 'load' });
  await page.waitForSelector('body[data-ready="true"]', { timeout: 30000 });
  await page.screenshot({ path: shot_path });

  const seen = await page.evaluate(() => {
    const width = window.innerWidth;
    const height = window.innerHeight;
    return Array.from(document.querySelectorAll('#viewport .node')).map((node) => {
      const box = node.getBoundingClientRect();
      return {
        label: node.getAttribute('data-label'),
        title: node.querySelector('title').textContent,
        on_screen: box.width > 0 && box.left >= 0 && box.top >= 0 && box.right <= width && box.bottom <= height,
      };
    });
  });
  const drawn = new Set(seen.map((n) => n.label));
  report.nodes = seen.length;
  report.missing = expected.filter((label) => !drawn.has(label));
  report.off_screen = seen.filter((n) => !n.on_screen).map((n) => n.label);

  // Search an entity, open it, and read the side panel.
  const query = search_for || expected[0];
  await page.fill('#search', query);
  await page.press('#search', 'Enter');
  await page.waitForSelector('#panel.open', { timeout: 5000 });
  report.search = await page.evaluate(() => ({
    title: document.querySelector('#panel h2').textContent,
    relations: document.querySelectorAll('#panel ul.relations > li').length,
    evidence: document.querySelectorAll('#panel ul.evidence > li').length,
  }));
  await page.screenshot({ path: shot_path.replace(/\.png$/, '-panel.png') });

  // Click a relation in the panel: the other entity opens.
  const other = page.locator('#panel button.other').first();
  if (await other.count()) {
    const name = await other.textContent();
    await other.click();
    report.followed = { clicked: name, opened: await page.textContent('#panel h2') };
  }

  // Click a drawn node directly.
  await page.keyboard.press('Escape');
  await page.click('#fit');
  if (seen.length) {
    const index = Math.floor(seen.length / 2);
    await page.locator('#viewport .node').nth(index).dispatchEvent('click');
    report.clicked = { node: seen[index].label, opened: await page.textContent('#panel h2') };
  }

  // Zoom with the wheel and pan by dragging: the view's transform changes.
  const before = await page.getAttribute('#viewport', 'transform');
  await page.mouse.move(800, 500);
  await page.mouse.wheel(0, -400);
  const zoomed = await page.getAttribute('#viewport', 'transform');
  await page.mouse.move(700, 400);
  await page.mouse.down();
  await page.mouse.move(760, 450, { steps: 5 });
  await page.mouse.up();
  const panned = await page.getAttribute('#viewport', 'transform');
  report.zoom_changed = before !== zoomed;
  report.pan_changed = zoomed !== panned;
} finally {
  await browser.close();
}
process.stdout.write(JSON.stringify(report) + '\n');
