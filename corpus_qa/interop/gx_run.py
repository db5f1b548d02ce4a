"""Validating the articles table with Great Expectations, beside corpus-qa's own checks.

``corpus-qa check --gx`` adds a :class:`GxCrossCheck` to the run. Per chunk it
validates the chunk's articles with the exported suite (an ephemeral GX context,
``COMPLETE`` results keyed by ``record_id``) and compares, check by check, the record
ids GX rejects with the record ids of corpus-qa's findings; uniqueness is dump-wide,
so it collects the two id columns and validates them once at the end. Every record
on which the two disagree becomes an ``interop.disagreement`` finding (a finding of
the tool itself, which fails the gate). GX is imported here, lazily, and only here.
"""

from __future__ import annotations

import functools
import time
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from corpus_qa.findings.rows import conform, empty_findings
from corpus_qa.gate.policy import Policy
from corpus_qa.interop.gx_suite import ID_COLUMN, Expectation, expectations

CHECK_ID = "interop.disagreement"
#: Record ids listed per expectation and per side of a disagreement in report.json.
_SAMPLE_IDS = 20
_RESULT_FORMAT = {"result_format": "COMPLETE", "unexpected_index_column_names": [ID_COLUMN]}
#: Columns of the articles table kept for the dump-wide expectations and for findings.
_ID_COLUMNS = ["record_id", "url", "source_path", "line_start", "outlet"]


def _gx() -> Any:
    """Import GX quietly (it warns about deprecations of its own dependencies)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import great_expectations as gx
    return gx


def to_gx_suite(suite: Mapping[str, Any]) -> Any:
    """A ``gx.ExpectationSuite`` from the exported JSON; raises if GX rejects any expectation.

    GX logs and skips an invalid expectation instead of raising, so the count is checked.
    """
    gx = _gx()
    built = gx.ExpectationSuite(
        name=suite["name"], expectations=list(suite["expectations"]), meta=suite.get("meta")
    )
    if len(built.expectations) != len(suite["expectations"]):
        raise ValueError(
            f"GX accepted {len(built.expectations)} of {len(suite['expectations'])} expectations"
        )
    return built


@dataclass
class ExpectationResult:
    """One expectation's outcome on one batch (or merged over the chunks)."""

    type: str
    column: str
    check: str | None
    note: str
    mostly: float
    element_count: int = 0
    missing_count: int = 0
    unexpected_count: int = 0
    ids: list[str] = field(default_factory=list)

    @property
    def success(self) -> bool:
        """GX's rule: the share of expected values in the domain is at least ``mostly``."""
        domain = self.element_count - self.missing_count
        return domain == 0 or 1 - self.unexpected_count / domain >= self.mostly

    def merge(self, other: ExpectationResult) -> None:
        self.element_count += other.element_count
        self.missing_count += other.missing_count
        self.unexpected_count += other.unexpected_count
        self.ids.extend(other.ids)

    def to_json(self) -> dict[str, Any]:
        domain = self.element_count - self.missing_count
        return {
            "expectation": self.type,
            "column": self.column,
            "note": self.note,
            "mostly": self.mostly,
            "success": self.success,
            "element_count": self.element_count,
            "missing_count": self.missing_count,
            "unexpected_count": self.unexpected_count,
            "unexpected_percent": round(100 * self.unexpected_count / domain, 4) if domain else 0.0,
            "unexpected_record_ids": self.ids[:_SAMPLE_IDS],
        }


