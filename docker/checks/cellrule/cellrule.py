"""Reads rule.json, the one rule for "did this notebook cell fail?", for Python: nbrun.py (and
through it latency.py and docker/image/nbapi.py) judges cells with it. Standard library only.
cellrule.go and cellrule.mjs read the same file; TestReadersAgree holds them to the same verdicts."""

import json
import os
import re

with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "rule.json"), encoding="utf-8") as _f:
    RULE = json.load(_f)

ERROR_OUTPUT, REPORT, COMMAND_FAILED = "error output", "GoNB error report", "failed command"
_COMMAND_FAILED = re.compile(RULE["commandFailedLine"], re.M)
ANSI = re.compile(RULE["ansi"])


def text(v):
    """Joins an nbformat multiline string (a string or a list of strings)."""
    return "".join(v) if isinstance(v, list) else (v or "")


def problems(outputs):
    """Returns [(kind, text)]: what makes a cell with these nbformat outputs fail, its error
    outputs and GoNB's error reports in the outputs' order, then a failed command; [] when
    the cell ran cleanly."""
    found, stderr = [], []
    for out in outputs:
        kind = out.get("output_type")
        if kind in RULE["errorOutputTypes"]:
            found.append((ERROR_OUTPUT, "%s: %s" % (out.get("ename", ""), out.get("evalue", ""))))
        elif kind in RULE["reportOutputTypes"]:
            page = text((out.get("data") or {}).get(RULE["reportMIME"]))
            if RULE["reportMarker"] in page:
                found.append((REPORT, page))
        elif kind == "stream" and out.get("name") == RULE["commandStream"]:
            stderr.append(text(out.get("text")))
    stderr = ANSI.sub("", "".join(stderr))
    if _COMMAND_FAILED.search(stderr):
        found.append((COMMAND_FAILED, stderr))
    return found
