#!/usr/bin/env bash
# docker/local/setup.sh — install everything gdlesson needs, on Debian 12, as root.
#
#   sudo bash docker/local/setup.sh
#
# The one set-up path: the README quick start, .ci/run and docker/image/Dockerfile all
# run this script. It uses only Debian's packages, the Go module proxy and the npm
# registry. It is idempotent: it checks what is present first, and a second run
# installs nothing (and skips apt-get update when every package is there).
#
# What it installs, and where:
#   Debian packages   Jupyter classic notebook, nbconvert, nbclient; chromium,
#                     chromium-driver, poppler-utils, fonts-noto-cjk (export, browser tests);
#                     numpy with OpenBLAS (gdlib's benchmark against numpy, and its numerics test)
#   /usr/local/bin    gonb v0.11.5, gopls v0.23.0, goimports (golang.org/x/tools v0.52.0)
#   /usr/local/bin/gdlesson-gonb
#                     docker/local/gdlesson-gonb: starts gonb with the notebook's clone of this repository
#                     in the kernel's go.work, so cells import gdlib with no set-up cell
#   /usr/local/share/jupyter/kernels/gonb
#                     the GoNB kernel spec, system-wide, so root and every user see it; it runs
#                     gdlesson-gonb, and its env sets GOFLAGS (see KERNEL_GOFLAGS)
#   /usr/local/share/gdlesson/echarts/echarts.min.js
#                     ECharts 5.6.0 from the npm package "echarts" (no CDN at run time);
#                     programs read the path from $GDLESSON_ECHARTS when it is set.
#   /usr/local/share/gdlesson/mathjax/tex-svg-full.js
#                     MathJax 3.2.2 from the npm package "mathjax", one file that
#                     docker/course/export.sh puts inside the exported HTML so formulas render offline.
#   /usr/local/share/gdlesson/reveal/node_modules/reveal.js
#                     reveal.js 6.0.2 from npm (docker/course/reveal/package-lock.json, npm ci): the
#                     slides of docker/course/export.sh; the export copies the files it uses into the site.
#   /usr/local/share/gdlesson/venv
#                     a Python virtual environment of Debian's /usr/bin/python3 with JupyterLab 4,
#                     Notebook 7 (both in Japanese by default: jupyterlab-language-pack-ja-jp and the
#                     venv's share/jupyter/lab/settings/overrides.json), nbconvert 7, nbclient 0.11 and
#                     jupyterhub-singleuser, every package locked with hashes by docker/local/requirements.txt (made from
#                     docker/local/requirements.in); its bin/jupyter and bin/python are the ones to call.
#                     A symbolic link to venv-<hash of requirements.txt>, switched only once a new
#                     one is complete.
#   /usr/local/share/jupyter/nbextensions/gdlesson/tooltip.js
#                     docker/local/classic-tooltip.js, enabled for the classic Notebook in
#                     /usr/etc/jupyter/nbconfig/notebook.d/gdlesson.json: its Shift+Tab tooltip
#                     shows GoNB's Markdown-only answer (the doc comment) as text
#   /usr/local/share/gdlesson/static/gdlesson/echarts-<version>.min.js
#                     a copy of echarts.min.js that every Jupyter server gdlesson starts serves at
#                     <base_url>static/gdlesson/echarts-<version>.min.js: the venv's servers read
#                     ServerApp.extra_static_paths from venv/etc/jupyter/jupyter_server_config.json,
#                     Debian's classic Notebook NotebookApp.extra_static_paths from
#                     /usr/etc/jupyter/jupyter_notebook_config.json.
#
# Options:
#   --hub   also install Debian's jupyterhub 3.0.0; docker/image/Dockerfile passes it. No longer needed
#           by docker/local/start.sh, which runs the venv's jupyterhub-singleuser (jupyterhub 6.1.1)
#           when a JupyterHub spawns it.
set -euo pipefail

GONB_VERSION=v0.11.5
GOPLS_VERSION=v0.23.0
XTOOLS_VERSION=v0.52.0          # golang.org/x/tools, for goimports
ECHARTS_VERSION=5.6.0
MATHJAX_VERSION=3.2.2
GO_MIN_MINOR=26                 # go.mod says go 1.26

