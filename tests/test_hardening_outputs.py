"""Issue 15, outputs: inputs never written, whole output sets, locks, signals, modes, the guard.

Every attack file is generated here, in a temporary folder.
"""

from __future__ import annotations

import errno
import json
import os
import shutil
import signal
import stat
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from statusdiff import output
from statusdiff.cli import app

from .conftest import GENERATED_AT, SAMPLES

CHANNELS = SAMPLES / "marketo-channels.json"
STATUSES = SAMPLES / "salesforce-member-statuses.csv"


@pytest.fixture
def work(tmp_path: Path) -> Path:
    """A folder holding copies of the sample exports."""
    for name in (
        "marketo-channels.json",
        "salesforce-member-statuses.csv",
        "salesforce-member-statuses-report.xlsx",
        "salesforce-campaign-members.csv",
    ):
        shutil.copy(SAMPLES / name, tmp_path / name)
    return tmp_path


def _compare(work: Path, *extra: str) -> list[str]:
    return [
        "compare",
        str(work / "marketo-channels.json"),
        str(work / "salesforce-member-statuses.csv"),
        "--generated-at",
        GENERATED_AT,
        *extra,
    ]


def _one_error_line(stderr: str) -> str:
    lines = [line for line in stderr.splitlines() if line.strip()]
    assert len(lines) == 1, stderr
    assert lines[0].startswith("error: "), stderr
    return lines[0]


def _leftovers(folder: Path) -> list[str]:
    return sorted(
        str(p.relative_to(folder))
        for p in folder.rglob(".*")
        if p.name.startswith((output.STAGING_PREFIX, output.LOCK_NAME)) or p.suffix == ".tmp"
    )


# ---------------------------------------------------------------------------------------------
# 1. Inputs are never written
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "target",
    [
        "marketo-channels.json",
        "sub/../marketo-channels.json",
        "sub/../sub/../marketo-channels.json",
    ],
)
def test_an_output_naming_an_input_is_refused_before_reading(work: Path, target: str) -> None:
    (work / "sub").mkdir()
    before = {p.name: p.read_bytes() for p in work.iterdir() if p.is_file()}
    result = CliRunner().invoke(app, _compare(work, "-o", str(work / target)))
    assert result.exit_code == 2
    assert "this output is the input" in _one_error_line(result.stderr)
    assert {p.name: p.read_bytes() for p in work.iterdir() if p.is_file()} == before


def test_an_xlsx_input_cannot_be_overwritten_by_the_workbook_report(work: Path) -> None:
    xlsx = work / "salesforce-member-statuses-report.xlsx"
    before = xlsx.read_bytes()
    args = ["compare", str(work / "marketo-channels.json"), str(xlsx), "-o", str(xlsx)]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 2, result.output
    assert "this output is the input" in result.stderr
    assert xlsx.read_bytes() == before


def test_a_symlink_or_hard_link_to_an_input_is_refused(work: Path) -> None:
    (work / "link.json").symlink_to(work / "marketo-channels.json")
    os.link(work / "marketo-channels.json", work / "hard.json")
    before = (work / "marketo-channels.json").read_bytes()
    for name in ("link.json", "hard.json"):
        result = CliRunner().invoke(app, _compare(work, "-o", str(work / name)))
        assert result.exit_code == 2
        assert "this output is the input" in result.stderr
    assert (work / "marketo-channels.json").read_bytes() == before


@pytest.mark.parametrize(
    "name",
    [
        "CampaignMemberStatus-update.csv",
        "review-CampaignMemberStatus-update.csv",
        "rollback-review-CampaignMember-update.csv",
        "review-CampaignMemberStatus-delete.sdl",
    ],
)
def test_a_change_folder_holding_an_input_named_like_a_change_file_is_refused(
    work: Path, name: str
) -> None:
    from statusdiff.render.dataloader import possible_names

    assert name in possible_names()
    changes = work / "dl"
    changes.mkdir()
    victim = changes / name
    shutil.copy(STATUSES, victim)
    before = victim.read_bytes()
    args = ["compare", str(work / "marketo-channels.json"), str(victim), "--changes", str(changes)]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 2
    assert "this output is the input" in _one_error_line(result.stderr)
    assert victim.read_bytes() == before
    assert sorted(p.name for p in changes.iterdir()) == [victim.name]


# ---------------------------------------------------------------------------------------------
# 5. Whole output sets
# ---------------------------------------------------------------------------------------------


def _outputs(work: Path) -> list[str]:
    return ["-o", str(work / "r.json"), "-o", str(work / "r.md"), "--changes", str(work / "dl")]


def _snapshot(work: Path) -> dict[str, bytes]:
    changes = sorted(p for p in (work / "dl").glob("*") if not p.name.startswith("."))
    names = [work / "r.json", work / "r.md", *changes]
    return {str(p.relative_to(work)): p.read_bytes() for p in names}


