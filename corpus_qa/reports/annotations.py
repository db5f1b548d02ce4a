"""GitHub Actions annotations: the first findings of each check at the dump's file:line.

GitHub reads workflow commands (``::error file=F,line=L,title=T::message``) from a
step's output and pins each to the file and line of the commit, in the pull request's
diff and on the run's page. The findings are the report's samples (the first
``--samples`` findings of each check, in dump order); at most ``limit`` per check,
failing checks first. Data and properties are escaped as GitHub's toolkit does, so a
finding's text can never end the command or start another.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

#: Annotations per check by default (GitHub shows at most 10 errors and 10 warnings
#: of a step, and 50 of a job, so more would be dropped unseen).
DEFAULT_LIMIT = 5
#: Evidence is cut to this many characters in a message.
_EVIDENCE_CHARS = 200
_LEVELS = {"fail": "error", "warn": "warning"}
_ORDER = {"fail": 0, "warn": 1}


def escape_data(text: str) -> str:
    """A command's message: ``%``, CR and LF as GitHub's toolkit escapes them."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """A command's property value: as data, and ``:`` and ``,`` too."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def command(level: str, message: str, properties: Mapping[str, object]) -> str:
    """One workflow command line, e.g. ``::error file=a.jsonl,line=3::...``."""
    props = ",".join(
        f"{key}={escape_property(str(value))}"
        for key, value in properties.items()
        if value is not None
    )
    return (
        f"::{level} {props}::{escape_data(message)}"
        if props
        else f"::{level}::{escape_data(message)}"
    )


def _path(source: str, root: Path, workspace: Path) -> str:
    """The finding's file relative to the workspace (the repository's root), which is
    how GitHub names files; as the dump names it when it lies elsewhere."""
    full = (root / source).resolve()
    try:
        return full.relative_to(workspace.resolve()).as_posix()
    except ValueError:
        return full.as_posix()


def workflow_commands(
    report: Mapping[str, Any], limit: int = DEFAULT_LIMIT, workspace: Path | None = None
) -> Iterator[str]:
    """The workflow commands for a report.json: failing checks' findings as errors,
    warned checks' as warnings, others' (below their thresholds) as notices."""
    from corpus_qa.ingest.discover import dump_root

    if limit <= 0:
        return
    if workspace is None:
        workspace = Path(os.environ.get("GITHUB_WORKSPACE") or Path.cwd())
    root = dump_root(str(report["dump"]["path"]))
    checks = sorted(report["checks"], key=lambda c: _ORDER.get(str(c["status"]), 2))
    for check in checks:
        level = _LEVELS.get(str(check["status"]), "notice")
        for finding in check.get("samples", [])[:limit]:
            source = finding.get("source_path")
            evidence = finding.get("evidence")
            message = str(finding.get("message") or check["name"])
            if evidence:
                cut = str(evidence)[:_EVIDENCE_CHARS]
                message += f"\nevidence: {cut}" + ("…" if len(str(evidence)) > len(cut) else "")
            properties = {
                "file": _path(str(source), root, workspace) if source else None,
                "line": finding.get("line"),
                "title": f"corpus-qa {check['id']} ({check['status']})",
            }
            yield command(level, message, properties)
