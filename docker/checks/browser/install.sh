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

cd "$(dirname "${BASH_SOURCE[0]}")"
bash ../../local/npm-install.sh . . node_modules/playwright-core/package.json --ignore-scripts
