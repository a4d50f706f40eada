"""Hands the course's notebooks out to one learner, and hands out updates without losing work.

Run as the learner (gdlesson_hub.py populate SRC DEST calls hand_out), at each start of their
server. The rule, per notebook of SRC:

  - DEST has no such notebook: it is copied (a deleted notebook comes back fresh).
  - DEST's is the course's current version already: nothing to do.
  - DEST's is byte for byte what was handed out last time (the manifest,
    DEST/.gdlesson-handout.json, keeps the SHA-256 of the version last handed out under each
    name): the learner never changed it, and it is replaced by the new version.
  - Otherwise the learner changed it (or it predates the manifest): it is left exactly as it
    is, and the new version is put beside it, once, as 「NAME（新しい版）.ipynb」 (a side
    copy the learner never changed is replaced at the next update; one they changed is
    theirs too, and the next goes to 「NAME（新しい版 2）.ipynb」, and so on).

Why side by side rather than nbgitpuller's merge: the learner's file is never rewritten, not
even by a merge, so nothing of theirs can be lost or turned into an invalid notebook (a
line-wise git merge of notebook JSON can be); they can compare the two and copy what they want;
and the new version runs as the instructor wrote it. nbgitpuller would also need the course as a
git repository the learners read (the course folder is the student edition, made by
docker/hub/setup.sh, not a clone) and a .git in every home.

When anything was replaced or put beside, DEST/更新のお知らせ.md (Japanese) says what, newest
first. Every file is written to a temporary name, synced, then linked (new) or renamed (replaced)
into place: a full disk leaves no half file and names the file and the free space.
"""

import datetime
import errno
import hashlib
import json
import os
import shutil
import sys

MANIFEST = ".gdlesson-handout.json"
NOTE = "更新のお知らせ.md"
SIDE = "（新しい版{n}）"
NOTE_HEAD = "# 更新のお知らせ\n\n新しいお知らせが上にあります。\n\n"


class HandOutError(Exception):
    pass



def sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 16), b""):
            h.update(block)
    return h.hexdigest()


def _disk_error(e, name, dest):
    if e.errno in (errno.ENOSPC, errno.EDQUOT):
        st = os.statvfs(dest)
        free = st.f_bavail * st.f_frsize / 1e6
        return HandOutError(
            f"gdlesson: ディスクがいっぱいです: {name} を {dest} にコピーできませんでした"
            f"（空き {free:.1f} MB）。何も上書きしていません。空きを作ってから、サーバーをもう一度起動してください。"
        )
    return HandOutError(f"gdlesson: {name} を {dest} にコピーできませんでした: {e}")


def _write(dest, name, data=None, src=None, replace=False):
    """Writes data (bytes) or the file src to dest/name through a temporary file.

    replace=False links it into place, which fails when the name exists (the learner saved
    meanwhile: theirs wins; returns False). replace=True renames it over the old file.
    """
    final = os.path.join(dest, name)
    tmp = os.path.join(dest, f".{name}.gdlesson-copy")
    try:
        if os.path.lexists(tmp):
            os.unlink(tmp)
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
        with os.fdopen(fd, "wb") as fout:
            if src is not None:
                with open(src, "rb") as fin:
                    shutil.copyfileobj(fin, fout)
            else:
                fout.write(data)
            fout.flush()
            os.fsync(fout.fileno())
        if replace:
            os.rename(tmp, final)
            return True
        try:
            os.link(tmp, final)
            return True
        except FileExistsError:
            return False
    except OSError as e:
        raise _disk_error(e, name, dest) from None
    finally:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass


def _load_manifest(dest):
    try:
        with open(os.path.join(dest, MANIFEST)) as f:
            m = json.load(f)
        return {k: v for k, v in m.get("handed_out", {}).items() if isinstance(k, str) and isinstance(v, str)}
    except (OSError, ValueError, AttributeError):
        return {}  # none yet, or damaged: every notebook then counts as the learner's


def _side_name(name, n):
    stem = name[: -len(".ipynb")]
    return stem + SIDE.format(n="" if n == 1 else f" {n}") + ".ipynb"


