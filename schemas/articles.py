"""The articles table: one row per article found in the dump."""

from __future__ import annotations

from typing import Any, ClassVar, get_args

import pandas as pd
import pandera.pandas as pa
from pandera.typing import Series

from corpus_qa.model import BylineEvidenceSource, BylineSource, PublishedSource, Role

from . import registered  # noqa: F401  (registers the Config checks)

ROLES = get_args(Role)
#: The provenance values the record model allows (one list, in corpus_qa.model).
BYLINE_SOURCES = get_args(BylineSource)
PUBLISHED_SOURCES = get_args(PublishedSource)
BYLINE_EVIDENCE_SOURCES = get_args(BylineEvidenceSource)


class ArticlesSchema(pa.DataFrameModel):
    """Record contract of the articles table (documented in docs/contract.md)."""

    record_id: Series[str] = pa.Field(unique=True, str_length={"min_value": 1})
    source_path: Series[str] = pa.Field(str_length={"min_value": 1})
    line_start: Series[int] = pa.Field(ge=1)
    line_end: Series[int] = pa.Field(ge=1)
    role: Series[str] = pa.Field(isin=list(ROLES))
    outlet: Series[str] = pa.Field(nullable=True)
    url: Series[str] = pa.Field(nullable=True)
    title: Series[str] = pa.Field(nullable=True)
    title_line: Series[pd.Int64Dtype] = pa.Field(nullable=True, ge=1)
    body: Series[str]
    body_lines: Series[object] = pa.Field(nullable=True)
    byline: Series[str] = pa.Field(nullable=True, str_length={"min_value": 1})
    byline_source: Series[str] = pa.Field(nullable=True, isin=list(BYLINE_SOURCES))
    credit: Series[str] = pa.Field(nullable=True)
    genre: Series[str] = pa.Field(nullable=True)
    published_raw: Series[str] = pa.Field(nullable=True)
    published: Series[pd.DatetimeTZDtype] = pa.Field(
        nullable=True, dtype_kwargs={"unit": "us", "tz": "UTC"}
    )
    published_source: Series[str] = pa.Field(nullable=True, isin=list(PUBLISHED_SOURCES))
    n_images: Series[int] = pa.Field(ge=0)
    byline_evidence: Series[str] = pa.Field(nullable=True, str_length={"min_value": 1})
    byline_evidence_source: Series[str] = pa.Field(
        nullable=True, isin=list(BYLINE_EVIDENCE_SOURCES)
    )
    byline_evidence_line: Series[pd.Int64Dtype] = pa.Field(nullable=True, ge=1)

    class Config:
        strict = True
        ordered = True
        # Frame-wide rules: registered checks (schemas/registered.py), so that the
        # schema survives a round trip through Pandera's YAML (`corpus-qa export pandera`).
        cqa_ordered: ClassVar[dict[str, Any]] = {
            "first": "line_start",
            "last": "line_end",
            "error": "line_end must not be before line_start",
        }
        cqa_within: ClassVar[dict[str, Any]] = {
            "column": "title_line",
            "first": "line_start",
            "last": "line_end",
            "error": "title_line must lie within line_start..line_end",
        }
        cqa_null_together: ClassVar[dict[str, Any]] = {
            "columns": ["byline", "byline_source"],
            "error": "byline_source must be set exactly when byline is",
        }
