"""The bundled seed page, end to end: exactly the findings issue #2 lists, nothing else."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import run_check

PAGE = "000_d1a80b0d19a21746.txt"

# (check, article index, field, line, evidence); evidence None = not a span finding.
EXPECTED = {
    ("byline.missing", 0, "byline", 2, None),
    ("date.missing", 0, "published_raw", 2, None),
    ("byline.missing", 1, "byline", 18, None),
    ("date.relative", 1, "published_raw", 18, "21 minutes ago"),
    ("text.flattened", 1, "body", 22, None),
    ("image.duplicate_tag", 2, "images[1].alt", 24, "[Robert J. Fouser] Japan lurches right"),
    (
        "image.logo_as_content",
        2,
        "images[1].resolved_src",
        24,
        "https://all-logos-bucket.s3.amazonaws.com/koreaherald.com.png",
    ),
    ("email.truncated", 2, "body", 29, "robertjfouser@"),
    ("date.relative", 2, "published_raw", 23, "4 hours ago"),
    ("text.flattened", 2, "body", 29, None),
    (
        "image.logo_as_content",
        3,
        "images[0].resolved_src",
        30,
        "https://all-logos-bucket.s3.amazonaws.com/koreaherald.com.png",
    ),
    ("date.relative", 3, "published_raw", 30, "4 hours ago"),
    ("text.flattened", 3, "body", 35, "grow As"),
}


def _key(finding: dict[str, object]) -> tuple[object, ...]:
    index = int(str(finding["record_id"]).rsplit("#", 1)[1])
    evidence = finding["evidence"]
    if finding["check"] == "text.flattened" and finding["evidence"] != "grow As":
        evidence = None  # the opening of a flattened body: checked separately below
    return (finding["check"], index, finding["field"], finding["line"], evidence)


def test_seed_findings_are_exactly_the_listed_ones(seed_dump: Path, tmp_path: Path) -> None:
    code, _, findings = run_check(seed_dump, tmp_path)
    assert code == 1
    assert {_key(f) for f in findings} == EXPECTED
    assert len(findings) == len(EXPECTED)
    for finding in findings:
        assert finding["source_path"] == PAGE
        assert finding["record_id"].startswith(f"{PAGE}#")


def test_seed_messages_and_evidence(seed_dump: Path, tmp_path: Path) -> None:
    _, _, findings = run_check(seed_dump, tmp_path)
    main_byline = next(
        f for f in findings if f["check"] == "byline.missing" and f["record_id"].endswith("#0")
    )
    assert "wire credit (Yonhap)" in main_byline["message"]
    flattened = [
        f for f in findings if f["check"] == "text.flattened" and f["evidence"] != "grow As"
    ]
    assert sorted(f["evidence"][:20] for f in flattened) == [
        "To date, an election",
        "US Commerce Secretar",
    ]
    assert all(f["start"] == 0 and f["end"] == 80 for f in flattened)
    assert all("characters on one line" in f["message"] for f in flattened)
    email = next(f for f in findings if f["check"] == "email.truncated")
    assert email["end"] - email["start"] == len("robertjfouser@")


def test_seed_report_counts_and_gate(seed_dump: Path, tmp_path: Path) -> None:
    code, report, _ = run_check(seed_dump, tmp_path)
    assert code == 1
    counts = report["counts"]
    assert counts["pages"] == 1
    assert counts["articles"] == 4
    assert counts["images"] == 3
    assert counts["roles"] == {"main": 1, "related": 3}
    assert counts["records_read"] == counts["records_checked"] + counts["records_quarantined"]
    assert counts["chrome_lines_removed"] == 5
    assert counts["exempted"] == 1
    chrome = report["chrome"]
    assert [(c["line_start"], c["line_end"], c["kind"]) for c in chrome] == [(11, 15, "chrome")]
    assert "Try Our AI Features" in chrome[0]["text"]
    checks = {c["id"]: c for c in report["checks"]}
    assert checks["byline.missing"]["exempted"] == 1
    assert checks["byline.missing"]["records"] == 2
    assert checks["byline.missing"]["status"] == "fail"
    assert checks["email.truncated"]["status"] == "fail"
    assert report["gate"]["verdict"] == "fail"
    assert any("byline.missing" in reason for reason in report["gate"]["reasons"])
    assert report["inputs"][0]["path"] == PAGE
    assert len(report["inputs"][0]["sha256"]) == 64
    assert report["schema_version"] == "1.4"


def test_seed_articles_carry_no_chrome(seed_dump: Path, tmp_path: Path) -> None:
    _, report, _ = run_check(seed_dump, tmp_path)
    for record in report["records"].values():
        for phrase in ("Try Our AI Features", "No comments yet", "Related Articles"):
            assert phrase not in record["body"]
