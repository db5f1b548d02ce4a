"""Mapping a record's fields onto the draft articles columns, one record at a time.

This is the reference mapping: :mod:`corpus_qa.ingest.columnar` does the same on
Arrow tables, column by column, for the common clean cases, and hands anything
unusual (mixed types, objects where text belongs) back to :func:`map_rows`.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, fields
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from corpus_qa.errors import ConfigError
from corpus_qa.ingest.outlets import record_outlet
from corpus_qa.ingest.values import (
    BadField,
    Image,
    body_text,
    byline_text,
    image_list,
    outlet_text,
    scalar_text,
    type_name,
    url_text,
)
from corpus_qa.ingest.values import JsonNumber as JsonNumber
from corpus_qa.model import DRAFT_COLUMNS, Quarantined

#: Longest ``raw`` text kept for a quarantined record.
RAW_LIMIT = 10_000
#: A blank line: a body holding one already separates its paragraphs with them.
BLANK_LINE = r"\n[ \t\r]*\n"


@dataclass(frozen=True)
class FieldMap:
    """Candidate source field names per target column, tried in order (first non-empty).

    The defaults read the native output of common extractors with no ``--field``:
    trafilatura, newspaper4k, news-please, fundus, and Markdown scrapers (Firecrawl,
    Crawl4AI) whose page metadata sits in an object (``metadata.title``: a dotted name
    reads a field of an object field).
    """

    record_id: tuple[str, ...] = ("id", "_id", "uuid", "doc_id", "article_id")
    body: tuple[str, ...] = (
        "text",
        "maintext",
        "plaintext",
        "content",
        "body",
        "markdown",
        "article",
        "article_text",
    )
    title: tuple[str, ...] = ("title", "headline", "metadata.title", "metadata.ogTitle")
    byline: tuple[str, ...] = ("author", "authors", "byline", "creator", "metadata.author")
    published_raw: tuple[str, ...] = (
        "date",
        "published",
        "publish_date",
        "date_publish",
        "publishing_date",
        "pubDate",
        "published_at",
        "datetime",
        "metadata.publishedTime",
    )
    #: Only values that are URLs count (trafilatura's ``source`` is the page URL).
    url: tuple[str, ...] = (
        "url",
        "link",
        "canonical_url",
        "metadata.sourceURL",
        "metadata.url",
        "source",
    )
    #: Explicit site names; a URL or host here becomes its registrable domain, and a
    #: record with none gets its URL's registrable domain (:mod:`.outlets`).
    outlet: tuple[str, ...] = (
        "outlet",
        "site",
        "sitename",
        "site_name",
        "meta_site_name",
        "source-hostname",
        "metadata.ogSiteName",
        "publisher",
        "source_domain",
        "source",
        "domain",
        "hostname",
    )
    images: tuple[str, ...] = ("images", "image", "top_image", "image_url")

    @classmethod
    def targets(cls) -> tuple[str, ...]:
        return tuple(f.name for f in fields(cls))

    @classmethod
    def from_options(cls, options: Sequence[str] | None) -> FieldMap:
        """Parse ``--field TARGET=NAME[,NAME...]`` values; a mapped target uses only its names.

        ``--field byline=`` (no name) turns a target off. Aliases: ``id``, ``author``, ``date``.
        """
        aliases = {"id": "record_id", "author": "byline", "date": "published_raw"}
        chosen: dict[str, list[str]] = {}
        for option in options or ():
            target, sep, names = option.partition("=")
            target = aliases.get(target.strip(), target.strip())
            if not sep:
                raise ConfigError(f"--field {option!r}: expected TARGET=FIELD, e.g. body=maintext")
            if target not in cls.targets():
                raise ConfigError(
                    f"--field {option!r}: unknown target {target!r}; "
                    f"expected one of: {', '.join(cls.targets())}"
                )
            chosen.setdefault(target, []).extend(n.strip() for n in names.split(",") if n.strip())
        return cls(**{t: tuple(dict.fromkeys(n)) for t, n in chosen.items()})

    def all_names(self) -> set[str]:
        """Every field read, an object field for each dotted name included."""
        names = {name for target in self.targets() for name in getattr(self, target)}
        return names | {name.split(".", 1)[0] for name in names if "." in name}

    def nested_types(self) -> list[tuple[str, pa.DataType]]:
        """Object fields that dotted names read into, as Arrow structs of text fields
        (``metadata: {title: string, ...}`` for ``metadata.title``): text stays as
        written (Arrow would turn a date into a timestamp)."""
        children: dict[str, dict[str, None]] = {}
        for target in self.targets():
            for name in getattr(self, target):
                if "." in name:
                    root, _, child = name.partition(".")
                    children.setdefault(root, {})[child] = None
        return [(r, pa.struct([(c, pa.string()) for c in cs])) for r, cs in children.items()]


def field_value(record: dict[str, Any], name: str) -> Any:
    """``record[name]``; a dotted name not in the record reads a field of an object."""
    if name in record or "." not in name:
        return record.get(name)
    root, _, rest = name.partition(".")
    inner = record.get(root)
    return inner.get(rest) if isinstance(inner, dict) else None


@dataclass
class Positions:
    """Where each record of a batch came from, for provenance and quarantine entries."""

    display: str
    lines: Sequence[int]
    offsets: Sequence[int | None] | None = None
    #: Original text of each record (bytes are decoded leniently), for ``raw``.
    raws: Sequence[bytes | str | None] | None = None
    #: Positional ids ``display#index`` (JSON arrays, Parquet) rather than ``display:line``.
    index_ids: bool = False
    first_index: int = 0

    def fallback_id(self, i: int) -> str:
        if self.index_ids:
            return f"{self.display}#{self.first_index + i}"
        return f"{self.display}:{self.lines[i]}"

    def offset(self, i: int) -> int | None:
        return None if self.offsets is None else self.offsets[i]

    def raw(self, i: int) -> str | None:
        value = None if self.raws is None else self.raws[i]
        if isinstance(value, bytes):
            value = value[: RAW_LIMIT * 4].decode("utf-8", errors="replace")
        return None if value is None else value[:RAW_LIMIT]

    def quarantine(
        self, i: int, reason: str, kind: str = "input.malformed", offset: int | None = None
    ) -> Quarantined:
        return Quarantined(
            source_path=self.display,
            line=self.lines[i],
            reason=reason,
            byte_offset=self.offset(i) if offset is None else offset,
            raw=self.raw(i),
            kind=kind,
        )


@dataclass(frozen=True)
class Failed:
    """A record that could not even be parsed (stands in its place in a batch)."""

    reason: str
    kind: str = "input.malformed"
    #: Byte offset of the problem when more precise than the record's start.
    offset: int | None = None


def source_field(record: dict[str, Any], names: Sequence[str], convert: Any) -> str | None:
    """The first of ``names`` that gives ``record`` a value for a column (``None``: none)."""
    for name in names:
        value = field_value(record, name)
        if value is not None and convert(value, name) is not None:
            return name
    return None


def _first(record: dict[str, Any], names: Sequence[str], convert: Any) -> str | None:
    for name in names:
        value = field_value(record, name)
        if value is not None:
            text: str | None = convert(value, name)
            if text is not None:
                return text
    return None


def map_rows(
    records: Sequence[object], pos: Positions, fmap: FieldMap
) -> tuple[pd.DataFrame, list[Quarantined]]:
    """Map parsed records (dicts, other JSON values, or :class:`Failed`) to a draft frame."""
    keep: list[int] = []
    cols: dict[str, list[Any]] = {
        k: [] for k in ("record_id", "body", "title", "byline", "published_raw", "url", "outlet")
    }
    images: list[list[Image]] = []
    quarantined: list[Quarantined] = []
    for i, record in enumerate(records):
        if isinstance(record, Failed):
            quarantined.append(pos.quarantine(i, record.reason, record.kind, record.offset))
            continue
        if not isinstance(record, dict):
            quarantined.append(pos.quarantine(i, f"record is {type_name(record)}, not an object"))
            continue
        try:
            row = {
                "record_id": _first(record, fmap.record_id, scalar_text),
                "body": _first(record, fmap.body, body_text),
                "title": _first(record, fmap.title, scalar_text),
                "byline": _first(record, fmap.byline, byline_text),
                "published_raw": _first(record, fmap.published_raw, scalar_text),
                "url": _first(record, fmap.url, url_text),
                "outlet": _first(record, fmap.outlet, outlet_text),
            }
            row["outlet"] = record_outlet(row["outlet"], row["url"])
            found = next(
                (v for n in fmap.images if (v := field_value(record, n)) is not None), None
            )
            row_images = image_list(found, "images", pos.lines[i])
            # A lone surrogate (JSON "\\ud800") cannot be stored as UTF-8 text.
            for text in row.values():
                if text is not None:
                    text.encode("utf-8")
        except BadField as error:
            quarantined.append(pos.quarantine(i, str(error)))
            continue
        except UnicodeEncodeError:
            quarantined.append(
                pos.quarantine(i, "text holds an invalid \\u escape (lone surrogate)")
            )
            continue
        # A record with no text is checked (body.empty, byline.missing ...), not
        # quarantined: an empty extraction is the defect to report.
        if row["record_id"] is None:
            row["record_id"] = pos.fallback_id(i)
        keep.append(i)
        for key, value in row.items():
            cols[key].append(value)
        images.append(row_images)
    lines = np.asarray([pos.lines[i] for i in keep], dtype=np.int64)
    strings = {k: pa.array(v, pa.large_string()) for k, v in cols.items()}
    return draft_frame(pos.display, lines, strings, images), quarantined


def paragraph_breaks(body: pa.Array | pa.ChunkedArray) -> pa.Array | pa.ChunkedArray:
    """Bodies whose paragraphs are separated by single newlines (trafilatura's ``text``)
    get the blank-line breaks of the record contract.

    Only a body with a line break and no blank line (:data:`BLANK_LINE`) anywhere is
    changed, each ``\n`` doubled: a finding's ``start``/``end`` index the body as stored (report.json
    shows it), and offset ``k`` of the tool's text is ``k`` plus the line breaks
    before it.
    """
    blank = pc.match_substring_regex(body, BLANK_LINE)
    # RE2 finds a lone literal with memchr; Arrow's plain substring search compares
    # byte by byte and cost several times as much over a chunk's bodies.
    single = pc.and_not(pc.match_substring_regex(body, "\n"), blank)
    if not pc.any(single).as_py():
        return body
    return pc.if_else(single, pc.replace_substring(body, "\n", "\n\n"), body)


def _str_series(values: pa.Array | pa.ChunkedArray) -> pd.Series:
    if not pa.types.is_large_string(values.type):
        values = values.cast(pa.large_string())
    return pd.Series(values.to_pandas(), dtype="str")


def _repeat(text: str, n: int) -> pd.Series:
    return _str_series(pa.repeat(pa.scalar(text, pa.large_string()), n))


def draft_frame(
    display: str,
    lines: np.ndarray,
    strings: dict[str, pa.Array | pa.ChunkedArray],
    images: list[list[Image]] | pa.Array,
) -> pd.DataFrame:
    """Assemble a frame with exactly :data:`DRAFT_COLUMNS` (role ``record``).

    ``strings`` holds record_id, body, title, byline, published_raw, url and outlet;
    a missing body becomes ``""``.
    """
    n = len(lines)
    body = strings["body"]
    if body.null_count:
        body = body.fill_null("")
    body = paragraph_breaks(body)
    byline = _str_series(strings["byline"])
    # Constant and empty columns straight from Arrow and numpy: a Python list of n
    # values per column cost more than mapping the parsed table.
    named = pc.is_valid(pa.array(byline))
    field = pc.if_else(
        named, pa.scalar("field", pa.large_string()), pa.nulls(1, pa.large_string())[0]
    )
    columns: dict[str, Any] = {
        "record_id": _str_series(strings["record_id"]),
        "source_path": _repeat(display, n),
        "line_start": pd.Series(lines, dtype="int64"),
        "line_end": pd.Series(lines, dtype="int64"),
        "role": _repeat("record", n),
        "outlet": _str_series(strings["outlet"]),
        "url": _str_series(strings["url"]),
        "title": _str_series(strings["title"]),
        "title_line": pd.Series(pd.arrays.IntegerArray(np.zeros(n, np.int64), np.ones(n, bool))),
        "body": _str_series(body),
        "body_lines": pd.Series([None] * n, dtype="object"),
        "byline": byline,
        "byline_source": _str_series(field),
        "published_raw": _str_series(strings["published_raw"]),
        "published_source": _str_series(
            pc.if_else(
                pc.is_valid(strings["published_raw"]),
                pa.scalar("field", pa.large_string()),
                pa.nulls(1, pa.large_string())[0],
            )
        ),
        "images": _images_series(images, n),
    }
    frame = pd.DataFrame(columns)
    assert tuple(frame.columns) == DRAFT_COLUMNS
    return frame


def _images_series(images: list[list[Image]] | pa.Array, n: int) -> pd.Series:
    """The draft images column: object lists of dicts, or (from Arrow) one Arrow list
    array, which ``tables`` turns into the images table without a Python object per
    image; an element of either reads as a list of dicts."""
    if isinstance(images, pa.Array) and n:
        return pd.Series(pd.arrays.ArrowExtensionArray(images))
    return pd.Series(images if n else [], dtype="object")


def json_raw(row: dict[str, Any]) -> str:
    """A record read from a typed file (Parquet), as JSON text for a quarantine entry."""
    return json.dumps(row, ensure_ascii=False, default=str)[:RAW_LIMIT]
