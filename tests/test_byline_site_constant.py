"""byline.site_constant: a metadata author that is a constant of the outlet (the same
``meta author`` on every page) is no byline, judged across the whole dump."""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from corpus_qa.checks.builtin.byline_site import BylineSiteConstant, _not_a_person
from corpus_qa.checks.global_state import InMemory
from corpus_qa.lexicons import phrases
from tests.conftest import examples, run_check
from tests.site_pages import (
    blog,
    constant_outlet,
    editor_outlet,
    every_page,
    small_outlet,
    write_html,
    write_records,
)
from tests.test_warc_scraper_pages import tables

CHECK = "byline.site_constant"


def articles(rows: list[tuple[str, str | None, str | None]], host: str) -> pd.DataFrame:
    """An articles frame of one outlet: (role, byline, byline_source) per article."""
    n = len(rows)
    return pd.DataFrame(
        {
            "record_id": pd.array([f"{host}-{k}" for k in range(n)], dtype="str"),
            "source_path": pd.array([f"{host}.jsonl"] * n, dtype="str"),
            "line_start": np.arange(1, n + 1, dtype="int64"),
            "role": pd.array([r[0] for r in rows], dtype="str"),
            "outlet": pd.array([None] * n, dtype="str"),
            "url": pd.array([f"https://www.{host}/a/{k}" for k in range(n)], dtype="str"),
            "byline": pd.array([r[1] for r in rows], dtype="str"),
            "byline_source": pd.array([r[2] for r in rows], dtype="str"),
        }
    )


def found(check: BylineSiteConstant, *chunks: pd.DataFrame) -> list[tuple[str, str]]:
    """(record id, message) of every finding over these chunks, in order."""
    state = pd.concat([check.observe(c, pd.DataFrame()) for c in chunks], ignore_index=True)
    hits, rows = check.finalize_rows(state, InMemory(state, check.spilled))
    assert rows is not None and len(rows) == len(hits)
    return list(zip(hits["record_id"].tolist(), hits["message"].tolist(), strict=True))


def outlet(stated: str, shown: list[str | None], source: str = "meta") -> list[tuple]:
    """Pages that print ``shown`` (``None``: no byline, so the metadata's wins)."""
    return [("main", s, "by_line") if s is not None else ("main", stated, source) for s in shown]


# Finalize: which values are site constants.


def test_a_constant_contradicted_by_visible_bylines_is_flagged() -> None:
    rows = outlet(
        "Markus Hoffmann", ["Laura Fischer", "Tobias Wolf", None, "Sabine Braun", None, None]
    )
    hits = found(BylineSiteConstant(), articles(rows, "heidekurier.example"))
    assert [r for r, _ in hits] == [f"heidekurier.example-{k}" for k in (2, 4, 5)]
    message = hits[0][1]
    assert "'Markus Hoffmann' (meta) is on 3 of 6 pages of heidekurier.example" in message
    assert "other bylines on 3" in message


def test_a_one_author_blog_is_not_flagged() -> None:
    rows = outlet("Ana Ruiz", ["Ana Ruiz", None, None, "Ana Ruiz", None, None, None])
    assert found(BylineSiteConstant(), articles(rows, "harbournotes.example")) == []


def test_a_blog_with_a_guest_post_is_not_flagged() -> None:
    # Her name printed on more pages than the guests': the guests do not contradict it.
    shown = ["Ana Ruiz", "Ana Ruiz", "Ana Ruiz", "Tom Guest", "Eva Gast", None, None, None]
    rows = outlet("Ana Ruiz", shown)
    assert found(BylineSiteConstant(), articles(rows, "harbournotes.example")) == []


def test_a_role_word_is_flagged_without_contradiction() -> None:
    rows = outlet("Redaktion", [None, None, None, None], source="metadata")
    hits = found(BylineSiteConstant(), articles(rows, "ostseebote.example"))
    assert len(hits) == 4
    assert "(metadata) is on 4 of 4 pages" in hits[0][1]
    assert "a role or account, not a person" in hits[0][1]


def test_the_outlets_own_name_is_flagged() -> None:
    rows = outlet("Ostseebote", [None, None, None])
    hits = found(BylineSiteConstant(), articles(rows, "ostseebote.example"))
    assert len(hits) == 3 and "the outlet's own name" in hits[0][1]


def test_a_person_who_owns_the_site_is_not_its_name() -> None:
    assert _not_a_person("Ana Ruiz", None, "anaruiz.example") == ""
    assert _not_a_person("Anaruiz", None, "anaruiz.example") == "the outlet's own name"


def test_below_the_minimum_pages_nothing_is_flagged() -> None:
    rows = outlet("Redaktion", [None, None, "Anna Weber", "Jonas Brandt", "Miriam Koch"])
    assert found(BylineSiteConstant(), articles(rows, "dorfblatt.example")) == []
    # Three pages reach it.
    more = outlet("Redaktion", [None, None, None, "Anna Weber", "Jonas Brandt"])
    assert len(found(BylineSiteConstant(), articles(more, "dorfblatt.example"))) == 3


def test_per_page_metadata_of_a_staff_is_not_a_constant() -> None:
    # Each page's metadata names its own author: the most frequent is 5 of 8.
    stated = ["Anna Weber"] * 5 + ["Jonas Brandt"] * 2 + ["Miriam Koch"]
    rows = [("main", s, "jsonld") for s in stated] + outlet("x", ["Jonas Brandt"] * 3)
    assert found(BylineSiteConstant(), articles(rows, "ostseebote.example")) == []
    # The share is an option.
    check = BylineSiteConstant({"min_share": 0.6})
    assert len(found(check, articles(rows, "ostseebote.example"))) == 5


