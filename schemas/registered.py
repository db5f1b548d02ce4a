"""Frame-wide rules of the contract, registered with Pandera so they serialize.

A ``@pa.dataframe_check`` method is a closure Pandera cannot write to YAML; a check
registered with :func:`pandera.extensions.register_check_method` is written by name
with its statistics and looked up again by :func:`pandera.io.from_yaml`. Importing
this module (``import corpus_qa.schemas`` does) registers them. The names carry a
``cqa_`` prefix because Pandera's registry is process-wide.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pandas as pd
from pandera.api.extensions import register_check_method


@contextmanager
def _without_data_synthesis() -> Iterator[None]:
    """Pandera's registry loads its data-synthesis strategies, which import hypothesis
    when it is installed (a dev dependency), slowly, before any chunk can start. corpus-qa
    never synthesizes data, so while that module loads, hypothesis reads as missing
    (which Pandera supports); a process that imported either already is left alone."""
    if "hypothesis" in sys.modules or "pandera.strategies.pandas_strategies" in sys.modules:
        yield
        return
    sys.modules["hypothesis"] = None  # type: ignore[assignment]
    try:
        import pandera.strategies.pandas_strategies  # noqa: F401
    finally:
        del sys.modules["hypothesis"]
    yield


def _register(statistics: list[str]) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Register with Pandera, which refuses a second check of the same name."""

    def wrap(function: Callable[..., Any]) -> Callable[..., Any]:
        with _without_data_synthesis():
            register_check_method(statistics=statistics, supported_types=pd.DataFrame)(function)
        return function

    return wrap


@_register(["first", "last"])
def cqa_ordered(frame: pd.DataFrame, *, first: str, last: str) -> pd.Series:
    """``frame[last] >= frame[first]``: e.g. an article ends at or after its first line."""
    return (frame[last] >= frame[first]).fillna(True).astype(bool)


@_register(["column", "first", "last"])
def cqa_within(frame: pd.DataFrame, *, column: str, first: str, last: str) -> pd.Series:
    """``column`` lies within ``first..last`` where it is set."""
    value = frame[column]
    inside = (value >= frame[first]) & (value <= frame[last])
    return inside.fillna(True).astype(bool)


@_register(["columns"])
def cqa_null_together(frame: pd.DataFrame, *, columns: list[str]) -> pd.Series:
    """The ``columns`` are all null or all set, row by row."""
    nulls = frame[list(columns)].isna()
    return nulls.all(axis=1) | ~nulls.any(axis=1)


@_register(["columns"])
def cqa_unique_together(frame: pd.DataFrame, *, columns: list[str]) -> pd.Series:
    """No two rows share their values of ``columns``."""
    return ~frame.duplicated(list(columns), keep=False)


__all__ = ["cqa_null_together", "cqa_ordered", "cqa_unique_together", "cqa_within"]
