"""Streaming decompression (gzip, zstd, bzip2, xz), bounded, with truncation reported.

A truncated archive is common in scraped dumps (a crawler killed mid-write). Python's
``gzip`` module raises ``EOFError`` on it and, inside ``BufferedReader.read``, drops
the bytes it had already decompressed in that call. We decompress ourselves so every
byte that can be recovered is delivered, and the stream then ends like a normal EOF
with :attr:`DecompressedReader.truncation` saying where and why it stopped.

Output is bounded twice: each decompressor call yields at most about ``_OUT`` bytes
(a few kilobytes of a bomb inflate to gigabytes in one call otherwise), and a file
stops at :meth:`IngestLimits.inflate_limit` bytes: ``input.too_large`` (a bomb), which,
like a truncation, loses records in unknown amount and fails the gate.
"""

from __future__ import annotations

import bz2
import io
import lzma
import os
import zlib
from typing import BinaryIO, Protocol, cast

import zstandard

from corpus_qa.ingest.remote import open_source, source_size
from corpus_qa.limits import DEFAULT_LIMITS, IngestLimits
from corpus_qa.model import InputFile

_READ_SIZE = 1 << 20
#: Most bytes one decompressor call may return (zlib, bz2, lzma take a max_length).
_OUT = 4 << 20
#: Compressed bytes fed to zstd per call: its decompressobj takes no output bound, and
#: an RLE block inflates 4 bytes to 128 KiB, so this many bytes yield at most ~64 MiB.
_ZSTD_PIECE = 2048
COMPRESSIONS = ("gzip", "zstd", "bzip2", "xz")
_ERRORS = (zlib.error, zstandard.ZstdError, lzma.LZMAError, OSError, EOFError)


class _Decompressor(Protocol):
    @property
    def eof(self) -> bool: ...

    @property
    def unused_data(self) -> bytes: ...


def _new_decompressor(kind: str) -> _Decompressor:
    if kind == "gzip":
        return zlib.decompressobj(wbits=31)
    if kind == "bzip2":
        return bz2.BZ2Decompressor()
    if kind == "xz":
        return lzma.LZMADecompressor()
    return cast(_Decompressor, zstandard.ZstdDecompressor().decompressobj())


