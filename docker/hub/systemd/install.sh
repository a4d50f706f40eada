#!/usr/bin/env bash
# docker/hub/systemd/install.sh — install and enable gdlesson-hub.service and
# gdlesson-proxy.service where systemd runs (docker/hub/setup.sh runs this); elsewhere it says so
# and does nothing (start the hub with docker/hub/start.sh).
#
#   sudo bash docker/hub/systemd/install.sh
#
# The units run this clone's docker/hub/start.sh and proxy.sh. Settings go in
# /etc/default/gdlesson-hub (made empty, with a comment, when missing; never overwritten).
# A unit that runs is restarted when its file changed (the hub's restart keeps the learners).
set -euo pipefail
log() { printf 'hub-systemd: %s\n' "$*"; }
die() { printf 'hub-systemd: error: %s\n' "$*" >&2; exit 1; }
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
hub=$(cd "$here/.." && pwd)
[[ $EUID -eq 0 ]] || die "must run as root: sudo bash docker/hub/systemd/install.sh"
if [[ ! -d /run/systemd/system ]] || [[ $(cat /proc/1/comm 2>/dev/null) != systemd ]]; then
	log "systemd is not PID 1 here: no units installed; start the hub with  sudo bash docker/hub/start.sh"
	exit 0
fi
[[ $hub != *[[:space:]]* ]] || die "the clone's path '$hub' holds a space, which a unit's ExecStart cannot take"
if [[ ! -e /etc/default/gdlesson-hub ]]; then
	printf '# Settings of gdlesson-hub.service and gdlesson-proxy.service: VARIABLE=value lines,\n# the variables of docker/hub/README.md (e.g. GDLESSON_HUB_IP=0.0.0.0).\n' >/etc/default/gdlesson-hub
fi
changed=()
for u in gdlesson-proxy gdlesson-hub; do
	new=$(sed "s|@HUB@|$hub|g" "$here/$u.service")
	if [[ $new != "$(cat "/etc/systemd/system/$u.service" 2>/dev/null)" ]]; then
		printf '%s\n' "$new" >"/etc/systemd/system/$u.service"
		changed+=("$u")
	fi
done
systemctl daemon-reload
systemctl enable --quiet gdlesson-proxy.service gdlesson-hub.service
for u in "${changed[@]}"; do
	if systemctl is-active --quiet "$u"; then
		systemctl restart "$u"
		log "restarted $u (its unit changed)"
	fi
done
log "gdlesson-hub.service and gdlesson-proxy.service enabled (they start at boot); start them now:  sudo systemctl start gdlesson-hub"
