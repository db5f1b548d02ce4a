"""Draft article frames -> the articles and images tables of the record contract.

Everything here works on whole columns: string methods and RE2 patterns over
pandas' Arrow-backed ``str`` dtype, ``explode`` for the images lists, and
per-unique-value work only where values repeat (dates, percent-decoding).
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any
from urllib.parse import unquote

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from corpus_qa.model import (
    ARTICLE_COLUMNS,
    BYLINE_EVIDENCE_COLUMNS,
    DRAFT_COLUMNS,
    DRAFT_TEXT_COLUMNS,
    IMAGE_COLUMNS,
    ArticleDraft,
)
from corpus_qa.parse.bylines.drafts import infer_bylines
from corpus_qa.parse.datelines import parse_published
from corpus_qa.parse.image_tags import (
    ABSOLUTE_URL_PATTERN,
    CDN_CGI_PATTERN,
    CDN_WIDTH_PATTERN,
    NEXT_IMAGE_PATTERN,
    QUERY_WIDTH_PATTERN,
)
from corpus_qa.text.re2 import extract

#: What every match of NEXT_IMAGE_PATTERN, and of CDN_CGI_PATTERN, holds.
_NEXT_LITERAL = "/_next/image?"
_CDN_LITERAL = "/cdn-cgi/image/"


def drafts_frame(drafts: list[ArticleDraft]) -> pd.DataFrame:
    """A draft frame (``DRAFT_COLUMNS``) from the page parser's drafts."""
    data: dict[str, Any] = {
        col: [getattr(d, col) for d in drafts] for col in DRAFT_COLUMNS if col != "images"
    }
    data["images"] = [
        [{"alt": i.alt, "src": i.src, "line": i.line} for i in d.images] for d in drafts
    ]
    frame = pd.DataFrame(data, columns=list(DRAFT_COLUMNS))
    # Pages only: a record dump's drafts carry no byline evidence columns at all.
    for col in BYLINE_EVIDENCE_COLUMNS:
        frame[col] = [getattr(d, col) for d in drafts]
    frame["byline_evidence"] = frame["byline_evidence"].astype("str")
    frame["byline_evidence_source"] = frame["byline_evidence_source"].astype("str")
    frame["byline_evidence_line"] = frame["byline_evidence_line"].astype("Int64")
    for col in DRAFT_TEXT_COLUMNS:
        frame[col] = frame[col].astype("str")
    frame["line_start"] = frame["line_start"].astype("int64")
    frame["line_end"] = frame["line_end"].astype("int64")
    frame["title_line"] = frame["title_line"].astype("Int64")
    frame["body_lines"] = frame["body_lines"].astype(object)
    frame["images"] = frame["images"].astype(object)
    return frame


