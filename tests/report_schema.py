"""Validation of report.json files against the shipped JSON Schema."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jsonschema

from corpus_qa.reports.json_report import report_schema

VALIDATOR = jsonschema.Draft202012Validator(
    report_schema(), format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
)


def errors(report: dict[str, Any]) -> list[str]:
    """Every way ``report`` breaks the schema, as ``$.path: message``."""
    return [f"{e.json_path}: {e.message[:300]}" for e in VALIDATOR.iter_errors(report)]


def written_reports(root: Path) -> Iterator[tuple[Path, dict[str, Any]]]:
    """The report.json files corpus-qa wrote under ``root`` (not the tests' own stand-ins,
    which do not name the tool)."""
    for path in root.rglob("report.json"):
        try:
            report = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        if isinstance(report, dict) and report.get("tool", {}).get("name") == "corpus-qa":
            yield path, report


def invalid_reports(root: Path) -> list[str]:
    return [
        f"{path}: {problem}"
        for path, report in written_reports(root)
        for problem in errors(report)[:3]
    ]
