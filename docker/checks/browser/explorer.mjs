// docker/checks/browser/explorer.mjs — drives 02's optimizer explorer (gdlib/plot's Options.Explore) the
// way a learner does, with the keyboard, for the browser suite and the hub's browser test.
import * as hooks from './hooks.mjs';
import { poll } from './poll.mjs';

// moveExplorer uses the explorer ex (a playwright locator of one hooks.explorer.selector element)
// by keyboard, as a learner does in the front end's command mode: it clicks the label of its
// select (which focuses the select), presses ↓ and ↑, then Tab to its first slider and presses →
// and ← (each the other way round when the control is at that end). After every key the control
// must have moved by one step, the chart must show other data within ms, the explorer must still
// be visible and no cell of the page may have been hidden (← collapses the heading above in
// JupyterLab's command mode when the key reaches the notebook). It returns what it did:
// { was, other } for the select, { cur, to } for the slider (the values after the first key of
// each), and keys, the keys pressed.
export async function moveExplorer(ex, ms) {
  const page = ex.page();
  const data = () => ex.evaluate((el, sel) => {
    const c = el.querySelector(sel);
    const ec = c && window.echarts && window.echarts.getInstanceByDom(c);
    return ec ? JSON.stringify(ec.getOption().series.map((s) => s.data)) : '';
  }, hooks.chart.selector);
  // The cells the page shows: a collapsed heading hides the cells below it.
  const visibleCells = () => page.evaluate((sel) =>
    [...document.querySelectorAll(sel)].filter((c) => c.getClientRects().length > 0).length, hooks.explorer.cells);
  const cellsBefore = await visibleCells();
  let shown = await data();
  if (!shown) throw new Error('explorer: its chart is not drawn');

  const select = ex.locator(hooks.explorer.select).first();
  const range = ex.locator(hooks.explorer.range).first();
  const keys = [];

  // press presses key with the control focused and requires the control's value to become want
  // and the chart to show other data than before, the explorer still in view.
  async function press(control, name, key, want) {
    const focused = await control.evaluate((c) => c === document.activeElement);
    if (!focused) throw new Error(`explorer: the ${name} lost the focus before ${key}`);
    await page.keyboard.press(key);
    keys.push(key);
    const before = shown;
    shown = await poll(`explorer: the chart changes after ${key} on the ${name} (value ${want} wanted)`, ms, async () => {
      const v = await control.inputValue();
      const d = await data();
      return v === String(want) && d && d !== before ? d : { ok: false, value: v };
    });
    if (!(await ex.isVisible())) throw new Error(`explorer: hidden after ${key} on the ${name} (a heading above it collapsed?)`);
    const cells = await visibleCells();
    if (cells !== cellsBefore) {
      throw new Error(`explorer: ${cellsBefore} cells visible before the keys, ${cells} after ${key} on the ${name}: a heading collapsed`);
    }
  }

  // The select: a click on its label focuses it, as it does for a learner.
  const options = await select.evaluate((s) => [...s.options].map((o) => o.value));
  const was = await select.inputValue();
  const at = options.indexOf(was);
  if (options.length < 2) throw new Error(`explorer: its select has no other option than ${was}`);
  const label = ex.locator('label', { has: page.locator(hooks.explorer.select) }).first();
  await label.click({ position: { x: 3, y: 8 } });
  await poll('explorer: the select has the focus after a click on its label', ms, () =>
    select.evaluate((s) => s === document.activeElement));
  const [down, up] = at + 1 < options.length ? ['ArrowDown', 'ArrowUp'] : ['ArrowUp', 'ArrowDown'];
  const other = options[at + (down === 'ArrowDown' ? 1 : -1)];
  await press(select, 'select', down, other);
  await press(select, 'select', up, was);

  // The slider: Tab from the select.
  await page.keyboard.press('Tab');
  keys.push('Tab');
  await poll('explorer: the first slider has the focus after Tab from the select', ms, () =>
    range.evaluate((r) => r === document.activeElement));
  const [lo, hi, cur] = await range.evaluate((r) => [r.min, r.max, r.value].map(Number));
  const [fwd, back] = cur < hi ? ['ArrowRight', 'ArrowLeft'] : ['ArrowLeft', 'ArrowRight'];
  const to = cur < hi ? cur + 1 : cur - 1;
  if (hi <= lo) throw new Error(`explorer: its slider has one position (${lo} to ${hi})`);
  await press(range, 'slider', fwd, to);
  await press(range, 'slider', back, cur);
  return { cur, to, was, other, keys };
}
