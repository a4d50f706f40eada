"""gdlesson's JupyterHub spawner: one Unix account, one home and one memory cgroup per learner.

JupyterHub imports this module from jupyterhub_config.py (LearnerSpawner). Run as a program,
it does the per-learner steps that must run with the learner's own rights:

    python3 gdlesson_hub.py populate COURSE_NOTEBOOKS DEST    (as the learner)

Why a spawner of our own: a small course on one server wants what The Littlest JupyterHub
gives (a Unix user per learner, a home only they can read, a memory limit), but TLJH's
SystemdSpawner needs systemd, which many small servers and containers do not run. This is
JupyterHub's LocalProcessSpawner plus:

  - the learner's Unix account "jupyter-NAME" (TLJH's prefix, so that a learner called "root"
    or "daemon" cannot become a system account), in the group gdlesson-learners, with a home
    of mode 0700: learners cannot read each other's files;
  - the course notebooks handed out into ~/notebooks on each start (handout.py): missing
    ones copied, ones the learner never changed replaced by the course's current version, a
    changed one never overwritten (the new version goes beside it, and 更新のお知らせ.md
    says so). Learners get the student edition (the course
    folder holds no other); the hub's admins get the instructor edition, from a folder only
    the group gdlesson-instructors reads, and their accounts are put in that group (and taken
    out of it when they stop being admins);
  - a Go build cache made of hard links to the warm template that docker/hub/setup.sh built
    (cp -al: about 1 MB of folders per learner instead of about 100 MB of copies), remade
    when the template changes; a shared read-only Go module cache and GOPROXY pointing at it,
    so no cell downloads anything;
  - a memory cgroup (v1, or v2 when the machine has only v2) and a pids cgroup per learner:
    the server's process is put in it before it drops root, so its kernels, go builds and
    gopls are in it too; when the server stops, everything left in the cgroup (a GoNB kernel
    killed by the culler leaves its gopls running) is killed, and while it runs, the hub's
    poll (every 30 s) ends any gopls whose GoNB kernel is gone (killed by the memory limit).
  - without writable cgroups (a container or chroot without /sys/fs/cgroup, or
    GDLESSON_HUB_CGROUPS=off): the same clean-up by the learner's own uid, since every
    process of jupyter-NAME belongs to that learner's one server; the process limit becomes
    RLIMIT_NPROC (which counts the uid's processes and threads, like the pids cgroup); and
    there is no memory limit per learner, which the hub says when it starts: only each
    process is limited, by RLIMIT_DATA (RLIMIT_AS would break Go programs, which reserve far
    more address space than they use).
"""

import errno
import grp
import os
import pwd
import resource
import shutil
import signal
import subprocess
import sys
import time

USER_PREFIX = "jupyter-"
LEARNER_GROUP = "gdlesson-learners"
# The hub's admins are the course's instructors: their accounts, and nobody else's, are in this
# group, which alone (with root) reads the instructor edition (docker/hub/setup.sh).
INSTRUCTOR_GROUP = "gdlesson-instructors"
# The settings of the learners' gopls (docker/hub/lazygopls, docker/hub/README.md) that the hub
# passes from its own environment to each learner's server, and so to their kernels' gopls.
GOPLS_SETTINGS = ("GDLESSON_GOPLS", "GDLESSON_GOPLS_GOGC", "GDLESSON_GOPLS_MEMLIMIT")

if __name__ != "__main__":
    from jupyterhub.spawner import LocalProcessSpawner
    from traitlets import Bool, Integer, Unicode
    from tornado import web

    def spawn_error(message):
        """The error of a failed start, in Japanese, as the learner's spawn page shows it: JupyterHub
        shows an exception's jupyterhub_message as it is (without "HTTP 500: Internal Server
        Error"), after its own "Spawn failed: ", which docker/hub/templates/spawn_pending.html
        puts into Japanese. The hub's log has the same message."""
        e = web.HTTPError(500, "%s", message)
        e.jupyterhub_message = message
        return e


# ---------------------------------------------------------------------------
# populate: runs as the learner.


