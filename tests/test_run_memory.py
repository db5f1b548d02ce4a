"""A check run's allocators give freed memory back; global states are joined once."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

import numpy as np
import pandas as pd
import pytest

from checks.record import RecordDuplicateId
from corpus_qa.checks.global_state import GlobalStates

#: Frees a mapped block (glibc then raises its threshold past 8 MiB), fills the heap with
#: 8 MiB arrays, frees all but the last, then a 64 MiB Arrow buffer; prints the RSS
#: left and Arrow's pool.
PILE = textwrap.dedent(
    """
    import ctypes, json, sys
    import numpy as np
    import pyarrow as pa
    from corpus_qa.run.memory import bounded_allocators
    if sys.argv[1] == "bounded":
        bounded_allocators()
    def rss():
        for line in open("/proc/self/status"):
            if line.startswith("VmRSS"):
                return int(line.split()[1]) // 1024
    big = np.ones(2 << 20, dtype=np.int64); del big  # 16 MiB, mapped then freed
    before = rss()
    arrays = [np.ones(1 << 20, dtype=np.int64) for _ in range(20)]  # 20 x 8 MiB
    last = arrays.pop()
    del arrays
    buffer = pa.allocate_buffer(64 << 20)  # an Arrow buffer, written, then freed
    ctypes.memset(buffer.address, 1, buffer.size)
    del buffer
    print(json.dumps({"kept": rss() - before, "pool": pa.default_memory_pool().backend_name}))
    """
)


def _pile(mode: str, env: dict[str, str] | None = None) -> dict[str, object]:
    done = subprocess.run(
        [sys.executable, "-c", PILE, mode],
        capture_output=True,
        text=True,
        check=True,
        env=env,
    )
    out: dict[str, object] = json.loads(done.stdout)
    return out


@pytest.mark.slow
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's malloc")
def test_bounded_allocators_give_freed_arrays_back() -> None:
    loose, bounded = _pile("default"), _pile("bounded")
    # glibc's own threshold keeps freed arrays under the last one (up to ~150 MiB;
    # how much depends on the heap the interpreter already had), mimalloc the Arrow
    # buffer's pages.
    assert isinstance(loose["kept"], int) and isinstance(bounded["kept"], int)
    assert bounded["kept"] < 30 and loose["kept"] > bounded["kept"] + 40
    assert bounded["pool"] == "system" and loose["pool"] != "system"


@pytest.mark.slow
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's malloc")
def test_a_pool_asked_for_is_left_to_rule() -> None:
    import os

    chosen = _pile("bounded", {**os.environ, "ARROW_DEFAULT_MEMORY_POOL": "mimalloc"})
    assert chosen["pool"] == "mimalloc"


def _state(ids: list[str], rows: list[int]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "record_id": ids,
            "source_path": "dump.jsonl",
            "line": rows,
            "outlet": "Outlet",
            "row": np.asarray(rows, dtype=np.int64),
        }
    )


def test_a_state_is_joined_once_and_handed_over() -> None:
    check = RecordDuplicateId()
    with GlobalStates([check]) as store:
        store.add({check.id: _state(["a", "b"], [1, 2])})
        store.add({check.id: _state(["b", "c", "a"], [3, 4, 5])})
        state, rows = store.state(check.id)
        assert state["row"].tolist() == [1, 2, 3, 4, 5]
        # Equal ids, equal codes, across chunks; the spilled columns read back by row.
        assert state["record_id"].tolist() == [0, 1, 1, 2, 0]
        assert rows.take(np.array([4, 0]))["line"].tolist() == [5, 1]
        # Handed over: the chunks' arrays are gone, a second call has nothing.
        again, _ = store.state(check.id)
        assert again.empty
