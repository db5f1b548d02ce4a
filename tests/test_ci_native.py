"""CI-native output, end to end: GitHub annotations at the dump's file:line, the
heartbeat off a terminal, tqdm's bar on one (a real pty), and --no-progress."""

from __future__ import annotations

import fcntl
import os
import pty
import re
import struct
import subprocess
import sys
import termios
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from corpus_qa.reports.annotations import command, escape_data, escape_property
from corpus_qa.testing.synth import write_jsonl
from tests.conftest import REPO, SEED_DUMP, SEED_PAGE

CLI = [sys.executable, "-m", "corpus_qa.cli"]
_COMMAND = re.compile(r"^::(?P<level>error|warning|notice)(?: (?P<props>[^:]*))?::(?P<data>.*)$")


def _unescape(text: str, *, prop: bool) -> str:
    """What GitHub's runner does to a command's data (and, for properties, ``:``/``,``)."""
    if prop:
        text = text.replace("%3A", ":").replace("%2C", ",")
    return text.replace("%0D", "\r").replace("%0A", "\n").replace("%25", "%")


def _parse(line: str) -> tuple[str, dict[str, str], str]:
    """A workflow command as the runner reads it: properties split on ``,`` then ``=``."""
    found = _COMMAND.match(line)
    assert found is not None, line
    props = {}
    for pair in filter(None, (found["props"] or "").split(",")):
        key, value = pair.split("=", 1)
        props[key] = _unescape(value, prop=True)
    return found["level"], props, _unescape(found["data"], prop=False)


@given(st.text(), st.text(), st.integers(min_value=1))
def test_any_text_round_trips_through_a_command(message: str, path: str, line: int) -> None:
    text = command("error", message, {"file": path, "line": line, "title": path})
    assert "\n" not in text and "\r" not in text
    assert _parse(text) == ("error", {"file": path, "line": str(line), "title": path}, message)


def test_escapes_follow_githubs_toolkit() -> None:
    assert escape_data("50% of a\r\nb") == "50%25 of a%0D%0Ab"
    assert escape_property("dumps/a,b:c.jsonl") == "dumps/a%2Cb%3Ac.jsonl"


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GITHUB_")}
    return {**env, **extra}


def _check(*args: str, env: dict[str, str], cwd: Path = REPO) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*CLI, "check", *args], capture_output=True, text=True, env=env, cwd=cwd, timeout=600
    )


def test_github_actions_annotates_the_dumps_own_lines(tmp_path: Path) -> None:
    done = _check(
        str(SEED_DUMP),
        "--out",
        str(tmp_path / "out"),
        "--quiet",
        env=_env(GITHUB_ACTIONS="true", GITHUB_WORKSPACE=str(REPO)),
    )
    assert done.returncode == 1, done.stderr
    commands = [_parse(line) for line in done.stdout.splitlines() if line.startswith("::")]
    assert commands, done.stdout
    page = SEED_PAGE.read_text(encoding="utf-8").splitlines()
    relative = SEED_PAGE.relative_to(REPO).as_posix()
    by_title: dict[str, list[tuple[str, dict[str, str], str]]] = {}
    for level, props, message in commands:
        assert props["file"] == relative
        by_title.setdefault(props["title"], []).append((level, props, message))
    # The failing check is an error at the line that holds the cut address.
    [(level, props, message)] = by_title["corpus-qa email.truncated (fail)"]
    assert level == "error"
    assert "robertjfouser@" in page[int(props["line"]) - 1]
    assert message.endswith("evidence: robertjfouser@")
    # A check that only warned is a warning; failing checks come first.
    assert {c[0] for c in by_title["corpus-qa date.relative (warn)"]} == {"warning"}
    levels = [c[0] for c in commands]
    assert levels == sorted(levels, key=["error", "warning", "notice"].index)
    # A finding's line is its record's first line: the evidence follows within it
    # (but for resolved image URLs, which the page holds proxied and encoded).
    for _, props, message in commands:
        if "\nevidence: " in message and "\nevidence: http" not in message:
            evidence = message.split("\nevidence: ", 1)[1]
            start = int(props["line"]) - 1
            assert evidence.rstrip("…")[:40] in "\n".join(page[start : start + 12])


@pytest.mark.slow
def test_annotations_flag_limit_and_off_switch(tmp_path: Path) -> None:
    limited = _check(
        str(SEED_DUMP),
        "--out",
        str(tmp_path / "a"),
        "--quiet",
        "--annotations",
        "github",
        "--max-annotations",
        "1",
        env=_env(),
    )
    titles = [_parse(line)[1]["title"] for line in limited.stdout.splitlines() if line[:2] == "::"]
    assert titles and len(titles) == len(set(titles))
    assert "corpus-qa date.relative (warn)" in titles  # three findings, one annotation
    off = _check(
        str(SEED_DUMP),
        "--out",
        str(tmp_path / "b"),
        "--quiet",
        "--annotations",
        "none",
        env=_env(GITHUB_ACTIONS="true"),
    )
    assert off.returncode == 1 and "::" not in off.stdout


