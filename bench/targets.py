"""The targets of ``make bench`` (issue 22) and the agreement of failing counts.

Every target is a ratio within one run (or a peak memory), so a loaded machine moves
both sides alike. ``evaluate`` states, for every profile and size, each target's value,
its limit, whether it holds and by how much it misses (value / limit).
"""

from __future__ import annotations

from typing import Any

from peers import SIX  # type: ignore[import-not-found]

#: The checks the full GX suite, plain Pandera and corpus-qa all express.
SHARED = (*SIX, "record.duplicate_id")

#: name -> (numerator tool, denominator tool, what it compares, target or None): wall
#: time ratios, each taken within one round.
RATIOS: dict[str, tuple[str, str, str, float | None]] = {
    "full_vs_pandas_load": (
        "corpus_qa",
        "pandas_load",
        "full suite / the pandas load",
        1.0,
    ),
    "six_vs_duckdb_tuned": (
        "corpus_qa_six",
        "duckdb_tuned",
        "six-check policy / DuckDB tuned",
        2.0,
    ),
    "full_vs_gx_six": ("corpus_qa", "gx_six", "full suite / GX on the six checks", 0.2),
    "full_vs_pandera_six": (
        "corpus_qa",
        "pandera_six",
        "full suite / plain Pandera on the six checks",
        1.0,
    ),
    "near_dups_vs_without": (
        "corpus_qa_near_dups",
        "corpus_qa",
        "with near-duplicates / without",
        1.5,
    ),
    "six_vs_polars_tuned": (
        "corpus_qa_six",
        "polars_tuned",
        "six-check policy / Polars tuned",
        None,
    ),
    "six_vs_pandera_six": (
        "corpus_qa_six",
        "pandera_six",
        "six-check policy / plain Pandera on the six",
        None,
    ),
    "full_vs_gx": ("corpus_qa", "gx", "full suite / GX's full suite", None),
    "full_vs_pandera": ("corpus_qa", "pandera", "full suite / plain Pandera's full schema", None),
}
#: Peak RSS of the full default suite, MiB: of its largest process (``peak_rss_process_mb``,
#: as ``/usr/bin/time -v`` reports it), the measure of issue 22's table, whose
#: ``--jobs 2`` figure (325) is below its ``--jobs 1`` one (399), which a sum over a
#: parent and two workers that each import pandas could not be.
MAX_RSS_MB = 350
#: Peak RSS of the largest memory-scaling run over the smallest's (the largest process's).
MAX_MEMORY_GROWTH = 1.2
#: memory_scaling's ratios, large run over small: key -> the measure compared. The
#: first is the target's; the tree's are kept beside it.
GROWTH = {
    "ratio_large_vs_small": "peak_rss_process_mb",
    "tree_ratio_large_vs_small": "peak_rss_mb",
    "pss_ratio_large_vs_small": "peak_pss_mb",
}


def expected_checks(tool: str) -> tuple[str, ...]:
    """The checks whose failing records ``tool`` reports and must agree on."""
    if tool == "pandas_load":
        return ()
    if tool in ("gx", "pandera") or (tool.startswith("corpus_qa") and tool != "corpus_qa_six"):
        return SHARED
    return SIX


def agreement(counts: dict[str, dict[str, int]]) -> dict[str, dict[str, Any]]:
    """Per shared check, every tool's failing records and whether they are all equal.

    A tool that should report a check and did not (it failed, or printed nothing)
    counts as ``None``, which agrees with nothing.
    """
    table: dict[str, dict[str, Any]] = {}
    for check in SHARED:
        values = {
            tool: counts.get(tool, {}).get(check)
            for tool in counts
            if check in expected_checks(tool)
        }
        if not values:
            continue
        table[check] = {
            **values,
            "agree": None not in values.values() and len(set(values.values())) == 1,
        }
    return table


def _target(
    row: dict[str, Any],
    name: str,
    label: str,
    value: float,
    limit: float,
    cpu: float | None = None,
) -> dict[str, Any]:
    return {
        "profile": row.get("profile", "default"),
        "articles": row.get("articles"),
        "name": name,
        "label": label,
        "value": value,
        "limit": limit,
        "holds": value <= limit,
        "miss": round(value / limit, 2),
        # The same ratio of median CPU seconds: on a loaded machine wall time also
        # measures how many processes a tool runs (two processes get two shares).
        "cpu_ratio": cpu,
    }


def _cpu_ratio(row: dict[str, Any], numerator: str, denominator: str) -> float | None:
    tools = row["tools"]
    if numerator not in tools or denominator not in tools:
        return None
    return round(tools[numerator]["cpu_seconds"] / max(tools[denominator]["cpu_seconds"], 1e-9), 3)


def evaluate(results: dict[str, Any]) -> list[dict[str, Any]]:
    """Every target on every profile and size of ``results`` (bench/results.json)."""
    found = []
    for row in results.get("runs", []):
        for name, (num, den, label, limit) in RATIOS.items():
            if limit is not None and name in row["ratios"]:
                value = row["ratios"][name]["median"]
                cpu = _cpu_ratio(row, num, den)
                found.append(_target(row, name, label, value, limit, cpu))
        rss = row["tools"].get("corpus_qa", {}).get("peak_rss_process_mb")
        if rss is not None:
            label = "full suite peak RSS of its largest process, MiB"
            found.append(_target(row, "full_peak_rss_mb", label, rss, MAX_RSS_MB))
    for profile, memory in results.get("memory_scaling", {}).items():
        sizes = sorted(int(k) for k in memory if k.isdigit())
        row = {"profile": profile, "articles": sizes[-1] if sizes else None}
        if "peak_rss_process_mb" not in memory.get(str(sizes[0]) if sizes else "", {}):
            continue  # measured before the largest process's peak was kept
        label = f"largest process's peak RSS at {sizes[-1]:,} / at {sizes[0]:,}"
        found.append(
            _target(row, "memory_growth", label, memory["ratio_large_vs_small"], MAX_MEMORY_GROWTH)
        )
    return found
