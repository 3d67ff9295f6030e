"""Building the compiled correlation modules (see ``native.py``).

    python -m correlation.build_native    # what `make run` and `make test` do first

Builds only when the build in ``correlation/compiled/`` is missing or stale, and skips
with a note, not an error, where nothing can be compiled (no C compiler, no Python
headers): correlation then runs as plain Python, only slower.
"""

from __future__ import annotations

import os
import shutil
import sys
import sysconfig
import tempfile
from pathlib import Path

from correlation.native import COMPILED, DIRECTORY, EXTENSION, PACKAGE, STAMP, fingerprint, is_fresh


def missing_toolchain() -> str | None:
    """Why nothing can be compiled here, or None."""
    compiler = os.environ.get("CC") or "cc"
    if shutil.which(compiler) is None:
        return f"no C compiler ({compiler!r} is not on PATH)"
    headers = Path(sysconfig.get_paths()["include"]) / "Python.h"
    if not headers.is_file():
        return f"no Python headers ({headers} is missing)"
    try:
        import mypyc  # noqa: F401
    except ImportError:
        return "mypyc is not installed (it comes with the dev extra: pip install -e '.[dev]')"
    return None


def copy_sources(into: Path, package: Path = PACKAGE) -> Path:
    """The package's sources, without a build or bytecode, as ``into/<package>``."""
    copy = into / package.name
    shutil.copytree(package, copy, ignore=shutil.ignore_patterns(DIRECTORY.name, "__pycache__"))
    return copy


def build(directory: Path = DIRECTORY, package: Path = PACKAGE) -> None:
    """Compile ``COMPILED`` from a copy of the package and install them in ``directory``."""
    from mypyc.build import mypycify
    from setuptools import setup

    stamp = fingerprint(package)
    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch)
        copy_sources(root, package)
        output = root / "lib"
        # setuptools and mypyc read the working directory's project files; the copy has none.
        previous = Path.cwd()
        os.chdir(root)
        try:
            setup(
                name="vigil-correlation-native",
                ext_modules=mypycify(
                    # scikit-learn ships no type information; what mypyc needs is ours.
                    ["--ignore-missing-imports"]
                    + [f"{package.name}/{module}.py" for module in COMPILED],
                    group_name=f"{package.name}._native",
                ),
                script_args=[
                    "--quiet",
                    "build_ext",
                    f"--build-lib={output}",
                    f"--build-temp={root / 'temp'}",
                ],
            )
        finally:
            os.chdir(previous)
        built = sorted((output / package.name).glob("*" + EXTENSION))
        shutil.rmtree(directory, ignore_errors=True)
        directory.mkdir(parents=True)
        for module in built:
            shutil.copy2(module, directory / module.name)
    (directory / STAMP).write_text(stamp + "\n")


def main(argv: list[str]) -> int:
    if argv:
        print("usage: python -m correlation.build_native", file=sys.stderr)
        return 2
    if is_fresh():
        print("correlation: compiled modules are up to date", file=sys.stderr)
        return 0
    reason = missing_toolchain()
    if reason is not None:
        # Not an error: everything works as plain Python, only slower.
        print(f"correlation: not compiled, {reason}; it runs as plain Python", file=sys.stderr)
        return 0
    print(f"correlation: compiling {', '.join(COMPILED)} with mypyc (about 20 s)...",
          file=sys.stderr)  # fmt: skip
    build()
    print(f"correlation: compiled into {DIRECTORY}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
