// docker/checks/browser/suite.mjs — gdlesson's real-browser test suite.
//
//   node docker/checks/browser/suite.mjs [jupyterlab|notebook7|classic ...]   (bash docker/checks/browser/run.sh)
//
// For each front end (JupyterLab 4, Notebook 7, the classic Notebook 6) it starts that front
// end's Jupyter server on a free port of 127.0.0.1, with a token, on a copy of the repository
// (go.mod, go.sum, gdlib/, notebooks/; the committed notebooks are never written), and drives
// Debian's chromium through playwright-core as a learner would:
//
//   - open every notebook, Run All from the menu, wait until every code cell has its execution
//     count and the kernel is idle, save from the menu, and require no error in the saved
//     notebook (error outputs, GoNB's HTML error report, a stderr line "exit status N");
//   - require every chart drawn (data-gdlesson-drawn, echarts.getInstanceByDom with series, and
//     SVG paths or canvas ink), as many as the saved outputs hold; again after reloading the
//     page, and again after closing it, shutting its kernel down and opening it anew;
//   - in 02, use the optimizer explorer by keyboard (focus its select, ↓ ↑, Tab to a slider, → ←):
//     the chart's data must change after each key and no heading may collapse; the live chart of
//     02's edit cell must redraw at least twice;
//   - open a notebook executed elsewhere (docker/checks/nbrun.py, so not signed by this server) and
//     require the Japanese note in place of each chart, and no empty chart box;
//   - start the server again behind base_url /user/test/ over HTTPS (a self-signed certificate
//     made by openssl for this run) and run 02 there: charts drawn, explorer working.
//
// The notebooks folder of the first front end also gets docker/checks/testdata/failing.ipynb (without its
// huge-output cell, see failingCopy): the suite must find its failing cell, so a broken error check cannot pass.
//
// JupyterLab and Notebook 7 run with the notebook setting windowingMode "none" (in a settings
// folder of this run), so every cell and output is in the page, not only those in view.
//
// Environment: GDLESSON_VENV (default /usr/local/share/gdlesson/venv) holds JupyterLab and
// Notebook 7; GDLESSON_BROWSER_NOTEBOOKS (e.g. "02_optimizers") limits the notebooks;
// GDLESSON_SCREENSHOTS=DIR saves a screenshot of every step there (failures always get one, in
// that folder or in a new one that the log names); GDLESSON_BROWSER_TIMEOUT (seconds, default
// 1800) bounds the whole run. Every server, kernel and browser it started is stopped on every
// way out, SIGINT and SIGTERM included. Exit status 0 when every front end passed, 1 otherwise.
import { chromium, request } from 'playwright-core';
import { spawn, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import crypto from 'node:crypto';
import { fileURLToPath } from 'node:url';
import * as hooks from './hooks.mjs';
import { moveExplorer } from './explorer.mjs';
import { poll, sleep } from './poll.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '..', '..', '..');
const venv = process.env.GDLESSON_VENV || '/usr/local/share/gdlesson/venv';
const chromiumPath = hooks.chromiumLaunch.executablePath;
// docker/checks/nbrun.py runs on the venv's Python (nbclient 0.11.0) when there is one, as
// docker/course/export.sh does, else on Debian's (nbclient 0.7.2).
const nbrunPython = fs.existsSync(`${venv}/bin/python`) ? `${venv}/bin/python` : '/usr/bin/python3';

const sec = 1000;
const min = 60 * sec;
// Step timeouts: generous, since the machine may be busy; a notebook's Run All includes
// GoNB's compilation of every cell (01: about 40 s here when the Go caches are warm).
const T = {
  server: 2 * min, // a server answers
  open: 2 * min, // a notebook's cells are in the page and its kernel is idle
  runAll: 12 * min, // Run All of one notebook
  save: 1 * min,
  charts: 1 * min, // every chart drawn
  explorer: 30 * sec, // the chart follows a control
  export: 5 * min, // nbrun.py executes 02
  stop: 20 * sec, // a server ends after SIGTERM
};
const overallTimeout = Number(process.env.GDLESSON_BROWSER_TIMEOUT || 1800) * sec;

const t0 = Date.now();
function log(msg) {
  const s = ((Date.now() - t0) / 1000).toFixed(1).padStart(6);
  console.log(`browser: [${s} s] ${msg}`);
}

// --- cleanup: everything started is registered here and ended on every way out ---------------

const runID = crypto.randomBytes(8).toString('hex');
const marker = `GDLESSON_BROWSER_RUN=${runID}`; // in the environment of every server, kernel, gopls
const cleanups = [];
let cleaning = null;
async function cleanup() {
  if (!cleaning) {
    cleaning = (async () => {
      for (const f of cleanups.splice(0).reverse()) {
        try {
          await f();
        } catch (e) {
          log(`cleanup: ${e.message}`);
        }
      }
      killMarked();
    })();
  }
  return cleaning;
}
for (const sig of ['SIGINT', 'SIGTERM']) {
  process.on(sig, async () => {
    log(`${sig}: stopping every server, kernel and browser of this run`);
    await cleanup();
    process.exit(sig === 'SIGINT' ? 130 : 143);
  });
}

// killMarked ends, with SIGKILL, every process whose environment holds this run's marker: what
// is left of the servers' process groups, and the GoNB kernels and their gopls, which run in
// sessions of their own.
function killMarked() {
  let killed = 0;
  for (const pid of fs.readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    if (Number(pid) === process.pid) continue;
    let env;
    try {
      env = fs.readFileSync(`/proc/${pid}/environ`, 'latin1');
    } catch {
      continue; // gone, or not ours to read
    }
    if (env.split('\0').includes(marker)) {
      try {
        process.kill(Number(pid), 'SIGKILL');
        killed++;
      } catch {}
    }
  }
  if (killed) log(`cleanup: killed ${killed} leftover processes (kernels, gopls, servers) of this run`);
}

// --- helpers -------------------------------------------------------------------------------------

async function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

function withTimeout(promise, ms, what) {
  let timer;
  return Promise.race([
    promise,
    new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what}: timed out after ${ms / sec} s`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

// failingCopy writes into dir the suite's copy of docker/checks/testdata/failing.ipynb and returns
// its path. The copy leaves out the cell "huge-output-then-panic": its 90 MB of output tests
// nbrun's output timeout (nbclient), not a front end, and kept JupyterLab's page busy for tens of
// seconds, so that the next menu click sometimes timed out (the CI rehearsal's one failure).
function failingCopy(dir) {
  const nb = readNotebook(path.join(here, '..', 'testdata', 'failing.ipynb'));
  const n = nb.cells.length;
  nb.cells = nb.cells.filter((c) => c.id !== 'huge-output-then-panic');
  if (nb.cells.length !== n - 1) throw new Error('docker/checks/testdata/failing.ipynb has no cell "huge-output-then-panic"');
  const file = path.join(dir, 'failing.ipynb');
  fs.writeFileSync(file, JSON.stringify(nb, null, 1) + '\n');
  return file;
}

function readNotebook(file) {
  return JSON.parse(fs.readFileSync(file, 'utf8'));
}

function codeCells(nb) {
  return nb.cells.filter((c) => c.cell_type === 'code');
}

// where names a cell the way a person finds it: its number among all cells, and its first line.
function where(nb, i) {
  const first = hooks.text(nb.cells[i].source).trim().split('\n')[0].slice(0, 60);
  return `cell ${i + 1} of ${nb.cells.length} ("${first}")`;
}

// copyRepo copies what the notebooks need (their set-up cell points GoNB at "$GONB_DIR/..") into
// dir: go.mod, go.sum, gdlib/, notebooks/exercise/ (the checks of the exercises) and the given
// notebooks.
function copyRepo(dir, notebooks, extra = []) {
  fs.mkdirSync(path.join(dir, 'notebooks'), { recursive: true });
  for (const f of ['go.mod', 'go.sum']) fs.copyFileSync(path.join(repo, f), path.join(dir, f));
  fs.cpSync(path.join(repo, 'gdlib'), path.join(dir, 'gdlib'), { recursive: true });
  fs.cpSync(path.join(repo, 'notebooks', 'exercise'), path.join(dir, 'notebooks', 'exercise'), { recursive: true });
  for (const nb of [...notebooks, ...extra]) {
    fs.copyFileSync(nb, path.join(dir, 'notebooks', path.basename(nb)));
  }
  return path.join(dir, 'notebooks');
}

// --- screenshots ----------------------------------------------------------------------------

const everyStep = process.env.GDLESSON_SCREENSHOTS || '';
let shotDir = everyStep;
let shotCount = 0;
async function screenshot(page, label, focus = '') {
  if (!page || page.isClosed()) return '';
  if (focus) {
    // The notebook scrolls inside the page: show the element the step was about.
    await page.evaluate((sel) => document.querySelector(sel)?.scrollIntoView({ block: 'center' }), focus).catch(() => {});
  }
  if (!shotDir) {
    shotDir = fs.mkdtempSync(path.join(os.tmpdir(), 'gdlesson-browser-screenshots-'));
  }
  fs.mkdirSync(shotDir, { recursive: true });
  const file = path.join(shotDir, `${String(++shotCount).padStart(3, '0')}-${label.replace(/[^\w.-]+/g, '_')}.png`);
  try {
    await withTimeout(page.screenshot({ path: file, fullPage: true, timeout: 20 * sec }), 30 * sec, 'screenshot');
    return file;
  } catch (e) {
    log(`screenshot ${label}: ${e.message}`);
    return '';
  }
}

// --- a Jupyter server --------------------------------------------------------------------------

class Server {
  constructor(fe, name, { root, baseURL = '/', https = false, work }) {
    Object.assign(this, { fe, name, root, baseURL, https, work });
    this.token = crypto.randomBytes(24).toString('hex');
    this.logFile = path.join(work, `${name}.log`);
  }

  async start() {
    const fe = hooks.frontEnds[this.fe];
    this.port = await freePort();
    const dirs = {};
    for (const d of ['config', 'data', 'runtime', 'lab-settings', 'lab-workspaces']) {
      dirs[d] = path.join(this.work, `${this.name}-${d}`);
      fs.mkdirSync(dirs[d], { recursive: true });
    }
    // JupyterLab and Notebook 7: every cell rendered (no windowing), no news or update checks.
    writeJSON(path.join(dirs['lab-settings'], '@jupyterlab', 'notebook-extension', 'tracker.jupyterlab-settings'),
      { windowingMode: 'none' });
    writeJSON(path.join(dirs['lab-settings'], '@jupyterlab', 'apputils-extension', 'notification.jupyterlab-settings'),
      { fetchNews: 'false', checkForUpdates: false });
    const app = fe.app;
    const args = [...fe.command(venv).slice(1), '--no-browser', '--ip=127.0.0.1', `--port=${this.port}`,
      '--port-retries=0', `--notebook-dir=${this.root}`, `--${app}.base_url=${this.baseURL}`];
    if (process.getuid && process.getuid() === 0) args.push('--allow-root');
    if (this.https) {
      const key = path.join(this.work, 'key.pem');
      const cert = path.join(this.work, 'cert.pem');
      if (!fs.existsSync(cert)) {
        execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert,
          '-days', '2', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'], { stdio: 'pipe' });
      }
      args.push(`--certfile=${cert}`, `--keyfile=${key}`);
    }
    const env = {
      ...process.env,
      JUPYTER_TOKEN: this.token, // read by every front end; kept off the command line
      JUPYTER_CONFIG_DIR: dirs.config,
      JUPYTER_DATA_DIR: dirs.data, // this server's own notebook signatures
      JUPYTER_RUNTIME_DIR: dirs.runtime,
      JUPYTERLAB_SETTINGS_DIR: dirs['lab-settings'],
      JUPYTERLAB_WORKSPACES_DIR: dirs['lab-workspaces'],
      PATH: `/usr/local/go/bin:/usr/local/bin:${process.env.PATH}`,
      PYDEVD_DISABLE_FILE_VALIDATION: '1',
      GDLESSON_BROWSER_RUN: runID,
    };
    const out = fs.openSync(this.logFile, 'w');
    this.proc = spawn(fe.command(venv)[0], args, { env, stdio: ['ignore', out, out], detached: true });
    fs.closeSync(out);
    this.exited = new Promise((resolve) => this.proc.on('exit', (code, sig) => resolve(sig || code)));
    this.proc.on('error', (e) => log(`${this.name}: ${e.message}`));
    cleanups.push(() => this.stop());
    this.url = `${this.https ? 'https' : 'http'}://127.0.0.1:${this.port}${this.baseURL}`;
    this.api = await request.newContext({
      ignoreHTTPSErrors: true,
      extraHTTPHeaders: { Authorization: `token ${this.token}` },
    });
    let gone = null;
    this.exited.then((v) => (gone = v));
    await poll(`${this.name}: server answers at ${this.url}api/status (log: ${this.logFile})`, T.server, async () => {
      if (gone !== null) {
        throw new Error(`${this.name}: the server ended (${gone}) before answering; its log ${this.logFile} ends:\n${tail(this.logFile, 15)}`);
      }
      try {
        const r = await this.api.get(this.url + 'api/status', { timeout: 5 * sec });
        return r.ok();
      } catch {
        return false;
      }
    });
    // Every server serves ECharts for the charts (docker/local/setup.sh); without it no chart draws.
    const lib = await this.api.get(this.url + hooks.echartsPath, { timeout: 30 * sec });
    const body = lib.ok() ? await lib.body() : Buffer.alloc(0);
    if (!lib.ok() || body.length < 100000) {
      throw new Error(`${this.name}: ${this.url}${hooks.echartsPath} answers ${lib.status()} with ${body.length} bytes; ` +
        'every server must serve ECharts there (set up by docker/local/setup.sh)');
    }
  }

  async json(method, rel) {
    const r = await this.api.fetch(this.url + rel, { method, timeout: 30 * sec });
    if (!r.ok()) throw new Error(`${method} ${rel}: HTTP ${r.status()}`);
    return r.status() === 204 ? null : r.json();
  }

  async kernelState(nbPath) {
    const sessions = await this.json('GET', 'api/sessions');
    const s = sessions.find((x) => (x.path || x.notebook?.path) === nbPath);
    if (!s || !s.kernel) return 'no kernel';
    const k = await this.json('GET', `api/kernels/${s.kernel.id}`);
    return k.execution_state;
  }

  // shutdownKernels ends the kernels of the sessions of the notebook path (every session when
  // nbPath is empty), through the server, so that GoNB ends its gopls too.
  async shutdownKernels(nbPath = '') {
    const sessions = await this.json('GET', 'api/sessions');
    for (const s of sessions) {
      if (!nbPath || (s.path || s.notebook?.path) === nbPath) await this.json('DELETE', `api/sessions/${s.id}`);
    }
    const kernels = nbPath ? [] : await this.json('GET', 'api/kernels');
    for (const k of kernels) await this.json('DELETE', `api/kernels/${k.id}`);
  }

  async stop() {
    if (!this.proc || this.stopped) return;
    this.stopped = true;
    try {
      await withTimeout(this.shutdownKernels(), T.stop, `${this.name}: shutting the kernels down`);
    } catch (e) {
      log(`${this.name}: ${e.message}`);
    }
    try {
      process.kill(-this.proc.pid, 'SIGTERM');
    } catch {}
    try {
      await withTimeout(this.exited, T.stop, `${this.name}: stopping`);
    } catch {
      try {
        process.kill(-this.proc.pid, 'SIGKILL');
      } catch {}
    }
    await this.api?.dispose();
  }
}

function writeJSON(file, v) {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, JSON.stringify(v, null, 2));
}

