"""Per-value converters: a record field's JSON value as the text of a draft column.

Shared by the per-record mapping (:mod:`corpus_qa.ingest.fields`) and, for values that
are not plain text, the columnar one (:mod:`corpus_qa.ingest.columnar`).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from corpus_qa.ingest.outlets import is_url

Image = dict[str, Any]


class JsonNumber(str):
    """A JSON number kept as its source text (``1.50e3`` stays ``"1.50e3"``)."""

    __slots__ = ()


class BadField(ValueError):
    """A field holds a value of a type that cannot be read as that column."""


def type_name(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, JsonNumber | int | float | Decimal) and not isinstance(value, bool):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, list | tuple):
        return "a list"
    return f"a {type(value).__name__}"


def scalar_text(value: object, name: str, *, blank_is_none: bool = True) -> str | None:
    """A scalar as text as written (JSON numbers arrive as their source text)."""
    if value is None:
        return None
    if isinstance(value, str):
        text = str(value)  # a plain str, also for JsonNumber
    elif isinstance(value, bool):
        text = "true" if value else "false"
    elif isinstance(value, int | float | Decimal):
        text = str(value)
    elif isinstance(value, dt.datetime | dt.date | dt.time):
        text = value.isoformat()
    else:
        raise BadField(f"field {name!r} is {type_name(value)}, expected text")
    return None if blank_is_none and not text.strip() else text


def body_text(value: object, name: str) -> str | None:
    # Some scrapers store paragraphs as a list of strings: keep them as paragraphs.
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        value = "\n\n".join(value)
    elif isinstance(value, dict) and "sections" in value:
        value = _sections_text(value, name)
    return scalar_text(value, name)


def _sections_text(value: dict[str, Any], name: str) -> str:
    """fundus' article body: a summary, then sections of headline and paragraphs."""
    parts: list[object] = list(value.get("summary") or [])
    for section in value.get("sections") or []:
        if not isinstance(section, dict):
            raise BadField(f"field {name!r} holds a section that is not an object")
        parts += [*(section.get("headline") or []), *(section.get("paragraphs") or [])]
    texts = [scalar_text(part, name) for part in parts]
    return "\n\n".join(t.strip() for t in texts if t is not None)


def byline_text(value: object, name: str) -> str | None:
    """An author field: a string, a list of strings, or ``{"name": ...}`` objects."""
    items = value if isinstance(value, list) else [value]
    names: list[str] = []
    for item in items:
        if isinstance(item, dict):
            if "name" not in item:
                raise BadField(f"field {name!r} holds an object without 'name'")
            item = item["name"]
        text = scalar_text(item, name)
        if text is not None:
            names.append(text.strip())
    return ", ".join(names) or None


def outlet_text(value: object, name: str) -> str | None:
    if isinstance(value, dict) and "name" in value:
        value = value["name"]  # e.g. NewsAPI's {"id": ..., "name": ...}
    return scalar_text(value, name)


def image_list(value: object, name: str, line: int) -> list[Image]:
    """Images as ``{"alt", "src", "line"}`` dicts: from a list of objects or of URLs, or one."""
    if value is None:
        return []
    items = value if isinstance(value, list) else [value]
    images: list[Image] = []
    for item in items:
        if isinstance(item, dict):
            src = item.get("src")
            if src is None:
                src = item.get("url")
            if src is None:
                src = _first_version(item)
            alt = item.get("alt")
            if alt is None:
                alt = item.get("caption")
        elif (isinstance(item, str) and not isinstance(item, JsonNumber)) or item is None:
            src, alt = item, None
        else:
            raise BadField(f"field {name!r} holds {type_name(item)}, expected an image or URL")
        if isinstance(src, dict | list) or isinstance(alt, dict | list):
            raise BadField(f"field {name!r} holds {type_name(item)} that is not an image")
        src_text = scalar_text(src, name)
        if src_text is None:
            continue  # an image without a source cannot be checked or shown
        images.append({"alt": scalar_text(alt, name) or "", "src": src_text, "line": line})
    return images


def _first_version(item: dict[str, Any]) -> object:
    """fundus' image: ``{"versions": [{"url": ...}, ...], "caption": ...}``."""
    versions = item.get("versions")
    if isinstance(versions, list) and versions and isinstance(versions[0], dict):
        return versions[0].get("url")
    return None


def url_text(value: object, name: str) -> str | None:
    """A URL field: text that is a URL, else nothing (NewsAPI's ``source`` is an object)."""
    if isinstance(value, dict | list):
        return None
    text = scalar_text(value, name)
    return text if text is not None and is_url(text) else None
