"""Extractors' native dumps are read with no --field, the same way per record and per column."""

from __future__ import annotations

import io
import json
import re
import tempfile
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.json as pa_json
import pytest
from hypothesis import given
from hypothesis import strategies as st

from corpus_qa.ingest import RecordBatch, discover, iter_units
from corpus_qa.ingest.columnar import map_table
from corpus_qa.ingest.fields import FieldMap, Positions, map_rows
from corpus_qa.ingest.outlets import arrow_outlets, record_outlet, registrable_domain
from corpus_qa.ingest.page_files import PageUnit
from corpus_qa.parse import parse_unit
from corpus_qa.tables.build import build_tables, drafts_frame

FIXTURES = Path(__file__).parent / "fixtures" / "extractors"
TEXT_COLUMNS = ["record_id", "body", "title", "byline", "published_raw", "url", "outlet"]


def _records(path: Path) -> list[dict[str, Any]]:
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".jsonl":
        return [json.loads(line) for line in text.splitlines() if line.strip()]
    value = json.loads(text)
    return value if isinstance(value, list) else [value]


def _read(path: Path) -> pd.DataFrame:
    frames = []
    for unit in iter_units(discover(path)):
        assert isinstance(unit, RecordBatch)
        assert not unit.quarantined, [q.reason for q in unit.quarantined]
        frames.append(unit.frame)
    return pd.concat(frames, ignore_index=True)


def _row(frame: pd.DataFrame, i: int) -> dict[str, Any]:
    return {c: (None if pd.isna(v) else v) for c, v in frame.iloc[i][TEXT_COLUMNS].items()}


EXPECTED: dict[str, list[dict[str, Any]]] = {
    "trafilatura.jsonl": [
        {
            "title": "Stadtrat beschließt neuen Radweg",
            "byline": "Anna Müller; Jonas Weber",
            "published_raw": "2024-05-14",
            "url": "https://www.stadtanzeiger-beispiel.de/lokales/radweg-hauptstrasse-123.html",
            "outlet": "Stadtanzeiger",
        },
        # No site name: the URL's registrable domain, never the URL.
        {"byline": "Par Claire Dubois", "outlet": "journal-exemple.fr"},
        # A site name that is a host: its registrable domain (co.uk is a public suffix).
        {"byline": None, "outlet": "example.co.uk"},
    ],
    "newspaper4k.jsonl": [
        {
            "byline": "Petra Schmidt, Lukas Braun",
            "published_raw": "2024-09-02T08:15:00+02:00",
            "outlet": "Tageblatt",
        },
        {"byline": None, "published_raw": None, "outlet": "diario-ejemplo.es"},
        # A failed extraction (only id and url) is checked, not quarantined.
        {"record_id": "np-3", "body": "", "title": None, "outlet": "diario-ejemplo.es"},
    ],
    "newsplease.json": [
        {
            "title": "Bibliotecas abiertas hasta la noche",
            "byline": "Marta López",
            "published_raw": "2024-03-04 18:30:00",
            "url": "https://www.noticias-ejemplo.com.ar/ciudad/bibliotecas",
            "outlet": "noticias-ejemplo.com.ar",
        }
    ],
    "fundus.jsonl": [
        {
            "body": "Im Schwarzwald wurde eine bislang unbekannte Käferart entdeckt.\n\n"
            "Das Tier ist nur vier Millimeter lang.\n\nEs lebt in Totholz.\n\n"
            "Wie es weitergeht\n\nDie Forscher wollen weitere Proben nehmen.",
            "byline": "Julia Neumann",
            "published_raw": "2024-06-01 09:00:00+02:00",
            "outlet": "zeitung-beispiel.de",
        },
        {"byline": "Sam Patel, Ruth Owen", "outlet": "city-example.com"},
    ],
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_native_dump_maps_with_no_field_option(name: str) -> None:
    frame = _read(FIXTURES / name)
    assert len(frame) == len(EXPECTED[name])
    for i, expected in enumerate(EXPECTED[name]):
        row = _row(frame, i)
        assert {k: row[k] for k in expected} == expected, (name, i)
        assert row["outlet"] is None or "://" not in row["outlet"]


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_per_record_and_columnar_mapping_agree(name: str, tmp_path: Path) -> None:
    records = _records(FIXTURES / name)
    pos = Positions("dump.jsonl", list(range(1, len(records) + 1)))
    by_rows, quarantined = map_rows(records, pos, FieldMap())
    assert not quarantined
    # As JSON Lines, the reader maps Arrow columns (fundus' body objects go per record).
    lines = tmp_path / "dump.jsonl"
    lines.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records))
    by_columns = _read(lines)
    for i in range(len(records)):
        assert _row(by_rows, i) == _row(by_columns, i)
        assert list(by_rows["images"].iloc[i]) == list(by_columns["images"].iloc[i])


