#!/usr/bin/env bash
# docker/hub/setup.sh — make this server ready to run gdlesson's JupyterHub for a class.
#
#   sudo bash docker/hub/setup.sh
#
# Runs docker/local/setup.sh first (Jupyter, GoNB, the pinned JupyterHub in its virtual environment),
# then, on top:
#   /usr/local/share/gdlesson/hub/proxy   configurable-http-proxy 5.3.0 (npm ci from
#                                         docker/hub/proxy/package-lock.json)
#   /usr/local/share/gdlesson/hub/bin     gopls (docker/hub/lazygopls), first on the learners' PATH
#   /srv/gdlesson/course                  the course as learners get it: this repository's
#                                         committed files (HEAD) with the notebooks' student
#                                         edition (docker/course editions), without the tests
#                                         and their data; read-only, readable by every learner,
#                                         and checked to hold no answer (docker/course leaks)
#   /srv/gdlesson/instructor              the notebooks' instructor edition, readable only by
#                                         root and the group gdlesson-instructors (the hub's
#                                         admins): the hub copies it to admins instead
#   /srv/gdlesson/gomodcache              the Go module cache every learner reads (read-only)
#   /srv/gdlesson/gocache                 a warm Go build cache, made by running every notebook
#                                         once; each learner's cache is hard links to it
#   /srv/gdlesson/goplscache              a warm gopls cache (docker/hub/lazygopls/warm.go), linked
#                                         the same way
#   /srv/gdlesson/hub                     the hub's state (root only): database, cookie secret,
#                                         passwords, the admin token
#   /var/cache/gdlesson                   the learners' build and gopls caches (made at their first start)
#   /etc/systemd/system/gdlesson-*.service  the hub and its proxy as services, where systemd is
#                                         PID 1 (docker/hub/systemd/install.sh)
# This is the only step that downloads: at class time nothing is. Run it again after
# changing the course (git pull): it refreshes the course and the caches, and changes
# nothing when they are current. Learners' homes are never touched.
# The clone this runs from holds the answers (the instructor edition, and git's objects): it is
# made unreadable to other users (chmod o-rwx on the clone and on its git folder).
set -euo pipefail

SRV=${GDLESSON_HUB_SRV:-/srv/gdlesson}
SHARE=/usr/local/share/gdlesson
VENV=${GDLESSON_VENV:-$SHARE/venv}
PROXY_DIR=$SHARE/hub/proxy
CHP_VERSION=5.3.0

log() { printf 'hub-setup: %s\n' "$*"; }
die() { printf 'hub-setup: error: %s\n' "$*" >&2; exit 1; }

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)
[[ $EUID -eq 0 ]] || die "must run as root (it creates /srv/gdlesson and installs into /usr/local): sudo bash docker/hub/setup.sh"
start=$SECONDS

bash "$repo/docker/local/setup.sh"
export PATH=/usr/local/go/bin:/usr/local/bin:$PATH
for m in jupyterhub jupyterhub_idle_culler firstuseauthenticator nbclient; do
	"$VENV/bin/python3" -c "import $m" 2>/dev/null ||
		die "the Python module $m is missing from $VENV (docker/local/setup.sh installs it from docker/local/requirements.txt)"
done
command -v git >/dev/null || die "git not found (docker/local/setup.sh installs it)"
[[ -d $repo/.git ]] || git -C "$repo" rev-parse HEAD >/dev/null 2>&1 || die "$repo is not a git clone: the course is its committed files"

# --- configurable-http-proxy ------------------------------------------------------------
installed=$(bash "$repo/docker/local/npm-install.sh" "$here/proxy" "$PROXY_DIR" node_modules/.bin/configurable-http-proxy --omit=dev) ||
	die "configurable-http-proxy $CHP_VERSION could not be installed into $PROXY_DIR"
[[ -z $installed ]] || log "$installed"
chmod a+rX "$SHARE/hub"
chp=$("$PROXY_DIR/node_modules/.bin/configurable-http-proxy" --version) ||
	die "configurable-http-proxy in $PROXY_DIR does not run"
[[ $chp == "$CHP_VERSION" ]] || die "configurable-http-proxy in $PROXY_DIR is $chp, not $CHP_VERSION (docker/hub/proxy/package-lock.json)"

# gopls for the learners, first on their PATH: a stand-in that starts the real gopls at the
# first completion or Shift+Tab, with a smaller heap (docker/hub/lazygopls).
mkdir -p "$SHARE/hub/bin"
(cd "$repo" && GOTOOLCHAIN=local GOFLAGS=-mod=mod go build -o "$SHARE/hub/bin/gopls.new" ./docker/hub/lazygopls) ||
	die "docker/hub/lazygopls does not build"
chmod 755 "$SHARE/hub/bin/gopls.new"
mv -f "$SHARE/hub/bin/gopls.new" "$SHARE/hub/bin/gopls"

