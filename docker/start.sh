#!/usr/bin/env bash
# docker/start.sh — set up when needed, then start Jupyter (classic notebook) on notebooks/.
#
#   bash docker/start.sh
#
# Prints the address to open, with its login token, and serves until Ctrl-C. The first
# time it runs docker/setup.sh (as root, or through sudo). It never changes a notebook: the
# files change only when you save them in Jupyter.
#
# Environment (all optional):
#   GDLESSON_IP     address to listen on (default 127.0.0.1, this machine only;
#                   the Docker image sets 0.0.0.0)
#   GDLESSON_PORT   port (default 8888; a busy port is an error, not a silent switch)
#   JUPYTER_TOKEN   the login token (default: a new random one each start)
# Started by a JupyterHub (JUPYTERHUB_API_TOKEN is set), it runs jupyterhub-singleuser instead.
set -euo pipefail

die() { printf 'start: error: %s\n' "$*" >&2; exit 1; }

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
export PATH=/usr/local/go/bin:/usr/local/bin:$PATH PYDEVD_DISABLE_FILE_VALIDATION=1

# ready: set up, and by a setup.sh that writes the kernel's GOFLAGS (-mod=mod, which the
# notebooks' %noautoget needs; an older set-up lacks it and is run again).
ready() {
	local spec=/usr/local/share/jupyter/kernels/gonb/kernel.json
	[[ -x /usr/bin/jupyter && -f $spec &&
		-x /usr/local/bin/gonb && -x /usr/local/bin/gopls && -x /usr/local/bin/goimports ]] &&
		grep -q -- '"GOFLAGS": "-mod=mod' "$spec" && command -v go >/dev/null
}
if [[ $EUID -eq 0 ]]; then
	bash "$repo/docker/setup.sh" # quick when everything is there
elif ! ready; then
	command -v sudo >/dev/null || die "not set up yet, and no sudo: as root, run bash docker/setup.sh, then this again"
	echo "start: not set up yet, or by an older version; running: sudo bash docker/setup.sh"
	sudo bash "$repo/docker/setup.sh"
fi
ready || die "the set-up is incomplete (see docker/setup.sh's messages above)"
[[ -d $repo/notebooks ]] || die "no notebooks folder in $repo"

root_flag=()
[[ $EUID -eq 0 ]] && root_flag=(--allow-root)

if [[ -n ${JUPYTERHUB_API_TOKEN:-} ]]; then
	# Spawned by a JupyterHub: it gives the address, the port and the login.
	command -v jupyterhub-singleuser >/dev/null ||
		die "started by a JupyterHub, but jupyterhub-singleuser is missing: run sudo bash docker/setup.sh --hub"
	exec jupyterhub-singleuser --notebook-dir="$repo/notebooks" "${root_flag[@]}" "$@"
fi

ip=${GDLESSON_IP:-127.0.0.1}
port=${GDLESSON_PORT:-8888}
[[ $port =~ ^[0-9]+$ ]] || die "GDLESSON_PORT must be a number, not '$port'"
if [[ -z ${JUPYTER_TOKEN:-} ]]; then
	JUPYTER_TOKEN=$(/usr/bin/python3 -c 'import secrets; print(secrets.token_hex(24))')
fi
export JUPYTER_TOKEN # read by Jupyter; kept off the command line, where ps would show it

show=$ip
[[ $ip == 0.0.0.0 ]] && show=127.0.0.1
cat <<MSG

  gdlesson: Jupyter is starting on the notebooks in $repo/notebooks
  Open this address in your browser (the token is the password):

      http://$show:$port/tree?token=$JUPYTER_TOKEN

  Stop with Ctrl-C (twice).

MSG
cd "$repo/notebooks"
exec /usr/bin/jupyter notebook --no-browser --ip="$ip" --port="$port" --port-retries=0 \
	--notebook-dir="$repo/notebooks" "${root_flag[@]}" "$@"
