"""The pipeline: dump -> chunks -> tables -> schema + checks -> findings -> tallies.

:func:`process_chunk` is a pure function of one chunk (picklable inputs and outputs),
so it can run in this process, a worker process or on a cluster;
:func:`corpus_qa.run.runner.run` drives the chunks, streams findings to disk and merges
tallies, and :func:`finalize_globals` finalizes the global checks.
"""

from __future__ import annotations

from collections.abc import Callable, Generator, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol, TypeVar

import numpy as np
import pandas as pd

from corpus_qa import signals
from corpus_qa.checks.api import Check, ConfirmingGlobalCheck, GlobalCheck, TextKey, no_global_hits
from corpus_qa.checks.global_state import GlobalStates, Shrunk
from corpus_qa.checks.guard import running
from corpus_qa.findings.rows import (
    conform,
    empty_findings,
    from_article_hits,
    from_global_hits,
    from_image_hits,
    image_owners,
)
from corpus_qa.findings.samples import sample_chunk
from corpus_qa.findings.tally import ChunkStats
from corpus_qa.gate.policy import Policy
from corpus_qa.gate.results import apply_severity
from corpus_qa.ingest import LineRange, PageUnit, Planned, RecordBatch, load_unit
from corpus_qa.model import ChromeSpan, Quarantined
from corpus_qa.run.memory import give_back_memory
from corpus_qa.run.record_outputs import Routed, route_chunk
from corpus_qa.tables.build import build_tables, drafts_frame, joined
from corpus_qa.tables.contract import enabled_findings
from corpus_qa.text import chunk_caches

Unit = PageUnit | RecordBatch
#: Units read (``Unit``) or planned (``Planned``, with ranges still to read).
AnyUnit = TypeVar("AnyUnit", PageUnit | RecordBatch, Planned)


class ChunkObserver(Protocol):
    """Sees each chunk's articles and findings beside the checks (``check --gx``).

    ``observe`` runs inside :func:`process_chunk` (so it must pickle) and returns extra
    findings plus a small state; ``finalize`` gets every chunk's state in chunk order
    and the global findings, and returns more findings and a report.json section.
    """

    id: str

    def observe(
        self, index: int, articles: pd.DataFrame, findings: pd.DataFrame
    ) -> tuple[pd.DataFrame, Any]: ...

    def finalize(
        self, states: Sequence[Any], global_findings: pd.DataFrame
    ) -> tuple[pd.DataFrame, dict[str, Any]]: ...


@dataclass(frozen=True)
class ChunkContext:
    """Everything a chunk needs besides its data; sent once to each worker."""

    checks: Sequence[Check]
    policy: Policy
    reference_time: datetime | None = None
    #: Validate each chunk against the contract (off when the policy turns every
    #: ``schema.*`` id off: see :mod:`corpus_qa.tables.contract`).
    validate: bool = True
    samples: int = 50
    #: A user's Pandera contract of the articles table (``check --schema``); None: ours.
    schema: Any = None
    observers: Sequence[ChunkObserver] = ()
    #: Split records into clean and rejected (for --clean-out / --quarantine).
    route: bool = False
    #: Cap on one page's parse, CPU seconds (``--max-page-seconds``; see parse.budget).
    page_seconds: float | None = None


@dataclass
class ChunkResult:
    index: int
    findings: pd.DataFrame
    #: Global check id -> this chunk's state; a worker process sends those of checks
    #: that spill already shrunk (:func:`corpus_qa.checks.global_state.shrink_states`).
    states: dict[str, pd.DataFrame | Shrunk]
    stats: ChunkStats
    chrome: list[ChromeSpan] = field(default_factory=list)
    quarantined: list[Quarantined] = field(default_factory=list)
    samples: list[dict[str, Any]] = field(default_factory=list)
    records: dict[str, dict[str, Any]] = field(default_factory=dict)
    #: Observer id -> that observer's state for this chunk.
    observed: dict[str, Any] = field(default_factory=dict)
    #: Clean and rejected records, when ``ChunkContext.route`` asks for them.
    routed: Routed | None = None


