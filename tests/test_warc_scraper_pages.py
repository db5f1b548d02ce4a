"""WARC files and Markdown-scraper JSON as pages: provenance, evidence, bad input."""

from __future__ import annotations

import json
from io import BytesIO
from pathlib import Path

import pandas as pd
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from corpus_qa.ingest import discover, iter_units
from corpus_qa.ingest.batch import RecordBatch
from corpus_qa.ingest.page_files import PageUnit
from corpus_qa.parse import parse_unit
from corpus_qa.tables.build import build_tables, drafts_frame
from tests.test_html_pages import jsonld, page

MARKDOWN = """[Home](/) | [Politik](/politik) | [Wirtschaft](/wirtschaft) | [Sport](/sport)

* [Lokales](/lokal)
* [Kultur](/kultur)
* [Meinung](/meinung)
* [Video](/video)
* [Podcast](/podcast)
* [Wetter](/wetter)

# Fähre: Das alte Terminal schließt

Der Hafenrat hat am Dienstag beschlossen, das alte Fährterminal zu schließen, nachdem Ingenieure Risse im Pier gefunden hatten, deren Reparatur das Budget sprengen würde.

Die Pendler müssen ab März auf den Bus ausweichen; die Stadt verspricht dichtere Takte in den Morgenstunden und einen kostenlosen Shuttle zum neuen Anleger im Norden.

Ein neues Terminal soll bis 2027 entstehen, finanziert aus Mitteln des Landes und der Hafengesellschaft, die sich nach langem Streit auf einen Kostenschlüssel geeinigt haben.

© 2024 Der Abendbote
"""


def scraper_record(author: str, **more: str) -> dict[str, object]:
    metadata = {
        "title": "Fähre: Das alte Terminal schließt",
        "author": author,
        "publishedTime": "2024-03-05T09:30:00+01:00",
        "ogSiteName": "Der Abendbote",
        "sourceURL": "https://www.derabendbote.example/lokal/faehre",
        "language": "de",
        **more,
    }
    return {"markdown": MARKDOWN, "metadata": metadata}


def tables(path: Path) -> tuple[pd.DataFrame, list[PageUnit | RecordBatch]]:
    units = list(iter_units(discover(path)))
    drafts = [d for u in units if isinstance(u, PageUnit) for d in parse_unit(u).articles]
    articles, _ = build_tables(drafts_frame(drafts))
    return articles[articles["role"] == "main"].reset_index(drop=True), units


def test_scraper_jsonl_goes_to_the_page_parser(tmp_path: Path) -> None:
    path = tmp_path / "firecrawl.jsonl"
    rows = [scraper_record("Greta Sommer"), scraper_record("Der Abendbote")]
    path.write_text(
        "\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n{broken\n",
        encoding="utf-8",
    )
    main, units = tables(path)
    assert len(main) == 2
    assert list(main["record_id"]) == ["firecrawl.jsonl:1#0", "firecrawl.jsonl:2#0"]
    assert main.loc[0, "byline"] == "Greta Sommer" and main.loc[0, "byline_source"] == "metadata"
    assert pd.isna(main.loc[1, "byline"])  # the outlet's own name is no byline
    assert (main["published_source"] == "metadata").all()
    assert main.loc[0, "url"] == "https://www.derabendbote.example/lokal/faehre"
    assert list(main["line_start"]) == [1, 2] and list(main["title_line"]) == [1, 2]
    assert "Hafenrat" in main.loc[0, "body"] and "Politik" not in main.loc[0, "body"]
    bad = [q for u in units if isinstance(u, RecordBatch) for q in u.quarantined]
    assert [(q.line, q.kind) for q in bad] == [(3, "input.malformed")]


def test_scraper_json_array(tmp_path: Path) -> None:
    path = tmp_path / "crawl.json"
    path.write_text(json.dumps([scraper_record("Ana Ruiz")]), encoding="utf-8")
    main, _ = tables(path)
    assert list(main["byline"]) == ["Ana Ruiz"]


