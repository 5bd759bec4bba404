"""A parse with a big grammar: lark's Python 3 grammar (LALR, with its indenter) over 30
standard-library modules; the parse trees are kept. ``--slotted`` builds the same trees with a
copy of ``lark.Tree`` that has ``__slots__`` (lark's ``tree_class`` option), to confirm what the
census projects."""

import os
import sys
import sysconfig

from lark import Lark, Tree
from lark.indenter import PythonIndenter


# lark.Tree with `__slots__` added, as `slotkit fix` would write it: the same namespace (methods,
# properties), made again with slots (a slotted subclass would still carry Tree's `__dict__`)
_namespace = {k: v for k, v in vars(Tree).items() if k not in ("__dict__", "__weakref__")}
SlottedTree = type("SlottedTree", Tree.__bases__, {**_namespace, "__slots__": ("data", "children", "_meta"),
                                                 "__module__": __name__, "__qualname__": "SlottedTree"})


FILES = """abc argparse bisect calendar cmd codecs colorsys configparser contextlib copy csv
dataclasses difflib enum fnmatch fractions functools getopt gettext glob heapq hmac ipaddress
numbers operator optparse pprint queue random shlex""".split()

stdlib = sysconfig.get_paths()["stdlib"]
tree_class = SlottedTree if "--slotted" in sys.argv else Tree
parser = Lark.open_from_package("lark", "python.lark", ["grammars"], parser="lalr", postlex=PythonIndenter(),
                                start="file_input", tree_class=tree_class)
trees = []
for name in FILES:
    with open(os.path.join(stdlib, name + ".py"), encoding="utf-8") as f:
        trees.append(parser.parse(f.read() + "\n"))
print(f"parsed {len(trees)} modules with {tree_class.__name__}", file=sys.stderr)
