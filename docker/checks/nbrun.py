"""Execute Jupyter notebooks through their kernel (GoNB) and report the cells that failed.

    /usr/bin/python3 docker/checks/nbrun.py [-j JOBS] [--out DIR] [--timeout SECONDS]
                                     [--iopub-timeout SECONDS] [--cwd DIR] NOTEBOOK...

Used by notebooks/notebooks_test.go (go test) and docker/course/export.sh, so both judge a
notebook the same way. Run it with /usr/bin/python3: it needs Debian's nbclient (0.7.2;
nbclient 0.11 works too).

A code cell failed when
  - the kernel's execute_reply says so (status "error" or "aborted"), or no reply came;
  - its outputs did not all arrive: the kernel was still sending them --iopub-timeout
    seconds after its reply (nbclient would otherwise keep what had come and go on);
  - its outputs show it failed, by the one rule that the load test and the browser tests
    read too (docker/checks/cellrule/rule.json): an error output (GoNB sends one when a
    cell does not compile or panics), GoNB's HTML error report (the compiler's message,
    with the cell's line), or a stderr line "exit status N" (a failed `!` shell command:
    GoNB replies "ok" and sends no error output for those).
A cell that runs longer than --timeout, kills the kernel, or whose output was cut fails
too, and stops that notebook.

The notebooks given are never written to. With --out, the executed copies (with their
outputs) go to DIR under the same file names, each cell's consecutive stream outputs of one
name joined into one (coalesce_streams), so that what a cell prints reads as one block.
Exit status: 0 when every cell of every notebook ran cleanly, 1 when a cell failed, 2 when
a notebook could not be run at all, 128+N when signal N (SIGINT, SIGTERM, SIGHUP) stopped
the run.

Nothing outlives a run. Every process of a run (the kernels, their gopls, the cells'
programs) carries the environment variable GDLESSON_NBRUN, naming the run's folder
($GDLESSON_NBRUN_ROOT, by default $TMPDIR/gdlesson-nbrun-UID, then PID-STARTTIME of the
runner); the kernels' temporary files and connection files go into that folder. At its
end, on a signal, or when the program that started it goes away, the runner kills every
process that carries its mark and removes its folder. A runner killed with SIGKILL
cannot: its worker processes see it gone and end their kernels, and the next run ends
whatever still carries the mark of a run whose runner is gone, and removes its folder.
"""

import argparse
import concurrent.futures
import html
import html.parser
import os
import re
import shutil
import signal
import stat
import sys
import tempfile
import threading
import time
import traceback

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionComplete, CellTimeoutError, DeadKernelError

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "cellrule"))
import cellrule  # noqa: E402  (the failed-cell rule: docker/checks/cellrule/rule.json)

MARK = "GDLESSON_NBRUN"  # names the run (and the kernel) a process belongs to
ROOT_ENV = "GDLESSON_NBRUN_ROOT"  # the folder that holds the runs' folders
RUN_NAME = re.compile(r"^([0-9]+)-([0-9]+)$")  # a run's folder: PID-STARTTIME of its runner
END_WAIT = 10  # seconds to wait for killed processes to go, before saying which remain
ANSI = cellrule.ANSI
MAX_LINES = 25
IOPUB_TIMEOUT = 120  # default seconds to wait for a cell's outputs after its reply (--iopub-timeout)


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
    """Returns the error texts found in the outputs of one executed code cell, judged by
    cellrule (docker/checks/cellrule/rule.json); [] when it ran cleanly."""
    outputs = cell.get("outputs", [])
    found = cellrule.problems(outputs)
    if not found:
        return []
    # GoNB's HTML report carries the compiler's message, stderr a panic or a failed
    # command's message; the error output beside them often only says the build failed.
    reports = [html_text(text) for kind, text in found if kind == cellrule.REPORT]
    stderr = ANSI.sub("", "".join(cellrule.text(o.get("text")) for o in outputs
                                  if o.get("output_type") == "stream" and o.get("name") == "stderr"))
    errors = []
    for out in outputs:
        if out.get("output_type") in cellrule.RULE["errorOutputTypes"]:
            text = "%s: %s" % (out.get("ename", ""), out.get("evalue", ""))
            tb = ANSI.sub("", "\n".join(out.get("traceback") or [])).strip()
            if tb and tb not in text:
                text += "\n" + tb
            errors.append(text)
    return [clip(t) for t in reports + ([stderr] if stderr.strip() else []) + errors]