def test_markdown_scraper_output_is_read_as_pages() -> None:
    """Firecrawl's records are whole pages: the page parser reads each ``markdown``,
    the ``metadata`` object is evidence (tests/test_warc_scraper_pages.py)."""
    units = list(iter_units(discover(FIXTURES / "firecrawl.json")))
    assert [type(u).__name__ for u in units] == ["PageUnit", "PageUnit"]
    drafts = [d for u in units if isinstance(u, PageUnit) for d in parse_unit(u).articles]
    rows = build_tables(drafts_frame(drafts))[0]
    assert rows["title"].iloc[0] == "Festival draws record crowds"
    assert rows["byline"].tolist()[0] == "Leah Brown" and pd.isna(rows["byline"].iloc[1])
    assert rows["byline_source"].tolist()[0] == "metadata"
    assert rows["published_raw"].tolist() == ["2024-08-11T20:00:00Z", "2024-07-01"]
    assert rows["published_source"].tolist() == ["metadata", "metadata"]
    assert rows["url"].iloc[0] == "https://harbourherald.example.com/2024/08/festival"


def test_columnar_mapping_reads_object_fields() -> None:
    records = _records(FIXTURES / "firecrawl.json")
    lines = "".join(json.dumps(r) + "\n" for r in records).encode()
    schema = pa.schema(FieldMap().nested_types())
    options = pa_json.ParseOptions(explicit_schema=schema, unexpected_field_behavior="infer")
    table = pa_json.read_json(io.BytesIO(lines), parse_options=options)
    pos = Positions("f", [1, 2])
    frame, quarantined = map_table(table, pos, FieldMap())
    assert not quarantined
    assert frame["published_raw"].tolist() == ["2024-08-11T20:00:00Z", "2024-07-01"]
    assert frame["url"].iloc[1] == "https://www.kreisbote-beispiel.de/verkehr/bruecke"


def test_images_of_each_tool_are_read() -> None:
    srcs = {
        name: [[image["src"] for image in row] for row in _read(FIXTURES / name)["images"]]
        for name in ("trafilatura.jsonl", "newspaper4k.jsonl", "fundus.jsonl")
    }
    assert srcs["trafilatura.jsonl"][0] == ["https://www.stadtanzeiger-beispiel.de/img/radweg.jpg"]
    assert len(srcs["newspaper4k.jsonl"][0]) == 2
    assert srcs["fundus.jsonl"][0] == ["https://www.zeitung-beispiel.de/img/kaefer-1200.jpg"]


def test_single_newline_paragraphs_become_blank_line_breaks() -> None:
    source = _records(FIXTURES / "trafilatura.jsonl")[0]["text"]
    body = _read(FIXTURES / "trafilatura.jsonl")["body"].iloc[0]
    assert body.split("\n\n") == source.split("\n")
    # Offset k of the tool's text is k plus the line breaks before it in the body.
    for match in re.finditer(r"Millionen Euro|Herbst", source):
        shift = source.count("\n", 0, match.start())
        assert body[match.start() + shift : match.end() + shift] == match.group()


def test_bodies_with_blank_lines_keep_their_single_newlines() -> None:
    text = "Erster Absatz.\n\nZweiter Absatz,\nmit Zeilenumbruch."
    records = [{"id": "1", "text": text}]
    frame, _ = map_rows(records, Positions("x", [1]), FieldMap())
    assert frame["body"].iloc[0] == text


