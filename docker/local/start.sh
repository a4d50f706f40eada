#!/usr/bin/env bash
# docker/local/start.sh — set up when needed, then start Jupyter on notebooks/.
#
#   bash docker/local/start.sh [--ui lab|notebook|classic] [--port N] [more Jupyter server options]
#
# The front end (--ui, else $GDLESSON_UI, else lab):
#   lab       JupyterLab 4 (the default)           /usr/local/share/gdlesson/venv/bin/jupyter lab
#   notebook  Notebook 7                           /usr/local/share/gdlesson/venv/bin/jupyter notebook
#   classic   the classic Notebook 6.4.12, Debian's /usr/bin/jupyter notebook
# JupyterLab and Notebook 7 show Japanese menus (docker/local/setup.sh makes ja_JP their default);
# each user switches to English with 設定 ▸ 言語 ▸ English - English (Settings ▸ Language).
# Prints the address to open, with its login token, and serves until Ctrl-C. The first time it
# runs docker/local/setup.sh (as root, or through sudo). It never changes a notebook: the files change
# only when you save them in Jupyter.
#
# As root, the server runs with its terminals turned off (Jupyter's File ▸ New ▸ Terminal would
# be a root shell for anyone with the token). A busy port is an error, found before any address
# is printed.
#
# Environment (all optional):
#   GDLESSON_UI     the front end, as --ui (the option wins)
#   GDLESSON_IP     address to listen on (default 127.0.0.1, this machine only;
#                   the Docker image sets 0.0.0.0)
#   GDLESSON_PORT   port, as --port (the option wins; default 8888; a busy port is an error,
#                   not a silent switch)
#   JUPYTER_TOKEN   the login token (default: a new random one each start)
# Started by a JupyterHub (JUPYTERHUB_API_TOKEN is set), it runs the venv's jupyterhub-singleuser
# instead, opening JupyterLab or Notebook 7 (the classic Notebook has no single-user server here).
set -euo pipefail

die() { printf 'start: error: %s\n' "$*" >&2; exit 1; }

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
export PATH=/usr/local/go/bin:/usr/local/bin:$PATH PYDEVD_DISABLE_FILE_VALIDATION=1
VENV=/usr/local/share/gdlesson/venv # docker/local/setup.sh: JupyterLab 4, Notebook 7, jupyterhub-singleuser

ui=${GDLESSON_UI:-lab}
port_option= port_from=GDLESSON_PORT # --port N or --port=N: the port this script checks, serves and prints
args=()
while (($#)); do
	case $1 in
	--ui) (($# >= 2)) || die "--ui needs a value: lab, notebook or classic"; ui=$2; shift 2 ;;
	--ui=*) ui=${1#--ui=}; shift ;;
	--port) (($# >= 2)) || die "--port needs a value: a port number from 1 to 65535"; port_option=$2 port_from=--port; shift 2 ;;
	--port=*) port_option=${1#--port=} port_from=--port; shift ;;
	-h | --help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
	*) args+=("$1"); shift ;;
	esac
done
case $ui in
lab | notebook | classic) ;;
*) die "unknown front end '$ui' (from ${GDLESSON_UI:+GDLESSON_UI or }--ui): use lab (JupyterLab 4, the default), notebook (Notebook 7) or classic (Notebook 6.4.12)" ;;
esac

# ready: set up, by a setup.sh that installs the venv and the kernel's GOFLAGS (-mod=mod, which
# notebooks with the older set-up cell need); an older set-up is run again.
GONB_SPEC_DIR=/usr/local/share/jupyter/kernels/gonb # the kernel spec setup.sh installs
ready() {
	local spec=$GONB_SPEC_DIR/kernel.json
	[[ -x /usr/bin/jupyter && -x $VENV/bin/jupyter && -x $VENV/bin/jupyterhub-singleuser && -f $spec &&
		-x /usr/local/bin/gonb && -x /usr/local/bin/gopls && -x /usr/local/bin/goimports ]] &&
		grep -q -- '"GOFLAGS": "-mod=mod' "$spec" && command -v go >/dev/null
}
if [[ $EUID -eq 0 ]]; then
	bash "$repo/docker/local/setup.sh" # quick when everything is there
elif ! ready; then
	command -v sudo >/dev/null || die "not set up yet, and no sudo: as root, run bash docker/local/setup.sh, then this again"
	echo "start: not set up yet, or by an older version; running: sudo bash docker/local/setup.sh"
	sudo bash "$repo/docker/local/setup.sh"
fi
ready || die "the set-up is incomplete (see docker/local/setup.sh's messages above)"
[[ -d $repo/notebooks ]] || die "no notebooks folder in $repo"

# As root: allowed, but without terminals. jupyter_server (lab, notebook, the hub's single-user
# server) and the classic Notebook name the setting differently.
root_flags=()
if [[ $EUID -eq 0 ]]; then
	if [[ $ui == classic ]]; then
		root_flags=(--allow-root --NotebookApp.terminals_enabled=False)
	else
		root_flags=(--allow-root --ServerApp.terminals_enabled=False)
	fi
	echo "start: running as root, so Jupyter's terminals are turned off (a terminal would be a root shell)"
fi

if [[ -n ${JUPYTERHUB_API_TOKEN:-} ]]; then
	# Spawned by a JupyterHub: it gives the address, the port and the login.
	case $ui in
	lab) default_url=/lab ;;
	notebook) default_url=/tree ;;
	classic) die "started by a JupyterHub, which serves JupyterLab or Notebook 7: GDLESSON_UI=classic is not available there (use lab or notebook)" ;;
	esac
	[[ $port_from == --port ]] && args+=(--port="$port_option")
	exec "$VENV/bin/jupyterhub-singleuser" --notebook-dir="$repo/notebooks" \
		--ServerApp.default_url="$default_url" "${root_flags[@]}" "${args[@]}"
