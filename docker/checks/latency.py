"""Time the notebooks as a learner waits for them: Run-All and each cell, cold and warm.

    /usr/bin/python3 docker/checks/latency.py [--timeout SECONDS] [--kernel-log] [NOTEBOOK...]

Default: every notebooks/*.ipynb. Each notebook runs twice through its kernel (GoNB), with a
fresh, empty Go build cache (GOCACHE in a new temporary folder): first cold, every package built
from source as on a new machine, then warm, with the cache the first run filled. Modules come
from the usual module cache either way.

Printed per notebook and run: the kernel's start, Run-All (first cell's start to last cell's end),
the median and the slowest code cells, the median and slowest plotting cell (a cell that displays
HTML, as gdlib/plot's charts do; most also train something), and two probe cells added after
the notebook, each run 3 times: a trivial one and one that draws a 4-point gdlib/plot chart. Each
run of a probe differs from the last by a number in it, as a new cell of a learner's does (the
median of these counts); then the last one runs once more unchanged, for which `go build` finds
the program up to date and skips the link (about 0.15 s instead of 0.5 s). And
the CPU time (user + system) of the kernel and everything it ran (go, goimports, the cells'
programs), which varies less than wall time on a machine shared with other jobs. Then
the targets for the warm run: the trivial probe <= 0.4 s, the plot probe <= 0.8 s, Run-All of
01_gradient_descent <= 30 s.
A cell is judged as docker/checks/nbrun.py judges it (its rules are imported from there): by its
outputs, by the kernel's reply, and by whether all its outputs arrived (the wait for them is
nbrun.py's, 120 s, not nbclient's 4 s, so a cell whose output is cut cannot count as fast). Cells
that fail are listed, and the notebook's targets say FAIL. Exit status 0 when every cell ran and
no cell failed, even when a target is missed; 1 when a cell failed; 2 when a notebook could not
be run. Needs Debian's nbclient: run it with /usr/bin/python3.
"""

import argparse
import glob
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

import nbformat
from nbclient.exceptions import CellTimeoutError, DeadKernelError

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
# The same rules for a failed cell as the tests and the export.
from nbrun import IOPUB_TIMEOUT, Client, cell_problems, reply_problems  # noqa: E402

TRIVIAL_CELL = 'import "fmt"\n\n%%\nfmt.Println("ping", {n})\n'
PLOT_CELL = ('import "github.com/gdlesson/gdlesson/gdlib/plot"\n\n%%\n'
             'plot.Show(plot.Options{Title: "probe", XLabel: "x", YLabel: "y"}.Lines(\n'
             '\tplot.Series{Name: "y = x²", X: []float64{0, 1, 2, 3}, Y: []float64{0, 1, 4, {n}}}))\n')
PROBES = 3  # each probe cell runs this many times, {n} replaced by a new number each time; the median counts
SLOWEST = 5  # the slowest cells are listed, for the notebooks' authors
TARGET_TRIVIAL, TARGET_PLOT, TARGET_RUN_ALL = 0.4, 0.8, 30.0
MAIN_NOTEBOOK = "01_gradient_descent.ipynb"


def is_plot(cell):
    return any(o.get("output_type") in ("display_data", "execute_result") and "text/html" in o.get("data", {})
               for o in cell.get("outputs", []))


def first_line(cell):
    """The first line of the cell's own code, to name it."""
    skip = ("//", "%%", "import", '"', ")")
    lines = [ln.strip() for ln in cell.source.splitlines() if ln.strip() and not ln.strip().startswith(skip)]
    return (lines[0] if lines else cell.source.strip().splitlines()[0] if cell.source.strip() else "")[:60]


def run(path, gocache, timeout, kernel_log):
    """Runs the notebook once; returns a dict of timings."""
    nb = nbformat.read(path, as_version=4)
    client = Client(nb, timeout=timeout, iopub_timeout=IOPUB_TIMEOUT, raise_on_iopub_timeout=False,
                    allow_errors=True, resources={"metadata": {"path": os.path.dirname(os.path.abspath(path))}})
    env = dict(os.environ, GOCACHE=gocache)
    cells, failed = [], []  # failed: (cell index, problems) as nbrun.py reports them

    def problems(cell, index):
        found = cell_problems(cell)
        return reply_problems(client, index, found, IOPUB_TIMEOUT) + found

    cpu0 = children_cpu()
    t0 = time.monotonic()
    with client.setup_kernel(env=env, stderr=None if kernel_log else subprocess.DEVNULL):
        started = time.monotonic()
        stopped = False  # a cell timed out, the kernel died, or a cell's output was cut
        for index, cell in enumerate(nb.cells):
            if cell.cell_type != "code":
                continue
            t = time.monotonic()
            try:
                client.execute_cell(cell, index)
            except CellTimeoutError:
                failed.append((index, ["timed out after %d s" % timeout]))
                client.shutdown_kernel = "immediate"
                stopped = True
                break
            except DeadKernelError as e:
                failed.append((index, ["the kernel died: %s" % e]))
                stopped = True
                break
            cells.append((time.monotonic() - t, index, cell))
            found = problems(cell, index)
            if found:
                failed.append((index, found))
            if index not in client.complete:
                stopped = True  # the rest of its output would come in the next cells' place
                break
        ended = time.monotonic()
        probes = {}
        for name, source in () if stopped else (("trivial", TRIVIAL_CELL), ("plot", PLOT_CELL)):
            times, ok = [], True
            for i in range(PROBES + 1):  # the last one runs the previous cell again, unchanged
                probe = nbformat.v4.new_code_cell(source.replace("{n}", str(10 + min(i, PROBES - 1))))
                nb.cells.append(probe)
                t = time.monotonic()
                client.execute_cell(probe, len(nb.cells) - 1)
                times.append(time.monotonic() - t)
                ok = ok and not problems(probe, len(nb.cells) - 1)
            probes[name] = (statistics.median(times[:PROBES]), ok, times[PROBES])
    # The kernel has exited and been waited for: its CPU time, with that of every process it
    # waited for, is now counted in ours.
    return {"start": started - t0, "run_all": ended - started, "cells": cells, "failed": failed, "probes": probes,
            "cpu": children_cpu() - cpu0}


