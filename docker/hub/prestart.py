"""Start every learner's server before the lesson, a few at a time.

    sudo /usr/local/share/gdlesson/venv/bin/python3 docker/hub/prestart.py

A server's start costs about 1 CPU second of Python (docker/hub/README.md, "Where a server's
start goes"); 60 learners logging in within a minute on 2 cores wait for each other's starts
while the first cells build. Run this before the lesson instead: it starts the servers of every
learner who has none running (not the hub's admins, unless --admins), --at-once at a time, each
waited for until ready, so the machine stays responsive; when the learners log in, their server
is there. It prints each server as it becomes ready, and at the end how long the servers stay
up: the idle culler (jupyterhub-idle-culler 2.0.0) stops a server whose last activity is older
than GDLESSON_HUB_CULL_TIMEOUT seconds (default 3600), checking every half of that, and a
prestarted server's last activity is its start. So learners must log in (open a notebook) within
that timeout after this command, e.g. run it at most 50 minutes before the lesson with the
default timeout; once they work in it, their activity keeps it up.

Options: --url (default http://127.0.0.1:8000/hub/api, or https://…), --cacert FILE (the
certificate authority of an HTTPS hub), --token-file (default /srv/gdlesson/hub/admin-token),
--at-once K (servers started together, default the number of cores), --users a,b,… (only these),
--admins (admins' servers too), --cull-timeout S (what the hub was started with, for the report;
default $GDLESSON_HUB_CULL_TIMEOUT or 3600), --timeout S (most seconds to wait for one server,
default 120). Exit status 1 when a server did not start; the others are left running.
"""

import argparse
import os
import ssl
import sys
import time
import urllib.error
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from learners import api  # noqa: E402


class StartError(Exception):
    pass


def start_one(a, token, ctx, name):
    """Starts name's server and waits until it is ready; returns the seconds it took."""
    t0 = time.monotonic()
    try:
        api(a.url, token, "POST", f"/users/{name}/server", context=ctx)
    except urllib.error.HTTPError as e:
        body = e.read().decode(errors="replace")[:300]
        if e.code != 400 or "already running" not in body:  # 400: started meanwhile (a learner logged in)
            raise StartError(f"{name}: the hub answered {e.code} {e.reason}: {body}") from None
    while True:
        u = api(a.url, token, "GET", f"/users/{name}", context=ctx)
        s = u.get("servers", {}).get("")
        if s and s.get("ready"):
            return time.monotonic() - t0
        if not s:
            raise StartError(f"{name}: the server stopped while starting (see the hub's log: journal or docker/hub/start.sh's output)")
        if time.monotonic() - t0 > a.timeout:
            raise StartError(f"{name}: not ready after {a.timeout} s (pending: {s.get('pending')})")
        time.sleep(0.5)


def main():
    ap = argparse.ArgumentParser(description="Start every learner's server before the lesson, a few at a time.")
    ap.add_argument("--url", default="http://127.0.0.1:8000/hub/api")
    ap.add_argument("--cacert")
    ap.add_argument("--token-file", default="/srv/gdlesson/hub/admin-token")
    ap.add_argument("--at-once", type=int, default=os.cpu_count() or 2)
    ap.add_argument("--users", help="comma-separated names (default: every learner)")
    ap.add_argument("--admins", action="store_true", help="start the admins' (instructors') servers too")
    ap.add_argument("--cull-timeout", type=int, default=None)
    ap.add_argument("--timeout", type=int, default=120)
    a = ap.parse_args()
    if not 1 <= a.at_once <= 16:
        sys.exit(f"prestart: --at-once {a.at_once}: want 1 to 16 (about the number of cores: {os.cpu_count()})")
    if a.timeout < 10:
        sys.exit(f"prestart: --timeout {a.timeout}: want at least 10 seconds")
    cull = a.cull_timeout
    if cull is None:
        raw = os.environ.get("GDLESSON_HUB_CULL_TIMEOUT", "3600")
        if not raw.isdigit():
            sys.exit(f"prestart: GDLESSON_HUB_CULL_TIMEOUT={raw!r}: want a number of seconds")
        cull = int(raw)
    try:
        with open(a.token_file) as f:
            token = f.read().strip()
    except OSError as e:
        sys.exit(f"prestart: cannot read the admin token {a.token_file} ({e.strerror}): run as root after docker/hub/setup.sh")
    ctx = ssl.create_default_context(cafile=a.cacert) if a.cacert else None
    try:
        users = api(a.url, token, "GET", "/users", context=ctx)
    except urllib.error.HTTPError as e:
        sys.exit(f"prestart: the hub at {a.url} answered {e.code} {e.reason}: {e.read().decode(errors='replace')[:300]}")
    except (urllib.error.URLError, OSError) as e:
        sys.exit(f"prestart: cannot reach the hub at {a.url} ({getattr(e, 'reason', e)}): is it running (docker/hub/start.sh)?")
    known = {u["name"]: u for u in users}
    if a.users:
        wanted = [n.strip() for n in a.users.split(",") if n.strip()]
        unknown = [n for n in wanted if n not in known]
        if unknown:
            sys.exit(f"prestart: --users: no such user on the hub: {', '.join(unknown)} (add them with learners.py first)")
    else:
        wanted = sorted(n for n, u in known.items() if a.admins or not u.get("admin"))
    todo = [n for n in wanted if not known[n].get("servers", {}).get("", {}).get("ready")]
    running = len(wanted) - len(todo)
    print(f"prestart: {len(todo)} servers to start, {a.at_once} at a time ({running} running already)", flush=True)
    print(f"prestart: {len(todo)} 人のサーバーを {a.at_once} 台ずつ起動します（起動済み {running} 人）", flush=True)
    t0 = time.monotonic()
    failed, done = [], 0

    def one(name):
        try:
            return name, start_one(a, token, ctx, name), None
        except StartError as e:
            return name, 0, str(e)
        except (urllib.error.URLError, OSError) as e:
            return name, 0, f"{name}: {getattr(e, 'reason', e)}"

    with ThreadPoolExecutor(a.at_once) as pool:
        for name, secs, err in pool.map(one, todo):
            done += 1
            if err:
                failed.append(err)
                print(f"prestart: [{done}/{len(todo)}] FAILED {err}", flush=True)
            else:
                print(f"prestart: [{done}/{len(todo)}] {name} ready in {secs:.1f} s", flush=True)
    took = time.monotonic() - t0
    until = (datetime.now() + timedelta(seconds=cull)).strftime("%H:%M")
    ok = len(todo) - len(failed)
    print(f"prestart: {ok} of {len(todo)} servers started in {took:.0f} s. The idle culler stops a server "
          f"{cull} s after its last activity: learners should log in before {until}.")
    idle = f"{cull // 60} 分" if cull % 60 == 0 else f"{cull} 秒"
    print(f"prestart: {len(todo)} 人中 {ok} 人のサーバーを {took:.0f} 秒で起動しました。操作のないサーバーは "
          f"{idle}で停止されます: {until} までにログインしてもらってください。")
    if failed:
        print(f"prestart: {len(failed)} servers did not start / {len(failed)} 人のサーバーが起動しませんでした:", file=sys.stderr)
        for e in failed:
            print("  " + e, file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
