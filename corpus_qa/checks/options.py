"""A check's settings: a frozen dataclass of typed fields with defaults.

A check names its class in ``Options``; the policy's ``options`` table for the check
is validated against it key by key (:func:`parse_option`), so a misspelt key or a
wrong type stops the run at load with one line naming the key, never halfway through
a dump. Supported field types: ``bool``, ``int``, ``float`` (an integer is accepted),
``str``, ``tuple[X, ...]`` of those (a list in the policy), and ``X | None``.
"""

from __future__ import annotations

import dataclasses
import difflib
import json
import types
import typing
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Self

from corpus_qa.errors import ConfigError


@dataclass(frozen=True)
class CheckOptions:
    """No settings: the options of a check that declares none."""

    @classmethod
    def parse(cls, table: Mapping[str, Any], where: str) -> Self:
        """The options from a policy table; ``where`` prefixes any error's key."""
        return cls(**{key: parse_option(cls, key, value, where) for key, value in table.items()})


def option_types(cls: type[CheckOptions]) -> dict[str, Any]:
    """Option name -> its declared type, for each field of ``cls``."""
    hints = typing.get_type_hints(cls)
    return {field.name: hints[field.name] for field in dataclasses.fields(cls)}


def option_defaults(cls: type[CheckOptions]) -> dict[str, Any]:
    """Option name -> its default value."""
    return dataclasses.asdict(cls())


def parse_options(cls: type[CheckOptions], table: Mapping[str, Any], where: str) -> CheckOptions:
    return cls.parse(table, where)


def parse_option(cls: type[CheckOptions], key: str, value: object, where: str) -> Any:
    """``value`` as option ``key`` of ``cls`` wants it (a list becomes a tuple).

    Raises :class:`ConfigError` ``{where}.{key}: ...`` for an unknown key (with the
    closest known one) or a value of the wrong type.
    """
    known = option_types(cls)
    if key not in known:
        close = difflib.get_close_matches(key, list(known), n=1)
        hint = f'; did you mean "{close[0]}"?' if close else ""
        listed = ", ".join(sorted(known)) or "none"
        raise ConfigError(f"{where}.{key}: unknown option (known: {listed}){hint}")
    ok, converted = _convert(known[key], value)
    if not ok:
        raise ConfigError(f"{where}.{key}: expected {describe(known[key])}, got {shown(value)}")
    return converted


def shown(value: object) -> str:
    """A policy value as TOML would spell it: ``"abc"``, ``1.5``, ``true``."""
    try:
        return json.dumps(value, ensure_ascii=False, default=str)
    except (TypeError, ValueError):
        return repr(value)


def _is_union(tp: Any) -> bool:
    return typing.get_origin(tp) in (typing.Union, types.UnionType)


def describe(tp: Any) -> str:
    """A type as an error message names it: ``an integer``, ``a list of strings``."""
    names = {bool: "true or false", int: "an integer", float: "a number", str: "a string"}
    if tp in names:
        return names[tp]
    if _is_union(tp):
        return " or ".join(describe(arg) for arg in typing.get_args(tp) if arg is not type(None))
    if typing.get_origin(tp) in (tuple, list):
        item = typing.get_args(tp)[0]
        plural = {bool: "booleans", int: "integers", float: "numbers", str: "strings"}
        return f"a list of {plural.get(item, describe(item))}"
    return getattr(tp, "__name__", str(tp))


def _convert(tp: Any, value: object) -> tuple[bool, Any]:
    if tp is bool:
        return isinstance(value, bool), value
    if tp is int:
        return isinstance(value, int) and not isinstance(value, bool), value
    if tp is float:
        number = isinstance(value, int | float) and not isinstance(value, bool)
        return number, float(value) if number else value  # type: ignore[arg-type]
    if tp is str:
        return isinstance(value, str), value
    if _is_union(tp):
        if value is None and type(None) in typing.get_args(tp):
            return True, None
        for arg in typing.get_args(tp):
            ok, converted = _convert(arg, value)
            if ok and arg is not type(None):
                return True, converted
        return False, value
    if typing.get_origin(tp) in (tuple, list):
        if not isinstance(value, list | tuple):
            return False, value
        item = typing.get_args(tp)[0]
        converted = [_convert(item, v) for v in value]
        if not all(ok for ok, _ in converted):
            return False, value
        return True, tuple(v for _, v in converted)
    # A type this module does not know: accepted as it is, the check is on its own.
    return True, value
