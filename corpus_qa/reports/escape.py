"""Text from a dump shown on a terminal: escaped, so it cannot drive the terminal.

A file name may hold ``ESC [ 2 J`` or a carriage return; printed raw it would clear
the screen or overwrite the verdict line. Printable characters (any script) pass
through; control characters, escape sequences and bidirectional overrides are shown
as ``\\xNN`` / ``\\uNNNN``.
"""

from __future__ import annotations

import re
import unicodedata

# Bidirectional overrides and isolates reorder what follows them ("Trojan Source").
_BIDI = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f")
#: Any of :data:`_BIDI`: one scan in C, not a set of every character of the text.
_BIDI_SEARCH = re.compile("[" + "".join(sorted(_BIDI)) + "]").search


def _escape(char: str) -> str:
    code = ord(char)
    if code < 0x100:
        return f"\\x{code:02x}"
    if code < 0x10000:
        return f"\\u{code:04x}"
    return f"\\U{code:08x}"


def is_printable(text: str) -> bool:
    """Whether :func:`printable` gives ``text`` back as it is."""
    return text.isprintable() and _BIDI_SEARCH(text) is None


def printable(text: str) -> str:
    """``text`` with every character that is not safely printable escaped (one line)."""
    if is_printable(text):
        return text
    out = []
    for char in text:
        unsafe = char in _BIDI or not char.isprintable()
        unsafe = unsafe or unicodedata.category(char) in ("Cc", "Cf", "Zl", "Zp")
        out.append(_escape(char) if unsafe else char)
    return "".join(out)


def truncate(text: str, limit: int) -> str:
    """``text`` cut to ``limit`` characters, marked with how long it was."""
    if len(text) <= limit:
        return text
    return f"{text[:limit]}… [truncated, {len(text):,} characters]"


def printable_lines(text: str) -> str:
    """:func:`printable` per line: newlines kept, every other control character escaped."""
    return "\n".join(printable(line) for line in text.split("\n"))
