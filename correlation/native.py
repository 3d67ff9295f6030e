"""Compiled correlation: the engine's hot modules built with mypyc, used only when fresh.

Deciding an alert is a few hundred small steps (dictionary lookups, comparisons,
attribute reads) for each of its candidate incidents; in CPython most of that time is
the interpreter's own. mypyc compiles the same type-annotated modules to C, which
decides about twice as fast and exactly alike (``tests/correlation/test_native.py``).

The compiled modules live in ``correlation/compiled/`` (never in git). They are used
only if they were built from exactly the ``correlation`` sources in the tree and for
this interpreter (a stamp of both), so an edited module runs as source until the next
``make`` builds again (``build_native.py``). Without a C compiler nothing is built and
correlation runs as plain Python; deleting the directory turns compiled modules off.
"""

from __future__ import annotations

import hashlib
import sys
import sysconfig
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent
DIRECTORY = PACKAGE / "compiled"
STAMP = "stamp"
COMPILED = ("bursts", "engine", "features", "templates", "working_set")
# The file ending of a compiled module for this interpreter (".cpython-311-x86_64-linux-gnu.so").
EXTENSION = str(sysconfig.get_config_var("EXT_SUFFIX"))


def fingerprint(package: Path = PACKAGE) -> str:
    """What a build must have been made from: every source of the package, and the
    interpreter (compiled modules load only into the version they were built for)."""
    digest = hashlib.sha256(sys.version.encode())
    digest.update(EXTENSION.encode())
    for source in sorted(package.glob("*.py")):
        digest.update(source.name.encode())
        digest.update(source.read_bytes())
    return digest.hexdigest()


def is_fresh(directory: Path = DIRECTORY, package: Path = PACKAGE) -> bool:
    try:
        built_from = (directory / STAMP).read_text().strip()
    except OSError:
        return False
    return built_from == fingerprint(package)


def activate(package_path: list[str], directory: Path = DIRECTORY) -> bool:
    """Put a fresh build first on the package's search path; return whether it is used."""
    if not is_fresh(directory):
        return False
    package_path.insert(0, str(directory))
    return True
