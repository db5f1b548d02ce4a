"""The effective policy as TOML, each value followed by the file it came from."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

from corpus_qa.gate.policy import KeyPath, Policy

_BARE = re.compile(r"^[A-Za-z0-9_-]+$")


def render(policy: Policy) -> str:
    """``corpus-qa policy show``: the merged policy, loadable as it is (``extends = "none"``)."""
    lines = [
        "# The effective policy: " + ", then ".join(policy.sources) + ".",
        "# After each value, the file it came from.",
        'extends = "none"',
    ]
    data, origin = policy.data, policy.origin
    for key in ("version", "fail_on"):
        if key in data:
            lines.append(_line(key, data[key], origin, (key,)))
    for table in ("template_break", "defaults", "anomaly"):
        if data.get(table):
            lines += ["", f"[{table}]", *_values(data[table], origin, (table,))]
    for check_id, table in data.get("checks", {}).items():
        name = f"checks.{_key(check_id)}"
        lines += ["", f"[{name}]", *_values(table, origin, ("checks", check_id))]
        if table.get("options"):
            options = ("checks", check_id, "options")
            lines += ["", f"[{name}.options]", *_values(table["options"], origin, options)]
    return "\n".join(lines) + "\n"


def _values(table: Mapping[str, Any], origin: Mapping[KeyPath, str], at: KeyPath) -> list[str]:
    return [_line(k, v, origin, (*at, k)) for k, v in table.items() if k != "options"]


def _line(key: str, value: Any, origin: Mapping[KeyPath, str], at: KeyPath) -> str:
    # A nested table (an ``anomaly``'s outlets) has origins per leaf: name the first.
    source = origin.get(at) or next((s for k, s in origin.items() if k[: len(at)] == at), "?")
    return f"{_key(key)} = {toml_value(value)}  # {source}"


def _key(key: str) -> str:
    return key if _BARE.match(key) else json.dumps(key, ensure_ascii=False)


def toml_value(value: Any) -> str:
    """A policy value in TOML (strings as basic strings: JSON's escapes are TOML's)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, list | tuple):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    if isinstance(value, Mapping):
        inner = ", ".join(f"{_key(str(k))} = {toml_value(v)}" for k, v in value.items())
        return "{ " + inner + " }" if inner else "{}"
    raise TypeError(f"no TOML for {type(value).__name__}")
