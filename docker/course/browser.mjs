// docker/course/browser.mjs — opens a built course site in Debian's chromium, from file://, as
// a reader would, and reports what it found as one JSON object on stdout. course_test.go runs
// it and judges the result; it takes playwright-core from the browser suite's node_modules
// (docker/checks/browser/install.sh, run by docker/local/setup.sh).
//
//   node docker/course/browser.mjs SITE_EDITION_DIR NOTEBOOK_NAME SCREENSHOT_DIR
//
// For index.html, NOTEBOOK_NAME.html and slides/NOTEBOOK_NAME.html it records every request
// that is not file:, data: or blob: (none must be made), the page's errors, and:
//   index:  its links to pages, slides, PDFs and the zip;
//   page:   the table of contents beside the text (links, and whether it sits left of the
//           text), every chart drawn (gdlib/plot's data-gdlesson-drawn hook);
//   slides: reveal.js running, the slide indices before and after Reveal.next() and after the
//           ArrowRight key, and, on the slide that holds a chart, the chart drawn at a size.
// It saves screenshots of each into SCREENSHOT_DIR.
import { createRequire } from 'node:module';
import path from 'node:path';
import fs from 'node:fs';
import os from 'node:os';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(path.join(here, '..', 'checks', 'browser', 'package.json'));
const { chromium } = require('playwright-core');

const [site, name, shots] = process.argv.slice(2);
if (!site || !name || !shots) {
  console.error('usage: node docker/course/browser.mjs SITE_EDITION_DIR NOTEBOOK_NAME SCREENSHOT_DIR');
  process.exit(2);
}
fs.mkdirSync(shots, { recursive: true });
const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'gdlesson-course-chromium-'));
const result = { remote: [], errors: [] };
const drawn = '[data-gdlesson-drawn="true"]'; // gdlib/plot/doc.go, "Hooks for browser tests"

const context = await chromium.launchPersistentContext(profile, {
  executablePath: '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--allow-file-access-from-files'],
  viewport: { width: 1280, height: 800 },
});
try {
  const open = async (rel, what) => {
    const page = await context.newPage();
    page.on('request', (r) => {
      const u = r.url();
      if (!/^(file|data|blob):/.test(u)) result.remote.push(`${what}: ${u}`);
    });
    page.on('pageerror', (e) => result.errors.push(`${what}: ${e.message}`));
    await page.goto(pathToFileURL(path.join(site, rel)).href, { waitUntil: 'load', timeout: 60000 });
    return page;
  };

  // index.html
  let page = await open('index.html', 'index');
  result.index = await page.evaluate(() => {
    const hrefs = [...document.querySelectorAll('a[href]')].map((a) => a.getAttribute('href'));
    return { title: document.title, links: hrefs.length, hrefs, lang: document.documentElement.lang };
  });
  await page.screenshot({ path: path.join(shots, 'index.png'), fullPage: false });
  await page.close();

  // the notebook's page
  page = await open(`${name}.html`, 'page');
  await page.waitForFunction((sel) => {
    const all = document.querySelectorAll('.gdlesson-chart');
    return all.length > 0 && [...all].every((d) => d.matches(sel));
  }, drawn, { timeout: 60000 }).catch(() => {});
  result.page = await page.evaluate((sel) => {
    const toc = document.querySelector('nav.gdlesson-toc');
    const main = document.querySelector('main') || document.body;
    const links = toc ? [...toc.querySelectorAll('a[href^="#"]')] : [];
    const missing = links.filter((a) => !document.getElementById(decodeURIComponent(a.getAttribute('href').slice(1)))
      && !document.getElementById(a.getAttribute('href').slice(1))).map((a) => a.getAttribute('href'));
    const charts = [...document.querySelectorAll('.gdlesson-chart')];
    return {
      toc: !!toc,
      tocLinks: links.length,
      tocMissing: missing,
      tocBeside: toc ? toc.getBoundingClientRect().right <= main.getBoundingClientRect().left + 1 : false,
      tocFixed: toc ? getComputedStyle(toc).position : '',
      charts: charts.length,
      drawn: charts.filter((d) => d.matches(sel)).length,
    };
  }, drawn);
  await page.screenshot({ path: path.join(shots, 'page.png') });
  // Follow the table of contents' last section link, as a reader would.
  const last = page.locator('nav.gdlesson-toc a[href^="#"]').last();
  if (await last.count()) {
    await last.click();
    result.page.afterClick = await page.evaluate(() => ({ hash: location.hash, y: window.scrollY }));
  }
  await page.close();

  // the slides
  page = await open(`slides/${name}.html`, 'slides');
  await page.waitForFunction(() => window.Reveal && Reveal.isReady && Reveal.isReady(), null, { timeout: 60000 })
    .catch(() => {});
  const s = { ready: await page.evaluate(() => !!(window.Reveal && Reveal.isReady && Reveal.isReady())) };
  if (s.ready) {
    s.total = await page.evaluate(() => Reveal.getTotalSlides());
    s.start = await page.evaluate(() => Reveal.getIndices());
    await page.screenshot({ path: path.join(shots, 'slide-1.png') });
    await page.evaluate(() => Reveal.next());
    s.afterNext = await page.evaluate(() => Reveal.getIndices());
    await page.locator('.reveal').click({ position: { x: 5, y: 5 } }).catch(() => {});
    await page.keyboard.press('ArrowRight');
    await page.waitForTimeout(300);
    s.afterKey = await page.evaluate(() => Reveal.getIndices());
    // The first slide that holds a chart.
    s.chartSlide = await page.evaluate(() => {
      const div = document.querySelector('.reveal .slides .gdlesson-chart');
      if (!div) return null;
      const sec = div.closest('section');
      return Reveal.getIndices(sec);
    });
    if (s.chartSlide) {
      await page.evaluate((i) => Reveal.slide(i.h, i.v, i.f === undefined ? undefined : 999), s.chartSlide);
      await page.waitForFunction((sel) => {
        const d = Reveal.getCurrentSlide().querySelector('.gdlesson-chart');
        return d && d.matches(sel) && d.querySelector('svg') && d.querySelector('svg').getBoundingClientRect().width > 100;
      }, drawn, { timeout: 30000 }).catch(() => {});
      s.chart = await page.evaluate((sel) => {
        const d = Reveal.getCurrentSlide().querySelector('.gdlesson-chart');
        const svg = d && d.querySelector('svg');
        return {
          drawn: !!d && d.matches(sel),
          width: svg ? Math.round(svg.getBoundingClientRect().width) : 0,
          height: svg ? Math.round(svg.getBoundingClientRect().height) : 0,
          visible: !!d && d.getBoundingClientRect().bottom <= window.innerHeight + 1,
        };
      }, drawn);
      await page.screenshot({ path: path.join(shots, 'slide-chart.png') });
    }
  }
  result.slides = s;
  await page.close();
} finally {
  await context.close();
  fs.rmSync(profile, { recursive: true, force: true });
}
console.log(JSON.stringify(result));