function tail(file, n) {
  try {
    return fs.readFileSync(file, 'utf8').trimEnd().split('\n').slice(-n).join('\n');
  } catch {
    return '';
  }
}

// --- one front end in the page -----------------------------------------------------------------

// Notebook drives one open notebook page.
class Notebook {
  constructor(run, name) {
    Object.assign(this, { run, name });
    this.fe = hooks.frontEnds[run.fe];
    this.server = run.server;
  }

  get page() {
    return this.run.page;
  }

  // open loads the notebook's page and waits until its code cells are in the page and its
  // kernel is idle.
  async open(expectCode) {
    await this.run.newPage();
    const url = this.server.url + this.fe.notebookURL(this.name) + (this.fe.notebookURL(this.name).includes('?') ? '&' : '?') +
      `token=${this.server.token}`;
    await this.page.goto(url, { timeout: T.open, waitUntil: 'domcontentloaded' });
    await poll(`${this.name}: ${expectCode} code cells in the page and the kernel idle`, T.open, async () => {
      const n = await this.page.locator(`${this.fe.root} ${this.fe.codeCell}`).count();
      if (n !== expectCode) return { ok: false, codeCells: n };
      const k = await this.kernelState();
      return k === 'idle' ? { ok: true } : { ok: false, kernel: k };
    });
  }