def coalesce_streams(cell):
    """Joins each run of consecutive stream outputs of one name (stdout, stderr) in a code cell
    into one output. GoNB sends a cell's printing in pieces and nbclient saves each piece as
    an output of its own, so a table printed with fmt.Printf would become one block per value
    in the exported pages, slides and PDFs. (nbconvert's coalesce_streams preprocessor does
    the same, and also drops text overwritten by a carriage return; this keeps the text.)"""
    outputs, pieces = [], {}  # pieces: id of a kept stream output -> its texts, joined once
    for out in cell.get("outputs", []):
        last = outputs[-1] if outputs else None
        if (last is not None and out.get("output_type") == "stream" and last.get("output_type") == "stream"
                and out.get("name") == last.get("name")):
            pieces.setdefault(id(last), [cellrule.text(last.get("text"))]).append(cellrule.text(out.get("text")))
        else:
            outputs.append(out)
    for out in outputs:
        if id(out) in pieces:
            out["text"] = "".join(pieces[id(out)])
    cell["outputs"] = outputs


def process_start(pid):
    """Returns the start time of process pid (clock ticks after boot, field 22 of
    /proc/PID/stat), or None when it has gone or is a zombie."""
    try:
        with open("/proc/%d/stat" % pid, "rb") as f:
            fields = f.read().rsplit(b")", 1)[1].split()
    except (OSError, IndexError):
        return None
    if fields[0] in (b"Z", b"X"):  # fields[0] is field 3, the state
        return None
    return int(fields[19])


def marked_processes():
    """Yields (pid, value of GDLESSON_NBRUN) of every process that carries the mark and
    whose environment this user may read. Zombies have no environment left."""
    key = MARK.encode() + b"="
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open("/proc/%s/environ" % name, "rb") as f:
                env = f.read()
        except OSError:  # gone, or another user's
            continue
        for item in env.split(b"\0"):
            if item.startswith(key):
                yield int(name), item[len(key):].decode(errors="replace")
                break


def end_processes(belongs):
    """Kills (SIGKILL) every process whose mark satisfies belongs, but this one, until none
    is left (a kernel may start a process while the others are killed). Returns how many
    it killed; says on stderr which ones it could not end."""
    killed, me = set(), os.getpid()
    deadline = time.monotonic() + END_WAIT
    while True:
        pids = [pid for pid, value in marked_processes() if pid != me and belongs(value)]
        if not pids:
            return len(killed)
        if time.monotonic() > deadline:
            print("nbrun: could not end processes %s" % " ".join(map(str, pids)), file=sys.stderr, flush=True)
            return len(killed)
        for pid in pids:
            try:
                os.kill(pid, signal.SIGKILL)
                killed.add(pid)
            except ProcessLookupError:
                pass
            except PermissionError as e:
                print("nbrun: cannot end process %d: %s" % (pid, e), file=sys.stderr, flush=True)
                return len(killed)
        time.sleep(0.05)


def runs_root():
    """Returns the folder that holds the runs' folders, made if needed (mode 0700)."""
    root = os.path.abspath(os.environ.get(ROOT_ENV) or
                           os.path.join(tempfile.gettempdir(), "gdlesson-nbrun-%d" % os.getuid()))
    os.makedirs(root, mode=0o700, exist_ok=True)
    st = os.lstat(root)
    if not stat.S_ISDIR(st.st_mode) or st.st_uid != os.getuid():
        raise OSError("%s is not a folder of user %d; remove it or set %s to another folder" % (
            root, os.getuid(), ROOT_ENV))
    return root


def owner_gone(run):
    """Reports whether run (a run folder's name, PID-STARTTIME) was made by a runner that is gone."""
    m = RUN_NAME.match(run)
    return bool(m) and process_start(int(m[1])) != int(m[2])


def sweep(root):
    """Ends what runs that were killed left behind: every process that still carries the
    mark of a run whose runner is gone, and that run's folder."""
    def stale(value):
        if not value.startswith(root + "/"):
            return False
        return owner_gone(value[len(root) + 1:].split("/", 1)[0])
    ended = end_processes(stale)
    removed = 0
    for name in os.listdir(root):
        if owner_gone(name):
            shutil.rmtree(os.path.join(root, name), ignore_errors=True)
            removed += 1
    if ended or removed:
        print("nbrun: cleaned up after %d earlier runs that were killed: ended %d of their processes" % (
            removed, ended), file=sys.stderr, flush=True)


class Stopped(BaseException):
    """Raised in the runner's main process by a signal, or when its parent went away.
    A BaseException, so that no `except Exception` on the way swallows it."""

    def __init__(self, signum, why):
        super().__init__(why)
        self.signum = signum


