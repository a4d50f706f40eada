# docker/hub/dockerspawner_config.py — the JupyterHub of docker/image/test.sh's hub step: the
# docker/hub/README.md's DockerSpawner settings, run against podman's Docker-compatible API (podman system
# service), as a hub would run them against a Docker engine.
#
# The README's lines (docker/hub/README.md) are used as they are (image, volumes, remove, mem_limit; the image's own
# command). What differs, because this test keeps every server on this machine's loopback:
#   - the containers share this machine's network (network_name "host") instead of a Docker
#     network, so the hub, its proxy and the learner's server all listen on 127.0.0.1 only;
#     the learner's server listens on 127.0.0.1 at a free port (DockerSpawner's documentation
#     says to override get_ip_and_port for host networking, as HostNetworkSpawner does);
#   - podman's runtime and the containers' limits come from the service's containers.conf
#     (test.sh: runc, and this machine's limits);
#   - DummyAuthenticator with one learner and a password, and an admin service token, so the
#     test can log in through the REST API.
# Environment (set by test.sh): GDLESSON_T_* below.
import os

from dockerspawner import DockerSpawner

env = os.environ
STATE = env["GDLESSON_T_STATE"]


class HostNetworkSpawner(DockerSpawner):
    async def get_ip_and_port(self):
        return "127.0.0.1", self.port


c = get_config()  # noqa: F821 (given by JupyterHub)
c.JupyterHub.ip = "127.0.0.1"
c.JupyterHub.port = int(env["GDLESSON_T_PORT"])
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = int(env["GDLESSON_T_HUB_PORT"])
c.ConfigurableHTTPProxy.api_url = "http://127.0.0.1:%s" % env["GDLESSON_T_PROXY_API_PORT"]
c.ConfigurableHTTPProxy.command = [env["GDLESSON_T_PROXY"]]
c.JupyterHub.db_url = "sqlite:///" + os.path.join(STATE, "jupyterhub.sqlite")
c.JupyterHub.cookie_secret_file = os.path.join(STATE, "jupyterhub_cookie_secret")
c.JupyterHub.pid_file = os.path.join(STATE, "jupyterhub.pid")

c.JupyterHub.authenticator_class = "dummy"
c.DummyAuthenticator.password = env["GDLESSON_T_PASSWORD"]
c.Authenticator.allowed_users = {env["GDLESSON_T_USER"]}
c.JupyterHub.services = [{"name": "image-test", "api_token": env["GDLESSON_T_ADMIN_TOKEN"]}]
c.JupyterHub.load_roles = [
    {"name": "image-test", "scopes": ["admin:users", "admin:servers", "tokens", "access:servers", "read:users"],
     "services": ["image-test"]},
]

# docker/hub/README.md's DockerSpawner settings (the volume's name made unique to this test run).
c.JupyterHub.spawner_class = HostNetworkSpawner
c.DockerSpawner.image = env["GDLESSON_T_IMAGE"]  # its command stays: docker/local/start.sh
c.DockerSpawner.volumes = {env["GDLESSON_T_VOLUME"] + "-{username}": "/home/jovyan/gdlesson/notebooks"}
c.DockerSpawner.remove = True
c.DockerSpawner.mem_limit = "1G"
# The test's differences (see above): podman's socket, host networking on loopback.
c.DockerSpawner.client_kwargs = {"base_url": "unix://" + env["GDLESSON_T_SOCKET"]}
c.DockerSpawner.network_name = "host"
c.DockerSpawner.use_internal_ip = True  # no port publishing: the container has the host's network
c.DockerSpawner.ip = "127.0.0.1"
c.DockerSpawner.port = int(env["GDLESSON_T_SERVER_PORT"])
c.DockerSpawner.pull_policy = "never"  # no registry here: the image is podman's local one
# This run's names, so nothing of another hub's is touched: the container is PREFIX-USER.
c.DockerSpawner.prefix = env["GDLESSON_T_VOLUME"]
c.Spawner.start_timeout = 180
c.Spawner.http_timeout = 180
