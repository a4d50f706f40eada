#!/usr/bin/env bash
# docker/course/export.sh — build the course site, in both editions, from the notebooks.
#
#   bash docker/course/export.sh [--notebooks DIR] [OUT_DIR]   (OUT_DIR defaults to export/ at the repository root)
#
# One command builds, from notebooks/*.ipynb (or DIR/*.ipynb), two static sites:
#   OUT_DIR/instructor/   the complete notebooks (the committed ones, answers included)
#   OUT_DIR/student/      every cell tagged "solution" replaced by its exercise
#                         (metadata.gdlesson.student), in the notebooks, pages, slides and PDFs
# each holding
#   index.html                      in Japanese: every section of every notebook, the slides, the
#                                   PDFs, the notebooks' zip and the set-up steps
#   NAME.html                       the executed notebook's page, with a table of contents beside it
#   slides/NAME.html                reveal.js 6 slides (breaks from metadata.slideshow.slide_type),
#                                   charts drawn; slides/reveal.js/ holds the reveal.js files they use
#   pdf/NAME.pdf                    the page printed on A4 by headless Chromium (Japanese in Noto CJK)
#   gdlesson-notebooks-EDITION.zip  the edition's notebooks, outputs cleared (notebooks-EDITION/)
# Both sites work from file:// and from any static web server: every page carries MathJax and
# ECharts itself, and nothing is loaded from any other address (docker/course checks every
# file, every link and anchor, and that the student edition holds no line of a solution).
# The student edition is executed on its own (in notebooks/, so its relative paths resolve)
# when it differs from the instructor's; a notebook without solution cells is executed once.
# docker/course (Go) does the course's own steps; nbrun.py executes, nbconvert converts.
#
# The committed notebooks are not changed. Everything is built in a temporary folder beside
# OUT_DIR and swapped in only when every notebook ran without an error and every check passed:
# a failed export leaves the previous one as it was, says which notebook and cell failed (or
# which cell's course metadata is wrong), and exits 1.
# SIGINT, SIGTERM or SIGHUP stop it the same way: the kernels end (docker/checks/nbrun.py ends every
# process it started), the temporary folder goes, and the exit status is 128+N. After a
# kill -9 the runner still ends its kernels, and the next export removes the folders that the
# killed one left (.export-new.PID-START.* and .export-old.PID-START.* beside OUT_DIR, named
# after the export that made them and removed only once it is gone).
# Needs what "sudo bash docker/local/setup.sh" installs; it does not need root.
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

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
nbdir=$repo/notebooks
if [[ ${1:-} == --notebooks ]]; then
	[[ -n ${2:-} ]] || die "--notebooks needs a folder"
	nbdir=$(realpath -m "$2")
	shift 2
