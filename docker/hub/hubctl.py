"""A learner's server through JupyterHub's REST API, for docker/image/test.sh's hub step.

    /usr/bin/python3 docker/hub/hubctl.py URL ADMIN_TOKEN up
    /usr/bin/python3 docker/hub/hubctl.py URL ADMIN_TOKEN start USER   # prints the server's URL path
    /usr/bin/python3 docker/hub/hubctl.py URL ADMIN_TOKEN token USER   # prints a new token of USER's
    /usr/bin/python3 docker/hub/hubctl.py URL ADMIN_TOKEN stop USER

URL is the hub's public address (http://127.0.0.1:PORT). up waits (up to 60 s) until the hub
answers; start asks for USER's server and waits (up to 240 s) until the hub says it is ready;
stop asks it to stop and waits until it is gone. Every failure prints the hub's answer. Uses the
standard library only (Debian's /usr/bin/python3).
"""

import json
import sys
import time
import urllib.error
import urllib.request


def call(url, token, method, path, body=None):
    req = urllib.request.Request(url + "/hub/api" + path, method=method,
                                 data=None if body is None else json.dumps(body).encode(),
                                 headers={"Authorization": "token " + token,
                                          "Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(req, timeout=60) as resp:
            raw = resp.read()
            return resp.status, json.loads(raw) if raw else None
    except urllib.error.HTTPError as e:
        return e.code, e.read()[:500].decode("utf-8", "replace")


def fail(msg):
    print("hubctl: error: " + msg, file=sys.stderr)
    sys.exit(1)


def server(url, token, user):
    code, model = call(url, token, "GET", "/users/" + user)
    if code != 200:
        fail("GET /hub/api/users/%s: HTTP %d: %s" % (user, code, model))
    return model.get("servers", {}).get("")


def main():
    if len(sys.argv) < 4 or sys.argv[3] not in ("up", "start", "stop", "token"):
        fail("usage: hubctl.py URL ADMIN_TOKEN up|start USER|stop USER|token USER")
    url, token, cmd = sys.argv[1].rstrip("/"), sys.argv[2], sys.argv[3]
    user = sys.argv[4] if len(sys.argv) > 4 else None
    if cmd != "up" and not user:
        fail("%s needs a user name" % cmd)
    if cmd == "up":
        for _ in range(60):
            try:
                code, _ = call(url, token, "GET", "/")
                if code == 200:
                    return
            except OSError:
                pass
            time.sleep(1)
        fail("the hub at %s did not answer within 60 s" % url)
    elif cmd == "start":
        code, answer = call(url, token, "POST", "/users/%s/server" % user)
        if code not in (201, 202):
            fail("POST /hub/api/users/%s/server: HTTP %d: %s" % (user, code, answer))
        deadline = time.monotonic() + 240
        while time.monotonic() < deadline:
            s = server(url, token, user)
            if s and s.get("ready"):
                print(s["url"])
                return
            if not s:
                fail("%s's server stopped while starting (see the hub's log)" % user)
            time.sleep(1)
        fail("%s's server was not ready within 240 s" % user)
    elif cmd == "stop":
        code, answer = call(url, token, "DELETE", "/users/%s/server" % user)
        if code not in (202, 204):
            fail("DELETE /hub/api/users/%s/server: HTTP %d: %s" % (user, code, answer))
        for _ in range(120):
            if not server(url, token, user):
                return
            time.sleep(1)
        fail("%s's server did not stop within 120 s" % user)
    else:
        code, answer = call(url, token, "POST", "/users/%s/tokens" % user,
                            {"note": "docker/image/test.sh", "expires_in": 3600})
        if code != 201:
            fail("POST /hub/api/users/%s/tokens: HTTP %d: %s" % (user, code, answer))
        print(answer["token"])


if __name__ == "__main__":
    main()
