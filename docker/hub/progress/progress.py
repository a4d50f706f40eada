"""The class's progress: a JupyterHub service that records every exercise check and shows them.

The hub starts it (jupyterhub_config.py, service "progress", on 127.0.0.1) with the venv's
Python; it runs as root and keeps its records in an SQLite file in the hub's state folder
(GDLESSON_PROGRESS_DB, root only). Under the hub's prefix /services/progress/:

  POST api/record   a check's result, sent by the learner's kernel (notebooks/exercise) with the
                    server's $JUPYTERHUB_API_TOKEN. The hub says whose token it is, so nobody can
                    record as someone else; the time is this service's. Form fields: exercise
                    (the check's name, e.g. CheckUpdate), title (as the page shows it), position
                    (its place in the course), ok (1 or 0), message (what the learner saw).
  GET  ""           the class page, for instructors (the hub's admins) only: learners ×
                    exercises, each cell the last result with its time and the history before
                    it, oldest first; it reloads itself every few seconds. Others get 403.
  GET  results.csv  every record, oldest first (instructors only).
  GET  me           the signed-in user's own results, for anyone.

Who is an instructor, and the list of learners (so that one who has checked nothing shows up
too), come from the hub's REST API with this service's own token (scopes read:users,
list:users), cached for a few seconds.
"""

import csv
import datetime
import html
import io
import json
import os
import re
import signal
import sqlite3
import time
import urllib.parse

from jupyterhub.services.auth import HubOAuthCallbackHandler, HubOAuthenticated
from jupyterhub.utils import url_path_join
from tornado import httpclient, ioloop, web

REFRESH = 5  # seconds between reloads of the class page
HISTORY = 8  # results listed under each cell of the class page, the newest last
USERS_TTL = 5.0  # seconds the hub's list of users is reused
USERS_PAGE = 50  # users per request to the hub (its default page; TestHubProgress's 61 span two)

EXERCISE = re.compile(r"^Check[A-Za-z0-9]{1,40}$")


class Store:
    """The records, in one SQLite file (WAL: the page reads while checks are written)."""

    def __init__(self, path):
        self.db = sqlite3.connect(path, isolation_level=None)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=NORMAL")
        self.db.execute(
            "CREATE TABLE IF NOT EXISTS results (id INTEGER PRIMARY KEY, user TEXT NOT NULL, exercise TEXT NOT NULL, "
            "title TEXT NOT NULL, position INTEGER NOT NULL, ok INTEGER NOT NULL, message TEXT NOT NULL, at REAL NOT NULL)"
        )

    def add(self, user, exercise, title, position, ok, message):
        at = time.time()
        self.db.execute(
            "INSERT INTO results (user, exercise, title, position, ok, message, at) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (user, exercise, title, position, int(ok), message, at),
        )
        return at

    def rows(self, user=None):
        q = "SELECT user, exercise, title, position, ok, message, at FROM results"
        args = ()
        if user is not None:
            q, args = q + " WHERE user = ?", (user,)
        return self.db.execute(q + " ORDER BY id", args).fetchall()


def clock(at, today):
    t = datetime.datetime.fromtimestamp(at)
    return t.strftime("%H:%M:%S") if t.date() == today else t.strftime("%m/%d %H:%M")


def verdict(ok, message):
    """The short word a cell shows: 正解, or the hint's first words."""
    if ok:
        return "正解"
    text = message.removeprefix("ヒント: ").removeprefix("ヒント:")
    return "ヒント: " + (text[:24] + "…" if len(text) > 24 else text)


def table(rows, learners, today):
    """The HTML table of learners × exercises: the last result and the history of each cell."""
    exercises = {}
    cells = {}
    for user, ex, title, pos, ok, msg, at in rows:
        exercises[ex] = (pos, title)
        cells.setdefault((user, ex), []).append((ok, msg, at))
    cols = sorted(exercises, key=lambda e: (exercises[e][0], e))
    users = sorted(set(learners) | {u for u, _ in cells})
    out = ['<table id="progress"><thead><tr><th>受講者</th>']
    out += [f'<th data-exercise="{html.escape(e)}">{html.escape(exercises[e][1])}</th>' for e in cols]
    out.append("</tr></thead><tbody>")
    for u in users:
        out.append(f'<tr data-user="{html.escape(u)}"><th>{html.escape(u)}</th>')
        for e in cols:
            hist = cells.get((u, e))
            if not hist:
                out.append(f'<td class="none" data-exercise="{html.escape(e)}">—</td>')
                continue
            ok, msg, at = hist[-1]
            cls = "ok" if ok else "hint"
            out.append(
                f'<td class="{cls}" data-exercise="{html.escape(e)}"><div class="last" title="{html.escape(msg)}">'
                f"{html.escape(verdict(ok, msg))} <time>{clock(at, today)}</time></div>"
            )
            more = len(hist) - HISTORY
            out.append('<ol class="history">')
            if more > 0:
                out.append(f'<li class="more">ほか {more} 件</li>')
            for ok, msg, at in hist[-HISTORY:]:
                out.append(
                    f'<li class="{"ok" if ok else "hint"}" title="{html.escape(msg)}">'
                    f'{"正解" if ok else "ヒント"} <time>{clock(at, today)}</time></li>'
                )
            out.append("</ol></td>")
        out.append("</tr>")
    out.append("</tbody></table>")
    return "".join(out), len(users), len(cols)