def _records(unit: Planned) -> int:
    """Records in a unit: at most, for a range not read yet (a blank line is no record)."""
    if isinstance(unit, RecordBatch):
        return unit.records_read
    return unit.lines if isinstance(unit, LineRange) else 1


def chunk_units(units: Iterable[AnyUnit], chunk_size: int) -> Iterator[list[AnyUnit]]:
    """Group units so a chunk holds about ``chunk_size`` records (a page counts as one);
    a range the planner closed (at its byte cap) ends its chunk."""
    pending: list[AnyUnit] = []
    size = 0
    for unit in units:
        count = _records(unit)
        if not isinstance(unit, PageUnit) and pending and size + count > chunk_size:
            yield pending
            pending, size = [], 0
        pending.append(unit)
        size += count
        if size >= chunk_size or (isinstance(unit, LineRange) and unit.closes):
            yield pending
            pending, size = [], 0
    if pending:
        yield pending


def drafts_of(
    units: Sequence[Unit], stats: ChunkStats, page_seconds: float | None = None
) -> tuple[pd.DataFrame, list[ChromeSpan]]:
    frames: list[pd.DataFrame] = []
    chrome: list[ChromeSpan] = []
    page_drafts = []
    for unit in units:
        if isinstance(unit, PageUnit):
            from corpus_qa.parse import parse_unit  # loaded on first use (see parse)
            from corpus_qa.parse.budget import PageTooComplex

            stats.pages += 1
            try:
                parsed = parse_unit(unit, max_seconds=page_seconds)
            except PageTooComplex as error:
                # Quarantined whole (its text goes to the quarantine's raw/); the rest is read.
                unit.issues.append(
                    Quarantined(unit.file.display, None, str(error), kind="input.too_complex")
                )
                stats.add_input(unit.file.display, read=1, quarantined=1)
                continue
            page_drafts.extend(parsed.articles)
            chrome.extend(parsed.chrome)
            stats.add_input(unit.file.display, read=1, quarantined=0)
        else:
            frames.append(unit.frame)
            stats.add_input(
                unit.file.display, read=unit.records_read, quarantined=len(unit.quarantined)
            )
    if page_drafts:
        frames.append(drafts_frame(page_drafts))
    frames = [frame for frame in frames if len(frame)]
    if not frames:
        return drafts_frame([]), chrome
    return (frames[0] if len(frames) == 1 else pd.concat(frames, ignore_index=True)), chrome


def validate_chunk(
    articles: pd.DataFrame, images: pd.DataFrame, schema: Any = None
) -> pd.DataFrame:
    """The contract's findings of a chunk; Pandera loads on the first call, so a run
    whose policy turns the contract off never loads it."""
    from corpus_qa.tables.validate import validate_chunk as validate

    return validate(articles, images, schema)


def _exempt_mask(
    check: Check, rows: np.ndarray, articles: pd.DataFrame, policy: Policy
) -> np.ndarray:
    """Which hits (articles ``rows``; -1: no owner) the policy exempts for this check."""
    rule = policy.for_check(check.id)
    mask = np.zeros(len(rows), dtype=bool)
    for column, values in rule.exempt.items():
        if column in articles.columns:
            taken = articles[column].iloc[np.maximum(rows, 0)]
            mask |= taken.isin(list(values)).to_numpy() & (rows >= 0)
    return mask


def _run_record_check(
    check: Check, articles: pd.DataFrame, images: pd.DataFrame, ctx: ChunkContext, stats: ChunkStats
) -> pd.DataFrame:
    # A shallow copy per check: with pandas' copy-on-write, whatever a check assigns
    # or mutates stays in its copy, so no check sees another's changes.
    with running(check.id, "run", ctx.policy.time_budget(check.id)):
        hits = check.run(articles.copy(deep=False), images.copy(deep=False))
    if hits.empty:
        return empty_findings()
    rows = hits["row"].to_numpy(dtype="int64")
    if check.table == "images":
        rows = image_owners(images, articles)[rows]
    exempt = _exempt_mask(check, rows, articles, ctx.policy)
    if exempt.any():
        stats.exempted[check.id] = stats.exempted.get(check.id, 0) + int(exempt.sum())
        hits = hits[~exempt]
    if check.table == "images":
        return from_image_hits(check, hits, images, articles)
    return from_article_hits(check, hits, articles)


