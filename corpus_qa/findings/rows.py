"""Turning a check's hits into findings: one row per defect, traceable to its bytes.

The framework, not the check, fills in record id, file, line, outlet and the exact
evidence text, so every check gets provenance right by construction:
``evidence == field_text[start:end]`` whenever a finding has a span.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from pathlib import Path
from typing import IO, Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from corpus_qa.checks.api import Check

FINDING_COLUMNS: tuple[str, ...] = (
    "check",
    "severity",
    "record_id",
    "source_path",
    "line",
    "field",
    "evidence",
    "start",
    "end",
    "message",
    "outlet",
)

_DTYPES: dict[str, str] = {
    "check": "str",
    "severity": "str",
    "record_id": "str",
    "source_path": "str",
    "line": "Int64",
    "field": "str",
    "evidence": "str",
    "start": "Int64",
    "end": "Int64",
    "message": "str",
    "outlet": "str",
}


_DTYPE_OF = {column: pd.api.types.pandas_dtype(dtype) for column, dtype in _DTYPES.items()}
_EMPTY = pd.DataFrame({column: pd.Series([], dtype=_DTYPES[column]) for column in FINDING_COLUMNS})


def empty_findings() -> pd.DataFrame:
    return _EMPTY.copy()


def conform(frame: pd.DataFrame) -> pd.DataFrame:
    """Columns in contract order with contract dtypes."""
    picked = frame.loc[:, list(FINDING_COLUMNS)]
    if all(picked[c].dtype == _DTYPE_OF[c] for c in FINDING_COLUMNS):
        return picked
    return picked.astype(_DTYPES)


def _body_line(body: str, body_lines: object, line_start: int, offset: int) -> int:
    """The source line of a character offset in a body whose paragraphs are joined by "\\n\\n".

    Without ``body_lines`` the record sat on one source line (a JSONL record).
    """
    if not isinstance(body_lines, list | tuple | np.ndarray) or len(body_lines) == 0:
        return line_start
    paragraph = body.count("\n\n", 0, offset)
    return int(body_lines[min(paragraph, len(body_lines) - 1)])


def _ints(values: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """(values as int64 with 0 for missing, whether each is present)."""
    ints = values.astype("Int64")
    return ints.to_numpy(dtype="int64", na_value=0), ints.notna().to_numpy()


def _take(column: pd.Series, rows: np.ndarray) -> pd.Series:
    """Positional ``rows`` of a column as a ``str`` Series (a missing row, -1, is null)."""
    taken = pd.Series(column.array.take(rows, allow_fill=True))
    return taken if taken.dtype == _DTYPE_OF["record_id"] else taken.astype("str")


def _texts(table: pd.DataFrame, rows: np.ndarray, fields: np.ndarray) -> list[str | None]:
    """Each hit's field text (None where the field is not a column or is missing)."""
    texts: list[str | None] = [None] * len(rows)
    for name in np.unique(fields).tolist():
        if name not in table.columns:
            continue
        where = np.flatnonzero(fields == name)
        values = table[name].iloc[rows[where]].astype("str")
        for i, value in zip(
            where.tolist(), values.to_numpy(dtype=object, na_value=None), strict=True
        ):
            texts[i] = value
    return texts


def _evidence(
    texts: list[str | None], start: np.ndarray, end: np.ndarray, known: np.ndarray
) -> list[str | None]:
    return [
        text[a:b] if ok and isinstance(text, str) else None
        for text, a, b, ok in zip(texts, start.tolist(), end.tolist(), known.tolist(), strict=True)
    ]


def _frame(check: Check, n: int, columns: dict[str, Any]) -> pd.DataFrame:
    """A findings frame of ``n`` rows from columns already of their contract dtypes."""
    columns["check"] = pd.array([check.id] * n, dtype="str")
    columns["severity"] = pd.array([check.severity] * n, dtype="str")
    return pd.DataFrame({c: columns[c] for c in FINDING_COLUMNS})


def _str(values: Any) -> Any:
    return pd.array(values, dtype="str")


def _message(hits: pd.DataFrame) -> Any:
    message = hits["message"]
    if message.dtype != _DTYPE_OF["message"]:
        message = message.astype("str")
    return message.array


