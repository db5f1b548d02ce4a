"""Configuration files: ``[tool.corpus-qa]`` in pyproject.toml, or a corpus-qa.toml.

Found like Ruff's: from the current folder upwards, the first folder holding a
``corpus-qa.toml``, or a ``pyproject.toml`` with a ``[tool.corpus-qa]`` table, wins
(corpus-qa.toml first within one folder). ``--config FILE`` names one; ``--isolated``
reads none. Keys are the long options of ``corpus-qa check`` without the dashes
(``fail-on = "warning"``); flags beat the file, the file beats the defaults. Paths in
the file are relative to its folder. The policy may live there too, as a
``[tool.corpus-qa.policy]`` table (``[policy]`` in corpus-qa.toml) or ``policy = "path"``.
"""

from __future__ import annotations

import argparse
import difflib
import json
import re
import tomllib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from corpus_qa.errors import ConfigError

CONFIG_NAME = "corpus-qa.toml"
PYPROJECT = "pyproject.toml"
#: Files whose ``policy`` table is a policy (see :func:`policy_table`).
CONFIG_FILE_NAMES = (CONFIG_NAME, PYPROJECT)
#: Options of ``check`` that say which configuration to read: never keys in it.
_NOT_KEYS = frozenset({"config", "isolated", "help"})


@dataclass(frozen=True)
class ConfigFile:
    """One configuration file and its corpus-qa table."""

    path: Path
    table: Mapping[str, Any]
    text: str

    @property
    def label(self) -> str:
        return f"{self.path} [tool.corpus-qa]" if self.path.name == PYPROJECT else str(self.path)


def discover(start: Path) -> ConfigFile | None:
    """The configuration that applies in ``start``: searched from there upwards."""
    for folder in (start.resolve(), *start.resolve().parents):
        own = folder / CONFIG_NAME
        if own.is_file():
            return read(own)
        pyproject = folder / PYPROJECT
        if pyproject.is_file():
            found = _read(pyproject, required=False)
            if found is not None:
                return found
    return None


def read(path: Path) -> ConfigFile:
    """``--config FILE``: a corpus-qa.toml-style file, or a pyproject.toml."""
    found = _read(path, required=True)
    assert found is not None
    return found


def read_if_any(path: Path) -> ConfigFile | None:
    """A configuration file's table; ``None`` for a pyproject.toml without one."""
    return _read(path, required=False)


def _read(path: Path, *, required: bool) -> ConfigFile | None:
    try:
        text = path.read_text(encoding="utf-8")
        data = tomllib.loads(text)
    except OSError as error:
        raise ConfigError(f"{path}: cannot read configuration: {error.strerror}") from error
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise ConfigError(f"{path}: invalid configuration: {error}") from error
    if path.name != PYPROJECT:
        return ConfigFile(path, data, text)
    table = data.get("tool", {}).get("corpus-qa")
    if table is None:
        if required:
            raise ConfigError(f"{path}: no [tool.corpus-qa] table")
        return None
    if not isinstance(table, dict):
        raise ConfigError(f"{path}: tool.corpus-qa must be a table")
    return ConfigFile(path, table, text)


def policy_table(path: Path, data: Mapping[str, Any]) -> dict[str, Any]:
    """The policy held in a configuration file's ``policy`` table."""
    table = data.get("tool", {}).get("corpus-qa", {}) if path.name == PYPROJECT else data
    policy = table.get("policy") if isinstance(table, dict) else None
    if not isinstance(policy, dict):
        where = "[tool.corpus-qa.policy]" if path.name == PYPROJECT else "[policy]"
        raise ConfigError(f"{path}: no {where} table to read the policy from")
    return policy


def option_keys(parser: argparse.ArgumentParser) -> dict[str, argparse.Action]:
    """Configuration key -> the option it sets: every long option but a few."""
    keys = {}
    for action in parser._actions:
        longs = [s for s in action.option_strings if s.startswith("--")]
        if longs and action.dest not in _NOT_KEYS:
            keys[longs[0][2:]] = action
    return keys


