// docker/hub/loadtest/hub_accounts.mjs — log-ins on the real hub's login page, in a real browser.
//
//   node hub_accounts.mjs HUB_URL SHOT_DIR STEP...
//
// TestHubAccounts (hub_accounts_test.go) runs it. Each STEP runs in a new browser session
// (Debian's chromium through playwright-core from docker/checks/browser/node_modules), typing
// the name and the password into the hub's login page key by key:
//   refuse:NAME:PASSWORD     the hub must not let NAME in (it shows the login page again)
//   login:NAME:PASSWORD:FILE the hub must open NAME's server, whose file list shows FILE
//   change:NAME:PASSWORD:NEW NAME logs in, opens 「パスワードの変更」 (/hub/auth/change-password), types
//                            a password that is too short (refused, in Japanese), then NEW (changed)
// The last line is "hub-accounts: ok: …" or "hub-accounts: FAILED: …" (exit status 1).
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import * as hooks from '../../checks/browser/hooks.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(path.join(here, '..', '..', 'checks', 'browser', 'package.json'));
const { chromium } = require('playwright-core');

const [hub, shotDir, ...steps] = process.argv.slice(2);
if (!hub || !shotDir || steps.length === 0) {
  console.log('usage: node hub_accounts.mjs HUB_URL SHOT_DIR refuse:NAME:PASSWORD|login:NAME:PASSWORD:FILE|change:NAME:PASSWORD:NEW ...');
  process.exit(2);
}
const sec = 1000;
const browser = await chromium.launch(hooks.chromiumLaunch);
let failed = '';
let n = 0;
for (const step of steps) {
  const [kind, name, password, file] = step.split(':');
  const context = await browser.newContext({ viewport: { width: 1200, height: 900 } });
  context.setDefaultTimeout(30 * sec);
  const page = await context.newPage();
  try {
    await page.goto(`${hub}/hub/login`, { waitUntil: 'domcontentloaded', timeout: 60 * sec });
    await page.click('#username_input');
    await page.keyboard.type(name);
    await page.click('#password_input');
    await page.keyboard.type(password);
    await page.keyboard.press('Enter');
    if (kind === 'refuse') {
      await page.waitForLoadState('domcontentloaded');
      await page.locator('#login_submit').waitFor({ state: 'visible', timeout: 30 * sec });
      const where = new URL(page.url()).pathname;
      if (!where.startsWith('/hub/login')) throw new Error(`${name} was let in with a password they were not given: ${page.url()}`);
      // Nor does the session reach the server afterwards.
      const r = await page.goto(`${hub}/user/${name}/api/contents`, { waitUntil: 'domcontentloaded' });
      if (new URL(page.url()).pathname.startsWith(`/user/${name}/`) && r && r.status() === 200) {
        throw new Error(`after the refused log-in, ${page.url()} answers 200`);
      }
      console.log(`hub-accounts: ${name} refused, as wanted`);
    } else if (kind === 'login') {
      await page.waitForURL((u) => u.pathname.startsWith(`/user/${name}/`), { timeout: 3 * 60 * sec });
      await page.getByText(file, { exact: true }).first().waitFor({ state: 'visible', timeout: 2 * 60 * sec });
      console.log(`hub-accounts: ${name} logged in; their file list shows ${file}`);
    } else if (kind === 'change') {
      await page.waitForURL((u) => u.pathname.startsWith(`/user/${name}/`), { timeout: 3 * 60 * sec });
      await page.goto(`${hub}/hub/auth/change-password`, { waitUntil: 'domcontentloaded' });
      await page.getByRole('heading', { name: 'パスワードの変更' }).waitFor();
      for (const [typed, want] of [['short', 'パスワードが短すぎます'], [file, 'パスワードを変更しました']]) {
        await page.click('#password_input');
        await page.keyboard.type(typed);
        const posted = page.waitForNavigation({ waitUntil: 'domcontentloaded' }); // the form's POST answers with a new page
        await page.keyboard.press('Enter');
        await posted;
        const alert = (await page.locator('.alert').first().textContent({ timeout: 30 * sec })).trim();
        if (!alert.includes(want)) throw new Error(`after typing a ${typed.length}-character password the page says ${JSON.stringify(alert)}, not ${want}`);
        if (/[A-Za-z]{4,}/.test(alert)) throw new Error(`the change-password page's message has English: ${JSON.stringify(alert)}`);
      }
      console.log(`hub-accounts: ${name} changed their password on the Japanese page (a too short one refused first)`);
    } else {
      throw new Error(`unknown step ${step}`);
    }
  } catch (e) {
    failed = `${kind} ${name}: ${e.message.split('\n')[0]}`;
  }
  fs.mkdirSync(shotDir, { recursive: true });
  await page.screenshot({ path: path.join(shotDir, `${String(++n).padStart(2, '0')}-${kind}-${name}.png`) }).catch(() => {});
  await context.close();
  if (failed) break;
}
await browser.close();
if (failed) {
  console.log(`hub-accounts: FAILED: ${failed}`);
  process.exit(1);
}
console.log(`hub-accounts: ok: ${steps.length} steps`);
