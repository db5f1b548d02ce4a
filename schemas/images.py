"""The images table: one row per image tag of an article."""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa
from pandera.typing import Series


class ImagesSchema(pa.DataFrameModel):
    """Record contract of the images table (design.md section 2).

    That every ``record_id`` names an article of the same dump is checked against
    the articles table of the same chunk: see :func:`corpus_qa.validate.images_schema`.
    """

    record_id: Series[str] = pa.Field(str_length={"min_value": 1})
    position: Series[int] = pa.Field(ge=0)
    alt: Series[str]
    src: Series[str]
    resolved_src: Series[str]
    width: Series[pd.Int64Dtype] = pa.Field(nullable=True, gt=0)
    line: Series[pd.Int64Dtype] = pa.Field(nullable=True, ge=1)

    class Config:
        strict = True
        ordered = True

    @pa.dataframe_check(error="(record_id, position) must be unique")
    def position_unique(cls, frame: pd.DataFrame) -> pd.Series[bool]:
        return ~frame.duplicated(["record_id", "position"], keep=False)
