#!/usr/local/share/gdlesson/venv/bin/python3
"""startcost: where one learner's server start goes, in CPU seconds, by part.

    sudo GDLESSON_LOADTEST_NETNS=1 GDLESSON_LOADTEST_BIN=$PWD/docker/hub/loadtest/startcost.py \
        unshare --net bash docker/hub/loadtest/run.sh -learners 3

run.sh starts a hub of its own, offline, and runs this (with the venv's Python) instead of the
load test. Learners PREFIX001… are started one after the other on a quiet machine; for each:
the hub's own CPU seconds from the spawn request until the server is ready (the spawner's steps,
whose wall-clock times the hub logs as "prepared NAME's server in …"), the server's CPU seconds
until ready, then a GoNB kernel for the notebook and its first code cell: the CPU seconds of
the kernel (gonb with the go builds it waited for), of gopls and of the server, right after the
cell and again after 10 s; then, 15 s after the kernel's start (GoNB has connected to gopls),
gopls's CPU seconds and memory (PSS), a Tab after "gdlib." (its reply's time) and gopls's CPU
seconds and memory 10 s after it. It prints one row per learner and the medians. Its learners
are removed by run.sh.
"""

import argparse
import asyncio
import json
import os
import pwd
import re
import ssl
import statistics
import sys
import time
import urllib.request
import uuid

from tornado.httpclient import HTTPRequest
from tornado.websocket import websocket_connect

HZ = os.sysconf("SC_CLK_TCK")


def proc_cpu(pid, children=True):
    """utime+stime (and, with children, those of the children it waited for) of pid, in seconds."""
    with open(f"/proc/{pid}/stat") as f:
        raw = f.read()
    fs = raw[raw.rindex(")") + 2 :].split()
    n = int(fs[11]) + int(fs[12])
    if children:
        n += int(fs[13]) + int(fs[14])
    return n / HZ


def by_comm(uid):
    """CPU seconds of every live process of uid, summed by process name."""
    out = {}
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            if os.stat(f"/proc/{d}").st_uid != uid:
                continue
            with open(f"/proc/{d}/comm") as f:
                comm = f.read().strip()
            out[comm] = out.get(comm, 0) + proc_cpu(d)
        except (OSError, ValueError):
            continue
    return out


class Hub:
    def __init__(self, url, token, cacert):
        self.url, self.token = url.rstrip("/"), token
        self.ctx = ssl.create_default_context(cafile=cacert) if cacert else None

    def call(self, method, path, token=None, body=None):
        req = urllib.request.Request(self.url + path, method=method, data=json.dumps(body).encode() if body is not None else None)
        req.add_header("Authorization", "token " + (token or self.token))
        req.add_header("Content-Type", "application/json")
        with urllib.request.urlopen(req, timeout=120, context=self.ctx) as r:
            raw = r.read()
        return json.loads(raw) if raw else None


async def first_cell(hub, name, token, notebook, code):
    """Opens a session with a GoNB kernel for notebook and runs code; returns the cell's seconds."""
    base = "/user/" + name
    s = hub.call("POST", base + "/api/sessions", token,
                 {"path": notebook, "type": "notebook", "name": notebook, "kernel": {"name": "gonb"}})
    ws_url = hub.url.replace("http", "ws", 1) + base + "/api/kernels/" + s["kernel"]["id"] + "/channels"
    ws = await websocket_connect(HTTPRequest(ws_url, headers={"Authorization": "token " + token}, ssl_options=hub.ctx))
    msg_id = uuid.uuid4().hex
    ws.write_message(json.dumps({
        "header": {"msg_id": msg_id, "username": "startcost", "session": uuid.uuid4().hex, "msg_type": "execute_request", "version": "5.3"},
        "parent_header": {}, "metadata": {}, "channel": "shell", "buffers": [],
        "content": {"code": code, "silent": False, "store_history": True, "user_expressions": {}, "allow_stdin": False, "stop_on_error": True},
    }))
    t0 = time.monotonic()
    reply = idle = False
    while not (reply and idle):
        m = await asyncio.wait_for(ws.read_message(), 120)
        if m is None:
            raise SystemExit(f"startcost: {name}: the kernel's WebSocket closed")
        m = json.loads(m)
        if m.get("parent_header", {}).get("msg_id") != msg_id:
            continue
        t = m["header"]["msg_type"]
        if t == "execute_reply":
            reply = True
            if m["content"]["status"] != "ok":
                raise SystemExit(f"startcost: {name}: the first cell failed: {m['content']}")
        elif t == "status" and m["content"]["execution_state"] == "idle":
            idle = True
    ws.close()
    return time.monotonic() - t0, s["id"], s["kernel"]["id"]


async def tab(hub, name, token, kernel_id, code):
    """Sends what Tab sends at the end of code's last "gdlib." to the kernel; returns the seconds
    to its complete_reply and the number of matches."""
    ws_url = hub.url.replace("http", "ws", 1) + f"/user/{name}/api/kernels/{kernel_id}/channels"
    ws = await websocket_connect(HTTPRequest(ws_url, headers={"Authorization": "token " + token}, ssl_options=hub.ctx))
    msg_id = uuid.uuid4().hex
    cursor = code.rfind("gdlib.") + len("gdlib.") if "gdlib." in code else len(code)
    ws.write_message(json.dumps({
        "header": {"msg_id": msg_id, "username": "startcost", "session": uuid.uuid4().hex, "msg_type": "complete_request", "version": "5.3"},
        "parent_header": {}, "metadata": {}, "channel": "shell", "buffers": [],
        "content": {"code": code, "cursor_pos": len(code[:cursor])},
    }))
    t0 = time.monotonic()
    while True:
        m = await asyncio.wait_for(ws.read_message(), 120)
        if m is None:
            raise SystemExit(f"startcost: {name}: the kernel's WebSocket closed")
        m = json.loads(m)
        if m.get("parent_header", {}).get("msg_id") == msg_id and m["header"]["msg_type"] == "complete_reply":
            ws.close()
            return time.monotonic() - t0, len(m["content"].get("matches", []))


