"""The wheel: built from the checkout, installed in a fresh venv, run from outside the checkout."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from .conftest import ROOT

WHEELHOUSE = ROOT / ".wheelhouse"

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(out),
            str(ROOT),
        ],
        check=True,
    )
    (found,) = out.glob("statusdiff-*.whl")
    return found


def test_wheel_ships_templates_samples_catalogue_and_marker(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "statusdiff/templates/report.html.j2" in names
    assert "statusdiff/samples/marketo-channels.json" in names
    assert "statusdiff/catalog/core.toml" in names
    assert "statusdiff/py.typed" in names
    assert not any(n.startswith("tests/") for n in names)


def test_installed_wheel_runs_outside_the_checkout(wheel: Path, tmp_path: Path) -> None:
    assert WHEELHOUSE.is_dir(), "run scripts/setup first: it fills .wheelhouse for this test"
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    python = venv / "bin" / "python"
    subprocess.run(
        [
            str(python),
            "-m",
            "pip",
            "install",
            "-q",
            "--no-index",
            "--find-links",
            str(WHEELHOUSE),
            str(wheel),
        ],
        check=True,
    )
    work = tmp_path / "elsewhere"
    work.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in {"PYTHONPATH", "VIRTUAL_ENV"}}
    version = subprocess.run(
        [str(venv / "bin" / "statusdiff"), "--version"],
        cwd=work,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert version.stdout.startswith("statusdiff ")
    module = subprocess.run(
        [str(python), "-m", "statusdiff", "--version"],
        cwd=work,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert module.stdout == version.stdout
    # The installed package, not the checkout, must be imported.
    where = subprocess.run(
        [str(python), "-c", "import statusdiff; print(statusdiff.__file__)"],
        cwd=work,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert str(venv) in where.stdout
    demo = subprocess.run(
        [str(venv / "bin" / "statusdiff"), "demo", "out"],
        cwd=work,
        env=env,
        capture_output=True,
        text=True,
    )
    assert demo.returncode == 0, demo.stderr
    html = (work / "out" / "statusdiff-report.html").read_text(encoding="utf-8")
    assert "7 pairs: 2 will sync, 4 will not, 1 cannot be checked" in html
    for name in ("statusdiff-report.xlsx", "statusdiff-report.json", "statusdiff-report.md"):
        assert (work / "out" / name).stat().st_size > 0
    assert (work / "out" / "dataloader" / "RUNBOOK.md").is_file()
