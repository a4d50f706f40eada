"""Add learners to gdlesson's JupyterHub from a CSV file.

    sudo /usr/local/share/gdlesson/venv/bin/python3 docker/hub/learners.py LEARNERS.csv

The CSV has a header line with a column "username" and, optionally, "admin" (yes/no, empty
is no); other columns (a full name, an e-mail) are ignored. Example:

    username,admin,name
    sato,,Sato Hanako
    teacher,yes,Suzuki

A username is 1-24 characters: lower-case letters, digits, "-" and "_", starting with a letter
(the learner's Unix account is "jupyter-" + username). Every row is checked before anything
is added; a bad row is named with its line number and nothing is added. Learners who exist
already are left as they are.

Passwords: the hub makes a random password for each learner of the file who has none yet
(docker/hub/gdlesson_auth.py), and they are added to the handout, a CSV file only root reads
(username,password,made; default /srv/gdlesson/hub/handout.csv), to hand out to each learner.
A user without a password cannot log in (so nobody can claim an account before its learner).
A learner changes theirs at /hub/auth/change-password. For a forgotten password:

    sudo /usr/local/share/gdlesson/venv/bin/python3 docker/hub/learners.py --reset sato

prints sato's new password (and adds it to the handout); sato's files and server stay.

Options: --url (default http://127.0.0.1:8000/hub/api, or https://…), --cacert FILE (the
certificate authority of an HTTPS hub), --token-file (default /srv/gdlesson/hub/admin-token),
--handout (default: handout.csv beside the token file), --check (only check the file),
--reset NAME... (new passwords instead of a CSV file).
"""

import argparse
import csv
import datetime
import json
import os
import re
import ssl
import sys
import urllib.error
import urllib.request

NAME = re.compile(r"^[a-z][a-z0-9_-]{0,23}$")
YES = {"yes", "y", "true", "1"}
NO = {"", "no", "n", "false", "0"}


class BadList(Exception):
    pass


def read_learners(path):
    """Returns [(username, admin)] from the CSV file, or raises BadList naming every bad row."""
    try:
        f = open(path, newline="", encoding="utf-8-sig")
    except OSError as e:
        raise BadList(f"cannot read {path}: {e.strerror}")
    with f:
        try:
            rows = list(csv.reader(f))
        except (csv.Error, UnicodeDecodeError) as e:
            raise BadList(f"{path}: not a CSV file in UTF-8: {e}")
    rows = [(i + 1, r) for i, r in enumerate(rows) if any(c.strip() for c in r) and not r[0].lstrip().startswith("#")]
    if not rows:
        raise BadList(f"{path}: empty; the first line must be a header with a column 'username'")
    hline, header = rows[0]
    header = [h.strip().lower() for h in header]
    if "username" not in header:
        raise BadList(f"{path}:{hline}: the header {','.join(header)!r} has no column 'username'")
    iu = header.index("username")
    ia = header.index("admin") if "admin" in header else None
    errors, seen, out = [], {}, []
    for line, r in rows[1:]:
        name = r[iu].strip() if iu < len(r) else ""
        if not NAME.match(name):
            why = "is empty" if not name else "is not 1-24 lower-case letters, digits, '-' or '_' starting with a letter"
            errors.append(f"{path}:{line}: username {name!r} {why}")
            continue
        if name in seen:
            errors.append(f"{path}:{line}: username {name!r} is already on line {seen[name]}")
            continue
        seen[name] = line
        admin = False
        if ia is not None:
            v = r[ia].strip().lower() if ia < len(r) else ""
            if v in YES:
                admin = True
            elif v not in NO:
                errors.append(f"{path}:{line}: admin {r[ia]!r} for {name!r}: use yes or no (or leave it empty)")
                continue
        out.append((name, admin))
    if errors:
        raise BadList("\n".join(errors) + "\nnothing was added; correct the file and run again")
    if not out:
        raise BadList(f"{path}: no learners under the header")
    return out


