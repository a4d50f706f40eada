"""Run notebooks through a Jupyter server's API, as a learner's browser does.

    /usr/bin/python3 docker/image/nbapi.py --url http://127.0.0.1:8888 --token TOKEN NOTEBOOK...

NOTEBOOK is a path relative to the server's root folder. For each one it reads the notebook
through the contents API (GET /api/contents/NOTEBOOK), starts a session for it (POST
/api/sessions, so the kernel starts in the notebook's folder), sends every code cell as an
execute_request over the kernel's WebSocket (/api/kernels/ID/channels) and collects what the
kernel sends back for it; then it ends the session (DELETE /api/sessions/ID: a shutdown request,
so the kernel's gopls ends too). A cell fails as docker/checks/nbrun.py judges it (an error output,
GoNB's HTML error report, "exit status N" on stderr), or when its execute_reply is not "ok".

Before the notebooks it checks the login: GET /api/status without a token must be refused
(403) and with the token must answer 200. --ui lab|notebook also checks the front end: the page
/lab (or /tree) must be JupyterLab 4 (or Notebook 7), as its page configuration names it.

The first chart: --max-first-chart SECONDS fails a notebook when its first cell with an ECharts
chart output, or any cell before it, took longer. The kernel is new, so one of these cells
compiles gdlib's packages (gonum, go-echarts) unless the build cache is warm: with a cold cache
that cell takes 9-17 s, with a warm one under a second. --chart NOTEBOOK (repeatable) fails
that notebook when it gave no chart output.

A learner's save, and whether it is kept: --save-note TEXT adds a Markdown cell with TEXT at the
end of the first NOTEBOOK after it ran and saves it (PUT /api/contents/NOTEBOOK, as Jupyter's
Save does); --expect-note TEXT first checks that the first NOTEBOOK, as the server reads it,
ends with that cell (run it against a new container on the same storage).

Uses only Debian's python3-tornado and python3-nbformat (run with /usr/bin/python3). Exit
status: 0 when every cell of every notebook ran cleanly, 1 otherwise; every line it prints
names the step.
"""

import argparse
import asyncio
import json
import os
import re
import sys
import time
import uuid

import nbformat
from tornado import httpclient, ioloop, websocket
from tornado.httputil import url_concat

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "checks"))
from nbrun import cell_problems, describe  # noqa: E402  (the same judge as go test and export)


class Failure(Exception):
    pass


async def request(base, token, method, path, body=None, expect=(200,)):
    """Calls the REST API; returns the decoded JSON (or None) when the status is expected."""
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = "token " + token
    req = httpclient.HTTPRequest(
        base + path, method=method, headers=headers,
        body=None if body is None else json.dumps(body),
        allow_nonstandard_methods=True, request_timeout=120, follow_redirects=False)
    try:
        resp = await httpclient.AsyncHTTPClient().fetch(req, raise_error=False)
    except OSError as e:
        raise Failure("%s %s: cannot connect: %s" % (method, path, e))
    if resp.code not in expect:
        raise Failure("%s %s%s: HTTP %d, expected %s: %s" % (
            method, path, "" if token else " (no token)", resp.code, " or ".join(map(str, expect)),
            (resp.body or b"")[:300].decode("utf-8", "replace")))
    return json.loads(resp.body) if resp.body else None


async def check_login(base, token):
    await request(base, None, "GET", "/api/status", expect=(403,))
    await request(base, "not-" + token, "GET", "/api/status", expect=(403,))
    status = await request(base, token, "GET", "/api/status", expect=(200,))
    print("ok   login: /api/status answers 403 without the token, 403 with a wrong one, 200 with it "
          "(%d kernels running)" % status.get("kernels", -1), flush=True)


UIS = {"lab": ("/lab", "JupyterLab", "4."), "notebook": ("/tree", "Jupyter Notebook", "7.")}


async def check_ui(base, token, ui):
    """The server's front end, from the page configuration its page embeds."""
    page, want_name, want_version = UIS[ui]
    req = httpclient.HTTPRequest(base + page, headers={"Authorization": "token " + token},
                                 request_timeout=60, follow_redirects=False)
    resp = await httpclient.AsyncHTTPClient().fetch(req, raise_error=False)
    if resp.code != 200:
        raise Failure("GET %s: HTTP %d, expected 200 (the %s page)" % (page, resp.code, want_name))
    m = re.search(rb'<script id="jupyter-config-data" type="application/json">(.*?)</script>',
                  resp.body or b"", re.S)
    if not m:
        raise Failure("GET %s: no jupyter-config-data in the page (not JupyterLab or Notebook 7?)" % page)
    config = json.loads(m.group(1))
    name, version = config.get("appName", ""), config.get("appVersion", "")
    if name != want_name or not version.startswith(want_version):
        raise Failure("GET %s: the front end is %r %r, expected %s %sx" % (
            page, name, version, want_name, want_version))
    server = await request(base, token, "GET", "/api")
    print("ok   front end: %s serves %s %s (jupyter_server %s)" % (
        page, name, version, (server or {}).get("version", "?")), flush=True)


