"""Users' own contracts for ``check --schema``: Pandera YAML/JSON or a Python file.

YAML that names corpus-qa's frame-wide rules loads once they are registered, which
``import corpus_qa.schemas.registered`` does (see ``schemas/registered.py``).
"""

from __future__ import annotations

import importlib.util
import inspect
import sys
from pathlib import Path

import pandera.pandas as pa

from corpus_qa.errors import ConfigError


def load_schema(path: Path) -> pa.DataFrameSchema:
    """A Pandera contract of the articles table from YAML or from a Python file.

    A Python file must define exactly one ``DataFrameSchema`` or ``DataFrameModel``
    (models imported from elsewhere do not count), or a name ``schema``/``articles``
    for the one to use.
    """
    if not path.is_file():
        raise ConfigError(f"{path}: schema file not found")
    if path.suffix.lower() in (".yaml", ".yml", ".json"):
        return _from_serialized(path)
    if path.suffix.lower() == ".py":
        return _from_python(path)
    raise ConfigError(f"{path}: a schema is a Pandera YAML (.yaml) or a Python file (.py)")


def _from_serialized(path: Path) -> pa.DataFrameSchema:
    import corpus_qa.schemas.registered  # noqa: F401  (the checks the YAML names)

    try:
        if path.suffix.lower() == ".json":
            return pa.DataFrameSchema.from_json(path)
        return pa.DataFrameSchema.from_yaml(path)
    except Exception as error:  # pandera raises many types for a bad file
        first = str(error).splitlines()[0] if str(error) else type(error).__name__
        raise ConfigError(f"{path}: not a Pandera schema: {first}") from error


def _from_python(path: Path) -> pa.DataFrameSchema:
    name = f"corpus_qa_user_schema_{abs(hash(path.resolve()))}"
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:
        raise ConfigError(f"{path}: cannot import")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # DataFrameModel resolves its annotations via sys.modules
    try:
        spec.loader.exec_module(module)
    except Exception as error:
        raise ConfigError(f"{path}: cannot import: {type(error).__name__}: {error}") from error
    found: dict[str, pa.DataFrameSchema] = {}
    for attribute, value in vars(module).items():
        if isinstance(value, pa.DataFrameSchema):
            found[attribute] = value
        elif (
            inspect.isclass(value)
            and issubclass(value, pa.DataFrameModel)
            and value is not pa.DataFrameModel
            and value.__module__ == name
        ):
            found[attribute] = value.to_schema()
    for preferred in ("schema", "articles", "ArticlesSchema"):
        if preferred in found:
            return found[preferred]
    if len(found) != 1:
        names = ", ".join(sorted(found)) or "none"
        raise ConfigError(
            f"{path}: define exactly one DataFrameSchema or DataFrameModel, or name it "
            f"`schema` (found: {names})"
        )
    return next(iter(found.values()))