fi

# The kernel spec "gonb" must be the one setup.sh installed. Jupyter looks in the user's own
# folder (~/.local/share/jupyter/kernels, where GoNB's own `gonb --install` writes) before the
# system's: a spec there runs gonb without gdlesson-gonb, and no cell can import gdlib.
case $ui in
classic) spec_jupyter=/usr/bin/jupyter ;;
*) spec_jupyter=$VENV/bin/jupyter ;;
esac
gonb_spec=$("$spec_jupyter" kernelspec list --json 2>/dev/null | /usr/bin/python3 -c '
import json, sys
print(json.load(sys.stdin)["kernelspecs"].get("gonb", {}).get("resource_dir", ""))' 2>/dev/null || true)
if [[ -n $gonb_spec && $gonb_spec != "$GONB_SPEC_DIR" ]]; then
	printf '%s\n' "start: エラー: Jupyter は gdlesson の Go カーネル（$GONB_SPEC_DIR）ではなく、" \
		"  $gonb_spec にある別の gonb カーネルを使ってしまいます（gonb --install で作られたものです）。" \
		"  このままではセルで gdlib を import できません。次のコマンドでそれを消してから、もう一度起動してください:" \
		"      rm -r '$gonb_spec'" >&2
	exit 1
fi

ip=${GDLESSON_IP:-127.0.0.1}
port=${GDLESSON_PORT:-8888}
[[ $port_from == --port ]] && port=$port_option
[[ $port =~ ^[0-9]+$ ]] && ((port >= 1 && port <= 65535)) ||
	die "$port_from must be a port number from 1 to 65535, not '$port'"

# The port must be free before an address is printed: one that is in use would send the
# browser to whatever else listens there. (Jupyter binds it a moment later, and with
# --port-retries=0 it still fails rather than move to another port if it lost a race.)
if ! why=$(/usr/bin/python3 - "$ip" "$port" <<-'PY' 2>&1
	import socket, sys
	ip, port = sys.argv[1], int(sys.argv[2])
	try:
	    family = socket.getaddrinfo(ip, port, proto=socket.IPPROTO_TCP)[0][0]
	    s = socket.socket(family, socket.SOCK_STREAM)
	    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as Jupyter (tornado) binds
	    s.bind((ip, port))
	    s.close()
	except OSError as e:
	    sys.exit(e.strerror or str(e))
	PY
); then
	die "cannot listen on $ip port $port: $why.
  Another program is using that port (maybe a Jupyter started before: see
  $VENV/bin/jupyter server list, and /usr/bin/jupyter notebook list). Stop it, or choose another port:
      $(if [[ $port_from == --port ]]; then
		echo "bash docker/local/start.sh --ui $ui --port $((port % 65535 + 1))"
	else
		echo "GDLESSON_PORT=$((port % 65535 + 1)) bash docker/local/start.sh --ui $ui"
	fi)"
fi

if [[ -z ${JUPYTER_TOKEN:-} ]]; then
	JUPYTER_TOKEN=$(/usr/bin/python3 -c 'import secrets; print(secrets.token_hex(24))')
fi
export JUPYTER_TOKEN # read by Jupyter; kept off the command line, where ps would show it

case $ui in
lab) name="JupyterLab 4" cmd=("$VENV/bin/jupyter" lab) page=lab ;;
notebook) name="Notebook 7" cmd=("$VENV/bin/jupyter" notebook) page=tree ;;
classic) name="the classic Notebook 6.4.12" cmd=(/usr/bin/jupyter notebook) page=tree ;;
esac
show=$ip
[[ $ip == 0.0.0.0 ]] && show=127.0.0.1
[[ $show == *:* ]] && show="[$show]" # an IPv6 address in a URL
cat <<MSG

  gdlesson: $name is starting on the notebooks in $repo/notebooks
  Open this address in your browser (the token is the password):

      http://$show:$port/$page?token=$JUPYTER_TOKEN

  Stop with Ctrl-C (twice). Other front ends: bash docker/local/start.sh --ui lab|notebook|classic

MSG
cd "$repo/notebooks"
exec "${cmd[@]}" --no-browser --ip="$ip" --port="$port" --port-retries=0 \
	--notebook-dir="$repo/notebooks" "${root_flags[@]}" "${args[@]}"
