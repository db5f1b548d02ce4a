"""What a ``check`` run's worker processes hold: a real ``corpus-qa check --jobs 2``.

A probe check (``--checks-dir``) records, in the main process before the workers
fork (``prepare``) and in every worker (``run``), which heavy optional modules are
loaded and the state of the site-text screen's cache. A JSONL dump needs none of the
HTML, WARC, object-storage, history or peer-tool modules, and the screen, the largest
table the built-in checks read, is built once in the main process and shared by the
forked workers, not rebuilt (and held) by each.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

#: Imported by other inputs and commands only (HTML pages, WARC, s3://, history,
#: --gx, the Dask engine, progress bars of dependencies, Parquet, legacy encodings,
#: YAML policies): never by a JSONL check.
HEAVY = (
    "lxml",
    "html2text",
    "htmldate",
    "warcio",
    "duckdb",
    "fsspec",
    "s3fs",
    "great_expectations",
    "polars",
    "dask",
    "distributed",
    "tqdm",
    "pyarrow.parquet",
    "charset_normalizer",
    "yaml",
)

PROBE = '''
import json, os, sys
from typing import ClassVar

from corpus_qa.checks.api import Check, no_hits
from corpus_qa.checks.builtin import _sitetext as sitetext

HEAVY = {heavy!r}


def _note(stage):
    info = sitetext._anchors.cache_info()
    if stage == "run":
        # Asked for in the worker: a hit if the main process built it before forking.
        sitetext._anchors(sitetext.entries(sitetext.ALL_CLASSES))
        info = sitetext._anchors.cache_info()
    loaded = sorted(m for m in HEAVY if m in sys.modules)
    with open(os.environ["PROBE_OUT"], "a", encoding="utf-8") as out:
        out.write(json.dumps({{"stage": stage, "pid": os.getpid(), "loaded": loaded,
                              "misses": info.misses, "size": info.currsize}}) + "\\n")


class MemoryProbe(Check):
    """Records what the process holds.

    What it catches
    ---------------
    Nothing: a test probe.

    Why it matters
    --------------
    Worker memory.

    Example
    -------
    None.

    How to fix the scraper
    ----------------------
    Nothing to fix.
    """

    id: ClassVar[str] = "test.memory_probe"
    name: ClassVar[str] = "Memory probe"

    def prepare(self):
        _note("prepare")

    def run(self, articles, images):
        _note("run")
        return no_hits()
'''


@pytest.mark.skipif(sys.platform != "linux", reason="workers fork on Linux")
def test_jsonl_workers_load_no_heavy_module_and_share_the_site_text_screen(
    tmp_path: Path, synthetic_dump: Path
) -> None:
    checks = tmp_path / "checks"
    checks.mkdir()
    (checks / "memory_probe.py").write_text(PROBE.format(heavy=HEAVY), encoding="utf-8")
    notes = tmp_path / "notes.jsonl"
    cli = Path(sys.executable).parent / "corpus-qa"
    argv = [str(cli), "check", str(synthetic_dump), "--out", str(tmp_path / "out")]
    argv += ["--checks-dir", str(checks), "--jobs", "2", "--chunk-size", "500", "-q"]
    proc = subprocess.run(
        argv, env={**os.environ, "PROBE_OUT": str(notes)}, capture_output=True, text=True
    )
    assert proc.returncode in (0, 1), proc.stderr
    lines = [json.loads(line) for line in notes.read_text(encoding="utf-8").splitlines()]
    prepared = [n for n in lines if n["stage"] == "prepare"]
    ran = [n for n in lines if n["stage"] == "run"]
    # Once, in the main process; then in the two worker processes only.
    assert len(prepared) == 1 and len(ran) >= 2
    main_pid = prepared[0]["pid"]
    assert {n["pid"] for n in ran} - {main_pid} == {n["pid"] for n in ran}
    assert len({n["pid"] for n in ran}) == 2
    for note in lines:
        assert note["loaded"] == [], note
    # Built by the built-in checks' prepare in the main process, before the probe's.
    assert prepared[0]["size"] == 1 and prepared[0]["misses"] == 1
    # Every worker found it inherited: no second build anywhere.
    assert all(n["size"] == 1 and n["misses"] == 1 for n in ran), ran
