"""Finding the checks: the shipped catalog (``checks/``), users' ``--checks-dir`` folders
and installed packages' plugins (the entry-point group ``corpus_qa.checks``).

Two ways in. :func:`describe_checks` reads check classes with :mod:`ast`, without
importing them (so ``corpus-qa checks`` and ``corpus-qa explain`` start instantly and
never import pandas). :func:`load_checks` imports the modules and returns instances to
run. Both see the same classes: a check's docstring is its one source of truth.

A plugin is an entry point whose value names a module of check classes
(``team-checks = "team_checks.checks"``); its checks are validated as a
``--checks-dir`` module's are, and listed with the distribution they came from.
"""

from __future__ import annotations

import ast
import importlib
import importlib.util
import inspect
import pkgutil
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING

from corpus_qa.checks.guard import running
from corpus_qa.errors import CheckError

if TYPE_CHECKING:
    from importlib.metadata import Distribution

    from corpus_qa.checks.api import Check

#: The entry-point group installed packages declare their check modules in.
ENTRY_POINT_GROUP = "corpus_qa.checks"
BUILTIN = "built-in"
DOC_SECTIONS = ("What it catches", "Why it matters", "Example", "How to fix the scraper")
_CHECK_BASES = {"Check", "GlobalCheck", "ConfirmingGlobalCheck"}


@dataclass(frozen=True)
class OptionInfo:
    """One field of a check's ``Options``, as its source spells it."""

    name: str
    type: str
    default: str
    #: The field's ``#:`` comment.
    doc: str


@dataclass(frozen=True)
class CheckInfo:
    """A check's identity and documentation, read without importing it."""

    id: str
    name: str
    severity: str
    scope: str
    table: str
    module: str
    doc: str
    #: The policy options the check declares (``[checks."ID".options]``).
    options: tuple[OptionInfo, ...] = ()
    #: Where it comes from: ``built-in``, ``--checks-dir DIR`` or ``plugin DIST VERSION``.
    origin: str = BUILTIN

    @property
    def summary(self) -> str:
        return section(self.doc, "What it catches").split("\n\n")[0].replace("\n", " ")


def catalog_dir() -> Path:
    import corpus_qa.checks.builtin as package

    return Path(package.__file__).resolve().parent


@dataclass(frozen=True)
class _Source:
    """A module of checks: its import name, its file and where it comes from."""

    module: str
    path: Path
    origin: str = BUILTIN

    @property
    def installed(self) -> bool:
        """Imported by its own name (the catalog's and plugins' modules)."""
        return self.origin == BUILTIN or self.origin.startswith("plugin ")


def _module_files(checks_dirs: Sequence[Path]) -> list[_Source]:
    files: list[_Source] = []
    for info in sorted(pkgutil.iter_modules([str(catalog_dir())]), key=lambda m: m.name):
        if not info.name.startswith("_"):
            files.append(
                _Source(f"corpus_qa.checks.builtin.{info.name}", catalog_dir() / f"{info.name}.py")
            )
    for folder in checks_dirs:
        if not folder.is_dir():
            raise CheckError(f"{folder}: --checks-dir is not a folder")
        for path in sorted(folder.glob("*.py")):
            if not path.name.startswith("_"):
                files.append(
                    _Source(
                        f"corpus_qa_user_checks.{folder.name}.{path.stem}",
                        path,
                        f"--checks-dir {folder}",
                    )
                )
    return files + _plugins()


def _plugins() -> list[_Source]:
    """The modules installed packages declare in the ``corpus_qa.checks`` group."""
    from importlib.metadata import entry_points

    found = []
    for point in sorted(entry_points(group=ENTRY_POINT_GROUP), key=lambda p: p.value):
        dist = point.dist
        origin = f"plugin {dist.name} {dist.version}" if dist is not None else "plugin"
        where = f"entry point {point.name!r} of {origin}"
        if point.attr:
            raise CheckError(f"{where}: {point.value!r} must name a module, not an object in it")
        found.append(_Source(point.module, _module_path(point.module, dist, where), origin))
    return found


def _module_path(module: str, dist: Distribution | None, where: str) -> Path:
    """A plugin module's file, found without importing it where the distribution
    lists it (an installed wheel); else the import system finds it (an editable one)."""
    relative = module.replace(".", "/")
    if dist is not None:
        for candidate in (f"{relative}.py", f"{relative}/__init__.py"):
            path = Path(str(dist.locate_file(candidate)))
            if path.is_file():
                return path
    try:
        spec = importlib.util.find_spec(module)
    except (ImportError, ValueError) as error:
        raise CheckError(f"{where}: cannot find module {module!r}: {error}") from error
    if spec is None or spec.origin is None or not spec.origin.endswith(".py"):
        raise CheckError(f"{where}: module {module!r} is not installed as Python source")
    return Path(spec.origin)


def _literal(node: ast.expr) -> object:
    try:
        return ast.literal_eval(node)
    except ValueError:
        return None


def _options(node: ast.ClassDef | None, lines: list[str]) -> tuple[OptionInfo, ...]:
    """The annotated fields of an options class, each with its ``#:`` comment."""
    found = []
    for statement in node.body if node is not None else []:
        if isinstance(statement, ast.AnnAssign) and isinstance(statement.target, ast.Name):
            comment: list[str] = []
            at = statement.lineno - 2
            while at >= 0 and lines[at].strip().startswith("#:"):
                comment.insert(0, lines[at].strip()[2:].strip())
                at -= 1
            default = ast.unparse(statement.value) if statement.value is not None else ""
            annotation = ast.unparse(statement.annotation)
            found.append(OptionInfo(statement.target.id, annotation, default, " ".join(comment)))
    return tuple(found)


