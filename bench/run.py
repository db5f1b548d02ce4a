"""make bench: corpus-qa against Great Expectations, plain Pandera and the pandas load.

Sizes from BENCH_SIZES (default "10000,100000"); dumps generated deterministically
under bench/data/ with corpus_qa.testing.synth. Each tool runs as its own process (see
bench/tools.py for GX and Pandera); wall time, CPU time (user + system of the whole
tree) and peak RSS and PSS, each summed over the process tree and sampled every 50 ms,
are recorded. RSS counts a page shared by forked workers once per process, PSS once in
all, so PSS is the honest figure for corpus-qa's forked workers; both are kept. The
failing-record counts of the checks the three tools share are compared. BENCH_MEMORY (default "20000,200000", empty to
skip) runs corpus-qa on two sizes at the same chunk size to compare peak memory.
Results: bench/results.json. Timings never appear in test assertions.
"""

from __future__ import annotations

import json
import os
import platform
import resource
import subprocess
import sys
import time
from importlib import metadata
from pathlib import Path
from typing import Any

import psutil

HERE = Path(__file__).resolve().parent
DATA = HERE / "data"
BIN = Path(sys.executable).parent
TOOLS = HERE / "tools.py"
CHUNK = 10_000

PANDAS_LOAD = "import pandas as pd, sys; pd.read_json(sys.argv[1], lines=True, engine='pyarrow')"
TOOLS_RUN = ("pandas_load", "pandera", "gx", "corpus_qa", "corpus_qa_jobs1", "corpus_qa_near_dups")
HELP = [str(BIN / "corpus-qa"), "--help"]


def pss(pid: int) -> int | None:
    """Proportional set size in bytes: pages shared with other processes count a share.

    Forked workers share the parent's pages (imported modules, the heap at fork time);
    RSS counts those once per process, PSS splits them, so the PSS of a process tree
    sums to the memory the tree really holds. ``None`` where the kernel lacks it.
    """
    try:
        text = Path(f"/proc/{pid}/smaps_rollup").read_text(encoding="ascii")
    except OSError:
        return None
    for line in text.splitlines():
        if line.startswith("Pss:"):
            return int(line.split()[1]) * 1024
    return None


def run(cmd: list[str]) -> dict[str, Any]:
    """Run ``cmd``; wall time, CPU time and peak RSS and PSS summed over its process tree."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    peak = peak_pss = 0
    ps = psutil.Process(proc.pid)
    while proc.poll() is None:
        try:
            tree = [ps, *ps.children(True)]
            peak = max(peak, sum(p.memory_info().rss for p in tree))
            peak_pss = max(peak_pss, sum(pss(p.pid) or 0 for p in tree))
        except psutil.Error:
            pass
        time.sleep(0.05)
    out, err = proc.communicate()
    # Workers are waited for by the tool, the tool by us: RUSAGE_CHILDREN covers the tree.
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return {
        "seconds": round(time.perf_counter() - start, 2),
        "cpu_seconds": round(cpu, 2),
        "peak_rss_mb": round(peak / 2**20),
        "peak_pss_mb": round(peak_pss / 2**20),
        "exit": proc.returncode,
        "stdout": out[-2000:],
        "stderr": err[-500:],
        "load_avg_after": [round(x, 2) for x in os.getloadavg()],
    }


def machine() -> dict[str, Any]:
    model = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    libs = ("pandas", "pyarrow", "pandera", "great-expectations", "psutil")
    return {
        "cpus": os.cpu_count(),
        "cpu_model": model,
        "memory_gb": round(psutil.virtual_memory().total / 2**30, 1),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "versions": {lib: _version(lib) for lib in ("corpus-qa", *libs)},
        "load_avg_at_start": [round(x, 2) for x in os.getloadavg()],
    }


def _version(dist: str) -> str | None:
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return None


def patterns() -> dict[str, str]:
    """The suite's regexes, for plain Pandera (which must not import corpus-qa)."""
    from corpus_qa.checks.builtin.boilerplate import LEAK_PHRASES, LINE_PHRASES, _alternation
    from corpus_qa.checks.builtin.email import _OBFUSCATED
    from corpus_qa.interop.gx_suite import BLANK_PATTERN, EMAIL_TRUNCATED_PATTERN
    from corpus_qa.parse.datelines import RELATIVE_DATE_PATTERN

    return {
        "blank": BLANK_PATTERN,
        # Matched against value + " ": its closing "(?:[^A-Za-z0-9.-]|$)" becomes a class,
        # so pandas keeps it in RE2 on bodies with newlines (same matches).
        "email_truncated": _without_end(EMAIL_TRUNCATED_PATTERN),
        "email_obfuscated": _OBFUSCATED,
        "boilerplate_anywhere": _alternation(list(LEAK_PHRASES)),
        # Matched against "\n" + body + "\n", as corpus-qa does: "(?:\n|$)" would send
        # every body to Python's re (pandas falls back on "$" when values hold newlines).
        "boilerplate_line": "\n" + _alternation(list(LINE_PHRASES)) + "\n",
        "relative": RELATIVE_DATE_PATTERN,
    }


