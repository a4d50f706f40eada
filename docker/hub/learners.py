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
already are left as they are. Each learner chooses a password at the first login.

Options: --url (default http://127.0.0.1:8000/hub/api, or https://…), --cacert FILE (the
certificate authority of an HTTPS hub), --token-file (default /srv/gdlesson/hub/admin-token),
--check (only check the file).
"""

import argparse
import csv
import json
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


def main():
    ap = argparse.ArgumentParser(description="Add learners to gdlesson's JupyterHub from a CSV file.")
    ap.add_argument("csv")
    ap.add_argument("--url", default="http://127.0.0.1:8000/hub/api")
    ap.add_argument("--cacert")
    ap.add_argument("--token-file", default="/srv/gdlesson/hub/admin-token")
    ap.add_argument("--check", action="store_true", help="only check the file")
    a = ap.parse_args()
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
        existing = {u["name"] for u in api(a.url, token, "GET", "/users", context=ctx)}
        added = 0
        for admin in (False, True):
            names = [n for n, adm in learners if adm == admin and n not in existing]
            if names:
                api(a.url, token, "POST", "/users", {"usernames": names, "admin": admin}, context=ctx)
                added += len(names)
    except urllib.error.HTTPError as e:
        sys.exit(f"learners: the hub at {a.url} answered {e.code} {e.reason}: {e.read().decode(errors='replace')[:300]}")
    except (urllib.error.URLError, OSError) as e:
        sys.exit(f"learners: cannot reach the hub at {a.url} ({getattr(e, 'reason', e)}): is it running (docker/hub/start.sh)?")
    skipped = len(learners) - added
    print(f"learners: added {added}" + (f", {skipped} existed already" if skipped else ""))


if __name__ == "__main__":
    main()
