"""``--quarantine DIR`` and ``--clean-out FILE``: where every record ends up, streamed.

Each chunk already knows its records and its findings, so :func:`route_chunk` (pure,
picklable output, run wherever the chunk runs) splits them into records that passed
and records that did not, and :class:`OutputWriter` appends them as chunks finish:
no second pass over the dump. Whole-dump checks (``record.duplicate``) only know
their findings at the end; only when one of them is an error are the clean records
filtered once more, from our own temp file, never from the dump.

Everything is written under temporary names and renamed on :meth:`OutputWriter.finish`:
an interrupted run leaves no clean-out that looks complete.
"""

from __future__ import annotations

import dataclasses
import json
import os
import shutil
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import IO, Any
from urllib.parse import quote, unquote_to_bytes

import pandas as pd

from corpus_qa import signals
from corpus_qa.errors import ConfigError
from corpus_qa.model import Quarantined

#: Messages kept per rejected record in ``reasons.jsonl``.
_MAX_REASONS = 10


@dataclass(frozen=True)
class Rejected:
    """One record that is not clean, and why (a line of ``reasons.jsonl``)."""

    source_path: str
    line: int | None
    byte_offset: int | None
    kind: str
    reason: str
    record_id: str | None = None
    #: Where its content was written, relative to the quarantine folder.
    stored: str | None = None


@dataclass
class Routed:
    """A chunk's records, split: clean rows, failing rows, quarantined originals."""

    clean: pd.DataFrame
    failed: pd.DataFrame
    failed_reasons: list[Rejected] = field(default_factory=list)
    quarantined: list[Quarantined] = field(default_factory=list)
    #: Page text of pages with a failing article, by source path (the original page).
    pages: dict[str, str] = field(default_factory=dict)


def _reasons(findings: pd.DataFrame) -> dict[str, tuple[str, str]]:
    """record_id -> (first error check, its messages joined), for error findings."""
    errors = findings[(findings["severity"] == "error") & findings["record_id"].notna()]
    out: dict[str, tuple[str, str]] = {}
    for record_id, group in errors.groupby("record_id", sort=False):
        checks = group["check"].astype("str").tolist()
        messages = list(
            dict.fromkeys(f"{c}: {m}" for c, m in zip(checks, group["message"], strict=True))
        )
        out[str(record_id)] = (checks[0], "; ".join(messages[:_MAX_REASONS]))
    return out


def route_chunk(
    articles: pd.DataFrame,
    findings: pd.DataFrame,
    quarantined: Sequence[Quarantined],
    pages: dict[str, str],
) -> Routed:
    """Split a chunk's articles by error-severity findings; keep quarantined originals.

    ``pages`` maps each page file of the chunk to its text; only pages with a failing
    article are kept (as the original to store in the quarantine folder).
    """
    reasons = _reasons(findings)
    failing = articles["record_id"].isin(list(reasons)).to_numpy()
    failed = articles[failing]
    rejected = []
    for record_id, path, line in zip(
        failed["record_id"], failed["source_path"], failed["line_start"], strict=True
    ):
        kind, reason = reasons[str(record_id)]
        rejected.append(Rejected(str(path), int(line), None, kind, reason, str(record_id)))
    failed_pages = {str(p) for p in failed["source_path"] if str(p) in pages}
    # A page quarantined whole (input.too_complex) is kept as its original too.
    failed_pages.update(q.source_path for q in quarantined if q.source_path in pages)
    return Routed(
        clean=articles[~failing],
        failed=failed,
        failed_reasons=rejected,
        quarantined=[q for q in quarantined if q.kind.startswith("input.")],
        pages={path: pages[path] for path in sorted(failed_pages)},
    )


def to_jsonl(frame: pd.DataFrame) -> str:
    """Articles rows as JSON Lines (the articles table's columns; times in ISO 8601)."""
    if frame.empty:
        return ""
    with signals.deferred():
        text = frame.to_json(
            orient="records", lines=True, force_ascii=False, date_format="iso", date_unit="s"
        )
    return text if text.endswith("\n") else text + "\n"


