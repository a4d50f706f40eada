// docker/hub/loadtest/hub_progress.mjs — an exercise checked wrong then right in a real browser,
// and the instructor's progress page showing both, through the real hub.
//
//   node hub_progress.mjs HUB_URL LEARNER INSTRUCTOR LEARNER_PASSWORD INSTRUCTOR_PASSWORD SHOT_DIR
//
// TestHubProgressBrowser (hub_course_test.go) runs it against a hub it started, with LEARNER
// and INSTRUCTOR (a hub admin) added and their passwords made by the hub. In Debian's
// chromium, driven by playwright-core (docker/checks/browser/node_modules):
//   1. the learner logs in on the hub's login page, opens 03_exercises.ipynb in Notebook 7, and
//      runs its first cells one by one with Shift+Enter: the speed-up cell, the import, the
//      answer cell of exercise 1 as the student edition hands it out (its body is a TODO that
//      returns 0), then the check, which answers with a hint;
//   2. they click the line `return 0`, type the right answer over it, run the answer cell and the
//      check again: 「正解です」;
//   3. the instructor logs in (the hub's login, then the progress service's OAuth) and opens
//      /services/progress/: the learner's cell of exercise 1 shows 正解 last, and its history
//      lists ヒント then 正解, at times in that order;
//   4. the learner opens /services/progress/ in a new tab and gets 403, in Japanese.
// Screenshots go to SHOT_DIR. The last line is "hub-progress: ok: …" or "hub-progress: FAILED: …".
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import * as hooks from '../../checks/browser/hooks.mjs';
import { poll } from '../../checks/browser/poll.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(path.join(here, '..', '..', 'checks', 'browser', 'package.json'));
const { chromium } = require('playwright-core');

const [hub, learner, instructor, learnerPassword, instructorPassword, shotDir] = process.argv.slice(2);
if (!hub || !learner || !instructor || !learnerPassword || !instructorPassword || !shotDir) {
  console.log('usage: node hub_progress.mjs HUB_URL LEARNER INSTRUCTOR LEARNER_PASSWORD INSTRUCTOR_PASSWORD SHOT_DIR');
  process.exit(2);
}
const sec = 1000;
const t0 = Date.now();
const log = (m) => console.log(`hub-progress: [${((Date.now() - t0) / sec).toFixed(1).padStart(6)} s] ${m}`);
const fe = hooks.frontEnds.notebook7;
const nbName = '03_exercises.ipynb';
const exercise = 'CheckIterations';
const right = 'return (n + b - 1) / b';

let shots = 0;
async function shot(page, label) {
  fs.mkdirSync(shotDir, { recursive: true });
  const file = path.join(shotDir, `${String(++shots).padStart(2, '0')}-${label}.png`);
  await page.screenshot({ path: file, fullPage: true, timeout: 20 * sec }).catch((e) => log(`screenshot ${label}: ${e.message}`));
  return file;
}

async function login(page, name, password, next) {
  await page.goto(`${hub}${next}`, { waitUntil: 'domcontentloaded', timeout: 60 * sec });
  await page.locator('#username_input').waitFor({ timeout: 30 * sec });
  await page.fill('#username_input', name);
  await page.fill('#password_input', password);
  await page.click('#login_submit');
}

