"""The policy's anomaly strategies: how a run's metrics may move against the history.

One table shape everywhere: top-level ``[anomaly]`` (defaults for every metric),
``[anomaly.metrics."fill.byline"]`` (one history metric), ``[checks."ID".anomaly]``
(one check's rate), and under any of them ``outlets."Outlet name"`` (one outlet).
The more specific table wins key by key. Strategies (any that fires raises the
anomaly): ``abs_change`` and ``rel_change`` against the last accepted run, and
``robust_z``: a median/MAD z-score over the last ``window`` accepted runs (only those
of the same weekday with ``season = "weekday"``). See docs/history.md.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from corpus_qa.errors import ConfigError

#: Metrics the history records per outlet besides the checks' rates.
METRICS = (
    "fill.byline",
    "fill.date",
    "fill.title",
    "fill.body",
    "body.median",
    "images.per_article",
)
DIRECTIONS = ("up", "down", "both")
SEASONS = ("none", "weekday")
_SEVERITIES = ("error", "warning", "info")
_NUMBERS = ("robust_z", "abs_change", "rel_change", "min_change")
_WHOLE = ("window", "min_runs", "min_articles")
_RULE_KEYS = (
    "enabled",
    *_NUMBERS,
    *_WHOLE,
    "season",
    "direction",
    "severity",
    "outlets",
)
_TOP_ONLY = ("metrics",)


@dataclass(frozen=True)
class AnomalyRule:
    """One metric's strategies for one outlet (all keys resolved)."""

    enabled: bool = True
    #: Robust z-score (median/MAD) over the reference runs; ``None``: not used.
    robust_z: float | None = 5.0
    #: Absolute change against the last accepted run (rates: 0.2 = 20 points).
    abs_change: float | None = None
    #: Relative change against the last accepted run (0.5 = by half).
    rel_change: float | None = None
    #: Changes smaller than this never count (a rate's units; other metrics: relative).
    min_change: float = 0.05
    #: Reference runs (with ``season = "weekday"``: runs of the same weekday).
    window: int = 8
    min_runs: int = 4
    #: Outlets with fewer articles in the run are not judged (too noisy).
    min_articles: int = 10
    #: ``weekday``: compare with runs of the same weekday only (weekends differ).
    season: str = "weekday"
    #: ``None``: the metric's own (check rates up, history metrics down).
    direction: str | None = None
    #: History metrics only (a check's anomaly takes the check's severity).
    severity: str = "warning"


@dataclass(frozen=True)
class AnomalyPolicy:
    """The merged ``anomaly`` tables: resolve a rule with :meth:`for_check`/:meth:`for_metric`."""

    defaults: Mapping[str, Any] = field(default_factory=dict)
    metrics: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    checks: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)

    def for_check(self, check_id: str, outlet: str) -> AnomalyRule:
        return _resolve(self.defaults, self.checks.get(check_id, {}), outlet)

    def for_metric(self, metric: str, outlet: str) -> AnomalyRule:
        return _resolve(self.defaults, self.metrics.get(metric, {}), outlet)


def _resolve(defaults: Mapping[str, Any], table: Mapping[str, Any], outlet: str) -> AnomalyRule:
    merged: dict[str, Any] = {}
    for layer in (defaults, defaults.get("outlets", {}).get(outlet, {})):
        merged.update({k: v for k, v in layer.items() if k != "outlets"})
    for layer in (table, table.get("outlets", {}).get(outlet, {})):
        merged.update({k: v for k, v in layer.items() if k != "outlets"})
    known = {f.name for f in fields(AnomalyRule)}
    return AnomalyRule(**{k: v for k, v in merged.items() if k in known})


def _shown(value: object) -> str:
    return repr(value) if not isinstance(value, str) else f'"{value}"'


def validate_rule(
    path: Path | str, where: str, value: object, *, top: bool = False, nested: bool = True
) -> dict[str, Any]:
    """One ``anomaly`` table, key by key; unknown keys and wrong types are ConfigErrors."""
    import difflib

    at = f"{path}: {where}"
    if not isinstance(value, dict):
        raise ConfigError(f"{at}: must be a table")
    allowed = (*_RULE_KEYS, *(_TOP_ONLY if top else ()))
    out: dict[str, Any] = {}
    for key, item in value.items():
        if key not in allowed or (key == "outlets" and not nested):
            close = difflib.get_close_matches(str(key), list(allowed), n=1)
            hint = f'; did you mean "{close[0]}"?' if close else ""
            raise ConfigError(f"{at}.{key}: unknown key{hint}")
        out[key] = _value(path, where, str(key), item)
    return out


def _value(path: Path | str, where: str, key: str, item: object) -> object:
    import difflib

    at = f"{path}: {where}"
    number = isinstance(item, int | float) and not isinstance(item, bool)
    if key == "enabled":
        if not isinstance(item, bool):
            raise ConfigError(f"{at}.enabled: expected true or false, got {_shown(item)}")
        return item
    if key in _NUMBERS:
        if not (number and math.isfinite(float(item)) and float(item) >= 0):  # type: ignore[arg-type]
            raise ConfigError(f"{at}.{key}: expected a number >= 0, got {_shown(item)}")
        return float(item)  # type: ignore[arg-type]
    if key in _WHOLE:
        if not (isinstance(item, int) and not isinstance(item, bool) and item >= 1):
            raise ConfigError(f"{at}.{key}: expected a whole number >= 1, got {_shown(item)}")
        return item
    choices = {"season": SEASONS, "direction": DIRECTIONS, "severity": _SEVERITIES}
    if key in choices:
        if item not in choices[key]:
            raise ConfigError(
                f"{at}.{key}: expected one of {', '.join(choices[key])}, got {_shown(item)}"
            )
        return item
    if key == "outlets":
        if not isinstance(item, dict):
            raise ConfigError(f"{at}.outlets: expected a table of outlet = {{...}}")
        return {
            str(name): validate_rule(path, f'{where}.outlets."{name}"', rule, nested=False)
            for name, rule in item.items()
        }
    # metrics (top level only)
    if not isinstance(item, dict):
        raise ConfigError(f"{at}.metrics: expected a table of metric = {{...}}")
    tables = {}
    for name, rule in item.items():
        if name not in METRICS:
            close = difflib.get_close_matches(str(name), list(METRICS), n=1)
            hint = f'; did you mean "{close[0]}"?' if close else ""
            raise ConfigError(f'{at}.metrics."{name}": no such metric{hint}')
        tables[str(name)] = validate_rule(path, f'anomaly.metrics."{name}"', rule)
    return tables


def anomaly_policy(merged: Mapping[str, Any]) -> AnomalyPolicy:
    """The typed anomaly policy of a merged (validated) policy."""
    top = dict(merged.get("anomaly", {}))
    metrics = top.pop("metrics", {})
    checks = {
        key: table["anomaly"]
        for key, table in merged.get("checks", {}).items()
        if isinstance(table, dict) and "anomaly" in table
    }
    return AnomalyPolicy(defaults=top, metrics=metrics, checks=checks)
