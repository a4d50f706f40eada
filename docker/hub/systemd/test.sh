#!/usr/bin/env bash
# docker/hub/systemd/test.sh — the hub as a systemd service, for real: in a podman container
# whose PID 1 is systemd (Debian 12 by debootstrap, docker/image/base.sh with systemd added).
#
#   sudo bash docker/hub/systemd/test.sh        # after sudo bash docker/hub/setup.sh; a few minutes
#
# Not in CI (the debootstrap alone takes minutes; see docker/hub/README.md). The container gets
# this machine's /usr/local (Go, the Jupyter venv, GoNB, the proxy) read-only, /srv/gdlesson (the
# course and the Go caches), and this clone read-only; it has no network but loopback. In it:
# install.sh installs and enables the units; the container boots again and the units start
# the hub; a learner's server starts and a process in their memory cgroup that goes over the
# limit is killed; `systemctl restart gdlesson-hub` keeps the learner's server; a `kill -9` of
# the hub is restarted within 10 s; `systemctl restart gdlesson-proxy` restarts the hub too and
# keeps the learner's server, reached through the new proxy; docker/hub/stop.sh ends the class. It prints the cgroup
# version that ran. The last line is "systemd-test: ok: …" or an error (exit status 1).
set -euo pipefail
log() { printf 'systemd-test: %s\n' "$*"; }
die() { printf 'systemd-test: error: %s\n' "$*" >&2; exit 1; }
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
hub=$(cd "$here/.." && pwd)
repo=$(cd "$hub/../.." && pwd)
[[ $EUID -eq 0 ]] || die "must run as root: sudo bash docker/hub/systemd/test.sh"
[[ -f /srv/gdlesson/gocache/gdlesson-stamp && -x /usr/local/share/gdlesson/venv/bin/jupyterhub ]] ||
	die "not set up: run  sudo bash docker/hub/setup.sh  first"
start=$SECONDS

image=$(GDLESSON_IMAGE_EXTRA=systemd,systemd-sysv,dbus,python3,passwd,util-linux bash "$repo/docker/image/base.sh" | tail -n 1)
name=gdlesson-systemd-test
cache=/srv/gdlesson/.systemd-test-cache # the learners' build caches: on the Go cache's file system
learner=sdlearner
cleanup() {
	podman rm -f -t 5 "$name" >/dev/null 2>&1 || true
	rm -rf "$cache"
}
trap cleanup EXIT
cleanup
mkdir -p "$cache"
chmod 711 "$cache"
# runc, and limits below this machine's: podman's defaults are above what it may set here
# ("setrlimit RLIMIT_NOFILE: Operation not permitted", RLIMIT_NPROC too), and crun refuses a
# machine with cgroups in hybrid mode (v1 with an empty v2 beside it), as this one is.
podman run -d --name "$name" --runtime runc --ulimit nofile=4096:4096 --ulimit nproc=8192:8192 \
	--systemd=always --privileged --network none \
	-v /usr/local:/usr/local:ro -v /usr/bin/node:/usr/bin/node:ro -v /srv/gdlesson:/srv/gdlesson -v "$repo:$repo:ro" \
	"$image" /sbin/init >/dev/null
cx() { podman exec "$name" "$@"; }
booted() {
	local i
	for ((i = 0; i < 120; i++)); do
		sys=$(cx systemctl is-system-running 2>/dev/null || true)
		[[ $sys == running || $sys == degraded ]] && return 0
		sleep 0.5
	done
	die "systemd in the container did not finish booting (state '$sys')"
}
booted
cgroup=$(cx stat -fc %T /sys/fs/cgroup)
case $cgroup in cgroup2fs) cgroup="v2 (unified)" ;; tmpfs) cgroup="v1" ;; esac
log "booted systemd $(cx systemctl --version | head -n 1 | cut -d' ' -f2) in $((SECONDS - start)) s; cgroups: $cgroup"

state=/var/lib/gdlesson-hub
cx bash -c "mkdir -m 700 $state && head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n' >$state/admin-token && chmod 600 $state/admin-token
	ln -s $cache /var/cache/gdlesson
	printf 'GDLESSON_HUB_STATE=$state\nGDLESSON_HUB_MEM_LIMIT=300M\n' >/etc/default/gdlesson-hub"
