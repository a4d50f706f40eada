// docker/hub/loadtest/hub_browser.mjs — a learner in a real browser, through the real hub over HTTPS.
//
//   node hub_browser.mjs HUB_URL LEARNER PASSWORD CODE_CELLS SHOT_DIR
//
// TestHubBrowser (hub_browser_test.go) runs it against a hub it started with a self-signed
// certificate on 127.0.0.1. In Debian's chromium, driven by playwright-core (from
// docker/checks/browser/node_modules), it: logs the learner in on the hub's login page (with
// the password the hub made for them), waits for the hub to start their server, opens 02_optimizers.ipynb
// from the learner's own copy in Notebook 7, chooses Run All from the menu, waits until all
// CODE_CELLS code cells show an execution count, saves it from the menu and requires no cell of
// the saved notebook to have failed (docker/checks/cellrule, as the browser suite), and requires
// every chart drawn (gdlib/plot's hooks: data-gdlesson-drawn, an ECharts instance with series, a box with a size), the kernel's
// WebSocket to be wss:// through the hub, and the kernel-free explorer's chart to change after
// each key pressed on its select and its slider (explorer.mjs). Screenshots go to SHOT_DIR.
// The last line is "hub-browser: ok: …" or "hub-browser: FAILED: …" (exit status 1).
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import * as hooks from '../../checks/browser/hooks.mjs';
import { moveExplorer } from '../../checks/browser/explorer.mjs';
import { poll, sleep } from '../../checks/browser/poll.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(path.join(here, '..', '..', 'checks', 'browser', 'package.json'));
const { chromium } = require('playwright-core');

const [hub, learner, password, codeCellsArg, shotDir] = process.argv.slice(2);
const wantCode = Number(codeCellsArg);
if (!hub || !learner || !password || !(wantCode > 0) || !shotDir) {
  console.log('usage: node hub_browser.mjs HUB_URL LEARNER PASSWORD CODE_CELLS SHOT_DIR');
  process.exit(2);
}
const sec = 1000;
const t0 = Date.now();
const log = (m) => console.log(`hub-browser: [${((Date.now() - t0) / sec).toFixed(1).padStart(6)} s] ${m}`);
const fe = hooks.frontEnds.notebook7;
const nbName = hooks.explorer.notebook;

let shots = 0;
async function shot(page, label) {
  fs.mkdirSync(shotDir, { recursive: true });
  const file = path.join(shotDir, `${String(++shots).padStart(2, '0')}-${label}.png`);
  await page.screenshot({ path: file, fullPage: true, timeout: 20 * sec }).catch((e) => log(`screenshot ${label}: ${e.message}`));
  return file;
}

