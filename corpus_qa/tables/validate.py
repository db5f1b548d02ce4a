"""Pandera validation of a chunk's tables, with failures turned into findings.

Validation is lazy: every failure of the chunk is collected in one ``failure_cases``
frame and the chunk is still checked. A failure becomes a finding with check id
``schema.<table>.<column>`` (``schema.<table>.frame`` for frame-wide checks).
"""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Iterator
from typing import Any

import numpy as np
import pandas as pd
import pandera.api.pandas.model as pandera_model
import pandera.pandas as pa
import pyarrow
import pyarrow.compute as pc
from pandera.engines import pandas_engine
from pandera.errors import SchemaErrors
from pandera.typing import Index, Series

from corpus_qa.findings.rows import conform, empty_findings
from corpus_qa.schemas import ArticlesSchema, ImagesSchema
from corpus_qa.tables.uniqueness import owner_columns, without_uniqueness


@contextlib.contextmanager
def _pandas_annotations_only() -> Iterator[None]:
    """Build models without importing ``dask.dataframe`` (a slow import no run needs).

    ``DataFrameModel.to_schema`` asks ``pandera.typing`` for every Series and Index
    type it knows, which imports pandera's Dask typing module and with it
    ``dask.dataframe`` whenever Dask is installed. Our models only use pandas'
    ``Series``/``Index``, so for the duration of the build the lookups are narrowed
    to those.
    """
    model: Any = pandera_model
    saved = (model.get_index_types, model.get_series_types)
    model.get_index_types = lambda: {Index}
    model.get_series_types = lambda: {Series}
    try:
        yield
    finally:
        model.get_index_types, model.get_series_types = saved


@functools.cache
def articles_schema() -> pa.DataFrameSchema:
    with _pandas_annotations_only():
        schema: pa.DataFrameSchema = ArticlesSchema.to_schema()
    return schema


@functools.cache
def images_schema_base() -> pa.DataFrameSchema:
    """The images contract as Pandera reads it (no cross-table rule; see :func:`images_schema`)."""
    with _pandas_annotations_only():
        schema: pa.DataFrameSchema = ImagesSchema.to_schema()
    return schema


def images_schema(
    article_ids: pd.Series, base: pa.DataFrameSchema | None = None
) -> pa.DataFrameSchema:
    """The images schema (or ``base``) plus the cross-table rule: each image belongs to
    an article."""
    schema = images_schema_base() if base is None else base
    column = schema.columns["record_id"]
    # Check.isin would hand the chunk's ids to pandas' isin, which wraps each in a
    # pyarrow scalar, one at a time; Arrow's is_in on the id array does the same.
    known = pyarrow.array(article_ids.dropna().astype("str")).cast(pyarrow.large_string())

    def belongs(values: pd.Series) -> pd.Series:
        strings = pyarrow.array(values.astype("str")).cast(pyarrow.large_string())
        found = pc.is_in(strings, value_set=known).fill_null(False)
        return pd.Series(np.asarray(found, dtype=bool), index=values.index)

    owned = pa.Check(belongs, name="isin", error="isin(the record_id of an article in the chunk)")
    return schema.update_column("record_id", checks=[*column.checks, owned])


def validate_chunk(
    articles: pd.DataFrame, images: pd.DataFrame, schema: pa.DataFrameSchema | None = None
) -> pd.DataFrame:
    """Findings for every contract violation of this chunk (empty when it conforms)."""
    contract = _lean(schema or articles_schema(), articles)
    owned = images_schema(articles["record_id"], _lean(images_schema_base(), images))
    found = [
        _validate("articles", contract, articles, articles),
        _validate("images", owned, images, articles),
    ]
    return pd.concat(found, ignore_index=True)


#: (schema, string columns) -> the schema without those columns' dtype test; the
#: schema is kept too, so its id is never reused while the entry lives.
_LEAN: dict[tuple[int, tuple[str, ...]], tuple[pa.DataFrameSchema, pa.DataFrameSchema]] = {}


