#!/usr/bin/env bash
# docker/checks/browser/install.sh — install the browser suite's npm packages (playwright-core, pinned
# in package.json and locked with its hash in package-lock.json) into docker/checks/browser/node_modules.
#
#   bash docker/checks/browser/install.sh
#
# docker/local/setup.sh runs it. Idempotent: when node_modules already holds exactly the locked
# versions it changes nothing. Uses the npm registry only; no browser is downloaded
# (playwright-core has no install script; the suite drives Debian's /usr/bin/chromium).
set -euo pipefail

die() { printf 'browser install: error: %s\n' "$*" >&2; exit 1; }

cd "$(dirname "${BASH_SOURCE[0]}")"
command -v npm >/dev/null || die "npm not found (apt-get install npm, or install Node.js 20 or later)"

want=$(sed -n '/"node_modules\/playwright-core"/,/}/s/^ *"version": *"\([^"]*\)".*/\1/p' package-lock.json | head -n1)
have=$(sed -n 's/^ *"version": *"\([^"]*\)".*/\1/p' node_modules/playwright-core/package.json 2>/dev/null | head -n1 || true)
if [[ -n $want && $have == "$want" ]] && cmp -s package-lock.json node_modules/.package-lock.json.gdlesson; then
	exit 0
fi
echo "browser install: playwright-core $want (npm ci) into $PWD/node_modules"
# npm trusts the system's certificate authorities too, as docker/local/setup.sh does for its npm step.
[[ -z ${NODE_EXTRA_CA_CERTS:-} && -r /etc/ssl/certs/ca-certificates.crt ]] &&
	export NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt
npm ci --no-audit --no-fund --ignore-scripts --loglevel=error
cp package-lock.json node_modules/.package-lock.json.gdlesson
