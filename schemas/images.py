"""The images table: one row per image tag of an article."""

from __future__ import annotations

from typing import Any, ClassVar

import pandas as pd
import pandera.pandas as pa
from pandera.typing import Series

from . import registered  # noqa: F401  (registers the Config checks)


class ImagesSchema(pa.DataFrameModel):
    """Record contract of the images table (documented in docs/contract.md).

    That every ``record_id`` names an article of the same dump is checked against
    the articles table of the same chunk: see :func:`corpus_qa.tables.validate.images_schema`.
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
        cqa_unique_together: ClassVar[dict[str, Any]] = {
            "columns": ["record_id", "position"],
            "error": "(record_id, position) must be unique",
        }