  // kernelState is the kernel's state as the page shows it where the front end marks it in a
  // stable way (the classic Notebook's indicator: its server's REST answer can stay "starting"),
  // otherwise as the server reports it.
  async kernelState() {
    if (this.fe.kernelIdle) {
      return (await this.page.locator(this.fe.kernelIdle).count()) ? 'idle' : 'not idle in the page';
    }
    return this.server.kernelState(this.name);
  }

  async menu([top, item]) {
    const p = this.page;
    if (this.fe.menuIDs) {
      await p.locator(top).click({ timeout: 30 * sec });
      await p.locator(item).click({ timeout: 30 * sec });
    } else {
      await p.locator(this.fe.menu.bar, { hasText: new RegExp(`^${top}$`) }).first().click({ timeout: 30 * sec });
      await p.locator(this.fe.menu.item, { hasText: new RegExp(`^${item}$`) }).first().click({ timeout: 30 * sec });
    }
  }

  // prompts returns each code cell's execution count as the page shows it: a number, "*" or "".
  async prompts() {
    return this.page.evaluate(({ root, codeCell, prompt }) =>
      [...document.querySelectorAll(`${root} ${codeCell}`)].map((c) => {
        const m = (c.querySelector(prompt)?.textContent || '').match(/\[\s*([0-9]+|\*)?\s*\]/);
        return m && m[1] ? m[1] : '';
      }), { root: this.fe.root, codeCell: this.fe.codeCell, prompt: this.fe.prompt });
  }