def from_article_hits(check: Check, hits: pd.DataFrame, articles: pd.DataFrame) -> pd.DataFrame:
    """Findings for hits on rows of the articles table.

    Only the hit rows of the columns findings read are taken, column by column (a
    chunk's checks raise thousands of findings, and pandas per check cost more than
    the checks themselves).
    """
    if hits.empty:
        return empty_findings()
    rows = hits["row"].to_numpy(dtype="int64")
    fields = hits["field"].astype("str").to_numpy(dtype=object)
    start, has_start = _ints(hits["start"])
    end, has_end = _ints(hits["end"])
    evidence = _evidence(_texts(articles, rows, fields), start, end, has_start & has_end)
    line = articles["line_start"].to_numpy(dtype="int64")[rows]
    on_title = np.flatnonzero(fields == "title")
    if len(on_title) and "title_line" in articles.columns:
        title_line = articles["title_line"].astype("Int64").iloc[rows[on_title]]
        has = title_line.notna().to_numpy()
        line[on_title[has]] = title_line.to_numpy(dtype="int64", na_value=0)[has]
    # A field with a line of its own (``byline_evidence_line``): the finding points there.
    for name in np.unique(fields).tolist():
        own = f"{name}_line"
        if name in ("title", "body") or own not in articles.columns:
            continue
        on_field = np.flatnonzero(fields == name)
        field_line = articles[own].astype("Int64").iloc[rows[on_field]]
        has = field_line.notna().to_numpy()
        line[on_field[has]] = field_line.to_numpy(dtype="int64", na_value=0)[has]
    on_body = np.flatnonzero((fields == "body") & has_start)
    if len(on_body) and "body_lines" in articles.columns:
        lists = articles["body_lines"].to_numpy(dtype=object)[rows[on_body]]
        # Records (JSONL and the like) have no paragraph lines: only pages walk this loop.
        for k in np.flatnonzero([isinstance(v, list | tuple | np.ndarray) for v in lists]):
            i = int(on_body[k])
            body = str(articles["body"].iat[int(rows[i])])
            line[i] = _body_line(body, lists[k], int(line[i]), int(start[i]))
    return _frame(
        check,
        len(rows),
        {
            "record_id": _take(articles["record_id"], rows).array,
            "source_path": _take(articles["source_path"], rows).array,
            "line": pd.arrays.IntegerArray(line, np.zeros(len(rows), dtype=bool)),
            "field": _str(fields),
            "evidence": _str(evidence),
            "start": pd.arrays.IntegerArray(start, ~has_start),
            "end": pd.arrays.IntegerArray(end, ~has_end),
            "message": _message(hits),
            "outlet": _take(articles["outlet"], rows).array,
        },
    )


def image_owners(images: pd.DataFrame, articles: pd.DataFrame) -> np.ndarray:
    """The articles row of each image (-1: no article of the chunk has its id).

    The images table lists each article's images in article order (``n_images`` of
    them), which names the owner even when two articles share an id; a table built
    otherwise falls back to the first article with the image's id.
    """
    if "n_images" in articles.columns:
        counts = articles["n_images"].to_numpy(dtype="int64")
        if counts.sum() == len(images) and (counts >= 0).all():
            owners = np.repeat(np.arange(len(articles)), counts)
            if _same_ids(articles["record_id"], owners, images["record_id"]):
                return owners
    ids = images["record_id"].to_numpy(dtype=object)
    first = ~articles["record_id"].duplicated().to_numpy()
    index = pd.Index(articles["record_id"][first])
    found = index.get_indexer(pd.Index(ids))
    return np.where(found >= 0, np.flatnonzero(first)[np.maximum(found, 0)], -1)


def _same_ids(article_ids: pd.Series, owners: np.ndarray, image_ids: pd.Series) -> bool:
    """Whether ``article_ids[owners]`` equals ``image_ids`` everywhere (missing: never).

    Every image check asks, once or twice a chunk: Arrow compares the ids where they
    are, while ``to_numpy(dtype=object)`` made a Python string of every id first.
    """
    if article_ids.dtype == "str" and image_ids.dtype == "str":
        taken = pa.array(article_ids).take(pa.array(owners))
        equal = pc.fill_null(pc.equal(taken, pa.array(image_ids)), False)
        return bool(pc.all(equal, min_count=0).as_py())
    ids = image_ids.to_numpy(dtype=object)
    return bool((article_ids.to_numpy(dtype=object)[owners] == ids).all())


