"""gdlesson's JupyterHub authenticator: passwords that the instructor hands out.

JupyterHub imports this module from jupyterhub_config.py (LearnerAuthenticator).

FirstUseAuthenticator (what The Littlest JupyterHub offers) lets whoever logs in first as
"sato" set sato's password. LearnerAuthenticator keeps its password store (bcrypt hashes in a
dbm file, root only) and its page where a learner changes their password
(/hub/auth/change-password), and closes that gap: a user without a stored password cannot log
in at all. Passwords are made by the hub, on the instructor's request, through an API that
only an admin token may call (docker/hub/learners.py calls it):

    POST /hub/api/gdlesson/passwords  {"usernames": [...], "reset": false}
      -> {"passwords": {"sato": "…"}}   a new random password for each user named who has
                                         none yet (reset: true gives every one named a new one)

The hub alone writes the store, so no other process races its dbm file. A reset changes the
password only: the learner's account, server and files stay.
"""

import dbm
import json
import secrets

import bcrypt
from firstuseauthenticator import FirstUseAuthenticator
from jupyterhub.apihandlers.base import APIHandler
from jupyterhub.scopes import needs_scope
from tornado import web

# Letters and digits that cannot be mistaken for one another on a printed handout.
ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
PASSWORD_LENGTH = 12


def new_password():
    """A random password of PASSWORD_LENGTH characters from ALPHABET (about 59 bits)."""
    return "".join(secrets.choice(ALPHABET) for _ in range(PASSWORD_LENGTH))


class PasswordsHandler(APIHandler):
    """POST /hub/api/gdlesson/passwords: see the module's doc."""

    @needs_scope("admin:users")
    async def post(self):
        body = self.get_json_body() or {}
        names = body.get("usernames")
        reset = body.get("reset", False)
        if not isinstance(names, list) or not all(isinstance(n, str) for n in names) or not isinstance(reset, bool):
            raise web.HTTPError(400, 'want {"usernames": ["name", ...], "reset": false}')
        for name in names:
            if self.find_user(name) is None:
                raise web.HTTPError(404, f"no user {name!r}: add them first (learners.py or the admin page)")
        made = self.authenticator.make_passwords(names, reset)
        self.log.info("gdlesson: %s passwords for %s", "new" if reset else "initial", " ".join(made) or "nobody")
        self.finish(json.dumps({"passwords": made}))


class LearnerAuthenticator(FirstUseAuthenticator):
    """FirstUseAuthenticator without the first login setting the password."""

    def has_password(self, username):
        with dbm.open(self.dbm_path, "c", 0o600) as db:
            return db.get(username.encode("utf8")) is not None

    async def authenticate(self, handler, data):
        username = self.normalize_username(data.get("username", ""))
        if not self.has_password(username):
            # The same answer as a wrong password: a stranger learns nothing.
            self.log.warning("gdlesson: %r has no password yet: refused (learners.py gives one)", username)
            return None
        return await super().authenticate(handler, data)

    def make_passwords(self, names, reset):
        """Stores a new random password for each name without one (every name, with reset)
        and returns {name: password}."""
        made = {}
        with dbm.open(self.dbm_path, "c", 0o600) as db:
            for name in names:
                key = name.encode("utf8")
                if not reset and db.get(key) is not None:
                    continue
                pw = new_password()
                db[key] = bcrypt.hashpw(pw.encode("utf8"), bcrypt.gensalt())
                made[name] = pw
        return made

    def get_handlers(self, app):
        return super().get_handlers(app) + [(r"/api/gdlesson/passwords", PasswordsHandler)]
