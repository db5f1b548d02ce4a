"""The record checks through ``corpus-qa check``: extractor records as real tools write them."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import run_check

BODY_EN = (
    "The city council approved the budget for next year on Friday after a debate that "
    "lasted most of the afternoon. The mayor said the new library would open in the "
    "spring and that bus fares would not rise. Opposition members criticised the cuts "
    "to youth services and asked for a review of the spending plan before the summer."
)
BODY_DE = (
    "Der Stadtrat hat am Freitag nach langer Debatte den Haushalt für das kommende Jahr "
    "beschlossen. Der Bürgermeister kündigte an, die neue Bibliothek werde im Frühjahr "
    "öffnen und die Fahrpreise würden nicht steigen. Die Opposition kritisierte die "
    "Kürzungen bei der Jugendarbeit und forderte eine Überprüfung des Plans."
)


def _record(i: int, **fields: object) -> dict[str, object]:
    base: dict[str, object] = {
        "id": f"r{i}",
        "url": f"https://www.example-zeitung.de/2024/05/17/haushalt-{i}/",
        "title": f"Haushalt beschlossen ({i})",
        "authors": ["Anna Weber"],
        "publish_date": "2024-05-17T08:00:00+00:00",
        "text": BODY_DE + f" ({i})",
    }
    base.update(fields)
    return base


def test_extractor_records_get_the_record_findings(tmp_path: Path) -> None:
    records = [
        _record(0),
        _record(1, publish_date="garbage-date"),
        _record(2, publish_date="vor 3 Stunden"),
        _record(3, publish_date="2019-03-02T10:00:00+00:00"),
        _record(4, authors=["Anna Weber", "www.facebook.com"]),
        _record(5, authors=["Anna Weber", "Example Zeitung"]),
        # Text and title both empty is quarantined as unreadable for now (input.malformed).
        _record(6, text=""),
        _record(7, text="Zugriff verweigert. Sie haben keine Berechtigung für diese Seite."),
        _record(8, text=BODY_EN.replace("budget", "budget &amp; plan", 1)),
        _record(9, text=BODY_DE.encode("utf-8").decode("cp1252") + " (9)"),
        _record(10, text=BODY_EN + " Read more"),
        _record(11, publish_date=1715940000),
        _record(12, title=None),
    ]
    dump = tmp_path / "newspaper4k.jsonl"
    dump.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in records) + "\n")
    _, _, findings = run_check(dump, tmp_path / "out", "--jobs", "1")
    got = {
        (f["check"], f["record_id"])
        for f in findings
        if f["check"] not in ("record.duplicate", "byline.missing", "date.missing")
    }
    assert got == {
        ("date.unparseable", "r1"),
        ("date.relative", "r2"),
        ("date.implausible", "r3"),
        ("byline.junk", "r4"),
        ("byline.junk", "r5"),
        ("body.empty", "r6"),
        ("title.missing", "r12"),
        ("page.blocked", "r7"),
        ("body.short", "r7"),
        ("text.html_residue", "r8"),
        ("encoding.mojibake", "r9"),
        ("text.truncated", "r10"),
    }
    evidence = {(f["check"], f["record_id"]): f["evidence"] for f in findings}
    assert evidence[("byline.junk", "r4")] == "www.facebook.com"
    assert evidence[("date.unparseable", "r1")] == "garbage-date"


def test_date_implausible_judges_against_the_reference_time(tmp_path: Path) -> None:
    records = [_record(0, publish_date="2024-05-20T08:00:00+00:00")]
    dump = tmp_path / "feed.jsonl"
    dump.write_text("\n".join(json.dumps(r) for r in records) + "\n")

    def implausible(reference: str) -> list[str]:
        out = tmp_path / reference.replace(":", "")
        _, _, findings = run_check(dump, out, "--reference-time", reference)
        return [f["message"] for f in findings if f["check"] == "date.implausible"]

    # Scraped on 17 May: a date on the 20th is in the future (and 3 days from the URL's).
    before = implausible("2024-05-17T12:00:00Z")
    assert any("after" in message for message in before), before
    # Scraped a week later: only the URL's date disagrees.
    after = implausible("2024-05-27T12:00:00Z")
    assert after and not any("after" in message for message in after), after
