"""The gate as a Great Expectations 1.x Expectation Suite, built as plain JSON.

Building the suite needs no GX import (the CLI stays fast and this module stays
importable without the ``gx`` extra); :func:`corpus_qa.interop.gx_run.to_gx_suite`
hands the JSON to GX, which checks every expectation's arguments.

Each expectation's ``meta.corpus_qa.check`` names the corpus-qa check it mirrors:
the ids GX reports as unexpected for all expectations of one check must equal the
record ids of that check's findings (``check --gx`` flags any difference). Rules GX
cannot express are listed in the suite's ``meta.corpus_qa.not_expressible``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from corpus_qa import __version__
from corpus_qa.checks.builtin._date_words import relative_pattern
from corpus_qa.checks.builtin.boilerplate import (
    LEAK_PHRASES,
    LINE_PHRASES,
    LeakOptions,
    _alternation,
)
from corpus_qa.checks.builtin.email import _OBFUSCATED, TEXT_FIELDS
from corpus_qa.gate.policy import Policy
from corpus_qa.schemas import ROLES

SUITE_NAME = "corpus_qa.articles"
#: Column whose values GX reports for each unexpected row.
ID_COLUMN = "record_id"

# email.truncated without lookaround (pandas runs GX's regex with Arrow's RE2): a local
# part and "@", then the maximal run of domain characters (closed by a non-domain
# character or the end) that is NOT a complete domain once trailing dots are dropped:
# empty, one label, an empty label, or a last label that is not 2+ letters. The check
# itself finds the run with one regex and judges it in Python; both must agree.
_DOMAIN_CHAR = r"[A-Za-z0-9.-]"
_LABEL = r"[A-Za-z0-9-]"
_END = r"(?:[^A-Za-z0-9.-]|$)"
EMAIL_TRUNCATED_PATTERN = (
    r"[A-Za-z0-9._%+-]@(?:"
    + r"\.*"  # no domain at all
    + rf"|{_LABEL}+\.*"  # a single label
    + rf"|{_DOMAIN_CHAR}*\.\.{_DOMAIN_CHAR}*{_LABEL}\.*"  # an empty label inside
    + rf"|\.{_DOMAIN_CHAR}*{_LABEL}\.*"  # a leading dot
    + rf"|{_DOMAIN_CHAR}*\.(?:{_LABEL}*[0-9-]{_LABEL}*|[A-Za-z])\.*"  # bad last label
    + ")"
    + _END
)
#: byline.missing counts blank bylines as missing, as ``str.strip() == ""`` does.
BLANK_PATTERN = r"^\s*$"


@dataclass(frozen=True)
class Expectation:
    """One expectation of the suite, as GX's JSON, plus what corpus-qa needs to compare."""

    type: str
    kwargs: Mapping[str, Any]
    #: The corpus-qa check it mirrors; None for informational expectations.
    check: str | None
    note: str

    @property
    def dump_wide(self) -> bool:
        """Uniqueness is a property of the whole dump, not of one chunk."""
        return self.type == "expect_column_values_to_be_unique"

    def to_json(self) -> dict[str, Any]:
        return {
            "type": self.type,
            "kwargs": dict(self.kwargs),
            "meta": {"corpus_qa": {"check": self.check, "note": self.note}},
        }


def mostly(policy: Policy, check_id: str) -> float:
    """GX's ``mostly`` from the policy's allowed rate: ``1 - max_rate`` (1.0 for counts)."""
    rule = policy.for_check(check_id)
    return round(1.0 - rule.max_rate, 6) if rule.max_rate is not None else 1.0


def row_condition(policy: Policy, check_id: str) -> dict[str, Any] | None:
    """The policy's exemptions of ``check_id`` as a GX 1.x row condition (JSON form)."""
    parts = [
        {
            "type": "comparison",
            "column": {"name": column},
            "operator": "NOT_IN",
            "parameter": list(values),
        }
        for column, values in sorted(policy.for_check(check_id).exempt.items())
    ]
    if not parts:
        return None
    return parts[0] if len(parts) == 1 else {"type": "and", "conditions": parts}


