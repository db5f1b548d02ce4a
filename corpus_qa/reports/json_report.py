"""``report.json``: the versioned, machine-readable result of a run.

The schema is versioned by ``schema_version`` (semantic: a new key is a minor bump,
a removed or retyped key a major one) and described in docs/report-schema.md; the
JSON Schema in schemas/report.schema.json (``corpus-qa schema report``) says the same
to a machine: change the three together.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path
from typing import Any

from corpus_qa import __version__
from corpus_qa.ingest.discover import name_text
from corpus_qa.reports.atomic import write_text
from corpus_qa.reports.json_bound import dumps_report
from corpus_qa.reports.version import SCHEMA_VERSION
from corpus_qa.run.inputs import dump_fingerprint
from corpus_qa.run.outcome import RunResult

_JSON_SCHEMA = Path(__file__).with_name("schemas") / "report.schema.json"


def report_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) every report.json validates against."""
    schema: dict[str, Any] = json.loads(_JSON_SCHEMA.read_text(encoding="utf-8"))
    return schema


def build_report(result: RunResult, *, status: str | None = None) -> dict[str, Any]:
    stats = result.stats
    status = status or result.status
    return {
        "schema_version": SCHEMA_VERSION,
        "tool": {"name": "corpus-qa", "version": __version__},
        "status": status,
        "started_at": result.started_at.isoformat(),
        "finished_at": result.finished_at.isoformat(),
        "duration_seconds": round(result.duration, 3),
        "dump": {
            "path": name_text(str(result.options.dump)),
            "fingerprint": dump_fingerprint(result.inputs),
            "files": len(result.inputs),
        },
        "inputs": result.inputs,
        "counts": {
            "pages": stats.pages,
            "articles": stats.articles,
            "images": stats.images,
            "records_read": stats.records_read,
            "records_checked": stats.records_read - stats.records_quarantined,
            "records_quarantined": stats.records_quarantined,
            "files_skipped": len(result.skipped),
            "chrome_lines_removed": stats.chrome_lines,
            "unplaced_lines": stats.unplaced_lines,
            "findings": result.findings_count,
            "exempted": sum(stats.exempted.values()),
            "roles": dict(sorted(stats.roles.items())),
        },
        "policy": {
            "path": result.policy.path,
            "sha256": result.policy.sha256,
            "fail_on": result.verdict.fail_on,
        },
        "gate": {
            "verdict": result.verdict.label,
            "passed": result.verdict.passed,
            "fail_on": result.verdict.fail_on,
            "reasons": result.verdict.reasons,
        },
        "checks": [
            {**asdict(check), "samples": result.samples.get(check.id, [])}
            for check in result.checks
        ],
        "outlets": dict(sorted(stats.outlets.items(), key=lambda kv: (-kv[1], kv[0]))),
        # Record dumps only: which source field fed each column (absent for pages).
        **({"fields": result.field_map} if result.field_map else {}),
        "distributions": {
            "body_length": {str(k): v for k, v in sorted(stats.body_length_buckets.items())},
            "images_per_article": {str(k): v for k, v in sorted(stats.images_per_article.items())},
        },
        "records": result.records,
        "chrome": [asdict(span) for span in result.chrome],
        "quarantine": [asdict(item) for item in result.quarantined],
        "outputs": _outputs(result, status),
        # Only with `check --gx`: absent keys keep other reports byte-for-byte the same.
        **({"interop": result.interop} if result.interop else {}),
        **({"baseline": result.baseline.to_dict()} if result.baseline is not None else {}),
        **({"history": result.history.to_dict()} if result.history is not None else {}),
    }


def _outputs(result: RunResult, status: str) -> dict[str, Any]:
    # An interrupted run removed its partial findings file: do not point at one.
    outputs: dict[str, Any] = {
        "findings": str(result.findings_path) if status == "complete" else None
    }
    if status == "complete" and result.options.quarantine_dir is not None:
        outputs["quarantine"] = str(result.options.quarantine_dir)
    if status == "complete" and result.options.clean_out is not None:
        outputs["clean"] = str(result.options.clean_out)
    if result.routed:
        outputs["records"] = dict(result.routed)
    return outputs


def interrupted_stub(dump: str, signal_name: str) -> dict[str, Any]:
    """report.json for a run stopped before it counted anything: incomplete, failing."""
    reason = f"run interrupted by {signal_name}: the dump was not checked"
    return {
        "schema_version": SCHEMA_VERSION,
        "tool": {"name": "corpus-qa", "version": __version__},
        "status": "incomplete",
        "dump": {"path": dump},
        "inputs": [],
        "gate": {"verdict": "fail", "passed": False, "reasons": [reason]},
    }


def write_report(report: dict[str, Any], path: Path) -> None:
    """Write report.json: bounded and escaped (:mod:`corpus_qa.reports.json_bound`)."""
    write_text(path, dumps_report(report))
