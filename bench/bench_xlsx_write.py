"""Benchmark the Excel report: statusdiff's workbook against bare openpyxl writing the same cells.

Run from the repository root:

    python bench/bench_xlsx_write.py [--pairs 5000 | --differences 50000] [--rounds 3]
    python bench/bench_xlsx_write.py --exports bench/data/full --rounds 3

The report is computed once, in a child process (synthetic exports for about N differences or N
pairs, or the channels.json, statuses.csv and pairs.csv of --exports), and pickled under --data;
the workbook is rendered once too, and its cell values, sheet by sheet, pickled next to it (what
the bare loop writes). Each variant then runs in a fresh child process, round-robin with a rotated
start in each round. A child loads the report and the cells, and only then starts its timer: "op"
is perf_counter around the write (imports and loading excluded). Its peak RSS comes from os.wait4,
through bench/_spawn.py (a 10 MB spawner, so the harness's memory never counts); "grew" is how much
the child's own high-water mark rose during the write. Variants:

- baseline: load the report and the cells, write nothing (the memory floor);
- statusdiff: render/xlsx.render(report), the whole workbook, to bytes (openpyxl write-only);
- statusdiff-normal: the same with openpyxl's ordinary (not write-only) workbook;
- openpyxl: bare openpyxl write-only, `ws.append(values)` for every row of every sheet of the same
  workbook: the same cells, without formats, widths, links, rich text or the renderer's work;
- openpyxl-formats: the same, each formatted cell a WriteOnlyCell with the same format (the floor
  for formatted cells: openpyxl's way to write them in write-only mode).
Optional (--variants): statusdiff-l1 and statusdiff-l6 (zip levels 1 and 6; openpyxl's own is 6).

Medians over the rounds; "x bare" is the median of the per-round ratios to the bare loop.
"""

from __future__ import annotations

import argparse
import csv
import gc
import hashlib
import json
import os
import pickle
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from io import BytesIO
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
SPAWN = Path(__file__).resolve().parent / "_spawn.py"

VARIANTS = ("baseline", "statusdiff", "statusdiff-normal", "openpyxl", "openpyxl-formats")
EXTRA = ("statusdiff-l1", "statusdiff-l6")
GENERATED_AT = "2026-03-02T09:00:00Z"
FULL_GENERATED_AT = "2026-01-01T00:00:00Z"

# One channel template; every campaign drifts from it the way real orgs do.
CHANNEL = [
    ("Invited", 10, False),
    ("Registered", 20, False),
    ("No Show", 30, False),
    ("Attended", 40, True),
    ("Attended On-Demand", 50, True),
]
DRIFT = [
    ["Invited", "Registerd", "No-Show", "Attended ", "Sent", "Responded"],
    ["invited", "Registered", "No\u00a0Show", "Attended", "Attended On\u2011Demand", "Opened"],
    ["Invited", "Registered ", "No Show", "Atended", "Clicked", "Responded"],
]


def _id(prefix: str, n: int) -> str:
    from statusdiff.ids import checksum

    head = f"{prefix}5gQa{n:08d}"
    return head + checksum(head)


