"""Fast paths agree with the plain forms they replace, on any text."""

from __future__ import annotations

import pandas as pd
from hypothesis import given
from hypothesis import strategies as st

from corpus_qa.checks.email import _ADDRESS_RE, _addresses
from corpus_qa.ingest.jsonl import _braced_lines
from corpus_qa.vector import tail

# Multi-byte characters (2, 3 and 4 UTF-8 bytes) so that byte windows split them.
TEXT = st.text(alphabet=st.sampled_from("ab .\n@-_%+9Zé中😀ß"), max_size=60)


@given(st.lists(st.one_of(st.none(), TEXT), max_size=12), st.integers(1, 25))
def test_tail_is_a_negative_slice(values: list[str | None], chars: int) -> None:
    series = pd.Series(values, dtype="str")
    got, want = tail(series, chars), series.str.slice(-chars)
    assert got.index.equals(want.index)
    assert got.fillna("<NA>").tolist() == want.fillna("<NA>").tolist()


@given(TEXT)
def test_addresses_are_the_regex_matches(text: str) -> None:
    found = [(m.start(), m.end(), m.group(0)) for m in _addresses(text)]
    assert found == [(m.start(), m.end(), m.group(0)) for m in _ADDRESS_RE.finditer(text)]


@given(st.lists(st.sampled_from([b"\n", b"{", b"a"]), max_size=12).map(b"".join), st.integers(1, 5))
def test_braced_lines_count_line_starts(block: bytes, window: int) -> None:
    # Small windows: a newline and its "{" fall on both sides of a window's edge.
    expected = block.count(b"\n{", 0, max(0, len(block) - 1)) + block.startswith(b"{")
    assert _braced_lines(block) == expected
    assert _braced_lines(block, window) == expected