def on_signal(signum, frame):
    raise Stopped(signum, "stopped by " + signal.Signals(signum).name)


STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)


class Client(NotebookClient):
    """A NotebookClient that keeps, for each cell, the kernel's execute_reply and whether
    the kernel's "idle" status came, which ends a cell's outputs on IOPub."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.replies, self.complete = {}, set()
        self.on_cell_executed = self._keep_reply

    def _keep_reply(self, cell, cell_index, execute_reply):
        self.replies[cell_index] = execute_reply

    def process_message(self, msg, cell, cell_index):
        try:
            return super().process_message(msg, cell, cell_index)
        except CellExecutionComplete:
            self.complete.add(cell_index)
            raise


def reply_problems(client, index, found, iopub_timeout):
    """Returns what the kernel's reply to cell index, and the end of its outputs, say is
    wrong, beside the problems found in its outputs."""
    problems = []
    if index not in client.complete:
        problems.append("its output is incomplete: the kernel was still sending it %d s after the cell "
                        "had finished, and the rest was lost (a larger --iopub-timeout waits longer); "
                        "the notebook stops here" % iopub_timeout)
    reply = client.replies.get(index)
    content = (reply or {}).get("content", {})
    status = content.get("status")
    if reply is None:
        problems.append("the kernel sent no reply to the cell")
    elif status == "error":
        evalue = content.get("evalue", "")
        if not found or (evalue and not any(evalue in f for f in found)):  # else an output says it
            problems.append("the kernel replied status 'error' (%s)" % clip(
                "%s: %s" % (content.get("ename", ""), evalue)))
    elif status == "aborted":
        problems.append("the kernel aborted the cell (reply status 'aborted')")
    elif status != "ok":
        problems.append("the kernel replied an unknown status %r" % status)
    return problems


def describe(nb, index):
    """Names cell number index (0-based) the way a person finds it in the notebook."""
    cell = nb.cells[index]
    code_no = sum(1 for c in nb.cells[: index + 1] if c.cell_type == "code")
    first = next((ln for ln in cell.source.splitlines() if ln.strip()), "")
    count = cell.get("execution_count")
    shown = "In [%s]" % count if count is not None else "not run"
    return "cell %d of %d (code cell %d, %s) starting %r" % (
        index + 1, len(nb.cells), code_no, shown, first[:80])


kernels_started = 0  # in this worker process, to give each kernel its own mark


def run(path, out_dir, timeout, iopub_timeout, cwd=None):
    """Executes one notebook in a worker process; returns (report lines, number of code
    cells run, status)."""
    global kernels_started
    start = time.monotonic()
    name = os.path.relpath(path)
    try:
        nb = nbformat.read(path, as_version=4)
    except Exception as e:  # unreadable JSON, wrong format
        return ["FAIL %s: cannot read the notebook: %s" % (name, e)], 0, 2
    client = Client(
        nb,
        timeout=timeout,
        iopub_timeout=iopub_timeout,
        raise_on_iopub_timeout=False,  # a cut output is reported as such, with the cell's reply
        allow_errors=True,
        record_timing=False,
        # The kernel starts in the notebook's own folder, as in Jupyter, so the
        # set-up cell's path relative to the notebook resolves to this repository;
        # --cwd names another (a generated copy that must run where its original lives).
        resources={"metadata": {"path": os.path.abspath(cwd) if cwd else os.path.dirname(os.path.abspath(path))}},
    )
    kernels_started += 1
    mark = "%s/k%d-%d" % (os.environ[MARK], os.getpid(), kernels_started)
    failures, ran, status = [], 0, 0
    try:
        with client.setup_kernel(env=dict(os.environ, **{MARK: mark})):
            for index, cell in enumerate(nb.cells):
                if cell.cell_type != "code":
                    continue
                try:
                    client.execute_cell(cell, index)
                except CellTimeoutError:
                    failures.append((index, ["timed out after %d s" % timeout]))
                    client.shutdown_kernel = "immediate"  # it is busy: no use asking it to stop
                    break
                except DeadKernelError as e:
                    failures.append((index, ["the kernel died: %s" % e]))
                    break
                ran += 1
                found = cell_problems(cell)
                problems = reply_problems(client, index, found, iopub_timeout) + found
                if problems:
                    failures.append((index, problems))
                if index not in client.complete:
                    break  # the rest of its output would come in the next cells' place
    except Exception as e:  # the kernel did not start: missing kernel spec, gonb, go
        return ["FAIL %s: cannot run the kernel %r: %s: %s" % (
            name, nb.metadata.get("kernelspec", {}).get("name"), type(e).__name__, e)], 0, 2
    finally:
        # What the kernel left: the gopls of a kernel that died, a cell's background job.
        end_processes(lambda value: value == mark)
    if out_dir:
        # After the whole run, so that a later cell's update of a display (by its output's
        # index) finds its place.
        for cell in nb.cells:
            if cell.cell_type == "code":
                coalesce_streams(cell)
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


def watch_runner(runner):
    """In a worker: when the runner (the parent) is gone, killed without a chance to clean
    up, ends this worker's kernels and then the worker."""
    while os.getppid() == runner:
        time.sleep(0.5)
    mine = "%s/k%d-" % (os.environ[MARK], os.getpid())
    end_processes(lambda value: value.startswith(mine))
    os._exit(3)


