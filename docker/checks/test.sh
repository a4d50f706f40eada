#!/usr/bin/env bash
# docker/checks/test.sh — run every test of the repository.
#
#   bash docker/checks/test.sh [go test flags]
#
# go vet, a gofmt check, then go test on every package; the notebooks package executes each
# notebooks/*.ipynb through the real GoNB kernel (it skips that without Jupyter and the
# kernel, unless CI is set: run sudo bash docker/local/setup.sh first). -count=1 because the
# notebook tests depend on files that go test does not see (gdlib as compiled by GoNB).
# Then the real-browser suite (docker/checks/browser/run.sh: JupyterLab, Notebook 7 and the classic
# Notebook in chromium), which skips the same way without its tools; -short leaves it out.
# .ci/run runs exactly this.
set -euo pipefail

die() { printf 'test: error: %s\n' "$*" >&2; exit 1; }

cd "$(dirname "${BASH_SOURCE[0]}")/../.."
export PATH=/usr/local/go/bin:/usr/local/bin:$PATH PYDEVD_DISABLE_FILE_VALIDATION=1
command -v go >/dev/null || die "go not found: install Go 1.26 in /usr/local/go (see README)"

echo "== go vet ./..."
go vet ./...

echo "== gofmt -l ."
unformatted=$(gofmt -l .)
if [[ -n $unformatted ]]; then
	printf 'test: these files are not gofmt-formatted (run gofmt -w on them):\n%s\n' "$unformatted" >&2
	exit 1
fi

echo "== go test -v -count=1 -timeout 30m ./..."
go test -v -count=1 -timeout 30m "$@" ./...

if [[ " $* " == *" -short "* ]]; then
	echo "== browser suite: left out (-short)"
	exit 0
fi
echo "== bash docker/checks/browser/run.sh"
bash docker/checks/browser/run.sh
