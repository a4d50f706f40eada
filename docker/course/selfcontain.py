"""Make exported HTML pages self-contained, and prove that they are.

    /usr/bin/python3 docker/course/selfcontain.py PAGE.html...

Each <script src="file:///…"> is replaced by the file's contents (docker/course/export.sh points
nbconvert's require.js and MathJax URLs at files installed by Debian and docker/local/setup.sh).
Then the page is searched for anything a browser would fetch from elsewhere: a script,
style sheet, image, frame or CSS url() with an http(s) or protocol-relative address, and
any file:// reference left. Links (<a href>) are fine: nothing loads them. Exits 1 naming
the page and the reference when one is found; the page is rewritten in place otherwise.
"""

import re
import sys
import urllib.parse

SCRIPT = re.compile(r'<script(?P<pre>[^>]*?)\ssrc="(?P<src>[^"]+)"(?P<post>[^>]*)>\s*</script>', re.I)
REMOTE = [
    re.compile(r'<(?:script|img|iframe|audio|video|source|embed)\b[^>]*\ssrc\s*=\s*["\']?(?:https?:)?//[^"\'\s>]*', re.I),
    re.compile(r'<link\b[^>]*\shref\s*=\s*["\']?(?:https?:)?//[^"\'\s>]*', re.I),
    re.compile(r'@import\s+(?:url\()?\s*["\']?(?:https?:)?//[^"\')\s]*', re.I),
    re.compile(r'url\(\s*["\']?(?:https?:)?//[^"\')\s]*', re.I),
    re.compile(r'(?:src|href)\s*=\s*["\']?file://[^"\'\s>]*', re.I),
]


def inline(match):
    src = match.group("src")
    if not src.startswith("file://"):
        return match.group(0)  # reported below if it is remote
    path = urllib.parse.unquote(urllib.parse.urlsplit(src).path)
    with open(path, encoding="utf-8") as f:
        code = f.read()
    # A literal "</script" inside the code would end the element early.
    code = re.sub(r"</(script)", r"<\\/\1", code, flags=re.I)
    return "<script%s%s>\n%s\n</script>" % (match.group("pre"), match.group("post"), code)


def main(pages):
    bad = 0
    for page in pages:
        with open(page, encoding="utf-8") as f:
            text = f.read()
        try:
            text = SCRIPT.sub(inline, text)
        except OSError as e:
            print("selfcontain: %s: cannot inline %s" % (page, e), file=sys.stderr)
            bad = 1
            continue
        found = sorted({m.group(0)[:160] for rx in REMOTE for m in rx.finditer(text)})
        for ref in found:
            print("selfcontain: %s: external reference left: %s" % (page, ref), file=sys.stderr)
            bad = 1
        if not found:
            with open(page, "w", encoding="utf-8") as f:
                f.write(text)
    return bad


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    sys.exit(main(sys.argv[1:]))