def populate(src, dest):
    """Hands the notebooks of src out into dest (handout.hand_out: new ones copied, ones the
    learner never changed replaced by a new version, a changed one kept with the new version
    beside it, and 更新のお知らせ.md saying so). Exits with handout's message (a full disk
    names the file and the free space). Returns the lines to print."""
    import handout

    try:
        copied, replaced, beside = handout.hand_out(src, dest)
    except handout.HandOutError as e:
        raise SystemExit(str(e))
    return ([f"copied {n}" for n in copied] + [f"replaced {n}" for n in replaced]
            + [f"kept {n}, new version beside it: {side}" for n, side in beside])


# ---------------------------------------------------------------------------
# The learner's Go build cache: run in the hub (root).


class CacheError(Exception):
    pass


def link_cache(templates, top, stamp, uid, gid):
    """Makes top/NAME a copy of each template (templates: NAME to folder, e.g. "go-build" to the
    warm Go build cache, "gopls" to gopls's) made of hard links (cp -al), and top/gdlesson-stamp.

    The folders become uid's (new cache entries go there); the linked files stay root's and
    read-only, so no learner can change what another one reads. top is root's (0700) until the
    copy is complete. On any failure, top is removed (it holds nothing of the learner's: only
    links to the template and the learner's later build results, which go rebuilds) and
    CacheError says why: a full disk with its free space and inodes, or the template on another
    filesystem.
    """
    root = os.path.dirname(top)
    # Hard links cannot cross filesystems: say so before copying anything (cp -al would make
    # folders until it failed, on EXDEV or, on a small disk, ENOSPC first).
    for template in templates.values():
        try:
            cross = os.stat(template).st_dev != os.stat(root).st_dev
        except OSError as e:
            raise CacheError(f"Go のビルドキャッシュを {top} にリンクできませんでした: {e}") from None
        if cross:
            raise CacheError(
                f"Go のビルドキャッシュを {top} にリンクできませんでした: {template} と {root} が別のファイルシステムにあり、"
                f"ハードリンクはファイルシステムをまたげません。両方を同じファイルシステムに置いてください（docker/hub/setup.sh を参照）"
            )
    try:
        if os.path.lexists(top):
            shutil.rmtree(top)
        os.mkdir(top, 0o700)
        for name, template in templates.items():
            cache = os.path.join(top, name)
            r = subprocess.run(["cp", "-al", template, cache], capture_output=True, text=True)
            if r.returncode != 0:
                raise OSError(r.stderr.strip().splitlines()[-1] if r.stderr.strip() else f"cp -al: exit status {r.returncode}")
            os.unlink(os.path.join(cache, "gdlesson-stamp"))
            for d, _, _ in os.walk(cache):
                os.chown(d, uid, gid)
        with open(os.path.join(top, "gdlesson-stamp"), "w") as f:
            f.write(stamp + "\n")
        os.chown(top, uid, gid)
    except OSError as e:
        shutil.rmtree(top, ignore_errors=True)
        why = str(e)
        if e.errno in (errno.ENOSPC, errno.EDQUOT) or "No space left" in why or "quota exceeded" in why:
            st = os.statvfs(root)
            raise CacheError(
                f"{root} のディスクがいっぱいです（空き {st.f_bavail * st.f_frsize / 1e6:.1f} MB、i ノード {st.f_favail} 個）: "
                f"Go のビルドキャッシュを {top} にリンクできませんでした（{why}）。学習者のファイルには触れていません。"
                f"空きを作ってから、サーバーをもう一度起動してください。"
            ) from None
        raise CacheError(f"Go のビルドキャッシュを {top} にリンクできませんでした: {why}") from None


# ---------------------------------------------------------------------------
# cgroups: run in the hub (root).


def _own_cgroup(controller):
    """The hub's own cgroup v1 path for controller, e.g. "/" or "/system.slice/x"."""
    with open("/proc/self/cgroup") as f:
        for line in f:
            _, ctrls, path = line.rstrip("\n").split(":", 2)
            if controller in ctrls.split(","):
                return path
    return None


def cgroup_dirs(user):
    """The cgroup folders of a learner: [(kind, path)], kind "memory", "pids" or "v2".

    They are made under the hub's own cgroup, so the machine's own accounting still counts
    the learners. Empty when the machine has no writable cgroup for memory.
    """
    dirs = []
    for ctrl in ("memory", "pids"):
        own = _own_cgroup(ctrl)
        base = f"/sys/fs/cgroup/{ctrl}"
        if own is not None and os.path.isdir(base):
            dirs.append((ctrl, os.path.join(base + own, "gdlesson", user)))
    if not dirs and os.path.exists("/sys/fs/cgroup/cgroup.controllers"):
        own = _own_cgroup("")  # v2: the line "0::/path"
        dirs.append(("v2", os.path.join("/sys/fs/cgroup" + (own or "/"), "gdlesson", user)))
    return dirs


