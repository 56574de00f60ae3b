"""Benchmark the Excel report: statusdiff's workbook against bare writers writing the same rows.

Run from the repository root:

    python bench/bench_xlsx_write.py [--differences 50000] [--rounds 3]
    python bench/bench_xlsx_write.py --exports bench/data/full --rounds 3

The report is computed once, in a child process (synthetic exports for about N differences, or the
channels.json, statuses.csv and pairs.csv of --exports), and pickled under --data. Each variant then
runs in a fresh child process, round-robin with a rotated start in each round. A child loads the
report, builds the Differences rows as plain values, and only then starts its timer: "op" is
perf_counter around the write (imports and loading excluded). Its peak RSS comes from os.wait4,
through bench/_spawn.py (a 10 MB spawner, so the harness's memory never counts); "grew" is how much
the child's own high-water mark rose during the write. Variants:

- baseline: load the report and build the rows, write nothing (the memory floor);
- statusdiff: render/xlsx.render(report), the whole workbook, to bytes (shared strings, the
  renderer's zip level);
- statusdiff-inline: the same with inline strings instead of the shared-strings table;
- statusdiff-differences: only the Differences sheet, written by the renderer's own code (formats,
  rich text, widths, sentences);
- sheetxml: the same Differences rows as the bare writers, with statusdiff's writer and no formats;
- xlsxwriter: bare xlsxwriter, constant_memory, write_string/write_number, the same rows;
- openpyxl: bare openpyxl write-only workbook, the same rows.
Optional (--variants): statusdiff-l1 and statusdiff-l6 (zip levels 1 and 6), sheetxml-l6.

Medians over the rounds; "x bare" is the median of the per-round ratios to the bare writer.
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

VARIANTS = (
    "baseline",
    "statusdiff",
    "statusdiff-inline",
    "statusdiff-differences",
    "sheetxml",
    "xlsxwriter",
    "openpyxl",
)
EXTRA = ("statusdiff-l1", "statusdiff-l6", "sheetxml-l6")
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
    """Write synthetic channel, status and pairs exports giving about `differences` differences."""
    # The three drift patterns give 9, 7 and 7 differences (salesforce_only + marketo_only).
    pairs = max(1, round(differences * 3 / 23))
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


def difference_rows(report: Any) -> list[list[Any]]:
    """The Differences sheet's cells as plain values (what the bare writers write)."""
    from statusdiff.i18n import Catalog
    from statusdiff.render import phrases, xlsx

    t = Catalog(report.lang)
    rows: list[list[Any]] = []
    for pair in report.comparison.pairs:
        campaign = pair.campaign.display if pair.campaign is not None else pair.campaign_ref
        for d in pair.differences:
            near = d.near_match
            rows.append(
                [
                    pair.index,
                    pair.program,
                    pair.channel_name,
                    campaign,
                    t(f"kind.{d.kind.value}"),
                    d.label,
                    near.target if near else None,
                    phrases.reasons(t, near),
                    xlsx._explained(t, d),
                    near.score if near else None,
                    d.members,
                    t("kind.blocking") if d.blocking else t("kind.informational"),
                    d.status.record_id if d.status else None,
                ]
            )
    return rows


def _bare_xlsxwriter(rows: list[list[Any]]) -> bytes:
    import xlsxwriter

    out = BytesIO()
    book = xlsxwriter.Workbook(out, {"constant_memory": True})
    ws = book.add_worksheet("Differences")
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if value is None:
                continue
            if isinstance(value, str):
                ws.write_string(r, c, value)
            else:
                ws.write_number(r, c, value)
    book.close()
    return out.getvalue()


def _bare_openpyxl(rows: list[list[Any]]) -> bytes:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    ws = book.create_sheet("Differences")
    for row in rows:
        ws.append(row)
    out = BytesIO()
    book.save(out)
    return out.getvalue()


def _properties() -> Any:
    import datetime as dt

    from statusdiff.render import sheetxml as sx

    return sx.Properties(created=dt.datetime(2026, 3, 2, 9))


