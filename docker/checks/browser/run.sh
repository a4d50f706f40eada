#!/usr/bin/env bash
# docker/checks/browser/run.sh — run the real-browser test suite (suite.mjs; see its header).
#
#   bash docker/checks/browser/run.sh [jupyterlab|notebook7|classic ...]
#
# docker/checks/test.sh runs it after go test. Without node, playwright-core (docker/checks/browser/install.sh,
# which docker/local/setup.sh runs) or chromium it skips, saying why, unless CI is set: then it fails.
# A front end whose Jupyter is missing is skipped (or fails under CI) by the suite itself.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")"

missing() {
	if [[ -n ${CI:-} ]]; then
		printf 'browser: error: %s (CI is set, so this fails; sudo bash docker/local/setup.sh installs it)\n' "$*" >&2
		echo "browser: 0 passed, 1 failed"
		exit 1
	fi
	printf 'browser: skipped: %s (sudo bash docker/local/setup.sh installs it)\n' "$*"
	exit 0
}

command -v node >/dev/null || missing "node not found"
node_major=$(node -p 'process.versions.node.split(".")[0]')
(( node_major >= 20 )) || missing "node $(node --version) is too old; playwright-core needs 20 or later"
[[ -f node_modules/playwright-core/package.json ]] || missing "playwright-core is not installed in $PWD/node_modules (bash docker/checks/browser/install.sh)"
[[ -x /usr/bin/chromium ]] || missing "/usr/bin/chromium not found (apt-get install chromium)"
command -v openssl >/dev/null || missing "openssl not found (for the HTTPS run's certificate)"

exec node suite.mjs "$@"
