"""Byline evidence the parser refuses: ``byline.unconfirmed`` (a warning), never
``byline.missing`` (an error); a page with no evidence and a record dump are judged
as before."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from corpus_qa.checks.builtin.byline import BylineMissing
from corpus_qa.checks.builtin.byline_unconfirmed import BylineUnconfirmed
from corpus_qa.ingest import discover, iter_units
from corpus_qa.parse import parse_unit
from corpus_qa.run import RunOptions, run
from corpus_qa.tables.build import build_tables, drafts_frame
from tests.test_html_pages import jsonld, main_row, page

PROSE = (
    "Der Stadtrat hat am Dienstagabend mit großer Mehrheit den Bau eines neuen Radwegs "
    "entlang der Uferstraße beschlossen. Die Arbeiten sollen im Herbst beginnen und rund "
    "ein Jahr dauern, teilte die Verwaltung am Mittwoch auf Anfrage mit."
)


def markdown_page(credit: str) -> str:
    """A local news site's article as a web-to-Markdown scraper writes it, with
    ``credit`` on the line under the headline."""
    menu = " | ".join(
        f"[{name}](https://www.uferbote.example/{name.lower()}/)"
        for name in ("Politik", "Sport", "Kultur", "Wirtschaft")
    )
    return "\n".join(
        [
            "[![Uferbote](https://www.uferbote.example/logo.svg)](https://www.uferbote.example/)",
            "",
            menu,
            "",
            "# Stadtrat beschließt neuen Radweg an der Uferstraße",
            "",
            credit,
            "",
            PROSE,
            "",
            PROSE.replace("Dienstagabend", "Montag"),
            "",
            "Anwohner hatten seit Jahren eine sichere Verbindung zwischen Innenstadt und "
            "Hafen gefordert. Die Kosten von 2,4 Millionen Euro trägt zu großen Teilen das "
            "Land, wie ein Sprecher der Stadt bestätigte.",
            "",
            "[Impressum](https://www.uferbote.example/impressum/) | "
            "[Datenschutz](https://www.uferbote.example/datenschutz/)",
            "",
        ]
    )


def main_article(tmp_path: Path, text: str, name: str = "radweg.md") -> pd.Series:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    drafts = [a for unit in iter_units(discover(path)) for a in parse_unit(unit).articles]
    articles, _ = build_tables(drafts_frame(drafts))
    return articles[articles["role"] == "main"].iloc[0]


def flagged(row: pd.Series) -> tuple[list[str], list[str]]:
    """(byline.missing messages, byline.unconfirmed evidence) on one article."""
    articles = pd.DataFrame([row]).reset_index(drop=True)
    missing = BylineMissing().run(articles, pd.DataFrame())
    unconfirmed = BylineUnconfirmed().run(articles, pd.DataFrame())
    evidence = [
        str(articles["byline_evidence"].iat[r])[s:e]
        for r, s, e in zip(
            unconfirmed["row"], unconfirmed["start"], unconfirmed["end"], strict=True
        )
    ]
    return list(missing["message"]), evidence


def test_one_word_author_link_is_unconfirmed_not_missing(tmp_path: Path) -> None:
    row = main_article(
        tmp_path,
        markdown_page("[fri.juli](https://www.uferbote.example/autor/fri-juli) · 3. Mai 2022"),
    )
    assert pd.isna(row["byline"])
    assert (row["byline_evidence"], row["byline_evidence_source"]) == ("fri.juli", "author_link")
    assert row["byline_evidence_line"] == 7  # the line under the headline
    missing, evidence = flagged(row)
    assert missing == [] and evidence == ["fri.juli"]


def test_by_word_before_a_desk_word(tmp_path: Path) -> None:
    row = main_article(tmp_path, markdown_page("By staff | May 3, 2022"))
    assert (row["byline_evidence"], row["byline_evidence_source"]) == ("staff", "by_word")
    assert flagged(row) == ([], ["staff"])


def test_by_word_before_a_rejected_name(tmp_path: Path) -> None:
    row = main_article(tmp_path, markdown_page("Von ank | 3. Mai 2022, 14:05 Uhr"))
    assert (row["byline_evidence"], row["byline_evidence_source"]) == ("ank", "by_word")
    assert flagged(row) == ([], ["ank"])


def test_a_lone_word_beside_the_date_is_no_evidence(tmp_path: Path) -> None:
    # A place, a kicker or a share button stands there as often as a name.
    for credit in ("3. Mai 2022 | Bonn", "3. Mai 2022 | Kerstin"):
        row = main_article(tmp_path, markdown_page(credit))
        assert pd.isna(row["byline_evidence"]), credit
        assert len(flagged(row)[0]) == 1, credit


def test_section_link_and_labels_beside_the_date_are_no_evidence(tmp_path: Path) -> None:
    for credit in (
        "[Politik](https://www.uferbote.example/politik/) | 3. Mai 2022",
        "Aktualisiert | 3. Mai 2022",
        "Lesezeit: 3 Min. | 3. Mai 2022",
    ):
        row = main_article(tmp_path, markdown_page(credit))
        assert pd.isna(row["byline_evidence"]), credit
        assert len(flagged(row)[0]) == 1, credit


def test_page_with_no_byline_evidence_is_still_missing(tmp_path: Path) -> None:
    row = main_article(tmp_path, markdown_page("3. Mai 2022, 14:05 Uhr"))
    assert pd.isna(row["byline"]) and pd.isna(row["byline_evidence"])
    missing, evidence = flagged(row)
    assert len(missing) == 1 and evidence == []


def test_menu_link_to_the_authors_directory_is_no_evidence(tmp_path: Path) -> None:
    row = main_article(
        tmp_path,
        markdown_page("[Autoren](https://www.uferbote.example/autor/autoren) · 3. Mai 2022"),
    )
    assert pd.isna(row["byline_evidence"])
    assert len(flagged(row)[0]) == 1


def test_accepted_byline_leaves_no_evidence(tmp_path: Path) -> None:
    row = main_article(tmp_path, markdown_page("Von Anna Weber | 3. Mai 2022"))
    assert row["byline"] == "Anna Weber" and pd.isna(row["byline_evidence"])
    assert flagged(row) == ([], [])


def test_html_one_word_jsonld_author_is_unconfirmed_with_its_line(tmp_path: Path) -> None:
    head = jsonld(
        {
            "@context": "https://schema.org",
            "@type": "NewsArticle",
            "author": "ank",
            "datePublished": "2024-03-05",
        }
    )
    html = page(head=head)
    row = main_row(tmp_path, html)
    assert pd.isna(row["byline"])
    assert (row["byline_evidence"], row["byline_evidence_source"]) == ("ank", "jsonld")
    # The line of the HTML source that states it: the JSON-LD script's.
    script_line = next(i for i, t in enumerate(html.splitlines(), 1) if "ld+json" in t)
    assert row["byline_evidence_line"] == script_line
    assert flagged(row) == ([], ["ank"])


def test_html_organisation_author_is_a_credit_not_evidence(tmp_path: Path) -> None:
    head = jsonld(
        {
            "@context": "https://schema.org",
            "@type": "NewsArticle",
            "author": {"@type": "Organization", "name": "Harbour Ledger"},
        }
    )
    row = main_row(tmp_path, page(head=head))
    assert row["credit"] == "Harbour Ledger" and pd.isna(row["byline_evidence"])
    assert flagged(row) == ([], [])


def test_end_to_end_findings_point_at_the_evidence_line(tmp_path: Path) -> None:
    dump = tmp_path / "dump"
    dump.mkdir()
    (dump / "a.md").write_text(
        markdown_page("[fri.juli](https://www.uferbote.example/autor/fri-juli) · 3. Mai 2022"),
        encoding="utf-8",
    )
    (dump / "b.md").write_text(markdown_page("3. Mai 2022, 14:05 Uhr"), encoding="utf-8")
    result = run(RunOptions(dump=str(dump), out_dir=tmp_path / "out", samples=0))
    rows = [json.loads(line) for line in result.findings_path.read_text().splitlines()]
    byline = {(f["check"], f["source_path"]) for f in rows if f["check"].startswith("byline.")}
    assert byline == {("byline.unconfirmed", "a.md"), ("byline.missing", "b.md")}
    found = next(f for f in rows if f["check"] == "byline.unconfirmed")
    assert (found["line"], found["field"], found["evidence"]) == (7, "byline_evidence", "fri.juli")
    assert found["severity"] == "warning" and "author page" in found["message"]


def test_record_dump_is_judged_by_its_author_field_alone(tmp_path: Path) -> None:
    """An extractor's record with a handle in its text and no author: byline.missing
    as before, no byline evidence columns filled."""
    dump = tmp_path / "feed.jsonl"
    record = {
        "title": "Stadtrat beschließt neuen Radweg",
        "text": "[fri.juli](https://www.uferbote.example/autor/fri-juli)\n\n" + PROSE,
        "author": None,
        "url": "https://www.uferbote.example/lokal/radweg",
    }
    dump.write_text(json.dumps(record) + "\n", encoding="utf-8")
    result = run(RunOptions(dump=str(dump), out_dir=tmp_path / "out", samples=0))
    checks = [json.loads(line)["check"] for line in result.findings_path.read_text().splitlines()]
    assert "byline.missing" in checks and "byline.unconfirmed" not in checks


@settings(max_examples=80, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from([None, "", "Ana Ruiz"]),
            st.sampled_from([None, "Reuters", "Der Abendbote"]),
            st.sampled_from([None, "fri.juli"]),
        ),
        min_size=1,
        max_size=12,
    )
)
def test_missing_and_unconfirmed_split_the_unsigned(rows: list[tuple[str | None, ...]]) -> None:
    """Every article with no byline and no organisation credit gets exactly one of
    the two findings; evidence decides which; signed articles get neither."""
    articles = pd.DataFrame(
        {
            "byline": pd.array([r[0] for r in rows], dtype="str"),
            "credit": pd.array([r[1] for r in rows], dtype="str"),
            "byline_evidence": pd.array([r[2] for r in rows], dtype="str"),
            "byline_evidence_source": pd.array(
                [None if r[2] is None else "author_link" for r in rows], dtype="str"
            ),
        }
    )
    missing = set(BylineMissing().run(articles, pd.DataFrame())["row"])
    unconfirmed = set(BylineUnconfirmed().run(articles, pd.DataFrame())["row"])
    assert not missing & unconfirmed
    for k, (byline, credit, evidence) in enumerate(rows):
        unsigned = not byline and credit in (None, "Reuters")
        assert (k in missing or k in unconfirmed) == unsigned
        assert (k in unconfirmed) == (unsigned and evidence is not None)
    # Without the evidence column (a frame built by hand, a record dump's) nothing moves.
    plain = articles.drop(columns=["byline_evidence", "byline_evidence_source"])
    assert set(BylineMissing().run(plain, pd.DataFrame())["row"]) == missing | unconfirmed
    assert BylineUnconfirmed().run(plain, pd.DataFrame()).empty