def to_output(msg):
    """Turns an iopub message into an nbformat output, or None."""
    kind, c = msg["header"]["msg_type"], msg["content"]
    if kind == "stream":
        return nbformat.v4.new_output("stream", name=c["name"], text=c["text"])
    if kind in ("display_data", "execute_result"):
        return nbformat.v4.new_output(kind, data=c.get("data", {}), metadata=c.get("metadata", {}),
                                      **({"execution_count": c.get("execution_count")}
                                         if kind == "execute_result" else {}))
    if kind == "error":
        return nbformat.v4.new_output("error", ename=c.get("ename", ""), evalue=c.get("evalue", ""),
                                      traceback=c.get("traceback", []))
    return None


async def execute(ws, session, code):
    """Sends one execute_request; returns (outputs, reply status) once the reply and the
    kernel's idle status for it have both come. The caller bounds its time."""
    msg_id = uuid.uuid4().hex
    ws.write_message(json.dumps({
        "channel": "shell",
        "header": {"msg_id": msg_id, "msg_type": "execute_request", "session": session,
                   "username": "learner", "version": "5.3", "date": ""},
        "parent_header": {}, "metadata": {}, "buffers": [],
        "content": {"code": code, "silent": False, "store_history": True,
                    "user_expressions": {}, "allow_stdin": False, "stop_on_error": True},
    }))
    outputs, reply, idle = [], None, False
    while reply is None or not idle:
        raw = await ws.read_message()
        if raw is None:
            raise Failure("the kernel's WebSocket closed (the kernel died?)")
        if isinstance(raw, bytes):  # a binary frame: only buffers, which these cells do not send
            continue
        msg = json.loads(raw)
        if msg.get("parent_header", {}).get("msg_id") != msg_id:
            continue
        kind = msg["header"]["msg_type"]
        if msg.get("channel") == "shell" and kind == "execute_reply":
            reply = msg["content"].get("status")
        elif msg.get("channel") == "iopub":
            if kind == "status" and msg["content"].get("execution_state") == "idle":
                idle = True
            else:
                out = to_output(msg)
                if out is not None:
                    outputs.append(out)
    return outputs, reply


def is_chart(outputs):
    """True when a cell's outputs hold an ECharts chart (gdlib/plot's HTML)."""
    for out in outputs:
        page = out.get("data", {}).get("text/html", "") if out.get("output_type") == "display_data" else ""
        if "echarts" in ("".join(page) if isinstance(page, list) else page):
            return True
    return False


async def run_notebook(base, ws_base, token, path, timeout, max_first_chart=None, want_charts=False):
    start = time.monotonic()
    nb = await read_notebook(base, token, path)
    name = nb.metadata.get("kernelspec", {}).get("name", "gonb")
    sess = await request(base, token, "POST", "/api/sessions", expect=(200, 201), body={
        "path": path, "name": os.path.basename(path), "type": "notebook", "kernel": {"name": name}})
    kid = sess["kernel"]["id"]
    failures, times, ran = [], [], 0
    try:
        session = uuid.uuid4().hex
        req = httpclient.HTTPRequest(
            url_concat(ws_base + "/api/kernels/%s/channels" % kid, {"session_id": session}),
            headers={"Authorization": "token " + token}, request_timeout=60)
        try:
            ws = await websocket.websocket_connect(req, max_message_size=256 << 20)
        except Exception as e:
            raise Failure("%s: the kernel's WebSocket: %s" % (path, e))
        try:
            for index, cell in enumerate(nb.cells):
                if cell.cell_type != "code":
                    continue
                t0 = time.monotonic()
                try:
                    outputs, reply = await asyncio.wait_for(execute(ws, session, cell.source), timeout)
                except asyncio.TimeoutError:
                    failures.append((index, ["no reply within %d s" % timeout]))
                    break
                except Failure as e:
                    failures.append((index, [str(e)]))
                    break
                times.append((time.monotonic() - t0, index, is_chart(outputs)))
                ran += 1
                cell.outputs = outputs
                cell.execution_count = ran
                problems = cell_problems(cell)
                if reply != "ok" and not problems:
                    problems = ["execute_reply status %r" % reply]
                if problems:
                    failures.append((index, problems))
        finally:
            ws.close()
    finally:
        await request(base, token, "DELETE", "/api/sessions/" + sess["id"], expect=(204,))
    charts = [(t, i) for t, i, chart in times if chart]
    if want_charts and not charts and not failures:
        failures.append((None, ["no cell gave a chart (an ECharts display_data output)"]))
    # The cells a learner waits for until the first chart: up to and including it.
    upto = times[:[i for _, i, _ in times].index(charts[0][1]) + 1] if charts else []
    slow = max(upto, default=None)
    if max_first_chart is not None and slow is not None and slow[0] > max_first_chart:
        failures.append((slow[1], ["this cell took %.2f s, more than %.1f s, before the first chart came "
                                   "(are the image's Go caches warm?)" % (slow[0], max_first_chart)]))
    for index, problems in failures:
        print("FAIL %s: %s:" % (path, "the notebook" if index is None else describe(nb, index)))
        for p in problems:
            print("\n".join("    " + ln for ln in p.splitlines()))
    first = times[0][0] if times else 0
    print("%s %s: %d code cells in %.1f s through the server's API; first cell %.2f s, "
          "slowest %.2f s%s" % (
              "ok  " if not failures else "FAIL", path, ran, time.monotonic() - start, first,
              max((t for t, _, _ in times), default=0),
              ", first chart cell %.2f s (the slowest cell up to it %.2f s)" % (charts[0][0], slow[0])
              if charts else ""), flush=True)
    return not failures


