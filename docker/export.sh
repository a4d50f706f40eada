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
# Needs what "sudo bash docker/setup.sh" installs; it does not need root.
set -euo pipefail

die() { printf 'export: error: %s\n' "$*" >&2; exit 1; }

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
out=$(realpath -m "${1:-$repo/export}")
export PATH=/usr/local/go/bin:/usr/local/bin:$PATH PYDEVD_DISABLE_FILE_VALIDATION=1

REQUIREJS=/usr/share/javascript/requirejs/require.min.js   # Debian's libjs-requirejs
MATHJAX=/usr/local/share/gdlesson/mathjax/tex-svg-full.js  # docker/setup.sh, npm mathjax
VENV=/usr/local/share/gdlesson/venv                        # docker/setup.sh: nbclient 0.11, nbconvert 7
for f in "$VENV/bin/python" "$VENV/bin/jupyter" /usr/bin/chromium /usr/bin/pdftotext "$REQUIREJS" "$MATHJAX" \
	/usr/local/share/jupyter/kernels/gonb/kernel.json; do
	[[ -e $f ]] || die "$f is missing: run sudo bash docker/setup.sh first"
done
command -v go >/dev/null || die "go not found on PATH (expected in /usr/local/go/bin)"
fc-list :lang=ja family | grep -q 'Noto Sans CJK' || die "no Japanese font: run sudo bash docker/setup.sh (fonts-noto-cjk)"

shopt -s nullglob
notebooks=("$repo"/notebooks/*.ipynb)
((${#notebooks[@]})) || die "no notebooks in $repo/notebooks"

mkdir -p "$(dirname "$out")"
tmp=$(mktemp -d "$(dirname "$out")/.export-new.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/ipynb" "$tmp/html" "$tmp/pdf"
start=$SECONDS

# 1. Execute. nbrun.py names the notebook and the cell of any failure; the kernels' own
#    log goes to a file, shown only when a notebook could not be run at all.
echo "export: executing ${#notebooks[@]} notebooks"
status=0
(cd "$repo" && "$VENV/bin/python" docker/nbrun.py -j 2 --out "$tmp/ipynb" notebooks/*.ipynb) \
	2>"$tmp/kernel.log" || status=$?
if ((status)); then
	((status == 1)) || tail -n 20 "$tmp/kernel.log" >&2
	die "a notebook failed (see FAIL above); the previous export in $out is unchanged"
fi

# 2. HTML, then make it self-contained.
echo "export: HTML"
if ! "$VENV/bin/jupyter" nbconvert --to html --log-level=WARN \
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
"$VENV/bin/python" "$repo/docker/selfcontain.py" "$tmp"/html/*.html ||
	die "an HTML page would load something from elsewhere (see above)"

# 3. PDF: headless Chromium prints each page, kept off the network by these flags.
echo "export: PDF"
for page in "$tmp"/html/*.html; do
	name=$(basename "$page" .html)
	profile=$(mktemp -d)
	if ! /usr/bin/chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
		--disable-background-networking --disable-component-update --disable-sync \
		--user-data-dir="$profile" --virtual-time-budget=10000 --no-pdf-header-footer \
		--print-to-pdf="$tmp/pdf/$name.pdf" "file://$page" >"$tmp/chromium.log" 2>&1; then
		tail -n 20 "$tmp/chromium.log" >&2
		rm -rf "$profile"
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
	old=$(mktemp -d "$(dirname "$out")/.export-old.XXXXXX")
	mv "$out" "$old/"
	mv "$tmp" "$out" || { mv "$old/$(basename "$out")" "$out"; die "could not move the new export into place"; }
	rm -rf "$old"
else
	mv "$tmp" "$out"
fi
trap - EXIT
echo "export: ${#notebooks[@]} notebooks to $out/{html,pdf,ipynb} in $((SECONDS - start)) s"
