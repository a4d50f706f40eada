"""Execute Jupyter notebooks through their kernel (GoNB) and report the cells that failed.

    /usr/bin/python3 docker/nbrun.py [-j JOBS] [--out DIR] [--timeout SECONDS] NOTEBOOK...

Used by notebooks/notebooks_test.go (go test) and docker/export.sh, so both judge a
notebook the same way. Run it with /usr/bin/python3: it needs Debian's nbclient.

A code cell failed when one of its outputs is
  - an error output (GoNB sends one when a cell does not compile or panics);
  - GoNB's HTML error report (the compiler's message, with the cell's line);
  - a stderr stream with a line "exit status N" (a failed `!` shell command: GoNB
    sends no error output for those).
A cell that times out or kills the kernel fails too, and stops that notebook.

The notebooks given are never written to. With --out, the executed copies (with their
outputs) go to DIR under the same file names. Exit status: 0 when every cell of every
notebook ran cleanly, 1 when a cell failed, 2 when a notebook could not be run at all.
"""

import argparse
import concurrent.futures
import html
import html.parser
import os
import re
import sys
import time

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellTimeoutError, DeadKernelError

EXIT_STATUS = re.compile(r"^exit status [1-9][0-9]*$", re.M)
ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
MAX_LINES = 25


class _ReportText(html.parser.HTMLParser):
    """Collects the text of GoNB's HTML error report, without its style sheet, and with
    only the offending source line of each hover-context box (marked with "> ")."""

    def __init__(self):
        super().__init__()
        self.parts, self.skip, self.context, self.line = [], 0, 0, None

    def handle_starttag(self, tag, attrs):
        cls = dict(attrs).get("class") or ""
        if tag in ("style", "script"):
            self.skip += 1
        elif tag == "div":
            if self.context:
                self.context += 1
                if "gonb-err-line" in cls:
                    self.line = []
            elif "gonb-err-context" in cls:
                self.context = 1
            else:
                self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag in ("style", "script"):
            self.skip -= 1
        elif tag == "div" and self.context:
            self.context -= 1
            if self.line is not None:
                self.parts.append("\n> " + "".join(self.line).strip())
                self.line = None

    def handle_data(self, data):
        if self.skip:
            return
        if self.context:
            if self.line is not None:
                self.line.append(data)
            return
        self.parts.append(data)


def html_text(s):
    """Returns the readable text of GoNB's HTML error report."""
    p = _ReportText()
    p.feed(s)
    p.close()
    lines = [ln.rstrip() for ln in "".join(p.parts).splitlines()]
    return "\n".join(ln for ln in lines if ln.strip())


def clip(text):
    lines = ANSI.sub("", text).strip().splitlines()
    if len(lines) > MAX_LINES:
        lines = lines[:MAX_LINES] + ["… (%d more lines)" % (len(lines) - MAX_LINES)]
    return "\n".join(lines)


def cell_problems(cell):
    """Returns the error texts found in the outputs of one executed code cell."""
    reports, errors, stderr = [], [], []
    for out in cell.get("outputs", []):
        kind = out.get("output_type")
        if kind == "error":
            text = "%s: %s" % (out.get("ename", ""), out.get("evalue", ""))
            tb = ANSI.sub("", "\n".join(out.get("traceback") or [])).strip()
            if tb and tb not in text:
                text += "\n" + tb
            errors.append(text)
        elif kind in ("display_data", "execute_result"):
            page = out.get("data", {}).get("text/html", "")
            if isinstance(page, list):
                page = "".join(page)
            if "gonb-err-" in page:
                reports.append(html_text(page))
        elif kind == "stream" and out.get("name") == "stderr":
            stderr.append(out.get("text", ""))
    stderr = ANSI.sub("", "".join(stderr))
    failed = reports or errors or EXIT_STATUS.search(stderr)
    if not failed:
        return []
    # GoNB's HTML report carries the compiler's message, stderr a panic or a failed
    # command's message; the error output beside them often only says the build failed.
    found = reports + ([stderr] if stderr.strip() else []) + errors
    return [clip(t) for t in found]


def describe(nb, index):
    """Names cell number index (0-based) the way a person finds it in the notebook."""
    cell = nb.cells[index]
    code_no = sum(1 for c in nb.cells[: index + 1] if c.cell_type == "code")
    first = next((ln for ln in cell.source.splitlines() if ln.strip()), "")
    count = cell.get("execution_count")
    shown = "In [%s]" % count if count is not None else "not run"
    return "cell %d of %d (code cell %d, %s) starting %r" % (
        index + 1, len(nb.cells), code_no, shown, first[:80])


def run(path, out_dir, timeout):
    """Executes one notebook; returns (report lines, number of code cells run, status)."""
    start = time.monotonic()
    name = os.path.relpath(path)
    try:
        nb = nbformat.read(path, as_version=4)
    except Exception as e:  # unreadable JSON, wrong format
        return ["FAIL %s: cannot read the notebook: %s" % (name, e)], 0, 2
    client = NotebookClient(
        nb,
        timeout=timeout,
        allow_errors=True,
        record_timing=False,
        # The kernel starts in the notebook's own folder, as in Jupyter, so the
        # set-up cell's path relative to the notebook resolves to this repository.
        resources={"metadata": {"path": os.path.dirname(os.path.abspath(path))}},
    )
    failures, ran, status = [], 0, 0
    try:
        with client.setup_kernel():
            for index, cell in enumerate(nb.cells):
                if cell.cell_type != "code":
                    continue
                try:
                    client.execute_cell(cell, index)
                except CellTimeoutError:
                    failures.append((index, ["timed out after %d s" % timeout]))
                    break
                except DeadKernelError as e:
                    failures.append((index, ["the kernel died: %s" % e]))
                    break
                ran += 1
                problems = cell_problems(cell)
                if problems:
                    failures.append((index, problems))
    except Exception as e:  # the kernel did not start: missing kernel spec, gonb, go
        return ["FAIL %s: cannot run the kernel %r: %s: %s" % (
            name, nb.metadata.get("kernelspec", {}).get("name"), type(e).__name__, e)], 0, 2
    if out_dir:
        nbformat.write(nb, os.path.join(out_dir, os.path.basename(path)))
    lines = []
    for index, problems in failures:
        lines.append("FAIL %s: %s:" % (name, describe(nb, index)))
        for p in problems:
            lines.extend("    " + ln for ln in p.splitlines())
        status = 1
    lines.append("%s %s: %d code cells in %.1f s" % (
        "ok  " if not failures else "FAIL", name, ran, time.monotonic() - start))
    return lines, ran, status


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("notebooks", nargs="+")
    ap.add_argument("--out", help="folder for the executed copies")
    ap.add_argument("--timeout", type=int, default=600, help="seconds per cell (default 600)")
    ap.add_argument("-j", "--jobs", type=int, default=1, help="notebooks run at once (default 1)")
    args = ap.parse_args()
    if args.out:
        os.makedirs(args.out, exist_ok=True)
    worst, cells = 0, 0
    with concurrent.futures.ProcessPoolExecutor(max_workers=max(1, args.jobs)) as pool:
        jobs = [pool.submit(run, p, args.out, args.timeout) for p in args.notebooks]
        for job in jobs:  # in the order given, so the report reads the same every time
            lines, ran, status = job.result()
            print("\n".join(lines), flush=True)
            cells += ran
            worst = max(worst, status)
    print("nbrun: %d notebooks, %d code cells, %s" % (
        len(args.notebooks), cells, "all ok" if worst == 0 else "FAILED"), flush=True)
    return worst


if __name__ == "__main__":
    sys.exit(main())
