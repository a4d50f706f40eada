#!/usr/bin/env bash
# docker/hub/stop.sh — stop gdlesson's JupyterHub, every learner's server, their kernels and gopls.
#
#   sudo bash docker/hub/stop.sh
set -euo pipefail
SRV=${GDLESSON_HUB_SRV:-/srv/gdlesson}
state=${GDLESSON_HUB_STATE:-$SRV/hub}
pidfile=$state/jupyterhub.pid
die() { printf 'hub: error: %s\n' "$*" >&2; exit 1; }
[[ -s $pidfile ]] || die "no hub is running (no $pidfile)"
pid=$(cat "$pidfile")
kill -0 "$pid" 2>/dev/null || { rm -f "$pidfile"; die "no hub is running (pid $pid in $pidfile is gone; removed the file)"; }
proxy=$(cat "$state/jupyterhub-proxy.pid" 2>/dev/null || true) # the hub removes the file at once
kill -TERM "$pid"
for _ in $(seq 120); do
	if ! kill -0 "$pid" 2>/dev/null; then
		# The hub has stopped its proxy; wait until the proxy has let go of its ports too.
		for _ in $(seq 20); do
			[[ $proxy =~ ^[0-9]+$ ]] && kill -0 "$proxy" 2>/dev/null || break
			sleep 0.5
		done
		echo "hub: stopped"
		exit 0
	fi
	sleep 0.5
done
die "the hub (pid $pid) did not stop within 60 s"