  // runAll chooses Run All from the menu and waits until every code cell shows an execution
  // count and the kernel is idle, or a cell stopped the run with an error.
  async runAll() {
    await this.menu(this.fe.runAll);
    return poll(`${this.name}: Run All finished`, T.runAll, async () => {
      const ps = await this.prompts();
      const busy = ps.filter((p) => p === '*').length;
      const done = ps.filter((p) => /^\d+$/.test(p)).length;
      if (busy || !done) return { ok: false, done, busy, of: ps.length };
      if ((await this.kernelState()) !== 'idle') return { ok: false, kernel: 'busy', done };
      if (done === ps.length) return { ok: true, done };
      // Jupyter stops Run All at a cell that failed: the cells after it keep an empty prompt.
      // Stopped for good when a second look, 2 s later, sees the same prompts, none running.
      await sleep(2 * sec);
      const again = await this.prompts();
      const stopped = JSON.stringify(again) === JSON.stringify(ps) && (await this.kernelState()) === 'idle';
      return stopped ? { ok: true, done, stopped: true } : { ok: false, done, of: ps.length };
    });
  }

  // save saves from the menu and returns the saved notebook once the file on disk holds as many
  // executed code cells as the page shows. It reads the file itself, and only once the server's
  // atomic write is over (no ".~NAME" beside it): reading through the server's API during a save
  // makes jupyter_server take the half-written temporary file for a crash's leftover and put it
  // in place of the notebook.
  async save() {
    const want = (await this.prompts()).filter((p) => /^\d+$/.test(p)).length;
    const file = path.join(this.server.root, this.name);
    const temp = path.join(this.server.root, `.~${this.name}`);
    const before = fs.statSync(file).mtimeMs;
    await this.menu(this.fe.save);
    return poll(`${this.name}: saved with ${want} executed code cells`, T.save, async () => {
      if (fs.existsSync(temp)) return { ok: false, writing: true };
      let nb;
      try {
        if (fs.statSync(file).mtimeMs === before) return { ok: false, saved: false };
        nb = readNotebook(file);
      } catch (e) {
        return { ok: false, error: e.message };
      }
      const n = codeCells(nb).filter((c) => c.execution_count != null).length;
      return n === want ? nb : { ok: false, executedInFile: n };
    });
  }

