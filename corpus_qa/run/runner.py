"""Driving a whole run: discover, stream chunks through :func:`process_chunk`, merge, gate.

Findings stream to ``findings.jsonl`` as chunks finish (in chunk order), so memory
holds one chunk, the tallies, the global checks' small states and a capped sample
of findings per check. With ``--jobs`` above 1 this process holds no chunk at all:
it plans byte ranges and workers read them (see :mod:`corpus_qa.run.workers`).
"""

from __future__ import annotations

import dataclasses
import gc
from collections.abc import Callable, Generator, Iterable, Iterator, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from corpus_qa.checks import guard
from corpus_qa.checks.api import Check
from corpus_qa.checks.catalog import check_classes
from corpus_qa.checks.global_state import GlobalStates
from corpus_qa.errors import ConfigError, InputError, Interrupted
from corpus_qa.findings.rows import FindingsWriter, finding_dicts
from corpus_qa.findings.samples import Sampler
from corpus_qa.findings.tally import UNKNOWN_OUTLET, ChunkStats
from corpus_qa.gate.baseline import load_history
from corpus_qa.gate.policy import Policy, load_policy
from corpus_qa.gate.results import (
    Decision,
    against_baseline,
    apply_severity,
    decide,
    interrupted,
    results_for,
)
from corpus_qa.gate.verdict import INCOMPLETE_INPUT, CheckResult
from corpus_qa.ingest import (
    Digests,
    Discovery,
    FieldMap,
    LineRange,
    Planned,
    discover,
    iter_plan,
)
from corpus_qa.model import ChromeSpan, Quarantined
from corpus_qa.run.chunk import (
    ChunkContext,
    ChunkResult,
    chunk_units,
    finalize_globals,
    issue_findings,
    process_chunk,
    write_order,
)
from corpus_qa.run.collection import resume_collection
from corpus_qa.run.field_survey import FieldSurvey, survey_fields
from corpus_qa.run.inputs import changed_files, describe_inputs, dump_fingerprint, file_states
from corpus_qa.run.memory import bounded_allocators, give_back_memory
from corpus_qa.run.outcome import RunInterrupted, RunOptions, RunResult
from corpus_qa.run.output_paths import check_output_paths
from corpus_qa.run.progress import Positions, Tick
from corpus_qa.run.record_outputs import OutputWriter
from corpus_qa.run.refetch import fetch_texts
from corpus_qa.run.shuffle import Reduced
from corpus_qa.run.workers import default_jobs
from corpus_qa.tables.contract import contract_enabled

if TYPE_CHECKING:
    from corpus_qa.history.record import Prefetch

_MAX_LISTED = 1000


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
    reduced: Reduced | None = None,
    meanwhile: Callable[[], None] = lambda: None,
) -> Generator[ChunkResult]:
    """Every chunk's result, in chunk order, from the engine the options ask for.

    Worker processes write the global checks' spilled columns to ``spill_dir``
    themselves; a Dask cluster's workers may not see this machine's files, so they
    send the whole states and this process spills them (as with ``--jobs 1``).
    ``sampled`` names the checks whose samples are already all taken, as chunks start
    (results come in chunk order, so a chunk merged later would add none of theirs).
    On Dask, the global checks shuffled on the cluster put their findings (or their
    candidates' rows) in ``reduced``. ``meanwhile`` runs once before the first result
    is read: with worker processes, once they hold their first chunks (this process
    would otherwise wait for them); else first.
    """
    from corpus_qa.run.workers import run_parallel

    jobs = default_jobs(options.jobs)
    if options.engine == "dask" or jobs == 1:
        meanwhile()
    if options.engine == "dask":
        from corpus_qa.run.dask_cluster import run_dask

        return write_order(
            run_dask(chunks, ctx, options.scheduler, jobs, reduced, options.partitions)
        )
    if jobs == 1:
        # A generator: each chunk starts after the one before it was merged.
        return (
            process_chunk(index, chunk, ctx, sampled() if sampled is not None else frozenset())
            for index, chunk in enumerate(chunks)
        )
    return write_order(run_parallel(chunks, ctx, jobs, spill_dir, sampled, meanwhile))


