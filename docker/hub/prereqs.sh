#!/usr/bin/env bash
# docker/hub/prereqs.sh — what a bare Debian 12 server needs before docker/hub/setup.sh, as root:
# Debian's git, curl, unzip and CA certificates, and Go in /usr/local/go (Debian 12's Go is too old).
#
#   sudo bash docker/hub/prereqs.sh           # install what is missing (idempotent)
#   sudo bash docker/hub/prereqs.sh --check   # install nothing: list what is missing, exit 1 if anything is
#
# Go 1.26.8 comes from the Go module proxy as the toolchain module golang.org/toolchain (the
# files the go command itself fetches for GOTOOLCHAIN), checked against the sha256 pinned below
# (the same zip that `go mod download` verified against sum.golang.org: h1 sums in GO_H1). A Go
# of 1.26 or newer already in the target is kept.
#
# Environment (optional):
#   GDLESSON_GO_ROOT   where Go goes (default /usr/local/go; the folder is replaced whole)
#   GOPROXY            the module proxy; its first URL is used (default https://proxy.golang.org)
set -euo pipefail

GO_VERSION=1.26.8
GO_MIN_MINOR=26
declare -A GO_SHA256=( # sha256 of golang.org/toolchain@v0.0.1-go$GO_VERSION.linux-ARCH.zip
	[amd64]=30c2b1bf7dcc88d3eb0a1364e47ddd9128edb3110a30e8a0ef61cd5856b31de7
	[arm64]=02b36b6787b3ac767668f630e2998df45a3b1f9ffee08d1bf3ef6487cd658d99
)
# GO_H1 (for the record): amd64 h1:ZOmGe1OnfREDMIdb1Qi4G9JSuDPBLGExZMQ4nis1RXM=,
# arm64 h1:sYL/O6MqS68ML0kjsQ36WoYIpJqkw60TxizWUYUKQMc= (sum.golang.org's, through go mod download).
APT_PACKAGES=(git curl unzip ca-certificates)
GO_ROOT=${GDLESSON_GO_ROOT:-/usr/local/go}

log() { printf 'prereqs: %s\n' "$*"; }
die() { printf 'prereqs: error: %s\n' "$*" >&2; exit 1; }

check=0
for arg in "$@"; do
	case $arg in
	--check) check=1 ;;
	-h | --help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
	*) die "unknown option '$arg': use --check or --help" ;;
	esac
done

# go_ok: the Go in GO_ROOT is 1.GO_MIN_MINOR or newer.
go_ok() {
	local v
	v=$("$GO_ROOT/bin/go" env GOVERSION 2>/dev/null) || return 1 # e.g. go1.26.8
	[[ $v =~ ^go1\.([0-9]+) ]] && ((BASH_REMATCH[1] >= GO_MIN_MINOR))
}
apt_missing=()
for p in "${APT_PACKAGES[@]}"; do
	[[ $(dpkg-query -W -f='${db:Status-Abbrev}' "$p" 2>/dev/null || true) == "ii " ]] || apt_missing+=("$p")
done

if ((check)); then
	missing=("${apt_missing[@]}")
	go_ok || missing+=("Go 1.$GO_MIN_MINOR or newer in $GO_ROOT")
	if ((${#missing[@]})); then
		log "missing: ${missing[*]} (sudo bash docker/hub/prereqs.sh installs them)"
		exit 1
	fi
	log "everything is there: ${APT_PACKAGES[*]}, $("$GO_ROOT/bin/go" env GOVERSION) in $GO_ROOT"
	exit 0
fi

[[ $EUID -eq 0 ]] || die "must run as root (it installs Debian packages and writes $GO_ROOT): sudo bash docker/hub/prereqs.sh"
if ((${#apt_missing[@]})); then
	log "installing Debian packages: ${apt_missing[*]}"
	export DEBIAN_FRONTEND=noninteractive
	apt-get -o DPkg::Lock::Timeout=900 update -q
	apt-get -o DPkg::Lock::Timeout=900 install -y -q --no-install-recommends "${apt_missing[@]}"
fi

if go_ok; then
	log "Go: $("$GO_ROOT/bin/go" env GOVERSION) in $GO_ROOT, kept"
else
	arch=$(dpkg --print-architecture)
	sum=${GO_SHA256[$arch]:-}
	[[ -n $sum ]] || die "no Go $GO_VERSION pinned for the architecture '$arch' (pinned: ${!GO_SHA256[*]})"
	proxy=${GOPROXY:-https://proxy.golang.org}
	proxy=${proxy%%[,|]*}
	[[ $proxy == direct || $proxy == off ]] && proxy=https://proxy.golang.org
	url=$proxy/golang.org/toolchain/@v/v0.0.1-go$GO_VERSION.linux-$arch.zip
	tmp=$(mktemp -d)
	trap 'rm -rf "$tmp"' EXIT
	log "downloading Go $GO_VERSION ($url)"
	curl -fsSL --retry 3 -o "$tmp/go.zip" "$url" || die "could not download $url"
	got=$(sha256sum "$tmp/go.zip" | cut -c1-64)
	[[ $got == "$sum" ]] || die "the download of $url has sha256 $got, not the pinned $sum: nothing was installed"
	unzip -q "$tmp/go.zip" -d "$tmp/x"
	src=$tmp/x/golang.org/toolchain@v0.0.1-go$GO_VERSION.linux-$arch
	chmod -R a+rX "$src"
	chmod a+x "$src"/bin/* "$src"/pkg/tool/*/*
	"$src/bin/go" version >/dev/null || die "the downloaded Go does not run"
	mkdir -p "$(dirname "$GO_ROOT")"
	rm -rf "$GO_ROOT.new"
	mv "$src" "$GO_ROOT.new"
	rm -rf "$GO_ROOT"
	mv "$GO_ROOT.new" "$GO_ROOT"
	log "installed $("$GO_ROOT/bin/go" env GOVERSION) in $GO_ROOT"
fi
go_ok || die "no Go 1.$GO_MIN_MINOR or newer in $GO_ROOT after the install"
log "ready: next, sudo bash docker/hub/setup.sh"