def _note_text(replaced, beside, when, old):
    lines = [f"## {when} の更新", ""]
    if replaced:
        lines.append("講師が教材を更新しました。次のノートブックは、あなたが変更していなかったので、新しい版に置き換えました。")
        lines.append("")
        lines += [f"- {n}" for n in replaced]
        lines.append("")
    if beside:
        lines.append("次のノートブックは、あなたが変更していたので、そのまま残してあります（何も消していません）。"
                     "新しい版は隣に別の名前で置きました。見比べて、必要なところを自分のノートブックに写してください。")
        lines.append("")
        lines += [f"- {n} → 新しい版: {side}" for n, side in beside]
        lines.append("")
    return NOTE_HEAD + "\n".join(lines) + ("\n" + old if old else "")


def hand_out(src, dest, now=None):
    """Hands out every *.ipynb of src into dest by the rule above.

    Returns (copied, replaced, beside): names copied new, names replaced, and (name, side
    name) pairs put beside a changed notebook. Raises HandOutError on a full disk or another
    error writing, after saving what was done.
    """
    os.makedirs(dest, mode=0o700, exist_ok=True)
    handed = _load_manifest(dest)
    copied, replaced, beside = [], [], []
    try:
        for name in sorted(os.listdir(src)):
            if not name.endswith(".ipynb"):
                continue
            path = os.path.join(src, name)
            new = sha256(path)
            final = os.path.join(dest, name)
            if not os.path.lexists(final):
                if _write(dest, name, src=path):
                    copied.append(name)
                    handed[name] = new
                continue
            if not os.path.isfile(final) or os.path.islink(final):
                continue  # not a notebook file of ours: leave it
            cur = sha256(final)
            if cur == new:
                handed[name] = new
                continue
            if handed.get(name) == cur:
                _write(dest, name, src=path, replace=True)
                replaced.append(name)
                handed[name] = new
                continue
            # Changed by the learner: the new version goes beside it, once per version.
            if handed.get(name) == new:
                continue
            side = _put_beside(dest, name, path, new, handed)
            if side:
                handed[name] = new
                if side is not True:
                    beside.append((name, side))
    finally:
        # Saved even when a copy failed (a full disk): what was handed out stays known. Each
        # write is atomic; the note is best effort then (the error says what matters).
        failing = sys.exc_info()[0] is not None
        try:
            data = json.dumps({"handed_out": handed}, ensure_ascii=False, indent=1, sort_keys=True) + "\n"
            _write(dest, MANIFEST, data=data.encode(), replace=True)
            if replaced or beside:
                _write_note(dest, replaced, beside, now)
        except HandOutError:
            if not failing:
                raise
    return copied, replaced, beside


def _put_beside(dest, name, path, new, handed):
    """Puts the new version (path, of hash new) beside the learner's changed notebook name.

    The first side name that is free, or holds a side copy the learner never changed, is used
    (a side copy they changed is theirs). Returns the side name written, True when one already
    holds the new version, or None when all 99 names are the learner's.
    """
    for n in range(1, 100):
        side = _side_name(name, n)
        spath = os.path.join(dest, side)
        if not os.path.lexists(spath):
            if _write(dest, side, src=path):
                handed[side] = new
                return side
            continue  # made meanwhile: theirs
        if not os.path.isfile(spath) or os.path.islink(spath):
            continue
        h = sha256(spath)
        if h == new:
            handed[side] = new
            return True
        if handed.get(side) == h:
            _write(dest, side, src=path, replace=True)
            handed[side] = new
            return side
    return None


def _write_note(dest, replaced, beside, now):
    when = (now or datetime.datetime.now()).strftime("%Y-%m-%d %H:%M")
    try:
        with open(os.path.join(dest, NOTE), encoding="utf-8") as f:
            old = f.read().removeprefix(NOTE_HEAD)
    except (OSError, UnicodeDecodeError):
        old = ""
    _write(dest, NOTE, data=_note_text(replaced, beside, when, old).encode(), replace=True)