fi
[[ ${1:-} != -* ]] || die "unknown option $1: want [--notebooks DIR] [OUT_DIR]"
(($# <= 1)) || die "too many arguments: want [--notebooks DIR] [OUT_DIR]"
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
MATHJAX=/usr/local/share/gdlesson/mathjax/tex-svg-full.js  # docker/local/setup.sh, npm mathjax
VENV=/usr/local/share/gdlesson/venv                        # docker/local/setup.sh: nbclient 0.11, nbconvert 7
REVEAL=/usr/local/share/gdlesson/reveal/node_modules/reveal.js # docker/local/setup.sh, npm reveal.js 6.0.2
for f in "$VENV/bin/python" "$VENV/bin/jupyter" /usr/bin/chromium /usr/bin/pdftotext "$REQUIREJS" "$MATHJAX" \
	"$REVEAL/dist/reveal.js" \
	/usr/local/share/jupyter/kernels/gonb/kernel.json; do
	[[ -e $f ]] || die "$f is missing: run sudo bash docker/local/setup.sh first"
done
command -v go >/dev/null || die "go not found on PATH (expected in /usr/local/go/bin)"
fc-list :lang=ja family | grep -q 'Noto Sans CJK' || die "no Japanese font: run sudo bash docker/local/setup.sh (fonts-noto-cjk)"

notebooks=("$nbdir"/*.ipynb)
((${#notebooks[@]})) || die "no notebooks in $nbdir"

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
start=$SECONDS
cd "$repo"
editions=(instructor student)

# The course program (docker/course), built once for its four steps below.
course=$tmp/bin/course
step go build -o "$course" ./docker/course || die "could not build the course program docker/course (see above)"

# 1. The editions' notebooks, clean: docker/course checks every cell's course metadata first
#    (a solution cell without its exercise, an unknown slide type: named with the cell's id).
step "$course" editions -out "$tmp/src" "${notebooks[@]}" ||
	die "the notebooks' course metadata is wrong (see above); the previous export in $out is unchanged"

# 2. Execute. nbrun.py names the notebook and the cell of any failure; the kernels' own
#    log goes to a file, shown only when a notebook could not be run at all. The kernels
#    start in the notebooks' folder, so that cells such as `!grep ../gdlib/...` find the
#    repository. A student notebook that equals the instructor's is not executed twice.
run_edition() { # run_edition EDITION NOTEBOOK...
	echo "export: executing $(($# - 1)) notebooks ($1 edition)"
	local status=0
	step "$VENV/bin/python" docker/checks/nbrun.py -j 2 --cwd "$nbdir" --out "$tmp/run/$1" "${@:2}" 2>"$tmp/kernel.log" || status=$?
	if ((status)); then
		((status == 1)) || tail -n 20 "$tmp/kernel.log" >&2
		die "a notebook of the $1 edition failed (see FAIL above); the previous export in $out is unchanged"
	fi
}
mkdir -p "$tmp/run/student"
run_edition instructor "$tmp"/src/instructor/*.ipynb
differ=()
for nb in "$tmp"/src/student/*.ipynb; do
	name=${nb##*/}
	if cmp -s "$nb" "$tmp/src/instructor/$name"; then
		cp "$tmp/run/instructor/$name" "$tmp/run/student/$name"
	else
		differ+=("$nb")
	fi
done
if ((${#differ[@]})); then
	run_edition student "${differ[@]}"
else
	echo "export: the student edition has no solution cells: its notebooks are the instructor's"
fi

# 3. Pages and slides, by nbconvert; then the ECharts library into each, and everything they
#    load inside them (selfcontain.py).
nbconvert() { # nbconvert EDITION LOG ARGS...
	if ! step "$VENV/bin/jupyter" nbconvert --log-level=WARN \
		--TemplateExporter.extra_template_basedirs="$repo/docker/course/nbconvert" \
		--HTMLExporter.require_js_url="file://$REQUIREJS" --HTMLExporter.mathjax_url="file://$MATHJAX" \
		"${@:3}" "$tmp/run/$1"/*.ipynb 2>"$tmp/nbconvert.log"; then
		grep -v -e 'Debugger warning' -e 'frozen modules' -e 'Debugging will proceed' "$tmp/nbconvert.log" >&2 || true
		die "nbconvert could not make the $2 of the $1 edition"
	fi
}
pages=()
for ed in "${editions[@]}"; do
	echo "export: pages and slides ($ed edition)"
	site=$tmp/site/$ed
	mkdir -p "$site/slides" "$site/pdf"
	nbconvert "$ed" pages --to html --template gdlesson --output-dir "$site"
	nbconvert "$ed" slides --to slides --template gdlesson-slides --output-dir "$site/slides" \
		--SlidesExporter.reveal_url_prefix=reveal.js --SlidesExporter.reveal_theme=white \
		--SlidesExporter.reveal_transition=none
	for nb in "$tmp/run/$ed"/*.ipynb; do
		name=$(basename "$nb" .ipynb)
		[[ -s $site/$name.html ]] || die "nbconvert wrote no $name.html ($ed edition)"
		[[ -s $site/slides/$name.slides.html ]] || die "nbconvert wrote no $name.slides.html ($ed edition)"
		mv "$site/slides/$name.slides.html" "$site/slides/$name.html"
		pages+=("$site/$name.html" "$site/slides/$name.html")
	done
done
# Charts load ECharts from the Jupyter server that shows them; a page on its own carries it once.
step go run ./gdlib/plot/cmd/echartslib "${pages[@]}" >/dev/null ||
	die "could not put the ECharts library into the pages and slides (see above)"
step "$VENV/bin/python" "$repo/docker/course/selfcontain.py" "${pages[@]}" ||
	die "a page would load something from elsewhere (see above)"

# 4. Each edition's index, tables of contents, notebooks' zip and reveal.js files.
for ed in "${editions[@]}"; do
	step "$course" site -edition "$ed" -notebooks "$tmp/src/$ed" -reveal "$REVEAL" -mathjax "$MATHJAX" "$tmp/site/$ed" ||
		die "could not assemble the $ed edition's site (see above)"
done

# 5. PDF: headless Chromium prints each page, kept off the network by these flags.
for ed in "${editions[@]}"; do
	echo "export: PDF ($ed edition)"
	for nb in "$tmp/run/$ed"/*.ipynb; do
		name=$(basename "$nb" .ipynb)
		page=$tmp/site/$ed/$name.html
		pdf=$tmp/site/$ed/pdf/$name.pdf
		profile=$tmp/chromium-profile
		mkdir "$profile"
		if ! step /usr/bin/chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
			--disable-background-networking --disable-component-update --disable-sync \
			--user-data-dir="$profile" --virtual-time-budget=10000 --no-pdf-header-footer \
			--print-to-pdf="$pdf" "file://$page" >"$tmp/chromium.log" 2>&1; then
			tail -n 20 "$tmp/chromium.log" >&2
			die "chromium could not print $name.html ($ed edition)"
		fi
		rm -rf "$profile"
		text=$(pdftotext "$pdf" - 2>/dev/null || true)
		[[ $text =~ [^[:space:]] ]] || die "$ed/pdf/$name.pdf has no text: Chromium printed an empty page"
	done
done

# 6. Check both sites: links and anchors, nothing from elsewhere, no solution in the student's.
step "$course" check "$tmp/site" "${notebooks[@]}" ||
	die "the site failed its checks (see above); the previous export in $out is unchanged"
rm -rf "$tmp/bin" "$tmp/src" "$tmp/run" "$tmp/kernel.log" "$tmp/nbconvert.log" "$tmp/chromium.log"
mv "$tmp/site"/* "$tmp/"
rmdir "$tmp/site"

# 7. Swap in: the old export stays until the new one is complete.
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
echo "export: ${#notebooks[@]} notebooks, 2 editions: open $out/instructor/index.html and $out/student/index.html ($((SECONDS - start)) s)"
