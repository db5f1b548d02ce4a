"""Driving a whole run: discover, stream chunks through :func:`process_chunk`, merge, gate.

Findings stream to ``findings.jsonl`` as chunks finish (in chunk order), so memory
holds one chunk, the tallies, the global checks' small states and a capped sample
of findings per check. With ``--jobs`` above 1 this process holds no chunk at all:
it plans byte ranges and workers read them (see :mod:`corpus_qa.run.workers`).
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Generator, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pandas as pd

from corpus_qa.checks.api import Check
from corpus_qa.checks.catalog import load_checks
from corpus_qa.checks.global_state import GlobalStates
from corpus_qa.errors import InputError, Interrupted
from corpus_qa.findings.rows import FindingsWriter, finding_dicts
from corpus_qa.findings.samples import Sampler
from corpus_qa.findings.tally import UNKNOWN_OUTLET, ChunkStats
from corpus_qa.gate.policy import Policy, load_policy
from corpus_qa.gate.verdict import INCOMPLETE_INPUT, CheckResult, Verdict, judge, verdict
from corpus_qa.ingest import (
    Digests,
    Discovery,
    FieldMap,
    IngestLimits,
    Planned,
    discover,
    iter_plan,
)
from corpus_qa.model import ChromeSpan, Quarantined
from corpus_qa.run.chunk import (
    ChunkContext,
    ChunkObserver,
    ChunkResult,
    apply_severity,
    chunk_units,
    finalize_globals,
    issue_findings,
    process_chunk,
    write_order,
)
from corpus_qa.run.inputs import changed_files, describe_inputs, file_states
from corpus_qa.run.output_paths import check_output_paths
from corpus_qa.run.prehash import Prehash
from corpus_qa.run.record_outputs import OutputWriter
from corpus_qa.run.refetch import fetch_texts
from corpus_qa.run.workers import default_jobs, give_back_memory

#: Checks that are not Check classes: the framework raises them.
FRAMEWORK_CHECK_PREFIXES = ("schema.", "input.", "encoding.", "interop.")
_MAX_LISTED = 1000


@dataclass
class RunOptions:
    dump: str
    out_dir: Path
    format: str | None = None
    chunk_size: int = 10_000
    fields: Sequence[str] = ()
    policy: Path | None = None
    checks_dirs: Sequence[Path] = ()
    reference_time: datetime | None = None
    samples: int = 50
    fail_on: str | None = None
    #: Worker processes (1: in this process). ``None``: every core.
    jobs: int | None = None
    engine: str = "pandas"
    #: Dask scheduler address for ``engine="dask"``; ``None`` starts a local cluster.
    scheduler: str | None = None
    #: A Pandera contract of the articles table to use instead of ours (YAML or Python).
    schema: Path | None = None
    #: Run observers such as the GX cross-check (``check --gx``).
    observers: Sequence[ChunkObserver] = ()
    #: --quarantine DIR and --clean-out FILE (see corpus_qa.run.record_outputs).
    quarantine_dir: Path | None = None
    clean_out: Path | None = None
    #: The dump's sha256 being computed ahead (started before the heavy imports).
    prehash: Prehash | None = None
    #: Line, decompression and nesting caps; the JSON record list (--json-path).
    limits: IngestLimits = field(default_factory=IngestLimits)


@dataclass
class RunResult:
    options: RunOptions
    policy: Policy
    started_at: datetime
    finished_at: datetime
    inputs: list[dict[str, Any]]
    stats: ChunkStats
    checks: list[CheckResult]
    verdict: Verdict
    samples: dict[str, list[dict[str, Any]]]
    #: The sampled findings' articles (text included), by record id.
    records: dict[str, dict[str, Any]]
    chrome: list[ChromeSpan]
    quarantined: list[Quarantined]
    skipped: list[Quarantined]
    findings_path: Path
    findings_count: int
    check_docs: dict[str, Check] = field(default_factory=dict)
    #: Observer id -> its report.json section (``interop.gx``).
    interop: dict[str, Any] = field(default_factory=dict)
    #: Records written by --clean-out / --quarantine: clean, quarantined, failed.
    routed: dict[str, int] = field(default_factory=dict)
    #: ``complete``, or ``incomplete`` for an interrupted run (which always fails).
    status: str = "complete"

    @property
    def duration(self) -> float:
        return (self.finished_at - self.started_at).total_seconds()


def results_for(checks: Sequence[Check], stats: ChunkStats, policy: Policy) -> list[CheckResult]:
    """Per-check results: every catalog check, plus framework checks that fired."""
    names = {check.id: check for check in checks}
    ids = sorted(set(names) | set(stats.findings))
    results = []
    for check_id in ids:
        rule = policy.for_check(check_id)
        check = names.get(check_id)
        framework = check is None
        denominator = (
            stats.records_read if check_id.startswith(("input.", "encoding.")) else stats.articles
        )
        records = stats.records.get(check_id, 0)
        severity = rule.severity or (check.severity if check else stats.severities.get(check_id))
        by_outlet = {}
        if not framework or check_id.startswith("schema."):
            for outlet, articles in sorted(stats.outlets.items()):
                hit = stats.records_by_outlet.get((check_id, outlet), 0)
                by_outlet[outlet] = {
                    "articles": articles,
                    "records": hit,
                    "rate": hit / articles if articles else 0.0,
                }
        result = CheckResult(
            id=check_id,
            name=check.name if check else check_id,
            severity=severity or "error",
            scope=check.scope if check else "record",
            count=stats.findings.get(check_id, 0),
            records=records,
            rate=records / denominator if denominator else 0.0,
            denominator=denominator,
            max_rate=rule.max_rate,
            max_count=rule.max_count,
            exempted=stats.exempted.get(check_id, 0),
            enabled=rule.enabled,
            by_outlet=by_outlet,
        )
        results.append(judge(result, rule))
    return results


def _heads(findings: pd.DataFrame, limit: int) -> list[dict[str, Any]]:
    """The first ``limit`` findings of each check, as the sampler takes them: the
    dicts of the rest (most of the global findings) would be built for nothing."""
    if len(findings):
        # At least one each: the sampler opens a (maybe empty) bucket per check seen.
        findings = findings.groupby("check", sort=False).head(max(limit, 1))
    return list(finding_dicts(findings))


def _results(
    chunks: Iterable[Sequence[Planned]],
    ctx: ChunkContext,
    options: RunOptions,
    spill_dir: Path | None,
    sampled: Callable[[], frozenset[str]] | None = None,
) -> Generator[ChunkResult]:
    """Every chunk's result, in chunk order, from the engine the options ask for.

    Worker processes write the global checks' spilled columns to ``spill_dir``
    themselves; a Dask cluster's workers may not see this machine's files, so they
    send the whole states and this process spills them (as with ``--jobs 1``).
    ``sampled`` names the checks whose samples are already all taken, as chunks start
    (results come in chunk order, so a chunk merged later would add none of theirs).
    """
    from corpus_qa.run.workers import run_parallel

    jobs = options.jobs or default_jobs()
    if options.engine == "dask":
        from corpus_qa.run.dask_cluster import run_dask

        return write_order(run_dask(chunks, ctx, options.scheduler, jobs))
    if jobs == 1:
        # A generator: each chunk starts after the one before it was merged.
        return (
            process_chunk(index, chunk, ctx, sampled() if sampled is not None else frozenset())
            for index, chunk in enumerate(chunks)
        )
    return write_order(run_parallel(chunks, ctx, jobs, spill_dir, sampled))


def run(
    options: RunOptions,
    *,
    progress: Callable[[ChunkStats], None] | None = None,
) -> RunResult:
    """Run the whole pipeline on a dump; findings go to ``out_dir/findings.jsonl``."""
    started = datetime.now(UTC)
    policy = load_policy(options.policy)
    catalog = load_checks(options.checks_dirs)
    checks = [check for check in catalog if policy.for_check(check.id).enabled]
    for check in checks:
        check.options = policy.for_check(check.id).options
    fields = FieldMap.from_options(list(options.fields))
    discovery: Discovery = discover(options.dump, format=options.format)
    # Size and mtime as found: a file that changes while it is read was not checked.
    states_before = file_states(discovery.files)
    _check_outputs(options, discovery)
    options.out_dir.mkdir(parents=True, exist_ok=True)
    writer = FindingsWriter(options.out_dir / "findings.jsonl")
    schema = None
    if options.schema is not None:
        from corpus_qa.interop.pandera_io import load_schema

        schema = load_schema(options.schema)
    outputs = OutputWriter(options.quarantine_dir, options.clean_out)
    ctx = ChunkContext(
        checks=checks,
        policy=policy,
        reference_time=options.reference_time,
        samples=options.samples,
        schema=schema,
        observers=options.observers,
        route=outputs.active,
    )
    stats = ChunkStats()
    sampler = Sampler(options.samples)
    # Global checks' states: compact in memory, evidence and provenance spilled to disk.
    states = GlobalStates(checks)
    observed: dict[str, list[Any]] = {observer.id: [] for observer in options.observers}
    interop: dict[str, Any] = {}
    chrome: list[ChromeSpan] = []
    quarantined: list[Quarantined] = list(discovery.skipped)
    digests: Digests = {}
    #: Files with records lost in unknown amount (report.json: records_lost "unknown").
    incomplete = {q.source_path for q in discovery.skipped if q.kind in INCOMPLETE_INPUT}
    prehash = options.prehash
    # Files hashed ahead are not hashed again by the planner, on the cores the workers need.
    hashed_ahead = prehash is not None and all(prehash.covers(f.path) for f in discovery.files)
    chunk_results: Generator[ChunkResult] | None = None
    # Everything alive now (the modules, the checks, the policy) lives all run long.
    # Frozen, the cyclic GC stops traversing it on every full collection, here and in
    # forked workers, which then never write to (and so copy) the pages they share.
    gc.freeze()
    try:
        # Files left out at discovery are findings too (an unreadable file fails the gate).
        skipped = issue_findings(discovery.skipped, policy)
        writer.write(skipped)
        stats.count_findings(skipped)
        outputs.reject_files(discovery.skipped)
        # Plain JSONL files are planned as byte ranges, read where they are checked; the
        # dump's tail as one range per worker, so that they finish together.
        units = iter_plan(
            discovery,
            chunk_size=options.chunk_size,
            fields=fields,
            digests=None if hashed_ahead else digests,
            tail_parts=options.jobs or default_jobs(),
            limits=options.limits,
        )
        chunk_results = _results(
            chunk_units(units, options.chunk_size), ctx, options, states.folder, sampler.full
        )
        for result in chunk_results:
            writer.write(result.findings)
            sampler.add(result.samples, result.records)
            stats.merge(result.stats)
            states.add(result.states)
            for observer_id, state in result.observed.items():
                observed[observer_id].append(state)
            chrome.extend(result.chrome[: max(0, _MAX_LISTED - len(chrome))])
            quarantined.extend(result.quarantined[: max(0, _MAX_LISTED - len(quarantined))])
            incomplete.update(
                q.source_path for q in result.quarantined if q.kind in INCOMPLETE_INPUT
            )
            if result.routed is not None:
                outputs.write(result.routed)
            if progress is not None:
                progress(stats)
            del result
            give_back_memory()

        changed = changed_files(discovery.files, states_before)
        changes = issue_findings(changed, policy)
        writer.write(changes)
        stats.count_findings(changes)
        quarantined.extend(changed)
        incomplete.update(q.source_path for q in changed)

        def fetch(wanted: set[tuple[str, int]]) -> dict[tuple[str, int], str]:
            return fetch_texts(discovery, fields, options.chunk_size, wanted, options.limits)

        global_findings = finalize_globals(checks, states, policy, fetch)
        writer.write(global_findings)
        sampler.add(_heads(global_findings, options.samples), {})
        stats.count_findings(global_findings)
        for observer in options.observers:
            extra, interop[observer.id] = observer.finalize(observed[observer.id], global_findings)
            extra = apply_severity(extra, policy)
            writer.write(extra)
            sampler.add(_heads(extra, options.samples), {})
            stats.count_findings(extra)
        outputs.finish(global_findings)
    except (Interrupted, KeyboardInterrupt) as stop:
        if prehash is not None:
            prehash.stop()
        writer.abort()
        outputs.abort()
        signum, name = (stop.signum, stop.name) if isinstance(stop, Interrupted) else (2, "SIGINT")
        partial = _interrupted_result(
            options, policy, started, discovery, stats, checks, quarantined, name
        )
        raise RunInterrupted(partial, signum, name) from None
    except BaseException:
        if prehash is not None:
            prehash.stop()
        writer.abort()
        outputs.abort()
        raise
    finally:
        # Workers stop before the spill folder they write to is removed.
        if chunk_results is not None:
            chunk_results.close()
        states.close()
        gc.unfreeze()
    writer.close()
    if stats.articles == 0:
        first = next((q for q in quarantined if q.kind != "input.skipped"), None)
        why = f"; first: {_where(first)}: {first.reason}" if first is not None else ""
        raise InputError(
            f"no article could be read ({stats.records_read} records read, "
            f"{stats.records_quarantined} quarantined{why}; see {writer.path})",
            path=str(options.dump),
        )
    if prehash is not None:
        ahead = prehash.digests([file.path for file in discovery.files])
        digests.update({path: known for path, known in ahead.items() if path not in digests})
    # Disabled checks are listed too (status "skipped"), so reports say they did not run.
    results = results_for(catalog, stats, policy)
    return RunResult(
        options=options,
        policy=policy,
        started_at=started,
        finished_at=datetime.now(UTC),
        inputs=describe_inputs(discovery.files, stats, digests=digests, incomplete=incomplete),
        stats=stats,
        checks=results,
        verdict=verdict(results, policy, fail_on=options.fail_on),
        samples=sampler.samples,
        records=sampler.records,
        chrome=chrome,
        quarantined=quarantined,
        skipped=list(discovery.skipped),
        findings_path=writer.path,
        findings_count=writer.count,
        check_docs={check.id: check for check in checks},
        interop=interop,
        routed=dict(outputs.counts) if outputs.active else {},
    )


class RunInterrupted(Exception):
    """A run stopped by a signal; ``result`` holds what was counted (status incomplete)."""

    def __init__(self, result: RunResult, signum: int, name: str) -> None:
        super().__init__(f"run interrupted by {name}")
        self.result = result
        self.signum = signum
        self.name = name


def _where(entry: Quarantined) -> str:
    if entry.line is None:
        return entry.source_path
    return f"{entry.source_path}:{entry.line}"


def _check_outputs(options: RunOptions, discovery: Discovery) -> None:
    folders = {"--out": options.out_dir}
    if options.quarantine_dir is not None:
        folders["--quarantine"] = options.quarantine_dir
    files = {"--clean-out": options.clean_out} if options.clean_out is not None else {}
    check_output_paths(options.dump, discovery.files, folders, files)


def _interrupted_result(
    options: RunOptions,
    policy: Policy,
    started: datetime,
    discovery: Discovery,
    stats: ChunkStats,
    checks: Sequence[Check],
    quarantined: list[Quarantined],
    name: str,
) -> RunResult:
    """What an interrupted run counted; its verdict is always fail (never a false pass)."""
    results = results_for(checks, stats, policy)
    fail_on = options.fail_on or policy.fail_on
    reasons = [f"run interrupted by {name}: the dump was not fully checked"]
    return RunResult(
        options=options,
        policy=policy,
        started_at=started,
        finished_at=datetime.now(UTC),
        # No hashing on the way out: a signal asks us to stop promptly.
        inputs=describe_inputs(discovery.files, stats, hash_files=False),
        stats=stats,
        checks=results,
        verdict=Verdict(passed=False, fail_on=fail_on, reasons=reasons),
        samples={},
        records={},
        chrome=[],
        quarantined=quarantined,
        skipped=list(discovery.skipped),
        findings_path=options.out_dir / "findings.jsonl",
        findings_count=0,
        check_docs={check.id: check for check in checks},
        status="incomplete",
    )


__all__ = ["UNKNOWN_OUTLET", "RunInterrupted", "RunOptions", "RunResult", "run"]
