"""Dumps in object storage, read from a real S3-protocol server on loopback (moto's).

The same dump read from ``s3://`` and from disk gives the same findings byte for byte;
a missing bucket, denied access and a connection that drops mid-file fail the gate
with one clear line, and what was read is accounted for.
"""

from __future__ import annotations

import gzip
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from corpus_qa.testing.synth import write_jsonl
from tests.conftest import SEED_PAGE, run_check
from tests.object_store import DroppingProxy, S3Server, s3_server

pytest.importorskip("s3fs")
pytest.importorskip("moto.server")


@pytest.fixture(scope="module")
def s3() -> Iterator[S3Server]:
    with s3_server() as server:
        yield server


@pytest.fixture(scope="module")
def local_dump(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A seed page, a plain JSONL file (read by byte ranges) and a gzipped one (streamed)."""
    folder = tmp_path_factory.mktemp("dump")
    shutil.copy(SEED_PAGE, folder / SEED_PAGE.name)
    write_jsonl(folder / "feed.jsonl", 1500, seed=3)
    write_jsonl(folder / "more.jsonl", 400, seed=4)
    (folder / "more.jsonl.gz").write_bytes(gzip.compress((folder / "more.jsonl").read_bytes()))
    (folder / "more.jsonl").unlink()
    return folder


def _check(
    monkeypatch: pytest.MonkeyPatch, env: dict[str, str], dump: str | Path, out: Path, *extra: str
) -> tuple[int, dict[str, Any], list[dict[str, Any]]]:
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return run_check(dump, out, *extra)


def _accounted(report: dict[str, Any]) -> None:
    for item in report["inputs"]:
        assert item["records_read"] == item["records_checked"] + item["records_quarantined"]


def test_findings_from_s3_are_those_read_locally(
    s3: S3Server,
    local_dump: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    url = s3.upload(local_dump, "same")
    code_local, local, _ = run_check(local_dump, tmp_path / "local", "--jobs", "1")
    # Two worker processes: each reads its own byte ranges from the server.
    code_s3, remote, _ = _check(monkeypatch, s3.env(), url, tmp_path / "s3", "--jobs", "2")
    assert code_s3 == code_local
    assert (tmp_path / "s3" / "findings.jsonl").read_bytes() == (
        tmp_path / "local" / "findings.jsonl"
    ).read_bytes()
    assert remote["counts"] == local["counts"]
    assert remote["counts"]["records_read"] > 1900
    keep = ("path", "format", "compression", "bytes", "sha256", "records_read", "records_lost")
    assert [{k: i[k] for k in keep} for i in remote["inputs"]] == [
        {k: i[k] for k in keep} for i in local["inputs"]
    ]


def test_a_glob_of_objects_reads_only_what_matches(
    s3: S3Server, local_dump: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = s3.upload(local_dump, "globbed")
    code, report, _ = _check(monkeypatch, s3.env(), f"{url}/*.jsonl*", tmp_path / "out")
    assert code in (0, 1)
    assert [i["path"] for i in report["inputs"]] == ["feed.jsonl", "more.jsonl.gz"]
    _accounted(report)


def test_a_missing_bucket_is_one_line_and_exit_2(
    s3: S3Server,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, report, _ = _check(monkeypatch, s3.env(), "s3://no-such-bucket/dump/", tmp_path / "o")
    err = capsys.readouterr().err.strip()
    assert code == 2
    assert report == {}
    assert len(err.splitlines()) == 1, err
    assert "s3://no-such-bucket/dump/" in err and "no such bucket or object" in err
    assert "Traceback" not in err


def test_wrong_credentials_are_access_denied(
    s3: S3Server,
    local_dump: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    url = s3.upload(local_dump, "locked")
    env = s3.env(keys=(s3.admin[0], "not-the-secret"))
    code, _, _ = _check(monkeypatch, env, url, tmp_path / "o")
    err = capsys.readouterr().err.strip()
    assert code == 2
    assert len(err.splitlines()) == 1 and url in err and "access denied" in err, err


def test_an_object_the_reader_may_not_read_fails_the_gate(
    s3: S3Server, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "mixed"
    folder.mkdir()
    write_jsonl(folder / "public.jsonl", 300, seed=8)
    write_jsonl(folder / "secret.jsonl", 300, seed=9)
    url = s3.upload(folder, "mixed")
    # The reader may list the bucket and read mixed/public*, not mixed/secret.jsonl.
    code, report, findings = _check(monkeypatch, s3.env(keys=s3.reader), url, tmp_path / "o")
    assert code == 1
    assert report["gate"]["verdict"] == "fail"
    denied = [f for f in findings if f["check"] == "input.unreadable"]
    assert [f["source_path"] for f in denied] == ["secret.jsonl"]
    assert "access denied" in denied[0]["message"]
    inputs = {i["path"]: i for i in report["inputs"]}
    assert inputs["public.jsonl"]["records_checked"] == 300
    assert inputs["public.jsonl"]["records_lost"] == 0
    assert inputs["secret.jsonl"]["records_checked"] == 0
    assert inputs["secret.jsonl"]["records_lost"] == "unknown"
    _accounted(report)


@pytest.mark.slow
def test_a_connection_dropped_mid_file_fails_the_gate(
    s3: S3Server, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "drop"
    folder.mkdir()
    write_jsonl(folder / "feed.jsonl", 3000, seed=12)
    size = (folder / "feed.jsonl").stat().st_size
    url = s3.upload(folder, "drop")
    args = ("--jobs", "1", "--chunk-size", "250")
    # A first run through the proxy counts the bytes the whole run takes.
    whole = DroppingProxy(s3.endpoint)
    code, full, _ = _check(monkeypatch, s3.env(endpoint=whole.endpoint), url, tmp_path / "a", *args)
    assert code in (0, 1) and full["counts"]["records_checked"] == 3000
    whole.drop()
    # The second drops the network once it is well into the last pass over the file:
    # the ranges read before the drop are checked, the rest is lost and said so.
    proxy = DroppingProxy(s3.endpoint, limit=whole.sent - size // 3)
    code, report, findings = _check(
        monkeypatch, s3.env(endpoint=proxy.endpoint), url, tmp_path / "b", *args
    )
    assert proxy.dropped.is_set()
    assert code == 1
    assert report["gate"]["verdict"] == "fail"
    [item] = report["inputs"]
    assert item["records_lost"] == "unknown"
    assert 0 < item["records_checked"] < 3000
    lost = [f for f in findings if f["check"] in ("input.unreadable", "input.truncated")]
    assert lost and all(f["source_path"] == "feed.jsonl" for f in lost)
    # The first record not checked is where the first loss is reported.
    assert min(f["line"] for f in lost) == item["records_checked"] + 1
    _accounted(report)


@pytest.mark.dask
def test_dask_workers_fetch_their_own_ranges_from_s3(
    s3: S3Server, local_dump: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    distributed = pytest.importorskip("distributed")
    url = s3.upload(local_dump, "cluster")
    run_check(local_dump, tmp_path / "local", "--jobs", "1")
    for name, value in s3.env().items():
        monkeypatch.setenv(name, value)
    # Started after the credentials are set: its worker processes inherit them, as a
    # real cluster's workers have their own (an instance role, their environment).
    with distributed.LocalCluster(
        n_workers=1, processes=True, host="127.0.0.1", threads_per_worker=1,
        dashboard_address=None,
    ) as cluster:  # fmt: skip
        code, report, _ = run_check(
            url, tmp_path / "dask", "--engine", "dask", "--scheduler", cluster.scheduler_address
        )
    assert code in (0, 1)
    assert (tmp_path / "dask" / "findings.jsonl").read_bytes() == (
        tmp_path / "local" / "findings.jsonl"
    ).read_bytes()
    _accounted(report)


def test_gs_without_gcsfs_names_the_extra(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    try:
        import gcsfs  # noqa: F401
    except ImportError:
        pass
    else:
        pytest.skip("gcsfs is installed")
    code, report, _ = run_check("gs://some-bucket/dump/", tmp_path / "o")
    err = capsys.readouterr().err.strip()
    assert code == 2 and report == {}
    assert len(err.splitlines()) == 1 and "pip install 'corpus-qa[gcs]'" in err, err