#: Characters kept as they are in stored file names; every other byte is %XX.
_NAME_SAFE = " -_.,+=@~()[]"
#: Marks a folder as a quarantine this tool wrote, which a later run may replace.
QUARANTINE_MARKER = ".corpus-qa-quarantine"


def safe_relative(display: str) -> str:
    """A dump path as a relative path inside the quarantine folder: one component per
    folder, each percent-encoded (``%`` itself too), so it cannot leave the folder,
    holds no control character, and two different paths never share a name.
    :func:`original_path` reverses it."""
    parts = []
    for part in display.split("/"):
        if part in ("", "."):
            continue
        quoted = quote(part.encode("utf-8", "surrogateescape"), safe=_NAME_SAFE)
        parts.append("%2E%2E" if quoted == ".." else quoted)
    return "/".join(parts) or "unnamed"


def original_path(stored: str) -> str:
    """The dump path :func:`safe_relative` stored as ``stored``."""
    return "/".join(
        unquote_to_bytes(part).decode("utf-8", "surrogateescape") for part in stored.split("/")
    )


def _claim_quarantine(folder: Path) -> None:
    """Use ``folder`` only if this tool made it, or it is new or empty: never write
    (or replace ``raw/``) among files a user keeps there."""
    ours = (folder / QUARANTINE_MARKER).exists()
    if folder.is_dir() and not ours and any(folder.iterdir()):
        raise ConfigError(
            f"--quarantine {folder} holds files corpus-qa did not write; "
            "choose a new or empty folder"
        )
    folder.mkdir(parents=True, exist_ok=True)
    (folder / QUARANTINE_MARKER).touch()