def start_worker(runner):
    # The runner's main process handles these for the whole run, killing the workers.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGHUP, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    threading.Thread(target=watch_runner, args=(runner,), daemon=True).start()


def positive(text):
    try:
        n = int(text)
    except ValueError:
        n = 0
    if n < 1:
        raise argparse.ArgumentTypeError("%r is not a whole number of at least 1" % text)
    return n


def execute(args):
    """Runs the notebooks in worker processes and prints their reports; returns the exit
    status. Raises Stopped when the program that started the runner goes away."""
    parent = os.getppid()
    worst, cells = 0, 0
    pool = concurrent.futures.ProcessPoolExecutor(
        max_workers=args.jobs, initializer=start_worker, initargs=(os.getpid(),))
    jobs = [pool.submit(run, p, args.out, args.timeout, args.iopub_timeout, args.cwd) for p in args.notebooks]
    for path, job in zip(args.notebooks, jobs):  # in the order given, so the report reads the same every time
        while True:
            try:
                lines, ran, status = job.result(timeout=0.5)
                break
            except concurrent.futures.TimeoutError:
                if parent != 1 and os.getppid() != parent:
                    raise Stopped(signal.SIGHUP, "the program that started nbrun has gone")
            except Exception as e:  # the worker process died (out of memory, killed)
                lines, ran, status = ["FAIL %s: the runner's worker process failed: %s: %s" % (
                    os.path.relpath(path), type(e).__name__, e)], 0, 2
                break
        print("\n".join(lines), flush=True)
        cells += ran
        worst = max(worst, status)
    pool.shutdown()
    print("nbrun: %d notebooks, %d code cells, %s" % (
        len(args.notebooks), cells, "all ok" if worst == 0 else "FAILED"), flush=True)
    return worst


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("notebooks", nargs="+")
    ap.add_argument("--out", help="folder for the executed copies")
    ap.add_argument("--timeout", type=positive, default=600, help="seconds per cell (default 600)")
    ap.add_argument("--iopub-timeout", type=positive, default=IOPUB_TIMEOUT,
                    help="seconds to wait, after a cell's reply, for the rest of its outputs (default 120)")
    ap.add_argument("--cwd", help="folder the kernels start in (default: each notebook's own folder); "
                    "docker/course/export.sh runs the student edition's copies in notebooks/ with it")
    ap.add_argument("-j", "--jobs", type=positive, default=1, help="notebooks run at once (default 1)")
    args = ap.parse_args()
    if args.out:
        os.makedirs(args.out, exist_ok=True)
    try:
        root = runs_root()
        sweep(root)
        me = os.getpid()
        folder = os.path.join(root, "%d-%d" % (me, process_start(me)))
        os.mkdir(folder, 0o700)
    except OSError as e:
        print("nbrun: error: cannot make the run's folder: %s" % e, file=sys.stderr)
        return 2
    # Every process started from here on carries the mark, and writes its temporary
    # files (the kernels' connection files, GoNB's cell module) into the run's folder.
    os.environ[MARK] = os.environ["TMPDIR"] = tempfile.tempdir = folder
    for s in STOP_SIGNALS:
        signal.signal(s, on_signal)
    status = 2
    try:
        status = execute(args)
    except Stopped as e:
        status = 128 + e.signum
        print("nbrun: %s; ending the kernels" % e, file=sys.stderr, flush=True)
    except Exception:
        traceback.print_exc()
    finally:
        for s in STOP_SIGNALS:  # the clean-up is short: let nothing interrupt it
            signal.signal(s, signal.SIG_IGN)
        end_processes(lambda value: value == folder or value.startswith(folder + "/"))
        shutil.rmtree(folder, ignore_errors=True)
    sys.stdout.flush()
    os._exit(status)  # not sys.exit: the workers were killed, and a pool's exit handler would wait for them


if __name__ == "__main__":
    main()
