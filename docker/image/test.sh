#!/usr/bin/env bash
# docker/image/test.sh — build docker/image/Dockerfile for real and run the image, without a registry.
#
#   bash docker/image/test.sh        # as root, from anywhere
#
# Needs Debian 12's podman, runc, debootstrap, uidmap, util-linux (nsenter) and curl, and
# docker/local/setup.sh's Debian Python (tornado, nbformat); a missing one is named with its package.
#
# Steps (a failure names its step, shows what it saw, and the containers are removed on every exit):
#   base      docker/image/base.sh: Debian 12 by debootstrap + this machine's Go, imported into
#             podman (cached in /var/cache/gdlesson-image)
#   build     podman build of docker/image/Dockerfile on that base (--build-arg BASE=…), at the lowest
#             CPU and I/O priority; podman's layer cache makes a rebuild of an unchanged tree
#             take seconds
#   offline   the image run with --network=none, a token, and a new volume over its notebooks
#             folder (the learner's storage, as DockerSpawner mounts it): the server answers 403
#             without the token and 200 with it; it is JupyterLab 4 of the venv; every process of
#             the container runs as a non-root user; the container reaches no outside address;
#             every notebook runs cell by cell through the server's REST API and the kernel's
#             WebSocket (docker/image/nbapi.py, run from this machine inside the container's
#             network namespace), charts arrive, and no cell up to each notebook's first chart
#             takes more than 3 s (max_first_chart: the caches are warm); nothing was downloaded
#             (the module cache is unchanged) and the build cache grew by little; a learner's
#             edit is saved
#   restart   the same container stopped and started again: the edit is there, the notebook runs
#   new       a new container on that volume, with Notebook 7 (GDLESSON_UI=notebook): the edit
#             is there; docker/hub/README.md's start hook restores a deleted notebook
#   empty     a new container whose storage is an empty folder (as Zero to JupyterHub's volume
#             starts): the start hook fills it, the repository and the warm caches beside it are
#             not hidden, and 02_optimizers's first chart comes as fast there too
#   hub       docker/hub/README.md's DockerSpawner settings under a real JupyterHub (the venv's 6.1.1, with
#             DockerSpawner 14.0.0 from docker/hub/spawner-requirements.txt) through podman's
#             Docker-compatible API (docker/hub/dockerspawner_config.py): the hub starts the
#             learner's container with the image's own command (jupyterhub-singleuser of the
#             hub's version, JupyterLab), the 1 GB limit and the named volume over the notebooks
#             folder; notebooks run and a save is made through the hub's proxy; the server is
#             stopped (the container is removed, the volume stays) and started again: the save
#             is there
#   publish   the image run as docker/image/README.md's docker run (-p 127.0.0.1:PORT:8888, the learner's volume,
#             no JUPYTER_TOKEN): the address it prints opens, its token is required, the save of
#             the steps above is there, 00_smoke runs through that address
# At the end (and on a failure) it prints each step's time and the total.
#
# Not in .ci/run: a cold run takes about 15 min (debootstrap, the image's set-up, warming its
# caches), and needs root, podman and debootstrap. Exit status 0 when every step passed.
#
# Environment (all optional):
#   GDLESSON_IMAGE        the tag to build (default localhost/gdlesson:test)
#   GDLESSON_IMAGE_CACHE  the base's cache folder (default /var/cache/gdlesson-image)
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
image=${GDLESSON_IMAGE:-localhost/gdlesson:test}
py=/usr/bin/python3 # Debian's, with python3-tornado and python3-nbformat (docker/local/setup.sh)
notebooks=(00_smoke.ipynb 01_gradient_descent.ipynb 02_optimizers.ipynb)
# The slowest any cell up to a notebook's first chart may be in a new kernel: issue 11's target
# for a new learner's first chart cell on a quiet machine. Warm caches make each well under a
# second; with a cold build cache the first cell that imports gdlib compiles gonum and go-echarts
# (9 s measured in this image with GOCACHE emptied, 12-17 s on a busier machine).
max_first_chart=3
venv_re='/usr/local/share/gdlesson/venv[^/ ]*/bin/' # the venv (a link to venv-<hash>)

