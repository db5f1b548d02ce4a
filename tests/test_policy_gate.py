"""Policy files and the gate's decisions."""

from __future__ import annotations

from pathlib import Path

import pytest

from corpus_qa.errors import ConfigError
from corpus_qa.gate.policy import load_policy
from corpus_qa.gate.verdict import CheckResult, judge, verdict


def _result(
    check_id: str, severity: str, records: int, of: int, count: int | None = None
) -> CheckResult:
    return CheckResult(
        id=check_id,
        name=check_id,
        severity=severity,
        scope="record",
        count=records if count is None else count,
        records=records,
        rate=records / of,
        denominator=of,
        max_rate=None,
        max_count=None,
        exempted=0,
    )


def test_default_policy_loads_and_matches_patterns() -> None:
    policy = load_policy()
    assert policy.fail_on == "error"
    assert policy.for_check("byline.missing").exempt == {"genre": ("editorial",)}
    assert policy.for_check("schema.articles.title").max_count == 0
    assert policy.for_check("input.malformed").severity == "error"
    assert policy.for_check("my.own_check") is policy.defaults


def test_yaml_policy_is_safe_and_equivalent(tmp_path: Path) -> None:
    path = tmp_path / "policy.yaml"
    path.write_text(
        "fail_on: warning\nchecks:\n  byline.missing:\n    severity: warning\n    max_rate: 0.5\n",
        encoding="utf-8",
    )
    policy = load_policy(path)
    assert policy.fail_on == "warning"
    assert policy.for_check("byline.missing").max_rate == 0.5
    evil = tmp_path / "evil.yaml"
    evil.write_text("checks: !!python/object/apply:os.system ['echo pwned']\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="invalid policy"):
        load_policy(evil)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            '[checks."byline.missing"]\nmax_rate = 2\n',
            'checks."byline.missing".max_rate: expected a number from 0 to 1, got 2',
        ),
        (
            '[checks."byline.missing"]\nseverity = "fatal"\n',
            'checks."byline.missing".severity: expected error, warning or info, got "fatal"',
        ),
        (
            '[checks."byline.missing"]\nmax_cnt = 1\n',
            'checks."byline.missing".max_cnt: unknown key; did you mean "max_count"',
        ),
        ('fail_on = "never"\n', 'fail_on: expected one of error, warning, got "never"'),
        ("colour = 1\n", "colour: unknown key"),
        ('[checks."x"]\nmax_rate = 0.5\n', 'checks."x": no such check'),
        ("checks = [", "invalid policy"),
    ],
)
def test_bad_policies_get_one_line_errors(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "policy.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError, match=message) as raised:
        load_policy(path)
    assert "\n" not in str(raised.value)
    assert str(path) in str(raised.value)


def test_thresholds_statuses_and_verdict() -> None:
    policy = load_policy()
    within = judge(_result("byline.missing", "error", 1, 100), policy.for_check("byline.missing"))
    within.max_rate = 0.10
    assert judge(within, policy.for_check("byline.missing")).status == "pass"
    over = _result("byline.missing", "error", 30, 100)
    over.max_rate = 0.10
    judge(over, policy.for_check("byline.missing"))
    assert over.status == "fail"
    assert over.reason == "byline.missing: 30 of 100 records affected; rate 30.0% > max 10.0%"
    warn = _result("date.relative", "warning", 50, 100)
    warn.max_rate = 0.10
    judge(warn, policy.for_check("date.relative"))
    assert warn.status == "warn"
    assert verdict([warn], policy).passed
    assert not verdict([warn], policy, fail_on="warning").passed
    assert not verdict([over, warn], policy).passed
    assert verdict([over, warn], policy).reasons == [over.reason]


def test_max_count_gates_on_findings_not_records() -> None:
    policy = load_policy()
    result = _result("schema.articles.title", "error", 1, 100, count=3)
    result.max_count = 2
    judge(result, policy.for_check("schema.articles.title"))
    assert result.status == "fail"
    assert "3 findings > max 2" in (result.reason or "")