@pytest.mark.parametrize(
    ("host", "domain"),
    [
        ("www.bbc.co.uk", "bbc.co.uk"),
        ("WWW.Spiegel.DE", "spiegel.de"),
        ("sibenlab.blogspot.com", "sibenlab.blogspot.com"),
        ("world.kbs.co.kr", "kbs.co.kr"),
        ("localhost", "localhost"),
        ("co.uk", "co.uk"),
    ],
)
def test_registrable_domain_from_the_bundled_list(host: str, domain: str) -> None:
    assert registrable_domain(host) == domain


SITE = st.one_of(
    st.none(),
    st.sampled_from(["Der Spiegel", "tdg.ch/", "www.lemonde.fr", "https://x.org/a", "T-Online"]),
    st.text(max_size=12).filter(str.strip),
)
URL = st.one_of(
    st.none(),
    st.sampled_from(["https://www.bbc.co.uk/news/1", "http://a.b.blogspot.com/x", "//cdn.ex.de/p"]),
    st.from_regex(r"https?://[a-z0-9.-]{1,20}(/[a-z]{0,5})?", fullmatch=True),
)


@given(st.lists(st.tuples(SITE, URL), min_size=1, max_size=20))
def test_outlets_per_value_and_per_column_agree(pairs: list[tuple[str | None, str | None]]) -> None:
    outlets = pa.chunked_array([pa.array([p[0] for p in pairs], pa.large_string())])
    urls = pa.chunked_array([pa.array([p[1] for p in pairs], pa.large_string())])
    expected = [record_outlet(site, url) for site, url in pairs]
    assert arrow_outlets(outlets, urls).to_pylist() == expected


WORDS = st.sampled_from(
    ["Der Spiegel", "tdg.ch/", "www.lemonde.fr", "https://www.bbc.co.uk/news/1", "", "  ",
     "Anna Müller; Jonas Weber", "2024-05-14", "Erster Absatz.\nZweiter.", "x.y", "Reuters"]
)  # fmt: skip
VALUE = st.one_of(st.none(), WORDS, st.text(max_size=8))
# Author fields are typed by Arrow from the data (strings or lists), so a date-like
# name would be read as a timestamp: names here are names (see jsonl._JsonlSchema).
NAMES = st.sampled_from(["Anna Müller; Jonas Weber", "Claire Dubois", "", "  ", "Reuters"])
FIELDS = (
    "text", "maintext", "title", "headline", "date", "publish_date", "url",
    "source", "sitename", "meta_site_name", "source-hostname", "hostname", "source_domain",
)  # fmt: skip
METADATA = st.fixed_dictionaries(
    {},
    optional={k: VALUE for k in ("title", "author", "publishedTime", "ogSiteName", "sourceURL")},
)
EXTRACTOR_RECORD = st.fixed_dictionaries(
    {},
    optional={
        **{name: VALUE for name in FIELDS},
        "author": st.one_of(st.none(), NAMES),
        "authors": st.lists(NAMES, max_size=3),
        "images": st.lists(st.sampled_from(["https://e.org/a.jpg", "/b.png", ""]), max_size=3),
        "metadata": METADATA,
    },
)


@given(st.lists(EXTRACTOR_RECORD, min_size=1, max_size=12))
def test_reader_and_per_record_mapping_agree_on_extractor_records(
    records: list[dict[str, Any]],
) -> None:
    pos = Positions("dump.jsonl", list(range(1, len(records) + 1)))
    by_rows, quarantined = map_rows(records, pos, FieldMap())
    kept = {q.line for q in quarantined}
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "dump.jsonl"
        path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records))
        frames, lines = [], set()
        for unit in iter_units(discover(path)):
            assert isinstance(unit, RecordBatch)
            frames.append(unit.frame)
            lines |= {q.line for q in unit.quarantined}
    by_reader = pd.concat(frames, ignore_index=True)
    assert lines == kept
    assert len(by_rows) == len(by_reader)
    for i in range(len(by_rows)):
        assert _row(by_rows, i) == _row(by_reader, i)
        assert list(by_rows["images"].iloc[i]) == list(by_reader["images"].iloc[i])