def test_a_failure_half_way_leaves_the_previous_set_whole(
    work: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = CliRunner().invoke(app, _compare(work, *_outputs(work)))
    assert first.exit_code == 1, first.output
    before = _snapshot(work)
    assert len(before) >= 8
    real_add = output.OutputSet.add
    calls = []

    def full_disk(self: output.OutputSet, root: str, relative: str, data: object) -> str:
        calls.append(relative)
        if len(calls) == 6:
            raise output.OutputError("cannot write (No space left on device)", file=relative)
        return real_add(self, root, relative, data)  # type: ignore[arg-type]

    monkeypatch.setattr(output.OutputSet, "add", full_disk)
    second = CliRunner().invoke(app, _compare(work, "--lang", "fr", *_outputs(work)))
    assert second.exit_code == 2
    _one_error_line(second.stderr)
    assert _snapshot(work) == before
    assert _leftovers(work) == []


def test_an_os_error_while_staging_is_one_line_and_cleans_up(
    work: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_fsync = os.fsync
    count = [0]

    def failing_fsync(fd: int) -> None:
        count[0] += 1
        if count[0] == 3:
            raise OSError(errno.ENOSPC, "No space left on device")
        real_fsync(fd)

    monkeypatch.setattr(output.os, "fsync", failing_fsync)
    result = CliRunner().invoke(app, _compare(work, *_outputs(work)))
    assert result.exit_code == 2
    line = _one_error_line(result.stderr)
    assert "No space left on device" in line and "previous files were left" in line
    assert not (work / "r.json").exists()
    assert not (work / "dl").exists() or list((work / "dl").iterdir()) == []
    assert _leftovers(work) == []


_SLOW_RUN = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from statusdiff import output
    from statusdiff.cli import main

    marker = Path(sys.argv.pop(1))
    pause = float(sys.argv.pop(1))
    real_add = output.OutputSet.add
    calls = []

    def slow_add(self, root, relative, data):
        path = real_add(self, root, relative, data)
        calls.append(path)
        if len(calls) == 4:
            marker.write_text("staged")
            time.sleep(pause)
        return path

    output.OutputSet.add = slow_add
    main()
    """
)


def _start_slow(
    work: Path, *args: str, pause: float = 30.0
) -> tuple[subprocess.Popen[bytes], Path]:
    marker = work / "marker"
    marker.unlink(missing_ok=True)
    proc = subprocess.Popen(
        [sys.executable, "-c", _SLOW_RUN, str(marker), str(pause), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 60
    while not marker.exists():
        assert proc.poll() is None, proc.communicate()
        assert time.monotonic() < deadline
        time.sleep(0.05)
    return proc, marker


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGKILL])
def test_a_killed_run_leaves_the_previous_set_and_no_temporary_files(
    work: Path, sig: signal.Signals
) -> None:
    first = CliRunner().invoke(app, _compare(work, *_outputs(work)))
    assert first.exit_code == 1
    before = _snapshot(work)
    proc, marker = _start_slow(work, *_compare(work, "--lang", "fr", *_outputs(work)))
    marker.unlink()
    proc.send_signal(sig)
    _, err = proc.communicate(timeout=60)
    assert _snapshot(work) == before
    if sig == signal.SIGTERM:
        assert proc.returncode == 143
        assert _one_error_line(err.decode()).startswith("error: arrêté (SIGTERM)")
        assert _leftovers(work) == []
    else:
        assert _leftovers(work)  # kill -9 cannot clean up…
        again = CliRunner().invoke(app, _compare(work, "--lang", "fr", *_outputs(work)))
        assert again.exit_code == 1
        assert _leftovers(work) == []  # …the next run removes what it left
        assert json.loads((work / "r.json").read_bytes())["lang"] == "fr"


def test_two_concurrent_runs_leave_one_whole_set(work: Path) -> None:
    slow, _ = _start_slow(work, *_compare(work, "--lang", "fr", *_outputs(work)), pause=1.5)
    fast = subprocess.run(
        [sys.executable, "-m", "statusdiff", *_compare(work, "--lang", "en", *_outputs(work))],
        capture_output=True,
        timeout=120,
        check=False,
        env={**os.environ},
    )
    # The fast run waited for the slow one (lock), so its set, written last, is whole.
    slow.communicate(timeout=60)
    assert slow.returncode == 1 and fast.returncode == 1, fast.stderr
    assert json.loads((work / "r.json").read_bytes())["lang"] == "en"
    assert "statut" not in (work / "r.md").read_text(encoding="utf-8").lower()[:200]
    assert "RUNBOOK.md" in _snapshot(work).keys().__str__()
    assert _leftovers(work) == []


def test_a_held_lock_makes_the_other_run_fail_with_a_clear_message(
    work: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import fcntl

    monkeypatch.setattr(output, "LOCK_WAIT", 0.3)
    fd = os.open(work / output.LOCK_NAME, os.O_RDWR | os.O_CREAT)
    fcntl.flock(fd, fcntl.LOCK_EX)
    try:
        result = CliRunner().invoke(app, _compare(work, "-o", str(work / "r.json")))
    finally:
        os.close(fd)
    assert result.exit_code == 2
    assert "another statusdiff run is writing into this folder" in _one_error_line(result.stderr)
    assert not (work / "r.json").exists()


# ---------------------------------------------------------------------------------------------
# 6. Permissions
# ---------------------------------------------------------------------------------------------


def test_new_files_honour_the_umask_and_existing_files_keep_their_mode(work: Path) -> None:
    old = os.umask(0o077)
    try:
        result = CliRunner().invoke(app, _compare(work, *_outputs(work)))
    finally:
        os.umask(old)
    assert result.exit_code == 1
    for name in _snapshot(work):
        assert stat.S_IMODE((work / name).stat().st_mode) == 0o600, name
    os.chmod(work / "r.json", 0o640)
    os.umask(0o022)
    try:
        again = CliRunner().invoke(app, _compare(work, *_outputs(work)))
    finally:
        os.umask(old)
    assert again.exit_code == 1
    assert stat.S_IMODE((work / "r.json").stat().st_mode) == 0o640
    assert stat.S_IMODE((work / "r.md").stat().st_mode) == 0o600


def test_a_symlinked_target_is_replaced_not_followed(work: Path) -> None:
    elsewhere = work / "elsewhere.txt"
    elsewhere.write_text("keep me")
    (work / "r.json").symlink_to(elsewhere)
    result = CliRunner().invoke(app, _compare(work, "-o", str(work / "r.json")))
    assert result.exit_code == 1
    assert elsewhere.read_text() == "keep me"
    assert not (work / "r.json").is_symlink()


# ---------------------------------------------------------------------------------------------
# 3. The guard, 4. terminal safety, 10. error lines
# ---------------------------------------------------------------------------------------------


def test_an_unexpected_exception_is_exit_3_one_line_and_a_crash_file(
    work: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from statusdiff import commands

    def boom(args: object) -> int:
        raise ZeroDivisionError("a bug")

    monkeypatch.setattr(commands, "compare", boom)
    result = CliRunner().invoke(app, _compare(work))
    assert result.exit_code == 3
    line = _one_error_line(result.stderr)
    assert line.startswith("error: internal error — please report — the details are in ")
    crash = Path(line.split("the details are in ", 1)[1].split(";", 1)[0])
    try:
        assert "ZeroDivisionError: a bug" in crash.read_text(encoding="utf-8")
    finally:
        crash.unlink()


def test_the_internal_error_phrase_is_french_with_lang_fr(
    work: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from statusdiff import commands, i18n

    monkeypatch.setattr(commands, "compare", lambda args: 1 // 0)
    result = CliRunner().invoke(app, _compare(work, "--lang", "fr"))
    i18n.set_cli_language("en")
    assert result.exit_code == 3
    line = _one_error_line(result.stderr)
    assert "erreur interne — merci de la signaler" in line
    Path(line.split("sont dans ", 1)[1].split(";", 1)[0].strip()).unlink()


def test_usage_errors_are_one_line(work: Path) -> None:
    # Click's own usage errors (an unknown option, a missing argument) were several lines.
    for args in (["compare", "x.json", "--no-such-option"], ["inspect"]):
        result = CliRunner().invoke(app, args)
        assert result.exit_code == 2
        assert "--help" in _one_error_line(result.stderr)
    result = CliRunner().invoke(app, ["compare"])
    assert result.exit_code == 2
    _one_error_line(result.stderr)


def _hostile_channels(work: Path) -> Path:
    data = json.loads(CHANNELS.read_text(encoding="utf-8"))
    webinar = data["result"][0]
    webinar["name"] = "Webinar\x1b[2J\x1b[H"
    webinar["progressionStatuses"][1]["name"] = "Invited\u202e\x07"
    path = work / "hostile.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def test_control_characters_are_escaped_on_the_terminal_and_exact_in_files(work: Path) -> None:
    channels = _hostile_channels(work)
    statuses = work / "st.csv"
    statuses.write_text(
        "CampaignId,Label,HasResponded,IsDefault\n"
        "7015gQa00000001ABA,Invited\u202e\x07,false,true\n"
        '7015gQa00000001ABA,"error: none — all 12 pairs will sync\x1b[2K",true,false\n',
        encoding="utf-8",
    )
    args = [
        "compare",
        str(channels),
        str(statuses),
        "--channel",
        "Webinar\x1b[2J\x1b[H",
        "--campaign",
        "7015gQa00000001ABA",
        "-o",
        str(work / "r.json"),
    ]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 1, result.output
    for text in (result.stdout, result.stderr):
        assert "\x1b" not in text and "\u202e" not in text and "\x07" not in text
    assert "Webinar\\x1b[2J\\x1b[H" in result.stdout
    report = json.loads((work / "r.json").read_text(encoding="utf-8"))
    labels = {d["label"] for d in report["pairs"][0]["differences"]}
    assert "error: none — all 12 pairs will sync\x1b[2K" in labels
    inspect = CliRunner().invoke(app, ["inspect", str(channels), "--json"])
    assert inspect.exit_code == 0
    assert "\x1b" not in inspect.stdout and "\u202e" not in inspect.stdout
    (found,) = json.loads(inspect.stdout)  # the same data, escaped the JSON way
    assert found["file"] == str(channels)
    assert found["records"] == len(json.loads(channels.read_text(encoding="utf-8"))["result"])


def test_an_error_line_naming_a_hostile_file_is_escaped(work: Path) -> None:
    name = work / "evil\x1b[31m.csv"
    result = CliRunner().invoke(app, ["inspect", str(name)])
    assert result.exit_code == 2
    line = _one_error_line(result.stderr)
    assert "\x1b" not in line and "evil\\x1b[31m.csv: file not found" in line


def test_a_full_stdout_is_one_line_naming_standard_output(work: Path) -> None:
    if not Path("/dev/full").exists():
        pytest.skip("no /dev/full on this system")  # pragma: no cover
    with open("/dev/full", "wb") as full:
        proc = subprocess.run(
            [sys.executable, "-m", "statusdiff", *_compare(work, "-o", "-")],
            stdout=full,
            stderr=subprocess.PIPE,
            timeout=120,
            check=False,
        )
    assert proc.returncode == 2
    line = _one_error_line(proc.stderr.decode())
    assert line.startswith("error: standard output: cannot be written (No space left on device)")


def test_a_fifo_and_a_symlink_loop_are_named_for_what_they_are(work: Path) -> None:
    fifo = work / "pipe.csv"
    os.mkfifo(fifo)
    (work / "a.csv").symlink_to(work / "b.csv")
    (work / "b.csv").symlink_to(work / "a.csv")
    cases = {
        fifo: "is not a regular file (a pipe, a socket or a device)",
        work / "a.csv": "the path is a loop of symbolic links",
        Path("/dev/null"): "is not a regular file",
    }
    for path, expected in cases.items():
        result = CliRunner().invoke(app, ["inspect", str(path)])
        assert result.exit_code == 2
        assert expected in _one_error_line(result.stderr)


def test_option_values_that_would_crash_are_exit_2(work: Path) -> None:
    cases = {
        ("--generated-at", "0001-01-01T00:00:00+14:00"): "outside the years 1 to 9999",
        ("--encoding", "statuses=rot13"): "'rot13' is a codec, not a text encoding",
        ("--program", "P\udcff"): "holds bytes that are not text",
        (
            "--members",
            str(work / "m\udcff.csv"),
        ): "mU+DCFF.csv: the file name holds bytes that are not text",
    }
    for option, expected in cases.items():
        extra = [*option]
        if option[0] == "--program":
            extra += ["--channel", "Webinar", "--campaign", "7015gQa00000001ABA"]
        result = CliRunner().invoke(app, _compare(work, *extra))
        assert result.exit_code == 2, result.output
        assert expected in _one_error_line(result.stderr)


def test_a_change_folder_holds_exactly_the_latest_set(tmp_path: Path) -> None:
    folder = tmp_path / "dl"
    first = {"a.csv": b"1", "sub/b.csv": b"2", "RUNBOOK.md": b"old"}
    assert len(output.write_many(str(folder), first)) == 3
    (folder / "notes.txt").write_text("mine")
    (tmp_path / "outside.txt").write_text("keep")
    victim = folder / "input.csv"
    victim.write_text("an export")
    manifest = output.manifest_of(folder)
    assert manifest == tmp_path / ".dl.statusdiff-set"
    manifest.write_text(manifest.read_text() + "../outside.txt\ninput.csv\n")
    with output.OutputSet([folder], protected=[str(victim)], whole_folders=[folder]) as out:
        out.add(folder, "RUNBOOK.md", b"new")
        out.commit()
    assert sorted(p.name for p in folder.rglob("*") if p.is_file()) == [
        "RUNBOOK.md",
        "input.csv",
        "notes.txt",
    ]
    assert (folder / "RUNBOOK.md").read_bytes() == b"new"
    assert (tmp_path / "outside.txt").read_text() == "keep"
    assert manifest.read_text() == "RUNBOOK.md\n"
