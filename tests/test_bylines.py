"""Byline, credit and genre inference over a drafts frame."""

from __future__ import annotations

import pandas as pd
import pytest

from corpus_qa.parse.bylines.drafts import infer_bylines

BIO = (
    "Robert J. Fouser, a former associate professor of Korean language education at Seoul "
    "National University, writes on Korea from Providence, Rhode Island. The views expressed "
    "here are the writer's own. -- Ed."
)
PROSE = "The ruling party lost its majority in the upper house on Sunday. " * 15


def infer(
    title: str | None,
    body: str,
    byline: str | None = None,
    outlet: str | None = None,
    source: str | None = None,
) -> dict[str, object]:
    frame = pd.DataFrame(
        {
            "title": [title],
            "body": [body],
            "byline": [byline],
            "byline_source": [source],
            "outlet": [outlet],
        }
    )
    row = infer_bylines(frame).iloc[0]
    return {str(k): (None if pd.isna(v) else v) for k, v in row.items()}


@pytest.mark.parametrize(
    ("body", "byline"),
    [
        ("By Jane Doe\n\nThe council met.", "Jane Doe"),
        ("BY: Kim Jae-kyung\nThe council met.", "Kim Jae-kyung"),
        ("By Jane Doe, Staff Writer\n\nText.", "Jane Doe"),
        ("By Jane Doe and John O'Neil | Harbor Times\n\nText.", "Jane Doe and John O'Neil"),
        ("By Jane Doe (jane@harbortimes.com)\n\nText.", "Jane Doe"),
        ("By Claire Dubois-Lévêque\n\nTexte.", "Claire Dubois-Lévêque"),
        ("By J. K. Rowling\n\nText.", "J. K. Rowling"),
    ],
)
def test_by_line(body: str, byline: str) -> None:
    got = infer("Title", body)
    assert (got["byline"], got["byline_source"]) == (byline, "by_line")


@pytest.mark.parametrize(
    "body",
    [
        "By Aug 8, 2024\n\nText.",
        "By 10:30 AM\n\nText.",
        "By https://example.com/author\n\nText.",
        "By Staff\n\nText.",
        "By Staff Reporter\n\nText.",
        "By Harbor Times\n\nText.",
        "By the time the vote came, the hall was empty.",
    ],
)
def test_by_line_rejects_non_persons(body: str) -> None:
    got = infer("Title", body, outlet="Harbor Times")
    assert got["byline"] is None and got["byline_source"] is None


def test_agency_by_line_is_a_credit() -> None:
    got = infer("Title", "By Yonhap\n\nSeoul said on Monday ...")
    assert (got["byline"], got["credit"]) == (None, "Yonhap")


@pytest.mark.parametrize(
    ("body", "credit"),
    [
        ("Lee called for support, the office said. (Yonhap)", "Yonhap"),
        ("Markets fell.\n\nTraders were cautious. (AFP-Yonhap)", "AFP-Yonhap"),
        ("Die Börse schloss fester. (dpa)", "dpa"),
        ("SEOUL, July 24 (Yonhap) -- South Korea said ...", "Yonhap"),
        ("Officials said (AP) was wrong. More text follows here.", None),
    ],
)
def test_wire_credit(body: str, credit: str | None) -> None:
    got = infer("Title", body)
    assert got["credit"] == credit
    assert got["byline"] is None


def test_title_bracket_confirmed_by_bio() -> None:
    got = infer("[Robert J. Fouser] Japan lurches right", PROSE + BIO)
    assert (got["byline"], got["byline_source"], got["genre"]) == (
        "Robert J. Fouser",
        "title_bracket",
        None,
    )


def test_bio_alone() -> None:
    got = infer("Japan lurches right", PROSE + BIO)
    assert (got["byline"], got["byline_source"]) == ("Robert J. Fouser", "bio")


def test_bio_is_form() -> None:
    got = infer("Title", PROSE + "Min-ji Park is a columnist for the paper.")
    assert (got["byline"], got["byline_source"]) == ("Min-ji Park", "bio")


def test_news_sentence_is_not_a_bio() -> None:
    body = PROSE + "Prime Minister Shigeru Ishiba is the leader of the ruling party."
    assert infer("Title", body)["byline"] is None


@pytest.mark.parametrize(
    ("title", "genre"),
    [
        ("[Editorial] Securing a fair deal", "editorial"),
        ("[Column] Time to act", "column"),
        ("[Herald Interview] Minister on chips", "herald_interview"),
        ("[News Focus] Tariffs loom", "news_focus"),
        ("[Guest Column] Rethinking aid", "guest_column"),
        ("[Weekender] Seoul by night", "weekender"),
        ("[Photo] Rain in Busan", "photo"),
        ("Editorial: Fix the budget", "editorial"),
    ],
)
def test_genre_tags_never_become_bylines(title: str, genre: str) -> None:
    got = infer(title, "Body text.")
    assert (got["genre"], got["byline"]) == (genre, None)


def test_bracket_that_is_neither_name_nor_genre() -> None:
    got = infer("[K-Drama Weekly] New season", "Body.")
    assert got["byline"] is None


def test_field_wins_and_keeps_its_source() -> None:
    got = infer("[Robert J. Fouser] Japan", "By Jane Doe\n\nText.", byline="Ana Souza")
    assert (got["byline"], got["byline_source"]) == ("Ana Souza", "field")
    got = infer("Title", "Text.", byline="Ana Souza", source="by_line")
    assert got["byline_source"] == "by_line"


def test_blank_field_is_inferred() -> None:
    got = infer("Title", "By Jane Doe\n\nText.", byline="  ")
    assert (got["byline"], got["byline_source"]) == ("Jane Doe", "by_line")


def test_vectorized_over_many_rows() -> None:
    frame = pd.DataFrame(
        {
            "title": ["[Editorial] A", "[Kim Min-ji] B", None, "D"] * 250,
            "body": ["Text. (Reuters)", "Body.", "By Ana Souza\n\nx", ""] * 250,
            "byline": [None] * 1000,
            "byline_source": [None] * 1000,
            "outlet": ["Seoul Wire"] * 1000,
        }
    )
    out = infer_bylines(frame)
    assert out["byline"].isna().tolist()[:4] == [True, False, False, True]
    assert out["byline"].iloc[1] == "Kim Min-ji" and out["byline"].iloc[2] == "Ana Souza"
    assert out["credit"].iloc[0] == "Reuters" and out["genre"].iloc[0] == "editorial"
    assert out["byline_source"].value_counts().to_dict() == {"title_bracket": 250, "by_line": 250}
    assert all(str(out[c].dtype) == "str" for c in out.columns)
