"""A docs build with docutils: the docstrings of 80 standard-library modules (modules, classes,
functions) as one reST document, parsed into a doctree and written as HTML; the doctree is kept,
as a builder keeps it until it writes the output."""

import importlib
import inspect
import sys

from docutils.core import publish_doctree, publish_from_doctree

MODULES = """abc argparse ast asyncio base64 bisect calendar cmd codecs collections colorsys
configparser contextlib copy csv dataclasses datetime decimal difflib dis email enum filecmp
fileinput fnmatch fractions ftplib functools getopt gettext glob graphlib gzip hashlib heapq hmac
html http imaplib inspect io ipaddress itertools json locale logging lzma mailbox mimetypes
numbers operator optparse os pathlib pickle pkgutil platform plistlib poplib pprint queue random
re sched secrets selectors shelve shlex shutil smtplib socket statistics string struct
subprocess tarfile tempfile textwrap threading timeit tokenize traceback typing unittest uuid
warnings wave weakref zipfile""".split()


def docs() -> str:
    parts = []
    for name in MODULES:
        mod = importlib.import_module(name)
        title = f"``{name}``"
        parts.append(f"{title}\n{'=' * len(title)}\n\n{inspect.cleandoc(mod.__doc__ or '')}\n")
        for attr, obj in sorted(vars(mod).items()):
            if attr.startswith("_") or getattr(obj, "__module__", None) != name or not getattr(obj, "__doc__", None):
                continue
            if inspect.isclass(obj) or inspect.isfunction(obj):
                sub = f"``{name}.{attr}``"
                parts.append(f"{sub}\n{'-' * len(sub)}\n\n{inspect.cleandoc(obj.__doc__)}\n")
    return "\n".join(parts)


text = docs()
settings = {"report_level": 5, "halt_level": 5, "warning_stream": False}
doctree = publish_doctree(text, settings_overrides=settings)
html = publish_from_doctree(doctree, writer_name="html", settings_overrides=settings)
print(f"{len(text):,} characters of reST, {len(html):,} bytes of HTML, {sum(1 for _ in doctree.findall()):,} nodes",
      file=sys.stderr)
