"""Mapping an Arrow table (from JSONL blocks or Parquet) onto draft columns, column-wise.

Text columns stay in Arrow from parse to the pandas frame (no Python string per
value): that is where the time goes on a large dump. Columns whose type is not
plain text (author lists, image lists, an object where text belongs) go through the
per-value converters of :mod:`corpus_qa.ingest.fields`, so both paths agree.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from corpus_qa.ingest.fields import FieldMap, Positions, draft_frame, json_raw
from corpus_qa.ingest.outlets import arrow_outlets, arrow_urls
from corpus_qa.ingest.values import (
    BadField,
    Image,
    body_text,
    byline_text,
    image_list,
    outlet_text,
    scalar_text,
    url_text,
)
from corpus_qa.model import Quarantined

Converter = Callable[[object, str], str | None]
_TEXT_TARGETS: dict[str, Converter] = {
    "record_id": scalar_text,
    "body": body_text,
    "title": scalar_text,
    "byline": byline_text,
    "published_raw": scalar_text,
    "url": url_text,
    "outlet": outlet_text,
}
_CASTABLE = (
    pa.types.is_integer,
    pa.types.is_floating,
    pa.types.is_decimal,
    pa.types.is_temporal,
)


def _plain(column: pa.ChunkedArray) -> pa.ChunkedArray:
    if pa.types.is_dictionary(column.type):
        return column.cast(column.type.value_type)
    return column


def _is_text(kind: pa.DataType) -> bool:
    return bool(pa.types.is_string(kind) or pa.types.is_large_string(kind))


def _arrow_text(column: pa.ChunkedArray) -> pa.ChunkedArray | None:
    """The column as large_string (blank -> null), or ``None`` if it is not scalar text."""
    column = _plain(column)
    kind = column.type
    if pa.types.is_null(kind):
        return pa.chunked_array([pa.nulls(len(column), pa.large_string())])
    if pa.types.is_boolean(kind):
        return pc.if_else(column, "true", "false").cast(pa.large_string())
    if _is_text(kind) or any(test(kind) for test in _CASTABLE):
        text = column.cast(pa.large_string())
        # utf8_is_space stops at the first other character; trimming would copy all text.
        blank = pc.or_(pc.equal(pc.binary_length(text), 0), pc.utf8_is_space(text))
        if not pc.any(blank).as_py():
            return text
        return pc.if_else(blank, pa.scalar(None, pa.large_string()), text)
    return None


def _with_nested(table: pa.Table, fmap: FieldMap) -> pa.Table:
    """Dotted names (``metadata.title``) as columns, read from object (struct) columns."""
    for name in (n for t in fmap.targets() for n in getattr(fmap, t) if "." in n):
        root, _, child = name.partition(".")
        if name in table.column_names or root not in table.column_names:
            continue
        column = _plain(table.column(root))
        kind = column.type
        if pa.types.is_struct(kind) and kind.get_field_index(child) >= 0:
            table = table.append_column(name, pc.struct_field(column, child))
    return table


class _Mapper:
    def __init__(self, table: pa.Table, pos: Positions) -> None:
        self.table = table
        self.pos = pos
        self.n = table.num_rows
        #: First reason each row cannot be read, by row index.
        self.bad: dict[int, str] = {}

    def _present(self, names: tuple[str, ...]) -> list[str]:
        """Candidate columns that hold any value (Arrow adds all-null declared ones)."""
        columns = self.table.column_names
        return [n for n in names if n in columns and self.table.column(n).null_count < self.n]

    def _python(
        self, column: pa.ChunkedArray, name: str, convert: Converter
    ) -> tuple[pa.ChunkedArray, dict[int, str]]:
        out: list[str | None] = []
        bad: dict[int, str] = {}
        for i, value in enumerate(column.to_pylist()):
            try:
                out.append(convert(value, name))
            except BadField as error:
                bad[i] = str(error)
                out.append(None)
        return pa.chunked_array([pa.array(out, pa.large_string())]), bad

    def text(self, names: tuple[str, ...], convert: Converter) -> pa.ChunkedArray:
        """The first non-empty candidate per row, as text (like ``fields._first``)."""
        result: pa.ChunkedArray | None = None
        for name in self._present(names):
            if result is not None and result.null_count == 0:
                break
            column = _plain(self.table.column(name))
            if convert is byline_text:
                # Only plain strings go the Arrow way; lists of names need joining.
                plain = _is_text(column.type) or pa.types.is_null(column.type)
                text = _arrow_text(column) if plain else None
                text = None if text is None else pc.utf8_trim_whitespace(text)
            else:
                text = _arrow_text(column)
            if text is not None and convert is url_text:
                text = arrow_urls(text)
            if text is None:
                text, bad = self._python(column, name, convert)
                # A bad value only matters where no earlier candidate gave a value.
                taken = None if result is None else result.is_valid().to_pylist()
                for i, reason in bad.items():
                    if taken is None or not taken[i]:
                        self.bad.setdefault(i, reason)
            result = text if result is None else pc.coalesce(result, text)
        if result is None:
            return pa.chunked_array([pa.nulls(self.n, pa.large_string())])
        return result

    def images(self, names: tuple[str, ...]) -> list[list[Image]] | pa.Array:
        present_names = self._present(names)
        if len(present_names) == 1:
            fast = _arrow_images(self.table.column(present_names[0]), self.pos.lines)
            if fast is not None:
                return fast
        present = [self.table.column(n).to_pylist() for n in present_names]
        out: list[list[Image]] = []
        for i in range(self.n):
            value = next((c[i] for c in present if c[i] is not None), None)
            try:
                out.append(image_list(value, "images", self.pos.lines[i]))
            except BadField as error:
                self.bad.setdefault(i, str(error))
                out.append([])
        return out


#: The images of a record batch in Arrow: one list of these structs per record.
IMAGE_TYPE = pa.large_list(
    pa.struct([("alt", pa.large_string()), ("src", pa.large_string()), ("line", pa.int64())])
)
# A value is blank for ``str.strip`` when it holds only these (all below U+3001).
_NOT_BLANK = "[^" + "".join(f"\\x{{{c:X}}}" for c in range(0x3001) if chr(c).isspace()) + "]"


def _filled(strings: pa.Array) -> pa.Array:
    """Values that are neither null nor blank (``str.strip``) as they are, others ``""``."""
    filled = pc.fill_null(strings.cast(pa.large_string()), "")
    blank = pc.invert(pc.match_substring_regex(filled, _NOT_BLANK))
    return pc.if_else(blank, pa.scalar("", pa.large_string()), filled)


def _arrow_images(column: pa.ChunkedArray, lines: Sequence[int]) -> pa.Array | None:
    """Images from a list of ``{src|url, alt}`` structs or of URL strings, as an Arrow
    :data:`IMAGE_TYPE` array (no Python object per image, as ``image_list`` makes);
    else ``None``. Items without a non-blank source are left out; a blank alt is ``""``.
    """
    kind = column.type
    if not (pa.types.is_list(kind) or pa.types.is_large_list(kind)):
        return None
    items = column.combine_chunks() if column.num_chunks != 1 else column.chunk(0)
    values = items.values
    if _is_text(values.type):
        srcs, alts = values, None
    elif pa.types.is_struct(values.type):
        names = [values.type.field(i).name for i in range(values.type.num_fields)]
        if "versions" in names or "caption" in names:
            return None  # fundus' images: image_list reads their versions and captions
        parts = [values.field(n) for n in ("src", "url", "alt") if n in names]
        if not all(_is_text(part.type) for part in parts):
            return None
        src = values.field("src") if "src" in names else None
        url = values.field("url") if "url" in names else None
        both = pc.coalesce(src, url) if src is not None and url is not None else src or url
        if both is None:
            return pa.array([[]] * len(items), IMAGE_TYPE)
        # A null struct item has no image, whatever its child values say.
        srcs = pc.if_else(values.is_valid(), both, None)
        alts = values.field("alt") if "alt" in names else None
    else:
        return None
    # Each row's items are values[offsets[i]:offsets[i + 1]] (a null row's too, as the
    # per-row walk this replaces read them).
    offsets = np.asarray(items.offsets, dtype=np.int64)
    first, last = int(offsets[0]), int(offsets[-1])
    srcs = srcs.slice(first, last - first)
    alts = None if alts is None else alts.slice(first, last - first)
    row = np.repeat(np.arange(len(items), dtype=np.int64), np.diff(offsets))
    kept = pc.match_substring_regex(pc.fill_null(srcs.cast(pa.large_string()), ""), _NOT_BLANK)
    keep = np.asarray(kept, dtype=bool)
    mask = pa.array(keep)
    row = row[keep]
    counts = np.bincount(row, minlength=len(items))
    struct = pa.StructArray.from_arrays(
        [
            pa.repeat(pa.scalar("", pa.large_string()), len(row))
            if alts is None
            else _filled(alts.filter(mask)),
            srcs.filter(mask).cast(pa.large_string()),
            pa.array(np.asarray(lines, dtype=np.int64)[row]),
        ],
        names=["alt", "src", "line"],
    )
    starts = np.concatenate([[0], np.cumsum(counts)]).astype(np.int64)
    return pa.LargeListArray.from_arrays(pa.array(starts), struct, type=IMAGE_TYPE)


def map_table(
    table: pa.Table, pos: Positions, fmap: FieldMap, *, validate_utf8: bool = False
) -> tuple[pd.DataFrame, list[Quarantined]]:
    """Map an Arrow table (one row per record, in ``pos`` order) to a draft frame.

    With ``validate_utf8`` the text columns are checked to be valid UTF-8 (the Arrow
    JSON reader does not check); an invalid column raises ``pyarrow.ArrowInvalid``.
    """
    if validate_utf8:
        table.validate(full=True)
    table = _with_nested(table, fmap)
    mapper = _Mapper(table, pos)
    strings = {
        target: mapper.text(getattr(fmap, target), convert)
        for target, convert in _TEXT_TARGETS.items()
    }
    strings["outlet"] = arrow_outlets(strings["outlet"], strings["url"])
    images = mapper.images(fmap.images)
    quarantined = [_quarantine(table, pos, i, reason) for i, reason in sorted(mapper.bad.items())]
    keep = np.ones(mapper.n, dtype=bool)
    keep[list(mapper.bad)] = False
    lines = np.asarray(pos.lines, dtype=np.int64)
    ids = strings["record_id"]
    if ids.null_count:
        filled = [v if v is not None else pos.fallback_id(i) for i, v in enumerate(ids.to_pylist())]
        strings["record_id"] = pa.chunked_array([pa.array(filled, pa.large_string())])
    if mapper.bad:
        mask = pa.array(keep)
        strings = {k: v.filter(mask) for k, v in strings.items()}
        if isinstance(images, pa.Array):
            images = images.filter(mask)
        else:
            images = [row for row, kept in zip(images, keep, strict=True) if kept]
        lines = lines[keep]
    return draft_frame(pos.display, lines, strings, images), quarantined


def _quarantine(table: pa.Table, pos: Positions, i: int, reason: str) -> Quarantined:
    entry = pos.quarantine(i, reason)
    if entry.raw is None:
        row: dict[str, Any] = table.slice(i, 1).to_pylist()[0]
        entry = Quarantined(
            entry.source_path, entry.line, reason, entry.byte_offset, json_raw(row), entry.kind
        )
    return entry