def test_outlets_are_judged_apart_and_teasers_are_no_pages() -> None:
    one = articles(outlet("Redaktion", [None, None, None]), "ostseebote.example")
    two = articles(outlet("Anna Weber", [None, None, None]), "heidekurier.example")
    teasers = articles([("related", "Jonas Brandt", "by_line")] * 5, "heidekurier.example")
    hits = found(BylineSiteConstant(), one, two, teasers)
    assert {r.split("-")[0] for r, _ in hits} == {"ostseebote.example"}
    assert "on 3 of 3 pages" in hits[0][1]


def test_record_fields_are_not_judged() -> None:
    rows = [("record", "Redaktion", "field")] * 6
    assert found(BylineSiteConstant(), articles(rows, "ostseebote.example")) == []


def test_every_lexicon_language_has_account_words() -> None:
    from corpus_qa.lexicons import languages

    for lang in languages():
        assert phrases("site_constant.accounts", (lang,)), lang
    for word in ("Redaktion", "Staff", "admin", "La rédaction", "Redacción", "編集部"):
        assert _not_a_person(word, None, "x.example"), word


# Property: findings do not depend on record order or chunking.

_NAMES = ["Anna Weber", "Jonas Brandt", "Miriam Koch", "Redaktion", None]


@st.composite
def _dump(draw: st.DrawFn) -> pd.DataFrame:
    frames = []
    for host in ("ostseebote.example", "heidekurier.example"):
        stated = draw(st.sampled_from(["Redaktion", "Markus Hoffmann", "Anna Weber"]))
        shown = draw(st.lists(st.sampled_from(_NAMES), min_size=0, max_size=12))
        frames.append(articles(outlet(stated, shown), host))
    return pd.concat(frames, ignore_index=True)


@settings(max_examples=examples(60), deadline=None)
@given(dump=_dump(), seed=st.integers(0, 2**16), cuts=st.integers(1, 6))
def test_findings_do_not_depend_on_order_or_chunks(
    dump: pd.DataFrame, seed: int, cuts: int
) -> None:
    check = BylineSiteConstant()
    whole = sorted(found(check, dump))
    shuffled = dump.sample(frac=1.0, random_state=seed).reset_index(drop=True)
    bounds = np.linspace(0, len(shuffled), cuts + 1).astype(int)
    chunks = [shuffled.iloc[a:b].reset_index(drop=True) for a, b in itertools.pairwise(bounds)]
    assert sorted(found(check, *chunks)) == whole


# End to end: HTML pages and a scraper's JSON, through the CLI.


def _by_record(findings: list[dict]) -> dict[str, str]:
    return {f["record_id"]: f["evidence"] for f in findings if f["check"] == CHECK}


@pytest.mark.slow
@pytest.mark.parametrize("form", ["html", "scraper"])
def test_end_to_end(tmp_path: Path, form: str) -> None:
    pages = every_page()
    if form == "html":
        dump = write_html(tmp_path / "pages", pages)
    else:
        dump = write_records(tmp_path / "scrape" / "firecrawl.jsonl", pages)
    code, report, findings = run_check(dump, tmp_path / "out", "--jobs", "1")
    flagged = _by_record(findings)
    # Of the constant outlet, the 3 pages printing no byline; of the editor's, 4.
    assert sorted(flagged.values()) == ["Markus Hoffmann"] * 4 + ["Redaktion"] * 3
    hosts = {
        f["message"].split(" pages of ")[1].split(":")[0] for f in findings if f["check"] == CHECK
    }
    assert hosts == {"ostseebote.example", "heidekurier.example"}
    # Blog and small outlet: nothing.
    assert code == 1
    status = next(c for c in report["checks"] if c["id"] == CHECK)
    assert status["count"] == 7 and status["status"] == "fail"
    assert status["samples"][0]["field"] == "byline"
    # The articles still say where the byline came from.
    articles_, _ = tables(dump)
    sources = dict(zip(articles_["byline"], articles_["byline_source"], strict=False))
    assert sources["Redaktion"] in ("meta", "metadata")


@pytest.mark.slow
@pytest.mark.dask
def test_findings_are_the_same_on_every_engine(tmp_path: Path, dask_cluster: str) -> None:
    folder = tmp_path / "dump"
    write_html(folder / "html", [*constant_outlet(), *small_outlet()])
    write_records(folder / "scrape.jsonl", [*editor_outlet(), *blog(), *constant_outlet()])
    runs = {
        "one": ("--jobs", "1", "--chunk-size", "3"),
        "two": ("--jobs", "2", "--chunk-size", "3"),
        "dask": ("--engine", "dask", "--scheduler", dask_cluster, "--chunk-size", "3"),
    }
    outputs = {}
    for name, args in runs.items():
        run_check(folder, tmp_path / name, *args)
        outputs[name] = (tmp_path / name / "findings.jsonl").read_bytes()
    assert outputs["one"] == outputs["two"] == outputs["dask"]
    lines = [json.loads(line) for line in outputs["one"].splitlines()]
    assert len(_by_record(lines)) == 3 + 4 + 3
