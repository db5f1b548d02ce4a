"""Times as people read them, with the exact ISO 8601 value kept in a tooltip."""

from __future__ import annotations

import html
from datetime import UTC, datetime


def readable(iso: str) -> str:
    """``2026-12-06T14:02:13.95+00:00`` -> ``6 Dec 2026, 14:02 UTC``; other text as is."""
    try:
        moment = datetime.fromisoformat(iso)
    except ValueError:
        return iso
    if moment.tzinfo is None:
        return f"{moment.day} {moment:%b %Y, %H:%M}"
    moment = moment.astimezone(UTC)
    return f"{moment.day} {moment:%b %Y, %H:%M} UTC"


def time_html(iso: object) -> str:
    """A ``<time>`` element: readable UTC text (the page's script shows it in the
    reader's own time zone), the ISO value in ``datetime`` and ``title``."""
    text = str(iso)
    exact = html.escape(text)
    return f'<time datetime="{exact}" title="{exact}">{html.escape(readable(text))}</time>'
