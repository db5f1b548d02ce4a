"""Bounding what report.html embeds, so the page stays small whatever the dump holds.

report.json keeps its (already capped) evidence in full; the page is for a person and
must open in a browser. One record with 200,000 images, a 1 MB title or outlet name,
or a hundred thousand outlets would otherwise make a page of tens of megabytes. So
every string is cut to a fixed length (marked as cut), a record view shows a fixed
number of images, and the outlets shown are capped. If the page's data is still over
:data:`MAX_PAGE_BYTES`, stricter levels apply until it fits.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from corpus_qa.reports.escape import truncate

#: The embedded data's size bound (the page adds its fixed CSS and script to it).
MAX_PAGE_BYTES = 4_000_000


@dataclass(frozen=True)
class Level:
    """How hard one pass cuts: characters per string, per record body, images per
    record view, samples per check, outlets shown (``None``: not cut)."""

    chars: int
    body_chars: int
    images: int
    samples: int | None
    outlets: int | None


#: Tried in order; the first whose data fits :data:`MAX_PAGE_BYTES` is used.
LEVELS = (
    Level(chars=2_000, body_chars=20_000, images=100, samples=None, outlets=400),
    Level(chars=500, body_chars=4_000, images=20, samples=20, outlets=200),
    Level(chars=200, body_chars=1_000, images=5, samples=5, outlets=50),
    Level(chars=80, body_chars=200, images=0, samples=1, outlets=10),
)


def _cut(value: Any, chars: int) -> Any:
    """``value`` with every string (dict keys included) cut to ``chars`` characters."""
    if isinstance(value, str):
        return truncate(value, chars)
    if isinstance(value, dict):
        return {
            _cut(k, chars) if isinstance(k, str) else k: _cut(v, chars) for k, v in value.items()
        }
    if isinstance(value, list | tuple):
        return [_cut(item, chars) for item in value]
    return value


def _kept_outlets(data: dict[str, Any], limit: int) -> set[str]:
    """The ``limit`` largest outlets and the ``limit`` with most records hit."""
    outlets: dict[str, Any] = data.get("outlets") or {}
    if len(outlets) <= limit:
        return set(outlets)
    by_size = sorted(outlets, key=lambda o: (-int(outlets[o] or 0), o))[:limit]
    hits: dict[str, int] = {}
    for check in data.get("checks", []):
        for outlet, row in (check.get("by_outlet") or {}).items():
            hits[outlet] = hits.get(outlet, 0) + int(row.get("records") or 0)
    by_hits = sorted((o for o in hits if hits[o]), key=lambda o: (-hits[o], o))[:limit]
    return {*by_size, *by_hits}


def _flagged_images(samples: list[dict[str, Any]]) -> dict[str, set[int]]:
    """Record id -> image positions a sampled finding names (``images[3].alt``)."""
    flagged: dict[str, set[int]] = {}
    for sample in samples:
        field = str(sample.get("field") or "")
        if field.startswith("images[") and "]" in field:
            try:
                position = int(field[len("images[") : field.index("]")])
            except ValueError:
                continue
            flagged.setdefault(str(sample.get("record_id")), set()).add(position)
    return flagged


def _record(view: dict[str, Any], level: Level, flagged: set[int]) -> dict[str, Any]:
    view = dict(view)
    body = view.get("body")
    if isinstance(body, str) and len(body) > level.body_chars:
        view["body"] = body[: level.body_chars]
        view["body_truncated"] = True
    images = list(view.get("images") or [])
    if len(images) > level.images:
        kept = images[: level.images] + [
            image
            for image in images[level.images :]
            if isinstance(image, dict) and image.get("position") in flagged
        ]
        view["images"] = kept
        view["images_total"] = len(images)
    return view


def bound_page(data: dict[str, Any], level: Level) -> dict[str, Any]:
    """A copy of the page's data cut to ``level``; ``page_cut`` says whether anything was."""
    data = dict(data)
    checks = [dict(check) for check in data.get("checks", [])]
    if level.outlets is not None:
        keep = _kept_outlets(data, level.outlets)
        outlets = data.get("outlets") or {}
        if len(outlets) > len(keep):
            data["outlets"] = {o: n for o, n in outlets.items() if o in keep}
            data["outlets_total"] = len(outlets)
            for check in checks:
                by_outlet = check.get("by_outlet") or {}
                check["by_outlet"] = {o: r for o, r in by_outlet.items() if o in keep}
    if level.samples is not None:
        for check in checks:
            check["samples"] = list(check.get("samples") or [])[: level.samples]
    data["checks"] = checks
    samples = [s for check in checks for s in check.get("samples") or []]
    cited = {str(s.get("record_id")) for s in samples}
    flagged = _flagged_images(samples)
    data["records"] = {
        record_id: _record(view, level, flagged.get(record_id, set()))
        for record_id, view in (data.get("records") or {}).items()
        if record_id in cited
    }
    records = data.pop("records")
    data = _cut(data, level.chars)
    # A body has its own, longer cut (in _record); every other string gets the level's.
    data["records"] = {
        truncate(record_id, level.chars): {
            key: value if key == "body" else _cut(value, level.chars) for key, value in view.items()
        }
        for record_id, view in records.items()
    }
    return data
