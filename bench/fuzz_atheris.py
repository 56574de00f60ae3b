"""Coverage-guided fuzzing of the readers with atheris (by hand, never in CI).

    .venv/bin/pip install -e .[fuzz]
    .venv/bin/python bench/fuzz_atheris.py -atheris_runs=20000

Each input is written to a temporary file (suffix chosen by its first byte) and read with
`statusdiff inspect`; anything but exit 0 or 2 with one `error:` line is a finding. The same
check runs briefly under hypothesis in CI (tests/test_fuzz_readers.py).
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import atheris

with atheris.instrument_imports():
    from typer.testing import CliRunner

    from statusdiff.cli import app

SUFFIXES = (".csv", ".json", ".xml", ".sql", ".xlsx", ".txt")
ROOT = Path(__file__).resolve().parent.parent
SEEDS = [
    ROOT / "samples" / "marketo-channels.json",
    ROOT / "samples" / "salesforce-member-statuses.csv",
    ROOT / "samples" / "salesforce-member-statuses-report.xlsx",
]


def one_input(data: bytes) -> None:
    """Read one fuzzed file; raise when statusdiff does not answer with exit 0 or one error line."""
    if not data:
        return
    suffix = SUFFIXES[data[0] % len(SUFFIXES)]
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"input{suffix}"
        path.write_bytes(data[1:])
        result = CliRunner().invoke(app, ["inspect", str(path), "--limit", "seconds=5"])
    lines = result.stderr.splitlines()
    if result.exit_code not in (0, 2) or (
        result.exit_code == 2 and (len(lines) != 1 or not lines[0].startswith("error: "))
    ):
        raise AssertionError(f"exit {result.exit_code}: {result.stderr[:500]}")


def main() -> None:
    """Seed a corpus folder with the samples, then fuzz."""
    corpus = Path(tempfile.mkdtemp(prefix="statusdiff-corpus-"))
    for i, seed in enumerate(SEEDS):
        (corpus / f"seed{i}").write_bytes(bytes([SUFFIXES.index(seed.suffix)]) + seed.read_bytes())
    atheris.Setup([sys.argv[0], str(corpus), *sys.argv[1:]], one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
