"""singleuser: a learner's Jupyter server, jupyterhub-singleuser with less of the hub in it.

The hub's spawner runs the course's copy of this file (every learner can read it) with the
venv's Python, as `python3 -P singleuser.py ARGS` (jupyterhub_config.py, c.Spawner.cmd). It is
jupyterhub-singleuser, with three modules that a learner's server imports and never uses left
out (measured in docker/hub/README.md, "Where a server's start goes"):

- rfc3987_syntax: jsonschema imports it when installed (jupyter-events' jsonschema[format-nongpl]
  brings it) and builds a Lark parser for IRIs at import: 1.0 CPU s and 16 MB, for the "iri"
  format, which no schema of the server uses. Blocked: jsonschema then skips that format, as it
  documents.
- jupyterhub.orm: the hub's database tables, with alembic, its migrations, and SQLAlchemy's ORM.
  jupyterhub.metrics and jupyterhub.scopes import it for functions that only the hub calls.
  It is loaded lazily: the first use of any of its names loads it for real.
- jupyterhub.handlers.pages: the hub's pages, with every hub handler and the ORM. jupyterhub.log
  imports it for one name, HealthCheckHandler, to log the hub's health checks quietly; no such
  handler runs in a learner's server. It is replaced by a module that has that name only (a
  class nothing is an instance of), so any other use fails loudly with an ImportError.

Together, 20 MB less per learner's server at its start (anonymous memory after the imports:
60 against 81 MB) and about 180 modules fewer.
"""

import importlib.util
import sys
import types

HUB_ONLY_LAZY = "jupyterhub.orm"
HUB_PAGES = "jupyterhub.handlers.pages"


def lazy(name):
    """Puts the module name in sys.modules without running it: its first attribute read does."""
    spec = importlib.util.find_spec(name)
    loader = importlib.util.LazyLoader(spec.loader)
    spec.loader = loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    loader.exec_module(module)
    # `from . import orm` reads the package's attribute first. Without it, Python 3.11's import
    # reads module.__spec__ through sys.modules, and that read would load the module.
    parent, _, child = name.rpartition(".")
    setattr(sys.modules[parent], child, module)


def lighten():
    """Leaves out of this process what the module's doc lists; call it before any jupyterhub import."""
    sys.modules["rfc3987_syntax"] = None
    lazy(HUB_ONLY_LAZY)
    pages = types.ModuleType(HUB_PAGES, "The hub's pages are not in a learner's server (docker/hub/singleuser.py).")

    class HealthCheckHandler:
        """The hub's health check, which never runs in a learner's server."""

    pages.HealthCheckHandler = HealthCheckHandler
    sys.modules[HUB_PAGES] = pages


if __name__ == "__main__":
    lighten()
    from jupyterhub.singleuser import main

    sys.exit(main())