def run(
    options: RunOptions,
    *,
    progress: Callable[[Tick], None] | None = None,
) -> RunResult:
    """Run the whole pipeline on a dump; findings go to ``out_dir/findings.jsonl``."""
    return Run(options, progress=progress).execute()


def _kept_ranges(units: Iterable[Planned], ranges: list[LineRange]) -> Iterator[Planned]:
    """``units`` as they come, each :class:`LineRange` among them also put in ``ranges``."""
    for unit in units:
        if isinstance(unit, LineRange):
            ranges.append(unit)
        yield unit


class Run:
    """One run over a dump, its stages in order: :meth:`plan`, :meth:`chunks`,
    :meth:`finalize`, :meth:`judge`, :meth:`baseline`; :meth:`execute` runs them.

    The run reads, checks and counts; the gate (:mod:`corpus_qa.gate`) decides:
    severities, per-check results, the verdict and the baseline rules.
    """

    def __init__(
        self, options: RunOptions, *, progress: Callable[[Tick], None] | None = None
    ) -> None:
        self.options = options
        self.progress = progress
        if options.partitions is not None and options.engine != "dask":
            raise ConfigError(
                "--partitions cuts global checks' states on a cluster: it needs --engine dask"
            )
        self.started = datetime.now(UTC)
        # A bad baseline, policy or check fails before any work.
        self.history = load_history(options.baseline) if options.baseline is not None else None
        self.catalog = check_classes(options.checks_dirs)
        self.policy = load_policy(options.policy, catalog=self.catalog)
        scraped = options.reference_time or self.started
        self.checks: list[Check] = [
            _at_scrape_time(cls(self.policy.for_check(cls.id).options), scraped)
            for cls in self.catalog
            if self.policy.for_check(cls.id).enabled
        ]
        if not self.checks:
            raise ConfigError(f"{self.policy.path}: the policy enables no check")
        gated = [self.policy.for_check(check.id) for check in self.checks]
        comparing = options.baseline is not None or options.history is not None
        if (
            not comparing
            and self.policy.template_break is None
            and all(rule.max_rate is None and rule.max_count is None for rule in gated)
        ):
            # Like enabling no check: only lost input could fail such a gate.
            raise ConfigError(
                f"{self.policy.path}: the policy sets no max_rate or max_count on any "
                "enabled check, so the gate could not fail on what it checks"
            )
        #: The history's references, read in a thread meanwhile (``--history``).
        self._history: Prefetch | None = None
        if options.history is not None:
            from corpus_qa.history.record import Prefetch

            self._history = Prefetch(options.history, self.policy.anomaly)
        self.stats = ChunkStats()
        self.sampler = Sampler(options.samples)
        self.chrome: list[ChromeSpan] = []
        self.quarantined: list[Quarantined] = []
        self.interop: dict[str, Any] = {}
        self.digests: Digests = {}
        self.results: list[CheckResult] = []
        self.decision: Decision | None = None
        #: The chunks' results as they come (closed when the run ends, stopping workers).
        self._results: Generator[ChunkResult] | None = None

    def plan(self) -> None:
        """Discover the dump, open the outputs, set up the chunks' context and states."""
        options = self.options
        # Before anything of the run is allocated; forked workers inherit both settings.
        bounded_allocators()
        self.fields = FieldMap.from_options(list(options.fields))
        self.discovery = discover(options.dump, format=options.format)
        #: The field map and its findings. Only ``--field`` options can make the survey
        #: refuse the run: then it comes first, before any output; else the first
        #: chunks are being checked while it reads the first records (:meth:`chunks`).
        self.survey: FieldSurvey | None = self._survey() if options.fields else None
        # Size and mtime as found: a file that changes while it is read was not checked.
        self.found = file_states(self.discovery.files)
        #: Files with records lost in unknown amount (report.json: records_lost "unknown").
        self.incomplete: set[str] = set()
        #: Kinds of the findings that lost records in unknown amount: they fail the gate.
        self.lost_kinds: set[str] = set()
        self._note_lost(self.discovery.skipped)
        _check_outputs(options, self.discovery)
        options.out_dir.mkdir(parents=True, exist_ok=True)
        findings = options.out_dir / "findings.jsonl"
        if options.output_set is not None:
            options.output_set.open()
            findings = options.output_set.staged("findings.jsonl")
        self.writer = FindingsWriter(findings)
        schema = None
        if options.schema is not None:
            from corpus_qa.tables.user_schema import load_schema

            schema = load_schema(options.schema)
        self.outputs = OutputWriter(options.quarantine_dir, options.clean_out)
        validate = contract_enabled(self.policy, user_schema=schema is not None)
        self.running = [*self.checks, *(_uniqueness(schema, self.policy) if validate else [])]
        for check in self.running:
            with guard.running(check.id, "prepare"):
                check.prepare()
        # What the building freed goes back now, not into every forked worker's pages.
        give_back_memory()
        self.ctx = ChunkContext(
            checks=self.running,
            policy=self.policy,
            reference_time=options.reference_time,
            samples=options.samples,
            validate=validate,
            schema=schema,
            observers=options.observers,
            route=self.outputs.active,
            page_seconds=options.limits.max_page_seconds,
        )
        # Global checks' states: compact in memory, evidence and provenance spilled to disk.
        self.states = GlobalStates(self.running, release=give_back_memory)
        self.observed: dict[str, list[Any]] = {o.id: [] for o in options.observers}
        self.quarantined = list(self.discovery.skipped)
        #: What the global checks shuffled on a cluster left for this process, by check id.
        self.reduced = Reduced()
        #: The plain JSONL files' planned ranges: texts re-read after the run need not
        #: plan the files again (which reads them whole).
        self.ranges: list[LineRange] = []

    def _survey(self) -> FieldSurvey:
        options = self.options
        return survey_fields(
            self.discovery.files,
            self.fields,
            list(options.fields),
            self.checks,
            self.policy,
            options.limits,
        )

    def _meanwhile(self) -> None:
        """The survey's findings, after the files skipped and before the first chunk's;
        then what the caller asked for (:attr:`RunOptions.meanwhile`)."""
        if self.survey is None:
            self.survey = self._survey()
        self.writer.write(self.survey.findings)
        self.stats.count_findings(self.survey.findings)
        for task in self.options.meanwhile:
            task()

    def chunks(self) -> None:
        """Check every chunk, streaming its findings out and merging its tallies."""
        options, stats = self.options, self.stats
        # Files left out at discovery are findings too (an unreadable file fails the gate).
        skipped = issue_findings(self.discovery.skipped, self.policy)
        self.writer.write(skipped)
        stats.count_findings(skipped)
        self.outputs.reject_files(self.discovery.skipped)
        prehash = options.prehash
        if self._history is not None and (options.jobs or default_jobs()) > 1:
            # Workers fork: not while the history thread is inside DuckDB.
            self._history.wait()
        # Files hashed ahead are not hashed again by the planner, on the cores the workers need.
        ahead = prehash is not None and all(prehash.covers(f.path) for f in self.discovery.files)
        # Plain JSONL files are planned as byte ranges, read where they are checked; the
        # dump's tail as one range per worker, so that they finish together.
        units = iter_plan(
            self.discovery,
            chunk_size=options.chunk_size,
            fields=self.fields,
            digests=None if ahead else self.digests,
            tail_parts=default_jobs(options.jobs),
            limits=options.limits,
        )
        sizes = {path: state[0] for path, state in self.found.items() if state is not None}
        positions = Positions(self.discovery.files, sizes)
        self._results = _results(
            positions.track(chunk_units(_kept_ranges(units, self.ranges), options.chunk_size)),
            self.ctx,
            options,
            self.states.folder,
            self.sampler.full,
            self.reduced,
            self._meanwhile,
        )
        for result in self._results:
            self.writer.write(result.findings)
            self.sampler.add(result.samples, result.records)
            stats.merge(result.stats)
            self.states.add(result.states)
            for observer_id, state in result.observed.items():
                self.observed[observer_id].append(state)
            self.chrome.extend(result.chrome[: max(0, _MAX_LISTED - len(self.chrome))])
            room = max(0, _MAX_LISTED - len(self.quarantined))
            self.quarantined.extend(result.quarantined[:room])
            self._note_lost(result.quarantined)
            if result.routed is not None:
                self.outputs.write(result.routed)
            if self.progress is not None:
                self.progress(Tick(stats, positions.done(result.index), positions.total))
            del result
            give_back_memory()
        if self.progress is not None:
            self.progress(Tick(stats, positions.finished(), positions.total))
        # A bucketed check's candidates: the only rows of its state this process holds.
        self.states.add(dict(self.reduced.states))
        changed = changed_files(self.discovery.files, self.found)
        changes = issue_findings(changed, self.policy)
        self.writer.write(changes)
        stats.count_findings(changes)
        self.quarantined.extend(changed)
        self._note_lost(changed)
        self.outputs.reject_files(changed)

    def _note_lost(self, entries: Sequence[Quarantined]) -> None:
        """Remember files and kinds of ``entries`` that lost records in unknown amount."""
        for q in entries:
            if q.kind in INCOMPLETE_INPUT or q.unknown_loss:
                self.incomplete.add(q.source_path)
                self.lost_kinds.add(q.kind)

    def finalize(self) -> None:
        """The whole-dump checks' and the observers' findings, after the last chunk."""
        options = self.options

        def fetch(wanted: set[tuple[str, int]]) -> dict[tuple[str, int], str]:
            return fetch_texts(
                self.discovery,
                self.fields,
                options.chunk_size,
                wanted,
                options.limits,
                ranges=self.ranges,
            )

        global_findings = finalize_globals(
            self.running, self.states, self.policy, fetch, ready=self.reduced.findings
        )
        self._add(global_findings)
        for observer in options.observers:
            extra, self.interop[observer.id] = observer.finalize(
                self.observed[observer.id], global_findings
            )
            self._add(apply_severity(extra, self.policy))
        self.outputs.finish(global_findings)

    def _add(self, findings: pd.DataFrame) -> None:
        self.writer.write(findings)
        self.sampler.add(_heads(findings, self.options.samples), {})
        self.stats.count_findings(findings)

    def judge(self) -> None:
        """Per-check results against the policy, and the verdict (the gate's)."""
        # Disabled checks are listed too (status "skipped"), so reports say they did not run.
        self.results = results_for(self.catalog, self.stats, self.policy)
        self.decision = decide(
            self.results, self.policy, fail_on=self.options.fail_on, lost=self.lost_kinds
        )

    def baseline(self) -> None:
        """The baseline rules against earlier reports (``--baseline``), when given."""
        if self.history is not None and self.decision is not None:
            self.decision = against_baseline(self.decision, self.results, self.policy, self.history)

    def execute(self) -> RunResult:
        """Every stage in order; a signal gives :class:`RunInterrupted` with what was counted."""
        self.plan()
        prehash = self.options.prehash
        # Everything alive now (the modules, the checks, the policy) lives all run long.
        # Frozen, the cyclic GC stops traversing it on every full collection, here and in
        # forked workers, which then never write to (and so copy) the pages they share.
        gc.freeze()
        # The program set up without the cyclic collector (corpus_qa.run.collection).
        resume_collection()
        try:
            self.chunks()
            self.finalize()
        except (Interrupted, KeyboardInterrupt) as stop:
            self._abort()
            signum, name = (
                (stop.signum, stop.name) if isinstance(stop, Interrupted) else (2, "SIGINT")
            )
            raise RunInterrupted(self.interrupted(name), signum, name) from None
        except BaseException:
            self._abort()
            raise
        finally:
            # Workers stop before the spill folder they write to is removed.
            if self._results is not None:
                self._results.close()
            self.states.close()
            gc.unfreeze()
        self.writer.close()
        self._require_articles()
        if prehash is not None:
            ahead = prehash.digests([file.path for file in self.discovery.files])
            self.digests.update({p: d for p, d in ahead.items() if p not in self.digests})
        self.judge()
        self.baseline()
        return self.against_history(self.result())

    def against_history(self, result: RunResult) -> RunResult:
        """Anomalies against the metrics history (``--history``): the verdict with them."""
        if self._history is None:
            return result
        from corpus_qa.history.record import judge, metrics_of

        metrics = metrics_of(
            started_at=result.started_at,
            finished_at=result.finished_at,
            dump_path=str(self.options.dump),
            fingerprint=dump_fingerprint(result.inputs),
            policy=self.policy,
            status=result.status,
            verdict=result.verdict.label,
            stats=self.stats,
            results=self.results,
        )
        result.history, result.verdict = judge(
            self._history, metrics, self.policy, self.results, result.verdict
        )
        metrics.verdict = result.verdict.label
        return result

    def _abort(self) -> None:
        if self.options.prehash is not None:
            self.options.prehash.stop()
        self.writer.abort()
        self.outputs.abort()

    def _require_articles(self) -> None:
        stats = self.stats
        if stats.articles:
            return
        first = next((q for q in self.quarantined if q.kind != "input.skipped"), None)
        why = f"; first: {_where(first)}: {first.reason}" if first is not None else ""
        raise InputError(
            f"no article could be read ({stats.records_read} records read, "
            f"{stats.records_quarantined} quarantined{why}; see {self.writer.path})",
            path=str(self.options.dump),
        )

    def interrupted(self, signal_name: str) -> RunResult:
        """What an interrupted run counted; its verdict is always fail (never a false pass)."""
        self.results = results_for(self.catalog, self.stats, self.policy)
        self.decision = Decision(interrupted(self.policy, self.options.fail_on, signal_name))
        return self.result(status="incomplete")

    def result(self, status: str = "complete") -> RunResult:
        """The run's result (a complete run's after :meth:`judge`)."""
        assert self.decision is not None
        complete = status == "complete"
        return RunResult(
            options=self.options,
            policy=self.policy,
            started_at=self.started,
            finished_at=datetime.now(UTC),
            # No hashing on the way out: a signal asks us to stop promptly.
            inputs=describe_inputs(
                self.discovery.files,
                self.stats,
                digests=self.digests,
                hash_files=complete,
                incomplete=self.incomplete,
            ),
            stats=self.stats,
            checks=self.results,
            verdict=self.decision.verdict,
            samples=self.sampler.samples if complete else {},
            records=self.sampler.records if complete else {},
            chrome=self.chrome if complete else [],
            quarantined=self.quarantined,
            skipped=list(self.discovery.skipped),
            findings_path=self.options.out_dir / "findings.jsonl",
            findings_count=self.writer.count if complete else 0,
            check_docs={check.id: check for check in self.checks},
            interop=self.interop if complete else {},
            routed=dict(self.outputs.counts) if complete and self.outputs.active else {},
            status=status,
            baseline=self.decision.baseline,
            # An interrupted run may stop before the survey.
            field_map=self.survey.report if self.survey is not None else {},
        )


