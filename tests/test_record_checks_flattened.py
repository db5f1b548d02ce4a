"""text.flattened: names, titles of works and title-case headlines are not seams."""

from __future__ import annotations

import pandas as pd

from corpus_qa.checks.builtin.text import TextFlattened

REST = " ".join(["The council met again on Tuesday and voted on the plan."] * 12)


def _seams(openings: list[str]) -> dict[int, str]:
    bodies = [o + " " + REST + "\n\nSecond paragraph." for o in openings]
    articles = pd.DataFrame({"body": pd.Series(bodies, dtype="str")})
    got = TextFlattened({"min_chars": 400}).run(articles, pd.DataFrame())
    return {
        int(r): bodies[int(r)][int(s) : int(e)]
        for r, s, e in zip(got["row"], got["start"], got["end"], strict=True)
        if s is not pd.NA
    }


def test_a_deck_run_into_the_lede_is_a_seam() -> None:
    openings = [
        "Korea must secure tariff terms no worse than Tokyo's as export stakes grow As Japan "
        "and the United States conclude a tariff agreement, Seoul is under pressure.",
        "Officials warn of a long recovery after the floods The region lost most of its "
        "harvest, the ministry said.",
    ]
    assert _seams(openings) == {0: "grow As", 1: "floods The"}


def test_names_titles_and_headlines_are_not_seams() -> None:
    openings = [
        "Fans queued overnight for the album The Tortured Poets Department, which sold out.",
        "Critics praised the performance of The Tempest at the festival on Friday evening.",
        "The collapse was documented by +972 Magazine and The Intercept in a joint report.",
        "This blog article Meta Programming In Python reminded me to write up the Lisp way.",
        "Kazakh President Tokayev Arrives In Seoul For Summit Talks The president was met "
        "at the airport by the foreign minister.",
    ]
    assert _seams(openings) == {}
