"""JSONL read with only the forced fields seen so far: the same table as the full read.

:meth:`corpus_qa.ingest.jsonl._JsonlSchema._narrowed` forces only the candidate
fields that earlier reads in the process found values in. Whatever those earlier
reads saw, a block must read to the very table (names, order, types, values) that
forcing every candidate gives, or to ``None`` where that read fails.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

import pyarrow as pa
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from corpus_qa.ingest import jsonl
from corpus_qa.ingest.fields import FieldMap

_FMAP = FieldMap()
_FORCED = [name for name, _ in jsonl._JsonlSchema(_FMAP).forced]
# Names a record may hold: forced candidates, flexible ones, nested ones, others.
_NAMES = ["id", "_id", "text", "body", "title", "date", "published", "url", "source"]
_NAMES += ["outlet", "site", "metadata", "author", "authors", "images", "planted", "extra"]
_VALUES = st.one_of(
    st.none(),
    st.sampled_from(["007", "", " ", "2025-02-04T08:30:00Z", "https://a.example/x", "Jane"]),
    st.text(max_size=12),
    st.integers(-5, 10**12),
    st.floats(allow_nan=False, allow_infinity=False),
    st.booleans(),
    st.lists(st.sampled_from(["a", "b"]), max_size=2),
    st.fixed_dictionaries({}, optional={"title": st.text(max_size=5), "src": st.just("s")}),
)
_RECORDS = st.lists(
    st.dictionaries(st.sampled_from(_NAMES), _VALUES, min_size=1, max_size=6),
    min_size=1,
    max_size=6,
)


@pytest.fixture(autouse=True)
def _fresh_seen() -> Iterator[None]:
    saved = dict(jsonl._SEEN)
    jsonl._SEEN.clear()
    yield
    jsonl._SEEN.clear()
    jsonl._SEEN.update(saved)


def _block(records: list[dict[str, object]]) -> bytes:
    return "".join(json.dumps(r) + "\n" for r in records).encode()


def _full(data: bytes) -> pa.Table | None:
    jsonl._SEEN.clear()
    return jsonl._JsonlSchema(_FMAP).read(data)


def _same(got: pa.Table | None, want: pa.Table | None) -> None:
    if want is None:
        assert got is None
        return
    assert got is not None
    assert got.schema.equals(want.schema)
    assert got.equals(want)
    assert got.to_pylist() == want.to_pylist()


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_RECORDS, st.sets(st.sampled_from(_FORCED)))
@example([{"id": "1", "date": "2025-02-04T08:30:00Z"}], {"id"})
@example([{"id": 7.50, "title": "t"}], {"title"})
@example([{"id": "1", "metadata": {"title": "x"}}], {"id"})
@example([{"id": "1", "title": None}], {"id"})
def test_a_narrowed_read_equals_the_full_read(
    records: list[dict[str, object]], seen: set[str]
) -> None:
    data = _block(records)
    want = _full(data)
    schema = jsonl._JsonlSchema(_FMAP)
    jsonl._SEEN[schema.key] = set(seen)
    _same(schema.read(data), want)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_RECORDS, _RECORDS)
def test_what_one_range_saw_never_changes_the_next(
    first: list[dict[str, object]], second: list[dict[str, object]]
) -> None:
    # As a worker reads range after range: the first read decides what is forced next.
    want = _full(_block(second))
    jsonl._SEEN.clear()
    jsonl._JsonlSchema(_FMAP).read(_block(first))
    _same(jsonl._JsonlSchema(_FMAP).read(_block(second)), want)
    # A field that came back inferred is forced from then on.
    _same(jsonl._JsonlSchema(_FMAP).read(_block(second)), want)


def test_a_narrowed_read_forces_only_the_fields_seen() -> None:
    first = _block([{"id": "1", "text": "a", "date": "2025-02-04T08:30:00Z"}])
    schema = jsonl._JsonlSchema(_FMAP)
    schema.read(first)
    assert jsonl._SEEN[schema.key] == {"id", "text", "date"}
    # A date in a field not forced yet would be read as a timestamp: the full read
    # answers, with it as written, and it is forced from then on.
    second = _block([{"id": "2", "published": "2025-02-04T08:30:00Z"}])
    table = jsonl._JsonlSchema(_FMAP).read(second)
    assert table is not None
    assert table.column("published").to_pylist() == ["2025-02-04T08:30:00Z"]
    assert table.column("date").to_pylist() == [None]
    assert "published" in jsonl._SEEN[schema.key]
