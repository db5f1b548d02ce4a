"""The gate's policy: per check its severity, allowed rate or count, exemptions, options.

Policies are TOML or YAML (parsed with ``yaml.safe_load``: no code runs from a policy).
Keys under ``[checks]`` are check ids or glob patterns (``"schema.*"``); an exact id
wins over a pattern, and ``[defaults]`` covers checks the policy does not name (a
user's own checks, say).
"""

from __future__ import annotations

import fnmatch
import hashlib
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeGuard

import yaml

from corpus_qa.errors import ConfigError

FAIL_ON = ("error", "warning")
_CHECK_KEYS = {"severity", "max_rate", "max_count", "max_increase", "exempt", "options", "enabled"}
_TOP_KEYS = {
    "version",
    "fail_on",
    "defaults",
    "checks",
    "template_break",
    "accept_incomplete_input",
}
#: Findings ``accept_incomplete_input`` may name (see gate.verdict.INCOMPLETE_INPUT).
_INCOMPLETE = ("input.truncated", "input.unreadable", "input.changed")
_BREAK_KEYS = {"from_max", "to_min", "min_articles"}


@dataclass(frozen=True)
class CheckPolicy:
    """What the policy says of one check."""

    severity: str | None = None
    max_rate: float | None = None
    max_count: int | None = None
    #: Column -> values: records whose column holds one of the values are exempt.
    exempt: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    options: Mapping[str, Any] = field(default_factory=dict)
    enabled: bool = True
    #: Percentage points the check's rate may rise against a baseline (``--baseline``).
    max_increase: float | None = None


@dataclass(frozen=True)
class TemplateBreak:
    """An outlet whose rate of a check jumps from <= ``from_max`` to >= ``to_min``.

    A scraper template change shows as exactly this: one outlet, one check, from
    almost never to almost always. ``min_articles`` keeps tiny outlets from tripping it.
    """

    from_max: float
    to_min: float
    min_articles: int


@dataclass(frozen=True)
class Policy:
    path: str
    sha256: str
    fail_on: str
    defaults: CheckPolicy
    checks: Mapping[str, CheckPolicy]
    #: The template-break rule against a baseline; None when the policy has none.
    template_break: TemplateBreak | None = None
    #: Lost-input findings the gate may pass on (reports print each one accepted).
    accept_incomplete_input: tuple[str, ...] = ()

    def for_check(self, check_id: str) -> CheckPolicy:
        if check_id in self.checks:
            return self.checks[check_id]
        patterns = [key for key in self.checks if any(c in key for c in "*?[")]
        for pattern in sorted(patterns, key=len, reverse=True):
            if fnmatch.fnmatchcase(check_id, pattern):
                return self.checks[pattern]
        return self.defaults


def default_policy_path() -> Path:
    import corpus_qa.checks.builtin as catalog

    return Path(catalog.__file__).resolve().parent / "policy.toml"


def load_policy(path: Path | None = None) -> Policy:
    """Read and validate a policy file; the shipped default when ``path`` is None."""
    path = path or default_policy_path()
    try:
        raw_bytes = path.read_bytes()
    except OSError as error:
        raise ConfigError(f"{path}: cannot read policy: {error.strerror}") from error
    try:
        text = raw_bytes.decode("utf-8")
        data = (
            yaml.safe_load(text)
            if path.suffix.lower() in (".yaml", ".yml")
            else tomllib.loads(text)
        )
    except (UnicodeDecodeError, tomllib.TOMLDecodeError, yaml.YAMLError) as error:
        first_line = str(error).splitlines()[0] if str(error) else type(error).__name__
        raise ConfigError(f"{path}: invalid policy: {first_line}") from error
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: a policy must be a table of keys")
    unknown = set(data) - _TOP_KEYS
    if unknown:
        raise ConfigError(f"{path}: unknown policy keys: {', '.join(sorted(unknown))}")
    fail_on = data.get("fail_on", "error")
    if fail_on not in FAIL_ON:
        raise ConfigError(f"{path}: fail_on must be one of {', '.join(FAIL_ON)}")
    checks = data.get("checks", {}) or {}
    if not isinstance(checks, dict):
        raise ConfigError(f"{path}: [checks] must be a table")
    return Policy(
        path=str(path),
        sha256=hashlib.sha256(raw_bytes).hexdigest(),
        fail_on=fail_on,
        defaults=_check_policy(path, "defaults", data.get("defaults", {}) or {}),
        checks={key: _check_policy(path, key, value) for key, value in checks.items()},
        template_break=_template_break(path, data.get("template_break")),
        accept_incomplete_input=_accepted(path, data.get("accept_incomplete_input", [])),
    )