def make_exports(folder: Path, differences: int, channels: int = 40) -> dict[str, str]:
    """Write synthetic channel, status and pairs exports giving about `differences` differences
    (a negative number: that many pairs)."""
    # The three drift patterns give 9, 7 and 7 differences (salesforce_only + marketo_only).
    pairs = -differences if differences < 0 else max(1, round(differences * 3 / 23))
    folder.mkdir(parents=True, exist_ok=True)
    doc = {
        "success": True,
        "errors": [],
        "warnings": [],
        "requestId": "bench",
        "result": [
            {
                "id": c,
                "name": f"Channel {c:02d}",
                "applicableProgramType": "webinar",
                "progressionStatuses": [
                    {"name": "Not in Program", "step": 0, "hidden": False, "success": False}
                ]
                + [{"name": n, "step": s, "hidden": False, "success": ok} for n, s, ok in CHANNEL],
            }
            for c in range(channels)
        ],
    }
    (folder / "channels.json").write_text(json.dumps(doc), encoding="utf-8")
    with open(folder / "statuses.csv", "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(
            ["Id", "CampaignId", "Campaign.Name", "Label", "HasResponded", "IsDefault", "SortOrder"]
        )
        n = 0
        for p in range(pairs):
            for order, label in enumerate(DRIFT[p % len(DRIFT)], 1):
                n += 1
                w.writerow(
                    [
                        _id("01Y", n),
                        _id("701", p),
                        f"Campaign {p:06d}",
                        label,
                        "true" if order >= 4 else "false",
                        "true" if order == 1 else "false",
                        order,
                    ]
                )
    with open(folder / "pairs.csv", "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["Program Name", "Channel", "SFDC Campaign"])
        for p in range(pairs):
            w.writerow([f"Program {p:06d}", f"Channel {p % channels:02d}", _id("701", p)])
    return {
        "channels": str(folder / "channels.json"),
        "statuses": str(folder / "statuses.csv"),
        "pairs": str(folder / "pairs.csv"),
    }


def _exports_key(exports: Path) -> str:
    """A name for the pickled report of an exports folder, changing when its files change."""
    digest = hashlib.sha256(str(exports.resolve()).encode())
    for name in ("channels.json", "statuses.csv", "pairs.csv"):
        stat = (exports / name).stat()
        digest.update(f"{name}:{stat.st_size}:{stat.st_mtime_ns}".encode())
    return f"{exports.name}-{digest.hexdigest()[:12]}"


def build_report(folder: Path, differences: int, exports: Path | None = None) -> Path:
    """Compute the report once, in a child process, and pickle it (reused while it exists).

    In a child so that the harness stays small: on Linux a child's peak RSS starts from the
    high-water mark of the process it is forked from."""
    name = _exports_key(exports) if exports is not None else str(differences)
    cached = folder / f"report-{name}.pickle"
    if not cached.exists():
        folder.mkdir(parents=True, exist_ok=True)
        args = ["--exports", str(exports)] if exports is not None else []
        subprocess.run(
            [
                sys.executable,
                __file__,
                "--build",
                str(cached),
                "--differences",
                str(differences),
                "--data",
                str(folder),
                *args,
            ],
            check=True,
        )
    return cached


def _build(target: Path, folder: Path, differences: int, exports: str | None) -> None:
    from statusdiff.pipeline import Job, run

    if exports is not None:
        files = {k: str(Path(exports) / f) for k, f in _EXPORT_FILES.items()}
        when = FULL_GENERATED_AT
    else:
        files = make_exports(folder / f"exports-{differences}", differences)
        when = GENERATED_AT
    started = time.perf_counter()
    report = run(
        Job(channels=[files["channels"]], statuses=files["statuses"], pairs=files["pairs"]),
        generated_at=when,
    )
    took = time.perf_counter() - started
    count = sum(len(p.differences) for p in report.comparison.pairs)
    blocked = sum(1 for p in report.comparison.pairs if not p.compatible)
    print(
        f"built the report: {len(report.comparison.pairs)} pairs ({blocked} blocked), "
        f"{count} differences, {len(report.plans)} plans in {took:.1f} s",
        file=sys.stderr,
    )
    target.write_bytes(pickle.dumps(report, protocol=pickle.HIGHEST_PROTOCOL))


_EXPORT_FILES = {"channels": "channels.json", "statuses": "statuses.csv", "pairs": "pairs.csv"}


Sheets = list[tuple[str, list[list[Any]]]]
"""Every sheet's title and rows; a cell with a format is a (format key, value) tuple."""


def workbook_cells(report: Any) -> tuple[Sheets, dict[int, tuple[Any, ...]]]:
    """Every sheet of statusdiff's workbook and its cells as stored (the same strings, escapes
    included, and numbers), and the formats of the cells that have one (font, fill, border,
    alignment, number format): what the bare loops write."""
    from openpyxl import load_workbook

    from statusdiff.render import xlsx

    book = load_workbook(BytesIO(xlsx.render(report)), read_only=True)
    formats: dict[int, tuple[Any, ...]] = {}
    sheets: Sheets = []
    for ws in book.worksheets:
        rows = []
        for row in ws.iter_rows():
            values: list[Any] = []
            for cell in row:
                if not getattr(cell, "has_style", False):  # an EmptyCell has none
                    values.append(getattr(cell, "value", None))
                    continue
                key = cell._style_id
                if key not in formats:
                    formats[key] = (
                        cell.font,
                        cell.fill,
                        cell.border,
                        cell.alignment,
                        cell.number_format,
                    )
                values.append((key, cell.value))
            rows.append(values)
        sheets.append((ws.title, rows))
    book.close()
    return sheets, formats


def _bare_openpyxl(sheets: Sheets) -> bytes:
    """The values alone, appended row by row."""
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    for title, rows in sheets:
        ws = book.create_sheet(title)
        for row in rows:
            ws.append([v[1] if type(v) is tuple else v for v in row])
    out = BytesIO()
    book.save(out)
    return out.getvalue()


def _bare_openpyxl_formats(sheets: Sheets, formats: dict[int, tuple[Any, ...]]) -> bytes:
    """The values and their formats: a WriteOnlyCell, with its format, for each formatted cell
    (openpyxl's way to write a formatted cell in write-only mode)."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    book = Workbook(write_only=True)
    arrays: dict[int, Any] = {}
    for title, rows in sheets:
        ws = book.create_sheet(title)
        if not arrays:
            for key, (font, fill, border, alignment, number_format) in formats.items():
                proto = WriteOnlyCell(ws)
                proto.font, proto.fill, proto.border = font, fill, border
                proto.alignment, proto.number_format = alignment, number_format
                arrays[key] = proto._style
        for row in rows:
            cells = []
            for v in row:
                if type(v) is tuple:
                    cell = WriteOnlyCell(ws, v[1])
                    cell._style = arrays[v[0]]
                    cells.append(cell)
                else:
                    cells.append(v)
            ws.append(cells)
    out = BytesIO()
    book.save(out)
    return out.getvalue()


def _render(report: Any, **settings: Any) -> bytes:
    from statusdiff.render import xlsx

    for name, value in settings.items():
        setattr(xlsx, name, value)
    return xlsx.render(report)


def _cells_of(data: str) -> tuple[Sheets, dict[int, tuple[Any, ...]]]:
    """The workbook's cells, read once per report and pickled next to it."""
    cached = Path(data).with_suffix(".cells.pickle")
    if not cached.exists():
        with open(data, "rb") as handle:
            report = pickle.load(handle)
        cached.write_bytes(pickle.dumps(workbook_cells(report), protocol=pickle.HIGHEST_PROTOCOL))
    with cached.open("rb") as handle:
        cells: tuple[Sheets, dict[int, tuple[Any, ...]]] = pickle.load(handle)
    return cells


def child(variant: str, data: str, *, trace: bool = False) -> None:
    """Run one variant and print its figures as JSON (`trace`: Python allocations, not time)."""
    # NOTE: the writer is imported before the timer, for every variant alike.
    import openpyxl  # noqa: F401

    from statusdiff.render import xlsx

    with open(data, "rb") as handle:  # streamed, so loading leaves no large transient peak
        report = pickle.load(handle)
    sheets, formats = _cells_of(data)
    cells = sum(1 for _, rows in sheets for row in rows for v in row if v is not None)
    rows = sum(len(rows) for _, rows in sheets)
    gc.collect()
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    if trace:
        tracemalloc.start()
    started = time.perf_counter()
    if variant == "baseline":
        out = b""
    elif variant == "statusdiff":
        out = xlsx.render(report)
    elif variant == "statusdiff-normal":
        out = _render(report, WRITE_ONLY=False)
    elif variant == "statusdiff-l1":
        out = _render(report, LEVEL=1)
    elif variant == "statusdiff-l6":
        out = _render(report, LEVEL=6)
    elif variant == "openpyxl":
        out = _bare_openpyxl(sheets)
    elif variant == "openpyxl-formats":
        out = _bare_openpyxl_formats(sheets, formats)
    else:
        raise SystemExit(f"unknown variant {variant}")
    op = time.perf_counter() - started
    traced = tracemalloc.get_traced_memory()[1] / 2**20 if trace else None
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    pairs = report.comparison.pairs
    print(
        json.dumps(
            {
                "variant": variant,
                "op": op,
                "grew_mb": peak - before,
                "traced_mb": traced,
                "rows": rows,
                "cells": cells,
                "pairs": len(pairs),
                "differences": sum(len(p.differences) for p in pairs),
                "blocked": sum(1 for p in pairs if not p.compatible),
                "bytes": len(out),
            }
        )
    )


def spawn(variant: str, data: Path, *, trace: bool = False) -> dict[str, Any]:
    """One child through bench/_spawn.py: its JSON line, wall time and peak RSS."""
    with tempfile.NamedTemporaryFile(suffix=".json") as facts:
        cmd = [sys.executable, __file__, "--child", variant, "--report", str(data)]
        if trace:
            cmd.append("--trace")
        done = subprocess.run(
            [sys.executable, str(SPAWN), facts.name, "3600", "0", *cmd],
            check=True,
            capture_output=True,
            text=True,
        )
        spawned = json.loads(Path(facts.name).read_text(encoding="utf-8"))
    if spawned["code"] != 0:
        raise SystemExit(f"{variant} failed: {done.stderr.strip().splitlines()[-1:]}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    result["wall"] = spawned["wall"]
    result["peak_mb"] = spawned["maxrss_kb"] / 1024
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--differences", type=int, default=50_000)
    parser.add_argument("--pairs", type=int, help="that many pairs instead of --differences")
    parser.add_argument("--exports", help="a folder with channels.json, statuses.csv, pairs.csv")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--variants", default=",".join(VARIANTS))
    parser.add_argument("--data", default=os.path.join(tempfile.gettempdir(), "statusdiff-bench"))
    parser.add_argument("--child", choices=VARIANTS + EXTRA)
    parser.add_argument("--build", help=argparse.SUPPRESS)
    parser.add_argument("--report")
    parser.add_argument("--json", help="also write the raw runs to this file")
    parser.add_argument(
        "--trace",
        action="store_true",
        help="add one untimed pass per variant under tracemalloc (peak Python allocations)",
    )
    args = parser.parse_args()
    if args.build:
        _build(Path(args.build), Path(args.data), args.differences, args.exports)
        _cells_of(args.build)
        return
    if args.child:
        child(args.child, args.report, trace=args.trace)
        return
    exports = Path(args.exports) if args.exports else None
    size = -args.pairs if args.pairs else args.differences
    data = build_report(Path(args.data), size, exports)
    runs: list[dict[str, Any]] = []
    wanted = args.variants.split(",")
    chosen = tuple(v for v in VARIANTS + EXTRA if v in wanted)
    for rnd in range(args.rounds):
        order = chosen[rnd % len(chosen) :] + chosen[: rnd % len(chosen)]
        for variant in order:
            result = spawn(variant, data)
            result["round"] = rnd
            runs.append(result)
            print(
                f"round {rnd + 1} {variant:24} op {result['op']:6.2f} s  "
                f"peak {result['peak_mb']:6.1f} MB (+{result['grew_mb']:.1f} during the op)",
                file=sys.stderr,
            )
    traced: dict[str, float] = {}
    if args.trace:
        for variant in chosen:
            traced[variant] = spawn(variant, data, trace=True)["traced_mb"]
            print(f"traced {variant:24} {traced[variant]:7.1f} MB", file=sys.stderr)
    if args.json:
        Path(args.json).write_text(json.dumps(runs, indent=1), encoding="utf-8")
    print(table(runs, traced))


def table(runs: list[dict[str, Any]], traced: dict[str, float] | None = None) -> str:
    """Medians per variant, and ratios to each bare writer taken round by round."""
    by: dict[str, list[dict[str, Any]]] = {}
    for r in runs:
        by.setdefault(r["variant"], []).append(r)
    rounds = sorted({r["round"] for r in runs})
    op = {(r["variant"], r["round"]): r["op"] for r in runs}

    def median(variant: str, key: str) -> float:
        return statistics.median(i[key] for i in by[variant])

    def ratio(variant: str, bare: str) -> str:
        if variant == "baseline" or bare not in by:
            return ""
        pairs = [op[variant, n] / op[bare, n] for n in rounds if (bare, n) in op]
        return f"{statistics.median(pairs):.2f}"

    first = next(iter(by.values()))[0]
    lines = [
        f"{first['pairs']:,} pairs, {first['differences']:,} differences; the workbook has "
        f"{first['rows']:,} rows and {first['cells']:,} non-empty cells; "
        f"{first['blocked']:,} pairs blocked; {len(rounds)} rounds (medians)",
        "",
        "| variant | op s | whole process s | peak RSS MB | RSS grew during the op MB"
        " | traced peak of the op MB | out MB | × bare openpyxl write-only"
        " | × bare openpyxl write-only, same formats |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    lines.extend(
        f"| {variant} | {median(variant, 'op'):.2f} | {median(variant, 'wall'):.2f} "
        f"| {median(variant, 'peak_mb'):.0f} | {median(variant, 'grew_mb'):.0f} "
        f"| {(traced or {}).get(variant, float('nan')):.1f} "
        f"| {median(variant, 'bytes') / 1e6:.1f} "
        f"| {ratio(variant, 'openpyxl')} | {ratio(variant, 'openpyxl-formats')} |"
        for variant in VARIANTS + EXTRA
        if variant in by
    )
    return "\n".join(lines)


if __name__ == "__main__":
    main()
