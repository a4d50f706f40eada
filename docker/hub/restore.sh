#!/usr/bin/env bash
# docker/hub/restore.sh — puts a backup of docker/hub/backup.sh back, as root, with the hub stopped.
#
#   sudo bash docker/hub/stop.sh
#   sudo bash docker/hub/restore.sh /var/backups/gdlesson/gdlesson-backup-YYYYMMDD-HHMMSS.tar.gz
#
# The hub's state goes back into $GDLESSON_HUB_STATE, each learner's home into
# $GDLESSON_HOME_ROOT/jupyter-NAME. Nothing is merged and nothing is deleted: a state folder or a
# home that is there already is first moved aside to NAME.before-restore-YYYYMMDD-HHMMSS. A
# learner's Unix account is made when it is missing (as the hub makes it: group
# gdlesson-learners), and their home is given to it, so a backup restores onto a new server,
# where the numeric user ids differ. On a new server, run docker/hub/setup.sh first.
#
# Environment (optional): GDLESSON_HUB_STATE (default /srv/gdlesson/hub), GDLESSON_HOME_ROOT
# (default /home).
set -euo pipefail

STATE=${GDLESSON_HUB_STATE:-/srv/gdlesson/hub}
HOMES=${GDLESSON_HOME_ROOT:-/home}
PREFIX=jupyter-            # gdlesson_hub.USER_PREFIX
LEARNER_GROUP=gdlesson-learners # gdlesson_hub.LEARNER_GROUP
NAME_RE='^[a-z][a-z0-9_-]{0,23}$' # the hub's username_pattern (jupyterhub_config.py)

die() { printf 'restore: error: %s\n' "$*" >&2; exit 1; }
log() { printf 'restore: %s\n' "$*"; }

case ${1:-} in
-h | --help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
'') die "name the backup to restore: sudo bash docker/hub/restore.sh /var/backups/gdlesson/gdlesson-backup-….tar.gz" ;;
-*) die "unknown option '$1': the only argument is the backup file" ;;
esac
(($# == 1)) || die "too many arguments: the only one is the backup file"
archive=$1
[[ -f $archive ]] || die "no backup file $archive"
[[ $EUID -eq 0 ]] || die "must run as root (it writes the hub's state and the learners' homes): sudo bash docker/hub/restore.sh $archive"
# The hub and its proxy (which outlives a hub restart, with the learners' servers behind it):
# the restored state's proxy token and database must not meet a running class.
for what in jupyterhub:the\ hub proxy:the\ hub\'s\ proxy; do
	pid=$(cat "$STATE/${what%%:*}.pid" 2>/dev/null || true)
	if [[ $pid =~ ^[0-9]+$ ]] && kill -0 "$pid" 2>/dev/null; then
		die "${what#*:} is running (pid $pid): end the class first with sudo bash docker/hub/stop.sh"
	fi
done

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
tar -C "$tmp" -xzf "$archive" || die "$archive is not a backup of docker/hub/backup.sh (tar could not read it)"
[[ -d $tmp/hub && -d $tmp/home && -f $tmp/learners ]] || die "$archive is not a backup of docker/hub/backup.sh (no hub/, home/ and learners in it)"
while read -r name; do
	[[ $name =~ $NAME_RE ]] || die "$archive names a learner '$name', which is not a learner's name: nothing was restored"
	[[ -d $tmp/home/$PREFIX$name ]] || die "$archive lists $name without a home: nothing was restored"
done <"$tmp/learners"

stamp=$(date +%Y%m%d-%H%M%S)
if [[ -e $STATE ]]; then
	mv "$STATE" "$STATE.before-restore-$stamp"
	log "the hub's state that was there is now $STATE.before-restore-$stamp"
fi
mkdir -p "$(dirname "$STATE")"
cp -a "$tmp/hub" "$STATE"
chown -R root:root "$STATE"
chmod 700 "$STATE"

getent group "$LEARNER_GROUP" >/dev/null || groupadd --system "$LEARNER_GROUP"
n=0
while read -r name; do
	user=$PREFIX$name home=$HOMES/$PREFIX$name
	if ! getent passwd "$user" >/dev/null; then
		useradd --home-dir "$home" --no-create-home --shell /bin/bash --gid "$LEARNER_GROUP" \
			--comment "gdlesson learner $name" "$user"
		log "made the Unix account $user"
	fi
	if [[ -e $home ]]; then
		mv "$home" "$home.before-restore-$stamp"
		log "$home that was there is now $home.before-restore-$stamp"
	fi
	cp -a "$tmp/home/$user" "$home"
	chown -R "$user:$LEARNER_GROUP" "$home"
	chmod 700 "$home"
	n=$((n + 1))
done <"$tmp/learners"
log "restored the hub's state into $STATE and $n learners' homes; start the hub again (sudo systemctl start gdlesson-hub where systemd runs, else sudo bash docker/hub/start.sh)"
