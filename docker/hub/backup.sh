#!/usr/bin/env bash
# docker/hub/backup.sh — a backup of what a class cannot make again, as root; safe while the hub runs.
#
#   sudo bash docker/hub/backup.sh [DIR]    # writes DIR/gdlesson-backup-YYYYMMDD-HHMMSS.tar.gz
#                                           # (default DIR: /var/backups/gdlesson), prints its path
#
# What it holds:
#   hub/        the hub's state ($GDLESSON_HUB_STATE): the database (copied with SQLite's online
#               backup, consistent while the hub writes), the cookie secret, the passwords, the
#               admin token (not the pid files)
#   home/       every learner's home (jupyter-NAME: their notebooks and settings)
#   learners    the learners' names, one a line
# Not in it: the course, the Go caches and the venv, which docker/hub/setup.sh makes again.
# docker/hub/restore.sh puts a backup back. The archive is root's only (mode 0600): it holds
# the passwords and the admin token.
#
# Environment (optional): GDLESSON_HUB_STATE (default /srv/gdlesson/hub), GDLESSON_HOME_ROOT
# (where the learners' homes are, default /home), GDLESSON_VENV (its python3 copies the database).
set -euo pipefail

STATE=${GDLESSON_HUB_STATE:-/srv/gdlesson/hub}
HOMES=${GDLESSON_HOME_ROOT:-/home}
VENV=${GDLESSON_VENV:-/usr/local/share/gdlesson/venv}
PREFIX=jupyter- # the learners' Unix accounts (gdlesson_hub.USER_PREFIX)

die() { printf 'backup: error: %s\n' "$*" >&2; exit 1; }

case ${1:-} in
-h | --help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
-*) die "unknown option '$1': the only argument is the folder for the backup (default /var/backups/gdlesson)" ;;
esac
(($# <= 1)) || die "too many arguments: the only one is the folder for the backup"
dir=${1:-/var/backups/gdlesson}
[[ $EUID -eq 0 ]] || die "must run as root (it reads every learner's home and the passwords): sudo bash docker/hub/backup.sh"
[[ -d $STATE ]] || die "no hub state in $STATE (GDLESSON_HUB_STATE): nothing to back up"

mkdir -p "$dir"
chmod 700 "$dir"
tmp=$(mktemp -d "$dir/.backup-XXXXXX")
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/hub" "$tmp/home"

# The state: files as they are, the database through SQLite's backup API.
for f in "$STATE"/*; do
	[[ -e $f ]] || continue
	case $(basename "$f") in
	*.pid) ;;
	*.sqlite)
		python=$VENV/bin/python3
		[[ -x $python ]] || python=/usr/bin/python3
		"$python" -c 'import sqlite3, sys
src, dst = sqlite3.connect(sys.argv[1]), sqlite3.connect(sys.argv[2])
with dst:
    src.backup(dst)' "$f" "$tmp/hub/$(basename "$f")" || die "could not copy the database $f"
		;;
	*) cp -a "$f" "$tmp/hub/" ;;
	esac
done

: >"$tmp/learners"
for h in "$HOMES/$PREFIX"*; do
	[[ -d $h ]] || continue
	name=$(basename "$h")
	echo "${name#"$PREFIX"}" >>"$tmp/learners"
	cp -a "$h" "$tmp/home/"
done

out=$dir/gdlesson-backup-$(date +%Y%m%d-%H%M%S).tar.gz
(umask 077 && tar -C "$tmp" -czf "$out.new" hub home learners)
mv "$out.new" "$out"
printf 'backup: %s learners, the hub state of %s: %s (%s)\n' "$(wc -l <"$tmp/learners")" "$STATE" "$out" "$(du -h "$out" | cut -f1)"