def api(url, token, method, path, body=None, context=None):
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(url + path, data=data, method=method,
                                 headers={"Authorization": "token " + token, "Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=60, context=context) as r:
        raw = r.read()
        return json.loads(raw) if raw else None


def add_to_handout(path, passwords):
    """Appends username,password,made rows to the handout (made root-only, with a header)."""
    new = not os.path.exists(path)
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    os.fchmod(fd, 0o600)
    made = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    with os.fdopen(fd, "a", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        if new:
            w.writerow(["username", "password", "made"])
        for name, pw in sorted(passwords.items()):
            w.writerow([name, pw, made])


def main():
    ap = argparse.ArgumentParser(description="Add learners to gdlesson's JupyterHub from a CSV file.")
    ap.add_argument("csv", nargs="?")
    ap.add_argument("--url", default="http://127.0.0.1:8000/hub/api")
    ap.add_argument("--cacert")
    ap.add_argument("--token-file", default="/srv/gdlesson/hub/admin-token")
    ap.add_argument("--handout", help="the handout of passwords (default: handout.csv beside the token file)")
    ap.add_argument("--check", action="store_true", help="only check the file")
    ap.add_argument("--reset", nargs="+", metavar="NAME", help="give these learners new passwords (their files stay)")
    a = ap.parse_args()
    if (a.csv is None) == (a.reset is None):
        ap.error("give either a CSV file or --reset NAME...")
    handout = a.handout or os.path.join(os.path.dirname(os.path.abspath(a.token_file)), "handout.csv")
    learners = []
    if a.reset:
        bad = [n for n in a.reset if not NAME.match(n)]
        if bad:
            sys.exit(f"learners: --reset {bad[0]!r}: not a username (1-24 lower-case letters, digits, '-' or '_' starting with a letter)")
    else:
        try:
            learners = read_learners(a.csv)
        except BadList as e:
            sys.exit(f"learners: {e}")
    if a.check:
        print(f"learners: {a.csv}: {len(learners)} learners, all valid")
        return
    try:
        with open(a.token_file) as f:
            token = f.read().strip()
    except OSError as e:
        sys.exit(f"learners: cannot read the admin token {a.token_file} ({e.strerror}): run as root after docker/hub/setup.sh")
    ctx = ssl.create_default_context(cafile=a.cacert) if a.cacert else None
    try:
        if a.reset:
            made = api(a.url, token, "POST", "/gdlesson/passwords", {"usernames": a.reset, "reset": True}, context=ctx)["passwords"]
            add_to_handout(handout, made)
            for name in a.reset:
                print(f"{name}: {made[name]}")
            print(f"learners: new passwords for {len(made)} (added to {handout}); their files stay")
            return
        existing = {u["name"] for u in api(a.url, token, "GET", "/users?limit=200", context=ctx)}
        added = 0
        for admin in (False, True):
            names = [n for n, adm in learners if adm == admin and n not in existing]
            if names:
                api(a.url, token, "POST", "/users", {"usernames": names, "admin": admin}, context=ctx)
                added += len(names)
        made = api(a.url, token, "POST", "/gdlesson/passwords", {"usernames": [n for n, _ in learners]}, context=ctx)["passwords"]
        add_to_handout(handout, made)
    except urllib.error.HTTPError as e:
        sys.exit(f"learners: the hub at {a.url} answered {e.code} {e.reason}: {e.read().decode(errors='replace')[:300]}")
    except (urllib.error.URLError, OSError) as e:
        sys.exit(f"learners: cannot reach the hub at {a.url} ({getattr(e, 'reason', e)}): is it running (docker/hub/start.sh)?")
    skipped = len(learners) - added
    print(f"learners: added {added}" + (f", {skipped} existed already" if skipped else "")
          + f"; {len(made)} new passwords in {handout} (root only): hand each learner theirs")


if __name__ == "__main__":
    main()
