# docker/hub/jupyterhub_config.py — gdlesson's JupyterHub for a class on one server.
#
# Started by docker/hub/start.sh (which sets the environment below); made ready by
# docker/hub/setup.sh. Paths are those setup.sh makes; environment variables change a few:
#
#   GDLESSON_HUB_IP, GDLESSON_HUB_PORT   where the hub listens (default 127.0.0.1:8000;
#                                        0.0.0.0 for a classroom, with HTTPS)
#   GDLESSON_HUB_SSL_CERT, _SSL_KEY      PEM files: the hub serves HTTPS itself
#   GDLESSON_HUB_MEM_LIMIT               memory limit per learner (default 1G)
#   GDLESSON_HUB_CULL_TIMEOUT            seconds idle before a learner's server stops (default 3600)
#   GDLESSON_HUB_CGROUPS                 auto (default: a cgroup per learner where the machine
#                                        lets the hub make one) or off (none: no memory limit)
#   GDLESSON_HUB_PROGRESS_PORT           the progress service's port on 127.0.0.1 (default 8002)
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

STATE = os.environ.get("GDLESSON_HUB_STATE", "/srv/gdlesson/hub")
COURSE = os.environ.get("GDLESSON_HUB_COURSE", "/srv/gdlesson/course")
INSTRUCTOR = os.environ.get("GDLESSON_HUB_INSTRUCTOR", "/srv/gdlesson/instructor")
VENV = os.environ.get("GDLESSON_VENV", "/usr/local/share/gdlesson/venv")
PROGRESS_URL = "http://127.0.0.1:%s" % os.environ.get("GDLESSON_HUB_PROGRESS_PORT", "8002")

c = get_config()  # noqa: F821 (given by JupyterHub)

# --- where it listens, HTTPS ---------------------------------------------------
c.JupyterHub.ip = os.environ.get("GDLESSON_HUB_IP", "127.0.0.1")
c.JupyterHub.port = int(os.environ.get("GDLESSON_HUB_PORT", "8000"))
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = int(os.environ.get("GDLESSON_HUB_API_PORT", "8081"))
c.ConfigurableHTTPProxy.api_url = "http://127.0.0.1:%s" % os.environ.get("GDLESSON_HUB_PROXY_API_PORT", "8001")
# The proxy runs on its own (docker/hub/proxy.sh, started by start.sh or gdlesson-proxy.service)
# and outlives a hub restart, with the learners' routes; its API token is in the state folder.
c.ConfigurableHTTPProxy.should_start = False
with open(os.path.join(STATE, "proxy-token")) as f:
    c.ConfigurableHTTPProxy.auth_token = f.read().strip()
if os.environ.get("GDLESSON_HUB_SSL_CERT"):
    c.JupyterHub.ssl_cert = os.environ["GDLESSON_HUB_SSL_CERT"]
    c.JupyterHub.ssl_key = os.environ["GDLESSON_HUB_SSL_KEY"]

# --- the hub's pages in Japanese: docker/hub/templates extends JupyterHub's own templates ----
# (login, home, spawn-pending, not-running, stop-pending, error pages). The admin page is
# JupyterHub's React app, which no template reaches: it stays English.
c.JupyterHub.template_paths = [os.path.join(HERE, "templates")]
# A learner who logs in goes to the (Japanese) spawn-pending page at once, and follows their
# server's start there, instead of a request that hangs for up to 10 s (JupyterHub's default).
c.JupyterHub.tornado_settings = {"slow_spawn_timeout": 0}

# --- state: database, cookie secret, passwords (root only) ---------------------
c.JupyterHub.db_url = "sqlite:///" + os.path.join(STATE, "jupyterhub.sqlite")
c.JupyterHub.cookie_secret_file = os.path.join(STATE, "jupyterhub_cookie_secret")
c.JupyterHub.pid_file = os.path.join(STATE, "jupyterhub.pid")