def _quarantine_findings(quarantined: Sequence[Quarantined]) -> pd.DataFrame:
    if not quarantined:
        return empty_findings()
    return conform(
        pd.DataFrame(
            {
                "check": [q.kind for q in quarantined],
                "severity": "error",
                "record_id": None,
                "source_path": [q.source_path for q in quarantined],
                "line": [q.line for q in quarantined],
                "field": None,
                "evidence": [None if q.raw is None else q.raw[:500] for q in quarantined],
                "start": pd.NA,
                "end": pd.NA,
                "message": [
                    q.reason if q.byte_offset is None else f"{q.reason} (byte {q.byte_offset})"
                    for q in quarantined
                ],
                "outlet": None,
            }
        )
    )


def process_chunk(
    index: int,
    planned: Sequence[Planned],
    ctx: ChunkContext,
    sampled: frozenset[str] = frozenset(),
) -> ChunkResult:
    """Read, parse, build, validate and check one chunk. Pure: reads only what it is given
    (a :class:`LineRange` names the bytes of the dump it is given).

    ``sampled``: checks whose samples earlier chunks already filled
    (:meth:`corpus_qa.findings.samples.Sampler.full`); this chunk takes no samples of theirs.
    """
    signals.raise_requested()  # a stop whose exception a hook swallowed
    units = [load_unit(unit) for unit in planned]
    stats = ChunkStats()
    drafts, chrome = drafts_of(units, stats, ctx.page_seconds)
    quarantined = [q for unit in units for q in unit_issues(unit)]
    # The tables get their own copy of each text column, joined into one array: the
    # frames read here go first, so the two copies only meet before the tables exist.
    for unit, plan in zip(units, planned, strict=True):
        if isinstance(unit, RecordBatch) and unit is not plan:
            unit.frame = unit.frame.iloc[:0]
    drafts = joined(drafts)
    articles, images = build_tables(drafts, reference_time=ctx.reference_time)
    del drafts
    found = [_quarantine_findings(quarantined)]
    if ctx.validate and len(articles):
        found.append(enabled_findings(validate_chunk(articles, images, ctx.schema), ctx.policy))
    states: dict[str, pd.DataFrame | Shrunk] = {}
    for check in ctx.checks:
        if isinstance(check, GlobalCheck):
            with running(check.id, "observe", ctx.policy.time_budget(check.id)):
                states[check.id] = check.observe(articles.copy(deep=False), images.copy(deep=False))
        elif len(articles):
            found.append(_run_record_check(check, articles, images, ctx, stats))
    # The checks' shared views of this chunk go now, not when the next chunk replaces them.
    chunk_caches.release()
    findings = pd.concat([f for f in found if len(f)] or [empty_findings()], ignore_index=True)
    findings = apply_severity(in_dump_order(findings, units), ctx.policy)
    observed: dict[str, Any] = {}
    for observer in ctx.observers if len(articles) else ():
        extra, observed[observer.id] = observer.observe(index, articles, findings)
        if len(extra):
            extra = apply_severity(extra, ctx.policy)
            findings = in_dump_order(pd.concat([findings, extra], ignore_index=True), units)
    stats.count_tables(articles, images)
    stats.count_findings(findings, articles)
    stats.count_chrome(chrome)
    samples, records = sample_chunk(findings, articles, images, ctx.samples, sampled)
    routed = None
    if ctx.route:
        # Only records that could not be read go to the quarantine as such; page
        # issues (a repaired encoding) are findings about a page that was checked.
        unread = [q for unit in units if isinstance(unit, RecordBatch) for q in unit.quarantined]
        unread += [
            q
            for unit in units
            if isinstance(unit, PageUnit)
            for q in unit.issues
            if q.kind == "input.too_complex"
        ]
        pages = {unit.file.display: unit.text for unit in units if isinstance(unit, PageUnit)}
        routed = route_chunk(articles, findings, unread, pages)
    return ChunkResult(
        index,
        findings,
        states,
        stats,
        chrome,
        quarantined,
        samples,
        records,
        observed=observed,
        routed=routed,
    )


