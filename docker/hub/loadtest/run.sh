#!/usr/bin/env bash
# docker/hub/loadtest/run.sh — the class load test, offline: a hub of its own, in a new network
# namespace that has only loopback, and the load test (go run ./docker/hub/loadtest) against it.
#
#   sudo bash docker/hub/loadtest/run.sh -learners 30 -duration 10m -start-within 1m
#   sudo bash docker/hub/loadtest/run.sh -learners 30 -duration 10m -start-within 1m -prestart
#
# Arguments go to the load test (go run ./docker/hub/loadtest -h lists them). With
# GDLESSON_LOADTEST_TLS=1 the hub serves HTTPS with a self-signed certificate for 127.0.0.1
# made for the run (openssl), and the load test checks it against that certificate. The hub uses
# the set-up of docker/hub/setup.sh, with a state folder of its own (so a hub already serving
# on this machine is not touched), and is stopped at the end with every learner's server,
# kernel and gopls; the simulated learners' Unix accounts and homes are then removed. The
# machine must be otherwise quiet: run it under the heavy-job lock where others share it.
set -euo pipefail

die() { printf 'loadtest: error: %s\n' "$*" >&2; exit 1; }
[[ $EUID -eq 0 ]] || die "must run as root (it starts a hub): sudo bash docker/hub/loadtest/run.sh"
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../../.." && pwd)
export PATH=/usr/local/go/bin:/usr/local/bin:$PATH

if [[ -z ${GDLESSON_LOADTEST_NETNS:-} ]]; then
	bin=$(mktemp -d)
	trap 'rm -rf "$bin"' EXIT
	(cd "$repo" && go build -o "$bin/loadtest" ./docker/hub/loadtest) || die "go build of the load test failed"
	GDLESSON_LOADTEST_NETNS=1 GDLESSON_LOADTEST_BIN=$bin/loadtest unshare --net bash "${BASH_SOURCE[0]}" "$@"
	exit
fi

# In the new network namespace.
ip link set lo up
if timeout 3 bash -c 'exec 3<>/dev/tcp/1.1.1.1/443' 2>/dev/null; then
	die "the network namespace reaches 1.1.1.1: not offline"
fi
echo "loadtest: offline (a network namespace with loopback only)"

state=$(mktemp -d /tmp/gdlesson-loadtest-hub.XXXXXX)
(umask 077 && head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n' >"$state/admin-token")
prefix=lt
for ((i = 1; i <= $#; i++)); do
	[[ ${!i} == -prefix ]] && { j=$((i + 1)); prefix=${!j}; }
done
hubpid=
cleanup() {
	if [[ -n $hubpid ]]; then
		# The learners' servers, the hub and its proxy (a hub stopped alone leaves the others).
		GDLESSON_HUB_STATE=$state bash "$repo/docker/hub/stop.sh" || kill -TERM "$hubpid" 2>/dev/null || true
		for _ in $(seq 120); do kill -0 "$hubpid" 2>/dev/null || break; sleep 0.5; done
		pid=$(cat "$state/proxy.pid" 2>/dev/null) && kill -TERM "$pid" 2>/dev/null || true
	fi
	for u in $(getent passwd | cut -d: -f1 | grep -E "^jupyter-${prefix}[0-9]{3}$" || true); do
		pkill -KILL -u "$u" 2>/dev/null || true
		userdel -r "$u" 2>/dev/null || true
		rm -rf "/var/cache/gdlesson/$u"
	done
	rm -rf "$state"
}
trap cleanup EXIT
url=http://127.0.0.1:${GDLESSON_HUB_PORT:-8000}
tls=()
if [[ -n ${GDLESSON_LOADTEST_TLS:-} ]]; then
	openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1 \
		-keyout "$state/key.pem" -out "$state/cert.pem" 2>/dev/null || die "openssl could not make a certificate"
	export GDLESSON_HUB_SSL_CERT=$state/cert.pem GDLESSON_HUB_SSL_KEY=$state/key.pem
	url=https://127.0.0.1:${GDLESSON_HUB_PORT:-8000}
	tls=(-hub "$url" -cacert "$state/cert.pem")
fi
GDLESSON_HUB_STATE=$state setsid bash "$repo/docker/hub/start.sh" >"$state/hub.log" 2>&1 &
hubpid=$!
for _ in $(seq 180); do
	curl -sf --cacert "$state/cert.pem" "$url/hub/api/" >/dev/null 2>&1 || curl -sf "$url/hub/api/" >/dev/null 2>&1 && break
	kill -0 "$hubpid" 2>/dev/null || { cat "$state/hub.log"; die "the hub did not start"; }
	sleep 0.5
done
if [[ -n ${GDLESSON_LOADTEST_TLS:-} ]]; then
	code=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:${GDLESSON_HUB_PORT:-8000}/hub/api/" || true)
	echo "loadtest: HTTPS: plain http:// on the hub's port answers '$code' (no page: it speaks TLS only)"
	curl -sf --cacert "$state/cert.pem" "$url/hub/api/" >/dev/null || die "https with the certificate failed"
	echo "loadtest: HTTPS: $url/hub/api/ answers with the self-signed certificate verified"
fi
# -prestart runs docker/hub/prestart.py of this clone (its path must have no spaces).
"$GDLESSON_LOADTEST_BIN" -token-file "$state/admin-token" "${tls[@]}" \
	-prestart-cmd "${GDLESSON_VENV:-/usr/local/share/gdlesson/venv}/bin/python3 $repo/docker/hub/prestart.py" "$@" || { status=$?; tail -n 40 "$state/hub.log"; exit $status; }
