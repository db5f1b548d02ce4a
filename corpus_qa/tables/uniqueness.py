"""The contract's uniqueness rules, tested over the whole dump instead of per chunk.

Pandera tests ``unique=True`` (and ``cqa_unique_together``) on the frame it is given,
which here is one chunk: two records sharing an id were reported only when they fell
into the same chunk, so the findings changed with ``--chunk-size`` and ``--jobs``.
Chunk validation therefore leaves these rules out (:func:`without_uniqueness`), and
one whole-dump check per rule (:func:`uniqueness_checks`) keys each row's values and
reports every row whose key another row has, as Pandera would (``keep=False``), with
the same finding id (``schema.<table>.<column>`` or ``schema.<table>.frame``).
"""

from __future__ import annotations

import copy
from typing import Any, ClassVar

import numpy as np
import pandas as pd
import pandera.pandas as pa
import pyarrow as pyarrow
import pyarrow.compute as pc

from corpus_qa.checks.api import GlobalCheck, Rows, Table, no_global_hits
from corpus_qa.findings.rows import image_owners
from corpus_qa.model import Severity
from corpus_qa.text.keys import content_keys

_UNIQUE_TOGETHER = "cqa_unique_together"
_SPILLED = ("record_id", "source_path", "line", "outlet", "evidence")


class ContractUniqueness(GlobalCheck):
    """One uniqueness rule of the contract, over the whole dump (see the module doc).

    What it catches
    ---------------
    Rows of the articles or images table that repeat a value the contract says is
    unique.

    Why it matters
    --------------
    A contract's uniqueness is a property of the whole table, not of a chunk.

    Example
    -------
    Two records with the id ``a1``, one on line 3 and one on line 40,000.

    How to fix the scraper
    ----------------------
    Give every record its own id (see ``record.duplicate_id``).
    """

    severity: ClassVar[Severity] = "error"
    table: ClassVar[Table] = "articles"
    columns: ClassVar[tuple[str, ...]] = ()
    rule: ClassVar[str] = "field_uniqueness"
    spilled: ClassVar[tuple[str, ...]] = _SPILLED
    partition_by: ClassVar[str | None] = "key"

    def observe(self, articles: pd.DataFrame, images: pd.DataFrame) -> pd.DataFrame:
        frame = articles if self.table == "articles" else images
        strings = [frame[c].astype("str") for c in self.columns]
        values = [pyarrow.array(v, type=pyarrow.large_string()) for v in strings]
        line = "line_start" if self.table == "articles" else "line"
        if not len(frame) or not len(articles):
            return self._observe_objects(frame, articles, strings, values, line)
        record_id = frame["record_id"].astype("str").array
        source_path, outlet = owner_strings(frame, articles, self.table)
        evidence = strings[0]
        for column in strings[1:]:
            evidence = evidence + ", " + column
        if any(c.isna().all() for c in (record_id, source_path, outlet, evidence.array)):
            return self._observe_objects(frame, articles, strings, values, line)
        # Arrow-backed arrays throughout: a round trip through Python objects cost
        # more than the rest of the observe.
        return pd.DataFrame(
            {
                "key": content_keys(values),
                "record_id": record_id,
                "source_path": source_path,
                "line": frame[line].astype("Int64").array,
                "outlet": outlet,
                "evidence": evidence.array,
            }
        )

    def _observe_objects(
        self,
        frame: pd.DataFrame,
        articles: pd.DataFrame,
        strings: list[pd.Series],
        values: list[pyarrow.Array],
        line: str,
    ) -> pd.DataFrame:
        """:meth:`observe` by way of object arrays, where they decide the dtypes (no
        rows, or a column all missing: ``object``); the spill keeps the dtypes it first sees."""
        looked_up = owner_columns(frame, articles, self.table)
        evidence = strings[0]
        for column in strings[1:]:
            evidence = evidence + ", " + column
        return pd.DataFrame(
            {
                "key": content_keys(values),
                "record_id": frame["record_id"].astype("str").to_numpy(),
                "source_path": looked_up["source_path"].to_numpy(),
                "line": pd.array(frame[line].to_numpy(), dtype="Int64"),
                "outlet": looked_up["outlet"].to_numpy(),
                "evidence": evidence.to_numpy(),
            }
        )

    def finalize(self, state: pd.DataFrame, rows: Rows | None = None) -> pd.DataFrame:
        repeated = np.flatnonzero(state["key"].duplicated(keep=False).to_numpy())
        if not len(repeated):
            return no_global_hits()
        taken = self.spilled_rows(state, rows).take(repeated)
        field = self.columns[0] if len(self.columns) == 1 else "frame"
        evidence = taken["evidence"].astype("str").str.slice(0, 500)
        return pd.DataFrame(
            {
                "record_id": taken["record_id"].to_numpy(),
                "source_path": taken["source_path"].to_numpy(),
                "line": taken["line"].to_numpy(),
                "outlet": taken["outlet"].to_numpy(),
                "field": field if self.table == "articles" else f"images.{field}",
                "evidence": evidence.to_numpy(),
                "start": pd.NA,
                "end": pd.NA,
                "message": f"schema: {field} fails {self.rule} (value: "
                + evidence.str.slice(0, 200)
                + ")",
            }
        )