  // charts returns what the page shows of each chart.
  async charts() {
    return this.page.evaluate(({ h, fe }) => {
      const root = document.querySelector(fe.root) || document;
      const cells = [...root.querySelectorAll(fe.cell)];
      return [...root.querySelectorAll(h.selector)].map((el) => {
        const ec = window.echarts && window.echarts.getInstanceByDom ? window.echarts.getInstanceByDom(el) : null;
        let series = -1;
        let data = '';
        if (ec) {
          const o = ec.getOption() || {};
          series = (o.series || []).length;
          data = JSON.stringify((o.series || []).map((s) => s.data));
        }
        let paths = 0;
        el.querySelectorAll('svg path').forEach((p) => {
          if ((p.getAttribute('d') || '').length >= 20) paths++;
        });
        let ink = 0;
        el.querySelectorAll('canvas').forEach((c) => {
          try {
            const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
            for (let i = 3; i < d.length; i += 4 * 37) if (d[i]) ink++;
          } catch {}
        });
        const box = el.getBoundingClientRect();
        return {
          id: el.id, cell: cells.indexOf(el.closest(fe.cell)) + 1, drawnAttr: el.getAttribute(h.drawnAttr),
          series, paths, ink, width: Math.round(box.width), height: Math.round(box.height), data,
          text: el.textContent.slice(0, 160),
        };
      });
    }, { h: { selector: hooks.chart.selector, drawnAttr: hooks.chart.drawnAttr }, fe: { root: this.fe.root, cell: this.fe.cell } });
  }

  // chartsDrawn waits until the page shows want charts, all drawn, and returns them.
  async chartsDrawn(want, when) {
    const drawn = (c) => c.drawnAttr === 'true' && c.series > 0 && (c.paths > 0 || c.ink > 0) && c.width > 0 && c.height > 0;
    const cs = await poll(`${this.name} (${when}): ${want} charts drawn`, T.charts, async () => {
      const cs = await this.charts();
      const bad = cs.find((c) => !drawn(c));
      this.run.focus = bad && bad.id ? `[id="${bad.id}"]` : (cs.length ? `[id="${cs.at(-1).id}"]` : '');
      return cs.length === want && !bad ? cs : { ok: false, charts: cs };
    }, (v) => {
      const cs = v.charts || [];
      const bad = cs.filter((c) => !drawn(c)).map((c) =>
        `cell ${c.cell} chart ${c.id}: drawn=${c.drawnAttr} series=${c.series} paths=${c.paths} ink=${c.ink} ` +
        `${c.width}×${c.height} "${c.text}"`);
      return `${cs.length} charts in the page (want ${want}); not drawn: ${bad.length ? bad.join('; ') : 'none'}`;
    });
    return cs;
  }
}

// chartsInFile counts the charts in a saved notebook's HTML outputs.
function chartsInFile(nb) {
  let n = 0;
  for (const c of codeCells(nb)) {
    for (const o of c.outputs || []) {
      if (o.data && o.data['text/html']) n += hooks.chart.countInHTML(hooks.text(o.data['text/html']));
    }
  }
  return n;
}

function problemsInFile(nb, name) {
  const found = [];
  nb.cells.forEach((c, i) => {
    if (c.cell_type !== 'code') return;
    for (const p of hooks.outputProblems(c)) found.push(`${name}: ${where(nb, i)}: ${p}`);
  });
  return found;
}

// A FrontEndRun is one front end's whole check: servers, pages, counts.
class FrontEndRun {
  constructor(fe, browser, work) {
    Object.assign(this, { fe, browser, work });
    this.stats = { notebooks: 0, cells: 0, charts: 0, sliders: '' };
    this.page = null;
    this.context = null;
  }

  async newContext() {
    await this.context?.close();
    this.context = await this.browser.newContext({ ignoreHTTPSErrors: true, viewport: { width: 1280, height: 1000 } });
    this.context.setDefaultTimeout(30 * sec);
    // Watches every live chart while the page lives: for each chart id, whether it was seen
    // running, whether it was seen done, and the highest drawing count it showed, also on
    // elements that the page has since replaced.
    await this.context.addInitScript(({ sel, live, draws }) => {
      const seen = (window.__gdlessonLive = {});
      const look = () => {
        document.querySelectorAll(`${sel}[${live}]`).forEach((el) => {
          const s = (seen[el.id || '(no id)'] ||= { running: false, done: false, draws: 0 });
          const state = el.getAttribute(live);
          if (state === 'running') s.running = true;
          if (state === 'done') s.done = true;
          s.draws = Math.max(s.draws, Number(el.getAttribute(draws)) || 0);
        });
      };
      new MutationObserver(look).observe(document, { subtree: true, childList: true, attributes: true, attributeFilter: [live, draws] });
    }, { sel: hooks.chart.selector, live: hooks.chart.liveAttr, draws: hooks.chart.drawsAttr });
  }

  async newPage() {
    if (this.page && !this.page.isClosed()) await this.page.close({ runBeforeUnload: false });
    this.page = await this.context.newPage();
    this.page.on('dialog', (d) => {
      log(`${this.fe}: dialog "${d.message()}" dismissed`);
      d.dismiss().catch(() => {});
    });
  }

