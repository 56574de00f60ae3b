"""A small benchmark harness (stdlib only), measured the way bench/ and the perf anchors measure.

* Every variant runs in a fresh child process.
* The variants of one table run round-robin, with the start rotated in each round.
* For each run: the op time the child reports (perf_counter around the operation, imports
  excluded), the whole-process wall time, the CPU time and the peak RSS (ru_maxrss from os.wait4,
  taken by bench/_spawn.py so that the harness's own memory does not leak into the figure).
* A ratio is the median over rounds of metric(variant) / metric(baseline) within the same round.

A variant that fails (exit code not accepted, or no result line) is reported with the first line of
its error and dropped from the following rounds; the others go on.
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from _result import RESULT_PREFIX

SPAWN = Path(__file__).resolve().parent / "_spawn.py"


@dataclass(frozen=True)
class Variant:
    """One thing to run: a command line and how to judge its exit."""

    name: str
    cmd: Sequence[str]
    ok_codes: tuple[int, ...] = (0,)
    cwd: str | None = None
    before: Callable[[], None] | None = None
    """Runs (untimed) before each run, e.g. to remove last run's outputs."""
    after: Callable[[], str | None] | None = None
    """Runs after a run that exited well: returns why the run failed after all (e.g. a missing
    output file, for commands whose accepted exit codes include 1), or None."""


@dataclass
class Sample:
    """One run of one variant."""

    variant: str
    round: int
    ok: bool
    whole: float
    cpu: float
    peak_mb: float
    op: float | None = None
    extra: dict[str, Any] = field(default_factory=dict)
    error: str | None = None


MEMORY_LIMIT_MB = [8192]
"""Address-space cap for every child (bench/_spawn.py); run.py sets it from --memory-limit."""


def run_child(variant: Variant, round_no: int = 0, timeout: float = 3600.0) -> Sample:
    """Run one variant in a fresh process (through bench/_spawn.py) and measure it."""
    if variant.before is not None:
        variant.before()
    with (
        tempfile.TemporaryFile() as out,
        tempfile.TemporaryFile() as err,
        tempfile.TemporaryDirectory() as tmp,
    ):
        report = Path(tmp) / "spawn.json"
        limit = str(MEMORY_LIMIT_MB[0])
        cmd = [sys.executable, str(SPAWN), str(report), str(timeout), limit, *variant.cmd]
        proc = subprocess.Popen(cmd, stdout=out, stderr=err, cwd=variant.cwd)
        try:
            proc.wait(timeout + 120)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        out.seek(0)
        err.seek(0)
        stdout = out.read().decode("utf-8", "replace")
        stderr = err.read().decode("utf-8", "replace")
        try:
            measured = json.loads(report.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            measured = {"code": -1, "wall": 0.0, "cpu": 0.0, "maxrss_kb": 0, "timed_out": True}
    code = measured["code"]
    sample = Sample(
        variant.name,
        round_no,
        ok=code in variant.ok_codes,
        whole=measured["wall"],
        cpu=measured["cpu"],
        peak_mb=measured["maxrss_kb"] / 1024,
    )
    for line in stdout.splitlines():
        if line.startswith(RESULT_PREFIX):
            data = json.loads(line[len(RESULT_PREFIX) :])
            sample.op = data.pop("op", None)
            sample.extra = data
    if sample.ok and variant.after is not None:
        problem = variant.after()
        if problem is not None:
            sample.ok = False
            last = [ln for ln in stderr.strip().splitlines() if ln.strip()]
            sample.error = f"exit {code}: {problem}" + (f" ({last[-1]})" if last else "")
            return sample
    if not sample.ok:
        lines = [ln for ln in stderr.strip().splitlines() if ln.strip()]
        reason = lines[-1] if lines else f"exit code {code}"
        if measured["timed_out"]:
            reason = f"timed out after {timeout:g} s"
        elif code < 0:
            reason = f"killed by signal {-code}"
        sample.error = f"exit {code}: {reason}"
    return sample


def round_robin(
    variants: Sequence[Variant],
    rounds: int,
    *,
    timeout: float = 3600.0,
    say: Callable[[str], None] = print,
) -> dict[str, list[Sample]]:
    """Run every variant `rounds` times, round-robin with a rotated start; drop failing ones."""
    samples: dict[str, list[Sample]] = {v.name: [] for v in variants}
    failed: set[str] = set()
    for round_no in range(rounds):
        start = round_no % len(variants)
        for variant in [*variants[start:], *variants[:start]]:
            if variant.name in failed:
                continue
            sample = run_child(variant, round_no, timeout)
            samples[variant.name].append(sample)
            if sample.ok:
                op = "" if sample.op is None else f" op {sample.op:.3f}s"
                say(
                    f"    round {round_no + 1}/{rounds}  {variant.name}:{op} whole "
                    f"{sample.whole:.3f}s  peak {sample.peak_mb:.0f} MB"
                )
            else:
                failed.add(variant.name)
                say(f"    round {round_no + 1}/{rounds}  {variant.name}: FAILED {sample.error}")
    return samples


@dataclass
class Stats:
    """Medians of one variant's successful runs."""

    name: str
    runs: int
    op: float | None
    whole: float | None
    cpu: float | None
    peak_mb: float | None
    peak_max_mb: float | None
    extra: dict[str, float]
    error: str | None


def _median(values: Sequence[float | None]) -> float | None:
    present = [v for v in values if v is not None]
    return statistics.median(present) if present else None


def stats(samples: Sequence[Sample], name: str) -> Stats:
    """Medians over the successful runs (and the error of a failed one)."""
    good = [s for s in samples if s.ok]
    error = next((s.error for s in samples if not s.ok), None)
    keys = sorted({k for s in good for k, v in s.extra.items() if isinstance(v, int | float)})
    return Stats(
        name,
        len(good),
        _median([s.op for s in good]),
        _median([s.whole for s in good]),
        _median([s.cpu for s in good]),
        _median([s.peak_mb for s in good]),
        max((s.peak_mb for s in good), default=None),
        {k: v for k in keys if (v := _median([s.extra.get(k) for s in good])) is not None},
        error,
    )


def ratio(
    samples: dict[str, list[Sample]], name: str, base: str, metric: str = "op"
) -> float | None:
    """Median over rounds of metric(name) / metric(base), both measured in the same round."""
    mine = {s.round: getattr(s, metric) for s in samples.get(name, []) if s.ok}
    theirs = {s.round: getattr(s, metric) for s in samples.get(base, []) if s.ok}
    values = [
        mine[r] / theirs[r] for r in mine if r in theirs and mine[r] is not None and theirs[r]
    ]
    return statistics.median(values) if values else None


def fmt(value: float | None, digits: int = 3) -> str:
    """A number for a table, or a dash."""
    return "–" if value is None else f"{value:.{digits}f}"


def fmt_count(value: float | None) -> str:
    """A count for a table (thousands separated), or a dash."""
    return "–" if value is None else f"{round(value):,}"


def table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """A Markdown table."""
    widths = [max(len(str(c)) for c in col) for col in zip(headers, *rows, strict=True)]
    lines = [
        "| " + " | ".join(str(h).ljust(w) for h, w in zip(headers, widths, strict=True)) + " |",
        "|" + "|".join("-" * (w + 2) for w in widths) + "|",
    ]
    lines.extend(
        "| " + " | ".join(str(c).ljust(w) for c, w in zip(row, widths, strict=True)) + " |"
        for row in rows
    )
    return "\n".join(lines)
