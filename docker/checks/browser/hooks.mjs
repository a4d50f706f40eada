// docker/checks/browser/hooks.mjs — everything the browser suite knows about the pages it drives, in one
// place: the hooks that gdlib/plot puts into chart outputs, and each front end's own classes,
// menus and URLs. When gdlib/plot or a front end changes its markup, change it here.
import * as cellrule from '../cellrule/cellrule.mjs';
import { poll } from './poll.mjs';

// Chart outputs: the hooks that gdlib/plot documents for browser tests (gdlib/plot/doc.go,
// "Hooks for browser tests").
export const chart = {
  // every chart's <div>; ECharts draws into it (echarts.getInstanceByDom finds the instance)
  selector: '.gdlesson-chart',
  // set to "true" on the <div> once the chart was drawn
  drawnAttr: 'data-gdlesson-drawn',
  // how many times the chart (by id) was drawn in this page: a live chart's updates and its
  // final chart included
  drawsAttr: 'data-gdlesson-draws',
  // on a live chart (plot.Live): "running" while it grows, "done" on its final chart
  liveAttr: 'data-gdlesson-live',
  // the static note a chart's <div> holds until its script runs, where the page refused to run
  // it (an untrusted notebook); it must say, in Japanese, to trust the notebook
  untrustedNote: '.gdlesson-note-untrusted',
  untrustedNoteText: /信頼/,
  // how many charts an HTML output holds: each chart's <div> carries the class
  countInHTML(html) {
    return (html.match(/<div\b[^>]*\bclass="(?:[^"]*\s)?gdlesson-chart(?:\s[^"]*)?"/g) || []).length;
  },
};

// 02's optimizer explorer: a <select> of the optimizer and range inputs, redrawing its chart in
// the browser without a kernel; by keyboard too (explorer.mjs presses the keys).
export const explorer = {
  notebook: '02_optimizers.ipynb',
  selector: '.gdlesson-explorer',
  // its controls, disabled until its chart is drawn, listening to the "input" event
  select: 'select.gdlesson-control',
  range: 'input[type="range"].gdlesson-control',
  // the cells of every front end (JupyterLab and Notebook 7, classic): a heading that collapses
  // hides those below it
  cells: '.jp-Cell, .cell',
};

// The live chart: 02's edit cell trains with plot.Live. During one run the page must show it
// running, then drawn at least minDraws times in all (its first drawing, its updates in place,
// its final chart).
export const live = {
  notebook: '02_optimizers.ipynb',
  minDraws: 2,
};

// What in a saved notebook's cell says it failed: the one rule of docker/checks/nbrun.py, the load
// test and these tests (docker/checks/cellrule/rule.json): an error output, GoNB's HTML error
// report, or a stderr line "exit status N" (a failed ! command, for which GoNB sends no error output).
export function outputProblems(cell) {
  return cellrule.problems(cell.outputs).map((p) =>
    p.kind === cellrule.REPORT ? `${p.kind}: ${htmlText(p.text).slice(0, 300)}`
      : p.kind === cellrule.COMMAND_FAILED ? `stderr: ${p.text.trim().slice(-300)}`
        : `${p.kind}: ${p.text}`);
}

export function text(v) {
  return Array.isArray(v) ? v.join('') : String(v ?? '');
}

function htmlText(html) {
  return html.replace(/<style[\s\S]*?<\/style>/g, '').replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim();
}

// The front ends. Each names its server command, the traitlets class of its server options,
// the URL of a notebook, and how its page shows cells, prompts, menus and the kernel.
const lab = {
  app: 'ServerApp',
  root: '.jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook',
  cell: '.jp-Cell',
  codeCell: '.jp-CodeCell',
  prompt: '.jp-InputArea-prompt',
  // the menu bar: a top menu's label, then the item's label. The menus are Japanese
  // (jupyterlab-language-pack-ja-jp, the default that docker/local/setup.sh sets); the English
  // labels of the same items are "Run ▸ Run All Cells" and "File ▸ Save Notebook".
  menu: { bar: '.lm-MenuBar-itemLabel', item: '.lm-Menu-itemLabel' },
  runAll: ['実行', 'すべてのセルを実行'],
  save: ['ファイル', 'Notebook を保存'],
  // the toolbar's kernel name: "No Kernel" (カーネルなし) until the page has the notebook's kernel
  kernelName: '.jp-NotebookPanel:not(.lm-mod-hidden) .jp-KernelName',
};

