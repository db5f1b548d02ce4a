"""Which source field feeds each column, and no silent pass when none does.

Before the run, the first records of the dump (:func:`corpus_qa.ingest.probe.sample_records`)
are mapped as the readers map them: per column, which field gave the value and on how
many records. That is the field map of report.json and the terminal summary. A column
the policy needs (the body, and the byline, date and title when checks of theirs are
on) that no field fills, or that is empty on most records, is a ``schema.field_unmapped``
error: a dump whose schema drifted (``article_body`` for ``text``) would otherwise pass
with every record empty. ``--field`` naming a field no record has is a usage error.
"""

from __future__ import annotations

import difflib
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from corpus_qa.checks.api import Check
from corpus_qa.errors import ConfigError
from corpus_qa.findings.rows import conform, empty_findings
from corpus_qa.gate.policy import Policy
from corpus_qa.gate.results import apply_severity
from corpus_qa.ingest.fields import FieldMap, field_value, source_field
from corpus_qa.ingest.outlets import outlet_name
from corpus_qa.ingest.probe import sample_records
from corpus_qa.ingest.values import (
    BadField,
    body_text,
    byline_text,
    outlet_text,
    scalar_text,
    url_text,
)
from corpus_qa.limits import DEFAULT_LIMITS, IngestLimits
from corpus_qa.model import InputFile

CHECK_ID = "schema.field_unmapped"
#: Columns surveyed, their converters, and the check families that need them
#: (an empty tuple: always needed; ``None``: only mapped, never required).
_ROLES: dict[str, tuple[Any, tuple[str, ...] | None]] = {
    "body": (body_text, ()),
    "title": (scalar_text, ("title.",)),
    "byline": (byline_text, ("byline.",)),
    "published_raw": (scalar_text, ("date.",)),
    "url": (url_text, None),
    "outlet": (outlet_text, None),
}
#: Names the report uses for columns.
ROLE_NAMES = {"published_raw": "date"}
#: A needed column filled on less than this share of records is a finding.
MOSTLY_EMPTY = 0.5
#: The outlet's fallback, in the field map.
DOMAIN = "(registrable domain)"
URL_DOMAIN = f"url {DOMAIN}"


@dataclass
class FieldSurvey:
    """The field map (report.json ``fields``) and the findings it raises."""

    report: dict[str, Any] = field(default_factory=dict)
    findings: pd.DataFrame = field(default_factory=empty_findings)


def survey_fields(
    files: Sequence[InputFile],
    fmap: FieldMap,
    options: Sequence[str],
    checks: Sequence[Check],
    policy: Policy,
    limits: IngestLimits = DEFAULT_LIMITS,
) -> FieldSurvey:
    """Survey the first records of ``files``; raise :class:`ConfigError` for ``--field``
    options that name fields no surveyed record has."""
    samples = sample_records(files, limits=limits, record_keys=frozenset(fmap.all_names()))
    records = [record for _, sampled in samples for record in sampled]
    if not records:
        return FieldSurvey()
    seen = Counter(name for record in records for name in _names(record))
    _check_options(options, seen)
    roles = _roles(records, fmap)
    report = {
        "sampled": len(records),
        "seen": [name for name, _ in seen.most_common()],
        "roles": {ROLE_NAMES.get(role, role): info for role, info in roles.items()},
    }
    enabled = [check.id for check in checks]
    needed = [
        role
        for role, (_, families) in _ROLES.items()
        if families is not None and (not families or any(c.startswith(families) for c in enabled))
    ]
    # Per file: one file of a dump whose schema drifted must not hide behind the others.
    by_role: dict[str, list[tuple[str, str]]] = {}
    for file, sampled in samples:
        in_file = roles if len(samples) == 1 else _roles(sampled, fmap)
        file_seen = Counter(name for record in sampled for name in _names(record))
        for role in needed:
            name = ROLE_NAMES.get(role, role)
            problem = _problem(name, getattr(fmap, role), in_file[role], sampled, file_seen)
            if problem is not None:
                by_role.setdefault(name, []).append((file.display, problem[1]))
    return FieldSurvey(report, _findings(by_role, len(samples), seen, policy))


def _roles(records: list[dict[str, Any]], fmap: FieldMap) -> dict[str, dict[str, Any]]:
    roles = {role: _feeds(records, getattr(fmap, role), conv) for role, (conv, _) in _ROLES.items()}
    _add_url_domains(records, fmap, roles["outlet"])
    return roles


