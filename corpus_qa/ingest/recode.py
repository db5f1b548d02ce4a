"""Record files that are not plain UTF-8 with LF line ends: recoded on the fly.

Readers of JSONL, JSON and CSV work on UTF-8 bytes split at ``\\n``. A dump written as
UTF-16 (with a BOM), in a legacy code page (cp1252, EUC-KR) or with classic-Mac ``\\r``
line ends would otherwise lose every record (each line quarantined, or the whole file
read as one line). We sniff the head of the stream, and only when it needs it wrap the
stream in a decoder that yields UTF-8 with ``\\n`` line ends; the change is reported
as an ``encoding.detected`` issue so nothing is silently reinterpreted.
"""

from __future__ import annotations

import codecs
import io
from dataclasses import dataclass
from typing import BinaryIO, cast

from corpus_qa.ingest.page_files import detect_legacy
from corpus_qa.model import InputFile, Quarantined

#: Bytes looked at to decide how to read a file.
HEAD = 1 << 16
_READ = 1 << 20
_WIDE_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


@dataclass(frozen=True)
class Sniffed:
    """How to read a stream: ``encoding`` ``None`` means UTF-8 as is."""

    encoding: str | None = None
    cr_only: bool = False
    why: str = ""

    @property
    def plain(self) -> bool:
        return self.encoding is None and not self.cr_only


def _valid_utf8_head(head: bytes) -> bool:
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as error:
        # A head cut inside a multi-byte character is not an encoding problem.
        return error.start >= len(head) - 3 and error.reason == "unexpected end of data"
    return True


def sniff(head: bytes) -> Sniffed:
    """Decide from the first bytes of a file whether it needs recoding."""
    for bom, encoding in _WIDE_BOMS:
        if head.startswith(bom):
            return Sniffed(encoding, False, f"{encoding} (byte-order mark)")
    # CR-only line ends: "\r" but no "\n" in the whole head (JSON escapes "\r" in strings).
    cr_only = b"\r" in head and b"\n" not in head
    # A UTF-8 BOM declares UTF-8: bad bytes after it are damage, not another encoding.
    if not head.startswith(codecs.BOM_UTF8) and not _valid_utf8_head(head):
        # A record or two with a bad byte is damage (quarantined line by line);
        # recoding the whole file takes several undecodable characters.
        legacy = detect_legacy(head, min_bad=4)
        # Without a BOM, a UTF-16/32 guess from noise would merge every line pair.
        if legacy is not None and not legacy.startswith("utf"):
            return Sniffed(legacy, cr_only, f"{legacy} (detected, not valid UTF-8)")
    return Sniffed(None, cr_only, "")


class _RecodingRaw(io.RawIOBase):
    """Decode ``encoding`` (or pass UTF-8 through) and turn lone CRs into LFs."""

    def __init__(self, inner: BinaryIO, sniffed: Sniffed) -> None:
        self._inner = inner
        self._decoder = (
            codecs.getincrementaldecoder(sniffed.encoding)(errors="replace")
            if sniffed.encoding
            else None
        )
        self._cr_only = sniffed.cr_only
        self._pending = b""
        self._done = False

    def readable(self) -> bool:
        return True

    def _fill(self) -> None:
        while not self._pending and not self._done:
            data = self._inner.read(_READ)
            self._done = not data
            if self._decoder is not None:
                text = self._decoder.decode(data, final=self._done)
                if self._cr_only:
                    text = text.replace("\r", "\n")
                data = text.encode("utf-8", errors="replace")
            elif self._cr_only:
                data = data.replace(b"\r", b"\n")  # same length: byte offsets still hold
            self._pending = data

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        self._fill()
        size = min(len(buffer), len(self._pending))
        buffer[:size] = self._pending[:size]
        self._pending = self._pending[size:]
        return size

    def close(self) -> None:
        if not self.closed:
            self._inner.close()
        super().close()


class RecodedReader(io.BufferedReader):
    """A recoded stream; keeps the inner stream's ``truncation`` (see compression)."""

    def __init__(self, inner: BinaryIO, sniffed: Sniffed) -> None:
        super().__init__(_RecodingRaw(inner, sniffed), buffer_size=_READ)
        self._inner_stream = inner

    @property
    def truncation(self) -> str | None:
        value = getattr(self._inner_stream, "truncation", None)
        return value if isinstance(value, str) else None

    @property
    def stop_kind(self) -> str:
        value = getattr(self._inner_stream, "stop_kind", None)
        return value if isinstance(value, str) else "input.truncated"


def _head(stream: BinaryIO) -> bytes:
    peek = getattr(stream, "peek", None)
    if peek is None:
        return b""
    return cast(bytes, peek(HEAD))[:HEAD]


def recode(stream: BinaryIO, file: InputFile) -> tuple[BinaryIO, list[Quarantined]]:
    """``stream`` itself when it is UTF-8 with LF ends, else a recoding wrapper and why."""
    sniffed = sniff(_head(stream))
    if sniffed.plain:
        return stream, []
    parts = []
    if sniffed.encoding:
        parts.append(f"not UTF-8: read as {sniffed.why}; byte offsets count the UTF-8 re-encoding")
    if sniffed.cr_only:
        parts.append("CR-only line ends read as line breaks")
    issue = Quarantined(file.display, 1, "; ".join(parts), byte_offset=0, kind="encoding.detected")
    return RecodedReader(stream, sniffed), [issue]
