#!/usr/bin/env bash
# docker/hub/proxy.sh — run the hub's proxy (configurable-http-proxy) in the foreground.
#
# The proxy runs apart from the hub so that a hub restart keeps the learners' connections and
# routes: start.sh runs this in the background when no proxy runs yet, and the unit
# gdlesson-proxy.service runs it under systemd. The hub reaches the proxy's API with the token
# in $GDLESSON_HUB_STATE/proxy-token (root only, made here at the first start). Its pid is in
# $GDLESSON_HUB_STATE/proxy.pid. Settings: those of start.sh (GDLESSON_HUB_IP, _PORT,
# _API_PORT, _PROXY_API_PORT, _SSL_CERT, _SSL_KEY, GDLESSON_HUB_PROXY); a changed setting or a
# renewed certificate takes effect when the proxy starts again (docker/hub/README.md).
set -euo pipefail

SRV=${GDLESSON_HUB_SRV:-/srv/gdlesson}
state=${GDLESSON_HUB_STATE:-$SRV/hub}
proxy=${GDLESSON_HUB_PROXY:-/usr/local/share/gdlesson/hub/proxy/node_modules/.bin/configurable-http-proxy}
die() { printf 'hub-proxy: error: %s\n' "$*" >&2; exit 1; }

[[ $EUID -eq 0 ]] || die "must run as root: sudo bash docker/hub/proxy.sh"
[[ -x $proxy ]] || die "$proxy missing: run  sudo bash docker/hub/setup.sh"
[[ -d $state ]] || die "no state folder $state: run  sudo bash docker/hub/setup.sh"
if [[ ! -s $state/proxy-token ]]; then
	(umask 077 && head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n' >"$state/proxy-token.new" && mv "$state/proxy-token.new" "$state/proxy-token")
fi
CONFIGPROXY_AUTH_TOKEN=$(cat "$state/proxy-token")
export CONFIGPROXY_AUTH_TOKEN

args=(--ip "${GDLESSON_HUB_IP:-127.0.0.1}" --port "${GDLESSON_HUB_PORT:-8000}"
	--api-ip 127.0.0.1 --api-port "${GDLESSON_HUB_PROXY_API_PORT:-8001}"
	--error-target "http://127.0.0.1:${GDLESSON_HUB_API_PORT:-8081}/hub/error" --log-level info)
if [[ -n ${GDLESSON_HUB_SSL_CERT:-} || -n ${GDLESSON_HUB_SSL_KEY:-} ]]; then
	for f in "${GDLESSON_HUB_SSL_CERT:-}" "${GDLESSON_HUB_SSL_KEY:-}"; do
		[[ -r $f ]] || die "HTTPS needs both GDLESSON_HUB_SSL_CERT and GDLESSON_HUB_SSL_KEY as readable PEM files; '$f' is not"
	done
	args+=(--ssl-cert "$GDLESSON_HUB_SSL_CERT" --ssl-key "$GDLESSON_HUB_SSL_KEY")
fi
echo $$ >"$state/proxy.pid"
exec "$proxy" "${args[@]}"
