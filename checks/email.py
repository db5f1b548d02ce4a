"""E-mail addresses mangled by the scraper or by the site's protection."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import ClassVar

import numpy as np
import pandas as pd

from corpus_qa.checks.api import Check, find_spans, hits, led_finditer
from corpus_qa.model import Severity

TEXT_FIELDS = ("title", "body")

# RE2-friendly (no lookaround, ASCII classes): the local part, the "@" and whatever
# domain characters follow. Whether the domain is complete is decided afterwards, on
# the few rows that contain an "@" at all.
_ADDRESS = r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]*"
_ADDRESS_RE = re.compile(_ADDRESS)
_LOCAL = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._%+-")
_COMPLETE_DOMAIN = re.compile(r"[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
# Whitespace as an explicit ASCII class: pandas sends ``\s`` to Python's re (RE2's
# ``\s`` misses ``\v``), which is many times slower.
_OBFUSCATED = (
    r"\[email(?:[\t\n\v\f\r ]|&#160;|&nbsp;)*protected\]"
    r"|/cdn-cgi/l/email-protection[^\t\n\v\f\r )\]\"']*"
)
# Every placeholder starts with one of these; both start with a rare character, so
# two memchr-speed RE2 passes find the few texts that hold one (a pass for
# "protect", whose "p" is common, would stop at every "p" of every body).
_OBFUSCATED_LEADS = ("[email", "/cdn-cgi/l/email-protection")
_OBFUSCATED_FINDITER = led_finditer(re.compile(_OBFUSCATED), _OBFUSCATED_LEADS)


def _addresses(text: str) -> Iterator[re.Match[str]]:
    """``_ADDRESS_RE.finditer(text)``, tried only where an "@" is.

    A match is a run of local-part characters, an "@" and its domain, and "@" is in
    neither class: so the next match starts where the run before the next "@" starts.
    Python's ``re`` would try every position of a long body instead.
    """
    done = 0
    at = text.find("@")
    while at >= 0:
        start = at
        while start > done and text[start - 1] in _LOCAL:
            start -= 1
        match = _ADDRESS_RE.match(text, start) if start < at else None
        if match is not None:
            yield match
            done = match.end()
        else:
            done = at + 1
        at = text.find("@", done)


class EmailTruncated(Check):
    """An e-mail address whose domain was cut off.

    What it catches
    ---------------
    A local part and an ``@`` with no domain after it, as in
    ``He can be reached at robertjfouser@ The views ...``. The evidence is the local
    part with its ``@``.

    Scope: per record; each article (and its images) is judged on its own, chunk by
    chunk.

    Why it matters
    --------------
    The site rendered the address as a link or through an e-mail-protection script
    and the scraper kept only the text node before it. The article now ends in a
    broken fragment, and every other article of that outlet has lost the same text.

    Example
    -------
    ``Robert J. Fouser ... writes on Korea from Providence, Rhode Island. He can be
    reached at robertjfouser@ The views expressed here are the writer's own.``

    How to fix the scraper
    ----------------------
    Take the address from the link's ``href`` (``mailto:``) instead of its text, or
    decode Cloudflare's ``data-cfemail`` attribute. If contact lines are not wanted,
    drop the whole sentence rather than part of it.
    """

    id: ClassVar[str] = "email.truncated"
    name: ClassVar[str] = "Truncated e-mail address"
    severity: ClassVar[Severity] = "error"

    def run(self, articles: pd.DataFrame, images: pd.DataFrame) -> pd.DataFrame:
        frames = []
        for field in TEXT_FIELDS:
            spans = find_spans(
                articles[field].astype("str"), _ADDRESS, prefilter="@", finditer=_addresses
            )
            if spans.empty:
                continue
            # Plain Python on the few matches: a pandas partition costs more than the scan.
            parts = [str(match).partition("@") for match in spans["match"].tolist()]
            truncated = np.array(
                [_COMPLETE_DOMAIN.fullmatch(d.rstrip(".")) is None for _, _, d in parts], dtype=bool
            )
            spans = spans[truncated]
            local_len = np.array(
                [len(p[0]) for p, cut in zip(parts, truncated.tolist(), strict=True) if cut],
                dtype="int64",
            )
            frames.append(
                hits(
                    spans["row"].to_numpy(),
                    field,
                    "e-mail address without a domain: the scraper cut the address off",
                    start=spans["start"].tolist(),
                    end=(spans["start"].to_numpy() + local_len + 1).tolist(),
                )
            )
        return pd.concat(frames, ignore_index=True) if frames else hits([], "", "")


class EmailObfuscated(Check):
    """An e-mail-protection placeholder left in the text.

    What it catches
    ---------------
    ``[email protected]`` and ``/cdn-cgi/l/email-protection#...`` links: Cloudflare's
    e-mail obfuscation replaced an address, and the scraper kept the placeholder.

    Scope: per record; each article (and its images) is judged on its own, chunk by
    chunk.

    Why it matters
    --------------
    The placeholder is not text the author wrote. It leaks into search indexes and
    training data as noise, and it shows the scraper ran without the JavaScript or the
    decoding that would have restored the address.

    Example
    -------
    ``For tips, write to [email protected] or call ...``

    How to fix the scraper
    ----------------------
    Decode the ``data-cfemail`` attribute (a hex string XOR-ed with its first byte)
    of the ``__cf_email__`` element, or remove the element before extracting text.
    """

    id: ClassVar[str] = "email.obfuscated"
    name: ClassVar[str] = "Obfuscated e-mail placeholder"
    severity: ClassVar[Severity] = "error"

    def run(self, articles: pd.DataFrame, images: pd.DataFrame) -> pd.DataFrame:
        frames = []
        for field in TEXT_FIELDS:
            spans = find_spans(
                articles[field].astype("str"),
                _OBFUSCATED,
                prefilter=_OBFUSCATED_LEADS,
                finditer=_OBFUSCATED_FINDITER,
            )
            if not spans.empty:
                frames.append(
                    hits(
                        spans["row"].to_numpy(),
                        field,
                        "e-mail protection placeholder instead of an address",
                        start=spans["start"].tolist(),
                        end=spans["end"].tolist(),
                    )
                )
        return pd.concat(frames, ignore_index=True) if frames else hits([], "", "")
