"""The guard of a ``fix --verify`` run: a separate process (its own session) that
waits for the driver to end, then, if the journal is still there (the driver died,
even by SIGKILL), stops the command under test and restores the original files.

Started by the driver with a pipe on stdin; the driver's death closes the pipe.
"""

from __future__ import annotations

import os
import signal
import sys
from pathlib import Path

from slotkit._verify.journal import Journal


def main(argv: list[str]) -> int:
    root = Path(argv[0])
    sys.stdin.buffer.read()  # returns at EOF: the driver has exited or died
    journal = Journal(root)
    if not journal.active:
        return 0
    pid = journal.command_pid()
    if pid is not None:
        try:
            os.killpg(pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
    journal.restore()
    journal.finish()
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
