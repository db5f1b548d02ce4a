"""boilerplate.bio: the byline's author described at the end of the body."""

from __future__ import annotations

import pandas as pd

from corpus_qa.checks.builtin.bio import TrailingBio

PARAGRAPH = (
    "The council approved the budget on Tuesday after a debate that lasted well into the "
    "evening, with several members warning that the cuts would fall hardest on families."
)


def _run(rows: list[tuple[str, str]]) -> list[str]:
    articles = pd.DataFrame(
        {"byline": [b for b, _ in rows], "body": [t for _, t in rows]}, dtype="str"
    )
    found = TrailingBio().run(articles, pd.DataFrame())
    return [
        rows[r][1][s:e] for r, s, e in zip(found["row"], found["start"], found["end"], strict=True)
    ]


def test_trailing_bios_of_the_byline_are_found() -> None:
    en = "Jane Doe is a staff writer covering city hall. Reach her at jane@example.com."
    de = "Anna Weber schreibt seit 2015 über Wirtschaft und Verkehr in der Region."
    fr = "Claire Martin est journaliste au service politique depuis 2019."
    found = _run(
        [
            ("Jane Doe", f"{PARAGRAPH}\n{en}"),
            ("Anna Weber; Tom Berg", f"{PARAGRAPH}\n\n{de}"),
            ("Claire Martin", f"{PARAGRAPH}\n{fr}\nPhoto : AFP"),
        ]
    )
    assert found == [en, de, fr]


def test_a_name_in_the_story_or_no_byline_is_not_a_bio() -> None:
    quoted = "Jane Doe is a nurse at the county hospital and has worked there for 12 years."
    found = _run(
        [
            ("Tom Berg", f"{PARAGRAPH}\n{quoted}"),  # someone else than the author
            ("", f"{PARAGRAPH}\n{quoted}"),  # no byline, no evidence
            ("Jane Doe", f"Jane Doe is a reporter.\n{PARAGRAPH}\n{PARAGRAPH}\n{PARAGRAPH}"),
        ]
    )
    assert found == []
