"""A learner's server through JupyterHub's REST API, for docker/image/test.sh's hub step.

    /usr/bin/python3 docker/hub/hubctl.py URL ADMIN_TOKEN up
    /usr/bin/python3 docker/hub/hubctl.py URL ADMIN_TOKEN start USER   # prints the server's URL path
    /usr/bin/python3 docker/hub/hubctl.py URL ADMIN_TOKEN token USER   # prints a new token of USER's
    /usr/bin/python3 docker/hub/hubctl.py URL ADMIN_TOKEN stop USER
    /usr/bin/python3 docker/hub/hubctl.py URL ADMIN_TOKEN stop-all      # docker/hub/stop.sh: every server

URL is the hub's public address (http://127.0.0.1:PORT). up waits (up to 60 s) until the hub
answers; start asks for USER's server and waits (up to 240 s) until the hub says it is ready;
stop asks it to stop and waits until it is gone; stop-all does that for every running server
(up to 180 s) and prints how many it stopped. Every failure prints the hub's answer. Uses the
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


def expect(url, token, method, path, codes, body=None):
    """Calls the hub's API; returns its answer when the status is one of codes, else fails."""
    code, answer = call(url, token, method, path, body)
    if code not in codes:
        fail("%s /hub/api%s: HTTP %d: %s" % (method, path, code, answer))
    return answer


def wait_until(seconds, done, what):
    """Calls done every second until it returns true; fails saying what did not happen in time."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if done():
            return
        time.sleep(1)
    fail("%s within %d s" % (what, seconds))


def server(url, token, user):
    return expect(url, token, "GET", "/users/" + user, (200,)).get("servers", {}).get("")


def active_users(url, token):
    """The names of the users with a server that runs or is starting or stopping."""
    return [u["name"] for u in expect(url, token, "GET", "/users?state=active&limit=200", (200,))]


def stop_all(url, token):
    stopped = set()
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        names = active_users(url, token)
        if not names:
            print("hubctl: stopped %d servers" % len(stopped))
            return
        for name in names:
            if name not in stopped:
                expect(url, token, "DELETE", "/users/%s/server" % name, (202, 204, 400))
                stopped.add(name)
        time.sleep(1)
    fail("these servers did not stop within 180 s: %s" % " ".join(active_users(url, token)))


def main():
    if len(sys.argv) < 4 or sys.argv[3] not in ("up", "start", "stop", "stop-all", "token"):
        fail("usage: hubctl.py URL ADMIN_TOKEN up|start USER|stop USER|stop-all|token USER")
    url, token, cmd = sys.argv[1].rstrip("/"), sys.argv[2], sys.argv[3]
    user = sys.argv[4] if len(sys.argv) > 4 else None
    if cmd == "stop-all":
        stop_all(url, token)
        return
    if cmd != "up" and not user:
        fail("%s needs a user name" % cmd)
    if cmd == "up":
        def answers():
            try:
                return call(url, token, "GET", "/")[0] == 200
            except OSError:
                return False
        wait_until(60, answers, "the hub at %s did not answer" % url)
    elif cmd == "start":
        expect(url, token, "POST", "/users/%s/server" % user, (201, 202))

        def ready():
            s = server(url, token, user)
            if not s:
                fail("%s's server stopped while starting (see the hub's log)" % user)
            return s.get("ready")
        wait_until(240, ready, "%s's server was not ready" % user)
        print(server(url, token, user)["url"])
    elif cmd == "stop":
        expect(url, token, "DELETE", "/users/%s/server" % user, (202, 204))
        wait_until(120, lambda: not server(url, token, user), "%s's server did not stop" % user)
    else:
        answer = expect(url, token, "POST", "/users/%s/tokens" % user, (201,),
                        {"note": "docker/image/test.sh", "expires_in": 3600})
        print(answer["token"])


if __name__ == "__main__":
    main()
