"""Outlets and URLs of extractor records: a URL is never an outlet.

An outlet is the record's explicit site name (``sitename``, ``meta_site_name`` ...)
or, failing that, the registrable domain of its URL (``www.bbc.co.uk`` ->
``bbc.co.uk``), from the Public Suffix List that :mod:`publicsuffixlist` bundles
(never fetched). A site field that holds a URL or a bare host name is reduced to its
registrable domain too. Each rule exists once as a pattern, applied per value
(:mod:`corpus_qa.ingest.fields`) and per Arrow column (:mod:`corpus_qa.ingest.columnar`).
"""

from __future__ import annotations

import re
from functools import lru_cache

import pyarrow as pa
import pyarrow.compute as pc
from publicsuffixlist import PublicSuffixList

#: A value that is a URL: ``scheme://``, ``//host`` or ``host.tld`` plus a path.
URL_PATTERN = (
    r"^\s*(?:[A-Za-z][A-Za-z0-9+.\-]*:)?//[^\s/?#]"
    r"|^\s*[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)+(?::[0-9]+)?[/?#]\S*\s*$"
)
#: A site field holding a URL or a bare host (``www.taz.de``, ``tdg.ch``): a domain.
HOSTLIKE_PATTERN = URL_PATTERN + r"|^\s*[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)+\.?(?::[0-9]+)?\s*$"
#: The host of a URL (or of a bare host name), as group ``host``.
HOST_PATTERN = r"^\s*(?:(?:[A-Za-z][A-Za-z0-9+.\-]*:)?//)?(?:[^@/?#\s]*@)?(?P<host>[^/?#:\s]+)"
_URL = re.compile(URL_PATTERN)
_HOSTLIKE = re.compile(HOSTLIKE_PATTERN)
_HOST = re.compile(HOST_PATTERN)


@lru_cache(maxsize=1)
def _suffixes() -> PublicSuffixList:
    return PublicSuffixList()  # the bundled snapshot: no network


@lru_cache(maxsize=65_536)
def registrable_domain(host: str) -> str:
    """``host``'s registrable domain (lower case), or the host itself when it has none
    (an IP address, ``localhost``, a public suffix)."""
    host = host.strip().rstrip(".").lower()
    return _suffixes().privatesuffix(host) or host


def is_url(text: str) -> bool:
    return _URL.search(text) is not None


def url_domain(text: str) -> str | None:
    """The registrable domain of a URL or host name, ``None`` when it names no host."""
    found = _HOST.match(text)
    return registrable_domain(found["host"]) if found and "." in found["host"] else None


def outlet_name(text: str) -> str:
    """A site field's value as an outlet: a URL or host becomes its registrable domain."""
    if _HOSTLIKE.search(text) is not None:
        return url_domain(text) or text.strip()
    return text


def record_outlet(outlet: str | None, url: str | None) -> str | None:
    """The outlet of one record: its site field, else its URL's registrable domain."""
    if outlet is not None:
        return outlet_name(outlet)
    return None if url is None else url_domain(url)


def arrow_urls(text: pa.ChunkedArray) -> pa.ChunkedArray:
    """Values that are URLs as they are, others null (a name is no URL)."""
    if text.null_count == len(text):
        return text
    keep = pc.match_substring_regex(text, URL_PATTERN)
    return pc.if_else(keep, text, pa.scalar(None, pa.large_string()))


def _domains(values: pa.ChunkedArray) -> pa.ChunkedArray:
    """Registrable domains of URL or host values, by distinct host (few per chunk)."""
    hosts = pc.struct_field(pc.extract_regex(values, HOST_PATTERN), "host")
    distinct = pc.unique(hosts).drop_null()
    names = [registrable_domain(h) if "." in h else None for h in distinct.to_pylist()]
    mapped = pa.array(names, pa.large_string())
    return pc.take(mapped, pc.index_in(hosts, value_set=distinct))


def arrow_outlets(outlet: pa.ChunkedArray, url: pa.ChunkedArray) -> pa.ChunkedArray:
    """:func:`record_outlet` over columns (``large_string``, blank already null)."""
    outlet = outlet.cast(pa.large_string())
    if outlet.null_count < len(outlet):
        hostlike = pc.fill_null(pc.match_substring_regex(outlet, HOSTLIKE_PATTERN), False)
        if pc.any(hostlike).as_py():
            domains = pc.coalesce(_domains(outlet), pc.utf8_trim_whitespace(outlet))
            outlet = pc.if_else(hostlike, domains, outlet)
    if outlet.null_count == 0 or url.null_count == len(url):
        return outlet
    return pc.coalesce(outlet, _domains(url.cast(pa.large_string())))
