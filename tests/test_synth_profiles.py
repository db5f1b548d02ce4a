"""The generator's data profiles: the shape each promises, and planted truth on ``mixed``."""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from pathlib import Path

import pytest

from corpus_qa.testing.synth import DEFECTS, PROFILES, generate_records, write_jsonl
from tests.conftest import read_jsonl, run_check

#: sha256 of the first 300 default-profile records (seed 7) as generated before profiles
#: existed: bench dumps and every test's fixtures stay what they were.
DEFAULT_300 = "db35374498dd7adf0d4858f289a926c46a06668b17a0f196568a136b45c91ee0"


def _digest(profile: str) -> str:
    records = generate_records(300, seed=7, profile=profile)
    text = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)
    return hashlib.sha256(text.encode()).hexdigest()


def test_the_default_profile_gives_the_records_it_always_gave() -> None:
    assert _digest("default") == DEFAULT_300
    assert _digest("mixed") != DEFAULT_300


def test_mixed_profile_has_its_promised_shape() -> None:
    records = list(generate_records(3000, seed=11, profile="mixed"))
    non_ascii = sum(not r["text"].isascii() for r in records) / len(records)
    assert 0.35 <= non_ascii <= 0.45
    # A flattened body has no paragraph breaks, a near-duplicate's new lede may stand
    # beside a flattened original's text, and a duplicate says nothing of its original;
    # the others have 8 to 10 paragraphs of prose, and one more per planted sentence.
    skip = {"text.flattened", "record.near_duplicate", "record.duplicate"}
    appended = {"email.truncated", "email.obfuscated", "boilerplate.leak"}
    prose = {
        r["text"].count("\n\n") + 1 - len(appended & {*r["planted"]})
        for r in records
        if not skip & {*r["planted"]}
    }
    assert prose == {8, 9, 10}
    extra = {"image.duplicate_tag", "image.logo_as_content", "record.duplicate"}
    images = {len(r["images"]) for r in records if not extra & {*r["planted"]}}
    assert images == {2, 3}
    assert all(len({i["src"] for i in r["images"]}) >= 2 for r in records)


def test_default_profile_keeps_one_image_and_mostly_non_ascii_bodies() -> None:
    records = list(generate_records(1000, seed=11))
    assert sum(not r["text"].isascii() for r in records) / len(records) > 0.9
    extra = {"image.duplicate_tag", "image.logo_as_content", "record.duplicate"}
    assert {len(r["images"]) for r in records if not extra & {*r["planted"]}} == {1}


def test_an_unknown_profile_is_a_key_error() -> None:
    with pytest.raises(KeyError):
        next(generate_records(1, profile="no-such-profile"))
    assert set(PROFILES) == {"default", "mixed"}


@pytest.mark.slow
def test_findings_match_planted_defects_on_the_mixed_profile(tmp_path: Path) -> None:
    dump = tmp_path / "mixed.jsonl"
    write_jsonl(dump, 1500, seed=13, profile="mixed")
    code, report, findings = run_check(dump, tmp_path / "out", "--chunk-size", "400")
    truth: dict[str, set[str]] = defaultdict(set)
    for record in read_jsonl(dump):
        for check in record["planted"]:
            truth[check].add(record["id"])
    found: dict[str, set[str]] = defaultdict(set)
    for finding in findings:
        found[finding["check"]].add(finding["record_id"])
    for check in (d for d in DEFECTS if d != "record.near_duplicate"):
        assert truth[check], f"the generator planted no {check}"
        duplicates = truth["record.duplicate"] if check != "record.duplicate" else set()
        assert found[check] - duplicates == truth[check] - duplicates, check
    assert report["counts"]["articles"] == 1500
    assert code == 1
