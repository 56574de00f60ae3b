"""Fuzzing the readers (issue 15, point 3): any bytes give exit 0 or 2 and at most one error line.

Hypothesis mutates real exports of every format (bit flips, insertions, deletions, truncation)
and also feeds raw bytes behind each format's magic prefix. CI runs a brief pass; a long run by
hand: `STATUSDIFF_FUZZ_EXAMPLES=5000 .venv/bin/python -m pytest tests/test_fuzz_readers.py`.
(`python bench/fuzz_atheris.py` drives the same check with atheris, coverage-guided.)
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from statusdiff.cli import app

from .conftest import FIXTURES, REALWORLD, SAMPLES

SEEDS = [
    SAMPLES / "marketo-channels.json",
    SAMPLES / "salesforce-member-statuses.csv",
    SAMPLES / "salesforce-member-statuses-report.xlsx",
    REALWORLD / "marketo-soap-getchannels-response-adobe-docs-sample.xml",
    REALWORLD / "npsp-trailhead-dataset-campaignmemberstatus-excerpt.sql",
    FIXTURES / "dialects" / "statuses-utf16be.csv",
    FIXTURES / "dialects" / "statuses.ods",
    FIXTURES / "dialects" / "statuses.xls",
]
PREFIXES = [b"", b"PK\x03\x04", b"{", b"[", b"<", b"CREATE TABLE ", b"\xef\xbb\xbf", b"\xff\xfe"]
EXAMPLES = int(os.environ.get("STATUSDIFF_FUZZ_EXAMPLES", "30"))

_edit = st.tuples(
    st.floats(min_value=0, max_value=1),
    st.sampled_from(["flip", "insert", "delete", "truncate", "repeat"]),
    st.binary(min_size=1, max_size=8),
)


def _mutate(data: bytes, edits: list[tuple[float, str, bytes]]) -> bytes:
    buf = bytearray(data)
    for where, op, extra in edits:
        at = int(where * len(buf)) if buf else 0
        if op == "flip" and buf:
            buf[min(at, len(buf) - 1)] ^= extra[0] or 1
        elif op == "insert":
            buf[at:at] = extra
        elif op == "delete":
            del buf[at : at + len(extra)]
        elif op == "truncate":
            del buf[at:]
        elif op == "repeat":
            buf[at:at] = buf[at : at + 64] * (extra[0] % 8)
    return bytes(buf)


def check_bytes(data: bytes, suffix: str) -> None:
    """Read bytes as a file: exit 0 or 2, one 'error:' line on failure, never exit 3."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"input{suffix}"
        path.write_bytes(data)
        result = CliRunner().invoke(app, ["inspect", str(path), "--limit", "seconds=5"])
    assert result.exit_code in (0, 2), (result.exit_code, result.stderr, data[:200])
    if result.exit_code == 2:
        lines = result.stderr.splitlines()
        assert len(lines) == 1 and lines[0].startswith("error: "), result.stderr
    assert "Traceback" not in result.stderr


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(seed=st.sampled_from(SEEDS), edits=st.lists(_edit, min_size=1, max_size=6))
def test_mutated_exports_never_crash(seed: Path, edits: list[tuple[float, str, bytes]]) -> None:
    check_bytes(_mutate(seed.read_bytes(), edits), seed.suffix)


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(prefix=st.sampled_from(PREFIXES), body=st.binary(max_size=512))
def test_raw_bytes_behind_any_magic_never_crash(prefix: bytes, body: bytes) -> None:
    check_bytes(prefix + body, ".csv")


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=st.text(max_size=300))
def test_any_text_as_a_csv_never_crashes(text: str) -> None:
    check_bytes(("CampaignId,Label,HasResponded\n" + text).encode("utf-8", "surrogatepass"), ".csv")
