"""--baseline: rates then and now, max_increase and template breaks against real runs."""

from __future__ import annotations

import dataclasses
import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from corpus_qa.errors import ConfigError
from corpus_qa.gate.baseline import apply, compare, load_history, pct
from corpus_qa.gate.policy import load_policy
from corpus_qa.gate.verdict import CheckResult, Verdict
from tests.conftest import run_check

BREAK = "template break: Korea Herald byline.missing 0% -> 100% (n=20)"


def test_same_dump_against_itself_passes(
    dumps: tuple[Path, Path], accepted: Path, tmp_path: Path
) -> None:
    code, report, _ = run_check(dumps[0], tmp_path, "--baseline", str(accepted))
    assert code == 0
    assert report["gate"]["reasons"] == []
    baseline = report["baseline"]
    assert baseline["path"] == str(accepted)
    assert baseline["template_breaks"] == [] and baseline["warnings"] == []
    assert all(row["change_pp"] == 0 for row in baseline["checks"].values())
    assert baseline["outlets"]["byline.missing"]["Korea Herald"]["then"] == 0.0


def test_one_outlet_losing_its_bylines_is_a_template_break(
    dumps: tuple[Path, Path], accepted: Path, tmp_path: Path
) -> None:
    code, report, _ = run_check(dumps[1], tmp_path, "--baseline", str(accepted))
    assert code == 1
    assert report["gate"]["reasons"] == [BREAK]
    byline = next(c for c in report["checks"] if c["id"] == "byline.missing")
    assert byline["status"] == "fail"
    assert byline["rate"] == pytest.approx(0.04)  # under max_rate: only the break fails
    (item,) = report["baseline"]["template_breaks"]
    assert (item["outlet"], item["then"], item["now"], item["articles_now"]) == (
        "Korea Herald",
        0.0,
        1.0,
        20,
    )
    assert "template break: Korea Herald" in (tmp_path / "summary.md").read_text()
    # Without a baseline the same dump passes: the break is only visible over time.
    code, _, _ = run_check(dumps[1], tmp_path / "alone")
    assert code == 0


def test_history_folder_is_ordered_and_warns_on_another_policy(
    dumps: tuple[Path, Path], accepted: Path, tmp_path: Path
) -> None:
    history = tmp_path / "history"
    (history / "old").mkdir(parents=True)
    older = json.loads(accepted.read_text())
    older["finished_at"] = "2020-01-01T00:00:00+00:00"
    older["policy"]["sha256"] = "0" * 64
    for check in older["checks"]:
        check["rate"] = 0.5 if check["id"] == "byline.missing" else check["rate"]
    (history / "old" / "report.json").write_text(json.dumps(older))
    shutil.copy(accepted, history / "accepted.json")
    (history / "notes.json").write_text('{"not": "a report"}')
    code, report, _ = run_check(dumps[1], tmp_path / "out", "--baseline", str(history))
    baseline = report["baseline"]
    assert [Path(h["path"]).name for h in baseline["history"]] == ["report.json", "accepted.json"]
    assert baseline["path"].endswith("accepted.json")  # the latest is the baseline
    assert baseline["checks"]["byline.missing"]["history"] == [0.5, 0.0, pytest.approx(0.04)]
    (warning,) = baseline["warnings"]
    assert "another policy" in warning and "000000000000" in warning
    assert code == 1


@pytest.mark.parametrize(
    ("content", "message"),
    [(None, "baseline not found"), ("{", "not valid JSON"), ('{"a": 1}', "not a corpus-qa")],
)
def test_an_unusable_baseline_exits_2(
    seed_dump: Path,
    tmp_path: Path,
    content: str | None,
    message: str,
    capsys: pytest.CaptureFixture[str],
) -> None:
    path = tmp_path / "base.json"
    if content is not None:
        path.write_text(content)
    code, _, _ = run_check(seed_dump, tmp_path / "out", "--baseline", str(path))
    assert code == 2
    assert message in capsys.readouterr().err


def _result(
    check_id: str, rate: float, outlets: dict[str, tuple[int, float]], **kw: Any
) -> CheckResult:
    return CheckResult(
        id=check_id,
        name=check_id,
        severity=kw.pop("severity", "error"),
        scope="record",
        count=0,
        records=0,
        rate=rate,
        denominator=100,
        max_rate=None,
        max_count=None,
        exempted=0,
        by_outlet={o: {"articles": n, "records": 0, "rate": r} for o, (n, r) in outlets.items()},
        **kw,
    )