def _accepted(path: Path, value: object) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(v in _INCOMPLETE for v in value):
        raise ConfigError(
            f"{path}: accept_incomplete_input must be a list of: {', '.join(_INCOMPLETE)}"
        )
    return tuple(value)


def _is_number(value: object) -> TypeGuard[int | float]:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _template_break(path: Path, value: object) -> TemplateBreak | None:
    if value is None:
        return None
    where = f"{path}: [template_break]"
    if not isinstance(value, dict):
        raise ConfigError(f"{where} must be a table")
    unknown = set(value) - _BREAK_KEYS
    missing = _BREAK_KEYS - set(value)
    if unknown:
        raise ConfigError(f"{where}: unknown keys: {', '.join(sorted(unknown))}")
    if missing:
        raise ConfigError(f"{where}: missing keys: {', '.join(sorted(missing))}")
    from_max, to_min, min_articles = value["from_max"], value["to_min"], value["min_articles"]
    for name, rate in (("from_max", from_max), ("to_min", to_min)):
        if not (_is_number(rate) and 0 <= rate <= 1):
            raise ConfigError(f"{where}: {name} must be a number from 0 to 1")
    if from_max >= to_min:
        raise ConfigError(f"{where}: from_max must be below to_min")
    if not (isinstance(min_articles, int) and not isinstance(min_articles, bool)):
        raise ConfigError(f"{where}: min_articles must be a whole number >= 1")
    if min_articles < 1:
        raise ConfigError(f"{where}: min_articles must be a whole number >= 1")
    return TemplateBreak(float(from_max), float(to_min), min_articles)


def _check_policy(path: Path, key: str, value: object) -> CheckPolicy:
    where = f"{path}: [checks.{key!r}]" if key != "defaults" else f"{path}: [defaults]"
    if not isinstance(value, dict):
        raise ConfigError(f"{where} must be a table")
    unknown = set(value) - _CHECK_KEYS
    if unknown:
        raise ConfigError(f"{where}: unknown keys: {', '.join(sorted(unknown))}")
    severity = value.get("severity")
    if severity is not None and severity not in ("error", "warning", "info"):
        raise ConfigError(f"{where}: severity must be error, warning or info")
    max_rate = value.get("max_rate")
    if max_rate is not None and not (
        isinstance(max_rate, int | float) and not isinstance(max_rate, bool) and 0 <= max_rate <= 1
    ):
        raise ConfigError(f"{where}: max_rate must be a number from 0 to 1")
    max_count = value.get("max_count")
    if max_count is not None and not (
        isinstance(max_count, int) and not isinstance(max_count, bool) and max_count >= 0
    ):
        raise ConfigError(f"{where}: max_count must be a whole number >= 0")
    max_increase = value.get("max_increase")
    if max_increase is not None and not (_is_number(max_increase) and 0 <= max_increase <= 100):
        raise ConfigError(f"{where}: max_increase must be percentage points from 0 to 100")
    exempt = value.get("exempt", {}) or {}
    if not isinstance(exempt, dict) or not all(
        isinstance(v, list) and all(isinstance(x, str) for x in v) for v in exempt.values()
    ):
        raise ConfigError(f"{where}: exempt must map a column to a list of strings")
    options = value.get("options", {}) or {}
    if not isinstance(options, dict):
        raise ConfigError(f"{where}: options must be a table")
    enabled = value.get("enabled", True)
    if not isinstance(enabled, bool):
        raise ConfigError(f"{where}: enabled must be true or false")
    return CheckPolicy(
        severity=severity,
        max_rate=float(max_rate) if max_rate is not None else None,
        max_count=max_count,
        exempt={column: tuple(values) for column, values in exempt.items()},
        options=options,
        enabled=enabled,
        max_increase=float(max_increase) if max_increase is not None else None,
    )