export const frontEnds = {
  jupyterlab: {
    ...lab,
    title: 'JupyterLab',
    command: (venv) => [`${venv}/bin/jupyter`, 'lab'],
    needsVenv: true,
    // ?reset starts from an empty workspace, so only this notebook is open
    notebookURL: (name) => `lab/tree/${encodeURIComponent(name)}?reset`,
  },
  notebook7: {
    ...lab,
    title: 'Notebook 7',
    command: (venv) => [`${venv}/bin/jupyter`, 'notebook'],
    needsVenv: true,
    notebookURL: (name) => `notebooks/${encodeURIComponent(name)}`,
  },
  classic: {
    title: 'classic Notebook',
    app: 'NotebookApp',
    command: () => ['/usr/bin/jupyter', 'notebook'],
    needsVenv: false,
    notebookURL: (name) => `notebooks/${encodeURIComponent(name)}`,
    root: '#notebook-container',
    cell: '.cell',
    codeCell: '.code_cell',
    prompt: '.input_prompt',
    // the classic menus have ids: the top menu's, then the item's
    // the kernel indicator when the kernel is idle (the server's REST state can stay "starting")
    kernelIdle: '#kernel_indicator_icon.kernel_idle_icon',
    menuIDs: true,
    runAll: ['#celllink', '#run_all_cells'],
    save: ['#filelink', '#save_checkpoint'],
  },
};

// The menu paths a notebook names for the learner, in its markdown cells: each label in 「」,
// joined by ▸ (「カーネル」▸「カーネルを再起動 と すべてのセルを実行…」). The same pattern as
// docker/internal/ipynb's menuPath (its test compares the two).
export const menuPathPattern = /「[^「」]+」(?:\s*▸\s*「[^「」]+」)+/g;

// menuPaths returns the menu paths that a notebook's markdown cells name, each as its labels,
// each path once.
export function menuPaths(nb) {
  const seen = new Map();
  for (const c of nb.cells) {
    if (c.cell_type !== 'markdown') continue;
    for (const m of text(c.source).match(menuPathPattern) || []) {
      const labels = m.split('▸').map((l) => l.trim().replace(/^「|」$/g, ''));
      seen.set(labels.join('\0'), labels);
    }
  }
  return [...seen.values()];
}

// openMenuPath opens a menu path of JupyterLab's or Notebook 7's menu bar by clicking, as a learner
// does, and fails unless each label is in the menu that the one before it opened, as it is.
// It leaves the last item under the pointer, not chosen; Escape closes the menus.
export async function openMenuPath(page, fe, labels, timeout) {
  const exactly = (l) => new RegExp(`^${l.replace(/[.*+?^$()|[\]{}\\]/g, '\\$&')}$`);
  await page.keyboard.press('Escape');
  await page.locator(fe.menu.bar, { hasText: exactly(labels[0]) }).first().click({ timeout });
  for (const [i, label] of labels.slice(1).entries()) {
    // only the last menu opened: the same label in another menu does not count
    const item = page.locator('.lm-Menu').last().locator(fe.menu.item).filter({ hasText: exactly(label) }).first();
    await item.waitFor({ state: 'visible', timeout });
    if (i < labels.length - 2) await item.click({ timeout }); // a submenu
    else await item.hover({ timeout });
  }
}

// gonbDisplayName is the kernel's name in the page: the display_name of GoNB's kernel spec
// (written by `gonb --install`).
export const gonbDisplayName = 'Go (gonb)';

// kernelInPage waits until the notebook's toolbar names its kernel, gonbDisplayName (JupyterLab and
// Notebook 7), as a learner waits before the first Shift+Enter: a cell run while the page has
// no kernel yet opens the "select a kernel" dialog or is dropped, and does not run. (The
// toolbar's execution indicator says "unknown" until GoNB's first reply: no use here.) It
// returns the seconds waited.
export async function kernelInPage(page, fe, timeout) {
  const t0 = Date.now();
  await poll(`the toolbar names the kernel ${gonbDisplayName}`, timeout, async () => {
    const shown = await page.locator(fe.kernelName).first().innerText({ timeout: 1000 }).catch(() => null);
    return shown?.trim() === gonbDisplayName ? { ok: true } : { ok: false, shown };
  });
  return (Date.now() - t0) / 1000;
}

// How every browser test starts Debian's chromium (playwright-core's chromium.launch): headless,
// offline, without first-run, background, update or sync work.
export const chromiumLaunch = {
  executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  timeout: 60 * 1000,
};

// The address where every server serves ECharts (docker/local/setup.sh and docker/local/start.sh set that up),
// relative to the server's base URL.
export const echartsPath = 'static/gdlesson/echarts-5.6.0.min.js';