# The OCI runtime and limits for every container, the build's too. runc, not Debian's default crun:
# crun refuses a machine that mounts cgroup v1 with a cgroup2 hierarchy beside it that holds a
# controller ("cgroups in hybrid mode not supported"), as this one does; runc runs there, and on
# plain v1 or v2 machines too. The limits are this shell's own hard limits (at most podman's
# default nproc): podman's defaults (nofile 1048576) would have to raise them, which a process
# without CAP_SYS_RESOURCE may not ("setrlimit: operation not permitted").
nofile=$(ulimit -Hn) nproc=$(ulimit -Hu)
[[ $nofile == unlimited ]] && nofile=1048576
[[ $nproc == unlimited || $nproc -gt 32768 ]] && nproc=32768
podman() { command podman --runtime runc "$@"; }
limits=(--ulimit "nofile=$nofile:$nofile" --ulimit "nproc=$nproc:$nproc")
# The build's RUN steps trust what this machine trusts: its CA list is mounted over the image's
# for the build only (a network whose proxy signs with a local CA, as here, then works for apt,
# Go, pip and npm). The image keeps Debian's own list: a bind mount is not part of a layer.
trust=()
[[ -s /etc/ssl/certs/ca-certificates.crt ]] &&
	trust=(-v /etc/ssl/certs/ca-certificates.crt:/etc/ssl/certs/ca-certificates.crt:ro)

