"""The gate's policy: per check its severity, allowed rate or count, exemptions, options.

Policies are TOML or YAML (parsed with ``yaml.safe_load``: no code runs from a policy).
A user's policy *extends* the shipped default (``extends = "default"``, implied) unless
it says ``extends = "none"``: the two are merged table by table and key by key, so a
file that restates one check's ``max_rate`` keeps everything else of the default. An
``exempt`` table is one value: restating it replaces the default's.

Keys under ``[checks]`` are check ids or glob patterns (``"schema.*"``); an exact id
wins over a pattern, and ``[defaults]`` covers checks the policy does not name (a
user's own checks, say). Every layer is validated on its own before the merge, so an
error names the file it is in: an unknown check id or key (with the closest known
one), a value of the wrong type, a check option its ``Options`` class does not declare
(:mod:`corpus_qa.checks.options`).
"""

from __future__ import annotations

import difflib
import fnmatch
import hashlib
import json
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeGuard

from corpus_qa.checks.framework import framework_ids, framework_patterns
from corpus_qa.checks.options import CheckOptions, parse_option, shown
from corpus_qa.config import CONFIG_FILE_NAMES, policy_table
from corpus_qa.errors import ConfigError
from corpus_qa.gate.anomaly_policy import AnomalyPolicy, anomaly_policy, validate_rule

if TYPE_CHECKING:
    from corpus_qa.checks.api import Check

FAIL_ON = ("error", "warning")
SEVERITIES = ("error", "warning", "info")
EXTENDS = ("default", "none")
_CHECK_KEYS = (
    "severity",
    "max_rate",
    "max_count",
    "max_increase",
    "exempt",
    "options",
    "enabled",
    "time_budget",
    "anomaly",
)
_TOP_KEYS = (
    "version",
    "extends",
    "fail_on",
    "defaults",
    "checks",
    "template_break",
    "accept_incomplete_input",
    "anomaly",
)
#: Findings ``accept_incomplete_input`` may name (see gate.verdict.INCOMPLETE_INPUT).
_INCOMPLETE = ("input.truncated", "input.unreadable", "input.changed")
_BREAK_KEYS = ("from_max", "to_min", "min_articles")
#: The largest time budget: a day (a timer of more would be no budget).
_DAY = 86_400
#: A dotted key of the merged policy, e.g. ``("checks", "byline.missing", "max_rate")``.
KeyPath = tuple[str, ...]


@dataclass(frozen=True)
class CheckPolicy:
    """What the policy says of one check."""

    severity: str | None = None
    max_rate: float | None = None
    max_count: int | None = None
    #: Column -> values: records whose column holds one of the values are exempt.
    exempt: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    #: The check's typed options (its ``Options``); ``None``: the check's defaults.
    options: CheckOptions | None = None
    enabled: bool = True
    #: Percentage points the check's rate may rise against a baseline (``--baseline``).
    max_increase: float | None = None
    #: Seconds one stage of the check (a chunk's run, a finalize) may take before it
    #: fails the run; ``None``: the ``[defaults]`` one.
    time_budget: float | None = None


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
    #: The files merged into this policy, in order (the default first when extended).
    sources: tuple[str, ...] = ()
    #: The merged tables as the files spell them (``corpus-qa policy show``).
    data: Mapping[str, Any] = field(default_factory=dict)
    #: Per dotted key of ``data``, the file its value came from.
    origin: Mapping[KeyPath, str] = field(default_factory=dict)
    #: Lost-input findings the gate may pass on (reports print each one accepted).
    accept_incomplete_input: tuple[str, ...] = ()
    #: Anomaly strategies against the metrics history (``--history``; docs/history.md).
    anomaly: AnomalyPolicy = field(default_factory=AnomalyPolicy)

    def for_check(self, check_id: str) -> CheckPolicy:
        if check_id in self.checks:
            return self.checks[check_id]
        patterns = [key for key in self.checks if _is_pattern(key)]
        for pattern in sorted(patterns, key=len, reverse=True):
            if fnmatch.fnmatchcase(check_id, pattern):
                return self.checks[pattern]
        return self.defaults

    def time_budget(self, check_id: str) -> float | None:
        """Seconds one stage of ``check_id`` may take: its own budget, else the default."""
        budget = self.for_check(check_id).time_budget
        return self.defaults.time_budget if budget is None else budget


