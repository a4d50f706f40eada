"""Ask the gonb kernel what Shift+Tab asks: an inspect_request on a gdlib name in a cell.

(Not named inspect.py: that would shadow the standard library's inspect module.)

    /usr/local/share/gdlesson/venv/bin/python testdata/kernel_inspect.py NOTEBOOK_FOLDER CODE CURSOR

Starts the kernel spec "gonb" in NOTEBOOK_FOLDER (as Jupyter does for a notebook there), with
no cell run before, sends inspect_request(CODE, CURSOR) as JupyterLab's contextual help and
Shift+Tab do, prints the reply's content as JSON and shuts the kernel down. Exit 2 when the
kernel gives no reply. Used by kernel_test.go (TestInspectShowsDoc).
"""

import json
import sys

from jupyter_client.manager import start_new_kernel


def main():
    folder, code, cursor = sys.argv[1], sys.argv[2], int(sys.argv[3])
    km, kc = start_new_kernel(kernel_name="gonb", cwd=folder, startup_timeout=120)
    try:
        msg_id = kc.inspect(code, cursor, detail_level=0)
        reply = kc.get_shell_msg(timeout=120)
        while reply["parent_header"].get("msg_id") != msg_id:
            reply = kc.get_shell_msg(timeout=120)
        print(json.dumps(reply["content"], ensure_ascii=False))
    except Exception as e:  # no reply in time, or the kernel died
        print("inspect: %s: %s" % (type(e).__name__, e), file=sys.stderr)
        sys.exit(2)
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=False)  # a shutdown request: GoNB stops its gopls too


if __name__ == "__main__":
    main()
