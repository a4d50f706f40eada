#!/usr/bin/env bash
# docker/hub/start.sh — start gdlesson's JupyterHub (after sudo bash docker/hub/setup.sh).
#
#   sudo bash docker/hub/start.sh            # serves until Ctrl-C or docker/hub/stop.sh
#
# Ctrl-C (or stop.sh --hub-only) stops the hub alone: the learners' servers and the proxy
# (proxy.sh, started here when none runs) keep running, and start.sh again takes them over.
# sudo bash docker/hub/stop.sh ends everything (the class).
#
# Listens on 127.0.0.1:8000 unless GDLESSON_HUB_IP / GDLESSON_HUB_PORT say otherwise; with
# GDLESSON_HUB_SSL_CERT and GDLESSON_HUB_SSL_KEY (PEM files) it serves HTTPS. More settings:
# docker/hub/jupyterhub_config.py; GDLESSON_HUB_STATE moves its state (default /srv/gdlesson/hub:
# database, passwords, admin token); GDLESSON_HUB_CGROUPS=off makes no cgroups (see docker/hub/README.md:
# then there is no memory limit per learner). Refuses to start a second hub, or on a port in use.
set -euo pipefail

SRV=${GDLESSON_HUB_SRV:-/srv/gdlesson}
export GDLESSON_HUB_STATE=${GDLESSON_HUB_STATE:-$SRV/hub} GDLESSON_HUB_COURSE=$SRV/course GDLESSON_HUB_INSTRUCTOR=$SRV/instructor
export GDLESSON_VENV=${GDLESSON_VENV:-/usr/local/share/gdlesson/venv}

die() { printf 'hub: error: %s\n' "$*" >&2; exit 1; }

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
[[ $EUID -eq 0 ]] || die "must run as root (it creates the learners' accounts): sudo bash docker/hub/start.sh"
[[ -s $GDLESSON_HUB_STATE/admin-token && -f $SRV/gocache/gdlesson-stamp && -d $SRV/course/notebooks && -d $SRV/instructor ]] ||
	die "not set up: run  sudo bash docker/hub/setup.sh  first"
[[ -x $GDLESSON_VENV/bin/jupyterhub ]] || die "$GDLESSON_VENV/bin/jupyterhub missing: run  sudo bash docker/hub/setup.sh"

# shellcheck source=pids.sh
. "$here/pids.sh"
pidfile=$GDLESSON_HUB_STATE/jupyterhub.pid
pid=$(running_pid "$pidfile" jupyterhub)
[[ -z $pid ]] || die "a hub is already running (pid $pid, $pidfile): stop it first with  sudo bash docker/hub/stop.sh"
rm -f "$pidfile" # left by a hub that did not stop cleanly
# The proxy runs on its own (proxy.sh) and outlives the hub: a hub started again finds it
# with the learners' routes, and their servers, which the hub leaves running when it stops.
proxypid=$(running_pid "$GDLESSON_HUB_STATE/proxy.pid" configurable-http-proxy)

case ${GDLESSON_HUB_CGROUPS:-auto} in
auto | off) ;;
*) die "GDLESSON_HUB_CGROUPS=$GDLESSON_HUB_CGROUPS: use auto or off" ;;
esac

ip=${GDLESSON_HUB_IP:-127.0.0.1}
ports=("${GDLESSON_HUB_API_PORT:-8081}" "${GDLESSON_HUB_PROGRESS_PORT:-8002}")
[[ -n $proxypid ]] || ports+=("${GDLESSON_HUB_PORT:-8000}" "${GDLESSON_HUB_PROXY_API_PORT:-8001}")
for port in "${ports[@]}"; do
	[[ $port =~ ^[0-9]+$ ]] && ((port > 0 && port < 65536)) || die "port '$port' is not a number from 1 to 65535"
	bind_ip=127.0.0.1
	[[ $port == "${GDLESSON_HUB_PORT:-8000}" ]] && bind_ip=$ip
	"$GDLESSON_VENV/bin/python3" - "$bind_ip" "$port" <<'PY' || exit 1
import socket, sys
ip, port = sys.argv[1], int(sys.argv[2])
s = socket.socket()
# As the hub and its proxy do: only a listening socket makes the port busy, not connections
# of a hub that just stopped (TIME_WAIT).
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
try:
    s.bind((ip, port))
except OSError as e:
    sys.exit(f"hub: error: port {port} on {ip} is in use ({e.strerror}): stop what uses it (ss -ltnp 'sport = :{port}') or choose another with GDLESSON_HUB_PORT / GDLESSON_HUB_API_PORT / GDLESSON_HUB_PROXY_API_PORT / GDLESSON_HUB_PROGRESS_PORT")
finally:
    s.close()
PY
done
if [[ -n ${GDLESSON_HUB_SSL_CERT:-} || -n ${GDLESSON_HUB_SSL_KEY:-} ]]; then
	for f in "${GDLESSON_HUB_SSL_CERT:-}" "${GDLESSON_HUB_SSL_KEY:-}"; do
		[[ -r $f ]] || die "HTTPS needs both GDLESSON_HUB_SSL_CERT and GDLESSON_HUB_SSL_KEY as readable PEM files; '$f' is not"
	done
fi

if [[ -n $proxypid ]]; then
	echo "hub: the proxy runs already (pid $proxypid): the learners' servers that still run are kept" >&2
elif [[ -n ${GDLESSON_HUB_SYSTEMD:-} ]]; then
	die "the proxy (gdlesson-proxy.service) does not run: see  journalctl -u gdlesson-proxy"
else
	# Its own session and log: it outlives this script, the hub and the terminal.
	setsid bash "$here/proxy.sh" >>"$GDLESSON_HUB_STATE/proxy.log" 2>&1 </dev/null &
	echo "hub: started the proxy (log: $GDLESSON_HUB_STATE/proxy.log)" >&2
fi
# Wait until the proxy's API answers (the hub gives up on a proxy it cannot reach).
for ((i = 0; ; i++)); do
	"$GDLESSON_VENV/bin/python3" -c 'import socket, sys; socket.create_connection(("127.0.0.1", int(sys.argv[1])), 1).close()' \
		"${GDLESSON_HUB_PROXY_API_PORT:-8001}" 2>/dev/null && break
	((i < 100)) || die "the proxy's API (127.0.0.1:${GDLESSON_HUB_PROXY_API_PORT:-8001}) did not answer within 20 s; its log: $GDLESSON_HUB_STATE/proxy.log"
	sleep 0.2
done

cd "$GDLESSON_HUB_STATE"
export PATH=/usr/local/go/bin:/usr/local/bin:$GDLESSON_VENV/bin:$PATH
exec "$GDLESSON_VENV/bin/jupyterhub" -f "$here/jupyterhub_config.py" "$@"
