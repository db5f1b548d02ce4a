"""Deterministic, realistic record dumps with known defects, for tests and benchmarks.

Every record says which defects were planted in it (``planted``), so a test can
compare corpus-qa's findings with the truth record by record. Two profiles:
``default`` bodies are 300 to 1,200 words of news-like prose in paragraphs, nearly all
with some non-ASCII sentence, and one image per article; ``mixed`` bodies have 8 to 10
paragraphs, about 40% of them any non-ASCII, and 2 or 3 images per article.
"""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

OUTLETS = ("Daily Ledger", "Harbor Times", "Nord Kurier", "Le Quotidien", "Seoul Wire")
AUTHORS = ("Ana Souza", "Jonas Weber", "Min-ji Park", "Claire Dubois", "Tom O'Neil", "Li Wei")
SENTENCES = (
    "The city council approved the budget after a long debate on Tuesday",
    "Officials said the new rules would take effect at the start of next year",
    "Analysts expect growth to slow as higher interest rates weigh on demand",
    "The ministry did not respond to a request for comment",
    "Residents gathered outside the town hall to protest the closure of the clinic",
    "Die Regierung kündigte weitere Maßnahmen für die Energieversorgung an",
    "Les négociations reprendront la semaine prochaine à Bruxelles",
    "Exporters warned that the tariffs could cost thousands of jobs",
    "The company reported a quarterly profit that beat market expectations",
    "Police said the investigation was continuing and urged witnesses to come forward",
    "서울시는 내년부터 새로운 교통 정책을 시행한다고 밝혔다",
    "The report found that emissions fell for the third year in a row",
)
TITLES = (
    "Council approves budget after marathon session",
    "Exporters brace for new tariffs",
    "Clinic closure sparks protest",
    "Profit beats forecasts as demand holds up",
    "Neue Maßnahmen für die Energieversorgung",
    "Emissions fall for third straight year",
)
DEFECTS = (
    "byline.missing",
    "email.truncated",
    "email.obfuscated",
    "boilerplate.leak",
    "date.relative",
    "date.missing",
    "text.flattened",
    "image.duplicate_tag",
    "image.logo_as_content",
    "record.duplicate",
    "record.near_duplicate",
)
#: Sentences of pure ASCII, for the ``mixed`` profile's ASCII-only bodies.
ASCII_SENTENCES = tuple(s for s in SENTENCES if s.isascii())
NON_ASCII_SENTENCES = tuple(s for s in SENTENCES if not s.isascii())
#: Varied tokens put into sentences so that unrelated bodies share few word 5-grams.
PLACES = ("Busan", "Lyon", "Hamburg", "Porto", "Osaka", "Leeds", "Gdansk", "Quebec", "Turin")


@dataclass(frozen=True)
class Rates:
    """Share of records that get each defect planted."""

    byline_missing: float = 0.08
    email_truncated: float = 0.01
    email_obfuscated: float = 0.01
    boilerplate_leak: float = 0.02
    date_relative: float = 0.05
    date_missing: float = 0.03
    text_flattened: float = 0.05
    image_duplicate_tag: float = 0.03
    image_logo_as_content: float = 0.03
    record_duplicate: float = 0.01
    #: A copy of an earlier story with a new first paragraph (syndication).
    record_near_duplicate: float = 0.01


@dataclass(frozen=True)
class Profile:
    """The shape of the generated articles (defects come from :class:`Rates`)."""

    #: Paragraphs per body (inclusive); None: paragraphs until 300-1,200 words.
    paragraphs: tuple[int, int] | None = None
    #: Share of bodies with any non-ASCII sentence; None: sentences drawn from all.
    non_ascii: float | None = None
    #: Distinct images per article before planted image defects (inclusive).
    images: tuple[int, int] = (1, 1)


PROFILES = {
    "default": Profile(),
    "mixed": Profile(paragraphs=(8, 10), non_ascii=0.4, images=(2, 3)),
}


def _paragraph(rng: random.Random, pool: tuple[str, ...]) -> str:
    sentences = []
    for _ in range(rng.randint(3, 6)):
        parts = rng.choice(pool).split()
        at = rng.randint(1, len(parts) - 1)
        parts[at:at] = [f"in {rng.choice(PLACES)} ({rng.randint(1, 99_999)})"]
        sentences.append(" ".join(parts) + ".")
    return " ".join(sentences)


def _body(rng: random.Random, words: int) -> list[str]:
    paragraphs: list[str] = []
    count = 0
    while count < words:
        paragraph = _paragraph(rng, SENTENCES)
        paragraphs.append(paragraph)
        count += len(paragraph.split())
    return paragraphs


