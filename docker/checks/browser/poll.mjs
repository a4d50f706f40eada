// docker/checks/browser/poll.mjs — waiting for a page: the browser suite (suite.mjs), the hub's browser
// test (docker/hub/loadtest/hub_browser.mjs) and the explorer check (explorer.mjs) wait the same way.

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// poll calls f every 500 ms until it returns a truthy value (and not an object with ok: false),
// and returns that value; after ms it throws "WHAT: not so after N s", with the last value f
// returned described by explain.
export async function poll(what, ms, f, explain = (v) => JSON.stringify(v).slice(0, 800)) {
  const end = Date.now() + ms;
  let last;
  for (;;) {
    last = await f();
    if (last && last.ok !== false) return last;
    if (Date.now() > end) throw new Error(`${what}: not so after ${ms / 1000} s; last seen: ${explain(last)}`);
    await sleep(500);
  }
}