def _names(record: dict[str, Any]) -> list[str]:
    """The record's fields that hold a value, an object field's fields as ``a.b``."""
    names = []
    for name, value in record.items():
        if value is None:
            continue
        names.append(name)
        if isinstance(value, dict):
            names += [f"{name}.{key}" for key, inner in value.items() if inner is not None]
    return names


def _feeds(records: list[dict[str, Any]], names: Sequence[str], convert: Any) -> dict[str, Any]:
    """Which of ``names`` gave each record its value, as the readers take them."""
    fed: Counter[str] = Counter()
    for record in records:
        try:
            name = source_field(record, names, convert)
        except BadField:
            continue
        if name is not None and convert is outlet_text:
            value = outlet_text(field_value(record, name), name) or ""
            name = name if outlet_name(value) == value else f"{name} {DOMAIN}"
        if name is not None:
            fed[name] += 1
    present = [name for name in names if any(field_value(r, name) is not None for r in records)]
    return {"present": present, "fields": dict(fed.most_common()), "filled": sum(fed.values())}


def _add_url_domains(records: list[dict[str, Any]], fmap: FieldMap, info: dict[str, Any]) -> None:
    """Records without a site field get their URL's registrable domain as outlet."""
    missing = len(records) - info["filled"]
    if missing <= 0:
        return
    with_url = 0
    for record in records:
        try:
            named = source_field(record, fmap.outlet, outlet_text) is not None
            has_url = not named and source_field(record, fmap.url, url_text) is not None
        except BadField:
            continue
        with_url += has_url
    if with_url:
        info["fields"][URL_DOMAIN] = with_url
        info["filled"] += with_url


def _check_options(options: Sequence[str], seen: Counter[str]) -> None:
    for option in options:
        _, _, names = option.partition("=")
        for name in (n.strip() for n in names.split(",")):
            if name and name not in seen:
                close = difflib.get_close_matches(name, list(seen), n=1, cutoff=0.6)
                hint = f"did you mean {close[0]}? " if close else ""
                raise ConfigError(
                    f"--field {option.strip()}: no record has a field {name!r}; {hint}"
                    f"fields seen: {', '.join(sorted(seen)[:30])}"
                )


def _problem(
    role: str,
    names: Sequence[str],
    info: dict[str, Any],
    records: list[dict[str, Any]],
    seen: Counter[str],
) -> tuple[str, str] | None:
    present = [name for name in names if name in seen]
    sampled = len(records)
    if present and info["filled"] >= MOSTLY_EMPTY * sampled:
        return None
    others = [name for name, _ in seen.most_common() if name not in names]
    guess = _guess(role, names, others, records)
    suggestion = f"map one with --field {role}={guess or 'FIELD'}" + (
        f" (fields seen: {', '.join(others[:12])})" if others else ""
    )
    if not present:
        looked = ", ".join(names) or "nothing"
        return role, f"no field for {role}: looked for {looked}; {suggestion}"
    return role, (
        f"{role} is empty on {sampled - info['filled']} of the first {sampled} records "
        f"(field {', '.join(present)}); {suggestion}"
    )


def _guess(
    role: str, names: Sequence[str], others: list[str], records: list[dict[str, Any]]
) -> str | None:
    """The field most likely meant: for the body the one with the longest text, else
    the name closest to one looked for."""
    if role == "body":
        lengths: Counter[str] = Counter()
        for record in records:
            for name in others:
                value = record.get(name)
                lengths[name] += len(value) if isinstance(value, str) else 0
        best = lengths.most_common(1)
        return best[0][0] if best and best[0][1] >= 200 * len(records) else None
    for name in names:
        close = difflib.get_close_matches(name, others, n=1, cutoff=0.6)
        if close:
            return close[0]
    return None


def _findings(
    by_role: dict[str, list[tuple[str, str]]], files: int, seen: Counter[str], policy: Policy
) -> pd.DataFrame:
    """One finding per column: at its first file, saying in how many files it recurs."""
    if not by_role:
        return empty_findings()
    messages = []
    for problems in by_role.values():
        message = problems[0][1]
        if files > 1:
            message += f" (in {len(problems)} of {files} files surveyed)"
        messages.append(message)
    frame = pd.DataFrame(
        {
            "check": CHECK_ID,
            "severity": "error",
            "record_id": None,
            "source_path": [problems[0][0] for problems in by_role.values()],
            "line": pd.NA,
            "field": list(by_role),
            "evidence": ", ".join(name for name, _ in seen.most_common(40)),
            "start": pd.NA,
            "end": pd.NA,
            "message": messages,
            "outlet": None,
        }
    )
    return apply_severity(conform(frame), policy)
