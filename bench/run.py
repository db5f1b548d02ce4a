"""make bench: corpus-qa against plain Pandera and the pandas load, on the same dumps.

Sizes from BENCH_SIZES (default "10000,100000"); dumps generated deterministically
under bench/data/ with corpus_qa.synth. Each tool runs as its own process; wall time
and peak RSS (summed over the process tree, sampled every 50 ms) are recorded.
Results: bench/results.json. Timings never appear in test assertions.
"""

from __future__ import annotations

import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import psutil

HERE = Path(__file__).resolve().parent
DATA = HERE / "data"
BIN = Path(sys.executable).parent

PANDAS_LOAD = "import pandas as pd, sys; pd.read_json(sys.argv[1], lines=True, engine='pyarrow')"
PANDERA = r"""
import sys, pandas as pd, pandera.pandas as pa
df = pd.read_json(sys.argv[1], lines=True, engine="pyarrow")
text = df["text"].astype("str")
schema = pa.DataFrameSchema({
    "id": pa.Column(str, unique=True),
    "author": pa.Column(str, nullable=False),
    "text": pa.Column(str, [
        pa.Check(lambda s: ~s.str.contains(r"[A-Za-z0-9._%+-]+@[ \n]", regex=True), name="email.truncated"),
        pa.Check(lambda s: ~s.str.contains(r"\[email(?:[\t\n\v\f\r ]|&#160;)*protected\]", regex=True), name="email.obfuscated"),
        pa.Check(lambda s: ~s.str.contains("Sign up for our newsletter", regex=False), name="boilerplate.leak"),
    ]),
    "date": pa.Column(str, nullable=False),
})
try:
    schema.validate(df, lazy=True)
    print("{}")
except pa.errors.SchemaErrors as e:
    fc = e.failure_cases
    print(fc.groupby("check").size().to_json())
"""


def run(cmd: list[str]) -> dict[str, Any]:
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    peak = 0
    ps = psutil.Process(proc.pid)
    while proc.poll() is None:
        try:
            rss = ps.memory_info().rss + sum(c.memory_info().rss for c in ps.children(True))
            peak = max(peak, rss)
        except psutil.Error:
            pass
        time.sleep(0.05)
    out, err = proc.communicate()
    return {
        "seconds": round(time.perf_counter() - start, 2),
        "peak_rss_mb": round(peak / 2**20),
        "exit": proc.returncode,
        "stdout": out[-2000:],
        "stderr": err[-500:],
    }


def main() -> None:
    from corpus_qa.synth import write_jsonl

    sizes = [int(s) for s in os.environ.get("BENCH_SIZES", "10000,100000").split(",")]
    results: dict[str, Any] = {
        "machine": {
            "cpus": os.cpu_count(),
            "memory_gb": round(psutil.virtual_memory().total / 2**30),
            "python": platform.python_version(),
            "platform": platform.platform(),
            "load_avg_at_start": os.getloadavg(),
        },
        "runs": [],
    }
    near = DATA / "near-dup-policy.toml"
    DATA.mkdir(parents=True, exist_ok=True)
    # The default policy with near-duplicates switched on (same thresholds otherwise).
    default = (HERE.parent / "checks" / "policy.toml").read_text(encoding="utf-8")
    near.write_text(default.replace("enabled = false", "enabled = true"), encoding="utf-8")
    for n in sizes:
        dump = DATA / f"dump-{n}.jsonl"
        if not dump.exists():
            write_jsonl(dump, n, seed=7)
        mb = dump.stat().st_size / 2**20
        row: dict[str, Any] = {"articles": n, "mb": round(mb, 1)}
        qa = [str(BIN / "corpus-qa"), "check", str(dump), "--out", str(DATA / f"out-{n}"), "-q"]
        row["pandas_load"] = run([sys.executable, "-c", PANDAS_LOAD, str(dump)])
        row["pandera"] = run([sys.executable, "-c", PANDERA, str(dump)])
        row["corpus_qa"] = run(qa)
        row["corpus_qa_near_dups"] = run([*qa, "--policy", str(near)])
        for key in ("pandas_load", "pandera", "corpus_qa", "corpus_qa_near_dups"):
            row[key]["mb_per_s"] = round(mb / max(row[key]["seconds"], 1e-9), 1)
        base = row["corpus_qa"]["seconds"]
        row["ratios"] = {
            "corpus_qa_vs_pandera": round(base / row["pandera"]["seconds"], 2),
            "corpus_qa_vs_pandas_load": round(base / row["pandas_load"]["seconds"], 2),
            "near_dups_vs_without": round(row["corpus_qa_near_dups"]["seconds"] / base, 2),
            "memory_vs_pandera": round(
                row["corpus_qa"]["peak_rss_mb"] / max(row["pandera"]["peak_rss_mb"], 1), 2
            ),
        }
        results["runs"].append(row)
        print(json.dumps({k: v for k, v in row.items()}, default=str)[:1500])
    results["great_expectations"] = "not run in this version of the bench (see README)"
    (HERE / "results.json").write_text(json.dumps(results, indent=2, default=str) + "\n")


if __name__ == "__main__":
    main()