PAGE = """<!doctype html>
<html lang="ja"><head><meta charset="utf-8">{refresh}<title>{title}</title>
<style>
body {{ font-family: sans-serif; margin: 1.5em; }}
table {{ border-collapse: collapse; }}
th, td {{ border: 1px solid #bbb; padding: 0.3em 0.5em; vertical-align: top; text-align: left; }}
td.ok {{ background: #e6f4e6; }} td.hint {{ background: #fdf0dc; }} td.none {{ color: #999; }}
.last {{ font-weight: bold; white-space: nowrap; }}
ol.history {{ margin: 0.2em 0 0; padding-left: 1.4em; font-size: 85%; color: #444; }}
li.ok {{ color: #176117; }} li.hint {{ color: #8a4b00; }}
</style></head><body>
<h1>{title}</h1>
{body}
</body></html>
"""


class Base(HubOAuthenticated, web.RequestHandler):
    async def prepare(self):
        # Identify the user without blocking the loop (HubAuth's synchronous path would wait
        # for the hub inside tornado's get_current_user); get_current_user then finds it cached.
        await self.hub_auth.get_user(self, sync=False)

    @property
    def store(self):
        return self.settings["store"]

    async def hub_users(self, fresh=False):
        """{name: admin} of every hub user, from the hub's REST API (cached)."""
        cache = self.settings["users_cache"]
        if fresh or time.monotonic() - cache.get("at", -1e9) > USERS_TTL:
            users, offset = {}, 0
            while offset is not None:
                r = await httpclient.AsyncHTTPClient().fetch(
                    url_path_join(self.hub_auth.api_url, "users") + f"?limit={USERS_PAGE}&offset={offset}",
                    headers={"Authorization": "token " + self.hub_auth.api_token,
                             "Accept": "application/jupyterhub-pagination+json"},
                    request_timeout=10,
                )
                page = json.loads(r.body)
                users.update({u["name"]: bool(u.get("admin")) for u in page["items"]})
                nxt = page["_pagination"].get("next")
                offset = nxt["offset"] if nxt else None
            cache["users"] = users
            cache["at"] = time.monotonic()
        return cache["users"]

    async def require_instructor(self):
        user = self.current_user
        if user is None:
            raise web.HTTPError(403)
        users = await self.hub_users()
        if user["name"] not in users:
            users = await self.hub_users(fresh=True)
        if not users.get(user["name"]):
            raise web.HTTPError(403, "not an instructor: %s" % user["name"])
        return users

    def page(self, title, body, refresh=False):
        r = f'<meta http-equiv="refresh" content="{REFRESH}">' if refresh else ""
        self.set_header("Content-Type", "text/html; charset=UTF-8")
        self.set_header("Cache-Control", "no-store")
        self.finish(PAGE.format(title=html.escape(title), body=body, refresh=r))

    def write_error(self, status_code, **kwargs):
        if self.request.path.endswith("/api/record"):
            self.finish({"error": status_code})
            return
        if status_code == 403:
            me = url_path_join(self.settings["prefix"], "me")
            body = ("<p>このページは講師（ハブの管理者）だけが見られます。</p>"
                    f'<p>自分の結果は <a href="{html.escape(me)}">自分の進み具合</a> で見られます。</p>')
            self.page("見る権限がありません", body)
            return
        self.page("エラー", f"<p>エラーが起きました（HTTP {status_code}）。しばらくしてからもう一度開いてください。</p>")


