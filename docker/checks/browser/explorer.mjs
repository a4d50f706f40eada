// docker/checks/browser/explorer.mjs — drives 02's optimizer explorer (gdlib/plot's Options.Explore) the
// way a learner does, for the browser suite and the hub's browser test.
import * as hooks from './hooks.mjs';
import { poll } from './poll.mjs';

// moveExplorer moves the first slider of the explorer ex (a playwright locator of one
// hooks.explorer.selector element) to its other end, then chooses another option in its select,
// and requires the explorer's chart to show other data after each, within ms each. It returns
// what it did: { cur, to } for the slider and { was, other } for the select.
export async function moveExplorer(ex, ms) {
  const data = () => ex.evaluate((el, sel) => {
    const c = el.querySelector(sel);
    const ec = c && window.echarts && window.echarts.getInstanceByDom(c);
    return ec ? JSON.stringify(ec.getOption().series.map((s) => s.data)) : '';
  }, hooks.chart.selector);
  const before = await data();
  if (!before) throw new Error('explorer: its chart is not drawn');
  const range = ex.locator(hooks.explorer.range).first();
  const [lo, hi, cur] = await range.evaluate((r) => [r.min, r.max, r.value].map(Number));
  const to = cur === hi ? lo : hi;
  await range.fill(String(to));
  const afterRange = await poll(`explorer: the chart changes after its slider moved from ${cur} to ${to}`, ms,
    async () => { const d = await data(); return d && d !== before ? d : false; });
  const select = ex.locator(hooks.explorer.select).first();
  const was = await select.inputValue();
  const other = (await select.evaluate((s) => [...s.options].map((o) => o.value))).find((o) => o !== was);
  if (!other) throw new Error(`explorer: its select has no other option than ${was}`);
  await select.selectOption(other);
  await poll(`explorer: the chart changes after choosing ${other} instead of ${was}`, ms,
    async () => { const d = await data(); return d && d !== afterRange ? d : false; });
  return { cur, to, was, other };
}