class _DecompressingRaw(io.RawIOBase):
    """Raw stream over a compressed file; concatenated members/frames are read through."""

    def __init__(self, raw: BinaryIO, kind: str, name: str, limit: int) -> None:
        self._raw = raw
        self._kind = kind
        self._name = name
        self._limit = limit
        self._dec = _new_decompressor(kind)
        self._in_member = False
        self._input = memoryview(b"")
        self._pending = memoryview(b"")
        self._done = False
        self.compressed_read = 0
        self.delivered = 0
        self.truncation: str | None = None
        #: The finding a stop is: ``input.truncated``, or ``input.too_large`` at the bound.
        self.stop_kind = "input.truncated"

    def readable(self) -> bool:
        return True

    def _wants_input(self) -> bool:
        # bz2/lzma hold input they have not turned into output yet (needs_input False).
        return not self._input and getattr(self._dec, "needs_input", True)

    def _step(self) -> bytes:
        """Decompress some of the pending input: at most about ``_OUT`` bytes."""
        dec = self._dec
        self._in_member = True
        if isinstance(dec, bz2.BZ2Decompressor | lzma.LZMADecompressor):
            data = self._input if dec.needs_input else b""
            self._input = memoryview(b"")
            out = dec.decompress(data, _OUT)
        elif self._kind == "gzip":
            inflate = cast("zlib._Decompress", dec)
            out = inflate.decompress(self._input, _OUT)
            self._input = memoryview(inflate.unconsumed_tail)
        else:
            piece, self._input = self._input[:_ZSTD_PIECE], self._input[_ZSTD_PIECE:]
            out = cast("zstandard.ZstdDecompressionObj", dec).decompress(piece)
        if self._dec.eof:
            # A member ended: what follows is a new gzip member, zstd frame, bz2/xz stream.
            # zlib repeats the bytes after the member in unconsumed_tail: not twice.
            tail = b"" if self._kind == "gzip" else bytes(self._input)
            rest = bytes(self._dec.unused_data) + tail
            self._dec = _new_decompressor(self._kind)
            self._input = memoryview(rest)
            self._in_member = bool(rest)
        return out

    def _fill(self) -> None:
        parts: list[bytes] = []
        size = 0
        while not parts and not self._done:
            if self._wants_input():
                chunk = self._raw.read(_READ_SIZE)
                if not chunk:
                    self._done = True
                    if self._in_member:
                        self.truncation = (
                            f"{self._kind} stream ends early after {self.compressed_read:,} "
                            f"compressed bytes ({self.delivered:,} bytes decompressed)"
                        )
                    return
                self._input = memoryview(chunk)
                self.compressed_read += len(chunk)
            # Small outputs (zstd pieces) are gathered into one larger block.
            while size < _OUT and not self._wants_input():
                try:
                    out = self._step()
                except _ERRORS as error:
                    self._done = True
                    self.truncation = (
                        f"corrupt {self._kind} data near compressed byte "
                        f"{self.compressed_read:,} ({self.delivered + size:,} bytes "
                        f"decompressed): {error}"
                    )
                    break
                if out:
                    parts.append(out)
                    size += len(out)
            if self.delivered + size > self._limit:
                self._done = True
                self.stop_kind = "input.too_large"
                self.truncation = (
                    f"decompressed data passed {self._limit:,} bytes (--max-inflate-ratio "
                    f"times the {self.compressed_size:,}-byte file, or 64 MiB): a "
                    "decompression bomb or a file too large to check; reading stopped"
                )
                keep = max(0, self._limit - self.delivered)
                parts, size = [b"".join(parts)[:keep]], keep
        self._pending = memoryview(b"".join(parts))

    @property
    def compressed_size(self) -> int:
        try:
            return os.fstat(self._raw.fileno()).st_size
        except (OSError, io.UnsupportedOperation):
            return self.compressed_read

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        if not self._pending:
            self._fill()
        size = min(len(buffer), len(self._pending))
        buffer[:size] = self._pending[:size]
        self._pending = self._pending[size:]
        self.delivered += size
        return size

    def close(self) -> None:
        if not self.closed:
            self._raw.close()
        super().close()


class DecompressedReader(io.BufferedReader):
    """A buffered binary stream; after EOF, :attr:`truncation` is set if the data was cut."""

    def __init__(self, raw: _DecompressingRaw) -> None:
        super().__init__(raw, buffer_size=_READ_SIZE)
        self._decompressing = raw

    @property
    def truncation(self) -> str | None:
        return self._decompressing.truncation

    @property
    def stop_kind(self) -> str:
        return self._decompressing.stop_kind


def open_binary(file: InputFile, limits: IngestLimits = DEFAULT_LIMITS) -> BinaryIO:
    """Open ``file`` for binary reading, decompressing on the fly (streaming, bounded).

    For compressed files the result is a :class:`DecompressedReader`: a damaged or
    truncated archive reads up to the damage, then ends; check :func:`truncation_of`.
    """
    # A 64 KiB buffer lets readers peek at a file's head (encoding sniffing) for free.
    raw = open_source(file, buffering=1 << 16)
    if file.compression is None:
        return raw
    if file.compression not in COMPRESSIONS:
        raw.close()
        raise ValueError(f"unknown compression {file.compression!r}")
    limit = limits.inflate_limit(source_size(file, raw))
    return DecompressedReader(_DecompressingRaw(raw, file.compression, file.display, limit))


def truncation_of(stream: BinaryIO) -> str | None:
    """Why a stream from :func:`open_binary` stopped early, or ``None`` if it did not."""
    # Wrappers (recoding) pass their inner stream's truncation through.
    value = getattr(stream, "truncation", None)
    return value if isinstance(value, str) else None


def stop_kind_of(stream: BinaryIO) -> str:
    """The finding a stop of :func:`truncation_of` is: ``input.truncated`` (damage), or
    ``input.too_large`` (the inflate bound: a bomb); both lose records in unknown amount."""
    value = getattr(stream, "stop_kind", None)
    return value if isinstance(value, str) else "input.truncated"