# --- who may log in -------------------------------------------------------------
# FirstUseAuthenticator's store and change-password page, without its gap (whoever logs in
# first as "sato" would set sato's password): docker/hub/gdlesson_auth.py. The admin adds
# learners (CSV via docker/hub/learners.py, or the admin page); learners.py has the hub make
# each one a random password for the instructor's handout (and resets one with --reset). A
# user without a password cannot log in. Nobody else can log in.
c.JupyterHub.authenticator_class = "gdlesson_auth.LearnerAuthenticator"
c.FirstUseAuthenticator.dbm_path = os.path.join(STATE, "passwords.dbm")
c.FirstUseAuthenticator.create_users = False
c.FirstUseAuthenticator.min_password_length = 8
# Unix account names are "jupyter-" + this, at most 32 characters.
c.Authenticator.username_pattern = r"^[a-z][a-z0-9_-]{0,23}$"
admins = os.environ.get("GDLESSON_HUB_ADMINS", "").split()
if admins:
    c.Authenticator.admin_users = set(admins)

# The admin token: learners.py and the load test use it. Made by setup.sh (root only).
with open(os.path.join(STATE, "admin-token")) as f:
    ADMIN_TOKEN = f.read().strip()
c.JupyterHub.services = [
    # admin: only an admin may make an admin (to the scopes of the role below JupyterHub
    # answers 403 "Only admins can grant admin permissions"), and learners.py's admin column
    # names the instructors. The service flag, not the admin role in load_roles: naming the
    # admin role there with GDLESSON_HUB_ADMINS set would make its users a static list and take
    # admin from those added by learners.py or the admin page at the next start.
    {"name": "gdlesson-admin", "api_token": ADMIN_TOKEN, "admin": True},
    # The culler with SIGINT's default action (end at once): the hub stops it with SIGINT and
    # waits, and a culler started in the background ignores SIGINT, which made each hub stop or
    # restart wait 30 s.
    {"name": "idle-culler",
     "command": [os.path.join(VENV, "bin", "python3"), "-c",
                 "import runpy, signal, sys; signal.signal(signal.SIGINT, signal.SIG_DFL); "
                 "sys.argv[0] = 'jupyterhub_idle_culler'; runpy.run_module('jupyterhub_idle_culler', run_name='__main__')",
                 "--timeout=%s" % os.environ.get("GDLESSON_HUB_CULL_TIMEOUT", "3600")]},
    # The class's progress page (docker/hub/progress/progress.py): every exercise check records
    # its result here; /services/progress/ shows them to admins.
    {"name": "progress", "url": PROGRESS_URL, "oauth_no_confirm": True, "display": True,
     "command": [os.path.join(VENV, "bin", "python3"), os.path.join(HERE, "progress", "progress.py")],
     "environment": {"GDLESSON_PROGRESS_DB": os.path.join(STATE, "progress.sqlite")}},
]
c.JupyterHub.load_roles = [
    {"name": "gdlesson-admin", "scopes": ["admin:users", "admin:servers", "tokens", "access:servers", "read:users"],
     "services": ["gdlesson-admin"]},
    {"name": "idle-culler", "scopes": ["list:users", "read:users:activity", "read:servers", "delete:servers"],
     "services": ["idle-culler"]},
    # progress: who is an admin (an instructor), and the learners who have recorded nothing yet.
    {"name": "progress", "scopes": ["list:users", "read:users"], "services": ["progress"]},
    # Every user may use the progress service (record their checks, see their own results);
    # the service itself shows the class page to admins only.
    {"name": "user", "scopes": ["self", "access:services!service=progress"]},
]