def _profiled_body(rng: random.Random, profile: Profile) -> list[str]:
    assert profile.paragraphs is not None
    non_ascii = profile.non_ascii is None or rng.random() < profile.non_ascii
    pool = SENTENCES if non_ascii else ASCII_SENTENCES
    paragraphs = [_paragraph(rng, pool) for _ in range(rng.randint(*profile.paragraphs))]
    if non_ascii and all(p.isascii() for p in paragraphs):
        at = rng.randrange(len(paragraphs))
        paragraphs[at] += f" {rng.choice(NON_ASCII_SENTENCES)}."
    return paragraphs


def generate_records(
    n: int, *, seed: int = 7, rates: Rates | None = None, profile: str = "default"
) -> Iterator[dict[str, Any]]:
    """Yield ``n`` records (dicts ready for JSON); ``record["planted"]`` lists the defects.

    ``profile`` names one of :data:`PROFILES`; ``default`` gives the same records as
    before profiles existed, for the same seed.
    """
    shape = PROFILES[profile]
    rng = random.Random(seed)
    rates = rates or Rates()
    previous: list[dict[str, Any]] = []
    for index in range(n):
        if previous and rng.random() < rates.record_duplicate:
            original = rng.choice(previous)
            yield {**original, "id": f"a{index:08d}", "planted": ["record.duplicate"]}
            continue
        if previous and rng.random() < rates.record_near_duplicate:
            original = rng.choice(previous)
            lede = f"{rng.choice(OUTLETS)} reports: {rng.choice(SENTENCES)}."
            rest = str(original["text"]).split("\n\n", 1)[-1]
            copy = {**original, "id": f"a{index:08d}", "text": lede + "\n\n" + rest}
            # The new lede adds a paragraph break, so a flattened original's copy is not.
            kept = [d for d in original["planted"] if d != "text.flattened"]
            copy["planted"] = [*kept, "record.near_duplicate"]
            yield copy
            continue
        planted: list[str] = []
        outlet = rng.choice(OUTLETS)
        if shape.paragraphs is None:
            paragraphs = _body(rng, rng.randint(300, 1200))
        else:
            paragraphs = _profiled_body(rng, shape)
        author: str | None = rng.choice(AUTHORS)
        if rng.random() < rates.byline_missing:
            author = None
            planted.append("byline.missing")
        if rng.random() < rates.email_truncated:
            paragraphs.append("The author can be reached at newsdesk.reporter@ for comments.")
            planted.append("email.truncated")
        if rng.random() < rates.email_obfuscated:
            paragraphs.append("Send tips to [email protected] at any time.")
            planted.append("email.obfuscated")
        if rng.random() < rates.boilerplate_leak:
            paragraphs.append("Sign up for our newsletter to get the day's top stories.")
            planted.append("boilerplate.leak")
        date: str | None = f"2025-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}T08:30:00Z"
        roll = rng.random()
        if roll < rates.date_relative:
            date = f"{rng.randint(2, 23)} hours ago"
            planted.append("date.relative")
        elif roll < rates.date_relative + rates.date_missing:
            date = None
            planted.append("date.missing")
        separator = "\n\n"
        if rng.random() < rates.text_flattened:
            separator = " "
            planted.append("text.flattened")
        slug = f"{index:08d}"
        images = [
            {"src": f"https://img.example.org/{slug}/main.jpg", "alt": "Scene from the story"}
        ]
        low, high = shape.images
        for number in range(1, (rng.randint(low, high) if high > 1 else 1)):
            images.append(
                {
                    "src": f"https://img.example.org/{slug}/photo-{number}.jpg",
                    "alt": f"Photo {number}",
                }
            )
        if rng.random() < rates.image_duplicate_tag:
            images.append({"src": f"https://img.example.org/{slug}/main.jpg", "alt": "Copy"})
            planted.append("image.duplicate_tag")
        if rng.random() < rates.image_logo_as_content:
            images.append({"src": "https://cdn.example.org/assets/site-logo.png", "alt": outlet})
            planted.append("image.logo_as_content")
        record: dict[str, Any] = {
            "id": f"a{index:08d}",
            "url": f"https://news.example.org/{outlet.lower().replace(' ', '-')}/{slug}",
            "title": f"{rng.choice(TITLES)} ({slug})",
            "text": separator.join(paragraphs),
            "author": author,
            "date": date,
            "outlet": outlet,
            "images": images,
            "planted": planted,
        }
        if len(previous) < 1000:
            previous.append(record)
        yield record


def write_jsonl(
    path: Path, n: int, *, seed: int = 7, rates: Rates | None = None, profile: str = "default"
) -> int:
    """Write ``n`` generated records of ``profile`` to ``path``; returns the bytes written."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as handle:
        for record in generate_records(n, seed=seed, rates=rates, profile=profile):
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")
    return path.stat().st_size