@pytest.mark.slow
def test_json_output_stays_json_with_annotations(tmp_path: Path) -> None:
    import json

    done = _check(
        str(SEED_DUMP),
        "--out",
        str(tmp_path / "o"),
        "--format",
        "json",
        "--no-progress",
        env=_env(GITHUB_ACTIONS="true"),
    )
    assert json.loads(done.stdout)["gate"]["verdict"] == "fail"
    assert any(line.startswith("::error ") for line in done.stderr.splitlines())


_BEAT = re.compile(
    r"^corpus-qa: (?P<records>[\d,]+) records, [\d.,]+ \w+ of [\d.,]+ \w+ \((?P<pct>\d+)%\), "
    r"[\d,]+ records/s, (?P<tail>ETA [\d:]+|ETA unknown|done in [\d:]+)$"
)


@pytest.fixture(scope="module")
def feed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("feed") / "feed.jsonl"
    write_jsonl(path, 2000, seed=3)
    return path


@pytest.mark.slow
def test_heartbeat_off_a_terminal(feed: Path, tmp_path: Path) -> None:
    args = ["--out", str(tmp_path / "o"), "--chunk-size", "100", "--jobs", "1"]
    done = _check(str(feed), *args, "--heartbeat", "0.001", env=_env())
    beats = [_BEAT.match(line) for line in done.stderr.splitlines()]
    found = [b for b in beats if b is not None]
    assert len(found) >= 2, done.stderr  # while running, and the closing line
    last = found[-1]
    assert last["records"] == "2,000" and last["pct"] == "100"
    assert last["tail"].startswith("done in")
    assert any(b["tail"].startswith("ETA") for b in found[:-1])
    counts = [int(b["records"].replace(",", "")) for b in found]
    assert counts == sorted(counts)
    quiet = _check(str(feed), *args, "--heartbeat", "0.001", "--no-progress", env=_env())
    assert "records/s" not in quiet.stderr and quiet.returncode == done.returncode


@pytest.mark.slow
def test_progress_bar_on_a_terminal(feed: Path, tmp_path: Path) -> None:
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
    args = ["--out", str(tmp_path / "o"), "--chunk-size", "100", "--jobs", "1"]
    with subprocess.Popen(
        [*CLI, "check", str(feed), *args],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=slave,
        env=_env(TERM="xterm"),
        cwd=REPO,
    ) as process:
        os.close(slave)
        chunks = []
        while True:
            try:
                data = os.read(master, 4096)
            except OSError:  # EIO: the child closed the terminal
                break
            if not data:
                break
            chunks.append(data)
        process.wait(timeout=600)
    os.close(master)
    screen = b"".join(chunks).decode("utf-8", "replace")
    frames = [f for f in re.split(r"[\r\n]", screen) if f.startswith("corpus-qa")]
    assert frames, screen
    final = frames[-1]
    assert re.search(r"100%\|", final), final
    assert "2,000 records" in final
    # tqdm's own fields: bytes done of the total, elapsed<remaining, rate.
    assert re.search(r"\d[\d.]*[KM]?i?B?/\d[\d.]*[KM]i?B? \[\d\d:\d\d<\d\d:\d\d", final), final
    assert process.returncode in (0, 1)


def test_bytes_done_rise_to_the_dumps_size(tmp_path: Path) -> None:
    """Plain JSONL advances by byte range; a gzip file counts once its records are done."""
    import gzip

    from corpus_qa.run.progress import Tick
    from corpus_qa.run.runner import RunOptions, run

    dump = tmp_path / "dump"
    dump.mkdir()
    write_jsonl(dump / "a.jsonl", 300, seed=1)
    write_jsonl(tmp_path / "b.jsonl", 200, seed=2)
    (dump / "b.jsonl.gz").write_bytes(gzip.compress((tmp_path / "b.jsonl").read_bytes()))
    plain, packed = (dump / "a.jsonl").stat().st_size, (dump / "b.jsonl.gz").stat().st_size
    ticks: list[Tick] = []
    options = RunOptions(dump=str(dump), out_dir=tmp_path / "out", chunk_size=50, jobs=1)
    run(options, progress=ticks.append)
    done = [t.bytes_done for t in ticks]
    assert done == sorted(done)
    assert {t.bytes_total for t in ticks} == {plain + packed}
    assert done[-1] == plain + packed and ticks[-1].stats.records_read == 500
    assert any(0 < d < plain for d in done)  # within the plain file, by its ranges
    assert all(d in (plain, plain + packed) for d in done if d >= plain)