def pss_mb(uid, comm):
    """Proportional set size of uid's processes named comm, in MB."""
    total = 0
    for d in os.listdir("/proc"):
        try:
            if not d.isdigit() or os.stat(f"/proc/{d}").st_uid != uid:
                continue
            with open(f"/proc/{d}/comm") as f:
                if f.read().strip() != comm:
                    continue
            with open(f"/proc/{d}/smaps_rollup") as f:
                total += sum(int(l.split()[1]) for l in f if l.startswith("Pss:"))
        except (OSError, ValueError):
            continue
    return total / 1024


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-token-file", required=True)
    ap.add_argument("-hub", default="http://127.0.0.1:8000")
    ap.add_argument("-cacert")
    ap.add_argument("-learners", type=int, default=3)
    ap.add_argument("-prefix", default="lt")
    ap.add_argument("-notebook", default="01_gradient_descent.ipynb")
    ap.add_argument("-prestart-cmd", help="given by run.sh for the load test; not used here")
    a = ap.parse_args()
    if not 1 <= a.learners <= 20:
        sys.exit(f"startcost: -learners {a.learners}: want 1 to 20")
    state = os.path.dirname(os.path.abspath(a.token_file))
    with open(a.token_file) as f:
        hub = Hub(a.hub, f.read().strip(), a.cacert)
    with open(os.path.join(state, "jupyterhub.pid")) as f:
        hub_pid = int(f.read())
    rows = []
    for i in range(a.learners):
        name = "%s%03d" % (a.prefix, i + 1)
        hub.call("POST", "/hub/api/users/" + name)
        token = hub.call("POST", f"/hub/api/users/{name}/tokens", body={"note": "startcost", "expires_in": 3600})["token"]
        h0, t0 = proc_cpu(hub_pid, children=False), time.monotonic()
        hub.call("POST", f"/hub/api/users/{name}/server")
        while not hub.call("GET", "/hub/api/users/" + name)["servers"].get("", {}).get("ready"):
            time.sleep(0.1)
        ready, hub_cpu = time.monotonic() - t0, proc_cpu(hub_pid, children=False) - h0
        uid = pwd.getpwnam("jupyter-" + name).pw_uid
        server_ready = sum(by_comm(uid).values())
        with open(os.path.join(state, "hub.log"), errors="replace") as f:
            m = re.findall(rf"prepared {name}'s server in (.*)", f.read())
        steps = m[-1] if m else "?"
        nb = hub.call("GET", f"/user/{name}/api/contents/{a.notebook}?content=1", token)
        code = next("".join(c["source"]) for c in nb["content"]["cells"] if c["cell_type"] == "code" and c["source"])
        before = by_comm(uid)
        k0 = time.monotonic()
        cell, sid, kid = asyncio.run(first_cell(hub, name, token, a.notebook, code))
        after = by_comm(uid)
        time.sleep(10)
        later = by_comm(uid)
        # GoNB connects to gopls 12 s after the kernel's start; then the learner presses Tab.
        time.sleep(max(0, k0 + 15 - time.monotonic()))
        connected = by_comm(uid)
        connected_pss = pss_mb(uid, "gopls")
        tab_s, matches = asyncio.run(tab(hub, name, token, kid, "import \"github.com/gdlesson/gdlesson/gdlib\"\n\n%%\nopt := gdlib."))
        if not matches:
            raise SystemExit(f"startcost: {name}: Tab after gdlib. gave no match")
        time.sleep(10)
        tabbed = by_comm(uid)
        server_name = max(before, key=before.get)
        row = {
            "ready s": ready, "hub CPU s": hub_cpu, "server CPU s at ready": server_ready,
            "first cell s": cell,
            "kernel CPU s (gonb + go)": after.get("gonb", 0),
            "gopls CPU s after the cell": after.get("gopls", 0), "gopls CPU s 10 s later": later.get("gopls", 0),
            "gopls CPU s 15 s after the kernel's start (GoNB connected, no Tab)": connected.get("gopls", 0),
            "gopls PSS MB 15 s after the kernel's start": connected_pss,
            "first Tab s": tab_s, "gopls CPU s 10 s after the first Tab": tabbed.get("gopls", 0),
            "gopls PSS MB 10 s after the first Tab": pss_mb(uid, "gopls"),
            "server CPU s for the kernel": after.get(server_name, 0) - before.get(server_name, 0),
        }
        rows.append(row)
        print(f"{name}: " + ", ".join(f"{k} {v:.2f}" for k, v in row.items()) + f"; spawner steps {steps}", flush=True)
        hub.call("DELETE", f"/user/{name}/api/sessions/{sid}", token)
        hub.call("DELETE", f"/hub/api/users/{name}/server")
        while hub.call("GET", "/hub/api/users/" + name)["servers"]:
            time.sleep(0.5)
    print("| part | median of %d learners |" % len(rows))
    print("| --- | --- |")
    for k in rows[0]:
        print(f"| {k} | {statistics.median(r[k] for r in rows):.2f} |")


if __name__ == "__main__":
    main()