class GxValidator:
    """An ephemeral GX context with one pandas asset; validates frames against a suite."""

    def __init__(self, suite_expectations: Sequence[Expectation], data_docs: Path | None) -> None:
        gx = _gx()
        self.expectations = list(suite_expectations)
        self.context = gx.get_context(mode="ephemeral")
        # Progress bars would write to stderr once per expectation and chunk.
        self.context.variables.progress_bars = {"globally": False, "metric_calculations": False}
        asset = self.context.data_sources.add_pandas("corpus_qa").add_dataframe_asset("articles")
        self.batch_definition = asset.add_batch_definition_whole_dataframe("chunk")
        suite = to_gx_suite(
            {"name": "corpus_qa.articles", "expectations": [e.to_json() for e in self.expectations]}
        )
        self.suite = self.context.suites.add(suite)
        self._position = {exp.id: i for i, exp in enumerate(self.suite.expectations)}
        self.checkpoint: Any = None
        if data_docs is not None:
            self._add_data_docs(gx, data_docs)

    def _add_data_docs(self, gx: Any, directory: Path) -> None:
        from great_expectations.checkpoint.actions import UpdateDataDocsAction

        self.context.add_data_docs_site(
            "corpus_qa",
            {
                "class_name": "SiteBuilder",
                "store_backend": {
                    "class_name": "TupleFilesystemStoreBackend",
                    "base_directory": str(directory.resolve()),
                },
                "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"},
            },
        )
        definition = self.context.validation_definitions.add(
            gx.ValidationDefinition(name="articles", data=self.batch_definition, suite=self.suite)
        )
        self.checkpoint = self.context.checkpoints.add(
            gx.Checkpoint(
                name="corpus_qa",
                validation_definitions=[definition],
                actions=[UpdateDataDocsAction(name="data_docs", site_names=["corpus_qa"])],
                result_format=_RESULT_FORMAT,
            )
        )

    def validate(self, frame: pd.DataFrame, run_name: str) -> list[ExpectationResult]:
        """One result per expectation, in suite order, with the rejected record ids."""
        if self.checkpoint is not None:
            from great_expectations.core.run_identifier import RunIdentifier

            run = self.checkpoint.run(
                batch_parameters={"dataframe": frame}, run_id=RunIdentifier(run_name=run_name)
            )
            results = next(iter(run.run_results.values())).results
        else:
            batch = self.batch_definition.get_batch(batch_parameters={"dataframe": frame})
            results = batch.validate(self.suite, result_format=_RESULT_FORMAT).results
        merged = [_empty_result(exp) for exp in self.expectations]
        for result in results:
            if result.exception_info.get("raised_exception"):
                message = result.exception_info.get("exception_message")
                raise RuntimeError(f"GX failed on {result.expectation_config.type}: {message}")
            out = merged[self._position[result.expectation_config.id]]
            detail = result.result
            out.element_count = int(detail.get("element_count") or 0)
            out.missing_count = int(detail.get("missing_count") or 0)
            out.unexpected_count = int(detail.get("unexpected_count") or 0)
            out.ids = [str(row[ID_COLUMN]) for row in detail.get("unexpected_index_list") or []]
        return merged


def _empty_result(expectation: Expectation) -> ExpectationResult:
    return ExpectationResult(
        type=expectation.type,
        column=str(expectation.kwargs["column"]),
        check=expectation.check,
        note=expectation.note,
        mostly=float(expectation.kwargs.get("mostly", 1.0)),
    )


@functools.cache
def _validator(owner: GxCrossCheck, dump_wide: bool) -> GxValidator:
    """One GX context per process and suite part (GX contexts do not pickle)."""
    part = [e for e in owner.expectations if e.dump_wide == dump_wide]
    docs = owner.data_docs if not dump_wide else None
    return GxValidator(part, docs)


@dataclass
class ChunkState:
    """What one chunk reports back: small and picklable."""

    results: list[ExpectationResult]
    records: dict[str, int]
    disagreements: dict[str, dict[str, list[str]]]
    ids: pd.DataFrame
    seconds: float