def default_policy_path() -> Path:
    import corpus_qa.checks.builtin as catalog

    return Path(catalog.__file__).resolve().parent / "policy.toml"


def load_policy(
    path: Path | None = None,
    *,
    catalog: Sequence[type[Check]] | None = None,
    checks_dirs: Sequence[Path] = (),
) -> Policy:
    """Read, layer and validate a policy; the shipped default when ``path`` is None.

    ``catalog``: the check classes whose ids and options the policy may name (default:
    the shipped checks plus those in ``checks_dirs``).
    """
    if catalog is None:
        from corpus_qa.checks.catalog import check_classes

        catalog = check_classes(checks_dirs)
    options = {cls.id: cls.Options for cls in catalog}
    default = default_policy_path()
    if path is None:
        chain = [(default, *_read(default))]
    else:
        chain = [(path, *_read(path))]
        standalone = _extends(path, chain[0][2]) == "none"
        if not standalone and path.resolve() != default.resolve():
            chain.insert(0, (default, *_read(default)))
    merged: dict[str, Any] = {}
    origin: dict[KeyPath, str] = {}
    digests = []
    for layer, raw, data in chain:
        digests.append(hashlib.sha256(raw).hexdigest())
        _merge(merged, _validated(layer, data, options), origin, str(layer), ())
    sha256 = (
        digests[0] if len(digests) == 1 else hashlib.sha256("".join(digests).encode()).hexdigest()
    )
    where = str(chain[-1][0])
    defaults = merged.get("defaults", {})
    return Policy(
        path=where,
        sha256=sha256,
        fail_on=merged.get("fail_on", "error"),
        defaults=_check_policy(defaults, None),
        checks={
            key: _check_policy(table, options.get(key))
            for key, table in merged.get("checks", {}).items()
        },
        template_break=_template_break(where, merged.get("template_break")),
        sources=tuple(str(layer) for layer, _, _ in chain),
        data=merged,
        origin=origin,
        accept_incomplete_input=tuple(merged.get("accept_incomplete_input", ())),
        anomaly=anomaly_policy(merged),
    )


def _read(path: Path) -> tuple[bytes, dict[str, Any]]:
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise ConfigError(f"{path}: cannot read policy: {error.strerror}") from error
    errors: tuple[type[Exception], ...] = (UnicodeDecodeError, tomllib.TOMLDecodeError)
    try:
        text = raw.decode("utf-8")
        if path.suffix.lower() in (".yaml", ".yml"):
            # PyYAML loads only for a YAML policy (the shipped one is TOML).
            import yaml

            errors = (*errors, yaml.YAMLError)
            data = yaml.safe_load(text)
        else:
            data = tomllib.loads(text)
    except errors as error:
        first_line = str(error).splitlines()[0] if str(error) else type(error).__name__
        raise ConfigError(f"{path}: invalid policy: {first_line}") from error
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: a policy must be a table of keys")
    if path.name in CONFIG_FILE_NAMES:
        # A configuration file's policy table; hashed alone, not with the other settings.
        data = policy_table(path, data)
        raw = json.dumps(data, sort_keys=True, default=str).encode()
    return raw, data


def _extends(path: Path, data: Mapping[str, Any]) -> str:
    extends = data.get("extends", "default")
    if extends not in EXTENDS:
        raise ConfigError(f'{path}: extends: expected "default" or "none", got {shown(extends)}')
    return str(extends)


def _merge(
    into: dict[str, Any],
    layer: Mapping[str, Any],
    origin: dict[KeyPath, str],
    source: str,
    at: KeyPath,
) -> None:
    """Merge ``layer`` into ``into`` key by key (tables recursively; ``exempt`` whole)."""
    for key, value in layer.items():
        here = (*at, key)
        if isinstance(value, dict) and key != "exempt":
            into.setdefault(key, {})
            _merge(into[key], value, origin, source, here)
        else:
            into[key] = value
            origin[here] = source