def children_cpu():
    """User + system CPU seconds of the waited-for child processes of this one, and theirs."""
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def summary(name, mode, r):
    if not r["cells"]:
        print("  %-5s kernel start %5.1f s, no code cell ran to its end" % (mode, r["start"]))
        print_failed(r)
        return
    times = [c[0] for c in r["cells"]]
    slow = max(r["cells"], key=lambda c: c[0])
    plots = [c for c in r["cells"] if is_plot(c[2])]
    print("  %-5s kernel start %5.1f s, Run-All %6.1f s, %d code cells: median %.2f s, max %.2f s (cell %d: %s)"
          % (mode, r["start"], r["run_all"], len(times), statistics.median(times), slow[0], slow[1] + 1,
             first_line(slow[2])))
    if plots:
        worst = max(plots, key=lambda c: c[0])
        print("        %d plotting cells: median %.2f s, max %.2f s (cell %d: %s)"
              % (len(plots), statistics.median([c[0] for c in plots]), worst[0], worst[1] + 1, first_line(worst[2])))
    top = sorted(r["cells"], key=lambda c: -c[0])[:SLOWEST]
    print("        slowest: %s" % "; ".join("cell %d %.1f s (%s)" % (c[1] + 1, c[0], first_line(c[2])[:30]) for c in top))
    for name, (t, ok, again) in r["probes"].items():
        print("        probe: %s cell %.2f s (median of %d new cells), %.2f s run again unchanged%s"
              % (name, t, PROBES, again, "" if ok else ", FAILED"))
    print("        CPU time of the kernel and its processes: %.1f s (user + system, probes included)" % r["cpu"])
    print_failed(r)


def print_failed(r):
    """Prints each failed cell with what nbrun.py's rules found, first lines only."""
    for index, problems in r["failed"]:
        lines = [ln for p in problems for ln in p.splitlines() if ln.strip()]
        print("        FAILED cell %d: %s" % (index + 1, "; ".join(lines[:3])))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    here = os.path.dirname(os.path.abspath(__file__))
    ap.add_argument("notebooks", nargs="*",
                    default=sorted(glob.glob(os.path.join(here, "..", "..", "notebooks", "*.ipynb"))))
    ap.add_argument("--timeout", type=int, default=900, help="seconds per cell (default 900)")
    ap.add_argument("--kernel-log", action="store_true", help="show the kernel's log (stderr)")
    args = ap.parse_args()
    verdicts, status = [], 0
    for path in args.notebooks:
        name = os.path.basename(path)
        print(name, flush=True)
        gocache = tempfile.mkdtemp(prefix="gocache-")
        try:
            results = {}
            for mode in ("cold", "warm"):
                results[mode] = run(path, gocache, args.timeout, args.kernel_log)
                summary(name, mode, results[mode])
                sys.stdout.flush()
        except Exception as e:  # the kernel did not start, or died
            print("  cannot run: %s: %s" % (type(e).__name__, e))
            status = 2
            continue
        finally:
            shutil.rmtree(gocache, ignore_errors=True)
        warm = results["warm"]
        if results["cold"]["failed"] or warm["failed"]:
            status = max(status, 1)
            cold_cells = sorted({i + 1 for i, _ in results["cold"]["failed"]})
            warm_cells = sorted({i + 1 for i, _ in warm["failed"]})
            verdicts.append("%-28s FAIL: cells failed (cold: %s; warm: %s), so its times do not count" % (
                name, ", ".join(map(str, cold_cells)) or "none", ", ".join(map(str, warm_cells)) or "none"))
            continue
        for probe, target in (("trivial", TARGET_TRIVIAL), ("plot", TARGET_PLOT)):
            t = warm["probes"][probe][0]
            verdicts.append("%-28s warm %s cell %.2f s (≤ %.1f: %s)" % (
                name, probe, t, target, "pass" if t <= target else "FAIL"))
        plots = [c[0] for c in warm["cells"] if is_plot(c[2])]
        if plots:
            verdicts.append("%-28s its own %d plotting cells, warm: median %.2f s, max %.2f s (info: they also compute)" % (
                name, len(plots), statistics.median(plots), max(plots)))
        if name == MAIN_NOTEBOOK:
            verdicts.append("%-28s warm Run-All %.1f s (≤ %.0f: %s)" % (
                name, warm["run_all"], TARGET_RUN_ALL, "pass" if warm["run_all"] <= TARGET_RUN_ALL else "FAIL"))
    print("\ntargets (warm build cache):")
    print("\n".join("  " + v for v in verdicts))
    sys.exit(status)


if __name__ == "__main__":
    main()