def test_plain_records_are_still_records(tmp_path: Path) -> None:
    path = tmp_path / "trafilatura.jsonl"
    path.write_text(json.dumps({"title": "T", "text": "Body", "author": "Ana Ruiz"}) + "\n")
    units = list(iter_units(discover(path)))
    assert len(units) == 1 and isinstance(units[0], RecordBatch)
    assert units[0].frame.loc[0, "byline_source"] == "field"


def _response(writer: WARCWriter, uri: str, html: bytes, content_type: str) -> None:
    headers = StatusAndHeaders("200 OK", [("Content-Type", content_type)], protocol="HTTP/1.1")
    record = writer.create_warc_record(uri, "response", payload=BytesIO(html), http_headers=headers)
    writer.write_record(record)


def write_warc(path: Path, *, gzip: bool = True, html_pages: int = 2) -> bytes:
    buffer = BytesIO()
    writer = WARCWriter(buffer, gzip=gzip)
    writer.write_record(writer.create_warcinfo_record(path.name, {"software": "test"}))
    head = jsonld({"@type": "NewsArticle", "author": {"@type": "Person", "name": "Ana Ruiz"}})
    for i in range(html_pages):
        uri = f"https://harbourledger.example/news/{i}"
        _response(writer, uri, page(head=head).encode(), "text/html; charset=utf-8")
    _response(writer, "https://harbourledger.example/logo.png", b"\x89PNG....", "image/png")
    data = buffer.getvalue()
    path.write_bytes(data)
    return data


def test_warc_html_responses_are_pages(tmp_path: Path) -> None:
    path = tmp_path / "news.warc.gz"
    write_warc(path)
    main, units = tables(path)
    assert len(main) == 2
    assert list(main["url"]) == [
        "https://harbourledger.example/news/0",
        "https://harbourledger.example/news/1",
    ]
    assert all(rid.startswith("news.warc.gz@") for rid in main["record_id"])
    offsets = [int(rid.split("@")[1].split("#")[0]) for rid in main["record_id"]]
    assert offsets[0] > 0 and offsets[1] > offsets[0]
    assert (main["byline"] == "Ana Ruiz").all() and (main["byline_source"] == "jsonld").all()
    skipped = [q for u in units if isinstance(u, RecordBatch) for q in u.issues]
    assert [q.kind for q in skipped] == ["input.skipped"]
    assert "2 WARC records skipped" in skipped[0].reason


def test_plain_warc_and_one_without_html(tmp_path: Path) -> None:
    path = tmp_path / "plain.warc"
    write_warc(path, gzip=False, html_pages=0)
    units = list(iter_units(discover(path)))
    assert not any(isinstance(u, PageUnit) for u in units)
    assert [q.kind for u in units if isinstance(u, RecordBatch) for q in u.issues] == [
        "input.skipped"
    ]


def test_truncated_warc_keeps_the_records_before_the_damage(tmp_path: Path) -> None:
    path = tmp_path / "cut.warc.gz"
    data = write_warc(path, html_pages=3)
    path.write_bytes(data[: len(data) * 2 // 3])
    main, units = tables(path)
    assert 1 <= len(main) <= 2
    lost = [q for u in units if isinstance(u, RecordBatch) for q in u.quarantined]
    assert len(lost) == 1 and lost[0].kind == "input.truncated"
    assert lost[0].byte_offset is not None and "damaged WARC record" in lost[0].reason


def test_truncated_gzip_scraper_jsonl(tmp_path: Path) -> None:
    import gzip
    import hashlib

    records = [scraper_record(f"Ana Ruiz {i}") for i in range(20)]
    for i, record in enumerate(records):
        # Text that does not compress away, so half the archive holds whole records.
        record["markdown"] = (
            f"{record['markdown']}\n\n{hashlib.sha256(str(i).encode()).hexdigest() * 40}"
        )
    lines = "".join(json.dumps(r) + "\n" for r in records)
    data = gzip.compress(lines.encode())
    path = tmp_path / "crawl.jsonl.gz"
    path.write_bytes(data[: len(data) // 2])
    units = list(iter_units(discover(path)))
    pages = [u for u in units if isinstance(u, PageUnit)]
    lost = [q for u in units if isinstance(u, RecordBatch) for q in u.quarantined]
    assert 1 <= len(pages) < 20
    assert lost and lost[-1].kind == "input.truncated"
