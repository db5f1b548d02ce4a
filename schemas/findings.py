"""The findings table: one row per defect."""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa
from pandera.typing import Series

SEVERITIES = ("error", "warning", "info")


class FindingsSchema(pa.DataFrameModel):
    """Every finding names its check and points at the bytes that caused it."""

    check: Series[str] = pa.Field(str_length={"min_value": 1})
    severity: Series[str] = pa.Field(isin=list(SEVERITIES))
    record_id: Series[str] = pa.Field(nullable=True)
    source_path: Series[str]
    line: Series[pd.Int64Dtype] = pa.Field(nullable=True, ge=1)
    field: Series[str] = pa.Field(nullable=True)
    evidence: Series[str] = pa.Field(nullable=True)
    start: Series[pd.Int64Dtype] = pa.Field(nullable=True, ge=0)
    end: Series[pd.Int64Dtype] = pa.Field(nullable=True, ge=0)
    message: Series[str]
    outlet: Series[str] = pa.Field(nullable=True)

    class Config:
        strict = True

    @pa.dataframe_check(error="a span must have start <= end and evidence of its length")
    def span_consistent(cls, frame: pd.DataFrame) -> pd.Series[bool]:
        has_span = frame["start"].notna() & frame["end"].notna()
        ordered = (frame["start"] <= frame["end"]).fillna(True)
        length = frame["evidence"].str.len()
        sized = (length == (frame["end"] - frame["start"])).fillna(True)
        return (~has_span | (ordered & sized)).astype(bool)
