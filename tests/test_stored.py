"""Tables kept on disk between runs: read back as built, rebuilt when anything they
were built from changed, and never an error when the disk cannot serve."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from corpus_qa.checks.builtin import _siteanchors as siteanchors
from corpus_qa.checks.builtin import _sitetext as sitetext
from corpus_qa.text import stored


def _counting(
    arrays: dict[str, np.ndarray],
) -> tuple[list[int], Callable[[], dict[str, np.ndarray]]]:
    calls: list[int] = []

    def build() -> dict[str, np.ndarray]:
        calls.append(1)
        return arrays

    return calls, build


ARRAYS: dict[str, np.ndarray] = {
    "keys": np.array([3, 2**64 - 1, 7], dtype=np.uint64),
    "owners": np.array([-1, 0, 5], dtype=np.int32),
    "bits": np.packbits(np.array([1, 0, 1, 1], dtype=bool)),
    "empty": np.zeros(0, dtype=np.int64),
}


def _same(a: dict[str, np.ndarray], b: dict[str, np.ndarray]) -> bool:
    return a.keys() == b.keys() and all(
        a[k].dtype == b[k].dtype and np.array_equal(a[k], b[k]) for k in a
    )


def test_a_stored_table_is_read_back_without_building(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CORPUS_QA_CACHE_DIR", str(tmp_path))
    calls, build = _counting(ARRAYS)
    first = stored.cached("table", "k1", build)
    second = stored.cached("table", "k1", build)
    assert len(calls) == 1
    assert _same(first, ARRAYS) and _same(second, ARRAYS)
    assert [p.name for p in tmp_path.iterdir()] == ["table-k1.npz"]
    # Another digest (another lexicon, another builder) is built anew.
    stored.cached("table", "k2", build)
    assert len(calls) == 2


def test_a_damaged_file_is_built_again_and_replaced(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CORPUS_QA_CACHE_DIR", str(tmp_path))
    calls, build = _counting(ARRAYS)
    stored.cached("table", "k", build)
    path = tmp_path / "table-k.npz"
    path.write_bytes(path.read_bytes()[:100])
    assert _same(stored.cached("table", "k", build), ARRAYS)
    assert len(calls) == 2
    assert _same(stored.cached("table", "k", build), ARRAYS)
    assert len(calls) == 2


def test_an_unwritable_or_disabled_cache_builds_in_memory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory")
    monkeypatch.setenv("CORPUS_QA_CACHE_DIR", str(blocker / "cache"))
    calls, build = _counting(ARRAYS)
    assert _same(stored.cached("table", "k", build), ARRAYS)
    assert _same(stored.cached("table", "k", build), ARRAYS)
    assert len(calls) == 2
    monkeypatch.setenv("CORPUS_QA_CACHE_DIR", "")
    assert stored.directory() is None
    assert _same(stored.cached("table", "k", build), ARRAYS)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a-file"]


def test_the_default_directory_follows_xdg(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CORPUS_QA_CACHE_DIR", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", "/somewhere/cache")
    assert stored.directory() == Path("/somewhere/cache/corpus-qa")


def test_the_digest_follows_inputs_and_sources(tmp_path: Path) -> None:
    source = tmp_path / "builder.py"
    source.write_text("A = 1\n")
    first = stored.digest(["a", "b"], [source])
    assert stored.digest(["a", "b"], [source]) == first
    assert stored.digest(["ab"], [source]) != first
    assert stored.digest(["a", "b", ""], [source]) != first
    source.write_text("A = 2\n")
    assert stored.digest(["a", "b"], [source]) != first


def test_old_versions_are_pruned(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CORPUS_QA_CACHE_DIR", str(tmp_path))
    (tmp_path / "other-x.npz").write_bytes(b"another table's file")
    for k in range(stored._KEEP + 3):
        stored.cached("table", f"k{k}", lambda: ARRAYS)
    kept = sorted(p.name for p in tmp_path.glob("table-*.npz"))
    assert len(kept) == stored._KEEP
    assert f"table-k{stored._KEEP + 2}.npz" in kept
    assert (tmp_path / "other-x.npz").exists()


def test_the_site_text_table_read_back_equals_the_built_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CORPUS_QA_CACHE_DIR", str(tmp_path))
    table = sitetext.entries(sitetext.ALL_CLASSES)
    built = sitetext._anchors.__wrapped__(table)
    assert len(list(tmp_path.glob("site-text-anchors-*.npz"))) == 1
    read = sitetext._anchors.__wrapped__(table)
    fresh = siteanchors._built_anchors(table)
    for anchors in (built, read):
        assert anchors.literal == tuple(fresh["literal"].tolist())
        for name in siteanchors._TABLE_FIELDS:
            value = getattr(anchors, name)
            assert value.dtype == fresh[name].dtype
            assert np.array_equal(value, fresh[name])
    # A table with another entry is another file, not the first one read back.
    other = sitetext.entries(sitetext.ALL_CLASSES, (("Quux frobnicate", "phrase"),))
    assert len(sitetext._anchors.__wrapped__(other).keys) > len(read.keys)
    assert len(list(tmp_path.glob("site-text-anchors-*.npz"))) == 2