class RecordHandler(Base):
    @web.authenticated
    def post(self):
        # Only a token (the kernel's) records: not a browser's cookie.
        if not getattr(self, "_token_authenticated", False):
            raise web.HTTPError(403, "record with the server's API token")
        user = self.current_user
        if user.get("kind", "user") != "user":
            raise web.HTTPError(403, "only users record results")
        ex = self.get_body_argument("exercise", "")
        title = self.get_body_argument("title", "").strip()
        pos = self.get_body_argument("position", "")
        ok = self.get_body_argument("ok", "")
        msg = self.get_body_argument("message", "")
        bad = None
        if not EXERCISE.match(ex):
            bad = f"exercise {ex[:50]!r}: want Check followed by 1-40 letters or digits"
        elif not 0 < len(title) <= 60:
            bad = f"title {title[:70]!r}: want 1-60 characters"
        elif not (pos.isdigit() and int(pos) < 1000):
            bad = f"position {pos[:10]!r}: want a whole number from 0 to 999"
        elif ok not in ("0", "1"):
            bad = f"ok {ok[:10]!r}: want 1 (right) or 0 (a hint)"
        elif len(msg) > 4000:
            bad = f"message of {len(msg)} characters: want at most 4000"
        if bad:
            self.set_status(400)
            self.finish({"error": bad})
            return
        at = self.store.add(user["name"], ex, title, int(pos), ok == "1", msg)
        self.set_status(201)
        self.finish({"user": user["name"], "exercise": ex, "at": at})


class ClassHandler(Base):
    @web.authenticated
    async def get(self):
        users = await self.require_instructor()
        learners = [n for n, admin in users.items() if not admin]
        rows = self.store.rows()
        now = datetime.datetime.now()
        tbl, n_users, n_ex = table(rows, learners, now.date())
        body = (f'<p>受講者 {n_users} 人、演習 {n_ex} 個、記録 {len(rows)} 件。{REFRESH} 秒ごとに自動で更新します'
                f'（<time id="updated">{now:%H:%M:%S}</time> 現在）。 <a href="results.csv" download>CSV をダウンロード</a></p>'
                "<p>各欄は最後の結果とその時刻、その下は古い順の履歴です。ヒントの全文は、欄にマウスを重ねると出ます。</p>"
                + (tbl if rows or learners else "<p>まだ記録がありません。</p>"))
        self.page("クラスの進み具合", body, refresh=True)


class CSVHandler(Base):
    @web.authenticated
    async def get(self):
        await self.require_instructor()
        buf = io.StringIO()
        w = csv.writer(buf)
        w.writerow(["受講者", "演習", "演習名", "結果", "メッセージ", "時刻"])
        for user, ex, title, _, ok, msg, at in self.store.rows():
            w.writerow([user, ex, title, "正解" if ok else "ヒント", msg,
                        datetime.datetime.fromtimestamp(at).astimezone().isoformat(timespec="seconds")])
        self.set_header("Content-Type", "text/csv; charset=UTF-8")
        self.set_header("Content-Disposition", 'attachment; filename="progress.csv"')
        self.set_header("Cache-Control", "no-store")
        self.finish("\ufeff" + buf.getvalue())  # the BOM makes spreadsheet programs read UTF-8


class MineHandler(Base):
    @web.authenticated
    def get(self):
        name = self.current_user["name"]
        rows = self.store.rows(name)
        tbl, _, _ = table(rows, [name], datetime.date.today())
        body = (f"<p>{html.escape(name)} さんの演習の結果です（講師にも見えています）。</p>"
                + (tbl if rows else "<p>まだ記録がありません。演習のチェックのセルを実行すると、ここに出ます。</p>"))
        self.page("自分の進み具合", body)


def main():
    prefix = os.environ.get("JUPYTERHUB_SERVICE_PREFIX", "/services/progress/")
    url = os.environ.get("JUPYTERHUB_SERVICE_URL", "http://127.0.0.1:8002")
    db = os.environ["GDLESSON_PROGRESS_DB"]
    old = os.umask(0o077)  # the records are root's only
    store = Store(db)
    os.umask(old)
    app = web.Application(
        [
            (prefix, ClassHandler),
            (url_path_join(prefix, "results.csv"), CSVHandler),
            (url_path_join(prefix, "me"), MineHandler),
            (url_path_join(prefix, "api/record"), RecordHandler),
            (url_path_join(prefix, "oauth_callback"), HubOAuthCallbackHandler),
        ],
        cookie_secret=os.urandom(32),
        store=store,
        users_cache={},
        prefix=prefix,
    )
    # The hub ends its services with SIGINT when it stops: the default action, even when the hub
    # was started in the background (which ignores SIGINT). A hub killed outright (kill -9, a
    # crash) cannot end it, and the hub that starts again (start.sh, the systemd unit) starts its
    # own progress service on this port: so this one ends when its parent, the hub, is gone.
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    hub = os.getppid()

    def orphaned():
        if os.getppid() != hub:
            print("progress: the hub is gone; ending", flush=True)
            os._exit(0)

    ioloop.PeriodicCallback(orphaned, 1000).start()
    u = urllib.parse.urlparse(url)
    app.listen(u.port, u.hostname)
    print(f"progress: serving {prefix} on {u.hostname}:{u.port}, records in {db}", flush=True)
    ioloop.IOLoop.current().start()


if __name__ == "__main__":
    main()
