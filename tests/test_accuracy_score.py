"""The accuracy scorer's name and segment matching (fair to gold noise)."""

from __future__ import annotations

from pathlib import Path

from accuracy.run import split_folder, split_of
from accuracy.score import (
    classify_without,
    gold_is_outlet,
    locate_stripped,
    names_match,
    strip_markup,
)


def test_names_match_ignores_order_case_and_gold_noise() -> None:
    assert names_match("Adam Aaronson", "ADAM AARONSON")
    assert names_match(
        "Sebastian Drescher, Roland Brockmann", "Von Roland Brockmann und Sebastian Drescher"
    )
    assert names_match(
        "Glen Owen, Brendan Carlin", "Glen Owen And Brendan Carlin For The Mail On Sunday"
    )
    assert names_match("Amber Guetebier", "Amber Guetebier  Shares")
    assert not names_match("Jessica Holly", "Jessica Holly, Gail Levy")
    assert not names_match(None, "Jane Doe")
    assert not names_match("John Roe", "Jane Doe")


def test_credits_beside_people_are_optional_on_both_sides() -> None:
    # A desk code, an agency or the outlet itself next to the people named.
    assert names_match("Ana Ruiz, Ben Ode", "ANA RUIZ, BEN ODE, 7 NEWS EXAMPLE")
    assert names_match("Ana Ruiz, dpa", "Ana Ruiz")
    assert names_match("Ana Ruiz", "Ana Ruiz; XTV", site="xtv.example")
    # A credit alone is compared as it is, and people still must all be there.
    assert names_match("XTV", "XTV", site="xtv.example")
    assert not names_match("dpa", "Ana Ruiz")
    assert not names_match("Ana Ruiz, dpa", "Ana Ruiz, Ben Ode")
    # A broadcaster's or agency's code in capitals beside the people is a credit too.
    assert names_match("Ana Ruiz, Ben Ode", "Ana Ruiz; Ben Ode; XTV", site="news.example")
    assert names_match("Ana Ruiz, EX-P", "Ana Ruiz")
    assert not names_match("XTV", "Ana Ruiz")


def test_strip_markup_matches_across_links_and_emphasis() -> None:
    assert strip_markup("Die **neue** [Regel](https://x.example/a) gilt") == strip_markup(
        "Die neue Regel gilt"
    )


def test_split_is_a_stable_hash_of_the_id() -> None:
    assert {split_of(f"{i:016x}") for i in range(40)} == {"dev", "holdout"}
    assert split_of("001f43cb87b4416b") == split_of("001f43cb87b4416b")


def test_a_label_inside_a_sentence_is_not_a_leak() -> None:
    body = ["Title", "Sie teilte das Video auf Facebook, wo es tausendfach geteilt wurde."]
    assert classify_without("Facebook", body, "\n".join(body)) == "label_in_text"
    # As a paragraph of its own (a share button), the same label has leaked.
    assert classify_without("Facebook", [*body, "Facebook"], "") == "leak"
    # Split over two lines of a link list: a leak too.
    assert classify_without("Home Politik", ["Home", "Politik", *body], "") == "leak"


def test_a_passage_the_page_repeats_is_not_counted_against_the_copy_kept() -> None:
    lede = "Der Rat beschloss den Haushalt nach langer Debatte am Dienstag."
    page = f"* [{lede}](https://x.example/teaser)\n\n# Title\n\n{lede}\n"
    assert classify_without(lede, ["Title", lede], page) == "duplicate"
    # Every copy on the page is in the body: that is a leak.
    assert classify_without(lede, ["Title", lede], f"# Title\n\n{lede}\n") == "leak"
    assert classify_without("Nicht im Text", ["Title", lede], page) == "absent"