def _without_end(pattern: str) -> str:
    end = r"(?:[^A-Za-z0-9.-]|$)"
    assert pattern.endswith(end), pattern
    return pattern[: -len(end)] + r"[^A-Za-z0-9.-]"


def dump_of(n: int) -> Path:
    from corpus_qa.testing.synth import write_jsonl

    dump = DATA / f"dump-{n}.jsonl"
    if not dump.exists():
        tmp = dump.with_suffix(".tmp")
        write_jsonl(tmp, n, seed=7)
        tmp.rename(dump)
    return dump


def corpus_qa_records(out: Path) -> dict[str, int]:
    from tools import SHARED  # type: ignore[import-not-found]

    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    by_id = {c["id"]: c for c in report["checks"]}
    return {check: int(by_id[check]["records"]) if check in by_id else -1 for check in SHARED}


def parsed(result: dict[str, Any]) -> dict[str, Any]:
    try:
        return dict(json.loads(result["stdout"].strip().splitlines()[-1]))
    except (ValueError, IndexError):
        return {}


def bench_size(n: int, pattern_file: Path, near: Path) -> dict[str, Any]:
    dump = dump_of(n)
    mb = dump.stat().st_size / 2**20
    row: dict[str, Any] = {"articles": n, "mb": round(mb, 1)}
    out = DATA / f"out-{n}"
    qa = [str(BIN / "corpus-qa"), "check", str(dump), "--out", str(out), "-q"]
    py = sys.executable
    row["pandas_load"] = run([py, "-c", PANDAS_LOAD, str(dump)])
    row["pandera"] = run([py, str(TOOLS), "pandera", str(dump), str(pattern_file)])
    row["gx"] = run([py, str(TOOLS), "gx", str(dump)])
    row["corpus_qa"] = run(qa)
    if os.environ.get("BENCH_JOBS1"):
        row["corpus_qa_jobs1"] = run([*qa, "--jobs", "1"])
    agree_records = corpus_qa_records(out)
    row["corpus_qa_near_dups"] = run([*qa, "--policy", str(near)])
    for key in [k for k in TOOLS_RUN if k in row]:
        row[key]["mb_per_s"] = round(mb / max(row[key]["seconds"], 1e-9), 1)
    base = row["corpus_qa"]["seconds"]
    row["ratios"] = {
        "corpus_qa_vs_gx": round(base / row["gx"]["seconds"], 3),
        "corpus_qa_vs_pandera": round(base / row["pandera"]["seconds"], 3),
        "corpus_qa_vs_pandas_load": round(base / row["pandas_load"]["seconds"], 3),
        "near_dups_vs_without": round(row["corpus_qa_near_dups"]["seconds"] / base, 3),
        "memory_vs_pandera": round(
            row["corpus_qa"]["peak_rss_mb"] / max(row["pandera"]["peak_rss_mb"], 1), 3
        ),
        "memory_vs_gx": round(
            row["corpus_qa"]["peak_rss_mb"] / max(row["gx"]["peak_rss_mb"], 1), 3
        ),
        "pss_memory_vs_pandera": round(
            row["corpus_qa"]["peak_pss_mb"] / max(row["pandera"]["peak_pss_mb"], 1), 3
        ),
    }
    counts = {
        "corpus_qa": agree_records,
        "gx": parsed(row["gx"]).get("records", {}),
        "pandera": parsed(row["pandera"]).get("records", {}),
    }
    row["failing_records"] = {
        check: {
            **{tool: counts[tool].get(check) for tool in counts},
            "agree": len({counts[tool].get(check) for tool in counts}) == 1,
        }
        for check in agree_records
    }
    return row


