#!/usr/bin/env bash
# docker/hub/stop.sh — stop gdlesson's JupyterHub.
#
#   sudo bash docker/hub/stop.sh              # end the class: every learner's server (their
#                                             # kernels and gopls), then the hub and its proxy
#   sudo bash docker/hub/stop.sh --hub-only   # the hub alone, to start it again (a new setting,
#                                             # an update): learners' servers, kernels and
#                                             # connections keep running behind the proxy
#
# Under systemd (gdlesson-hub.service active) it stops the units: --hub-only is
# `systemctl stop gdlesson-hub` (as `systemctl restart gdlesson-hub` is a restart that keeps
# the learners), the whole class ends their servers first, then stops both units.
set -euo pipefail
systemd=
if command -v systemctl >/dev/null && systemctl is-active --quiet gdlesson-hub.service 2>/dev/null; then
	systemd=1
	# The units' settings (GDLESSON_HUB_STATE, the ports), as the hub has them.
	if [[ -r /etc/default/gdlesson-hub ]]; then
		set -a
		# shellcheck disable=SC1091
		. /etc/default/gdlesson-hub
		set +a
	fi
fi
SRV=${GDLESSON_HUB_SRV:-/srv/gdlesson}
state=${GDLESSON_HUB_STATE:-$SRV/hub}
venv=${GDLESSON_VENV:-/usr/local/share/gdlesson/venv}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
die() { printf 'hub: error: %s\n' "$*" >&2; exit 1; }
# shellcheck source=pids.sh
. "$here/pids.sh"

all=1
case ${1:-} in
"") ;;
--hub-only) all= ;;
*) die "unknown option '$1': use no option (end the class) or --hub-only" ;;
esac
[[ $EUID -eq 0 ]] || die "must run as root: sudo bash docker/hub/stop.sh"

hub=$(running_pid "$state/jupyterhub.pid" jupyterhub)
proxy=$(running_pid "$state/proxy.pid" configurable-http-proxy)
if [[ -z $hub ]]; then
	[[ -z $all || -z $proxy ]] && die "no hub is running (no live pid in $state/jupyterhub.pid)"
	die "no hub is running, but its proxy is (pid $proxy), maybe with learners' servers behind it: start the hub (sudo bash docker/hub/start.sh, or systemctl start gdlesson-hub) and run this again, so that it ends their servers"
fi

if [[ -n $all ]]; then
	# The hub ends each server as when a learner stops theirs: the server, its kernels, and
	# everything left in its cgroup (or of the learner's uid), gopls too.
	"$venv/bin/python3" "$here/hubctl.py" "http://127.0.0.1:${GDLESSON_HUB_API_PORT:-8081}" "$(cat "$state/admin-token")" stop-all ||
		die "could not stop the learners' servers (see above); the hub still runs"
fi
if [[ -n $systemd ]]; then
	systemctl stop gdlesson-hub.service
	[[ -z $all ]] || systemctl stop gdlesson-proxy.service
else
	kill -TERM "$hub"
	wait_gone "$hub" 60 || die "the hub (pid $hub) did not stop within 60 s"
	if [[ -n $all && -n $proxy ]]; then
		kill -TERM "$proxy"
		wait_gone "$proxy" 10 || die "the proxy (pid $proxy) did not stop within 10 s"
	fi
fi
if [[ -n $all ]]; then
	echo "hub: stopped: every learner's server, the hub and its proxy"
else
	echo "hub: stopped the hub; the learners' servers and the proxy keep running (start it again: sudo bash docker/hub/start.sh)"
fi
