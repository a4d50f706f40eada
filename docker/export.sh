#!/usr/bin/env bash
# docker/export.sh — execute every notebook and export it as course material.
#
#   bash docker/export.sh [OUT_DIR]        (OUT_DIR defaults to export/ at the repository root)
#
# For each notebooks/NAME.ipynb it writes
#   OUT_DIR/html/NAME.html     one self-contained page: outputs, require.js and MathJax inside,
#                              nothing loaded from elsewhere (checked by docker/selfcontain.py)
#   OUT_DIR/pdf/NAME.pdf       that page printed on A4 by headless Chromium (Japanese in Noto CJK)
#   OUT_DIR/ipynb/NAME.ipynb   the executed notebook, with its outputs
# The committed notebooks are not changed. Everything is built in a temporary folder beside
# OUT_DIR and swapped in only when every notebook ran without an error: a failed export
# leaves the previous one as it was, says which notebook and cell failed, and exits 1.
# SIGINT, SIGTERM or SIGHUP stop it the same way: the kernels end (docker/nbrun.py ends every
# process it started), the temporary folder goes, and the exit status is 128+N. After a
# kill -9 the runner still ends its kernels, and the next export removes the folders that the
# killed one left (.export-new.PID-START.* and .export-old.PID-START.* beside OUT_DIR, named
# after the export that made them and removed only once it is gone).
# Needs what "sudo bash docker/setup.sh" installs; it does not need root.
set -euo pipefail

die() { printf 'export: error: %s\n' "$*" >&2; exit 1; }

# start_of PID prints the start time of process PID (field 22 of /proc/PID/stat), nothing
# when it has gone. With the pid it names one process, even after the pid is reused.
start_of() {
	local stat
	stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 0
	set -- ${stat##*) }
	[[ $1 == [ZX] ]] || printf '%s\n' "${20}"
}

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
out=$(realpath -m "${1:-$repo/export}")
parent=$(dirname "$out")
export PATH=/usr/local/go/bin:/usr/local/bin:$PATH PYDEVD_DISABLE_FILE_VALIDATION=1
shopt -s nullglob

# Folders that an export killed while it ran left beside OUT_DIR. A previous export moved
# aside (.export-old.*/NAME) whose replacement never came goes back to its place.
for dir in "$parent"/.export-new.* "$parent"/.export-old.*; do
	[[ -d $dir ]] || continue
	owner=${dir#"$parent"/.export-???.}
	owner=${owner%%.*}
	if [[ $owner =~ ^([0-9]+)-([0-9]+)$ ]]; then
		[[ $(start_of "${BASH_REMATCH[1]}") != "${BASH_REMATCH[2]}" ]] || continue # still running
	elif [[ -n $(find "$dir" -maxdepth 0 -mmin -60) ]]; then
		continue # made by an export.sh before owners were named: left alone for an hour
	fi
	if [[ $dir == "$parent"/.export-old.* ]]; then
		for kept in "$dir"/*; do
			[[ -e $parent/${kept##*/} ]] || { mv "$kept" "$parent/" && echo "export: put ${kept##*/} back in $parent"; }
		done
	fi
	rm -rf "$dir"
	echo "export: removed $dir, left by an export that was stopped"
done

REQUIREJS=/usr/share/javascript/requirejs/require.min.js   # Debian's libjs-requirejs
MATHJAX=/usr/local/share/gdlesson/mathjax/tex-svg-full.js  # docker/setup.sh, npm mathjax
VENV=/usr/local/share/gdlesson/venv                        # docker/setup.sh: nbclient 0.11, nbconvert 7
for f in "$VENV/bin/python" "$VENV/bin/jupyter" /usr/bin/chromium /usr/bin/pdftotext "$REQUIREJS" "$MATHJAX" \
	/usr/local/share/jupyter/kernels/gonb/kernel.json; do
	[[ -e $f ]] || die "$f is missing: run sudo bash docker/setup.sh first"
done
command -v go >/dev/null || die "go not found on PATH (expected in /usr/local/go/bin)"
fc-list :lang=ja family | grep -q 'Noto Sans CJK' || die "no Japanese font: run sudo bash docker/setup.sh (fonts-noto-cjk)"

