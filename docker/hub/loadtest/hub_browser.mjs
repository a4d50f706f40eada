// docker/hub/loadtest/hub_browser.mjs — a learner in a real browser, through the real hub over HTTPS.
//
//   node hub_browser.mjs HUB_URL LEARNER PASSWORD CODE_CELLS SHOT_DIR MENU_PATHS
//
// TestHubBrowser (hub_browser_test.go) runs it against a hub it started with a self-signed
// certificate on 127.0.0.1. In Debian's chromium, driven by playwright-core (from
// docker/checks/browser/node_modules), it: logs the learner in on the hub's login page (with
// the password the hub made for them; the page must be the Japanese one of docker/hub/templates), waits for the
// hub to start their server, finds Notebook 7's menu bar in Japanese and opens each menu path
// that the notebooks name (MENU_PATHS, JSON: [["カーネル", "…"], …]) by clicking it, opens 02_optimizers.ipynb
// from the learner's own copy in Notebook 7, chooses Run All from the menu, waits until all
// CODE_CELLS code cells show an execution count, saves it from the menu and requires no cell of
// the saved notebook to have failed (docker/checks/cellrule, as the browser suite), and requires
// every chart drawn (gdlib/plot's hooks: data-gdlesson-drawn, an ECharts instance with series, a box with a size), the kernel's
// WebSocket to be wss:// through the hub, and the kernel-free explorer's chart to change after
// each key pressed on its select and its slider (explorer.mjs); then, in a new cell, Tab must
// complete gdlib.NewAd to NewAdam and Shift+Tab show its doc comment (GoNB asks the learner's
// gopls, started by the stand-in at that Tab: docker/hub/lazygopls); the cell is deleted and the
// notebook saved again. Screenshots go to SHOT_DIR.
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

const [hub, learner, password, codeCellsArg, shotDir, menuPathsArg] = process.argv.slice(2);
const wantCode = Number(codeCellsArg);
let menuPaths;
try {
  menuPaths = JSON.parse(menuPathsArg);
} catch {
  menuPaths = null;
}
if (!hub || !learner || !password || !(wantCode > 0) || !shotDir || !Array.isArray(menuPaths) || !menuPaths.length) {
  console.log('usage: node hub_browser.mjs HUB_URL LEARNER PASSWORD CODE_CELLS SHOT_DIR MENU_PATHS');
  process.exit(2);
}
// The menu bar of JupyterLab and Notebook 7 in Japanese, and the English labels it must not show.
const japaneseMenus = ['ファイル', '編集', '表示', '実行', 'カーネル', '設定', 'ヘルプ'];
const englishMenus = ['File', 'Edit', 'View', 'Run', 'Kernel', 'Settings', 'Help'];
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