def _unknown(where: str, key: str, known: Sequence[str], what: str = "unknown key") -> ConfigError:
    close = difflib.get_close_matches(key, list(known), n=1)
    hint = f'; did you mean "{close[0]}"?' if close else ""
    return ConfigError(f"{where}: {what}{hint}")


def _quoted(check_id: str) -> str:
    return f'checks."{check_id}"'


def _validated(
    path: Path, data: Mapping[str, Any], options: Mapping[str, type[CheckOptions]]
) -> dict[str, Any]:
    """One layer's keys, each checked on its own; lists of options become tuples."""
    for key in data:
        if key not in _TOP_KEYS:
            raise _unknown(f"{path}: {key}", str(key), _TOP_KEYS)
    out: dict[str, Any] = {key: data[key] for key in ("version",) if key in data}
    version = data.get("version", 1)
    if not (isinstance(version, int) and not isinstance(version, bool) and version == 1):
        raise ConfigError(f"{path}: version: expected 1, got {shown(version)}")
    if "fail_on" in data:
        if data["fail_on"] not in FAIL_ON:
            raise ConfigError(
                f"{path}: fail_on: expected one of {', '.join(FAIL_ON)}, got {shown(data['fail_on'])}"
            )
        out["fail_on"] = data["fail_on"]
    if "defaults" in data:
        out["defaults"] = _check_table(path, "defaults", _table(data["defaults"]), None)
    if "template_break" in data:
        out["template_break"] = _break_table(path, data["template_break"])
    if "accept_incomplete_input" in data:
        accepted = data["accept_incomplete_input"]
        if not isinstance(accepted, list) or not all(v in _INCOMPLETE for v in accepted):
            raise ConfigError(
                f"{path}: accept_incomplete_input: expected a list of "
                f"{', '.join(_INCOMPLETE)}, got {shown(accepted)}"
            )
        out["accept_incomplete_input"] = list(accepted)
    if "anomaly" in data:
        out["anomaly"] = validate_rule(path, "anomaly", data["anomaly"], top=True)
    checks = _table(data.get("checks"))
    if not isinstance(checks, dict):
        raise ConfigError(f"{path}: checks: must be a table")
    known = sorted({*options, *framework_ids()})
    validated = {}
    for key, table in checks.items():
        key = str(key)
        if not _known_id(key, known):
            suggestions = [*known, *framework_patterns()]
            raise _unknown(f"{path}: {_quoted(key)}", key, suggestions, "no such check")
        cls = options.get(key, CheckOptions if key in framework_ids() else None)
        validated[key] = _check_table(path, _quoted(key), table, cls)
    if validated or "checks" in data:
        out["checks"] = validated
    return out


def _table(value: object) -> object:
    """A table as given; ``None`` (YAML's empty ``checks:``) is an empty table."""
    return {} if value is None else value


def _is_pattern(key: str) -> bool:
    return any(c in key for c in "*?[")


def _known_id(key: str, known: Sequence[str]) -> bool:
    """A check id the policy may name: a check's, a framework finding's, or a pattern
    matching one of those (``schema.*`` findings are named after the contract)."""
    if key in known or key.startswith("schema."):
        return True
    if _is_pattern(key):
        return key in framework_patterns() or any(fnmatch.fnmatchcase(k, key) for k in known)
    return False


