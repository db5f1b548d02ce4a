"""Streaming decompression of gzip and zstd files, with truncation reported, not raised.

A truncated archive is common in scraped dumps (a crawler killed mid-write). Python's
``gzip`` module raises ``EOFError`` on it and, inside ``BufferedReader.read``, drops
the bytes it had already decompressed in that call. We decompress ourselves so every
byte that can be recovered is delivered, and the stream then ends like a normal EOF
with :attr:`DecompressedReader.truncation` saying where and why it stopped.
"""

from __future__ import annotations

import io
import zlib
from typing import BinaryIO, Protocol, cast

import zstandard

from corpus_qa.model import InputFile

_READ_SIZE = 1 << 20


class _Decompressor(Protocol):
    @property
    def eof(self) -> bool: ...

    @property
    def unused_data(self) -> bytes: ...

    def decompress(self, data: bytes) -> bytes: ...


def _new_decompressor(kind: str) -> _Decompressor:
    if kind == "gzip":
        return zlib.decompressobj(wbits=31)
    return cast(_Decompressor, zstandard.ZstdDecompressor().decompressobj())


class _DecompressingRaw(io.RawIOBase):
    """Raw stream over a compressed file; concatenated members/frames are read through."""

    def __init__(self, raw: BinaryIO, kind: str, name: str) -> None:
        self._raw = raw
        self._kind = kind
        self._name = name
        self._dec = _new_decompressor(kind)
        self._in_member = False
        self._pending = memoryview(b"")
        self._done = False
        self.compressed_read = 0
        self.delivered = 0
        self.truncation: str | None = None

    def readable(self) -> bool:
        return True

    def _feed(self, data: bytes) -> bytes:
        out = [self._dec.decompress(data)]
        self._in_member = True
        # A member ended and more bytes follow: a new gzip member or zstd frame.
        while self._dec.eof:
            rest = self._dec.unused_data
            self._dec = _new_decompressor(self._kind)
            self._in_member = bool(rest)
            if not rest:
                break
            out.append(self._dec.decompress(rest))
        return b"".join(out)

    def _fill(self) -> None:
        while not self._pending and not self._done:
            chunk = self._raw.read(_READ_SIZE)
            if not chunk:
                self._done = True
                if self._in_member:
                    self.truncation = (
                        f"{self._kind} stream ends early after {self.compressed_read:,} compressed "
                        f"bytes ({self.delivered:,} bytes decompressed)"
                    )
                return
            try:
                self._pending = memoryview(self._feed(chunk))
            except (zlib.error, zstandard.ZstdError) as error:
                self._done = True
                self.truncation = (
                    f"corrupt {self._kind} data near compressed byte {self.compressed_read:,} "
                    f"({self.delivered:,} bytes decompressed): {error}"
                )
                return
            self.compressed_read += len(chunk)

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
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


def open_binary(file: InputFile) -> BinaryIO:
    """Open ``file`` for binary reading, decompressing gzip/zstd on the fly (streaming).

    For compressed files the result is a :class:`DecompressedReader`: a damaged or
    truncated archive reads up to the damage, then ends; check :func:`truncation_of`.
    """
    # A 64 KiB buffer lets readers peek at a file's head (encoding sniffing) for free.
    raw: BinaryIO = open(file.path, "rb", buffering=1 << 16)  # noqa: SIM115
    if file.compression is None:
        return raw
    if file.compression not in ("gzip", "zstd"):
        raw.close()
        raise ValueError(f"unknown compression {file.compression!r}")
    return DecompressedReader(_DecompressingRaw(raw, file.compression, file.display))


def truncation_of(stream: BinaryIO) -> str | None:
    """Why a stream from :func:`open_binary` stopped early, or ``None`` if it did not."""
    # Wrappers (recoding) pass their inner stream's truncation through.
    value = getattr(stream, "truncation", None)
    return value if isinstance(value, str) else None