# --- each learner's server ----------------------------------------------------------
c.JupyterHub.spawner_class = "gdlesson_hub.LearnerSpawner"
c.LearnerSpawner.course_dir = COURSE
# Admins (GDLESSON_HUB_ADMINS, learners.py's admin column, the admin page) are the instructors:
# they get the instructor edition; everyone else the student edition.
c.LearnerSpawner.instructor_dir = INSTRUCTOR
c.LearnerSpawner.python = os.path.join(VENV, "bin", "python3")
# Servers outlive a hub restart: their output goes to files (root only), not to the hub's.
c.LearnerSpawner.server_log_dir = os.path.join(STATE, "logs")
# A learner's server is jupyterhub-singleuser, started lighter (measured with
# loadtest/startcost.py, see README "Where a server's start goes"): singleuser.py leaves out
# three modules a learner's server imports and never uses (rfc3987_syntax, the hub's database
# tables with alembic, the hub's pages), which it runs from the course's copy, readable by every
# learner (-P: without that folder on sys.path). jupyter-lsp is off: learners' completion and
# Shift+Tab come from GoNB's gopls through the kernel; JupyterLab, Notebook 7 and the terminals
# stay.
c.Spawner.cmd = [os.path.join(VENV, "bin", "python3"), "-P", os.path.join(COURSE, "docker", "hub", "singleuser.py")]
c.Spawner.args = ["--ServerApp.jpserver_extensions=jupyter_lsp=False"]
c.Spawner.notebook_dir = "~/notebooks"
c.Spawner.default_url = "/tree"
c.Spawner.mem_limit = os.environ.get("GDLESSON_HUB_MEM_LIMIT", "1G")
# The exercise checks (notebooks/exercise) post each result to the progress service, straight
# on 127.0.0.1, with the server's token, which may use that service and nothing more than before.
c.Spawner.environment = {"GDLESSON_PROGRESS_URL": PROGRESS_URL + "/services/progress/api/record"}
c.Spawner.server_token_scopes = ["users:activity!user", "access:servers!server", "access:services!service=progress"]
# Cgroups: a memory limit per learner, and their processes found by cgroup. Without them (no
# writable /sys/fs/cgroup, as in many containers and chroots, or GDLESSON_HUB_CGROUPS=off) the
# spawner finds a learner's processes by their uid, limits their number by RLIMIT_NPROC and
# each one's memory by RLIMIT_DATA, but nothing limits a learner's total: say so where the
# admin sees it.
import gdlesson_hub  # noqa: E402

cgroups = os.environ.get("GDLESSON_HUB_CGROUPS", "auto")
if cgroups not in ("auto", "off"):
    sys.exit("hub: error: GDLESSON_HUB_CGROUPS=%s: use auto or off" % cgroups)
why = "GDLESSON_HUB_CGROUPS=off"
if cgroups == "auto":
    ok, why = gdlesson_hub.cgroup_support()
    cgroups = "on" if ok else "off"
c.LearnerSpawner.use_cgroups = cgroups == "on"
if cgroups == "on":
    print("hub: each learner's server runs in a memory cgroup limited to %s" % c.Spawner.mem_limit, file=sys.stderr, flush=True)
else:
    print("hub: WARNING: no cgroups (%s): there is NO memory limit per learner; only each of a learner's "
          "processes is limited to %s (RLIMIT_DATA), so a learner with several kernels can use more. Their "
          "leftover processes are found by their Unix user, and their processes and threads are limited by "
          "RLIMIT_NPROC." % (why, c.Spawner.mem_limit), file=sys.stderr, flush=True)
c.Spawner.start_timeout = 120
c.Spawner.http_timeout = 120
# Start many servers at once (a class starting together).
c.JupyterHub.concurrent_spawn_limit = 100
c.JupyterHub.active_server_limit = int(os.environ.get("GDLESSON_HUB_MAX_SERVERS", "0"))
# A hub restart (start.sh again, systemctl restart, a crash) keeps every learner's server and
# kernel: the hub takes them over from its database. docker/hub/stop.sh ends the class (every
# server, kernel and gopls, then the hub and the proxy).
c.JupyterHub.cleanup_servers = False