def owner_columns(frame: pd.DataFrame, articles: pd.DataFrame, table: str) -> pd.DataFrame:
    """Each row's article's ``source_path`` and ``outlet``: its own for the articles
    table, its owner's for images (by position, so a shared id names the right one)."""
    if table == "articles":
        rows = np.arange(len(frame))
    else:
        rows = image_owners(frame.reset_index(drop=True), articles)
    known = rows >= 0
    source = np.full(len(rows), "(unknown)", dtype=object)
    outlet = np.full(len(rows), None, dtype=object)
    if len(articles):
        # Only the two columns are taken: a take of the frame copied every body too.
        taken = rows[known]
        source[known] = articles["source_path"].to_numpy(dtype=object)[taken]
        outlet[known] = articles["outlet"].to_numpy(dtype=object)[taken]
    return pd.DataFrame({"source_path": source, "outlet": outlet})


def owner_strings(
    frame: pd.DataFrame, articles: pd.DataFrame, table: str
) -> tuple[pd.api.extensions.ExtensionArray, pd.api.extensions.ExtensionArray]:
    """:func:`owner_columns` as ``str`` arrays taken in Arrow (``articles`` not empty)."""
    if table == "articles":
        return articles["source_path"].astype("str").array, articles["outlet"].astype("str").array
    rows = image_owners(frame.reset_index(drop=True), articles)
    known = rows >= 0
    # A null index takes a null: images of no article of the chunk have no outlet.
    index = pyarrow.array(np.maximum(rows, 0), mask=~known)
    source = pyarrow.array(articles["source_path"].astype("str")).take(index)
    source = pc.if_else(pyarrow.array(known), source, "(unknown)")
    outlet = pyarrow.array(articles["outlet"].astype("str")).take(index)
    return pd.array(source, dtype="str"), pd.array(outlet, dtype="str")


def _rules(table: str, schema: pa.DataFrameSchema) -> list[tuple[tuple[str, ...], str]]:
    rules: list[tuple[tuple[str, ...], str]] = [
        ((name,), "field_uniqueness") for name, column in schema.columns.items() if column.unique
    ]
    if schema.unique:
        frame_unique = [schema.unique] if isinstance(schema.unique, str) else schema.unique
        rules.append((tuple(frame_unique), "multiple_fields_uniqueness"))
    for check in schema.checks:
        if getattr(check, "name", None) == _UNIQUE_TOGETHER:
            columns = tuple(check.statistics.get("columns", ()))
            if columns:
                rules.append((columns, _UNIQUE_TOGETHER))
    return rules


def uniqueness_checks(
    articles: pa.DataFrameSchema, images: pa.DataFrameSchema
) -> list[ContractUniqueness]:
    """One whole-dump check per uniqueness rule of the two contracts."""
    made: list[ContractUniqueness] = []
    for table, schema in (("articles", articles), ("images", images)):
        for columns, rule in _rules(table, schema):
            field = columns[0] if len(columns) == 1 else "frame"
            attrs: dict[str, Any] = {
                "id": f"schema.{table}.{field}",
                "name": f"Unique {table} {', '.join(columns)}",
                "table": table,
                "columns": columns,
                "rule": rule,
            }
            made.append(type(f"Unique_{table}_{'_'.join(columns)}", (ContractUniqueness,), attrs)())
    return made


def without_uniqueness(schema: pa.DataFrameSchema) -> pa.DataFrameSchema:
    """``schema`` without the rules :func:`uniqueness_checks` tests over the whole dump."""
    unique = [name for name, column in schema.columns.items() if column.unique]
    if unique:
        schema = schema.update_columns({name: {"unique": False} for name in unique})
    kept = [c for c in schema.checks if getattr(c, "name", None) != _UNIQUE_TOGETHER]
    if len(kept) == len(schema.checks) and not schema.unique:
        return schema
    lean = copy.copy(schema)
    lean.checks = kept
    lean.unique = None
    return lean