# --- the course: the student edition for learners, the instructor edition for admins -------
getent group gdlesson-learners >/dev/null || groupadd --system gdlesson-learners
getent group gdlesson-instructors >/dev/null || groupadd --system gdlesson-instructors
mkdir -p "$SRV"
chmod 755 "$SRV"
commit=$(git -C "$repo" rev-parse HEAD)
if [[ $(cat "$SRV/course/.gdlesson-commit" 2>/dev/null) != "$commit" || ! -d $SRV/instructor ]]; then
	log "copying the course (commit ${commit:0:12}) into $SRV/course (student edition) and $SRV/instructor"
	rm -rf "$SRV/course.new" "$SRV/instructor.new" "$SRV/editions.tmp"
	mkdir "$SRV/course.new" "$SRV/editions.tmp"
	chmod 700 "$SRV/editions.tmp"
	git -C "$repo" archive HEAD | tar -x -C "$SRV/course.new"
	# The editions step of docker/course (as the export runs it): instructor/ complete,
	# student/ with every solution cell replaced by its exercise, or an error naming the cell.
	(cd "$SRV/course.new" && GOFLAGS=-mod=mod GOTOOLCHAIN=local go build -o "$SRV/editions.tmp/course" ./docker/course) ||
		die "could not build docker/course (the editions step)"
	"$SRV/editions.tmp/course" editions -out "$SRV/editions.tmp" "$SRV/course.new/notebooks/"*.ipynb >/dev/null ||
		die "the notebooks' editions could not be made (see above); the course was left as it was"
	cp "$SRV/editions.tmp/student/"*.ipynb "$SRV/course.new/notebooks/"
	# Learners need the library, the exercises' checks and the notebooks; the tests and their
	# data are for developers, and the exercises' tests hold the answers. The Go code of docker/
	# runs the machine, not the cells: each kernel's go.work holds this copy, and its gopls
	# would load and diagnose those packages too (about 20 MB more per learner after a Tab).
	# docker/'s other files stay: the hub runs the course's docker/hub/*.py as the learner.
	find "$SRV/course.new" -name '*_test.go' -delete
	find "$SRV/course.new" -depth -type d -name testdata -exec rm -rf {} +
	find "$SRV/course.new/docker" -name '*.go' -delete
	"$SRV/editions.tmp/course" leaks "$SRV/course.new" "$SRV/editions.tmp/instructor/"*.ipynb ||
		die "the learners' copy of the course holds answers (see above); the course was left as it was"
	echo "$commit" >"$SRV/course.new/.gdlesson-commit"
	chown -R root:root "$SRV/course.new"
	chmod -R a+rX,go-w "$SRV/course.new"
	mkdir "$SRV/instructor.new"
	cp "$SRV/editions.tmp/instructor/"*.ipynb "$SRV/instructor.new/"
	printf '%s\n' "$repo" "$(git -C "$repo" rev-parse --path-format=absolute --git-common-dir)" >"$SRV/instructor.new/.gdlesson-source"
	chown -R root:gdlesson-instructors "$SRV/instructor.new"
	chmod 750 "$SRV/instructor.new"
	chmod 640 "$SRV/instructor.new/"*.ipynb "$SRV/instructor.new/.gdlesson-source"
	rm -rf "$SRV/editions.tmp" "$SRV/course.old" "$SRV/instructor.old"
	[[ -d $SRV/course ]] && mv "$SRV/course" "$SRV/course.old"
	[[ -d $SRV/instructor ]] && mv "$SRV/instructor" "$SRV/instructor.old"
	mv "$SRV/course.new" "$SRV/course"
	mv "$SRV/instructor.new" "$SRV/instructor"
	rm -rf "$SRV/course.old" "$SRV/instructor.old"
fi
# The clone this runs from, and its git folder (elsewhere for a git worktree), hold every answer:
# nobody but their owner and group may enter them (learners are in neither).
for d in "$repo" "$(git -C "$repo" rev-parse --path-format=absolute --git-common-dir)"; do
	[[ $(stat -c %G "$d") != gdlesson-learners ]] || die "$d belongs to the group gdlesson-learners: learners could read the answers; chgrp it"
	if [[ $(stat -c %A "$d") != *--- ]]; then
		log "making $d unreadable to other users (it holds the answers): chmod o-rwx"
		chmod o-rwx "$d"
	fi
done