def _is_number(value: object) -> TypeGuard[int | float]:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _check_table(
    path: Path, name: str, value: object, options: type[CheckOptions] | None
) -> dict[str, Any]:
    """Validate one check's table (or ``[defaults]``) key by key."""
    where = f"{path}: {name}"
    if not isinstance(value, dict):
        raise ConfigError(f"{where}: must be a table")
    for key in value:
        if key not in _CHECK_KEYS:
            raise _unknown(f"{where}.{key}", str(key), _CHECK_KEYS)
    out = dict(value)
    severity = value.get("severity")
    if "severity" in value and severity not in SEVERITIES:
        raise ConfigError(
            f"{where}.severity: expected error, warning or info, got {shown(severity)}"
        )
    max_rate = value.get("max_rate")
    if "max_rate" in value and not (_is_number(max_rate) and 0 <= max_rate <= 1):
        raise ConfigError(f"{where}.max_rate: expected a number from 0 to 1, got {shown(max_rate)}")
    max_count = value.get("max_count")
    if "max_count" in value and not (
        isinstance(max_count, int) and not isinstance(max_count, bool) and max_count >= 0
    ):
        raise ConfigError(
            f"{where}.max_count: expected a whole number >= 0, got {shown(max_count)}"
        )
    max_increase = value.get("max_increase")
    if "max_increase" in value and not (_is_number(max_increase) and 0 <= max_increase <= 100):
        raise ConfigError(
            f"{where}.max_increase: expected percentage points from 0 to 100, "
            f"got {shown(max_increase)}"
        )
    time_budget = value.get("time_budget")
    if "time_budget" in value and not (_is_number(time_budget) and 0 < time_budget <= _DAY):
        raise ConfigError(
            f"{where}.time_budget: expected seconds above 0 and at most {_DAY}, "
            f"got {shown(time_budget)}"
        )
    exempt = value.get("exempt", {})
    if not isinstance(exempt, dict) or not all(
        isinstance(v, list) and all(isinstance(x, str) for x in v) for v in exempt.values()
    ):
        raise ConfigError(
            f"{where}.exempt: expected a table of column = [values], got {shown(exempt)}"
        )
    if "enabled" in value and not isinstance(value["enabled"], bool):
        raise ConfigError(f"{where}.enabled: expected true or false, got {shown(value['enabled'])}")
    if "anomaly" in value:
        if options is None and name == "defaults":
            raise ConfigError(f"{where}.anomaly: anomaly defaults go in the top-level [anomaly]")
        out["anomaly"] = validate_rule(path, f"{name}.anomaly", value["anomaly"])
    if "options" in value:
        table = value["options"]
        if not isinstance(table, dict):
            raise ConfigError(f"{where}.options: expected a table, got {shown(table)}")
        if options is None:
            raise ConfigError(f"{where}.options: options belong to one check: name it exactly")
        out["options"] = {
            key: parse_option(options, str(key), item, f"{where}.options")
            for key, item in table.items()
        }
    return out


def _break_table(path: Path, value: object) -> dict[str, Any]:
    where = f"{path}: template_break"
    if not isinstance(value, dict):
        raise ConfigError(f"{where}: must be a table")
    for key in value:
        if key not in _BREAK_KEYS:
            raise _unknown(f"{where}.{key}", str(key), _BREAK_KEYS)
    for name in ("from_max", "to_min"):
        if name in value and not (_is_number(value[name]) and 0 <= value[name] <= 1):
            raise ConfigError(
                f"{where}.{name}: expected a number from 0 to 1, got {shown(value[name])}"
            )
    min_articles = value.get("min_articles", 1)
    if (
        not (isinstance(min_articles, int) and not isinstance(min_articles, bool))
        or min_articles < 1
    ):
        raise ConfigError(
            f"{where}.min_articles: expected a whole number >= 1, got {shown(min_articles)}"
        )
    return dict(value)


def _template_break(where: str, value: Mapping[str, Any] | None) -> TemplateBreak | None:
    if value is None:
        return None
    missing = [key for key in _BREAK_KEYS if key not in value]
    if missing:
        raise ConfigError(f"{where}: template_break: missing {', '.join(missing)}")
    if value["from_max"] >= value["to_min"]:
        raise ConfigError(f"{where}: template_break: from_max must be below to_min")
    return TemplateBreak(float(value["from_max"]), float(value["to_min"]), value["min_articles"])


def _check_policy(table: Mapping[str, Any], options: type[CheckOptions] | None) -> CheckPolicy:
    max_rate, max_increase = table.get("max_rate"), table.get("max_increase")
    time_budget = table.get("time_budget")
    return CheckPolicy(
        severity=table.get("severity"),
        max_rate=float(max_rate) if max_rate is not None else None,
        max_count=table.get("max_count"),
        exempt={column: tuple(values) for column, values in table.get("exempt", {}).items()},
        options=options(**table.get("options", {})) if options is not None else None,
        enabled=table.get("enabled", True),
        max_increase=float(max_increase) if max_increase is not None else None,
        time_budget=float(time_budget) if time_budget is not None else None,
    )