cx bash "$hub/systemd/install.sh"
log "the container boots again: the units must start the hub"
podman restart -t 10 "$name" >/dev/null
booted
py=/usr/local/share/gdlesson/venv/bin/python3
token=$(cx cat $state/admin-token)
api() { cx "$py" "$hub/hubctl.py" http://127.0.0.1:8000 "$token" "$@"; }
# ready: whether the hub says the learner's server is ready.
ready() {
	cx "$py" -c "import json, sys, urllib.request as u
r = u.Request('http://127.0.0.1:8000/hub/api/users/$learner', headers={'Authorization': 'token $token'})
sys.exit(0 if json.load(u.urlopen(r)).get('servers', {}).get('', {}).get('ready') else 1)"
}
api up || { cx journalctl -u gdlesson-hub -u gdlesson-proxy --no-pager | tail -n 40; die "the hub did not answer after the boot"; }
cx systemctl is-active --quiet gdlesson-hub gdlesson-proxy || die "the units are not active after the boot"
log "after the boot: gdlesson-hub and gdlesson-proxy active, the hub answers"

cx "$py" -c "import urllib.request as u; u.urlopen(u.Request('http://127.0.0.1:8000/hub/api/users/$learner', method='POST', headers={'Authorization': 'token $token'}))"
api start "$learner" >/dev/null || { cx journalctl -u gdlesson-hub --no-pager | tail -n 40; die "the learner's server did not start"; }
server=$(cx pgrep -u "jupyter-$learner" -f "jupyterhub-singleuser|docker/hub/singleuser\.py" | head -n 1 || true)
[[ -n $server ]] || die "no jupyterhub-singleuser (or python3 -P …/docker/hub/singleuser.py) of jupyter-$learner"
cg=$(cx bash -c "find /sys/fs/cgroup -type d -path '*/gdlesson/jupyter-$learner' | grep -E '/memory/|^/sys/fs/cgroup/[^/]*\.slice' | head -n 1")
[[ -n $cg ]] || { cx journalctl -u gdlesson-hub --no-pager | grep -i cgroup | tail; die "no memory cgroup of jupyter-$learner"; }
limit=$(cx bash -c "cat $cg/memory.limit_in_bytes 2>/dev/null || cat $cg/memory.max")
[[ $limit == $((300 << 20)) ]] || die "$cg: the limit is $limit, not 300M"
cx grep -qx "$server" "$cg/cgroup.procs" || die "the learner's server $server is not in $cg"
# A process of the learner in their cgroup that takes 600 MB: the limit ends it.
set +e
cx bash -c "echo \$\$ >$cg/cgroup.procs && exec runuser -u jupyter-$learner -- python3 -c 'b = bytearray(600 << 20); print(\"took\", len(b))'" >/dev/null 2>&1
status=$?
set -e
[[ $status == 137 ]] || die "a process taking 600 MB in $cg (limit 300M) ended with status $status, not 137 (killed)"
log "memory: $cg holds the server, limit 300M; a process taking 600 MB in it was killed (status 137)"

main=$(cx systemctl show -p MainPID --value gdlesson-hub)
t0=$SECONDS
cx systemctl restart gdlesson-hub
api up
[[ $(cx systemctl show -p MainPID --value gdlesson-hub) != "$main" ]] || die "systemctl restart: the hub's pid did not change"
cx kill -0 "$server" || die "systemctl restart gdlesson-hub ended the learner's server $server"
ready || die "after systemctl restart the hub does not say the learner's server is ready"
log "systemctl restart: the hub answered again in $((SECONDS - t0)) s; the learner's server $server still runs"

main=$(cx systemctl show -p MainPID --value gdlesson-hub)
cx kill -9 "$main"
t0=$(date +%s.%N)
for ((i = 0; ; i++)); do
	now=$(cx systemctl show -p MainPID --value gdlesson-hub)
	[[ $now != 0 && $now != "$main" ]] && cx systemctl is-active --quiet gdlesson-hub && break
	((i < 100)) || die "after kill -9 of the hub ($main), no new hub within 10 s"
	sleep 0.1
done
took=$(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')
api up
cx kill -0 "$server" || die "the kill -9 of the hub ended the learner's server $server"
ready || die "after the kill -9 the restarted hub does not say the learner's server is ready"
log "kill -9 of the hub ($main): systemd started it again in $took s (pid $now); the learner's server still runs"

# A new certificate or address: the proxy starts again, and the hub with it (Requires=); the
# learner's server keeps running and is reached through the new proxy (the hub adds its route).
main=$(cx systemctl show -p MainPID --value gdlesson-hub)
t0=$SECONDS
cx systemctl restart gdlesson-proxy
api up
[[ $(cx systemctl show -p MainPID --value gdlesson-hub) != "$main" ]] || die "systemctl restart gdlesson-proxy: the hub was not restarted with it"
cx kill -0 "$server" || die "systemctl restart gdlesson-proxy ended the learner's server $server"
ready || die "after systemctl restart gdlesson-proxy the hub does not say the learner's server is ready"
cx "$py" -c "import urllib.request as u
u.urlopen(u.Request('http://127.0.0.1:8000/user/$learner/api/status', headers={'Authorization': 'token $token'}))" ||
	die "after systemctl restart gdlesson-proxy the learner's server is not reached through the proxy"
log "systemctl restart gdlesson-proxy: the hub restarted with it, answered again in $((SECONDS - t0)) s; the learner's server $server still runs and is reached through the new proxy"

cx bash "$hub/stop.sh"
left=$(cx pgrep -u "jupyter-$learner" || true)
[[ -z $left ]] || die "after stop.sh the learner's processes remain: $left"
cx systemctl is-active --quiet gdlesson-hub && die "after stop.sh gdlesson-hub is still active"
cx systemctl is-active --quiet gdlesson-proxy && die "after stop.sh gdlesson-proxy is still active"
log "ok: boot, memory limit, restart, kill -9, the proxy's restart and stop.sh under systemd (cgroups $cgroup) in $((SECONDS - start)) s"