def print_row(row: dict[str, Any]) -> None:
    print(f"\n== {row['articles']:,} articles ({row['mb']} MB) ==")
    print(f"{'what':<28}{'wall s':>8}{'CPU s':>8}{'MB/s':>8}{'RSS MB':>8}{'PSS MB':>8}{'exit':>5}")
    for key in [k for k in TOOLS_RUN if k in row]:
        r = row[key]
        print(
            f"{key:<28}{r['seconds']:>8}{r['cpu_seconds']:>8}{r['mb_per_s']:>8}"
            f"{r['peak_rss_mb']:>8}{r['peak_pss_mb']:>8}{r['exit']:>5}"
        )
    print("ratios:", json.dumps(row["ratios"]))
    print(f"{'failing records':<22}{'corpus-qa':>10}{'GX':>8}{'Pandera':>9}  agree")
    for check, c in row["failing_records"].items():
        print(f"{check:<22}{c['corpus_qa']!s:>10}{c['gx']!s:>8}{c['pandera']!s:>9}  {c['agree']}")


def main() -> None:
    sys.path.insert(0, str(HERE))
    sizes = [int(s) for s in os.environ.get("BENCH_SIZES", "10000,100000").split(",") if s]
    memory_sizes = [int(s) for s in os.environ.get("BENCH_MEMORY", "20000,200000").split(",") if s]
    results: dict[str, Any] = {"machine": machine(), "chunk_size": CHUNK, "runs": []}
    print("machine:", json.dumps(results["machine"]))
    DATA.mkdir(parents=True, exist_ok=True)
    pattern_file = DATA / "patterns.json"
    pattern_file.write_text(json.dumps(patterns()), encoding="utf-8")
    near = DATA / "near-dup-policy.toml"
    # The default policy with near-duplicates switched on (same thresholds otherwise).
    default = (HERE.parent / "checks" / "policy.toml").read_text(encoding="utf-8")
    near.write_text(default.replace("enabled = false", "enabled = true"), encoding="utf-8")
    helps = [run(HELP)["seconds"] for _ in range(3)]
    results["help_seconds"] = {"runs": helps, "best": min(helps)}
    print("corpus-qa --help:", helps)
    for n in sizes:
        row = bench_size(n, pattern_file, near)
        results["runs"].append(row)
        print_row(row)
        (HERE / "results.json").write_text(json.dumps(results, indent=2, default=str) + "\n")
    if memory_sizes:
        memory: dict[str, Any] = {}
        for n in memory_sizes:
            dump = dump_of(n)
            out = DATA / f"mem-out-{n}"
            cmd = [str(BIN / "corpus-qa"), "check", str(dump), "--out", str(out), "-q"]
            memory[str(n)] = run([*cmd, "--chunk-size", str(CHUNK)])
            memory[str(n)]["stdout"] = ""
            print(f"memory, {n:,} articles:", memory[str(n)])
        small, large = (
            memory[str(n)]["peak_rss_mb"] for n in (min(memory_sizes), max(memory_sizes))
        )
        memory["ratio_large_vs_small"] = round(large / max(small, 1), 3)
        small, large = (
            memory[str(n)]["peak_pss_mb"] for n in (min(memory_sizes), max(memory_sizes))
        )
        memory["pss_ratio_large_vs_small"] = round(large / max(small, 1), 3)
        results["memory_scaling"] = memory
        print(
            "peak memory, largest vs smallest: RSS",
            memory["ratio_large_vs_small"],
            "PSS",
            memory["pss_ratio_large_vs_small"],
        )
    results["machine"]["load_avg_at_end"] = [round(x, 2) for x in os.getloadavg()]
    (HERE / "results.json").write_text(json.dumps(results, indent=2, default=str) + "\n")


if __name__ == "__main__":
    main()