def _report(results: list[CheckResult], sha: str) -> dict[str, Any]:
    return {
        "_path": "base.json",
        "finished_at": "2025-01-01T00:00:00+00:00",
        "policy": {"sha256": sha},
        "gate": {"verdict": "pass"},
        "checks": [dataclasses.asdict(r) for r in results],
    }


def test_max_increase_and_template_break_rules() -> None:
    policy = load_policy()
    base = _report(
        [
            _result("byline.missing", 0.02, {"A": (100, 0.0), "B": (100, 0.04)}),
            _result("date.relative", 0.0, {"A": (10, 0.0), "B": (100, 0.0)}, severity="warning"),
        ],
        policy.sha256,
    )
    now = [
        # +8 points: over byline.missing's max_increase of 5; B 4% -> 60% is a break.
        _result("byline.missing", 0.10, {"A": (100, 0.0), "B": (100, 0.6)}),
        # A jumps but has too few articles; B is a break even though the check is a warning.
        _result("date.relative", 0.5, {"A": (10, 1.0), "B": (100, 0.5)}, severity="warning"),
    ]
    comparison = compare(now, [base], policy)
    verdict = apply(comparison, now, Verdict(passed=True, fail_on="error", reasons=[]))
    assert not verdict.passed
    assert verdict.reasons == [
        "byline.missing: rate rose 8.0 points against the baseline (2% -> 10%); max +5",
        "template break: B byline.missing 4% -> 60% (n=100)",
        "template break: B date.relative 0% -> 50% (n=100)",
    ]
    assert [r.status for r in now] == ["fail", "fail"]


def test_max_increase_on_a_warning_only_warns() -> None:
    policy = dataclasses.replace(
        load_policy(),
        checks={
            "date.relative": dataclasses.replace(
                load_policy().for_check("date.relative"), max_increase=1.0
            )
        },
        template_break=None,
    )
    base = _report([_result("date.relative", 0.0, {})], policy.sha256)
    now = [_result("date.relative", 0.05, {}, severity="warning")]
    verdict = apply(compare(now, [base], policy), now, Verdict(True, "error", []))
    assert verdict.passed and now[0].status == "warn"
    assert "rate rose 5.0 points" in (now[0].reason or "")


def test_pct_reads_like_the_reason() -> None:
    assert [pct(0), pct(1), pct(0.025), pct(0.1234)] == ["0%", "100%", "2.5%", "12.3%"]


@pytest.mark.parametrize(
    ("toml", "message"),
    [
        ('[checks."byline.missing"]\nmax_increase = -1', "max_increase"),
        ('[checks."byline.missing"]\nmax_increase = "5"', "max_increase"),
        # The default's min_articles would fill the gap: this policy stands alone.
        (
            'extends = "none"\n[template_break]\nfrom_max = 0.1\nto_min = 0.5',
            "template_break: missing min_articles",
        ),
        (
            "[template_break]\nfrom_max = 0.1\nto_min = 0.5\nmin_articles = 5\nx = 1",
            "template_break.x: unknown key",
        ),
        ("[template_break]\nfrom_max = 0.6\nto_min = 0.5\nmin_articles = 5", "below to_min"),
        (
            "[template_break]\nfrom_max = 0.1\nto_min = 2\nmin_articles = 5",
            "to_min: expected a number from 0 to 1",
        ),
        ("[template_break]\nfrom_max = 0.1\nto_min = 0.5\nmin_articles = 0", "min_articles"),
        ("template_break = 3", "must be a table"),
    ],
)
def test_policy_validates_the_baseline_keys(tmp_path: Path, toml: str, message: str) -> None:
    path = tmp_path / "policy.toml"
    path.write_text(toml)
    with pytest.raises(ConfigError, match=message):
        load_policy(path)


def test_default_policy_has_the_baseline_rules() -> None:
    policy = load_policy()
    assert policy.template_break is not None and policy.template_break.min_articles == 20
    assert policy.for_check("byline.missing").max_increase == 5


def test_load_history_of_an_empty_folder(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"no corpus-qa report\.json"):
        load_history(tmp_path)