BIN_DIR=/usr/local/bin
KERNEL_DIR=/usr/local/share/jupyter/kernels/gonb
SHARE_DIR=/usr/local/share/gdlesson
ECHARTS_JS=$SHARE_DIR/echarts/echarts.min.js
STATIC_DIR=$SHARE_DIR/static # extra static path of the Jupyter servers
STATIC_ECHARTS=$STATIC_DIR/gdlesson/echarts-$ECHARTS_VERSION.min.js
VENV=$SHARE_DIR/venv
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REQUIREMENTS=$HERE/requirements.txt
WRAPPER_SRC=$HERE/gdlesson-gonb
WRAPPER=$BIN_DIR/gdlesson-gonb # the kernel spec's program: gonb with this clone in its go.work
CLASSIC_CONFIG=/usr/etc/jupyter/jupyter_notebook_config.json # read by Debian's Python only (its sys.prefix/etc)
MATHJAX_JS=$SHARE_DIR/mathjax/tex-svg-full.js
# GOFLAGS of the GoNB kernel, so of every go command it runs for a cell. GoNB compiles and links
# each cell as a program of its own (docker/checks/latency.py times it):
#   -ldflags=-w  no DWARF debug information: the link takes about 0.35 s a cell instead of 0.6 s
#                on 2 shared cores. Panics still name the cell's lines (that needs no DWARF); a
#                debugger such as delve does need it: run `%env GOFLAGS=` in a cell first.
#   -gcflags=all=-dwarf=false
#                nor any in the compiled packages, which -w then drops anyway: the link of a cell
#                that imports gdlib/plot maps 70 MB of packages instead of 94 MB, and its peak RSS
#                is 96-106 MB instead of 127 MB (/usr/bin/time, 3 runs each), which counts in a
#                hub learner's memory at their worst moment (docker/hub/README.md).
#   -mod=mod     for a kernel without a go.work only (gdlesson-gonb found no clone): `go build`
#                adds a missing requirement to the cell module's go.mod itself, so a notebook can
#                turn off GoNB's `go get` before every cell (%noautoget). gdlesson-gonb drops it
#                when it starts gonb with a go.work: the go command refuses it in workspace mode,
#                and needs it not (the clone's go.mod requires every module gdlib uses).
# It replaces any GOFLAGS of the user's for the kernel. Each flag without spaces (GOFLAGS is split
# on them).
KERNEL_GOFLAGS="-mod=mod -ldflags=-w -gcflags=all=-dwarf=false"

# Debian 12 packages. Pinned where Debian 12 keeps the version fixed; chromium,
# chromium-driver and poppler-utils get security updates that remove the older
# version from the archive, so a pin would break the install: they take the current one.
APT_PINNED=(
	jupyter-notebook=6.4.12-2.2
	python3-notebook=6.4.12-2.2
	python3-nbconvert=6.5.3-3
	jupyter-nbconvert=6.5.3-3
	python3-nbclient=0.7.2-1
	jupyter-client=7.4.9-2
	jupyter-nbformat=5.5.0-1
	fonts-noto-cjk=1:20220127+repack1-1
	libopenblas0-pthread=0.3.21+ds-4
	python3-threadpoolctl=3.1.0-1
)
# python3-numpy (the reference of `go run ./gdlib/cmd/gdbench` and its TestSameMaths) floats too:
# Debian 12 ships it as a security update (1.24.2-1+deb12u1).
APT_FLOATING=(chromium chromium-driver poppler-utils fontconfig libjs-requirejs git ca-certificates python3-numpy
	python3-venv)

log() { printf 'setup: %s\n' "$*"; }
die() { printf 'setup: error: %s\n' "$*" >&2; exit 1; }

for arg in "$@"; do
	case $arg in
	--hub) APT_PINNED+=(jupyterhub=3.0.0+ds1-1) ;;
	-h | --help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
	*) die "unknown option $arg (try --help)" ;;
	esac
done

# --- preconditions -----------------------------------------------------------
if [[ $EUID -ne 0 ]]; then
	die "must run as root (it installs Debian packages and writes to /usr/local): sudo bash docker/local/setup.sh"
fi
if [[ -r /etc/os-release ]]; then
	. /etc/os-release
	if [[ ${ID:-} != debian || ${VERSION_ID:-} != 12 ]]; then
		log "warning: made for Debian 12, this is ${PRETTY_NAME:-unknown}; going on"
	fi
fi
if ! command -v apt-get >/dev/null; then
	die "apt-get not found: this script needs Debian 12"
fi