current="preconditions"
containers=()
volumes=()
empty= # the test's empty storage folder, once made
hubdir= hub_pid= service_pid= # the hub step's folder, JupyterHub and podman's API service
# The start hook of docker/hub/README.md's Zero to JupyterHub settings (its storage starts empty).
restore_hook='cp -rn /opt/gdlesson/notebooks/. /home/jovyan/gdlesson/notebooks/'
t_all=$SECONDS
times=()
step() {
	current=$1
	t_step=$SECONDS
	printf '\n== image-test: %s\n' "$1"
}
done_step() {
	printf 'image-test: %s passed in %d s\n' "$current" "$((SECONDS - t_step))"
	times+=("$(printf '%-9s %5d s' "$current" "$((SECONDS - t_step))")")
}
show_times() {
	printf 'image-test: time of each step passed:\n'
	printf '    %s\n' "${times[@]}" "$(printf '%-9s %5d s' total "$((SECONDS - t_all))")"
}
die() {
	printf 'image-test: FAILED at step "%s": %s\n' "$current" "$*" >&2
	exit 1
}
cleanup() {
	local rc=$?
	if ((rc != 0)); then
		printf 'image-test: FAILED at step "%s" (exit %d)\n' "$current" "$rc" >&2
		((${#times[@]} == 0)) || show_times >&2
		for c in "${containers[@]}"; do
			printf -- '--- last lines of the log of container %s:\n' "${c:0:12}" >&2
			podman logs --tail 30 "$c" >&2 2>&1 || true
		done
	fi
	if ((rc != 0)) && [[ -n $hubdir && -s $hubdir/hub.log ]]; then
		printf -- '--- last lines of the log of the hub:\n' >&2
		tail -n 30 "$hubdir/hub.log" >&2
	fi
	# The hub stops the learner's server (its container) and its proxy when it ends.
	if [[ -n $hub_pid ]]; then
		kill -TERM "$hub_pid" 2>/dev/null && timeout 60 tail --pid="$hub_pid" -f /dev/null || true
	fi
	[[ -z $service_pid ]] || kill -TERM "$service_pid" 2>/dev/null || true
	for c in "${containers[@]}"; do
		podman rm -f --ignore -t 5 "$c" >/dev/null 2>&1 || printf 'image-test: could not remove container %s\n' "$c" >&2
	done
	for v in "${volumes[@]}"; do
		podman volume rm -f "$v" >/dev/null 2>&1 || printf 'image-test: could not remove volume %s\n' "$v" >&2
	done
	[[ -z $empty ]] || rm -rf "$empty"
	[[ -z $hubdir ]] || rm -rf "$hubdir"
	exit "$rc"
}
trap cleanup EXIT

# netns CID CMD...: runs CMD on this machine inside the network namespace of container CID (the
# container's loopback is the only network there when it runs with --network=none).
netns() {
	local pid
	pid=$(podman inspect --format '{{.State.Pid}}' "$1") && [[ $pid =~ ^[1-9][0-9]*$ ]] ||
		die "container ${1:0:12} has no process (not running?)"
	shift
	nsenter --net="/proc/$pid/ns/net" "$@"
}

# wait_up URL CID [netns]: waits (up to 90 s) until the Jupyter server at URL answers HTTP.
wait_up() {
	local url=$1 cid=$2 via=() i
	[[ ${3:-} == netns ]] && via=(netns "$cid")
	for ((i = 0; i < 90; i++)); do
		[[ $(podman inspect --format '{{.State.Running}}' "$cid") == true ]] ||
			die "the container stopped before its server answered"
		if "${via[@]}" "$py" - "$url" <<-'PY' 2>/dev/null; then
		import sys, urllib.error, urllib.request
		try:
		    urllib.request.urlopen(sys.argv[1] + "/api/status", timeout=2)
		except urllib.error.HTTPError:
		    pass  # 403: it answers
		PY
			return 0
		fi
		sleep 1
	done
	die "no answer from $url within 90 s"
}

# cache_state CID: the module files in the Go module cache (a download adds some), one a line,
# then the size of the build cache in KiB on the last line.
cache_state() {
	podman exec "$1" bash -c 'm=$(go env GOMODCACHE)/cache/download
		find "$m" -name "*.zip" -o -name "*.mod" | sort
		du -sk "$(go env GOCACHE)" | cut -f1'
}

# peak_mib CID: the most memory the container used so far, in MiB (cgroup v1 or v2), or "?".
peak_mib() {
	local cg f
	cg=$(podman inspect --format '{{.State.CgroupPath}}' "$1" 2>/dev/null) || cg=
	for f in "/sys/fs/cgroup/memory$cg/memory.max_usage_in_bytes" "/sys/fs/cgroup$cg/memory.peak"; do
		[[ -n $cg && -r $f ]] && { echo $(($(cat "$f") / 1048576)); return; }
	done
	echo "?"
}

# --- preconditions -------------------------------------------------------------
[[ $EUID -eq 0 ]] || die "must run as root (debootstrap, rootful podman, nsenter)"
# command:Debian package (newuidmap: podman's user-namespace helper, which Debian's podman recommends)
for need in podman:podman runc:runc debootstrap:debootstrap newuidmap:uidmap nsenter:util-linux curl:curl; do
	type -P "${need%%:*}" >/dev/null || die "${need%%:*} not found: apt-get install --no-install-recommends ${need#*:}
  (everything this test needs from Debian 12: apt-get install --no-install-recommends podman runc debootstrap uidmap util-linux curl)"
done
[[ -x $py ]] || die "$py not found: apt-get install python3 python3-tornado python3-nbformat (or run sudo bash docker/local/setup.sh)"
"$py" -c 'import tornado, nbformat' 2>/dev/null ||
	die "$py lacks tornado or nbformat: run sudo bash docker/local/setup.sh"
cd "$repo"

step "base"
base=$(bash docker/image/base.sh | tail -n1) || die "docker/image/base.sh failed"
podman image exists "$base" || die "docker/image/base.sh printed '$base', which is not an image"
echo "base image: $base"
done_step

step "build"
# At the lowest CPU and I/O priority: the build runs the image's set-up and every notebook.
nice -n 19 ionice -c3 podman --runtime runc build "${limits[@]}" "${trust[@]}" --layers --ignorefile docker/image/Dockerfile.dockerignore --build-arg BASE="$base" \
	-f docker/image/Dockerfile -t "$image" . || die "podman build of docker/image/Dockerfile failed (its output is above)"
user=$(podman image inspect --format '{{.Config.User}}' "$image")
[[ -n $user && $user != root && $user != 0 ]] || die "the image runs as '${user:-root}', not as a non-root user"
size=$(podman image inspect --format '{{.Size}}' "$image")
echo "image $image: user $user, $((size / 1000000)) MB"
# The image's tag moved to the new image: the one it named before (if any) is left without a tag.
podman image prune -f >/dev/null || echo "image-test: could not remove the untagged images (podman image prune)"
done_step

step "offline"
# The learner's storage is a volume over the notebooks folder, as docker/hub/README.md's DockerSpawner and
# Zero to JupyterHub settings mount it: the new volume starts as a copy of the image's notebooks.
vol=gdlesson-image-test-$$
podman volume create "$vol" >/dev/null || die "podman volume create $vol failed"
volumes+=("$vol")
token=$("$py" -c 'import secrets; print(secrets.token_hex(24))')
# start_offline STORAGE [podman run options]: a container without network, STORAGE over its
# notebooks folder; waits until its server answers.
start_offline() {
	local storage=$1
	shift
	cid=$(podman run "${limits[@]}" -d --network=none -e JUPYTER_TOKEN="$token" "$@" \
		-v "$storage:/home/jovyan/gdlesson/notebooks" "$image") || die "podman run --network=none failed"
	containers+=("$cid")
	wait_up http://127.0.0.1:8888 "$cid" netns
}
# server_is CID PROGRAM: the container's Jupyter server is the venv's PROGRAM (jupyter-lab or
# jupyter-notebook), not Debian's classic Notebook.
server_is() {
	local args
	args=$(podman exec "$1" ps -eo args=) || die "podman exec ps failed"
	grep -Eq "^[^ ]*python[0-9.]* $venv_re$2 " <<<"$args" ||
		die "the container's server is not the venv's $2; its processes: $(grep -i jupyter <<<"$args" | cut -c1-200)"
	echo "server process: $(grep -Eo "$venv_re$2" <<<"$args" | head -n1)"
}
start_offline "$vol"
server_is "$cid" jupyter-lab
uids=$(podman exec "$cid" ps -eo uid=,comm= | sort -u)
echo "processes (uid, command):"
sed 's/^/    /' <<<"$uids"
awk '$1 == 0 { bad = 1 } END { exit bad }' <<<"$uids" || die "a process of the container runs as root"
[[ $(podman exec "$cid" id -u) != 0 ]] || die "podman exec runs as root"
if podman exec "$cid" "$py" -c 'import socket; socket.create_connection(("proxy.golang.org", 443), 5)' 2>/dev/null; then
	die "the container reached proxy.golang.org:443 although it runs with --network=none"
fi
echo "no network: proxy.golang.org:443 cannot be reached from the container"
before=$(cache_state "$cid")
note="A learner's note, saved before the restart (${token:0:8})."
netns "$cid" "$py" docker/image/nbapi.py --url http://127.0.0.1:8888 --token "$token" --ui lab \
	--max-first-chart "$max_first_chart" --chart 01_gradient_descent.ipynb --chart 02_optimizers.ipynb \
	--save-note "$note" "${notebooks[@]}" || die "a notebook failed through the server's API without network (its report is above)"
after=$(cache_state "$cid")
build0=$(tail -n1 <<<"$before") build1=$(tail -n1 <<<"$after")
added=$(comm -13 <(sed '$d' <<<"$before") <(sed '$d' <<<"$after"))
echo "Go caches: $(sed '$d' <<<"$before" | wc -l) module files before and after the run;" \
	"build cache $((build0 / 1024)) -> $((build1 / 1024)) MB; peak memory of the container $(peak_mib "$cid") MiB"
[[ -z $added ]] || die "the run added files to the module cache although nothing could be downloaded: $added"
# Warm: the run only adds the lesson cells' own programs; cold it adds about 100 MB of packages.
((build1 - build0 < 40 * 1024)) ||
	die "the build cache grew by $(((build1 - build0) / 1024)) MB: the image's caches were not warm"
done_step

step "restart"
# The same container stopped and started again (as a machine's reboot, or docker stop/start).
podman stop -t 10 "$cid" >/dev/null || die "podman stop failed"
[[ $(podman inspect --format '{{.State.Running}}' "$cid") == false ]] || die "the container still runs after podman stop"
podman start "$cid" >/dev/null || die "podman start of the stopped container failed"
wait_up http://127.0.0.1:8888 "$cid" netns
netns "$cid" "$py" docker/image/nbapi.py --url http://127.0.0.1:8888 --token "$token" --ui lab \
	--expect-note "$note" 00_smoke.ipynb || die "the learner's save is lost, or the notebook does not run, after podman stop and start"
podman rm -f -t 5 "$cid" >/dev/null
done_step

step "new"
# A new container on the same storage (as DockerSpawner's remove=True gives at each start), with
# Notebook 7: the learner's save is there, the notebook still finds the repository; docker/hub/README.md's
# start hook for Zero to JupyterHub puts back a notebook that is missing and overwrites none.
start_offline "$vol" -e GDLESSON_UI=notebook
server_is "$cid" jupyter-notebook
podman exec "$cid" rm /home/jovyan/gdlesson/notebooks/02_optimizers.ipynb
podman exec "$cid" sh -c "$restore_hook" || die "the start hook failed: $restore_hook"
podman exec "$cid" test -s /home/jovyan/gdlesson/notebooks/02_optimizers.ipynb ||
	die "the start hook did not put 02_optimizers.ipynb back"
echo "the start hook put back a deleted notebook: $restore_hook"
netns "$cid" "$py" docker/image/nbapi.py --url http://127.0.0.1:8888 --token "$token" --ui notebook \
	--expect-note "$note" 00_smoke.ipynb || die "the learner's saved notebook is lost, or does not run in a new container"
podman rm -f -t 5 "$cid" >/dev/null
done_step

step "empty"
# Storage that starts empty, as a Zero to JupyterHub learner's volume does (Kubernetes copies
# nothing of the image into it; fsGid 100 makes it the group users'): a bind-mounted empty folder.
empty=$(mktemp -d /tmp/gdlesson-image-test-storage.XXXXXX)
chown 1000:100 "$empty" && chmod 2775 "$empty"
start_offline "$empty"
[[ -z $(podman exec "$cid" ls -A /home/jovyan/gdlesson/notebooks) ]] || die "the bind-mounted storage is not empty"
podman exec "$cid" sh -c "$restore_hook" || die "the start hook failed on empty storage: $restore_hook"
for nb in "${notebooks[@]}"; do
	[[ -s $empty/$nb && $(stat -c %u "$empty/$nb") == 1000 ]] ||
		die "the start hook did not copy $nb into the storage as uid 1000: $(ls -ln "$empty")"
done
# The mount hides only the notebooks folder: the clone the kernel uses and the warm caches stay.
podman exec "$cid" bash -c 'cd /home/jovyan/gdlesson && test -f go.mod && test -d gdlib && test -f docker/local/gdlesson-gonb' ||
	die "the repository beside the notebooks folder is missing in the container"
gocache=$(podman exec "$cid" bash -c 'du -sm "$(go env GOCACHE)" | cut -f1')
((gocache > 50)) || die "the build cache in the container holds only $gocache MB: the storage hides it or it was not warmed"
echo "start hook filled the empty storage ($(ls "$empty" | wc -l) entries, owned by uid 1000); repository and build cache ($gocache MB) beside it"
netns "$cid" "$py" docker/image/nbapi.py --url http://127.0.0.1:8888 --token "$token" \
	--max-first-chart "$max_first_chart" --chart 02_optimizers.ipynb 02_optimizers.ipynb ||
	die "02_optimizers failed in the storage the start hook filled"
podman rm -f -t 5 "$cid" >/dev/null
rm -rf "$empty"
done_step

step "hub"
# DockerSpawner from PyPI (hash-locked, without dependencies) in a venv of its own that also sees
# gdlesson's venv (jupyterhub 6.1.1, requests, urllib3) through a .pth file: the shared venv
# itself stays as docker/local/setup.sh made it.
venv_dir=$(readlink -f /usr/local/share/gdlesson/venv)
site=$(echo "$venv_dir"/lib/python3*/site-packages)
[[ -d $site ]] || die "no site-packages in $venv_dir: run sudo bash docker/local/setup.sh"
spawner_venv=${GDLESSON_IMAGE_CACHE:-/var/cache/gdlesson-image}/spawner-venv-$(
	{ cat docker/hub/spawner-requirements.txt; echo "$site"; } | sha256sum | cut -c1-12)
if ! "$spawner_venv/bin/python" -c 'import dockerspawner, jupyterhub' 2>/dev/null; then
	rm -rf "$spawner_venv"
	/usr/bin/python3 -m venv "$spawner_venv" || die "python3 -m venv $spawner_venv failed (apt-get install python3-venv)"
	echo "$site" >"$(echo "$spawner_venv"/lib/python3*/site-packages)/gdlesson-venv.pth"
	"$spawner_venv/bin/pip" install -q --no-deps --require-hashes -r docker/hub/spawner-requirements.txt ||
		die "pip could not install docker/hub/spawner-requirements.txt into $spawner_venv"
fi
"$spawner_venv/bin/python" -c 'import dockerspawner, jupyterhub; print("DockerSpawner", dockerspawner.__version__, "with JupyterHub", jupyterhub.__version__)' ||
	die "DockerSpawner or JupyterHub does not import in $spawner_venv"
proxy=/usr/local/share/gdlesson/hub/proxy/node_modules/.bin/configurable-http-proxy
[[ -x $proxy ]] || die "no configurable-http-proxy at $proxy: run sudo bash docker/hub/setup.sh"
hubdir=$(mktemp -d /tmp/gdlesson-image-test-hub.XXXXXX)
chmod 700 "$hubdir"
# podman's Docker-compatible API on a socket in that folder, with the runtime and limits above.
printf '[containers]\ndefault_ulimits = ["nofile=%s:%s", "nproc=%s:%s"]\n[engine]\nruntime = "runc"\n' \
	"$nofile" "$nofile" "$nproc" "$nproc" >"$hubdir/containers.conf"
CONTAINERS_CONF=$hubdir/containers.conf command podman system service --time=0 "unix://$hubdir/podman.sock" \
	>"$hubdir/service.log" 2>&1 &
service_pid=$!
for ((i = 0; i < 30; i++)); do
	curl -sf --unix-socket "$hubdir/podman.sock" http://podman/version >/dev/null && break
	sleep 1
done
curl -sf --unix-socket "$hubdir/podman.sock" http://podman/version >/dev/null ||
	die "podman system service does not answer on $hubdir/podman.sock: $(tail -n 5 "$hubdir/service.log")"
freeport() { "$py" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
hub_token=$("$py" -c 'import secrets; print(secrets.token_hex(24))')
hub_user=learner
hub_note="A learner's note, saved through the hub (${hub_token:0:8})."
hub_vol=gdlesson-image-test-$$
GDLESSON_T_STATE=$hubdir GDLESSON_T_PORT=$(freeport) GDLESSON_T_HUB_PORT=$(freeport)
GDLESSON_T_PROXY_API_PORT=$(freeport) GDLESSON_T_SERVER_PORT=$(freeport) GDLESSON_T_PROXY=$proxy
GDLESSON_T_PASSWORD=$("$py" -c 'import secrets; print(secrets.token_hex(12))') GDLESSON_T_USER=$hub_user
GDLESSON_T_ADMIN_TOKEN=$hub_token GDLESSON_T_IMAGE=$image GDLESSON_T_SOCKET=$hubdir/podman.sock
GDLESSON_T_VOLUME=$hub_vol
export "${!GDLESSON_T_@}"
volumes+=("$hub_vol-$hub_user")
(cd "$hubdir" && exec "$spawner_venv/bin/python" -m jupyterhub -f "$repo/docker/hub/dockerspawner_config.py") \
	>"$hubdir/hub.log" 2>&1 &
hub_pid=$!
hub=http://127.0.0.1:$GDLESSON_T_PORT
"$py" docker/hub/hubctl.py "$hub" "$hub_token" up || die "the hub did not start"
# hub_server: the hub starts the learner's server; cid is its container.
hub_server() {
	local t0=$SECONDS path
	path=$("$py" docker/hub/hubctl.py "$hub" "$hub_token" start "$hub_user") || die "the hub could not start $hub_user's container"
	[[ $path == "/user/$hub_user/" ]] || die "the hub put $hub_user's server at '$path', not /user/$hub_user/"
	cid=$(podman ps -q --no-trunc --filter "name=^$hub_vol-$hub_user\$")
	[[ -n $cid ]] || die "no container $hub_vol-$hub_user runs after the hub started the server"
	containers+=("$cid")
	echo "the hub started $hub_user's container ${cid:0:12} in $((SECONDS - t0)) s"
}
hub_server
# What docker/hub/README.md's settings promise: the image's own command, the memory limit, the volume.
mem=$(podman inspect --format '{{.HostConfig.Memory}}' "$cid")
[[ $mem == 1073741824 ]] || die "the container's memory limit is $mem bytes, not 1G (mem_limit)"
mounts=$(podman inspect --format '{{range .Mounts}}{{.Name}}:{{.Destination}} {{end}}' "$cid")
[[ $mounts == *"$hub_vol-$hub_user:/home/jovyan/gdlesson/notebooks "* ]] ||
	die "the learner's volume is not mounted over the notebooks folder: $mounts"
server_is "$cid" jupyterhub-singleuser
! grep -q "!= jupyterhub-singleuser version" "$hubdir/hub.log" ||
	die "the hub and the image's jupyterhub-singleuser differ: $(grep -m1 "!= jupyterhub-singleuser" "$hubdir/hub.log")"
echo "container: memory limit 1 GiB; volume $hub_vol-$hub_user over the notebooks folder; jupyterhub-singleuser of the hub's version"
user_token=$("$py" docker/hub/hubctl.py "$hub" "$hub_token" token "$hub_user") || die "the hub gave no token for $hub_user"
"$py" docker/image/nbapi.py --url "$hub/user/$hub_user" --token "$user_token" --ui lab --save-note "$hub_note" \
	--max-first-chart "$max_first_chart" --chart 02_optimizers.ipynb 00_smoke.ipynb 02_optimizers.ipynb ||
	die "a notebook failed through the hub"
"$py" docker/hub/hubctl.py "$hub" "$hub_token" stop "$hub_user" || die "the hub could not stop $hub_user's server"
for ((i = 0; i < 30; i++)); do podman container exists "$cid" || break; sleep 1; done
! podman container exists "$cid" || die "the container ${cid:0:12} is still there after the hub stopped it (remove = True)"
podman volume exists "$hub_vol-$hub_user" || die "the learner's volume $hub_vol-$hub_user went with the container"
echo "the hub stopped the server: the container is removed, the volume $hub_vol-$hub_user stays"
hub_server
"$py" docker/image/nbapi.py --url "$hub/user/$hub_user" --token "$user_token" --ui lab --expect-note "$hub_note" \
	00_smoke.ipynb || die "the learner's save is lost after the hub started the server again"
"$py" docker/hub/hubctl.py "$hub" "$hub_token" stop "$hub_user" || die "the hub could not stop $hub_user's server"
kill -TERM "$hub_pid" && timeout 60 tail --pid="$hub_pid" -f /dev/null || die "JupyterHub did not end within 60 s of SIGTERM"
hub_pid=
kill -TERM "$service_pid" && timeout 30 tail --pid="$service_pid" -f /dev/null || die "podman system service did not end"
service_pid=
rm -rf "$hubdir"
hubdir=
done_step

step "publish"
port=$("$py" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
# docker/image/README.md's docker run: the published port, no JUPYTER_TOKEN, the learner's volume (the one
# of the steps above, with their save).
cid=$(podman run "${limits[@]}" -d -p "127.0.0.1:$port:8888" -v "$vol:/home/jovyan/gdlesson/notebooks" "$image") ||
	die "podman run -p 127.0.0.1:$port:8888 -v $vol:/home/jovyan/gdlesson/notebooks failed"
containers+=("$cid")
published=$(podman port "$cid" 8888/tcp)
[[ $published == "127.0.0.1:$port" ]] || die "the port is published on '$published', not on 127.0.0.1:$port only"
wait_up "http://127.0.0.1:$port" "$cid"
address=$(podman logs "$cid" 2>&1 | grep -Eo 'http://127\.0\.0\.1:8888/[^ ]*token=[0-9a-f]+' | head -n1) ||
	die "the container's log prints no address with a token"
token=${address##*token=}
echo "printed address: ${address%%token=*}token=… (a token of ${#token} characters)"
code=$(curl -s -L -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port${address#http://127.0.0.1:8888}")
[[ $code == 200 ]] || die "the printed address answers HTTP $code through 127.0.0.1:$port, not 200"
echo "the printed address opens (HTTP 200 through 127.0.0.1:$port)"
"$py" docker/image/nbapi.py --url "http://127.0.0.1:$port" --token "$token" --ui lab --expect-note "$note" \
	00_smoke.ipynb || die "00_smoke failed through the published port, or the learner's save is not in the volume"
podman rm -f -t 5 "$cid" >/dev/null
done_step

printf '\nimage-test: all steps passed in %d s (image %s, %d MB)\n' "$((SECONDS - t_all))" "$image" "$((size / 1000000))"
show_times