def from_image_hits(
    check: Check, hits: pd.DataFrame, images: pd.DataFrame, articles: pd.DataFrame
) -> pd.DataFrame:
    """Findings for hits on rows of the images table; fields read ``images[N].column``."""
    if hits.empty:
        return empty_findings()
    rows = hits["row"].to_numpy(dtype="int64")
    owners = image_owners(images, articles)[rows]
    columns = hits["field"].astype("str").to_numpy(dtype=object)
    start, has_start = _ints(hits["start"])
    end, has_end = _ints(hits["end"])
    evidence = _evidence(_texts(images, rows, columns), start, end, has_start & has_end)
    line, has_line = _ints(images["line"].iloc[rows])
    owned = owners >= 0
    owner_line = articles["line_start"].to_numpy(dtype="int64")[np.maximum(owners, 0)]
    fill = ~has_line & owned
    line[fill] = owner_line[fill]
    positions = images["position"].iloc[rows].tolist()
    return _frame(
        check,
        len(rows),
        {
            "record_id": _take(images["record_id"], rows).array,
            "source_path": _take(articles["source_path"], owners).array,
            "line": pd.arrays.IntegerArray(line, ~(has_line | fill)),
            "field": _str(
                [f"images[{p}].{c}" for p, c in zip(positions, columns.tolist(), strict=True)]
            ),
            "evidence": _str(evidence),
            "start": pd.arrays.IntegerArray(start, ~has_start),
            "end": pd.arrays.IntegerArray(end, ~has_end),
            "message": _message(hits),
            "outlet": _take(articles["outlet"], owners).array,
        },
    )


def from_global_hits(check: Check, hits: pd.DataFrame) -> pd.DataFrame:
    if hits.empty:
        return empty_findings()
    frame = hits.copy()
    frame["check"] = check.id
    frame["severity"] = check.severity
    return conform(frame)


def _jsonable(value: Any) -> Any:
    if value is None or value is pd.NA:
        return None
    if isinstance(value, float) and np.isnan(value):
        return None
    if isinstance(value, np.integer):
        return int(value)
    return value


def _column_values(series: pd.Series) -> list[Any]:
    """A column as JSON-ready Python values (missing as None), converted once per column."""
    missing = series.isna().to_numpy().tolist()
    values = series.tolist()
    if isinstance(series.dtype, pd.StringDtype):
        return [None if m else str(v) for m, v in zip(missing, values, strict=True)]
    if isinstance(series.dtype, pd.Int64Dtype):
        return [None if m else int(v) for m, v in zip(missing, values, strict=True)]
    return [_jsonable(value) for value in values]


def finding_dicts(findings: pd.DataFrame) -> Iterable[dict[str, Any]]:
    columns = list(findings.columns)
    values = [_column_values(findings[column]) for column in columns]
    for row in zip(*values, strict=True):
        yield dict(zip(columns, row, strict=True))


#: How ``json.dumps(..., ensure_ascii=False)`` writes a string (Python's C encoder).
_json_string = json.encoder.encode_basestring


def _json_values(series: pd.Series) -> list[str]:
    """Each value of a column as JSON text, exactly as ``json.dumps`` writes it in an
    object; a repeated string (a check id, a file, a message) is encoded once."""
    values = _column_values(series)
    if isinstance(series.dtype, pd.StringDtype):
        seen: dict[str, str] = {}
        return [
            "null" if v is None else seen.get(v) or seen.setdefault(v, _json_string(v))
            for v in values
        ]
    if isinstance(series.dtype, pd.Int64Dtype):
        return ["null" if v is None else str(v) for v in values]
    return [json.dumps(v, ensure_ascii=False) for v in values]


def _text(value: str) -> pa.Scalar:
    return pa.scalar(value, pa.large_string())