notebooks=("$repo"/notebooks/*.ipynb)
((${#notebooks[@]})) || die "no notebooks in $repo/notebooks"

# The steps run in the background while the script waits for them, so that a signal is
# handled at once (bash runs a trap only after the command in the foreground has ended):
# the trap stops the step, then the EXIT trap removes the temporary folder.
tmp= old= child=
cleanup() {
	if [[ -n $child ]]; then
		kill -TERM "$child" 2>/dev/null || true
		wait "$child" 2>/dev/null || true
	fi
	[[ -z $old || -e $out || ! -e $old/${out##*/} ]] || mv "$old/${out##*/}" "$out"
	rm -rf ${tmp:+"$tmp"} ${old:+"$old"}
}
exec 3>&2 # the script's stderr: a trap may run while a step's stderr goes to a log file
stopped() {
	printf 'export: stopped by SIG%s; the previous export in %s is unchanged\n' "$1" "$out" >&3
	exit "$2"
}
trap cleanup EXIT
trap 'stopped INT 130' INT
trap 'stopped TERM 143' TERM
trap 'stopped HUP 129' HUP
step() {
	"$@" &
	child=$!
	local rc=0
	wait "$child" || rc=$?
	child=
	return "$rc"
}

mkdir -p "$parent"
me="$$-$(start_of $$)"
tmp=$(mktemp -d "$parent/.export-new.$me.XXXXXX")
mkdir -p "$tmp/ipynb" "$tmp/html" "$tmp/pdf"
start=$SECONDS
cd "$repo"

# 1. Execute. nbrun.py names the notebook and the cell of any failure; the kernels' own
#    log goes to a file, shown only when a notebook could not be run at all.
echo "export: executing ${#notebooks[@]} notebooks"
status=0
step "$VENV/bin/python" docker/nbrun.py -j 2 --out "$tmp/ipynb" notebooks/*.ipynb 2>"$tmp/kernel.log" || status=$?
if ((status)); then
	((status == 1)) || tail -n 20 "$tmp/kernel.log" >&2
	die "a notebook failed (see FAIL above); the previous export in $out is unchanged"
fi

# 2. HTML, then make it self-contained.
echo "export: HTML"
if ! step "$VENV/bin/jupyter" nbconvert --to html --log-level=WARN \
	--TemplateExporter.extra_template_basedirs="$repo/docker/nbconvert" --template gdlesson \
	--HTMLExporter.require_js_url="file://$REQUIREJS" --HTMLExporter.mathjax_url="file://$MATHJAX" \
	--output-dir "$tmp/html" "$tmp"/ipynb/*.ipynb 2>"$tmp/nbconvert.log"; then
	grep -v -e 'Debugger warning' -e 'frozen modules' -e 'Debugging will proceed' "$tmp/nbconvert.log" >&2 || true
	die "nbconvert could not make the HTML pages"
fi
for nb in "$tmp"/ipynb/*.ipynb; do
	name=$(basename "$nb" .ipynb)
	[[ -s $tmp/html/$name.html ]] || die "nbconvert wrote no $name.html"
done
# Charts load ECharts from the Jupyter server that shows them; a page on its own carries it once.
step go run ./gdlib/plot/cmd/echartslib "$tmp"/html/*.html ||
	die "could not put the ECharts library into the HTML pages (see above)"
step "$VENV/bin/python" "$repo/docker/selfcontain.py" "$tmp"/html/*.html ||
	die "an HTML page would load something from elsewhere (see above)"

# 3. PDF: headless Chromium prints each page, kept off the network by these flags.
echo "export: PDF"
for page in "$tmp"/html/*.html; do
	name=$(basename "$page" .html)
	profile=$tmp/chromium-profile
	mkdir "$profile"
	if ! step /usr/bin/chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
		--disable-background-networking --disable-component-update --disable-sync \
		--user-data-dir="$profile" --virtual-time-budget=10000 --no-pdf-header-footer \
		--print-to-pdf="$tmp/pdf/$name.pdf" "file://$page" >"$tmp/chromium.log" 2>&1; then
		tail -n 20 "$tmp/chromium.log" >&2
		die "chromium could not print $name.html"
	fi
	rm -rf "$profile"
	text=$(pdftotext "$tmp/pdf/$name.pdf" - 2>/dev/null || true)
	[[ $text =~ [^[:space:]] ]] || die "$name.pdf has no text: Chromium printed an empty page"
done

# 4. Swap in: the old export stays until the new one is complete.
rm -f "$tmp/kernel.log" "$tmp/nbconvert.log" "$tmp/chromium.log"
chmod 755 "$tmp"
if [[ -e $out ]]; then
	old=$(mktemp -d "$parent/.export-old.$me.XXXXXX")
	mv "$out" "$old/"
	mv "$tmp" "$out" || die "could not move the new export into place"
else
	mv "$tmp" "$out"
fi
tmp=
rm -rf "$old"
old=
trap - EXIT INT TERM HUP
echo "export: ${#notebooks[@]} notebooks to $out/{html,pdf,ipynb} in $((SECONDS - start)) s"
