"""The wheel ships every package and data file the source tree has (a fast guard: the
install tests that build the wheel run only in ``make test-all``)."""

from __future__ import annotations

import fnmatch
import tomllib

from tests.conftest import REPO

SETUPTOOLS = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["tool"][
    "setuptools"
]
PACKAGE = REPO / "corpus_qa"


def test_every_package_folder_is_listed() -> None:
    found = {".".join(init.parent.relative_to(REPO).parts) for init in PACKAGE.rglob("__init__.py")}
    mapped = set(SETUPTOOLS["package-dir"])
    assert found - set(SETUPTOOLS["packages"]) == set()
    assert set(SETUPTOOLS["packages"]) - found - mapped == set()


def test_every_data_file_is_package_data() -> None:
    patterns = SETUPTOOLS["package-data"]
    missed = []
    for path in PACKAGE.rglob("*"):
        if not path.is_file() or path.suffix in (".py", ".pyc", ".so", ".c"):
            continue
        if "__pycache__" in path.parts:
            continue
        shipped = False
        for package, globs in patterns.items():
            root = REPO.joinpath(*package.split("."))
            if root in path.parents and any(
                fnmatch.fnmatch(path.relative_to(root).as_posix(), g) for g in globs
            ):
                shipped = True
        if not shipped:
            missed.append(path.relative_to(REPO).as_posix())
    assert missed == []