# --- Go caches ----------------------------------------------------------------------------
# The module cache is filled with the network, by `go mod download` and by the warm-up run
# below. The build cache is made by running every notebook once, as learners will: same
# course path, same environment (GOFLAGS of the kernel spec), so their first cells hit it.
stamp="$commit $(go env GOVERSION) $(sha256sum /usr/local/share/jupyter/kernels/gonb/kernel.json /usr/local/bin/gonb | sha256sum | cut -c1-16)"
if [[ $(cat "$SRV/gocache/gdlesson-stamp" 2>/dev/null) != "$stamp" ]]; then
	log "warming the Go caches: running every notebook once (a few minutes)"
	export GOMODCACHE=$SRV/gomodcache GOCACHE=$SRV/gocache.new GOTOOLCHAIN=local GOFLAGS=-mod=mod
	export GDLESSON_REPO=$SRV/course HOME=$SRV/warm
	rm -rf "$GOCACHE" "$HOME"
	mkdir -p "$GOMODCACHE" "$GOCACHE" "$HOME/notebooks"
	(cd "$SRV/course" && go mod download)
	cp "$SRV/course/notebooks/"*.ipynb "$HOME/notebooks/"
	ln -s "$SRV/course/gdlib" "$HOME/gdlib" # as the hub links each learner's (../gdlib from the notebooks)
	nbpython=/usr/bin/python3
	"$VENV/bin/python3" -c 'import nbclient, nbformat' 2>/dev/null && nbpython=$VENV/bin/python3
	unset GOFLAGS # the kernel spec sets it for the cells
	(cd "$HOME/notebooks" && PYDEVD_DISABLE_FILE_VALIDATION=1 "$nbpython" "$SRV/course/docker/checks/nbrun.py" -j 1 --timeout 600 ./*.ipynb) ||
		die "the warm-up run of the notebooks failed (see above); the caches were left as they were"
	go telemetry off
	rm -rf "$HOME"
	chmod -R a+rX,go-w "$GOMODCACHE" "$GOCACHE"
	find "$GOCACHE" -type f -exec chmod a-w {} +
	echo "$stamp" >"$GOCACHE/gdlesson-stamp"
	chmod 444 "$GOCACHE/gdlesson-stamp"
	rm -rf "$SRV/gocache.old"
	[[ -d $SRV/gocache ]] && mv "$SRV/gocache" "$SRV/gocache.old"
	mv "$GOCACHE" "$SRV/gocache"
	rm -rf "$SRV/gocache.old"
	log "Go caches: modules $(du -sh "$GOMODCACHE" | cut -f1), build $(du -sh "$SRV/gocache" | cut -f1)"
fi
# gopls's cache, warm: each learner's gopls links to it (as to the build cache), so their first
# Tab costs about 0.8 CPU s and 100 MB instead of 4.7 s and 320 MB (docker/hub/lazygopls/warm.go).
# Made with the learners' Go environment (gdlesson_hub.py sets it for their servers; the kernel
# spec's GOFLAGS without -mod=mod, which gdlesson-gonb takes out in a go.work).
gstamp="$stamp $(sha256sum /usr/local/bin/gopls "$SHARE/hub/bin/gopls" | sha256sum | cut -c1-16)"
if [[ $(cat "$SRV/goplscache/gdlesson-stamp" 2>/dev/null) != "$gstamp" ]]; then
	log "warming gopls's cache"
	goflags=$(/usr/bin/python3 -c 'import json, sys; print(" ".join(f for f in json.load(open(sys.argv[1]))["env"]["GOFLAGS"].split() if f != "-mod=mod"))' \
		/usr/local/share/jupyter/kernels/gonb/kernel.json) || die "cannot read GOFLAGS from the GoNB kernel spec"
	rm -rf "$SRV/goplscache.new" "$SRV/warm"
	mkdir -p "$SRV/goplscache.new" "$SRV/warm"
	(cd "$SRV/warm" && env -i PATH=/usr/local/go/bin:/usr/local/bin:/usr/bin:/bin HOME="$SRV/warm" TMPDIR="$SRV/warm" \
		GOPLSCACHE="$SRV/goplscache.new" GOCACHE="$SRV/warm/go-build" GOMODCACHE="$SRV/gomodcache" \
		GOPROXY="file://$SRV/gomodcache/cache/download" GOSUMDB=off GOTOOLCHAIN=local GOFLAGS="$goflags" \
		"$SHARE/hub/bin/gopls" -gdlesson-warm "$SRV/course") ||
		die "gopls could not warm its cache (see above)"
	rm -rf "$SRV/warm"
	chmod -R a+rX,go-w "$SRV/goplscache.new"
	find "$SRV/goplscache.new" -type f -exec chmod a-w {} +
	echo "$gstamp" >"$SRV/goplscache.new/gdlesson-stamp"
	chmod 444 "$SRV/goplscache.new/gdlesson-stamp"
	rm -rf "$SRV/goplscache"
	mv "$SRV/goplscache.new" "$SRV/goplscache"
	log "gopls's cache: $(du -sh "$SRV/goplscache" | cut -f1)"
fi
mkdir -p /var/cache/gdlesson
chmod 711 /var/cache/gdlesson
for c in gocache goplscache; do
	[[ $(stat -c %d "$SRV/$c") == $(stat -c %d /var/cache/gdlesson) ]] ||
		log "warning: $SRV/$c and /var/cache/gdlesson are on different filesystems: learners' caches cannot be hard links"
done

# --- the hub's state ------------------------------------------------------------------------
mkdir -p "$SRV/hub"
chmod 700 "$SRV/hub"
if [[ ! -s $SRV/hub/admin-token ]]; then
	(umask 077 && "$VENV/bin/python3" -c 'import secrets; print(secrets.token_hex(32))' >"$SRV/hub/admin-token")
fi

# --- the service: units where systemd runs (else a line saying so) -------------------------------
bash "$here/systemd/install.sh"

log "ready in $((SECONDS - start)) s: start the hub with  sudo systemctl start gdlesson-hub  (where systemd runs) or  sudo bash docker/hub/start.sh"