def _bare_sheetxml(rows: list[list[Any]], level: int | None = None) -> bytes:
    from statusdiff.render import sheetxml as sx
    from statusdiff.render import xlsx

    out = BytesIO()
    book = sx.Workbook(out, properties=_properties(), level=level or xlsx.LEVEL)
    ws = book.add_sheet("Differences")
    string, number, end = ws.string, ws.number, ws.end_row
    for row in rows:
        for c, value in enumerate(row):
            if value is None:
                continue
            if isinstance(value, str):
                string(c, value)
            else:
                number(c, value)
        end()
    book.close()
    return out.getvalue()


def _differences_only(report: Any) -> bytes:
    from statusdiff.i18n import Catalog
    from statusdiff.render import sheetxml as sx
    from statusdiff.render import xlsx

    out = BytesIO()
    book = sx.Workbook(
        out,
        properties=_properties(),
        default=xlsx._DEFAULT,
        shared_strings=xlsx.SHARED_STRINGS,
        level=xlsx.LEVEL,
    )
    sheet = xlsx._Sheet(book, xlsx._Styles(book), "Differences")
    xlsx._write_differences(Catalog(report.lang), sheet, report)
    book.close()
    return out.getvalue()


def _render(report: Any, **settings: Any) -> bytes:
    from statusdiff.render import xlsx

    for name, value in settings.items():
        setattr(xlsx, name, value)
    return xlsx.render(report)


def child(variant: str, data: str, *, trace: bool = False) -> None:
    """Run one variant and print its figures as JSON (`trace`: Python allocations, not time)."""
    # NOTE: every writer is imported before the timer, for every variant alike.
    import openpyxl  # noqa: F401
    import xlsxwriter  # noqa: F401

    from statusdiff.render import sheetxml, xlsx  # noqa: F401

    with open(data, "rb") as handle:  # streamed, so loading leaves no large transient peak
        report = pickle.load(handle)
    rows = difference_rows(report)
    cells = sum(1 for row in rows for v in row if v is not None)
    gc.collect()
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    if trace:
        tracemalloc.start()
    started = time.perf_counter()
    if variant == "baseline":
        out = b""
    elif variant == "statusdiff":
        out = xlsx.render(report)
    elif variant == "statusdiff-inline":
        out = _render(report, SHARED_STRINGS=False)
    elif variant == "statusdiff-l1":
        out = _render(report, LEVEL=1)
    elif variant == "statusdiff-l6":
        out = _render(report, LEVEL=6)
    elif variant == "statusdiff-differences":
        out = _differences_only(report)
    elif variant == "sheetxml":
        out = _bare_sheetxml(rows)
    elif variant == "sheetxml-l6":
        out = _bare_sheetxml(rows, 6)
    elif variant == "xlsxwriter":
        out = _bare_xlsxwriter(rows)
    elif variant == "openpyxl":
        out = _bare_openpyxl(rows)
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
                "rows": len(rows),
                "cells": cells,
                "pairs": len(pairs),
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
        return
    if args.child:
        child(args.child, args.report, trace=args.trace)
        return
    exports = Path(args.exports) if args.exports else None
    data = build_report(Path(args.data), args.differences, exports)
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
        f"{first['rows']:,} differences ({first['cells']:,} cells in the bare rows), "
        f"{first['pairs']:,} pairs ({first['blocked']:,} blocked), "
        f"{len(rounds)} rounds (medians)",
        "",
        "| variant | op s | whole process s | peak RSS MB | RSS grew during the op MB"
        " | traced peak of the op MB | out MB | × bare xlsxwriter"
        " | × bare openpyxl write-only | × sheetxml |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    lines.extend(
        f"| {variant} | {median(variant, 'op'):.2f} | {median(variant, 'wall'):.2f} "
        f"| {median(variant, 'peak_mb'):.0f} | {median(variant, 'grew_mb'):.0f} "
        f"| {(traced or {}).get(variant, float('nan')):.1f} "
        f"| {median(variant, 'bytes') / 1e6:.1f} "
        f"| {ratio(variant, 'xlsxwriter')} | {ratio(variant, 'openpyxl')} "
        f"| {ratio(variant, 'sheetxml')} |"
        for variant in VARIANTS + EXTRA
        if variant in by
    )
    return "\n".join(lines)


if __name__ == "__main__":
    main()
