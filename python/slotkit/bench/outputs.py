"""Checks of ``--json``, ``--markdown``, ``--plot`` and ``--python``, made before anything is measured.

A run takes from a minute to a quarter of an hour: a path that cannot be written, or a plot format
matplotlib cannot draw, must be refused at once, not after the run with the results lost.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path


class BadArgument(Exception):
    """The message says which option and what is wrong with it; the CLI exits 2."""


def check_output(option: str, path: Path) -> None:
    """``path`` can be created or overwritten as a file."""
    if path.is_dir():
        raise BadArgument(f"{option} {path}: is a directory; give a file name")
    parent = path.parent if str(path.parent) else Path(".")
    if not parent.exists():
        raise BadArgument(f"{option} {path}: the folder {parent} does not exist; create it first")
    if not parent.is_dir():
        raise BadArgument(f"{option} {path}: {parent} is not a folder")
    if not os.access(parent, os.W_OK | os.X_OK) or (path.exists() and not os.access(path, os.W_OK)):
        raise BadArgument(f"{option} {path}: not writable")


# What matplotlib 3.x saves to; asked of matplotlib itself when it is installed.
KNOWN_PLOT_FORMATS = ("eps", "jpeg", "jpg", "pdf", "pgf", "png", "ps", "raw", "rgba", "svg", "svgz", "tif", "tiff",
                      "webp")


def plot_formats() -> list[str]:
    """The file suffixes ``--plot`` can write (``png``, ``svg``, ``pdf``, ...)."""
    try:
        from matplotlib.backend_bases import FigureCanvasBase
    except ImportError:  # the CLI then says --plot needs matplotlib; the suffix is still checked first
        return list(KNOWN_PLOT_FORMATS)
    return sorted(FigureCanvasBase.get_supported_filetypes())


def check_plot(path: Path) -> None:
    suffix = path.suffix.lower().lstrip(".")
    formats = plot_formats()
    if suffix not in formats:
        shown = f"'.{suffix}'" if suffix else "no suffix"
        raise BadArgument(f"--plot {path}: {shown} is not an image format matplotlib can write; "
                          f"use one of: {', '.join('.' + s for s in formats)}")
    check_output("--plot", path)


def check_outputs(json: Path | None, markdown: Path | None, plot: Path | None) -> None:
    given = [(option, p) for option, p in (("--json", json), ("--markdown", markdown), ("--plot", plot)) if p]
    for option, path in given:
        if option == "--plot":
            check_plot(path)
        else:
            check_output(option, path)
    seen: dict[str, str] = {}
    for option, path in given:
        key = os.path.realpath(path)
        if key in seen:
            raise BadArgument(f"{seen[key]} and {option} name the same file, {path}: one would overwrite the other")
        seen[key] = option


def check_python(name: str) -> str:
    """An interpreter given with ``--python``: a path to an executable, or a command on PATH."""
    found = shutil.which(name)
    if found:
        return name
    if os.sep in name or (os.altsep and os.altsep in name):
        if not os.path.exists(name):
            raise BadArgument(f"--python {name}: no such file")
        if os.path.isdir(name):
            raise BadArgument(f"--python {name}: is a directory, not a Python interpreter")
        raise BadArgument(f"--python {name}: not executable")
    raise BadArgument(f"--python {name}: no such command on PATH; give the interpreter's path")