const browser = await chromium.launch(hooks.chromiumLaunch);
const overall = setTimeout(() => {
  console.log('hub-progress: FAILED: took longer than 8 minutes');
  process.exit(1);
}, 8 * 60 * sec);
const newPage = async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 1000 } });
  context.setDefaultTimeout(30 * sec);
  const page = await context.newPage();
  page.on('dialog', (d) => d.dismiss().catch(() => {}));
  return page;
};
const page = await newPage();
let current = page;
let step = 'start';
try {
  step = 'the learner logs in';
  await login(page, learner, learnerPassword, '/hub/login');
  await page.waitForURL((u) => u.pathname.startsWith(`/user/${learner}/`), { timeout: 3 * 60 * sec });
  log(`learner logged in; the hub opened ${page.url()}`);

  step = `open ${nbName} in Notebook 7`;
  await page.goto(`${hub}/user/${learner}/${fe.notebookURL(nbName)}`, { waitUntil: 'domcontentloaded', timeout: 2 * 60 * sec });
  const code = page.locator(`${fe.root} ${fe.codeCell}`);
  await poll('the code cells in the page', 2 * 60 * sec, async () => {
    const n = await code.count();
    return n > 4 ? { ok: true } : { ok: false, codeCells: n };
  });
  log(`${nbName} open: ${await code.count()} code cells in the page`);
  log(`the toolbar names the kernel after ${(await hooks.kernelInPage(page, fe, 2 * 60 * sec)).toFixed(1)} s`);
  // kernelState is the notebook's kernel as the learner's server reports it (for a failure).
  const kernelState = () => page.evaluate(async (name) => {
    const cfg = JSON.parse(document.getElementById('jupyter-config-data').textContent);
    const sessions = await fetch(`${cfg.baseUrl}api/sessions`).then((r) => r.json());
    const s = sessions.find((x) => x.path === name);
    return s && s.kernel ? s.kernel.execution_state : 'no kernel';
  }, nbName).catch((e) => e.message.split('\n')[0]);
  const output = (i) => code.nth(i).locator('.jp-OutputArea').innerText().catch(() => '');
  const prompt = (i) => code.nth(i).locator(fe.prompt).innerText().catch(() => '');
  const countOf = (text) => (text.match(/\[\s*(\d+)\s*\]/) || [])[1];
  // Runs code cell i as a learner does: click into it, Shift+Enter, wait for its new execution count.
  const run = async (i, timeout = 2 * 60 * sec) => {
    const before = countOf(await prompt(i));
    await code.nth(i).locator('.cm-content').click();
    await page.keyboard.press('Shift+Enter');
    const t = Date.now();
    await poll(`code cell ${i + 1} executed`, timeout, async () => {
      const text = await prompt(i);
      const c = countOf(text);
      return c && c !== before ? { ok: true } : { ok: false, prompt: text };
    }).catch(async (e) => { throw new Error(`${e.message}; the kernel: ${await kernelState()}`); });
    log(`code cell ${i + 1} ran in ${((Date.now() - t) / sec).toFixed(1)} s`);
    return output(i);
  };
  // The cells: 0 the speed-up cell, 1 the import of exercise, 2 the answer of exercise 1, 3 its check.
  const src2 = await code.nth(2).locator('.cm-content').innerText();
  const src3 = await code.nth(3).locator('.cm-content').innerText();
  if (!src2.includes('func iterations') || !src2.includes('return 0') || !src3.includes(`exercise.${exercise}`)) {
    throw new Error(`code cells 3 and 4 of ${nbName} are not exercise 1's answer (with return 0) and check: ${JSON.stringify([src2, src3])}`);
  }

  step = 'run the first cells and the check with the answer as handed out';
  for (const i of [0, 1, 2]) {
    const out = await run(i);
    if (/error|エラー/i.test(out)) throw new Error(`code cell ${i + 1}: ${out.slice(0, 300)}`);
  }
  const wrong = await run(3);
  if (!wrong.includes('ヒント') || wrong.includes('正解') || wrong.includes('記録できません')) {
    throw new Error(`the check of the unanswered exercise printed ${JSON.stringify(wrong)}; want a hint, recorded`);
  }
  log(`wrong answer: ${wrong.trim().split('\n')[0]}`);
  await shot(page, 'learner-hint');

  step = 'type the right answer over return 0 and check again';
  await code.nth(2).locator('.cm-line', { hasText: 'return 0' }).click();
  await page.keyboard.press('End');
  await page.keyboard.press('Shift+Home');
  await page.keyboard.type(right);
  const typed = await code.nth(2).locator('.cm-content').innerText();
  if (!typed.includes(right)) throw new Error(`after typing, the answer cell reads ${JSON.stringify(typed)}`);
  await run(2);
  const ok = await run(3);
  if (!ok.includes('正解です') || ok.includes('記録できません')) {
    throw new Error(`the check of the right answer printed ${JSON.stringify(ok)}; want 正解です, recorded`);
  }
  log(`right answer: ${ok.trim().split('\n')[0]}`);
  await shot(page, 'learner-right');

  step = 'the instructor logs in and opens the progress page';
  const teacher = await newPage();
  current = teacher;
  await login(teacher, instructor, instructorPassword, '/services/progress/');
  await teacher.waitForURL((u) => u.pathname === '/services/progress/', { timeout: 60 * sec });
  const cell = teacher.locator(`tr[data-user="${learner}"] td[data-exercise="${exercise}"]`);
  const seen = await poll(`${learner}'s ${exercise} on the progress page: 正解 last, after ヒント`, 30 * sec, async () => {
    if (!(await cell.count())) {
      await teacher.reload({ waitUntil: 'domcontentloaded' });
      return { ok: false, cell: 'none' };
    }
    const last = await cell.locator('.last').innerText();
    const hist = await cell.locator('ol.history li').evaluateAll((ls) => ls.map((l) => [l.className, l.innerText]));
    const words = hist.map(([, text]) => text.split(' ')[0]);
    const times = hist.map(([, text]) => text.split(' ')[1]);
    const inOrder = times.every((t, i) => i === 0 || times[i - 1] <= t);
    return last.startsWith('正解') && words.join(',') === 'ヒント,正解' && inOrder
      ? { last, hist } : { ok: false, last, hist };
  });
  const heading = await teacher.locator('h1').innerText();
  if (heading !== 'クラスの進み具合') throw new Error(`the progress page's heading is ${JSON.stringify(heading)}`);
  await cell.scrollIntoViewIfNeeded();
  const file = await shot(teacher, 'progress-page');

  step = 'the learner gets 403 on the class page';
  // In a new tab: leaving the notebook, which has unsaved changes, would ask first.
  const tab = await page.context().newPage();
  current = tab;
  const resp = await tab.goto(`${hub}/services/progress/`, { waitUntil: 'domcontentloaded', timeout: 60 * sec });
  const body = await tab.locator('body').innerText();
  if (resp.status() !== 403 || !body.includes('講師（ハブの管理者）だけ')) {
    throw new Error(`the learner's /services/progress/: HTTP ${resp.status()}, ${JSON.stringify(body.slice(0, 200))}; want 403 in Japanese`);
  }
  await shot(tab, 'learner-403');
  console.log(`hub-progress: ok: ${learner} checked ${exercise} wrong then right in Notebook 7; the instructor's page shows ` +
    `${JSON.stringify(seen.last)} with the history ${JSON.stringify(seen.hist.map(([, t]) => t))}; the learner gets 403; screenshot ${file}`);
  clearTimeout(overall);
  await browser.close();
  process.exit(0);
} catch (e) {
  const file = await shot(current, 'FAILED');
  console.log(`hub-progress: FAILED: ${step}: ${e.message.split('\n')[0]} (page ${current.url()}; screenshot ${file})`);
  clearTimeout(overall);
  await browser.close().catch(() => {});
  process.exit(1);
}