def build_tables(
    drafts: pd.DataFrame, *, reference_time: datetime | None = None
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(articles, images) for a draft frame, with bylines, credits, genres and dates."""
    frame = joined(drafts).reset_index(drop=True)
    out = pd.DataFrame(index=frame.index)
    for col in ("record_id", "source_path"):
        out[col] = frame[col].astype("str")
    out["line_start"] = frame["line_start"].astype("int64")
    out["line_end"] = frame["line_end"].astype("int64")
    out["role"] = frame["role"].astype("str")
    for col in ("outlet", "url", "title"):
        out[col] = _nonblank(frame[col])
    out["title_line"] = frame["title_line"].astype("Int64")
    out["body"] = frame["body"].astype("str").fillna("")
    lines = frame["body_lines"].astype(object)
    out["body_lines"] = lines.where(lines.notna(), None)
    inferred = infer_bylines(
        pd.DataFrame(
            {
                "title": out["title"],
                "body": out["body"],
                "outlet": out["outlet"],
                "byline": frame["byline"],
                "byline_source": frame["byline_source"],
            }
        )
    )
    for col in ("byline", "byline_source", "credit", "genre"):
        out[col] = inferred[col]
    out["published_raw"] = _nonblank(frame["published_raw"])
    source = frame["published_source"].astype("str") if "published_source" in frame else None
    printed = None if source is None else source.isin(["dateline", "page_date", "page_text"])
    out["published"] = parse_published(out["published_raw"], reference_time, printed)
    out["published_source"] = (
        pd.Series(pd.NA, index=out.index, dtype="str") if source is None else source
    ).where(out["published_raw"].notna())
    images = _images(frame)
    rows = images["_row"].to_numpy(dtype="int64")
    out["n_images"] = pd.Series(np.bincount(rows, minlength=len(frame)), index=out.index)
    _byline_evidence(frame, out)
    return out[list(ARTICLE_COLUMNS)], images[list(IMAGE_COLUMNS)].reset_index(drop=True)


def _byline_evidence(frame: pd.DataFrame, out: pd.DataFrame) -> None:
    """The byline evidence columns: a page's unaccepted byline evidence, kept only on
    articles left with no byline (null for records, whose frames lack the columns)."""
    if "byline_evidence" not in frame:
        out["byline_evidence"] = pd.Series(pd.NA, index=out.index, dtype="str")
        out["byline_evidence_source"] = pd.Series(pd.NA, index=out.index, dtype="str")
        out["byline_evidence_line"] = pd.Series(pd.NA, index=out.index, dtype="Int64")
        return
    keep = out["byline"].isna() & frame["byline_evidence"].astype("str").notna()
    out["byline_evidence"] = frame["byline_evidence"].astype("str").where(keep)
    out["byline_evidence_source"] = frame["byline_evidence_source"].astype("str").where(keep)
    out["byline_evidence_line"] = frame["byline_evidence_line"].astype("Int64").where(keep)


def joined(drafts: pd.DataFrame) -> pd.DataFrame:
    """``drafts`` with each text column one Arrow array (see :func:`_contiguous`)."""
    # ``published_source`` is optional: frames built before it existed lack it.
    present = [col for col in DRAFT_TEXT_COLUMNS if col in drafts]
    columns = {col: _contiguous(drafts[col]) for col in present}
    if all(columns[col] is drafts[col] for col in columns):
        return drafts
    return drafts.assign(**columns)


def _contiguous(values: pd.Series) -> pd.Series:
    """A text column as one Arrow array.

    Parsed JSONL arrives in one Arrow chunk per parse piece (a dozen per chunk of
    records), and every positional take from a chunked column (``iloc``, a boolean
    mask) then costs several times a take from one array; the checks take from the
    bodies many times, so the columns are joined once here.
    """
    arrow = pa.array(values.astype("str"))
    if not isinstance(arrow, pa.ChunkedArray) or arrow.num_chunks <= 1:
        return values
    return pd.Series(pd.array(arrow.combine_chunks(), dtype="str"), index=values.index)


def _nonblank(values: pd.Series) -> pd.Series:
    strings = values.astype("str").str.strip()
    return strings.where(strings.str.len() > 0)


def _images(frame: pd.DataFrame) -> pd.DataFrame:
    """One row per image of ``frame["images"]``, with ``_row`` its article's row."""
    column = frame["images"]
    if isinstance(column.dtype, pd.ArrowDtype):
        tags = _arrow_tags(pa.array(column.array))
    else:
        tags = _python_tags(column)
    images = pd.DataFrame({"_row": tags["_row"].astype("int64")})
    owners = frame["record_id"].astype("str").take(tags["_row"].to_numpy())
    images["record_id"] = pd.Series(owners.array, index=images.index, dtype="str")
    images["position"] = _positions(tags["_row"].to_numpy(dtype="int64"))
    images["alt"] = tags["alt"].astype("str").fillna("")
    images["src"] = tags["src"].astype("str").fillna("")
    resolved, width = resolve_sources(images["src"])
    images["resolved_src"] = resolved
    images["width"] = width
    images["line"] = pd.to_numeric(tags["line"], errors="coerce").astype("Int64")
    return images


def _positions(rows: np.ndarray) -> np.ndarray:
    """Each image's place among its article's images (``rows`` ascending, as both
    readers give them): its index minus that of its article's first image."""
    index = np.arange(len(rows), dtype=np.int64)
    if not len(rows):
        return index
    if np.any(rows[1:] < rows[:-1]):
        return pd.Series(rows).groupby(rows).cumcount().to_numpy(dtype="int64")
    opens = np.empty(len(rows), dtype=bool)
    opens[0] = True
    np.not_equal(rows[1:], rows[:-1], out=opens[1:])
    return index - np.maximum.accumulate(np.where(opens, index, 0))


def _arrow_tags(lists: pa.Array | pa.ChunkedArray) -> pd.DataFrame:
    """``_row``, ``alt``, ``src`` and ``line`` of Arrow image lists (records read by
    ``ingest.columnar``): straight from the list's child columns."""
    if isinstance(lists, pa.ChunkedArray):
        lists = lists.combine_chunks()
    items = pc.list_flatten(lists)
    return pd.DataFrame(
        {
            "alt": pd.array(items.field("alt"), dtype="str"),
            "src": pd.array(items.field("src"), dtype="str"),
            "line": pd.array(items.field("line"), dtype="Int64"),
            "_row": np.asarray(pc.list_parent_indices(lists), dtype="int64"),
        }
    )


def _python_tags(column: pd.Series) -> pd.DataFrame:
    """``_row``, ``alt``, ``src`` and ``line`` of image dicts (pages, other readers)."""
    # One Python pass over the image dicts: explode + map + a frame of dicts cost more.
    positions: list[int] = []
    alts: list[Any] = []
    srcs: list[Any] = []
    lines: list[Any] = []
    for row, items in enumerate(column.tolist()):
        if not isinstance(items, list | tuple | np.ndarray):
            continue
        for item in items:
            if isinstance(item, dict):
                positions.append(row)
                alts.append(item.get("alt", np.nan))
                srcs.append(item.get("src", np.nan))
                lines.append(item.get("line", np.nan))
    tags = pd.DataFrame({"alt": alts, "src": srcs, "line": lines}, columns=["alt", "src", "line"])
    tags["_row"] = np.asarray(positions, dtype="int64")
    return tags


def resolve_sources(src: pd.Series) -> tuple[pd.Series, pd.Series]:
    """(resolved_src, width) for image sources: proxy URLs unwrapped, widths read.

    ``/_next/image?url=..`` gives the decoded ``url`` parameter, ``/cdn-cgi/image/
    <options>/<url>`` gives ``<url>`` (on the same host when relative); the width
    is the proxy's ``w=`` or the cdn-cgi ``width=`` option, or a plain URL's.
    """
    src = src.astype("str")
    strings = pa.array(src)
    # Each proxy pattern needs its literal: the few sources holding one take the
    # whole path, the rest only need a query width (six RE2 extractions over every
    # source would be wasted on the many plain ones).
    proxied = _holding(strings, _NEXT_LITERAL) | _holding(strings, _CDN_LITERAL)
    rows = np.flatnonzero(proxied)
    if len(rows) == len(src):
        return _resolve_proxied(src)
    resolved = src.copy()
    width = _query_width(src)
    if len(rows):
        proxy_resolved, proxy_width = _resolve_proxied(src.iloc[rows])
        resolved.iloc[rows] = proxy_resolved.array
        width.iloc[rows] = proxy_width.array
    return resolved, width


def _resolve_proxied(src: pd.Series) -> tuple[pd.Series, pd.Series]:
    """:func:`resolve_sources` of any sources (``str``), proxied or not."""
    encoded = extract(src, NEXT_IMAGE_PATTERN)["url"]
    decoded = encoded.map(_unquote_unique(encoded), na_action="ignore").astype("str")
    cdn = extract(src, CDN_CGI_PATTERN)
    absolute = cdn["inner"].str.contains(ABSOLUTE_URL_PATTERN, regex=True, na=False)
    cdn_target = cdn["inner"].where(absolute, cdn["host"].fillna("") + "/" + cdn["inner"])
    cdn_target = cdn_target.where(encoded.isna())
    resolved = decoded.fillna(cdn_target).fillna(src)
    cdn_width = extract(cdn["opts"].where(encoded.isna()), CDN_WIDTH_PATTERN)["width"]
    query_width = extract(src.where(cdn_width.isna() & cdn["opts"].isna()), QUERY_WIDTH_PATTERN)
    return resolved, _width(cdn_width.fillna(query_width["width"]))


def _query_width(src: pd.Series) -> pd.Series:
    """The query string's width of each source: :data:`QUERY_WIDTH_PATTERN` read only
    in the sources that hold an ``=`` (every match does; a literal byte is found at
    memchr speed, and most image URLs have no query)."""
    width = pd.Series(pd.NA, index=src.index, dtype="Int64")
    rows = np.flatnonzero(_holding(pa.array(src.astype("str")), "="))
    if len(rows):
        width.iloc[rows] = _width(extract(src.iloc[rows], QUERY_WIDTH_PATTERN)["width"]).array
    return width


def _holding(strings: pa.Array | pa.ChunkedArray, literal: str) -> np.ndarray:
    """Whether each value holds ``literal`` (null: False). The values' bytes are
    searched as one first (memchr speed): a literal found nowhere in them is in no
    value, the common case for a proxy's path or a query's ``=``; only where it is
    found somewhere is each value tested."""
    if isinstance(strings, pa.ChunkedArray):
        strings = strings.combine_chunks()
    binary = strings.cast(pa.large_binary())
    _, offsets, data = binary.buffers()
    if data is None or not len(binary):
        return np.zeros(len(binary), dtype=bool)
    bounds = np.frombuffer(offsets, dtype=np.int64)[binary.offset : binary.offset + len(binary) + 1]
    with memoryview(data) as view:
        anywhere = literal.encode() in view[int(bounds[0]) : int(bounds[-1])].tobytes()
    if not anywhere:
        return np.zeros(len(binary), dtype=bool)
    # RE2 finds a literal with memchr; Arrow's plain substring search compares bytes.
    found = pc.match_substring_regex(strings, re.escape(literal))
    return np.asarray(pc.fill_null(found, False), dtype=bool)


def _width(digits: pd.Series) -> pd.Series:
    """Widths from their digits: ``Int64``, missing where none or zero."""
    if not digits.notna().any():
        return pd.Series(pd.NA, index=digits.index, dtype="Int64")
    width = pd.to_numeric(digits, errors="coerce").astype("Int64")
    return width.where(width > 0).astype("Int64")


def _unquote_unique(encoded: pd.Series) -> dict[str, str]:
    # Proxy URLs repeat (logos, shared images): decode each distinct value once.
    return {value: unquote(value) for value in encoded.dropna().unique()}