def _uniqueness(schema: Any, policy: Policy) -> list[Check]:
    """The contract's uniqueness rules the policy leaves on, as global checks (they span
    the dump); Pandera is loaded here, only for a run that validates."""
    from corpus_qa.tables.uniqueness import uniqueness_checks
    from corpus_qa.tables.validate import articles_schema, images_schema_base

    contract = schema if schema is not None else articles_schema()
    made = uniqueness_checks(contract, images_schema_base())
    return [check for check in made if policy.for_check(check.id).enabled]


def _at_scrape_time(check: Check, scraped: datetime) -> Check:
    """A check whose options hold a ``reference_time`` the policy left unset judges
    against the run's: ``--reference-time``, else the run's start, one time for every
    chunk and worker."""
    values = {f.name: getattr(check.options, f.name) for f in dataclasses.fields(check.options)}
    if "reference_time" in values and values["reference_time"] is None:
        when = scraped if scraped.tzinfo is not None else scraped.replace(tzinfo=UTC)
        values["reference_time"] = when.isoformat()
        check.options = type(check.options)(**values)
    return check


def _where(entry: Quarantined) -> str:
    if entry.line is None:
        return entry.source_path
    return f"{entry.source_path}:{entry.line}"


def _check_outputs(options: RunOptions, discovery: Discovery) -> None:
    folders = {"--out": options.out_dir}
    if options.quarantine_dir is not None:
        folders["--quarantine"] = options.quarantine_dir
    files = {"--clean-out": options.clean_out} if options.clean_out is not None else {}
    files.update(options.side_outputs)
    check_output_paths(options.dump, discovery.files, folders, files)


__all__ = ["UNKNOWN_OUTLET", "RunInterrupted", "RunOptions", "RunResult", "run"]