  // step runs f, bounded by ms, and logs it; on failure it saves a screenshot (with the element
  // this.focus selects in view) and names it in the error.
  async step(name, ms, f, focus = '') {
    const start = Date.now();
    this.focus = focus;
    try {
      const v = await withTimeout(f(), ms, `${this.fe}: ${name}`);
      log(`${this.fe}: ok: ${name} (${((Date.now() - start) / sec).toFixed(1)} s)`);
      if (everyStep) await screenshot(this.page, `${this.fe}-${name}`, this.focus);
      return v;
    } catch (e) {
      const shot = await screenshot(this.page, `${this.fe}-FAILED-${name}`, this.focus);
      e.message = `${name}: ${e.message}${shot ? `\n  screenshot: ${shot}` : ''}`;
      throw e;
    }
  }

  // notebook runs one notebook through the whole check, and returns its saved copy.
  async notebook(file, { reopen = true, explorer = true, failing = false } = {}) {
    const name = path.basename(file);
    const committed = readNotebook(file);
    const ncode = codeCells(committed).length;
    const nb = new Notebook(this, name);
    await this.step(`${name}: open`, T.open + 30 * sec, () => nb.open(ncode));
    if (!nb.fe.menuIDs) { // JupyterLab, Notebook 7: the menu paths the notebook names exist, as named
      for (const labels of hooks.menuPaths(committed)) {
        await this.step(`${name}: menu ${labels.join(' ▸ ')}`, 30 * sec, () => hooks.openMenuPath(this.page, nb.fe, labels, 10 * sec));
        await this.page.keyboard.press('Escape');
        await this.page.keyboard.press('Escape');
      }
    }
    await this.step(`${name}: Run All`, T.runAll + 30 * sec, () => nb.runAll());
    const saved = await this.step(`${name}: save`, T.save + 30 * sec, () => nb.save());
    const problems = problemsInFile(saved, name);
    if (failing) {
      await this.server.shutdownKernels(name);
      return problems;
    }
    if (problems.length) throw new Error(`${name}: ${problems.length} cells failed:\n  ${problems.join('\n  ')}`);
    const executed = codeCells(saved).filter((c) => c.execution_count != null).length;
    if (executed !== ncode) throw new Error(`${name}: ${executed} of ${ncode} code cells executed`);
    const want = chartsInFile(saved);
    const drawn = await this.step(`${name}: ${want} charts drawn after Run All`, T.charts + 30 * sec, () => nb.chartsDrawn(want, 'after Run All'));
    if (name === hooks.live.notebook) {
      // The chart's drawing count (kept by gdlib/plot per chart id in the page) proves the
      // drawings; whether this page's observer also caught the running chart in between depends
      // on how fast the kernel's messages came, so it is logged, not required.
      await this.step(`${name}: the live chart was drawn ≥ ${hooks.live.minDraws} times during Run All`, 30 * sec, async () => {
        const seen = await this.page.evaluate(() => window.__gdlessonLive);
        const ok = Object.values(seen).filter((s) => s.done && s.draws >= hooks.live.minDraws);
        if (!ok.length) {
          throw new Error(`live charts seen during Run All (by id: seen running, seen done, most drawings): ${JSON.stringify(seen)}; ` +
            `want one done and drawn ≥ ${hooks.live.minDraws} times (${hooks.chart.liveAttr}, ${hooks.chart.drawsAttr})`);
        }
        this.stats.liveDraws = Math.max(...ok.map((s) => s.draws));
        log(`${this.fe}: live chart: ${JSON.stringify(seen)}`);
      });
    }
    if (explorer && name === hooks.explorer.notebook) {
      await this.step(`${name}: explorer follows its select and slider by keyboard`, 4 * T.explorer + 30 * sec, () => this.explore(), `${hooks.frontEnds[this.fe].root} ${hooks.explorer.selector}`);
    }
    if (reopen) {
      await this.step(`${name}: ${want} charts drawn after a reload`, T.open + T.charts, async () => {
        await this.page.reload({ waitUntil: 'domcontentloaded', timeout: T.open });
        await poll(`${name}: code cells after reload`, T.open, async () =>
          (await this.page.locator(`${nb.fe.root} ${nb.fe.codeCell}`).count()) === ncode);
        await nb.chartsDrawn(want, 'after a reload');
      });
      await this.step(`${name}: ${want} charts drawn after closing, shutting its kernel down and reopening`, 2 * T.open + T.charts, async () => {
        await this.page.close({ runBeforeUnload: false });
        await this.server.shutdownKernels(name);
        await nb.open(ncode);
        await nb.chartsDrawn(want, 'after reopening');
      });
    }
    await this.server.shutdownKernels(name);
    this.stats.notebooks++;
    this.stats.cells += executed;
    this.stats.charts += drawn.length;
    return saved;
  }

  // explore uses 02's explorer by keyboard (explorer.mjs): ↓ ↑ on its select, Tab, → ← on its
  // first slider; the chart must show other data after each key, and nothing may collapse.
  async explore() {
    const p = this.page;
    const ex = p.locator(`${hooks.frontEnds[this.fe].root} ${hooks.explorer.selector}`);
    const n = await ex.count();
    if (n !== 1) throw new Error(`explorer: ${n} elements ${hooks.explorer.selector} in the page; want 1`);
    await ex.scrollIntoViewIfNeeded();
    const r = await moveExplorer(ex, T.explorer);
    log(`${this.fe}: explorer by keyboard: ${r.keys.join(' ')}: select ${r.was} → ${r.other} → ${r.was}, slider ${r.cur} → ${r.to} → ${r.cur}`);
    this.stats.sliders = 'ok';
  }