def in_dump_order(findings: pd.DataFrame, units: Sequence[Unit]) -> pd.DataFrame:
    """Sort by position in the dump, so output order never depends on chunking or workers."""
    if len(findings) < 2:
        return findings
    ordinal = {unit.file.display: i for i, unit in reversed(list(enumerate(units)))}
    files = findings["source_path"].map(ordinal).fillna(len(units)).to_numpy(dtype="float64")
    lines = findings["line"].to_numpy(dtype="int64", na_value=0)
    starts = findings["start"].to_numpy(dtype="int64", na_value=-1)
    # Sorted codes of the text keys (missing: -1, first) and one lexsort, as pandas'
    # stable multi-column sort_values does, without its copies of the whole frame.
    texts = [pd.factorize(findings[c], sort=True)[0] for c in ("record_id", "check", "field")]
    order = np.lexsort([starts, *reversed(texts), lines, files])
    return findings.take(order).reset_index(drop=True)


def issue_findings(entries: Sequence[Quarantined], policy: Policy) -> pd.DataFrame:
    """Findings for entries found outside any chunk (files skipped at discovery)."""
    return apply_severity(_quarantine_findings(entries), policy)


def unit_issues(unit: Unit) -> list[Quarantined]:
    if isinstance(unit, PageUnit):
        return list(unit.issues)
    return [*unit.quarantined, *unit.issues]


#: Re-reads the texts (bodies) of the given ``(source_path, line_start)`` articles.
Fetch = Callable[[set[TextKey]], dict[TextKey, str]]


def finalize_globals(
    checks: Sequence[Check],
    states: GlobalStates,
    policy: Policy,
    fetch: Fetch | None = None,
    *,
    ready: Mapping[str, pd.DataFrame] | None = None,
) -> pd.DataFrame:
    """Findings of the whole-dump checks, from every chunk's state in chunk order.

    A :class:`ConfirmingGlobalCheck` (near-duplicates) names the few articles whose
    text it needs to confirm its candidates; ``fetch`` re-reads just those. Every check
    gets its spilled columns (:mod:`corpus_qa.checks.global_state`) as ``rows``; an
    empty state has no findings. ``ready`` holds the findings of checks finalized
    elsewhere (partition by partition on a cluster), taken as they are, in check order.
    """
    found = []
    for check in checks:
        if not isinstance(check, GlobalCheck):
            continue
        if ready is not None and check.id in ready:
            found.append(ready[check.id])
            continue
        state, rows = states.state(check.id)
        if isinstance(check, ConfirmingGlobalCheck) and fetch is None:
            raise ValueError(f"{check.id} confirms candidates on texts: give fetch")
        with running(check.id, "finalize", policy.time_budget(check.id)):
            if state.empty:
                hits = no_global_hits()
            elif isinstance(check, ConfirmingGlobalCheck):
                assert fetch is not None
                wanted = check.wanted(state, rows)
            else:
                hits = check.finalize(state, rows)
        if isinstance(check, ConfirmingGlobalCheck) and not state.empty:
            # Re-reading the texts is the framework's work, not the check's.
            assert fetch is not None
            texts = fetch(wanted)
            with running(check.id, "confirm", policy.time_budget(check.id)):
                hits = check.confirm(state, texts, rows)
        found.append(from_global_hits(check, hits))
        # Freed before the next check's state is joined, not after.
        del state, rows, hits
        give_back_memory()
    findings = pd.concat([f for f in found if len(f)] or [empty_findings()], ignore_index=True)
    return apply_severity(findings, policy)


def write_order(results: Iterable[ChunkResult]) -> Generator[ChunkResult]:
    """Yield results in chunk order however they arrive (workers finish out of order).

    Closing this closes ``results`` too: a pool of workers then stops at once.
    """
    waiting: dict[int, ChunkResult] = {}
    expected = 0
    try:
        for result in results:
            waiting[result.index] = result
            while expected in waiting:
                yield waiting.pop(expected)
                expected += 1
        for index in sorted(waiting):
            yield waiting[index]
    finally:
        close = getattr(results, "close", None)
        if close is not None:
            close()