def values(parser: argparse.ArgumentParser, config: ConfigFile) -> dict[str, Any]:
    """The file's values as ``dest -> value``, converted like the flags they mirror."""
    keys = option_keys(parser)
    converted: dict[str, Any] = {}
    for key, raw in config.table.items():
        action = keys.get(key)
        if action is None:
            hint = did_you_mean(key, keys) or f"known: {', '.join(sorted(keys))}"
            raise ConfigError(f"{_where(config, key)}: unknown key {key!r}; {hint}")
        try:
            converted[action.dest] = _convert(config, key, action, raw)
        except (argparse.ArgumentTypeError, ValueError, TypeError) as error:
            raise ConfigError(f"{_where(config, key)}: {key}: {error}") from error
    return converted


def _convert(config: ConfigFile, key: str, action: argparse.Action, raw: Any) -> Any:
    if key == "policy" and isinstance(raw, dict):
        # The policy is the table itself: the policy loader reads it from this file.
        return config.path
    if action.nargs == 0:  # store_true
        if not isinstance(raw, bool):
            raise TypeError(f"expected true or false, got {json.dumps(raw, default=str)}")
        return raw
    if isinstance(action, argparse._AppendAction):
        if isinstance(raw, dict):  # field = {body = "maintext"}
            raw = [f"{target}={name}" for target, name in raw.items()]
        items = raw if isinstance(raw, list) else [raw]
        return [_scalar(config, action, item) for item in items]
    return _scalar(config, action, raw)


def _scalar(config: ConfigFile, action: argparse.Action, raw: Any) -> Any:
    if isinstance(raw, datetime | date):
        raw = raw.isoformat()  # TOML's own date-times, read as the flag would be
    if isinstance(raw, bool) or not isinstance(raw, str | int | float):
        raise TypeError(f"expected a string or a number, got {json.dumps(raw, default=str)}")
    text = str(raw)
    if action.type is Path:
        return config.path.parent / text
    value = action.type(text) if callable(action.type) else text
    if action.choices is not None and value not in action.choices:
        choices = ", ".join(repr(c) for c in action.choices)
        raise ValueError(f"invalid choice {value!r} (choose from {choices})")
    return value


def _where(config: ConfigFile, key: str) -> str:
    """``FILE:LINE`` of the key where it can be found in the text, else ``FILE``."""
    pattern = re.compile(rf"^\s*(?:{re.escape(key)}|\"{re.escape(key)}\")\s*=", re.MULTILINE)
    found = pattern.search(config.text)
    if found is None:
        return str(config.path)
    return f"{config.path}:{config.text.count(chr(10), 0, found.start()) + 1}"


def did_you_mean(given: str, known: Iterable[str]) -> str:
    """``did you mean 'x'?`` for the known names closest to ``given``, or ``""``."""
    close = difflib.get_close_matches(given, list(known), n=3, cutoff=0.6)
    if not close:
        return ""
    # Only the near-best: one typo away from one id is far from every sibling id.
    best = difflib.SequenceMatcher(None, given, close[0]).ratio()
    close = [c for c in close if difflib.SequenceMatcher(None, given, c).ratio() >= best - 0.1]
    return "did you mean " + " or ".join(repr(name) for name in close) + "?"


def given_on_command_line(action: argparse.Action, argv: Sequence[str]) -> bool:
    """Whether ``argv`` sets ``action`` (options are never abbreviated)."""
    return any(
        arg == option or arg.startswith(f"{option}=")
        for arg in argv
        for option in action.option_strings
    )


def toml_value(value: Any) -> str:
    """``value`` as TOML (paths and times as strings)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, list | tuple):
        return "[" + ", ".join(toml_value(item) for item in value) + "]"
    if isinstance(value, datetime):
        return json.dumps(value.isoformat())
    return json.dumps(str(value), ensure_ascii=False)