def _regex(check: str, column: str, pattern: str, policy: Policy, note: str) -> Expectation:
    return _mirror(
        "expect_column_values_to_not_match_regex", check, column, policy, note, regex=pattern
    )


def _mirror(
    type_: str, check: str, column: str, policy: Policy, note: str, **kwargs: Any
) -> Expectation:
    arguments: dict[str, Any] = {"column": column, **kwargs, "mostly": mostly(policy, check)}
    condition = row_condition(policy, check)
    if condition is not None:
        arguments["row_condition"] = condition
    return Expectation(type_, arguments, check, note)


def expectations(policy: Policy) -> list[Expectation]:
    """The expectations GX can hold of the articles table under ``policy``."""
    enabled = {check: policy.for_check(check).enabled for check in MIRRORED}
    found: list[Expectation] = []
    if enabled["byline.missing"]:
        note = "byline.missing: no byline (null)"
        found.append(
            _mirror("expect_column_values_to_not_be_null", "byline.missing", "byline", policy, note)
        )
        found.append(
            _regex("byline.missing", "byline", BLANK_PATTERN, policy, "byline.missing: blank")
        )
    found.append(
        _mirror(
            "expect_column_value_lengths_to_be_between",
            "schema.articles.byline",
            "byline",
            policy,
            "schema: a byline, when present, is not empty",
            min_value=1,
        )
    )
    rule = policy.for_check("email.truncated")
    if rule.enabled:
        for field in TEXT_FIELDS:
            note = f"email.truncated in {field}"
            found.append(_regex("email.truncated", field, EMAIL_TRUNCATED_PATTERN, policy, note))
    if enabled["email.obfuscated"]:
        for field in TEXT_FIELDS:
            note = f"email.obfuscated in {field}"
            found.append(_regex("email.obfuscated", field, _OBFUSCATED, policy, note))
    leak = policy.for_check("boilerplate.leak").options
    if not isinstance(leak, LeakOptions):  # not set by the policy: the defaults
        leak = LeakOptions()
    if enabled["boilerplate.leak"]:
        anywhere = _alternation([*LEAK_PHRASES, *leak.phrases])
        whole_line = _alternation([*LINE_PHRASES, *leak.line_phrases])
        for field in TEXT_FIELDS:
            note = f"boilerplate.leak: UI phrases in {field}"
            found.append(_regex("boilerplate.leak", field, anywhere, policy, note))
        note = "boilerplate.leak: UI labels standing as a whole line of the body"
        line_pattern = r"(?:^|\n)" + whole_line + r"(?:\n|$)"
        found.append(_regex("boilerplate.leak", "body", line_pattern, policy, note))
    if enabled["date.relative"]:
        note = "date.relative: a relative date only"
        found.append(_regex("date.relative", "published_raw", relative_pattern(), policy, note))
    if enabled["date.missing"]:
        found.extend(_date_missing(policy))
    if enabled["record.duplicate_id"]:
        note = "record.duplicate_id: every occurrence of a repeated id (dump-wide)"
        found.append(
            _mirror(
                "expect_column_values_to_be_unique",
                "record.duplicate_id",
                "record_id",
                policy,
                note,
            )
        )
    found.append(
        _mirror(
            "expect_column_values_to_be_in_set",
            "schema.articles.role",
            "role",
            policy,
            "schema: allowed roles",
            value_set=list(ROLES),
        )
    )
    found.extend(_informational())
    return found


def _date_missing(policy: Policy) -> list[Expectation]:
    # No raw date and no resolved one: the raw date must be set where `published` is null.
    condition: dict[str, Any] = {
        "type": "nullity",
        "column": {"name": "published"},
        "is_null": True,
    }
    exempt = row_condition(policy, "date.missing")
    if exempt is not None:
        parts = exempt["conditions"] if exempt["type"] == "and" else [exempt]
        condition = {"type": "and", "conditions": [condition, *parts]}
    kwargs = {"mostly": mostly(policy, "date.missing"), "row_condition": condition}
    return [
        Expectation(
            "expect_column_values_to_not_be_null",
            {"column": "published_raw", **kwargs},
            "date.missing",
            "date.missing: no raw date where no date was resolved",
        ),
        Expectation(
            "expect_column_values_to_not_match_regex",
            {"column": "published_raw", "regex": BLANK_PATTERN, **kwargs},
            "date.missing",
            "date.missing: a blank raw date where no date was resolved",
        ),
    ]