def cgroup_support():
    """Whether learners can get a memory cgroup here: (True, "") or (False, why not).

    It makes and removes a probe folder where cgroup_dirs would put a learner's, so a
    read-only /sys/fs/cgroup (a container) counts as none.
    """
    dirs = [(k, p) for k, p in cgroup_dirs("gdlesson-probe-%d" % os.getpid()) if k in ("memory", "v2")]
    if not dirs:
        return False, "no cgroup memory controller under /sys/fs/cgroup"
    _, path = dirs[0]
    try:
        os.makedirs(path)
    except OSError as e:
        return False, f"cannot make {path}: {e.strerror}"
    try:
        os.rmdir(path)
    except OSError:
        pass
    return True, ""


def cgroup_pids(path):
    try:
        with open(os.path.join(path, "cgroup.procs")) as f:
            return [int(x) for x in f.read().split()]
    except FileNotFoundError:
        return []


def uid_pids(uid):
    """Every live process of the uid, from /proc."""
    pids = []
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            # /proc/PID belongs to the process's effective uid, or to root when the process
            # made itself not dumpable: a stat rules out most others without reading a file.
            if os.stat(f"/proc/{d}").st_uid not in (uid, 0):
                continue
            with open(f"/proc/{d}/status") as f:
                status = f.read()
        except OSError:
            continue
        state = uids = None
        for line in status.splitlines():
            if line.startswith("State:"):
                state = line.split()[1]
            elif line.startswith("Uid:"):
                uids = [int(x) for x in line.split()[1:]]
                break
        if state == "Z":
            continue  # a zombie: dead already, only not yet reaped by its parent
        if uids and uid in uids[:2]:  # its real or effective uid
            pids.append(int(d))
    return pids