def test_date_visible_finds_the_gold_day_in_common_written_forms() -> None:
    from accuracy.run import date_visible

    for text in (
        "Von Ana Ruiz | 1. Januar 2023, 9:30 Uhr",
        "Publié le jeudi 1 janvier 2023",
        "Posted on January 1st, 2023 by Ana",
        "Stand: 01.01.2023 18:00",
        "2023-01-01T09:30:00+01:00",
        "1 de enero de 2023",
    ):
        assert date_visible(text, "2023-01-01"), text
    for text in ("11.01.2023", "1. Februar 2023", "21 January 2023", "2023-01-011"):
        assert not date_visible(text, "2023-01-01"), text
    # A link's or an image's target is no text a reader sees; the link's text is.
    for text in (
        "![](https://example.org/uploads/2023-01-01-photo.jpg)",
        '[Archiv](https://example.org/archiv?date=2023-01-01 "1. Januar 2023")',
        "Foto: https://example.org/2023-01-01/bild.png",
    ):
        assert not date_visible(text, "2023-01-01"), text
    assert date_visible("[1. Januar 2023](https://example.org/2023-01-01)", "2023-01-01")
    assert not date_visible("anything", "2022-25-10")  # gold that is no calendar day


def test_pack_warc_names_each_record_by_its_page(tmp_path: Path) -> None:
    from accuracy.run import pack_warc, page_tables

    html = tmp_path / "html"
    html.mkdir()
    gold = []
    for n, name in enumerate(("Ana Ruiz", "Ben Roe")):
        page_id = f"{n:016x}"
        story = " ".join(["The council voted on Tuesday to close the old ferry terminal."] * 8)
        (html / f"{page_id}.html").write_text(
            f"<html><body><nav><a href='/a'>A</a> <a href='/b'>B</a></nav><article>"
            f"<h1>Ferry terminal {n}</h1><p>By {name}</p>"
            + f"<p>{story}</p>" * 5
            + "</article></body></html>",
            encoding="utf-8",
        )
        gold.append({"id": page_id, "file": f"{page_id}.md", "url": f"https://x.example/{n}"})
    warc = tmp_path / "pages.warc.gz"
    key = pack_warc(html, gold, warc)
    rows = page_tables(warc, key)
    assert sorted(rows.index) == ["0000000000000000.md", "0000000000000001.md"]
    assert rows.loc["0000000000000000.md", "url"] == "https://x.example/0"
    assert rows.loc["0000000000000001.md", "url"] == "https://x.example/1"
    assert key(str(warc), f"{warc}@999999#0") is None


def test_split_folder_links_only_the_splits_pages(tmp_path: Path) -> None:
    corpus = tmp_path / "pages"
    corpus.mkdir()
    for name in ("a.md", "b.md", "c.md"):
        (corpus / name).write_text(f"# {name}\n", encoding="utf-8")
    linked = split_folder(corpus, ["a.md", "c.md", "missing.md"], tmp_path / "split")
    assert sorted(p.name for p in linked.iterdir()) == ["a.md", "c.md"]
    assert (linked / "c.md").read_text(encoding="utf-8") == "# c.md\n"
    assert (linked / "a.md").is_symlink()


def test_a_segment_is_located_in_markdown_as_strip_markup_compares_it() -> None:
    body = "Intro line.\n\nDie **neue** [Regel](https://x.example/a)\ngilt ab Montag.\n\nEnde."
    start, end = locate_stripped("Die neue Regel gilt ab Montag.", body) or (0, 0)
    assert body[start:end] == "Die **neue** [Regel](https://x.example/a)\ngilt ab Montag."
    # Case and whitespace are ignored as in strip_markup; absent text is None.
    assert locate_stripped("ENDE.", body) == (len(body) - 5, len(body))
    assert locate_stripped("Nicht da", body) is None
    assert locate_stripped("", body) is None


def test_gold_is_outlet_when_it_spells_the_domain() -> None:
    assert gold_is_outlet("telebasel", "telebasel.ch")
    assert gold_is_outlet("przepisy.pl", "przepisy.pl")
    assert gold_is_outlet("Oekologisch-bauen", "www.oekologisch-bauen.info")
    assert gold_is_outlet("SolarServer", "solarserver.de")
    # A name that only contains the site's name, or another site's, is no outlet.
    assert not gold_is_outlet("Greenpeace Energy", "greenpeace.de")
    assert not gold_is_outlet("SWR Fernsehen", "ardmediathek.de")
    assert not gold_is_outlet("Ana Ruiz", "example.com")
    assert not gold_is_outlet("", "example.com")
