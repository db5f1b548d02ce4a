"""make bench's peak memory: the largest process's (issue 22's measure) and the tree's."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parent.parent / "bench"
sys.path.insert(0, str(BENCH))

import targets  # type: ignore[import-not-found]  # noqa: E402

from bench.run import run  # noqa: E402

MiB = 1 << 20

#: A parent holding 120 MiB that starts a child holding 200 MiB; both wait a while.
TREE = textwrap.dedent(
    f"""
    import subprocess, sys, time
    held = b"p" * (120 * {MiB})
    child = subprocess.Popen(
        [sys.executable, "-c", "import time; held = b'c' * (200 * {MiB}); time.sleep(1.5)"]
    )
    child.wait()
    """
)


@pytest.mark.slow
def test_the_largest_process_and_the_tree_are_measured_apart() -> None:
    result = run([sys.executable, "-c", TREE])
    assert result["exit"] == 0, result["stderr"]
    # The child's own peak: not the parent's, not their sum.
    assert 200 <= result["peak_rss_process_mb"] < 300
    # Both were alive together for more than a second: the tree's peak is their sum.
    assert result["peak_rss_mb"] >= 320
    assert result["peak_pss_mb"] >= 310


#: A bench process that itself peaked at 600 MiB measures a 200 MiB tool.
FAT_BENCH = textwrap.dedent(
    f"""
    import json, sys
    sys.path.insert(0, {str(BENCH)!r})
    sys.path.insert(0, {str(BENCH.parent)!r})
    held = b"b" * (600 * {MiB})
    del held
    from bench.run import run
    tool = "import time; held = b'c' * (200 * {MiB}); time.sleep(0.3)"
    print(json.dumps(run([sys.executable, "-c", tool])))
    """
)


@pytest.mark.slow
def test_the_bench_process_own_peak_is_not_the_tools() -> None:
    # Linux hands the exec'ing process's high-water mark to the new program's
    # ru_maxrss; the launcher keeps the bench's own peak out of the tool's figure.
    done = subprocess.run(
        [sys.executable, "-c", FAT_BENCH], capture_output=True, text=True, check=True
    )
    result = json.loads(done.stdout)
    assert result["exit"] == 0, result["stderr"]
    assert 200 <= result["peak_rss_process_mb"] < 300


def test_a_tool_that_cannot_start_is_exit_127_with_a_reason() -> None:
    result = run([str(BENCH / "no-such-tool")])
    assert result["exit"] == 127
    assert "no-such-tool: No such file or directory" in result["stderr"]


def test_targets_read_the_largest_process_and_skip_older_results() -> None:
    row = {
        "profile": "mixed",
        "articles": 100_000,
        "ratios": {},
        "tools": {"corpus_qa": {"peak_rss_process_mb": 300, "peak_rss_mb": 800}},
    }
    memory = {
        "20000": {"peak_rss_process_mb": 280, "peak_rss_mb": 660},
        "200000": {"peak_rss_process_mb": 350, "peak_rss_mb": 780},
        "ratio_large_vs_small": 1.25,
    }
    found = {
        t["name"]: t for t in targets.evaluate({"runs": [row], "memory_scaling": {"mixed": memory}})
    }
    assert found["full_peak_rss_mb"]["value"] == 300 and found["full_peak_rss_mb"]["holds"]
    assert found["memory_growth"]["value"] == 1.25 and not found["memory_growth"]["holds"]
    # Results measured before the largest process's peak was kept have no memory targets.
    old_row = {**row, "tools": {"corpus_qa": {"peak_rss_mb": 800}}}
    old_memory = {k: {"peak_rss_mb": 700} for k in ("20000", "200000")}
    old = targets.evaluate({"runs": [old_row], "memory_scaling": {"mixed": old_memory}})
    assert {t["name"] for t in old} == set()