class OutputWriter:
    """Streams clean records to ``clean_out`` and rejects to ``quarantine_dir``."""

    def __init__(self, quarantine_dir: Path | None, clean_out: Path | None) -> None:
        if quarantine_dir is not None:
            _claim_quarantine(quarantine_dir)
        self.quarantine_dir = quarantine_dir
        self.clean_out = clean_out
        self.counts = {"clean": 0, "quarantined": 0, "failed": 0}
        self._clean: IO[str] | None = None
        self._work: Path | None = None
        self._reasons: IO[str] | None = None
        self._failed: IO[str] | None = None
        self._pages_done: set[str] = set()
        if clean_out is not None:
            clean_out.parent.mkdir(parents=True, exist_ok=True)
            self._clean_temp = clean_out.with_name(f".{clean_out.name}.{os.getpid()}.tmp")
            self._clean = self._clean_temp.open("w", encoding="utf-8", errors="backslashreplace")
        if quarantine_dir is not None:
            self._work = quarantine_dir / f".incomplete-{os.getpid()}"
            shutil.rmtree(self._work, ignore_errors=True)
            self._work.mkdir()
            self._reasons = (self._work / "reasons.jsonl").open(
                "w", encoding="utf-8", errors="backslashreplace"
            )
            self._failed = (self._work / "records.jsonl").open(
                "w", encoding="utf-8", errors="backslashreplace"
            )

    @property
    def active(self) -> bool:
        return self._clean is not None or self._work is not None

    def _append_raw(self, display: str, text: str) -> str:
        assert self._work is not None
        relative = f"raw/{safe_relative(display)}"
        target = self._work / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        with target.open("a", encoding="utf-8", errors="replace") as handle:
            handle.write(text if text.endswith("\n") else text + "\n")
        return relative

    def _reason(self, rejected: Rejected) -> None:
        assert self._reasons is not None
        self._reasons.write(json.dumps(asdict(rejected), ensure_ascii=False) + "\n")

    def reject_files(self, entries: Iterable[Quarantined]) -> None:
        """Files that could not be read at all (discovery), or that changed while they
        were read: a reason each, no content."""
        if self._work is None:
            return
        for q in entries:
            if q.kind in ("input.unreadable", "input.changed"):
                self._reason(Rejected(q.source_path, q.line, q.byte_offset, q.kind, q.reason))

    def write(self, routed: Routed) -> None:
        if self._clean is not None:
            self._clean.write(to_jsonl(routed.clean))
        self.counts["clean"] += len(routed.clean)
        self.counts["quarantined"] += len(routed.quarantined)
        self.counts["failed"] += len(routed.failed)
        if self._work is None:
            return
        for path, text in routed.pages.items():
            if path not in self._pages_done:
                self._pages_done.add(path)
                self._append_raw(path, text)
        for q in routed.quarantined:
            if q.raw is not None:
                stored: str | None = self._append_raw(q.source_path, q.raw)
            elif q.source_path in routed.pages:  # a page quarantined whole
                stored = f"raw/{safe_relative(q.source_path)}"
            else:
                stored = None
            self._reason(
                Rejected(q.source_path, q.line, q.byte_offset, q.kind, q.reason, None, stored)
            )
        assert self._failed is not None
        self._failed.write(to_jsonl(routed.failed))
        for rejected in routed.failed_reasons:
            stored = (
                f"raw/{safe_relative(rejected.source_path)}"
                if rejected.source_path in self._pages_done
                else "records.jsonl"
            )
            self._reason(dataclasses.replace(rejected, stored=stored))

    def finish(self, global_findings: pd.DataFrame) -> None:
        """Apply whole-dump error findings, then put every output in place."""
        keys = _global_error_keys(global_findings)
        if self._clean is not None:
            self._clean.close()
            if keys:
                self._refilter(keys)
            assert self.clean_out is not None
            os.replace(self._clean_temp, self.clean_out)
        if self._work is not None:
            assert self._reasons is not None and self._failed is not None
            self._reasons.close()
            self._failed.close()
            assert self.quarantine_dir is not None
            for entry in sorted(self._work.iterdir()):
                target = self.quarantine_dir / entry.name
                if target.is_dir() and not target.is_symlink():
                    shutil.rmtree(target)
                os.replace(entry, target)
            self._work.rmdir()

    def _refilter(self, keys: dict[tuple[str, int, str], tuple[str, str]]) -> None:
        """Move clean records that a whole-dump check failed into the quarantine."""
        kept = self._clean_temp.with_suffix(".kept")
        with (
            self._clean_temp.open(encoding="utf-8") as source,
            kept.open("w", encoding="utf-8", errors="backslashreplace") as sink,
        ):
            for line in source:
                row: dict[str, Any] = json.loads(line)
                key = (str(row["source_path"]), int(row["line_start"]), str(row["record_id"]))
                if key not in keys:
                    sink.write(line)
                    continue
                self.counts["clean"] -= 1
                self.counts["failed"] += 1
                if self._failed is not None:
                    self._failed.write(line)
                    kind, reason = keys[key]
                    self._reason(
                        Rejected(key[0], key[1], None, kind, reason, key[2], "records.jsonl")
                    )
        os.replace(kept, self._clean_temp)

    def abort(self) -> None:
        """Leave nothing that looks finished (an interrupted or failed run)."""
        for handle in (self._clean, self._reasons, self._failed):
            if handle is not None:
                handle.close()
        if self._clean is not None:
            self._clean_temp.unlink(missing_ok=True)
        if self._work is not None:
            shutil.rmtree(self._work, ignore_errors=True)


def _global_error_keys(findings: pd.DataFrame) -> dict[tuple[str, int, str], tuple[str, str]]:
    if findings.empty:
        return {}
    errors = findings[
        (findings["severity"] == "error") & findings["record_id"].notna() & findings["line"].notna()
    ]
    keys: dict[tuple[str, int, str], tuple[str, str]] = {}
    for check, record_id, path, line, message in zip(
        errors["check"],
        errors["record_id"],
        errors["source_path"],
        errors["line"],
        errors["message"],
        strict=True,
    ):
        key = (str(path), int(line), str(record_id))
        if key not in keys:
            keys[key] = (str(check), f"{check}: {message}")
    return keys