def _lean(schema: pa.DataFrameSchema, frame: pd.DataFrame) -> pa.DataFrameSchema:
    """``schema`` without its uniqueness rules, and without the dtype test of string columns
    that already have their dtype.

    Pandera tests a string column's dtype element by element (an all-true array when
    the column's dtype is the contract's) and then formats that column's empty failure
    cases into a message: about a third of validating a chunk. When the frame's dtype
    resolves to exactly the contract's ``STRING`` the verdict is known to be a pass;
    every other test (nullability, checks, strict, ordered) still runs. Uniqueness is
    left out too: it is a rule over the whole dump, tested by
    :func:`corpus_qa.tables.uniqueness.uniqueness_checks`.
    """
    same = tuple(
        name
        for name, column in schema.columns.items()
        if isinstance(column.dtype, pandas_engine.STRING)
        and name in frame.columns
        and pandas_engine.Engine.dtype(frame[name].dtype) == column.dtype
    )
    key = (id(schema), same)
    if key not in _LEAN:
        if len(_LEAN) >= 8:  # schemas unpickled anew for each chunk (Dask) must not pile up
            _LEAN.pop(next(iter(_LEAN)))
        lean = without_uniqueness(schema)
        if same:
            lean = lean.update_columns({name: {"dtype": None} for name in same})
        _LEAN[key] = (schema, lean)
    return _LEAN[key][1]


def _validate(
    table: str, schema: pa.DataFrameSchema, frame: pd.DataFrame, articles: pd.DataFrame
) -> pd.DataFrame:
    try:
        schema.validate(frame, lazy=True)
    except SchemaErrors as errors:
        return _to_findings(table, errors.failure_cases, frame, articles)
    return empty_findings()


def _to_findings(
    table: str, cases: pd.DataFrame, frame: pd.DataFrame, articles: pd.DataFrame
) -> pd.DataFrame:
    cases = cases.reset_index(drop=True)
    index = pd.to_numeric(cases["index"], errors="coerce").astype("Int64")
    column = cases["column"].astype("str").fillna("frame")
    column = column.where(cases["schema_context"].astype("str") != "DataFrameSchema", "frame")
    by_position = frame.reset_index(drop=True)
    valid = (index.notna() & (index < len(by_position)) & (index >= 0)).to_numpy(dtype=bool)
    rows = index.where(pd.Series(valid), 0).astype("int64").to_numpy()
    line_column = "line_start" if table == "articles" else "line"
    if len(by_position):
        record_id = pd.Series(by_position["record_id"].to_numpy()[rows], dtype="str")
        line = pd.Series(by_position[line_column].to_numpy()[rows]).astype("Int64")
    else:
        record_id = pd.Series([None] * len(cases), dtype="str")
        line = pd.Series([None] * len(cases), dtype="Int64")
    record_id = record_id.where(valid)
    line = line.where(valid)
    if len(by_position):
        owned = owner_columns(by_position, articles, table).iloc[rows].reset_index(drop=True)
        source_path = owned["source_path"].where(pd.Series(valid), "(unknown)")
        outlet = owned["outlet"].where(pd.Series(valid))
    else:
        source_path = pd.Series(["(unknown)"] * len(cases), dtype=object)
        outlet = pd.Series([None] * len(cases), dtype=object)
    message = (
        "schema: "
        + column
        + " fails "
        + cases["check"].astype("str")
        + " (value: "
        + cases["failure_case"].astype("str").str.slice(0, 200)
        + ")"
    )
    return conform(
        pd.DataFrame(
            {
                "check": "schema." + table + "." + column,
                "severity": "error",
                "record_id": record_id.to_numpy(),
                "source_path": source_path.to_numpy(),
                "line": line.to_numpy(),
                "field": column.to_numpy() if table == "articles" else "images." + column,
                "evidence": cases["failure_case"].astype("str").str.slice(0, 500).to_numpy(),
                "start": pd.NA,
                "end": pd.NA,
                "message": message.to_numpy(),
                "outlet": outlet.to_numpy(),
            }
        )
    )
