"""The operations bench/run.py times, one per child process: `python bench/_ops.py OP ARGS...`.

Each op imports what it needs first, then times only the operation with perf_counter and prints one
`BENCH {json}` line (bench/_harness.py reads it). Whole-process time and peak memory are measured by
the parent.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable

from _result import result_line


def statusdiff_read_statuses(path: str) -> None:
    """statusdiff.read.read_statuses: the whole reader (sniffing, hashing, header, records)."""
    from statusdiff.read import pausing_gc, read_statuses

    started = time.perf_counter()
    with pausing_gc():  # as the CLI does
        loaded = read_statuses(path)
    op = time.perf_counter() - started
    rows = sum(len(c.statuses) for c in loaded.records)
    result_line(op, rows=rows, campaigns=len(loaded.records))


def statusdiff_read_members(path: str) -> None:
    """statusdiff.read.read_members: counts per (campaign, status)."""
    from statusdiff.read import pausing_gc, read_members

    started = time.perf_counter()
    with pausing_gc():  # as the CLI does
        loaded = read_members(path)
    op = time.perf_counter() - started
    counts = loaded.records.counts
    result_line(op, rows=sum(counts.values()), keys=len(counts))


def calamine_iter_rows(path: str) -> None:
    """The bare calamine loop: open, first sheet, iterate the rows."""
    from python_calamine import CalamineWorkbook

    started = time.perf_counter()
    rows = 0
    for _ in CalamineWorkbook.from_path(path).get_sheet_by_index(0).iter_rows():
        rows += 1
    op = time.perf_counter() - started
    result_line(op, rows=rows)


def csv_reader_scan(path: str) -> None:
    """The bare stdlib loop: `for row in csv.reader(f): pass`."""
    import csv

    started = time.perf_counter()
    with open(path, encoding="utf-8", newline="") as handle:
        for _ in csv.reader(handle):
            pass
    op = time.perf_counter() - started
    result_line(op)


def statusdiff_stages(plan: str, channels: str, statuses: str, pairs: str, *more: str) -> None:
    """Read (pipeline.load), then compare alone, then (plan == "plan") plan_all: each timed.

    With two more arguments (members, campaigns) the job reads those too. The op time is read +
    compare.
    """
    from statusdiff.comparison import Rule, compare
    from statusdiff.pipeline import Job, load
    from statusdiff.read import collector_paused, pausing_gc
    from statusdiff.remediate import plan_all

    members, campaigns = (more[0], more[1]) if len(more) >= 2 else (None, None)
    job = Job(
        channels=[channels],
        statuses=statuses,
        pairs=pairs,
        members=members,
        campaigns=campaigns,
        member_ids=False,  # as `statusdiff compare` without --changes
    )
    t0 = time.perf_counter()
    with pausing_gc():  # as the CLI does
        inputs = load(job)
        t1 = time.perf_counter()
        with collector_paused():  # as pipeline.run does
            comparison = compare(
                inputs.channels,
                inputs.campaigns,
                pairings=inputs.pairings,
                members=inputs.members,
                campaign_info=inputs.campaign_info,
                rule=Rule.SUBSET,
            )
            t2 = time.perf_counter()
            figures = {"read": t1 - t0, "compare": t2 - t1, "pairs": comparison.summary.pairs}
            if plan == "plan":
                plan_all(comparison)
                figures["plan"] = time.perf_counter() - t2
    result_line(t2 - t0, **figures)


def statusdiff_matrix(channels: str, statuses: str) -> None:
    """Matrix mode (no pairs file): read (pipeline.load), then compare every campaign against
    every channel. The op time is read + compare; both are reported."""
    from statusdiff.comparison import Rule, compare
    from statusdiff.pipeline import Job, load
    from statusdiff.read import collector_paused, pausing_gc

    job = Job(channels=[channels], statuses=statuses)
    t0 = time.perf_counter()
    with pausing_gc():  # as the CLI does
        inputs = load(job)
        t1 = time.perf_counter()
        with collector_paused():  # as pipeline.run does
            comparison = compare(inputs.channels, inputs.campaigns, pairings=None, rule=Rule.SUBSET)
        t2 = time.perf_counter()
    result_line(
        t2 - t0,
        read=t1 - t0,
        compare=t2 - t1,
        pairs=comparison.summary.pairs,
        campaigns=len(inputs.campaigns),
        channels=len(inputs.channels),
    )


OPS: dict[str, Callable[..., None]] = {
    "statusdiff-read-statuses": statusdiff_read_statuses,
    "statusdiff-read-members": statusdiff_read_members,
    "calamine-iter-rows": calamine_iter_rows,
    "csv-reader-scan": csv_reader_scan,
    "statusdiff-stages": statusdiff_stages,
    "statusdiff-matrix": statusdiff_matrix,
}


if __name__ == "__main__":
    OPS[sys.argv[1]](*sys.argv[2:])
