"""The writing of gdlib's reference files, shared by torch_lr.py and torch_optim.py."""

import json
import os
import re


def write(name, out):
    """Writes out to the file name next to this one as JSON, indented by 1, each list of numbers on one line."""
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), name)
    text = json.dumps(out, indent=1, ensure_ascii=False)
    text = re.sub(r"\[[^\[\]{}]*\]", lambda m: " ".join(m.group().split()), text)  # a list on one line
    with open(path, "w") as f:
        f.write(text + "\n")