class GxCrossCheck:
    """A run observer (see :class:`corpus_qa.run.chunk.ChunkContext`): GX beside the gate."""

    id = "gx"

    def __init__(
        self, policy: Policy, *, compare_schema: bool = True, data_docs: Path | None = None
    ) -> None:
        self.expectations = expectations(policy)
        self.compare_schema = compare_schema
        self.data_docs = data_docs

    def _compared(self, check: str | None) -> bool:
        if check is None:
            return False
        return self.compare_schema or not check.startswith("schema.")

    def _key(self) -> tuple[str, ...]:
        return (str(self.data_docs), *(repr(e.to_json()) for e in self.expectations))

    def __hash__(self) -> int:
        return hash(self._key())

    def __eq__(self, other: object) -> bool:
        return isinstance(other, GxCrossCheck) and other._key() == self._key()

    def observe(
        self, index: int, articles: pd.DataFrame, findings: pd.DataFrame
    ) -> tuple[pd.DataFrame, ChunkState]:
        """Validate one chunk's articles; disagreements with ``findings`` become findings."""
        started = time.perf_counter()
        local = [e for e in self.expectations if not e.dump_wide]
        columns = [c for c in articles.columns if c != "body_lines"]
        results = _validator(self, False).validate(articles[columns], f"chunk-{index:05d}")
        records, disagreements, found = self._compare(local, results, findings, articles)
        state = ChunkState(
            results=results,
            records=records,
            disagreements=disagreements,
            ids=articles[_ID_COLUMNS].copy(),
            seconds=time.perf_counter() - started,
        )
        return found, state

    def _compare(
        self,
        part: Sequence[Expectation],
        results: Sequence[ExpectationResult],
        findings: pd.DataFrame,
        articles: pd.DataFrame,
    ) -> tuple[dict[str, int], dict[str, dict[str, list[str]]], pd.DataFrame]:
        records: dict[str, int] = {}
        disagreements: dict[str, dict[str, list[str]]] = {}
        frames = []
        compared = {e.check for e in part if e.check is not None and self._compared(e.check)}
        for check in sorted(compared):
            gx_ids = {i for r in results if r.check == check for i in r.ids}
            ours = set(findings.loc[findings["check"] == check, "record_id"].dropna().astype(str))
            records[check] = len(ours)
            only_gx, only_ours = sorted(gx_ids - ours), sorted(ours - gx_ids)
            if only_gx or only_ours:
                disagreements[check] = {"only_gx": only_gx, "only_corpus_qa": only_ours}
                frames.append(_disagreement_findings(check, only_gx, only_ours, articles))
        found = pd.concat(frames, ignore_index=True) if frames else empty_findings()
        return records, disagreements, found

    def finalize(
        self, states: Sequence[ChunkState], global_findings: pd.DataFrame
    ) -> tuple[pd.DataFrame, dict[str, Any]]:
        """Dump-wide expectations, the merged results and the report section."""
        started = time.perf_counter()
        dump_wide = [e for e in self.expectations if e.dump_wide]
        ids = pd.concat([s.ids for s in states], ignore_index=True) if states else None
        found = empty_findings()
        totals = [_empty_result(e) for e in self.expectations if not e.dump_wide]
        records: dict[str, int] = {}
        disagreements: dict[str, dict[str, list[str]]] = {}
        for state in states:
            for total, result in zip(totals, state.results, strict=True):
                total.merge(result)
            for check, count in state.records.items():
                records[check] = records.get(check, 0) + count
            for check, sides in state.disagreements.items():
                merged = disagreements.setdefault(check, {"only_gx": [], "only_corpus_qa": []})
                for side, values in sides.items():
                    merged[side].extend(values)
        if dump_wide and ids is not None and len(ids):
            results = _validator(self, True).validate(ids, "dump")
            more_records, more, found = self._compare(dump_wide, results, global_findings, ids)
            records.update(more_records)
            disagreements.update(more)
            totals.extend(results)
        seconds = sum(s.seconds for s in states) + time.perf_counter() - started
        return found, self._section(totals, records, disagreements, len(states), seconds)

    def _section(
        self,
        results: Sequence[ExpectationResult],
        records: Mapping[str, int],
        disagreements: Mapping[str, Mapping[str, list[str]]],
        chunks: int,
        seconds: float,
    ) -> dict[str, Any]:
        from corpus_qa.interop.gx_suite import NOT_EXPRESSIBLE

        checks: dict[str, Any] = {}
        for check in sorted({r.check for r in results if r.check is not None}):
            mine = [r for r in results if r.check == check]
            sides = disagreements.get(check, {"only_gx": [], "only_corpus_qa": []})
            compared = self._compared(check)
            checks[check] = {
                "compared": compared,
                "agree": not (sides["only_gx"] or sides["only_corpus_qa"]) if compared else None,
                "corpus_qa_records": records.get(check),
                "gx_records": len({i for r in mine for i in r.ids}),
                "only_gx": sides["only_gx"][:_SAMPLE_IDS],
                "only_gx_count": len(sides["only_gx"]),
                "only_corpus_qa": sides["only_corpus_qa"][:_SAMPLE_IDS],
                "only_corpus_qa_count": len(sides["only_corpus_qa"]),
                "expectations": [r.to_json() for r in mine],
            }
        return {
            "great_expectations_version": _gx().__version__,
            "suite": "corpus_qa.articles",
            "chunks": chunks,
            "seconds": round(seconds, 3),
            "agree": all(c["agree"] is not False for c in checks.values()),
            "checks": checks,
            "informational": [r.to_json() for r in results if r.check is None],
            "not_expressible": [{"check": c, "reason": r} for c, r in NOT_EXPRESSIBLE.items()],
            "data_docs": str(self.data_docs) if self.data_docs else None,
        }


def _disagreement_findings(
    check: str, only_gx: Sequence[str], only_ours: Sequence[str], articles: pd.DataFrame
) -> pd.DataFrame:
    ids = [*only_gx, *only_ours]
    where = articles.drop_duplicates("record_id").set_index("record_id").reindex(ids)
    messages = [
        f"{check}: GX's mirrored expectation rejects this record, corpus-qa has no finding"
    ] * len(only_gx) + [
        f"{check}: corpus-qa has a finding, GX's mirrored expectations accept this record"
    ] * len(only_ours)
    return conform(
        pd.DataFrame(
            {
                "check": CHECK_ID,
                "severity": "error",
                "record_id": ids,
                "source_path": where["source_path"].fillna("(unknown)").to_numpy(),
                "line": where["line_start"].to_numpy(),
                "field": None,
                "evidence": None,
                "start": pd.NA,
                "end": pd.NA,
                "message": messages,
                "outlet": where["outlet"].to_numpy(),
            }
        )
    )
