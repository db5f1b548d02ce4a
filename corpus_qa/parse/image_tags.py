"""Markdown image tags as scrapers write them, and image-proxy URLs.

Scraped alt texts often contain brackets (``![[Robert J. Fouser] Japan lurches
right](...)``), which the usual ``!\\[([^\\]]*)\\]`` regex cuts at the first ``]``;
tags are therefore found with a small bracket-balancing scanner instead.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import unquote

#: Next.js image optimizer: ``[https://host]/_next/image?url=<pct-encoded>&w=..``.
NEXT_IMAGE_PATTERN = (
    r"^(?:[A-Za-z][A-Za-z0-9+.-]*:)?(?://[^/?#]*)?/_next/image\?(?:[^#]*&)?url=(?P<url>[^&#]*)"
)
#: Cloudflare image resizing: ``[https://host]/cdn-cgi/image/<options>/<url>``.
CDN_CGI_PATTERN = (
    r"^(?P<host>(?:[A-Za-z][A-Za-z0-9+.-]*:)?//[^/?#]*)?"
    r"/cdn-cgi/image/(?P<opts>[^/]*)/(?P<inner>.+)"
)
#: An absolute URL (scheme and ``//``).
ABSOLUTE_URL_PATTERN = r"^[A-Za-z][A-Za-z0-9+.-]*://"
#: ``width=NN`` / ``w=NN`` among cdn-cgi options (comma separated).
CDN_WIDTH_PATTERN = r"(?:^|,)(?:width|w)=(?P<width>[0-9]{1,9})(?:,|$)"
#: ``w=NN`` / ``width=NN`` in a URL's query string (the proxy's own, not the
#: percent-encoded inner URL's: ``&`` and ``=`` are encoded there).
QUERY_WIDTH_PATTERN = r"[?&](?:w|width)=(?P<width>[0-9]{1,9})(?:[&#]|$)"

_NEXT_RE = re.compile(NEXT_IMAGE_PATTERN)
_CDN_RE = re.compile(CDN_CGI_PATTERN)
_CDN_WIDTH_RE = re.compile(CDN_WIDTH_PATTERN)
_QUERY_WIDTH_RE = re.compile(QUERY_WIDTH_PATTERN)


@dataclass(frozen=True)
class ImageTag:
    """One image tag on a line: ``start:end`` is the tag, ``outer_*`` includes a link
    wrapper ``[![alt](img)](link)`` when there is one."""

    alt: str
    src: str
    start: int
    end: int
    outer_start: int
    outer_end: int


def _close_bracket(text: str, open_at: int) -> int:
    """Index of the ``]`` matching the ``[`` at ``open_at``, or -1."""
    depth = 0
    i = open_at
    while i < len(text):
        char = text[i]
        if char == "\\":
            i += 2
            continue
        if char == "[":
            depth += 1
        elif char == "]":
            depth -= 1
            if depth == 0:
                return i
        i += 1
    return -1


def _destination(text: str, open_at: int) -> tuple[str, int] | None:
    """Parse ``(src "title")`` starting at the ``(``; return (src, index after ``)``)."""
    i = open_at + 1
    n = len(text)
    while i < n and text[i] in " \t":
        i += 1
    if i < n and text[i] == "<":
        close = text.find(">", i + 1)
        if close < 0:
            return None
        src, i = text[i + 1 : close], close + 1
    else:
        start, depth = i, 0
        while i < n:
            char = text[i]
            if char == "\\":
                i += 2
                continue
            if char in " \t":
                break
            if char == "(":
                depth += 1
            elif char == ")":
                if depth == 0:
                    break
                depth -= 1
            i += 1
        i = min(i, n)
        src = text[start:i]
    while i < n and text[i] in " \t":
        i += 1
    if i < n and text[i] in "\"'(":
        closer = ")" if text[i] == "(" else text[i]
        close = text.find(closer, i + 1)
        if close < 0:
            return None
        i = close + 1
        while i < n and text[i] in " \t":
            i += 1
    if i < n and text[i] == ")":
        return src, i + 1
    return None


def image_tags(line: str) -> list[ImageTag]:
    """All image tags of ``line``, left to right, with link wrappers located."""
    tags: list[ImageTag] = []
    pos = 0
    while True:
        start = line.find("![", pos)
        if start < 0:
            return tags
        close = _close_bracket(line, start + 1)
        if close < 0 or close + 1 >= len(line) or line[close + 1] != "(":
            pos = start + 2
            continue
        dest = _destination(line, close + 1)
        if dest is None:
            pos = start + 2
            continue
        src, end = dest
        outer_start, outer_end = start, end
        # A linked image ``[![alt](img)](link)``: the wrapper is part of the tag.
        if start > 0 and line[start - 1] == "[" and line.startswith("](", end):
            wrapped = _destination(line, end + 1)
            if wrapped is not None:
                outer_start, outer_end = start - 1, wrapped[1]
        tags.append(ImageTag(line[start + 2 : close], src, start, end, outer_start, outer_end))
        pos = outer_end


def iter_images(line: str) -> Iterator[tuple[str, str, int, int]]:
    """Yield ``(alt, src, start, end)`` for each image tag in ``line``."""
    for tag in image_tags(line):
        yield tag.alt, tag.src, tag.start, tag.end


def strip_images(line: str) -> str:
    """``line`` without its image tags (and their link wrappers), whitespace-trimmed."""
    tags = image_tags(line)
    if not tags:
        return line.strip()
    parts: list[str] = []
    pos = 0
    for tag in tags:
        parts.append(line[pos : tag.outer_start])
        pos = tag.outer_end
    parts.append(line[pos:])
    return " ".join(part.strip() for part in parts if part.strip())


def resolve_src(src: str) -> tuple[str, int | None]:
    """The real image behind a proxy URL, and the width it states (scalar reference
    of the vectorized form in :mod:`corpus_qa.tables.build`)."""
    width: int | None = None
    next_match = _NEXT_RE.match(src)
    cdn_match = None if next_match else _CDN_RE.match(src)
    if cdn_match:
        found = _CDN_WIDTH_RE.search(cdn_match["opts"])
        width = int(found["width"]) if found else None
    else:
        found = _QUERY_WIDTH_RE.search(src)
        width = int(found["width"]) if found else None
    if width == 0:
        width = None
    if next_match:
        return unquote(next_match["url"]), width
    if cdn_match:
        return cdn_target(cdn_match["host"], cdn_match["inner"]), width
    return src, width


def cdn_target(host: str | None, inner: str) -> str:
    """Target of a cdn-cgi URL: the inner URL if absolute, else a path on the same host."""
    if re.match(ABSOLUTE_URL_PATTERN, inner):
        return inner
    return f"{host or ''}/{inner}"
