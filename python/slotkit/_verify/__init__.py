"""``slotkit fix --verify CMD [PATH...]``: proof by the project's own tests.

Runs CMD on the untouched tree (its failures are the baseline), applies the fixes, runs
CMD again, and while new failures appear, leaves the responsible classes unslotted (or
adds the slot or ``__weakref__`` the error asks for), found from the error text where it
names the class, else by bisection. Only verified edits stay on disk; an interrupted
run leaves the original files (see ``journal``). The Rust analyzer stays pure: this
package only orchestrates ``fix --format json`` and ``fix --plan``.
"""