def _informational() -> list[Expectation]:
    """Useful to a GX user, but no corpus-qa check says the same: never compared."""
    return [
        Expectation(
            "expect_column_values_to_not_be_null",
            {"column": "title"},
            None,
            "informational: articles have a title (corpus-qa has no check for it)",
        ),
        Expectation(
            "expect_column_value_lengths_to_be_between",
            {"column": "title", "min_value": 1},
            None,
            "informational: titles are not empty",
        ),
        Expectation(
            "expect_column_values_to_be_unique",
            {"column": "url"},
            None,
            "informational: one article per URL (record.duplicate compares text, not URLs)",
        ),
    ]


#: Checks with at least one mirroring expectation.
MIRRORED = (
    "byline.missing",
    "email.truncated",
    "email.obfuscated",
    "boilerplate.leak",
    "date.relative",
    "date.missing",
    "record.duplicate_id",
    "schema.articles.byline",
    "schema.articles.role",
)

#: What GX cannot say of the articles table, and why; listed in the suite's meta.
NOT_EXPRESSIBLE: Mapping[str, str] = {
    "text.flattened": (
        "the deck seam must fall in the first sentence of the first 400 characters of a "
        "body of at least min_chars/2 characters: a regex cannot also bound the length"
    ),
    "image.duplicate_tag": "a check of the images table (repeats within one article)",
    "image.logo_as_content": "a check of the images table (logo paths, icon widths)",
    "record.duplicate": (
        "dump-wide comparison of title and body after normalizing whitespace; "
        "expect_compound_columns_to_be_unique compares raw values"
    ),
    "schema.articles.*": (
        "only role and byline length are mirrored; dtypes, strict and ordered columns and "
        "the frame-wide rules are Pandera's (corpus-qa export pandera)"
    ),
    "schema.images.*": "the images table is not part of this suite",
    "input.*": "records quarantined before any table exists",
    "encoding.*": "decoding problems found before any table exists",
    "--checks-dir": "a team's own checks are Python code",
}

NOTES: Sequence[str] = (
    "mostly = 1 - max_rate from the policy; GX computes it over the expectation's domain "
    "(non-null values, rows kept by row_condition), corpus-qa over all articles, so a "
    "check near its threshold may pass in one and fail in the other. Compare failing "
    "record ids, not success flags.",
    "exemptions (the policy's exempt tables, e.g. editorials for byline.missing) are "
    "row_condition: Column(c).is_not_in(values).",
    "max_count thresholds become mostly = 1.0 (GX has no absolute count).",
    "regexes are RE2-compatible: pandas runs them with pyarrow's RE2 on Arrow strings.",
    "byline.missing's blank test: RE2's \\s is ASCII whitespace, str.strip() also strips "
    "Unicode spaces such as U+00A0.",
)


def build_suite(policy: Policy) -> dict[str, Any]:
    """The Expectation Suite of the articles table under ``policy``, as GX 1.x JSON."""
    disabled = sorted(check for check in MIRRORED if not policy.for_check(check).enabled)
    return {
        "name": SUITE_NAME,
        "expectations": [expectation.to_json() for expectation in expectations(policy)],
        "meta": {
            "corpus_qa": {
                "version": __version__,
                "table": "articles",
                "policy": policy.path,
                "policy_sha256": policy.sha256,
                "id_column": ID_COLUMN,
                "mirrored": [check for check in MIRRORED if check not in disabled],
                "disabled_by_policy": disabled,
                "not_expressible": [
                    {"check": check, "reason": reason} for check, reason in NOT_EXPRESSIBLE.items()
                ],
                "notes": list(NOTES),
            }
        },
    }