def _arrow_json(series: pd.Series) -> pa.Array | None:
    """:func:`_json_values` of a ``str`` or ``Int64`` column as one Arrow array, or
    ``None`` for other columns (and strings not held by Arrow)."""
    if isinstance(series.dtype, pd.Int64Dtype):
        numbers = pa.array(series.array, type=pa.int64())
        return pc.fill_null(numbers.cast(pa.large_string()), "null")
    if not isinstance(series.dtype, pd.StringDtype) or series.dtype.storage != "pyarrow":
        return None
    strings = pa.array(series.array)
    if isinstance(strings, pa.ChunkedArray):
        strings = strings.combine_chunks()
    strings = strings.cast(pa.large_string())
    quote = _text('"')
    quoted = pc.binary_join_element_wise(quote, strings, quote, _text(""))
    escape = _escaped_rows(strings)
    if len(escape):
        # Few values hold a quote, a backslash or a control character: Python's
        # encoder writes those, exactly as json.dumps does.
        mask = np.zeros(len(strings), dtype=bool)
        mask[escape] = True
        escaped = [_json_string(v) for v in strings.take(pa.array(escape)).to_pylist()]
        quoted = pc.replace_with_mask(quoted, pa.array(mask), pa.array(escaped, quoted.type))
    return pc.fill_null(quoted, "null")


def _escaped_rows(strings: pa.LargeStringArray) -> np.ndarray:
    """Rows holding a character ``json.dumps`` escapes: a quote, a backslash or a
    control character (UTF-8 has no other bytes below 0x20)."""
    _, offsets_buffer, data = strings.buffers()
    if data is None or not len(strings):
        return np.empty(0, dtype=np.int64)
    offsets = np.frombuffer(offsets_buffer, dtype=np.int64)
    offsets = offsets[strings.offset : strings.offset + len(strings) + 1]
    raw = np.frombuffer(data, dtype=np.uint8)[offsets[0] : offsets[-1]]
    found = np.flatnonzero((raw < 0x20) | (raw == 0x22) | (raw == 0x5C)) + offsets[0]
    rows = np.unique(np.searchsorted(offsets, found, side="right") - 1)
    valid = np.asarray(strings.is_valid(), dtype=bool)
    escaped: np.ndarray = rows[valid[rows]]
    return escaped


def json_lines(findings: pd.DataFrame) -> str:
    """The findings as JSON Lines: ``json.dumps(finding, ensure_ascii=False)`` per row,
    assembled column by column instead of one dict per finding."""
    columns = [str(c) for c in findings.columns]
    if not len(findings):
        return ""
    arrays = [_arrow_json(findings[c]) for c in columns]
    if all(array is not None for array in arrays):
        # Whole columns joined in Arrow, for the parent merging the workers' findings:
        # a Python string per value would be built for every finding of the run there.
        pieces: list[Any] = []
        for n, (column, array) in enumerate(zip(columns, arrays, strict=True)):
            pieces += [_text(("{" if n == 0 else ", ") + _json_string(column) + ": "), array]
        lines = pc.binary_join_element_wise(*pieces, _text("}\n"), _text(""))
        offsets = np.frombuffer(lines.buffers()[1], dtype=np.int64)
        start, stop = offsets[lines.offset], offsets[lines.offset + len(lines)]
        text: str = lines.buffers()[2].slice(start, stop - start).to_pybytes().decode()
        return text
    # One %-template per row; a literal "%" in a column name must not be a placeholder.
    heads = [(_json_string(c) + ": ").replace("%", "%%") + "%s" for c in columns]
    template = "{" + ", ".join(heads) + "}\n"
    values = [_json_values(findings[c]) for c in columns]
    return "".join([template % row for row in zip(*values, strict=True)])


class FindingsWriter:
    """Streams findings to ``findings.jsonl`` (written to a temp name, renamed on close)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._temp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        # Lone surrogates (undecodable file names) are written as JSON escapes.
        self._file: IO[str] = self._temp.open("w", encoding="utf-8", errors="backslashreplace")
        self.count = 0

    def write(self, findings: pd.DataFrame) -> None:
        self._file.write(json_lines(findings))
        self.count += len(findings)

    def close(self) -> None:
        self._file.close()
        os.replace(self._temp, self.path)

    def abort(self) -> None:
        self._file.close()
        self._temp.unlink(missing_ok=True)