def _infos_in(source: _Source) -> Iterable[CheckInfo]:
    path = source.path
    try:
        text = path.read_text(encoding="utf-8")
        tree = ast.parse(text, filename=str(path))
    except (OSError, SyntaxError, UnicodeDecodeError) as error:
        raise CheckError(f"{path}: cannot read check module: {error}") from error
    classes = {node.name: node for node in tree.body if isinstance(node, ast.ClassDef)}
    for node in tree.body:
        if not isinstance(node, ast.ClassDef):
            continue
        bases = {b.id if isinstance(b, ast.Name) else getattr(b, "attr", "") for b in node.bases}
        if not bases & _CHECK_BASES:
            continue
        attrs: dict[str, object] = {}
        options = None
        for statement in node.body:
            if isinstance(statement, ast.AnnAssign | ast.Assign):
                targets = (
                    [statement.target]
                    if isinstance(statement, ast.AnnAssign)
                    else statement.targets
                )
                for target in targets:
                    if isinstance(target, ast.Name) and statement.value is not None:
                        attrs[target.id] = _literal(statement.value)
                        if target.id == "Options" and isinstance(statement.value, ast.Name):
                            options = classes.get(statement.value.id)
        if not isinstance(attrs.get("id"), str):
            continue
        yield CheckInfo(
            id=str(attrs["id"]),
            name=str(attrs.get("name", node.name)),
            severity=str(attrs.get("severity", "warning")),
            scope="global"
            if bases & {"GlobalCheck", "ConfirmingGlobalCheck"}
            else str(attrs.get("scope", "record")),
            table=str(attrs.get("table", "articles")),
            module=source.module,
            doc=ast.get_docstring(node) or "",
            options=_options(options, text.splitlines()),
            origin=source.origin,
        )


def describe_checks(checks_dirs: Sequence[Path] = ()) -> list[CheckInfo]:
    """All checks' documentation, sorted by id, without importing any check."""
    infos = [info for source in _module_files(checks_dirs) for info in _infos_in(source)]
    _require_unique((info.id, info.origin) for info in infos)
    return sorted(infos, key=lambda info: info.id)


def _import(source: _Source) -> ModuleType:
    module, path = source.module, source.path
    if source.origin == BUILTIN:
        return importlib.import_module(module)
    if source.installed:
        with running(str(path), "import"):
            return importlib.import_module(module)
    spec = importlib.util.spec_from_file_location(module, path)
    if spec is None or spec.loader is None:
        raise CheckError(f"{path}: cannot import check module")
    loaded = importlib.util.module_from_spec(spec)
    sys.modules[module] = loaded
    with running(str(path), "import"):
        spec.loader.exec_module(loaded)
    return loaded


def load_checks(checks_dirs: Sequence[Path] = ()) -> list[Check]:
    """Instances of every check with its default options, sorted by id."""
    return [cls() for cls in check_classes(checks_dirs)]


def check_classes(checks_dirs: Sequence[Path] = ()) -> list[type[Check]]:
    """Every check class (imported and validated), sorted by id."""
    from corpus_qa.checks.api import Check

    found: list[tuple[type[Check], str]] = []
    for source in _module_files(checks_dirs):
        loaded = _import(source)
        for value in vars(loaded).values():
            if (
                isinstance(value, type)
                and issubclass(value, Check)
                and value.__module__ == loaded.__name__
                and isinstance(getattr(value, "id", None), str)
            ):
                _validate(value, source.path)
                found.append((value, source.origin))
    _require_unique((check.id, origin) for check, origin in found)
    return sorted((check for check, _ in found), key=lambda check: check.id)


def _validate(cls: type[Check], path: Path) -> None:
    from corpus_qa.checks.options import CheckOptions

    doc = inspect.cleandoc(cls.__doc__ or "")
    missing = [name for name in DOC_SECTIONS if not section(doc, name)]
    if missing:
        raise CheckError(f"{path}: check {cls.id} lacks doc sections: {', '.join(missing)}")
    if cls.severity not in ("error", "warning", "info"):
        raise CheckError(f"{path}: check {cls.id} has unknown severity {cls.severity!r}")
    # Its own decorator: a plain subclass would inherit the base's (empty) fields.
    params = vars(cls.Options).get("__dataclass_params__")
    if not (issubclass(cls.Options, CheckOptions) and params is not None and params.frozen):
        raise CheckError(f"{path}: check {cls.id}: Options must be a frozen dataclass")


def _require_unique(ids: Iterable[tuple[str, str]]) -> None:
    seen: dict[str, str] = {}
    for check_id, origin in ids:
        if check_id in seen:
            where = f"{seen[check_id]} and {origin}" if seen[check_id] != origin else origin
            raise CheckError(f"two checks share the id {check_id!r} ({where}); ids must be unique")
        seen[check_id] = origin


def section(doc: str, title: str) -> str:
    """The text under one heading of a check's docstring (a title underlined with dashes)."""
    lines = doc.splitlines()
    out: list[str] = []
    inside = False
    skip_underline = False
    for index, line in enumerate(lines):
        if skip_underline:
            skip_underline = False
            continue
        underlined = index + 1 < len(lines) and lines[index + 1].strip().startswith("---")
        if line.strip() in DOC_SECTIONS and underlined:
            inside = line.strip() == title
            skip_underline = True
            continue
        if inside:
            out.append(line)
    return "\n".join(out).strip()
