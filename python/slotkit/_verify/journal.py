"""A crash-safe journal of the original files edited by ``slotkit fix --verify``.

Protocol (docs/check.md, "fix --verify"):

1. Before the first edit, the original bytes of every file that may be edited are
   copied into ``<dir>.tmp-<pid>/`` with a ``manifest.json``, fsynced, and the folder is
   renamed to ``<dir>`` (``.slotkit-verify``): the rename is the commit point. No file
   is edited before it.
2. Edits and restores replace whole files by rename, so each file is always either its
   original or a complete edited version.
3. The journal is deleted (renamed away, then removed) only once the files hold what
   the run decided to leave: the originals, or the verified edits at the very end.
4. A journal that still exists means a run died: the files it lists are restored by the
   guard process (``slotkit._verify.guard``, which notices the driver's death even on
   SIGKILL) or, failing that, by the next ``slotkit check``/``fix`` in that folder.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
from pathlib import Path
from typing import Any, TextIO

NAME = ".slotkit-verify"


def _fsync_dir(path: Path) -> None:
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def replace_bytes(path: Path, data: bytes) -> None:
    """Write ``data`` over ``path`` atomically (temporary file, fsync, rename)."""
    tmp = path.with_name(f".{path.name}.slotkit-restore-{os.getpid()}.tmp")
    with open(tmp, "wb") as f:
        f.write(data)
        f.flush()
        os.fsync(f.fileno())
    try:
        shutil.copymode(path, tmp)
    except OSError:
        pass
    os.replace(tmp, path)


class Journal:
    """The originals of the files a verify run may edit."""

    def __init__(self, root: Path) -> None:
        self.dir = root / NAME

    @property
    def active(self) -> bool:
        return (self.dir / "manifest.json").is_file()

    def begin(self, files: list[Path]) -> None:
        """Record the originals of ``files``; after this returns, edits are allowed."""
        if self.dir.exists():
            raise RuntimeError(f"{self.dir} exists: another verify run is active or died (run `slotkit check` to restore)")
        tmp = self.dir.with_name(f"{NAME}.tmp-{os.getpid()}")
        shutil.rmtree(tmp, ignore_errors=True)
        (tmp / "originals").mkdir(parents=True)
        originals: dict[str, str] = {}
        for i, path in enumerate(sorted({p.resolve() for p in files})):
            blob = tmp / "originals" / str(i)
            data = path.read_bytes()
            with open(blob, "wb") as f:
                f.write(data)
                f.flush()
                os.fsync(f.fileno())
            originals[str(path)] = str(i)
        manifest = {"pid": os.getpid(), "files": originals}
        with open(tmp / "manifest.json", "w", encoding="utf-8") as f:
            json.dump(manifest, f, indent=1)
            f.flush()
            os.fsync(f.fileno())
        _fsync_dir(tmp / "originals")
        _fsync_dir(tmp)
        os.rename(tmp, self.dir)
        _fsync_dir(self.dir.parent)

    def owner(self) -> int | None:
        try:
            return int(self._manifest()["pid"])
        except (OSError, ValueError, KeyError):
            return None

    def _manifest(self) -> dict[str, Any]:
        data: dict[str, Any] = json.loads((self.dir / "manifest.json").read_text(encoding="utf-8"))
        return data

    def restore(self) -> list[Path]:
        """Put every original back; returns the files that had changed."""
        changed = []
        for name, blob in self._manifest()["files"].items():
            path = Path(name)
            original = (self.dir / "originals" / blob).read_bytes()
            try:
                current = path.read_bytes()
            except FileNotFoundError:
                current = None
            if current != original:
                replace_bytes(path, original)
                changed.append(path)
            for stray in path.parent.glob(f".{path.name}.slotkit-*.tmp"):
                stray.unlink(missing_ok=True)  # temporary files of an interrupted write
        return changed

    def record_command(self, pid: int) -> None:
        """Remember the running command's process group, for the guard to stop it."""
        (self.dir / "command.pid").write_text(str(pid))

    def clear_command(self) -> None:
        """The command has ended: its process group id may be reused, forget it."""
        (self.dir / "command.pid").unlink(missing_ok=True)

    def command_pid(self) -> int | None:
        try:
            return int((self.dir / "command.pid").read_text())
        except (OSError, ValueError):
            return None

    def finish(self) -> None:
        """Forget the originals: the files now hold what the run decided to keep."""
        if not self.dir.exists():
            return
        gone = self.dir.with_name(f"{NAME}.done-{os.getpid()}")
        os.rename(self.dir, gone)
        _fsync_dir(self.dir.parent)
        shutil.rmtree(gone, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def recover(root: Path, stream: TextIO | None = None) -> list[Path]:
    """Restore the originals left by a verify run that died in ``root``; returns them."""
    stream = stream or sys.stderr
    for leftover in root.glob(f"{NAME}.*"):
        # uncommitted journals (no edit was made yet) and half-deleted ones of dead runs
        pid = leftover.name.rsplit("-", 1)[-1]
        if pid.isdigit() and int(pid) != os.getpid() and _alive(int(pid)):
            continue
        shutil.rmtree(leftover, ignore_errors=True)
    journal = Journal(root)
    if not journal.dir.exists():
        return []
    if not journal.active:
        shutil.rmtree(journal.dir, ignore_errors=True)
        return []
    owner = journal.owner()
    if owner is not None and owner != os.getpid() and _alive(owner):
        stream.write(f"slotkit: a `fix --verify` run (pid {owner}) is editing files here; leaving them alone\n")
        return []
    restored = journal.restore()
    journal.finish()
    if restored:
        stream.write(
            f"slotkit: restored {len(restored)} file(s) left edited by an interrupted `fix --verify` run: "
            + ", ".join(str(p) for p in restored)
            + "\n"
        )
    return restored