  // untrusted opens 02 as executed by docker/checks/nbrun.py (not signed by this server) and requires
  // a visible note in place of every chart, and no empty chart box.
  async untrusted(exported) {
    const name = path.basename(exported);
    const nbFile = readNotebook(exported);
    const want = chartsInFile(nbFile);
    if (!want) throw new Error(`${exported} holds no chart output`);
    const nb = new Notebook(this, name);
    await this.step(`${name} (executed elsewhere, untrusted): open`, T.open + 30 * sec, () => nb.open(codeCells(nbFile).length));
    await this.step(`${name} (untrusted): a note for each of its ${want} charts, no empty box`, T.charts + 30 * sec, async () => {
      const r = await poll(`${name}: notes visible`, T.charts, async () => {
        const r = await this.page.evaluate(({ h, root }) => {
          const rt = document.querySelector(root) || document;
          const visible = (el) => { const b = el.getBoundingClientRect(); return b.width > 0 && b.height > 0; };
          const notes = [...rt.querySelectorAll(h.note)].filter(visible).map((el) => el.textContent);
          const charts = [...rt.querySelectorAll(h.chart)].map((el) => ({
            id: el.id, drawn: el.getAttribute(h.drawnAttr), height: Math.round(el.getBoundingClientRect().height),
            text: el.innerText.trim().slice(0, 80),
          }));
          return { notes, charts };
        }, { h: { note: hooks.chart.untrustedNote, chart: hooks.chart.selector, drawnAttr: hooks.chart.drawnAttr }, root: nb.fe.root });
        return r.notes.length >= want ? r : { ok: false, ...r };
      });
      const drawn = r.charts.filter((c) => c.drawn === 'true');
      if (drawn.length) throw new Error(`${drawn.length} charts drew in the untrusted notebook: it was trusted, so this check proves nothing`);
      const blank = r.charts.filter((c) => c.height > 30 && !c.text);
      if (blank.length) throw new Error(`empty chart boxes: ${JSON.stringify(blank)}`);
      const wrong = r.notes.filter((t) => !hooks.chart.untrustedNoteText.test(t));
      if (wrong.length) throw new Error(`notes without ${hooks.chart.untrustedNoteText}: ${JSON.stringify(wrong.slice(0, 3))}`);
      this.stats.notes = r.notes.length;
    }, `${nb.fe.root} ${hooks.chart.untrustedNote}`);
    await this.server.shutdownKernels(name);
  }
}

// UsageError is a mistake in the suite's arguments or environment: reported without a stack.
class UsageError extends Error {}

// --- main ----------------------------------------------------------------------------------------

