#!/usr/bin/env bash
# docker/local/npm-install.sh — install npm packages exactly as a lock file says, or nothing.
#
#   bash docker/local/npm-install.sh LOCKDIR DIR CHECK [NPM_CI_OPTION…]
#
# LOCKDIR holds package.json and package-lock.json (pinned, with integrity hashes). The
# packages go to DIR/node_modules, DIR/package.json and DIR/package-lock.json (DIR may be
# LOCKDIR itself). When DIR/node_modules already holds this lock's install (the copy
# node_modules/.package-lock.json.gdlesson matches) and the file DIR/CHECK is there, it does
# nothing and prints nothing. Otherwise `npm ci` installs the lock into DIR.new, checks that
# DIR.new/CHECK is there, and only then swaps DIR.new/node_modules in: a failed download
# leaves the old install as it was. Then it prints one line on stdout, "npm-install: …
# installed", so that a caller knows something changed; npm's own output goes to stderr.
# Used by docker/local/setup.sh (reveal.js), docker/hub/setup.sh (configurable-http-proxy)
# and docker/checks/browser/install.sh (playwright-core).
set -euo pipefail

die() { printf 'npm-install: error: %s\n' "$*" >&2; exit 1; }

(( $# >= 3 )) || die "usage: bash docker/local/npm-install.sh LOCKDIR DIR CHECK [NPM_CI_OPTION…]"
lockdir=$(cd "$1" && pwd) || die "LOCKDIR $1 is not a folder"
dir=$2 check=$3
shift 3
[[ -f $lockdir/package.json && -f $lockdir/package-lock.json ]] ||
	die "$lockdir has no package.json and package-lock.json"
[[ $check != /* && $check != *..* ]] || die "CHECK must be a path inside DIR, not $check"
command -v npm >/dev/null || die "npm not found (apt-get install npm, or install Node.js 20 or later)"
mark=node_modules/.package-lock.json.gdlesson
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)

# Installed: the mark matches, or (an install made before the mark) DIR's own copy of the
# lock, which is written only after a whole install.
if { cmp -s "$lockdir/package-lock.json" "$dir/$mark" ||
	{ [[ $dir != "$lockdir" ]] && cmp -s "$lockdir/package-lock.json" "$dir/package-lock.json"; }; } &&
	[[ -s $dir/$check ]]; then
	exit 0
fi
printf 'npm-install: installing %s/package-lock.json into %s (npm ci)\n' "$lockdir" "$dir" >&2
rm -rf "$dir.new"
mkdir "$dir.new"
trap 'rm -rf "$dir.new"' EXIT
cp "$lockdir/package.json" "$lockdir/package-lock.json" "$dir.new/"
# npm trusts the system's certificate authorities too (a proxy's own authority, say).
[[ -z ${NODE_EXTRA_CA_CERTS:-} && -r /etc/ssl/certs/ca-certificates.crt ]] &&
	export NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt
(cd "$dir.new" && npm ci --no-audit --no-fund --loglevel=error "$@" >&2) || die "npm ci in $dir.new failed"
[[ -s $dir.new/$check ]] || die "npm ci installed no $check"
cp "$lockdir/package-lock.json" "$dir.new/$mark"
chmod -R a+rX "$dir.new"
rm -rf "$dir/node_modules"
mv "$dir.new/node_modules" "$dir/node_modules"
if [[ $dir != "$lockdir" ]]; then
	cp "$lockdir/package.json" "$lockdir/package-lock.json" "$dir/"
fi
chmod a+rX "$dir"
printf 'npm-install: %s installed into %s\n' "$check" "$dir"
