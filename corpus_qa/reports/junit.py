"""``junit.xml``: one test case per check, so CI pages list the gate like a test suite.

Rendered from report.json's dict; a failing check's message carries its count, its
rate against the threshold and the first evidences with file:line.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

from corpus_qa.gate.verdict import gates
from corpus_qa.reports.atomic import write_text
from corpus_qa.reports.escape import printable_lines, truncate

_EVIDENCES = 5
#: Characters kept of one evidence or message, and of one whole attribute or text.
_EVIDENCE_CHARS = 200
_TEXT_CHARS = 4_000
# XML 1.0 cannot hold most control characters, and scraped text has them: printable
# escapes them (and bidi overrides) as text; this catches anything it let through.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _clean(text: object) -> str:
    return _NOT_XML.sub("\ufffd", printable_lines(truncate(str(text), _TEXT_CHARS)))


def _threshold(check: dict[str, Any]) -> str:
    parts = []
    if check.get("max_rate") is not None:
        parts.append(f"max rate {check['max_rate']:.1%}")
    if check.get("max_count") is not None:
        parts.append(f"max count {check['max_count']}")
    return ", ".join(parts) or "no threshold"


def _where(sample: dict[str, Any]) -> str:
    line = sample.get("line")
    return (
        f"{sample.get('source_path')}:{line}"
        if line is not None
        else str(sample.get("source_path"))
    )


def failure_text(check: dict[str, Any]) -> str:
    """Count, rate against threshold and the first evidences of one check."""
    lines = [
        f"{check['count']} findings in {check['records']} of {check['denominator']} records; "
        f"rate {check['rate']:.2%} against {_threshold(check)}",
    ]
    for sample in check.get("samples", [])[:_EVIDENCES]:
        shown = (
            sample.get("evidence") if sample.get("evidence") is not None else sample.get("message")
        )
        where = truncate(_where(sample), _EVIDENCE_CHARS)
        record_id = truncate(str(sample.get("record_id")), _EVIDENCE_CHARS)
        lines.append(f"  {where} [{record_id}] {truncate(str(shown), _EVIDENCE_CHARS)!r}")
    return "\n".join(lines)


def build_junit(report: dict[str, Any]) -> str:
    gate = report["gate"]
    checks = report["checks"]
    failures = sum(1 for check in checks if gates(check["status"], gate["fail_on"]))
    skipped = sum(1 for check in checks if check["status"] == "skipped")
    suites = ET.Element("testsuites", name="corpus-qa")
    suite = ET.SubElement(
        suites,
        "testsuite",
        name=_clean(f"corpus-qa {report['dump']['path']}"),
        tests=str(len(checks)),
        failures=str(failures),
        errors="0",
        skipped=str(skipped),
        time=str(report.get("duration_seconds", 0)),
        timestamp=str(report.get("finished_at", "")),
    )
    properties = ET.SubElement(suite, "properties")
    for name, value in (
        ("verdict", gate["verdict"]),
        ("fail_on", gate["fail_on"]),
        ("articles", report["counts"]["articles"]),
        ("dump_fingerprint", report["dump"]["fingerprint"]),
    ):
        ET.SubElement(properties, "property", name=name, value=_clean(value))
    for check in checks:
        case = ET.SubElement(
            suite, "testcase", classname=f"corpus-qa.{check['severity']}", name=check["id"]
        )
        case.set("time", "0")
        if check["status"] == "skipped":
            ET.SubElement(case, "skipped", message=_clean(check.get("reason") or "skipped"))
        elif gates(check["status"], gate["fail_on"]):
            failure = ET.SubElement(
                case, "failure", message=_clean(check.get("reason") or check["status"])
            )
            failure.set("type", check["status"])
            failure.text = _clean(failure_text(check))
        elif check["status"] != "pass":
            # Over threshold but below the gate's level: passed, with the reason shown.
            out = ET.SubElement(case, "system-out")
            out.text = _clean(f"{check['status']}: {check.get('reason')}\n{failure_text(check)}")
    ET.indent(suites)
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(suites, encoding="unicode") + "\n"
    )


def write_junit(report: dict[str, Any], path: Path) -> None:
    write_text(path, build_junit(report))
