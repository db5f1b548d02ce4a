"""boilerplate.foreign_headline's title rows: only titles holding a separator between
spaces are rewritten, and that gives the rows and keys of rewriting every title."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from hypothesis import given
from hypothesis import strategies as st

from corpus_qa.checks.builtin.headlines import _HEADLINE_CHARS, _SITE_SUFFIX, ForeignHeadline
from corpus_qa.text.keys import arrow_strings, line_keys

PIECES = st.sampled_from(
    ["Mayor quits", " ", "  ", "\t", "|", "-", "–", "—", "Site", "Die Zeit", "é", "x" * 30, "\n"]
)
TITLES = st.lists(st.one_of(st.lists(PIECES, max_size=8).map("".join), st.none()), max_size=8)


def _every_title_rewritten(titles: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    strings = arrow_strings(titles.astype("str").fillna(""))
    bare = pc.replace_substring_regex(strings, _SITE_SUFFIX, "")
    cut = np.flatnonzero(np.asarray(pc.not_equal(strings, bare), dtype=bool))
    keep, keys = line_keys(
        pa.concat_arrays([strings, bare.take(pa.array(cut))]), _HEADLINE_CHARS[0]
    )
    rows = np.concatenate([np.arange(len(strings), dtype=np.int64), cut])[keep]
    return rows, keys


@given(TITLES)
def test_title_rows_equal_rewriting_every_title(titles: list[str | None]) -> None:
    series = pd.Series(titles, dtype="str")
    frame = ForeignHeadline()._titles(pd.DataFrame({"title": series}))
    rows, keys = _every_title_rewritten(series)
    assert frame["row"].tolist() == rows.tolist()
    assert frame["key"].to_numpy(dtype=np.uint64).tolist() == keys.tolist()
    assert frame["evidence"].isna().all()
    assert (frame["reason"] == "").all()


def test_a_site_suffix_gives_a_second_title_row() -> None:
    series = pd.Series(["Mayor quits after budget row | Daily Post", "Plain title here"])
    frame = ForeignHeadline()._titles(pd.DataFrame({"title": series}))
    assert frame["row"].tolist() == [0, 1, 0]