# Go is not installed by this script (Debian 12's Go is too old): use the official
# Go 1.26 release in /usr/local/go, or the golang:1.26-bookworm image.
export PATH=/usr/local/go/bin:$PATH
if ! command -v go >/dev/null; then
	die "Go not found: install Go 1.26 (the official release, in /usr/local/go) and run again"
fi
go_version=$(go env GOVERSION)          # e.g. go1.26.8
go_minor=$(sed -E 's/^go1\.([0-9]+).*/\1/' <<<"$go_version")
if ! [[ $go_minor =~ ^[0-9]+$ ]] || (( go_minor < GO_MIN_MINOR )); then
	die "Go 1.$GO_MIN_MINOR or newer is needed, found $go_version ($(command -v go))"
fi

start=$SECONDS
changed=0

# --- Debian packages ---------------------------------------------------------
apt_missing=()
for spec in "${APT_PINNED[@]}"; do
	pkg=${spec%%=*} want=${spec#*=}
	have=$(dpkg-query -W -f='${db:Status-Abbrev}${Version}' "$pkg" 2>/dev/null || true)
	[[ $have == "ii $want" ]] || apt_missing+=("$spec")
done
for pkg in "${APT_FLOATING[@]}"; do
	have=$(dpkg-query -W -f='${db:Status-Abbrev}' "$pkg" 2>/dev/null || true)
	[[ $have == "ii " ]] || apt_missing+=("$pkg")
done
if ! command -v npm >/dev/null; then
	apt_missing+=(npm)
fi
if (( ${#apt_missing[@]} )); then
	log "installing Debian packages: ${apt_missing[*]}"
	export DEBIAN_FRONTEND=noninteractive
	apt-get -o DPkg::Lock::Timeout=900 update -q
	apt-get -o DPkg::Lock::Timeout=900 install -y -q --no-install-recommends "${apt_missing[@]}"
	changed=1
else
	log "Debian packages: all present"
fi
[[ -x /usr/bin/jupyter ]] || die "/usr/bin/jupyter missing after the install"

# --- Go tools ----------------------------------------------------------------
# mod_version BIN prints the module version BIN was built from, or nothing.
mod_version() {
	[[ -x $1 ]] || return 0
	go version -m "$1" 2>/dev/null | awk '$1 == "mod" { print $3; exit }'
}

# The tools are built with caches of their own, removed afterwards, so that no root-owned
# files are left in anybody's Go module or build cache (the Docker image's user shares /go).
tools_cache=
go_install_env() {
	if [[ -z $tools_cache ]]; then
		tools_cache=$(mktemp -d)
		trap 'chmod -R u+w "$tools_cache" 2>/dev/null; rm -rf "$tools_cache"' EXIT
	fi
	export GOBIN=$BIN_DIR GOFLAGS=-mod=mod GOTOOLCHAIN=local
	export GOMODCACHE=$tools_cache/mod GOCACHE=$tools_cache/build GOPATH=$tools_cache/gopath
}
if [[ $(mod_version "$BIN_DIR/gonb") != "$GONB_VERSION" ]]; then
	log "installing gonb $GONB_VERSION into $BIN_DIR"
	go_install_env
	# "go install …@version" asks the proxy for the version list, which is refused
	# here; a go get of the exact version in a scratch module works.
	mkdir -p "$tools_cache/scratch"
	(
		cd "$tools_cache/scratch"
		go mod init gdlesson.local/setup >/dev/null 2>&1
		go get "github.com/janpfeifer/gonb@$GONB_VERSION"
		go install github.com/janpfeifer/gonb
	)
	changed=1
fi
if [[ $(mod_version "$BIN_DIR/gopls") != "$GOPLS_VERSION" ]]; then
	log "installing gopls $GOPLS_VERSION into $BIN_DIR"
	go_install_env
	go install "golang.org/x/tools/gopls@$GOPLS_VERSION"
	changed=1
fi
if [[ $(mod_version "$BIN_DIR/goimports") != "$XTOOLS_VERSION" ]]; then
	log "installing goimports ($XTOOLS_VERSION) into $BIN_DIR"
	go_install_env
	go install "golang.org/x/tools/cmd/goimports@$XTOOLS_VERSION"
	changed=1
fi

# --- GoNB kernel spec, system-wide -------------------------------------------
# The spec runs docker/local/gdlesson-gonb (installed as $WRAPPER) with gonb's path as its first
# argument: it finds the clone a notebook belongs to (from the kernel's folder, the notebook's)
# and starts gonb with that clone in the kernel's go.work, so no notebook needs a set-up cell.
# "gonb --install" writes the spec into the calling user's own Jupyter folder; we
# let it write into a scratch HOME and copy the result to the system folder, so the
# spec serves root and every other user, and nobody's home is touched.
if ! cmp -s "$WRAPPER_SRC" "$WRAPPER"; then
	log "installing $WRAPPER"
	[[ -r $WRAPPER_SRC ]] || die "$WRAPPER_SRC not found (it belongs next to setup.sh)"
	install -m 755 "$WRAPPER_SRC" "$WRAPPER.new"
	mv "$WRAPPER.new" "$WRAPPER"
	changed=1
fi
# kernel_spec_ok: the spec runs [WRAPPER, gonb, --kernel, ...] with env exactly {"GOFLAGS": KERNEL_GOFLAGS}.
kernel_spec_ok() {
	/usr/bin/python3 - "$KERNEL_DIR/kernel.json" "$KERNEL_GOFLAGS" "$WRAPPER" "$BIN_DIR/gonb" <<-'PY' 2>/dev/null
	import json, sys
	path, goflags, wrapper, gonb = sys.argv[1:]
	spec = json.load(open(path))
	sys.exit(spec.get("env") != {"GOFLAGS": goflags} or spec["argv"][:3] != [wrapper, gonb, "--kernel"])
	PY
}
if [[ ! -f $KERNEL_DIR/kernel.json ]] || [[ $KERNEL_DIR/kernel.json -ot $BIN_DIR/gonb ]] || ! kernel_spec_ok; then
	log "registering the GoNB kernel in $KERNEL_DIR"
	scratch=$(mktemp -d)
	HOME=$scratch JUPYTER_DATA_DIR=$scratch/jupyter PATH=$BIN_DIR:$PATH "$BIN_DIR/gonb" --install >/dev/null
	spec=$(dirname "$(find "$scratch" -name kernel.json -path '*gonb*' | head -n1)")
	[[ -f $spec/kernel.json ]] || die "gonb --install wrote no kernel.json"
	grep -q "$scratch" "$spec/kernel.json" && die "the kernel spec refers to the scratch folder: $(cat "$spec/kernel.json")"
	/usr/bin/python3 - "$spec/kernel.json" "$KERNEL_GOFLAGS" "$WRAPPER" "$BIN_DIR/gonb" <<-'PY'
	import json, sys
	path, goflags, wrapper, gonb = sys.argv[1:]
	with open(path) as f:
	    spec = json.load(f)
	if spec["argv"][:2] != [gonb, "--kernel"]:
	    sys.exit(f"setup: error: gonb --install wrote an unexpected argv: {spec['argv']}")
	spec["argv"].insert(0, wrapper)
	spec["env"] = {"GOFLAGS": goflags}
	with open(path, "w") as f:
	    json.dump(spec, f, indent=1)
	    f.write("\n")
	PY
	mkdir -p "$KERNEL_DIR"
	cp -r "$spec/." "$KERNEL_DIR/"
	chmod -R a+rX "$KERNEL_DIR"
	rm -rf "$scratch"
	changed=1
fi

# --- ECharts and MathJax from npm --------------------------------------------
npm_version() { # npm_version PACKAGE prints the installed version of an npm package, or nothing
	sed -n 's/^ *"version": *"\([^"]*\)".*/\1/p' "$SHARE_DIR/npm/node_modules/$1/package.json" 2>/dev/null | head -n1 || true
}
if [[ $(npm_version echarts) != "$ECHARTS_VERSION" || $(npm_version mathjax) != "$MATHJAX_VERSION" ||
	! -s $ECHARTS_JS || ! -s $MATHJAX_JS ]]; then
	log "installing echarts $ECHARTS_VERSION and mathjax $MATHJAX_VERSION (npm) into $SHARE_DIR"
	rm -rf "$SHARE_DIR/npm.new"
	mkdir -p "$SHARE_DIR/npm.new" "$(dirname "$ECHARTS_JS")" "$(dirname "$MATHJAX_JS")"
	# npm trusts the system's certificate authorities too, as apt, git and Go do (so a
	# proxy's CA added to /usr/local/share/ca-certificates works for it as well).
	[[ -z ${NODE_EXTRA_CA_CERTS:-} && -r /etc/ssl/certs/ca-certificates.crt ]] &&
		export NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt
	npm install --prefix "$SHARE_DIR/npm.new" --no-audit --no-fund --ignore-scripts --loglevel=error \
		"echarts@$ECHARTS_VERSION" "mathjax@$MATHJAX_VERSION"
	rm -rf "$SHARE_DIR/npm"
	mv "$SHARE_DIR/npm.new" "$SHARE_DIR/npm"
	cp "$SHARE_DIR/npm/node_modules/echarts/dist/echarts.min.js" "$ECHARTS_JS.new"
	mv "$ECHARTS_JS.new" "$ECHARTS_JS"
	cp "$SHARE_DIR/npm/node_modules/mathjax/es5/tex-svg-full.js" "$MATHJAX_JS.new"
	mv "$MATHJAX_JS.new" "$MATHJAX_JS"
	chmod -R a+rX "$SHARE_DIR"
	changed=1
fi

# --- reveal.js from npm, for the slides of docker/course/export.sh --------------------------
# Pinned in docker/course/reveal/package.json and locked with its integrity hash in
# package-lock.json; npm-install.sh installs exactly that (npm ci into a new folder, checked,
# then swapped in), and a second run changes nothing. (docker/image/Dockerfile copies
# docker/course/reveal and npm-install.sh next to this script.)
REVEAL_SRC=$HERE/../course/reveal
REVEAL_DIR=$SHARE_DIR/reveal # node_modules/reveal.js/dist/... ; docker/course/export.sh reads it
if [[ -f $REVEAL_SRC/package-lock.json ]]; then
	installed=$(bash "$HERE/npm-install.sh" "$REVEAL_SRC" "$REVEAL_DIR" node_modules/reveal.js/dist/reveal.js --ignore-scripts) ||
		die "reveal.js (the export's slides) could not be installed into $REVEAL_DIR"
	[[ -z $installed ]] || { log "$installed"; changed=1; }
else
	log "warning: $REVEAL_SRC/package-lock.json not found: reveal.js (the export's slides) not installed"
fi

# --- the Jupyter virtual environment (PyPI, locked with hashes) ------------------
# The venv lives in venv-<first 16 hex digits of requirements.txt's sha256>; "venv" is a symbolic
# link to it, switched only after the new one installed and passed `pip check`, so a server or
# test running meanwhile keeps its environment. The hash is also stored inside the venv: the
# second run compares it and changes nothing.
[[ -r $REQUIREMENTS ]] || die "$REQUIREMENTS not found (it belongs next to setup.sh)"
req_sha=$(sha256sum "$REQUIREMENTS" | cut -c1-64)
venv_ok() { # venv_ok DIR: DIR is a complete venv of /usr/bin/python3 made from this requirements.txt
	[[ -x $1/bin/python && -x $1/bin/jupyter && $(cat "$1/gdlesson-requirements.sha256" 2>/dev/null) == "$req_sha" ]] &&
		grep -qx 'home = /usr/bin' "$1/pyvenv.cfg" 2>/dev/null
}
if ! venv_ok "$VENV"; then
	target=$SHARE_DIR/venv-${req_sha:0:16}
	if ! venv_ok "$target"; then
		log "installing the Jupyter virtual environment $target (docker/local/requirements.txt)"
		rm -rf "$target"
		/usr/bin/python3 -m venv "$target"
		# --require-hashes: every file must match its locked hash; --no-deps: nothing that the
		# lock file does not name; --only-binary: wheels only, so no build step pulls unlocked
		# build tools. pip check then proves the lock is complete.
		PIP_DISABLE_PIP_VERSION_CHECK=1 "$target/bin/pip" install -q --no-cache-dir --require-hashes \
			--no-deps --only-binary :all: -r "$REQUIREMENTS"
		"$target/bin/pip" check >/dev/null || die "pip check found missing requirements in $target: $("$target/bin/pip" check)"
		cp "$REQUIREMENTS" "$target/gdlesson-requirements.txt"
		echo "$req_sha" >"$target/gdlesson-requirements.sha256"
		chmod -R a+rX "$target"
	fi
	previous_venv=$(readlink -f "$VENV" 2>/dev/null || true)
	[[ -d $VENV && ! -L $VENV ]] && rm -rf "$VENV" # a plain folder, not made by this script
	ln -sfn "$(basename "$target")" "$VENV.new"
	mv -T "$VENV.new" "$VENV"
	# Older environments: keep the one that was current until now (a running server may use it).
	for old in "$SHARE_DIR"/venv-*; do
		[[ $old == "$target" || $old == "$previous_venv" ]] || rm -rf "$old"
	done
	changed=1
fi

# --- ECharts on every Jupyter server: <base_url>static/gdlesson/echarts-<version>.min.js ---
# jupyter_server (JupyterLab 4, Notebook 7, jupyterhub-singleuser) and the classic Notebook both
# serve the folders of extra_static_paths under <base_url>static/. The setting is in the config
# file that each server reads whatever starts it (the .d folders are read for extensions only):
#   venv/etc/jupyter/jupyter_server_config.json   ServerApp.extra_static_paths (the venv's own file)
#   /usr/etc/jupyter/jupyter_notebook_config.json NotebookApp.extra_static_paths (Debian's Notebook 6);
#                     /usr/etc/jupyter is the config folder of Debian's Python environment (sys.prefix
#                     /usr), read by /usr/bin/jupyter and not by the venv, whose Notebook 7 reads
#                     jupyter_notebook_config too and warns about a NotebookApp.extra_static_paths.
# Our folder is added to a file that exists, keeping everything else in it.
# static_config FILE SECTION [--check]: FILE's SECTION.extra_static_paths holds STATIC_DIR.
static_config() {
	/usr/bin/python3 - "$1" "$2" "$STATIC_DIR" "${3:-}" <<-'PY'
	import json, os, sys
	path, section, folder, check = sys.argv[1:]
	try:
	    with open(path) as f:
	        config = json.load(f)
	except FileNotFoundError:
	    config = {}
	except ValueError as e:
	    sys.exit(f"setup: error: {path} is not valid JSON ({e}); fix or remove it")
	if not isinstance(config, dict) or not isinstance(config.get(section, {}), dict):
	    sys.exit(f"setup: error: {path}: {section} is not a JSON object; fix or remove it")
	paths = config.setdefault(section, {}).setdefault("extra_static_paths", [])
	if folder in paths:
	    sys.exit(0)
	if check:
	    sys.exit(1)
	paths.append(folder)
	os.makedirs(os.path.dirname(path), exist_ok=True)
	with open(path + ".new", "w") as f:
	    json.dump(config, f, indent=2)
	    f.write("\n")
	os.chmod(path + ".new", 0o644)
	os.replace(path + ".new", path)
	PY
}
SERVER_CONFIG=$VENV/etc/jupyter/jupyter_server_config.json
if ! cmp -s "$ECHARTS_JS" "$STATIC_ECHARTS" || ! static_config "$SERVER_CONFIG" ServerApp --check ||
	! static_config "$CLASSIC_CONFIG" NotebookApp --check; then
	log "serving ECharts at static/gdlesson/$(basename "$STATIC_ECHARTS") on the Jupyter servers"
	mkdir -p "$(dirname "$STATIC_ECHARTS")"
	cp "$ECHARTS_JS" "$STATIC_ECHARTS.new"
	mv "$STATIC_ECHARTS.new" "$STATIC_ECHARTS"
	chmod -R a+rX "$STATIC_DIR"
	static_config "$SERVER_CONFIG" ServerApp
	static_config "$CLASSIC_CONFIG" NotebookApp
	changed=1
fi

# --- Japanese menus in JupyterLab and Notebook 7 ---------------------------------------------
# The venv holds jupyterlab-language-pack-ja-jp (requirements.txt); this makes ja_JP the default
# language of both front ends, and of the hub's learners (jupyterhub-singleuser runs the same
# venv). It is a default, in the venv's overrides.json (read by JupyterLab and Notebook 7:
# <sys.prefix>/share/jupyter/lab/settings): each user switches back with Settings ▸ Language ▸
# English (設定 ▸ 言語), kept in their own ~/.jupyter/lab/user-settings. Other settings in the
# file stay.
LANGUAGE_OVERRIDES=$VENV/share/jupyter/lab/settings/overrides.json
LANGUAGE_PLUGIN=@jupyterlab/translation-extension:plugin
LANGUAGE_LOCALE=ja_JP
# language_default [--check]: overrides.json sets LANGUAGE_PLUGIN's locale to LANGUAGE_LOCALE.
language_default() {
	/usr/bin/python3 - "$LANGUAGE_OVERRIDES" "$LANGUAGE_PLUGIN" "$LANGUAGE_LOCALE" "${1:-}" <<-'PY'
	import json, os, sys
	path, plugin, locale, check = sys.argv[1:]
	try:
	    with open(path) as f:
	        config = json.load(f)
	except FileNotFoundError:
	    config = {}
	except ValueError as e:
	    sys.exit(f"setup: error: {path} is not valid JSON ({e}); fix or remove it")
	if not isinstance(config, dict) or not isinstance(config.get(plugin, {}), dict):
	    sys.exit(f"setup: error: {path}: {plugin} is not a JSON object; fix or remove it")
	if config.get(plugin, {}).get("locale") == locale:
	    sys.exit(0)
	if check:
	    sys.exit(1)
	config.setdefault(plugin, {})["locale"] = locale
	os.makedirs(os.path.dirname(path), exist_ok=True)
	with open(path + ".new", "w") as f:
	    json.dump(config, f, indent=2)
	    f.write("\n")
	os.chmod(path + ".new", 0o644)
	os.replace(path + ".new", path)
	PY
}
if ! language_default --check; then
	log "making Japanese ($LANGUAGE_LOCALE) the default language of JupyterLab and Notebook 7 ($LANGUAGE_OVERRIDES)"
	language_default
	chmod a+rX "$VENV/share/jupyter/lab/settings"
	changed=1
fi

# --- Shift+Tab in the classic Notebook ------------------------------------------
# Its tooltip shows a kernel's text/plain only; GoNB answers in text/markdown. The nbextension
# gdlesson/tooltip (docker/local/classic-tooltip.js) fills text/plain from it. Enabled in the config
# folder of Debian's Python, so for the classic Notebook only.
TOOLTIP_JS=/usr/local/share/jupyter/nbextensions/gdlesson/tooltip.js
TOOLTIP_CONFIG=/usr/etc/jupyter/nbconfig/notebook.d/gdlesson.json
want_tooltip_config='{"load_extensions": {"gdlesson/tooltip": true}}'
if ! cmp -s "$HERE/classic-tooltip.js" "$TOOLTIP_JS" || [[ $(cat "$TOOLTIP_CONFIG" 2>/dev/null) != "$want_tooltip_config" ]]; then
	log "enabling the classic Notebook's Shift+Tab for GoNB (nbextension gdlesson/tooltip)"
	mkdir -p "$(dirname "$TOOLTIP_JS")" "$(dirname "$TOOLTIP_CONFIG")"
	install -m 644 "$HERE/classic-tooltip.js" "$TOOLTIP_JS"
	echo "$want_tooltip_config" >"$TOOLTIP_CONFIG"
	chmod a+rX "$(dirname "$TOOLTIP_JS")" "$(dirname "$TOOLTIP_CONFIG")"
	changed=1
fi

# --- the browser test suite's playwright-core (npm), in a clone of the repository ---
# (docker/image/Dockerfile runs this script alone, without the repository: nothing to do there.)
browser_install=$HERE/../checks/browser/install.sh
if [[ -f $browser_install ]]; then
	bash "$browser_install"
fi

# --- check -------------------------------------------------------------------
# (the lists are read whole before grep: grep -q stops reading early, and with pipefail the
# writer's broken pipe would fail the check now and then)
kernels=$(/usr/bin/jupyter kernelspec list 2>/dev/null || true)
grep -qw gonb <<<"$kernels" || die "/usr/bin/jupyter kernelspec list does not show gonb: $kernels"
kernel_spec_ok || die "$KERNEL_DIR/kernel.json does not run $WRAPPER $BIN_DIR/gonb with GOFLAGS=$KERNEL_GOFLAGS in its env"
for b in gonb gopls goimports; do
	[[ -x $BIN_DIR/$b ]] || die "$BIN_DIR/$b missing"
done
venv_ok "$VENV" || die "$VENV is not a complete environment of $REQUIREMENTS"
kernels=$("$VENV/bin/jupyter" kernelspec list 2>/dev/null || true)
grep -qw gonb <<<"$kernels" || die "$VENV/bin/jupyter kernelspec list does not show gonb: $kernels"
language_default --check || die "$LANGUAGE_OVERRIDES does not make $LANGUAGE_LOCALE the default language"
if (( changed )); then
	log "done in $((SECONDS - start)) s"
else
	log "everything already present, nothing changed ($((SECONDS - start)) s)"
fi
