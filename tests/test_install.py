"""The wheel: `pip install .` into a fresh venv, then `corpus-qa check` from another folder."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import sysconfig
import venv
from pathlib import Path

import pytest

from corpus_qa import __version__
from tests.conftest import REPO, SEED_DUMP


@pytest.mark.install
def test_wheel_installs_and_checks_the_sample_from_anywhere(tmp_path: Path) -> None:
    wheels = tmp_path / "wheels"
    build = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(wheels), str(REPO)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert build.returncode == 0, build.stderr[-2000:]
    (wheel,) = wheels.glob("corpus_qa-*.whl")

    env_dir = tmp_path / "fresh"
    venv.EnvBuilder(with_pip=True).create(env_dir)
    python = env_dir / "bin" / "python"
    # No PYTHONPATH into the fresh venv: a checkout on it (with its egg-info) would make
    # pip believe corpus-qa is installed already and skip the wheel.
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    install = subprocess.run(
        [str(python), "-m", "pip", "install", "-q", "--no-deps", str(wheel)],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert install.returncode == 0, install.stderr[-2000:]
    # Dependencies come from the test environment (a plain directory entry, so its
    # editable-install hook for corpus_qa is NOT loaded: corpus_qa must come from the wheel).
    fresh_site = Path(
        subprocess.check_output(
            [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
            text=True,
        ).strip()
    )
    (fresh_site / "zz_test_deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")

    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    where = subprocess.run(
        [
            str(python),
            "-c",
            "import corpus_qa.checks.builtin, corpus_qa.schemas, corpus_qa.text.keys as h;"
            "print(corpus_qa.checks.builtin.__file__); print(h.NATIVE)",
        ],
        cwd=elsewhere,
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    assert where.stdout.startswith(str(fresh_site))
    # The wheel carries the compiled one-pass keying (this machine has a C compiler).
    assert where.stdout.split() == [where.stdout.split()[0], "True"]
    run = subprocess.run(
        [str(env_dir / "bin" / "corpus-qa"), "check", str(SEED_DUMP), "--out", "out", "-q"],
        cwd=elsewhere,
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert run.returncode == 1, run.stderr
    report = json.loads((elsewhere / "out" / "report.json").read_text(encoding="utf-8"))
    assert report["counts"]["articles"] == 4
    assert report["gate"]["verdict"] == "fail"
    assert report["policy"]["path"].startswith(str(fresh_site))
    # report.html inlines CSS and JS shipped as package data: the wheel must carry them.
    assert "report-data" in (elsewhere / "out" / "report.html").read_text(encoding="utf-8")
    listing = subprocess.run(
        [str(env_dir / "bin" / "corpus-qa"), "checks"],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    assert "byline.missing" in listing.stdout


@pytest.mark.install
def test_make_dist_builds_a_manylinux_wheel_that_installs(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    make = subprocess.run(
        ["make", "dist", f"DIST={dist}"], cwd=REPO, capture_output=True, text=True, check=False
    )
    assert make.returncode == 0, make.stdout[-2000:] + make.stderr[-2000:]
    (wheel,) = dist.glob("corpus_qa-*.whl")
    assert "manylinux" in wheel.name
    assert len(list(dist.glob("corpus_qa-*.tar.gz"))) == 1
    assert "PASSED" in make.stdout  # twine check

    env_dir = tmp_path / "fresh"
    venv.EnvBuilder(with_pip=True).create(env_dir)
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    install = subprocess.run(
        [str(env_dir / "bin" / "python"), "-m", "pip", "install", "-q", "--no-deps", str(wheel)],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert install.returncode == 0, install.stderr[-2000:]
    version = subprocess.run(
        [str(env_dir / "bin" / "corpus-qa"), "--version"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert version.returncode == 0, version.stderr
    assert version.stdout.strip() == f"corpus-qa {__version__}"
    assert __version__ in wheel.name
