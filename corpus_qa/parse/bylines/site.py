"""What a page says about its own site: the outlet's name, and links that name a person.

Bylines must not be the outlet's own name ("Harbour Ledger" on harbour-ledger.example,
"The Morning Lamp" linking to themorninglamp.example). No list of outlets is kept: the
site is learned from the page itself, as the host most of its links point to (links of
a web-archive capture, ``https://ARCHIVE/web/20240102030405/https://site/...``, are
unwrapped to the archived host, and the archive's own host is never the site), and a
name is the site's when its letters spell one of that host's labels.

A link whose target spells the linked name ("[Marie Muster](https://x.example/muster-marie/1.html)",
"/in/mariemuster") is a profile link: a person's page, wherever its path lives.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from urllib.parse import unquote

from corpus_qa.parse.bylines.names import LINK_RE, clean, known_given_name

#: A capture's address: the archive's host, ``/web/``, a timestamp (and a mode suffix).
_ARCHIVE_RE = re.compile(r"^https?://([^/?#:\s]+)/web/[0-9]{4,14}[a-z_]*/(?:https?://)?", re.I)
#: Second-level labels of two-part country domains ("co.uk", "com.br").
_NOISE_LABELS = frozenset(["www", "m", "amp", "blog", "blogs", "news", "web", "com", "org", "net", "co", "gov", "ac", "edu"])  # fmt: skip
#: Least letters a site label must have to be compared with a name (not "tz", "ap").
_MIN_LABEL = 4


def fold(text: str) -> str:
    """Lower-case letters and digits only, accents removed ("Führes" -> "fuhres")."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if c.isalnum() and not unicodedata.combining(c))


def host_of(url: str) -> str | None:
    url = _ARCHIVE_RE.sub("https://", url)
    match = re.match(r"(?i)^(?:https?:)?//([^/?#:\s]+)", url)
    return match.group(1).lower() if match else None


def site_labels(texts: Iterable[str]) -> frozenset[str]:
    """Folded registered name of the page's own host (see :func:`site_host`)."""
    host = site_host(texts)
    return labels_of(host) if host else frozenset()


def labels_of(host: str) -> frozenset[str]:
    """The registered name of ``host`` ("harbour-ledger" for www.harbour-ledger.example).

    Subdomains are left out: on a blog host ("anaruiz.blogs.example") they name the
    blogger, who is the author there, not the outlet.
    """
    parts = [fold(p) for p in host.split(".") if p]
    if len(parts) >= 3 and parts[-2] in _NOISE_LABELS and len(parts[-1]) == 2:
        parts = parts[:-1]  # "example.co.uk", "example.com.br"
    label = parts[-2] if len(parts) >= 2 else ""
    return frozenset([label]) if len(label) >= _MIN_LABEL else frozenset()


def is_site_name(name: str, labels: frozenset[str]) -> bool:
    """Whether ``name`` spells the site ("Der Abendbote" for derabendbote.example)."""
    folded = fold(name)
    if len(folded) < _MIN_LABEL:
        return False
    for label in labels:
        # Equality only: a one-person site spells its owner ("anaruiz.example"), and
        # the owner is the author there.
        if folded == label:
            return True
        # "The Morning Lamp" / "themorninglamp": an article before the name.
        if label.endswith(folded) and len(label) - len(folded) <= 3:
            return True
    return False


def spells_name(url: str, name: str) -> bool:
    """Whether the link target holds every word of ``name`` (a profile page's slug, a
    mailbox's local part)."""
    words = [w for w in name.split() if len(fold(w)) >= 2]
    if len(words) < 2:
        return False
    if url.lower().startswith("mailto:"):
        # "[Ana Ruiz](mailto:ana.ruiz@x.example)": the mailbox spells its owner.
        path = fold(unquote(url[7:]).partition("@")[0])
    else:
        path = fold(unquote(_ARCHIVE_RE.sub("https://", url)).split("//", 1)[-1].partition("/")[2])
    # "Rövekamp" is "rovekamp" folded but "roevekamp" in German addresses.
    return all(fold(w) in path or fold(_transliterate(w)) in path for w in words)


def _transliterate(word: str) -> str:
    table = {"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue", "ß": "ss"}
    return "".join(table.get(c, c) for c in word)


def site_host(texts: Iterable[str]) -> str | None:
    """The host most links of the page point to (archive captures unwrapped)."""
    hosts: Counter[str] = Counter()
    archives: set[str] = set()
    for text in texts:
        if "](" not in text:
            continue
        for url in re.findall(r"\]\(([^)\s]+)", text):
            capture = _ARCHIVE_RE.match(url)
            if capture:
                archives.add(capture.group(1).lower())
            host = host_of(url)
            if host:
                hosts[host] += 1
    # The archive's own links (its toolbar, its calendar) are no site's.
    for archive in archives:
        hosts.pop(archive, None)
    return hosts.most_common(1)[0][0] if hosts else None


def host_names(host: str) -> frozenset[str]:
    """Every label of ``host`` long enough to spell a person's full name, subdomains
    included ("anaruiz" for anaruiz.blog.example): a one-person site's owner."""
    parts = [fold(p) for p in host.split(".")[:-1]]
    return frozenset(
        p for p in parts if len(p) >= 8 and p not in _NOISE_LABELS and _opens_with_given_name(p)
    )


def _opens_with_given_name(label: str) -> bool:
    """Whether ``label`` starts with a known given name and goes on for a surname
    ("gretasommer"): an outlet's label ("stadtboteexample") does not."""
    return any(known_given_name(label[:k]) for k in range(3, len(label) - 2))


def not_site_of_links(names: str, text: str, *, bare: bool = False) -> str | None:
    """``names`` without those that spell the host their own link points to.

    "von [Google](https://policies.google.com/...)" names a company, not an author.
    """
    hosts = {clean(t): host_of(url) for t, url in LINK_RE.findall(text)}
    kept = []
    for name in names.split(", "):
        host = next((h for t, h in hosts.items() if h and name in t), None)
        # Only a one-word name: "Ana Ruiz" may well link to her own anaruiz.example.
        if host is None or (" " in name and not bare) or not is_site_name(name, labels_of(host)):
            kept.append(name)
    return ", ".join(kept) or None


def not_site(names: str | None, site: frozenset[str]) -> str | None:
    """``names`` without the outlet's own name (learned from the page's links).

    A person's full name that spells the host ("Ana Ruiz" on anaruiz.example) is the
    owner of a one-person site, and so its author: it stays.
    """
    if names is None:
        return None
    kept = [
        n
        for n in names.split(", ")
        if not is_site_name(n, site) or (" " in n and known_given_name(n))
    ]
    return ", ".join(kept) or None