def _stat(pid):
    """(comm, ppid) of a process, or None when it is gone."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            raw = f.read()
    except OSError:
        return None
    comm = raw[raw.index("(") + 1 : raw.rindex(")")]
    return comm, int(raw[raw.rindex(")") + 2 :].split()[1])


def reap_orphan_gopls(pids):
    """Kills the gopls processes among pids (a cgroup's, or a learner's uid's) whose GoNB kernel
    is gone (a kernel killed by the memory limit or by hand leaves its gopls behind,
    reparented). A gopls whose parent is a gopls is the real one under its stand-in
    (docker/hub/lazygopls), which ends with it. Returns the pids killed."""
    killed = []
    for pid in pids:
        st = _stat(pid)
        if not st or st[0] != "gopls":
            continue
        parent = _stat(st[1])
        if parent is None or parent[0] not in ("gonb", "gopls"):
            try:
                os.kill(pid, signal.SIGKILL)
                killed.append(pid)
            except ProcessLookupError:
                pass
    return killed


def kill_all(list_pids, grace=3.0):
    """Ends every process that list_pids() returns (TERM, then KILL after grace seconds)."""
    for sig in (signal.SIGTERM, signal.SIGKILL):
        pids = list_pids()
        if not pids:
            return
        for pid in pids:
            try:
                os.kill(pid, sig)
            except ProcessLookupError:
                pass
        deadline = time.monotonic() + grace
        while time.monotonic() < deadline and list_pids():
            time.sleep(0.1)


def kill_cgroup(path, grace=3.0):
    """Ends every process in the cgroup."""
    kill_all(lambda: cgroup_pids(path), grace)


def kill_uid(uid, grace=3.0):
    """Ends every process of the uid (never root's: a learner's uid is never 0)."""
    if uid == 0:
        raise ValueError("refusing to kill the processes of uid 0")
    kill_all(lambda: uid_pids(uid), grace)


def telemetry_off(home):
    """Whether Go telemetry is off for the user of home already (`go telemetry off` writes
    "off DATE" to os.UserConfigDir()/go/telemetry/mode): it is then not run again at each start."""
    try:
        fd = os.open(os.path.join(home, ".config", "go", "telemetry", "mode"), os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except OSError:
        return False
    with os.fdopen(fd) as f:
        try:
            return f.read(64).split()[:1] == ["off"]
        except (OSError, UnicodeDecodeError):
            return False


class _Steps:
    """Wall-clock seconds of the steps of a server's start, for the hub's log."""

    def __init__(self):
        self.t = time.monotonic()
        self.parts = []

    def done(self, what):
        now = time.monotonic()
        self.parts.append((what, now - self.t))
        self.t = now

    def __str__(self):
        total = sum(s for _, s in self.parts)
        return "%.2f s (%s)" % (total, ", ".join("%s %.2f s" % p for p in self.parts))


# ---------------------------------------------------------------------------
# The spawner.

if __name__ != "__main__":

    def path_setting(default, help):
        """A folder setting of LearnerSpawner, which jupyterhub_config.py may set."""
        return Unicode(default, help=help).tag(config=True)

    class LearnerSpawner(LocalProcessSpawner):
        """LocalProcessSpawner with an account, notebooks, caches and cgroups per learner."""

        course_dir = path_setting("/srv/gdlesson/course", "The read-only clone of the repository.")
        instructor_dir = path_setting(
            "/srv/gdlesson/instructor",
            "The instructor edition's notebooks, which admins get (group gdlesson-instructors).",
        )
        modcache_dir = path_setting("/srv/gdlesson/gomodcache", "The shared, read-only Go module cache.")
        gocache_template = path_setting("/srv/gdlesson/gocache", "The warm Go build cache that learners' caches link to.")
        goplscache_template = path_setting("/srv/gdlesson/goplscache", "The warm gopls cache that learners' gopls caches link to.")
        learner_cache_root = path_setting(
            "/var/cache/gdlesson",
            "Where each learner's Go build cache is made (same filesystem as the template).",
        )
        bin_dir = path_setting(
            "/usr/local/share/gdlesson/hub/bin", "Put first on the learner's PATH (gopls started at the first completion, docker/hub/lazygopls)."
        )
        python = Unicode(sys.executable, help="The Python that runs the populate step.").tag(config=True)
        server_log_dir = path_setting(
            "",
            "Where each learner's server (and its kernels) writes its output, NAME.log (empty: the "
            "hub's own output). A file outlives the hub: a server kept across a hub restart must not "
            "write to a pipe whose reader is gone (gonb and gopls die of SIGPIPE).",
        )
        pids_limit = Integer(512, help="Most processes and threads per learner (0: no limit).").tag(config=True)
        use_cgroups = Bool(
            True,
            help="Put each learner's server in cgroups of its own (memory and process limits). "
            "False, or a machine without writable cgroups: clean up by the learner's uid, limit "
            "processes by RLIMIT_NPROC, and no memory limit.",
        ).tag(config=True)

        @property
        def unix_name(self):
            return USER_PREFIX + self.user.name

        # --- account -----------------------------------------------------------
        def ensure_account(self):
            name = self.unix_name
            try:
                grp.getgrnam(LEARNER_GROUP)
            except KeyError:
                subprocess.run(["groupadd", "--system", LEARNER_GROUP], check=True)
            try:
                pw = pwd.getpwnam(name)
            except KeyError:
                self.log.info("creating Unix account %s", name)
                r = subprocess.run(
                    ["useradd", "--create-home", "--shell", "/bin/bash", "--gid", LEARNER_GROUP,
                     "--key", "UMASK=077", "--comment", f"gdlesson learner {self.user.name}", name],
                    capture_output=True, text=True,
                )
                if r.returncode != 0:
                    raise spawn_error(f"Unix アカウント {name} を作れませんでした: {r.stderr.strip()}")
                pw = pwd.getpwnam(name)
            if pw.pw_gid != grp.getgrnam(LEARNER_GROUP).gr_gid:
                raise spawn_error(
                    f"Unix アカウント {name} はすでにありますが、gdlesson の学習者（グループ {LEARNER_GROUP}）ではないので使いません"
                )
            os.chmod(pw.pw_dir, 0o700)
            self.ensure_instructor(pw)
            return pw

        def ensure_instructor(self, pw):
            """Puts the account in the instructors' group when the user is a hub admin, and takes
            it out when not (an admin demoted loses the instructor edition's folder at the next
            start; notebooks already copied stay in their home)."""
            try:
                members = grp.getgrnam(INSTRUCTOR_GROUP).gr_mem
            except KeyError:
                subprocess.run(["groupadd", "--system", INSTRUCTOR_GROUP], check=True)
                members = []
            member = pw.pw_name in members
            if self.user.admin and not member:
                args = ["usermod", "--append", "--groups", INSTRUCTOR_GROUP, pw.pw_name]
            elif not self.user.admin and member:
                args = ["gpasswd", "--delete", pw.pw_name, INSTRUCTOR_GROUP]
            else:
                return
            r = subprocess.run(args, capture_output=True, text=True)
            if r.returncode != 0:
                raise spawn_error(f"{pw.pw_name} のグループ {INSTRUCTOR_GROUP} を変えられませんでした: {r.stderr.strip()}")

        def notebooks_source(self):
            """The folder of notebooks this user gets: the instructor edition for admins, the
            student edition (the course's notebooks) for everyone else."""
            if self.user.admin:
                return self.instructor_dir
            return os.path.join(self.course_dir, "notebooks")

        def run_as_learner(self, pw, args, what):
            env = {"HOME": pw.pw_dir, "PATH": "/usr/local/go/bin:/usr/local/bin:/usr/bin:/bin", "LANG": "C.UTF-8"}

            gids = os.getgrouplist(pw.pw_name, pw.pw_gid)  # an admin's: gdlesson-instructors too

            def drop():
                os.setgid(pw.pw_gid)
                os.setgroups(gids)
                os.setuid(pw.pw_uid)
                os.chdir(pw.pw_dir)

            r = subprocess.run(args, env=env, preexec_fn=drop, capture_output=True, text=True, timeout=120)
            if r.returncode != 0:
                msg = (r.stderr.strip() or r.stdout.strip() or f"exit status {r.returncode}").splitlines()[-1]
                self.log.error("%s for %s failed: %s", what, self.user.name, r.stderr)
                raise spawn_error(f"{self.user.name} の{what}に失敗しました: {msg}")
            return r.stdout

        # --- build cache -------------------------------------------------------
        def ensure_gocache(self, pw):
            """Makes learner_cache_root/NAME/go-build and NAME/gopls hard-linked copies of the
            templates (the Go build cache's, gopls's), when the learner has none or ones made from
            older templates, and returns the two folders. Only root writes in
            learner_cache_root, so nothing a learner made can redirect the links."""
            templates = {"go-build": self.gocache_template, "gopls": self.goplscache_template}
            stamps = []
            for template in templates.values():
                try:
                    with open(os.path.join(template, "gdlesson-stamp")) as f:
                        stamps.append(f.read().strip())
                except FileNotFoundError:
                    raise spawn_error(f"{template} に Go のキャッシュがありません: 管理者が docker/hub/setup.sh を実行してください")
            stamp = " | ".join(stamps)
            os.makedirs(self.learner_cache_root, mode=0o711, exist_ok=True)
            top = os.path.join(self.learner_cache_root, self.unix_name)
            caches = tuple(os.path.join(top, name) for name in templates)
            mine = os.path.join(top, "gdlesson-stamp")
            try:
                with open(mine) as f:
                    if f.read().strip() == stamp and all(os.path.isdir(c) for c in caches):
                        return caches
            except FileNotFoundError:
                pass
            t0 = time.monotonic()
            try:
                link_cache(templates, top, stamp, pw.pw_uid, pw.pw_gid)
            except CacheError as e:
                self.log.error("%s: %s", self.user.name, e)
                raise spawn_error(f"{self.user.name}: {e}")
            self.log.info("linked the Go build cache and gopls's for %s in %.2f s", self.user.name, time.monotonic() - t0)
            return caches

        # --- cgroups, or the learner's uid -----------------------------------------
        def learner_cgroups(self):
            return cgroup_dirs(self.unix_name) if self.use_cgroups else []

        def ensure_cgroups(self, pw):
            """Makes the learner's cgroups, and ends what an earlier server of theirs left (after a
            hub crash, say): the processes of its cgroups, or without cgroups, of their uid.
            Returns the cgroups the server joins, [(kind, folder)] (none: no cgroups)."""
            made = []
            for kind, path in self.learner_cgroups():
                try:
                    os.makedirs(path, exist_ok=True)
                except OSError as e:
                    self.log.warning("no %s cgroup for %s (%s): no limit", kind, self.user.name, e)
                    continue
                kill_cgroup(path)  # leftovers of an earlier server (e.g. after a hub crash)
                if kind == "memory" and self.mem_limit:
                    for f in ("memory.limit_in_bytes",):
                        with open(os.path.join(path, f), "w") as fh:
                            fh.write(str(self.mem_limit))
                elif kind == "v2" and self.mem_limit:
                    with open(os.path.join(path, "memory.max"), "w") as fh:
                        fh.write(str(self.mem_limit))
                elif kind == "pids" and self.pids_limit:
                    with open(os.path.join(path, "pids.max"), "w") as fh:
                        fh.write(str(self.pids_limit))
                made.append((kind, path))
            if not any(k in ("memory", "v2") for k, _ in made):
                if self.mem_limit:
                    self.log.warning("no memory cgroup: %s runs WITHOUT a memory limit", self.user.name)
                kill_uid(pw.pw_uid)  # what an earlier server of this learner left
            return made

        def cleanup_cgroups(self, cgroups=()):
            """Ends every process the learner's server left: in its cgroups (those given, from
            the server's state, and where this hub would make them), and of its uid (the
            learner has one server; what runs as them once it stopped is left over)."""
            for path in dict.fromkeys([p for _, p in cgroups] + [p for _, p in self.learner_cgroups()]):
                if os.path.isdir(path):
                    kill_cgroup(path)
                    try:
                        os.rmdir(path)
                    except OSError as e:
                        self.log.warning("could not remove cgroup %s: %s", path, e)
            try:
                uid = pwd.getpwnam(self.unix_name).pw_uid
            except KeyError:
                return
            left = uid_pids(uid)
            if left:
                self.log.info("ending %d processes left by %s's server", len(left), self.user.name)
                kill_uid(uid)

        # --- LocalProcessSpawner hooks ----------------------------------------
        def make_preexec_fn(self, name):
            pw = pwd.getpwnam(self.unix_name)
            procs = [os.path.join(p, "cgroup.procs") for _, p in self._cgroups]
            gids = os.getgrouplist(pw.pw_name, pw.pw_gid)
            # Without a pids cgroup (no cgroups, or cgroup v2, where this spawner sets only
            # memory.max): RLIMIT_NPROC, which counts every process and thread of the learner's
            # uid, as the pids cgroup counts those of the server.
            kinds = [k for k, _ in self._cgroups]
            nproc = self.pids_limit if self.pids_limit and "pids" not in kinds else 0
            # Without a memory cgroup: RLIMIT_DATA, the heap and other private writable memory
            # of each process (not of the learner as a whole). Go reserves its address space
            # without access rights, which RLIMIT_DATA does not count, so go builds, gopls and
            # the cells' programs run under it (RLIMIT_AS would stop them at their start).
            data = (self.mem_limit or 0) if not ({"memory", "v2"} & set(kinds)) else 0

            def preexec():
                # In the child, still root: join the learner's cgroups, then drop to the learner.
                pid = str(os.getpid())
                for p in procs:
                    with open(p, "w") as f:
                        f.write(pid)
                if nproc:
                    resource.setrlimit(resource.RLIMIT_NPROC, (nproc, nproc))
                if data:
                    resource.setrlimit(resource.RLIMIT_DATA, (data, data))
                os.setgid(pw.pw_gid)
                os.setgroups(gids)
                os.setuid(pw.pw_uid)
                os.chdir(pw.pw_dir)

            return preexec

        def user_env(self, env):
            pw = pwd.getpwnam(self.unix_name)
            env["USER"] = pw.pw_name
            env["HOME"] = pw.pw_dir
            env["SHELL"] = pw.pw_shell
            return env

        def get_env(self):
            env = super().get_env()
            env.update(self._go_env)
            return env

        async def start(self):
            steps = _Steps()
            pw = self.ensure_account()
            steps.done("account")
            gocache, goplscache = self.ensure_gocache(pw)
            steps.done("cache links")
            # The populate step runs as the learner, who may not read the clone the hub runs
            # from (CI's clone is under /root, mode 0700): it runs the course's copy of this
            # file, which every learner can read.
            handed = self.run_as_learner(
                pw,
                [self.python, os.path.join(self.course_dir, "docker", "hub", "gdlesson_hub.py"), "populate",
                 self.notebooks_source(), os.path.join(pw.pw_dir, "notebooks")],
                "ノートブックのコピー",
            )
            for line in handed.splitlines():
                self.log.info("%s: %s", self.user.name, line)
            steps.done("notebook copy")
            # The notebooks' shell cells read the library's source as ../gdlib, as in the
            # repository: a link from the home to the course's copy, made once, as the learner
            # (a ~/gdlib of their own is left alone).
            link = os.path.join(pw.pw_dir, "gdlib")
            if not os.path.lexists(link):
                self.run_as_learner(pw, ["ln", "-s", os.path.join(self.course_dir, "gdlib"), link], "~/gdlib のリンク作成")
            if not telemetry_off(pw.pw_dir):
                self.run_as_learner(pw, ["go", "telemetry", "off"], "Go のテレメトリーの停止")
            steps.done("go telemetry off")
            self._go_env = {
                "PATH": ":".join([self.bin_dir, "/usr/local/go/bin", "/usr/local/bin", os.path.dirname(self.python), "/usr/bin", "/bin"]),
                "GOCACHE": gocache,
                # gopls's cache, warm (docker/hub/lazygopls/warm.go): setup.sh made it with this
                # environment, which the kernel spec's GOFLAGS completes.
                "GOPLSCACHE": goplscache,
                "GOMODCACHE": self.modcache_dir,
                # Modules come from the shared cache only: a file proxy serves its versions
                # (so a new import of a cached module still resolves) and nothing is fetched.
                "GOPROXY": "file://" + os.path.join(self.modcache_dir, "cache", "download"),
                # The set-up verified every module against sum.golang.org when it filled the
                # cache; at class time there is nothing to ask.
                "GOSUMDB": "off",
                "GOTOOLCHAIN": "local",
                "GDLESSON_REPO": self.course_dir,
            }
            # The hub's settings of the learners' gopls (docker/hub/lazygopls) reach their kernels.
            self._go_env.update({k: os.environ[k] for k in GOPLS_SETTINGS if os.environ.get(k)})
            self._cgroups = self.ensure_cgroups(pw)
            steps.done("cgroups")
            self.log.info("prepared %s's server in %s", self.user.name, steps)
            if not self.server_log_dir:
                return await super().start()
            os.makedirs(self.server_log_dir, mode=0o700, exist_ok=True)
            path = os.path.join(self.server_log_dir, self.user.name + ".log")
            self.log.info("%s's server writes its output to %s", self.user.name, path)
            with open(path, "ab") as out:
                self.popen_kwargs = dict(self.popen_kwargs, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
                return await super().start()

        # --- state kept across hub restarts (the hub's database) ---------------------
        # A restarted hub takes over running servers: LocalProcessSpawner keeps the pid; this
        # keeps the server's cgroups, so that poll and stop still find its processes.
        def get_state(self):
            state = super().get_state()
            if self._cgroups:
                state["cgroups"] = [list(kp) for kp in self._cgroups]
            return state

        def load_state(self, state):
            super().load_state(state)
            self._cgroups = [tuple(kp) for kp in state.get("cgroups", [])]

        def clear_state(self):
            super().clear_state()
            self._cgroups = []

        async def poll(self):
            status = await super().poll()
            if status is None:  # running: end the gopls of kernels that were killed
                # The server's cgroup holds them; without one, the learner's uid (every process
                # of jupyter-NAME is under their one server).
                if self._cgroups:
                    pids = [pid for _, path in self._cgroups for pid in cgroup_pids(path)]
                else:
                    try:
                        pids = uid_pids(pwd.getpwnam(self.unix_name).pw_uid)
                    except KeyError:
                        return status
                for pid in reap_orphan_gopls(pids):
                    self.log.info("ended gopls %d of %s: its GoNB kernel is gone", pid, self.user.name)
            return status

        async def stop(self, now=False):
            cgroups = list(self._cgroups)  # stopping clears the state
            try:
                await super().stop(now=now)
            finally:
                self.cleanup_cgroups(cgroups)

        _cgroups = []
        _go_env = {}


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "populate":
        for line in populate(sys.argv[2], sys.argv[3]):
            print(line)
    else:
        sys.exit("usage: gdlesson_hub.py populate COURSE_NOTEBOOKS DEST")