async def read_notebook(base, token, path):
    model = await request(base, token, "GET", "/api/contents/" + path + "?content=1&type=notebook")
    return nbformat.from_dict(model["content"])


async def expect_note(base, token, path, text):
    nb = await read_notebook(base, token, path)
    last = nb.cells[-1] if nb.cells else None
    if last is None or last.cell_type != "markdown" or last.source != text:
        raise Failure("%s: the learner's saved cell %r is not there: the last cell is %r" % (
            path, text, last.source[:80] if last else None))
    print("ok   %s: the cell the learner saved before the restart is there (%d cells)" % (
        path, len(nb.cells)), flush=True)


async def save_note(base, token, path, text):
    nb = await read_notebook(base, token, path)
    nb.cells.append(nbformat.v4.new_markdown_cell(text))
    await request(base, token, "PUT", "/api/contents/" + path, expect=(200, 201), body={
        "type": "notebook", "format": "json", "content": nb})
    print("ok   %s: saved with a new last cell %r" % (path, text), flush=True)


async def main_async(args):
    base = args.url.rstrip("/")
    ws_base = "ws" + base[len("http"):]
    try:
        await check_login(base, args.token)
        if args.ui:
            await check_ui(base, args.token, args.ui)
        if args.expect_note:
            await expect_note(base, args.token, args.notebooks[0], args.expect_note)
        ok = True
        for path in args.notebooks:
            ok = await run_notebook(base, ws_base, args.token, path, args.timeout,
                                    args.max_first_chart, path in (args.chart or [])) and ok
        if ok and args.save_note:
            await save_note(base, args.token, args.notebooks[0], args.save_note)
        return 0 if ok else 1
    except Failure as e:
        print("FAIL %s" % e, flush=True)
        return 1


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--url", required=True, help="the server's address, e.g. http://127.0.0.1:8888")
    ap.add_argument("--token", required=True, help="the server's login token")
    ap.add_argument("--timeout", type=int, default=600, help="seconds per cell (default 600)")
    ap.add_argument("--save-note", metavar="TEXT", help="save the first notebook with a new last cell")
    ap.add_argument("--expect-note", metavar="TEXT", help="the first notebook must end with this cell")
    ap.add_argument("--ui", choices=sorted(UIS), help="the front end the server must serve")
    ap.add_argument("--max-first-chart", type=float, metavar="SECONDS",
                    help="fail when a cell up to a notebook's first chart takes longer")
    ap.add_argument("--chart", action="append", metavar="NOTEBOOK",
                    help="fail when NOTEBOOK gives no chart (repeatable)")
    ap.add_argument("notebooks", nargs="+", help="paths relative to the server's root folder")
    args = ap.parse_args()
    if args.max_first_chart is not None and not args.max_first_chart > 0:
        ap.error("--max-first-chart must be a positive number of seconds, not %r" % args.max_first_chart)
    for path in args.chart or []:
        if path not in args.notebooks:
            ap.error("--chart %r names a notebook that is not run (run: %s)" % (path, " ".join(args.notebooks)))
    if not args.url.startswith(("http://", "https://")):
        ap.error("--url must start with http:// or https://, not %r" % args.url)
    sys.exit(ioloop.IOLoop.current().run_sync(lambda: main_async(args)))


if __name__ == "__main__":
    main()