const browser = await chromium.launch(hooks.chromiumLaunch);
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
  // GDLESSON_T_REFUSED=NAME:PASSWORD: a learner whose server the hub cannot start (TestHubBrowser
  // gives them a Unix account that is not a learner's). They must read why, in Japanese, with the
  // account named, and no English.
  const refused = process.env.GDLESSON_T_REFUSED;
  if (refused) {
    const [name, pw] = refused.split(':');
    step = `${name}: a failed start is told in Japanese`;
    await page.goto(`${hub}/hub/login`, { waitUntil: 'domcontentloaded', timeout: 60 * sec });
    await page.fill('#username_input', name);
    await page.fill('#password_input', pw);
    await page.click('#login_submit');
    const want = `Unix アカウント jupyter-${name} はすでにありますが、gdlesson の学習者（グループ gdlesson-learners）ではないので使いません`;
    const body = await poll('the page says why the start failed', 90 * sec, async () => {
      const text = await page.evaluate(() => document.body.innerText).catch(() => '');
      return text.includes(want) ? text : { ok: false, url: page.url(), text: text.slice(0, 300) };
    });
    const english = body.match(/Spawn failed|Internal Server Error|HTTP 500|Your server|Event log|Relaunch/g);
    if (english) throw new Error(`the failed start's page shows English: ${JSON.stringify(english)}: ${body.slice(0, 400)}`);
    await shot(page, 'failed-start-in-japanese');
    // The hub's page for a server whose last start failed (not_running.html) says it too.
    await page.goto(`${hub}/hub/spawn-pending/${name}`, { waitUntil: 'domcontentloaded', timeout: 60 * sec });
    const again = await page.evaluate(() => document.body.innerText);
    if (!again.includes('サーバーを起動できませんでした') || !again.includes(want) || /[A-Z][a-z]+ [a-z]+ [a-z]+/.test(again.replace(/jupyter-\S+|gdlesson-learners|gdlesson/g, ''))) {
      throw new Error(`the page of the failed start (${page.url()}) is not all Japanese: ${again.slice(0, 400)}`);
    }
    await shot(page, 'failed-start-not-running-page');
    log(`${name}: the failed start says, in Japanese: ${body.split('\n').find((l) => l.includes(want)).slice(0, 160)}`);
    await page.goto(`${hub}/hub/logout`, { waitUntil: 'domcontentloaded', timeout: 60 * sec });
  }

  step = 'log in on the hub\'s login page';
  await page.goto(`${hub}/hub/login`, { waitUntil: 'domcontentloaded', timeout: 60 * sec });
  if (new URL(page.url()).protocol !== 'https:') throw new Error(`the login page is at ${page.url()}, not https`);
  // The hub's own login page in Japanese (docker/hub/templates/login.html).
  const login = await page.evaluate(() => ({
    lang: document.documentElement.lang,
    h1: document.querySelector('h1')?.textContent.trim(),
    submit: document.querySelector('#login_submit')?.value,
    labels: [...document.querySelectorAll('label')].map((l) => l.textContent.trim()),
  }));
  if (login.lang !== 'ja' || login.h1 !== 'ログイン' || login.submit !== 'ログイン' ||
    JSON.stringify(login.labels) !== JSON.stringify(['ユーザー名:', 'パスワード:'])) {
    throw new Error(`the login page is not the Japanese one: ${JSON.stringify(login)}`);
  }
  await shot(page, 'login-page');
  await page.fill('#username_input', learner);
  await page.fill('#password_input', password);
  await page.click('#login_submit');
  step = 'the hub starts the learner\'s server and opens it';
  // The hub shows its spawn-pending page first (slow_spawn_timeout 0): in Japanese, with its
  // progress messages put into Japanese.
  await page.waitForURL((u) => u.pathname.includes('/hub/spawn-pending/') || u.pathname.startsWith(`/user/${learner}/`), { timeout: 60 * sec });
  const pending = [];
  const pendingUntil = Date.now() + 3 * 60 * sec;
  while (new URL(page.url()).pathname.includes('/hub/spawn-pending/') && Date.now() < pendingUntil) {
    const t = await page.evaluate(() => document.body?.innerText || '').catch(() => '');
    if (t && !pending.includes(t)) pending.push(t);
    if (pending.length === 1 && t) await shot(page, 'spawn-pending');
    await sleep(100);
  }
  if (!pending.length) throw new Error(`no spawn-pending page after the login (went to ${page.url()})`);
  const seen = pending.join('\n');
  if (!seen.includes('サーバーを起動しています') || /Server requested|Spawning server|Server ready|Your server|Event log|Stop Server/.test(seen)) {
    throw new Error(`the spawn-pending page is not all Japanese: ${JSON.stringify(pending.slice(-2))}`);
  }
  log(`spawn-pending page, in Japanese: ${pending.at(-1).split('\n').filter(Boolean).slice(-3).join(' / ')}`);
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
  log(`the toolbar names the kernel after ${(await hooks.kernelInPage(page, fe, 2 * 60 * sec)).toFixed(1)} s`);

  step = 'the menu bar is Japanese';
  const bar = await page.locator(fe.menu.bar).allTextContents();
  const missingJa = japaneseMenus.filter((m) => !bar.includes(m));
  const english = bar.filter((m) => englishMenus.includes(m));
  if (missingJa.length || english.length) {
    throw new Error(`menu bar ${JSON.stringify(bar)}: lacks ${JSON.stringify(missingJa)}, English ${JSON.stringify(english)}`);
  }
  log(`menu bar: ${bar.join(' ')}`);

  step = 'each menu path the notebooks name opens';
  for (const [i, path] of menuPaths.entries()) {
    step = `the notebooks' menu path ${path.join(' ▸ ')}`;
    await hooks.openMenuPath(page, fe, path, 10 * sec);
    if (i === 0) await shot(page, 'menu-path-of-a-notebook');
    await page.keyboard.press('Escape');
    await page.keyboard.press('Escape');
  }
  log(`${menuPaths.length} menu paths of the notebooks found in the menus: ${menuPaths.map((p) => p.join(' ▸ ')).join('; ')}`);

  // savedBy does what press does (a save from the menu or the keyboard) and returns once the
  // server has answered the save's PUT, as a learner waits for the save to end. Nothing reads the
  // notebook before that: jupyter_server writes a notebook in place with a backup beside it, and
  // a read that meets the half-written file puts the backup back, so the save is lost (seen here
  // as 0 executed cells in the saved file, or as a 404).
  const savedBy = async (press) => {
    const put = page.waitForResponse((r) => r.request().method() === 'PUT' &&
      decodeURIComponent(new URL(r.url()).pathname).endsWith(`/api/contents/${nbName}`), { timeout: 60 * sec });
    await press();
    const r = await put;
    if (r.status() !== 200) throw new Error(`saving ${nbName}: HTTP ${r.status()}`);
  };

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
  await savedBy(async () => {
    await page.locator(fe.menu.bar, { hasText: new RegExp(`^${fe.save[0]}$`) }).first().click();
    await page.locator(fe.menu.item, { hasText: new RegExp(`^${fe.save[1]}$`) }).first().click();
  });
  const saved = await poll(`${nbName} saved with ${wantCode} executed code cells`, 60 * sec, async () => {
    const nb = await page.evaluate(async (name) => {
      const cfg = JSON.parse(document.getElementById('jupyter-config-data').textContent);
      const xsrf = (document.cookie.match(/(?:^|;\s*)_xsrf=([^;]*)/) || [])[1];
      const r = await fetch(`${cfg.baseUrl}api/contents/${encodeURIComponent(name)}?content=1&type=notebook`,
        { headers: xsrf ? { 'X-XSRFToken': decodeURIComponent(xsrf) } : {} });
      if (r.ok) return (await r.json()).content;
      // (what the server has instead, to tell why)
      const root = await fetch(`${cfg.baseUrl}api/contents/?content=1`).then((x) => x.json()).catch((e) => ({ error: String(e) }));
      return { status: r.status, url: location.href, baseUrl: cfg.baseUrl, root: (root.content || []).map((f) => f.name), rootError: root.error };
    }, nbName);
    const code = (nb.cells || []).filter((c) => c.cell_type === 'code');
    const done = code.filter((c) => c.execution_count != null).length;
    return nb.cells && done === wantCode ? nb : { ok: false, status: nb.status, executed: done, of: wantCode, url: nb.url, baseUrl: nb.baseUrl, root: nb.root, rootError: nb.rootError };
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

  // The learners' gopls is a stand-in that starts the real one at the first Tab or Shift+Tab
  // (docker/hub/lazygopls): both must answer as gopls would, through GoNB.
  step = 'Tab completes gdlib.NewAd to gdlib.NewAdam in a new cell';
  const lastCell = page.locator(`${fe.root} ${fe.codeCell}`).last();
  await lastCell.locator('.cm-content').click();
  await page.keyboard.press('Escape');
  await page.keyboard.press('b');
  await poll(`${wantCode + 1} code cells after b`, 10 * sec, async () => {
    const n = await page.locator(`${fe.root} ${fe.codeCell}`).count();
    return n === wantCode + 1 ? { ok: true } : { ok: false, codeCells: n };
  });
  const newCell = page.locator(`${fe.root} ${fe.codeCell}`).last();
  const empty = await newCell.locator('.cm-content').innerText();
  if (empty.trim()) throw new Error(`the cell made by b is not the last one, or not empty: ${JSON.stringify(empty.slice(0, 100))}`);
  await page.keyboard.press('Enter');
  await page.keyboard.type('%%\nopt := gdlib.NewAd');
  const tabStart = Date.now();
  let presses = 0;
  const item = await poll('the completer offers NewAdam', 60 * sec, async () => {
    if (presses === 0 || (Date.now() - tabStart > presses * 15 * sec && presses < 4)) {
      // A learner presses Tab again when nothing came (GoNB gives up on gopls after 8 s).
      await page.keyboard.press('Escape').catch(() => {});
      await newCell.locator('.cm-content').click().catch(() => {});
      await page.keyboard.press('Control+End');
      await page.keyboard.press('Tab');
      presses++;
    }
    const items = await page.locator('.jp-Completer .jp-Completer-item').allTextContents().catch(() => []);
    if (items.some((t) => t.includes('NewAdam'))) return items;
    return { ok: false, items: items.slice(0, 5), presses, cell: await newCell.locator('.cm-content').innerText().catch(() => '') };
  });
  const completeSecs = ((Date.now() - tabStart) / sec).toFixed(1);
  await shot(page, 'tab-completion');
  await page.locator('.jp-Completer .jp-Completer-item', { hasText: 'NewAdam' }).first().click();
  const typed = await poll('the cell reads gdlib.NewAdam', 10 * sec, async () => {
    const t = await newCell.locator('.cm-content').innerText();
    return t.includes('gdlib.NewAdam') ? t : { ok: false, text: t };
  });
  step = 'Shift+Tab on NewAdam shows its doc comment';
  await page.keyboard.press('Shift+Tab');
  const doc = 'NewAdam returns Adam with learning rate lr';
  const tip = await poll('the tooltip shows NewAdam\'s doc', 30 * sec, async () => {
    const t = await page.locator('.jp-Tooltip').first().innerText().catch(() => '');
    return t.includes(doc) ? t : { ok: false, tooltip: t.slice(0, 200) };
  });
  await shot(page, 'shift-tab-tooltip');
  log(`Tab: ${item.length} items, ${JSON.stringify(item.find((t) => t.includes('NewAdam')).trim())} among them, after ${completeSecs} s (${presses} press${presses > 1 ? 'es' : ''}), cell ${JSON.stringify(typed.trim())}; Shift+Tab: ${JSON.stringify(tip.split('\n')[0].slice(0, 80))}`);
  // The cell is removed again (Escape, d d) and the notebook saved, as it was.
  await page.keyboard.press('Escape');
  await page.keyboard.press('Escape');
  await page.keyboard.press('d');
  await page.keyboard.press('d');
  await poll(`${wantCode} code cells again`, 10 * sec, async () => {
    const n = await page.locator(`${fe.root} ${fe.codeCell}`).count();
    return n === wantCode ? { ok: true } : { ok: false, codeCells: n };
  });
  await savedBy(() => page.keyboard.press('Control+s'));

  step = 'the learner switches to English with 設定 ▸ 言語 ▸ English - English';
  const toEnglish = ['設定', '言語', 'English - English'];
  await hooks.openMenuPath(page, fe, toEnglish, 10 * sec);
  await page.locator('.lm-Menu').last().locator(fe.menu.item).filter({ hasText: /^English - English$/ }).first().click();
  await page.locator('.jp-Dialog-button', { hasText: '変更して再読込み' }).first().click({ timeout: 10 * sec });
  const englishBar = await poll('the menu bar in English after the reload', 60 * sec, async () => {
    const labels = await page.locator(fe.menu.bar).allTextContents().catch(() => []);
    return englishMenus.every((m) => labels.includes(m)) ? labels : { ok: false, labels };
  });
  // (a screenshot right after the reload was blank: wait until the notebook is drawn)
  await page.locator(`${fe.root} ${fe.cell}`).first().waitFor({ state: 'visible', timeout: 60 * sec });
  await sleep(1 * sec);
  await shot(page, 'switched-to-english');
  log(`switched to English: ${englishBar.join(' ')}`);

  console.log(`hub-browser: ok: logged in over https on the Japanese login page, Japanese menus, ${menuPaths.length} menu paths of the notebooks found, switched to English by the menu, ${nbName}: ${wantCode} code cells run, ${drawn.length} charts drawn, ` +
    `kernel over wss, Tab completed NewAdam after ${completeSecs} s and Shift+Tab showed its doc, explorer redrew after each key (${keys.join(' ')}: select ${was} → ${other}, slider ${cur} → ${to}); screenshot ${file}`);
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
