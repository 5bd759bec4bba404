"""State of a ``slotkit census -- ...`` run inside the program (``boot`` runs as ``__main__``,
so it is kept here, in a module that has one name)."""

from __future__ import annotations

# the program's main file, for the source of classes defined in `__main__` once runpy has
# restored the boot module as `__main__` (at exit)
main_file: list[str] = []
# censuses recorded so far by this process
count = [0]