const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium', timeout: 60 * sec,
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync'],
});
const overall = setTimeout(() => {
  console.log('hub-browser: FAILED: took longer than 12 minutes');
  process.exit(1);
}, 12 * 60 * sec);
// The hub's certificate is self-signed; the Go test checks it with the certificate itself.
const context = await browser.newContext({ ignoreHTTPSErrors: true, viewport: { width: 1280, height: 1000 } });
context.setDefaultTimeout(30 * sec);
const page = await context.newPage();
const sockets = [];
page.on('websocket', (ws) => sockets.push(ws.url()));
page.on('dialog', (d) => d.dismiss().catch(() => {}));
let step = 'start';
try {
  step = 'log in on the hub\'s login page';
  await page.goto(`${hub}/hub/login`, { waitUntil: 'domcontentloaded', timeout: 60 * sec });
  if (new URL(page.url()).protocol !== 'https:') throw new Error(`the login page is at ${page.url()}, not https`);
  await page.fill('#username_input', learner);
  await page.fill('#password_input', password);
  await page.click('#login_submit');
  step = 'the hub starts the learner\'s server and opens it';
  await page.waitForURL((u) => u.pathname.startsWith(`/user/${learner}/`), { timeout: 3 * 60 * sec });
  log(`logged in; the hub opened ${page.url()}`);
  step = 'the learner\'s file list shows their copy of the notebooks';
  await page.getByText(nbName, { exact: true }).first().waitFor({ state: 'visible', timeout: 2 * 60 * sec });
  await shot(page, 'file-list-after-login');

  step = `open ${nbName} in Notebook 7`;
  await page.goto(`${hub}/user/${learner}/${fe.notebookURL(nbName)}`, { waitUntil: 'domcontentloaded', timeout: 2 * 60 * sec });
  await poll(`${wantCode} code cells in the page`, 2 * 60 * sec, async () => {
    const n = await page.locator(`${fe.root} ${fe.codeCell}`).count();
    return n === wantCode ? { ok: true } : { ok: false, codeCells: n };
  });
  // The kernel is ready when the toolbar's kernel status says idle; give it its start.
  await sleep(2 * sec);

  step = 'Run All from the menu';
  const prompts = () => page.evaluate(({ root, codeCell, prompt }) =>
    [...document.querySelectorAll(`${root} ${codeCell}`)].map((c) => {
      const m = (c.querySelector(prompt)?.textContent || '').match(/\[\s*([0-9]+|\*)?\s*\]/);
      return m && m[1] ? m[1] : '';
    }), { root: fe.root, codeCell: fe.codeCell, prompt: fe.prompt });
  const runStart = Date.now();
  await page.locator(fe.menu.bar, { hasText: new RegExp(`^${fe.runAll[0]}$`) }).first().click();
  await page.locator(fe.menu.item, { hasText: new RegExp(`^${fe.runAll[1]}$`) }).first().click();
  await poll('every code cell executed', 8 * 60 * sec, async () => {
    const ps = await prompts();
    const done = ps.filter((p) => /^\d+$/.test(p)).length;
    const busy = ps.filter((p) => p === '*').length;
    return done === ps.length && !busy ? { ok: true } : { ok: false, done, busy, of: ps.length };
  });
  log(`Run All: ${wantCode} code cells executed in ${((Date.now() - runStart) / sec).toFixed(1)} s`);

  step = 'no error output';
  // Saved from the menu and read back through the learner's server, each cell is judged by the one
  // rule of docker/checks/nbrun.py and the browser suite (hooks.outputProblems, docker/checks/cellrule).
  await page.locator(fe.menu.bar, { hasText: new RegExp(`^${fe.save[0]}$`) }).first().click();
  await page.locator(fe.menu.item, { hasText: new RegExp(`^${fe.save[1]}$`) }).first().click();
  const saved = await poll(`${nbName} saved with ${wantCode} executed code cells`, 60 * sec, async () => {
    const nb = await page.evaluate(async (name) => {
      const cfg = JSON.parse(document.getElementById('jupyter-config-data').textContent);
      const xsrf = (document.cookie.match(/(?:^|;\s*)_xsrf=([^;]*)/) || [])[1];
      const r = await fetch(`${cfg.baseUrl}api/contents/${encodeURIComponent(name)}?content=1&type=notebook`,
        { headers: xsrf ? { 'X-XSRFToken': decodeURIComponent(xsrf) } : {} });
      return r.ok ? (await r.json()).content : { status: r.status };
    }, nbName);
    const code = (nb.cells || []).filter((c) => c.cell_type === 'code');
    const done = code.filter((c) => c.execution_count != null).length;
    return nb.cells && done === wantCode ? nb : { ok: false, status: nb.status, executed: done, of: wantCode };
  });
  const errors = [];
  saved.cells.forEach((c, i) => {
    if (c.cell_type === 'code') for (const p of hooks.outputProblems(c)) errors.push(`cell ${i + 1}: ${p}`);
  });
  if (errors.length) throw new Error(`${errors.length} problems in the saved cells: ${JSON.stringify(errors.slice(0, 3))}`);
  log(`saved: ${wantCode} code cells, none failed by docker/checks/cellrule`);

  step = 'every chart drawn';
  const charts = () => page.evaluate(({ root, sel, attr }) => [...document.querySelectorAll(`${root} ${sel}`)].map((el) => {
    const ec = window.echarts?.getInstanceByDom?.(el);
    const b = el.getBoundingClientRect();
    return { id: el.id, drawn: el.getAttribute(attr), series: ec ? (ec.getOption().series || []).length : -1,
      w: Math.round(b.width), h: Math.round(b.height) };
  }), { root: fe.root, sel: hooks.chart.selector, attr: hooks.chart.drawnAttr });
  const drawn = await poll('every chart drawn', 60 * sec, async () => {
    const cs = await charts();
    const bad = cs.filter((c) => c.drawn !== 'true' || c.series <= 0 || !c.w || !c.h);
    return cs.length && !bad.length ? cs : { ok: false, charts: cs.length, notDrawn: bad };
  });
  log(`${drawn.length} charts drawn`);
  await page.evaluate(({ root, sel }) => document.querySelector(`${root} ${sel}`)?.scrollIntoView({ block: 'center' }),
    { root: fe.root, sel: hooks.chart.selector });
  await shot(page, 'first-chart');

  step = 'the kernel\'s WebSocket is wss:// through the hub';
  const kernelWS = sockets.filter((u) => u.includes(`/user/${learner}/api/kernels/`));
  if (!kernelWS.length || !kernelWS.every((u) => u.startsWith('wss://'))) {
    throw new Error(`kernel WebSockets: ${JSON.stringify(kernelWS)}; want wss:// under /user/${learner}/`);
  }

  step = 'the explorer follows its select and slider by keyboard';
  const ex = page.locator(`${fe.root} ${hooks.explorer.selector}`);
  if ((await ex.count()) !== 1) throw new Error(`${await ex.count()} elements ${hooks.explorer.selector}; want 1`);
  await ex.scrollIntoViewIfNeeded();
  const { cur, to, was, other, keys } = await moveExplorer(ex, 30 * sec);
  const file = await shot(page, 'explorer-after-select');
  console.log(`hub-browser: ok: logged in over https, ${nbName}: ${wantCode} code cells run, ${drawn.length} charts drawn, ` +
    `kernel over wss, explorer redrew after each key (${keys.join(' ')}: select ${was} → ${other}, slider ${cur} → ${to}); screenshot ${file}`);
  clearTimeout(overall);
  await browser.close();
  process.exit(0);
} catch (e) {
  const file = await shot(page, 'FAILED');
  console.log(`hub-browser: FAILED: ${step}: ${e.message.split('\n')[0]} (page ${page.url()}; screenshot ${file})`);
  clearTimeout(overall);
  await browser.close().catch(() => {});
  process.exit(1);
}