async function main() {
  const want = process.argv.slice(2);
  const order = ['jupyterlab', 'notebook7', 'classic'];
  for (const w of want) {
    if (!order.includes(w)) throw new UsageError(`unknown front end "${w}"; choose among ${order.join(', ')}`);
  }
  const fes = want.length ? order.filter((f) => want.includes(f)) : order;
  const only = (process.env.GDLESSON_BROWSER_NOTEBOOKS || '').split(',').filter(Boolean);
  let books = fs.readdirSync(path.join(repo, 'notebooks')).filter((f) => f.endsWith('.ipynb')).sort();
  if (only.length) {
    books = books.filter((b) => only.includes(b.replace(/\.ipynb$/, '')));
    if (!books.length) throw new UsageError(`GDLESSON_BROWSER_NOTEBOOKS=${only}: no such notebook in notebooks/`);
  }
  const files = books.map((b) => path.join(repo, 'notebooks', b));
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'gdlesson-browser-'));
  cleanups.push(() => fs.rmSync(work, { recursive: true, force: true }));
  log(`front ends ${fes.join(', ')}; notebooks ${books.join(', ')}; work folder ${work}; chromium ${chromiumPath}`);

  const browser = await chromium.launch(hooks.chromiumLaunch);
  cleanups.push(() => browser.close());
  log(`chromium ${browser.version()}`);

  // 02 executed elsewhere: by docker/checks/nbrun.py with Debian's nbclient, as docker/course/export.sh does.
  let exported = '';
  const exportSrc = files.find((f) => path.basename(f) === hooks.explorer.notebook);
  if (exportSrc) {
    const dir = path.join(work, 'export');
    copyRepo(dir, [exportSrc]);
    const start = Date.now();
    await withTimeout(new Promise((resolve, reject) => {
      const p = spawn(nbrunPython, [path.join(repo, 'docker', 'checks', 'nbrun.py'), '--timeout', '300', '--out', path.join(dir, 'out'),
        path.join(dir, 'notebooks', path.basename(exportSrc))], {
        env: { ...process.env, PATH: `/usr/local/go/bin:/usr/local/bin:${process.env.PATH}`, GDLESSON_BROWSER_RUN: runID,
          JUPYTER_RUNTIME_DIR: path.join(dir, 'runtime') },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let out = '';
      p.stdout.on('data', (d) => (out += d));
      p.stderr.on('data', (d) => (out += d));
      p.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`docker/checks/nbrun.py on ${exportSrc}: exit ${code}:\n${out.slice(-2000)}`))));
    }), T.export, 'executing 02 with docker/checks/nbrun.py');
    exported = path.join(work, `export-${path.basename(exportSrc)}`);
    fs.copyFileSync(path.join(dir, 'out', path.basename(exportSrc)), exported);
    log(`executed ${path.basename(exportSrc)} with docker/checks/nbrun.py for the untrusted check (${((Date.now() - start) / sec).toFixed(1)} s)`);
  }

  for (const [i, fe] of fes.entries()) {
    const start = Date.now();
    const run = new FrontEndRun(fe, browser, path.join(work, fe));
    fs.mkdirSync(run.work, { recursive: true });
    const spec = hooks.frontEnds[fe];
    const exe = spec.command(venv)[0];
    if (!fs.existsSync(exe)) {
      const why = `${exe} not found (${spec.needsVenv ? `the virtual environment ${venv}` : 'Debian\'s Jupyter'}; sudo bash docker/local/setup.sh installs it)`;
      if (process.env.CI) {
        results.push({ fe, ok: false, line: `browser: ${fe}: FAILED: ${why}` });
      } else {
        results.push({ fe, ok: true, skipped: true, line: `browser: ${fe}: skipped: ${why}` });
      }
      log(results.at(-1).line.replace(/^browser: /, ''));
      continue;
    }
    try {
      // The main server: every notebook, plus (first front end only) the failing one.
      const extra = [exported].filter(Boolean);
      if (i === 0) extra.push(failingCopy(run.work));
      const root = copyRepo(path.join(run.work, 'repo'), files, extra);
      run.server = new Server(fe, `${fe}-server`, { root, work: run.work });
      await run.step(`${spec.title} server on 127.0.0.1`, T.server + 30 * sec, () => run.server.start());
      await run.newContext();
      if (i === 0) {
        // The check must be able to fail: failing.ipynb's compile error must be found.
        const found = await run.notebook(path.join(root, 'failing.ipynb'), { failing: true });
        if (!found.some((p) => p.includes('undefined: notDeclared'))) {
          throw new Error(`failing.ipynb: the suite did not find its compile error; it found: ${JSON.stringify(found)}`);
        }
        log(`${fe}: ok: failing.ipynb's errors are found (${found.length}: ${found[0].split(': ').slice(0, 2).join(': ')} …)`);
      }
      for (const f of files) await run.notebook(path.join(root, path.basename(f)));
      if (exported) await run.untrusted(path.join(root, path.basename(exported)));
      await run.server.stop();

      // Behind a base URL, over HTTPS: 02's charts and explorer.
      if (exportSrc) {
        const root2 = copyRepo(path.join(run.work, 'repo-https'), [exportSrc]);
        run.server = new Server(fe, `${fe}-https`, { root: root2, baseURL: '/user/test/', https: true, work: run.work });
        await run.step(`${spec.title} server at https://127.0.0.1:…/user/test/`, T.server + 30 * sec, () => run.server.start());
        await run.newContext();
        const before = { ...run.stats };
        run.stats.sliders = '';
        await run.notebook(path.join(root2, path.basename(exportSrc)), { reopen: false });
        Object.assign(run.stats, { notebooks: before.notebooks, cells: before.cells, charts: before.charts });
        run.stats.sliders = before.sliders === 'ok' && run.stats.sliders === 'ok' ? 'ok' : 'not ok';
        run.stats.https = 'ok';
        await run.server.stop();
      }
      const s = run.stats;
      const parts = [`${s.notebooks} notebooks`, `${s.cells} cells`, `${s.charts} charts drawn`];
      if (s.sliders) parts.push(`sliders ${s.sliders}${s.https ? ' (also at /user/test/ over HTTPS)' : ''}`);
      if (s.liveDraws) parts.push(`live chart drawn ${s.liveDraws} times`);
      if (s.notes) parts.push(`untrusted export: ${s.notes} notes`);
      results.push({ fe, ok: true, line: `browser: ${fe}: ${parts.join(', ')}` });
    } catch (e) {
      log(`${fe}: FAILED: ${e.message}`);
      results.push({ fe, ok: false, line: `browser: ${fe}: FAILED: ${e.message.split('\n')[0]}` });
    } finally {
      await run.context?.close().catch(() => {});
      await run.server?.stop().catch(() => {});
      log(`${fe}: ${((Date.now() - start) / sec).toFixed(0)} s`);
    }
  }
  return summary();
}

// summary prints one line per front end and the totals; it returns the exit status.
const results = [];
function summary() {
  if (shotDir && shotCount) log(`screenshots in ${shotDir}`);
  for (const r of results) console.log(r.line);
  const passed = results.filter((r) => r.ok && !r.skipped).length;
  const failed = results.filter((r) => !r.ok).length;
  const skipped = results.filter((r) => r.skipped).length;
  console.log(`browser: ${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
  return failed ? 1 : 0;
}

let code = 1;
const overall = setTimeout(async () => {
  log(`the whole suite took longer than ${overallTimeout / sec} s (GDLESSON_BROWSER_TIMEOUT); stopping`);
  results.push({ ok: false, line: `browser: FAILED: the whole suite took longer than ${overallTimeout / sec} s` });
  summary();
  await cleanup();
  process.exit(1);
}, overallTimeout);
try {
  code = await main();
} catch (e) {
  console.log(`browser: error: ${e instanceof UsageError ? e.message : e.stack || e.message}`);
  console.log('browser: 0 passed, 1 failed');
}
clearTimeout(overall);
await cleanup();
process.exit(code);
