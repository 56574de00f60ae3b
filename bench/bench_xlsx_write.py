"""Benchmark the Excel report: statusdiff's workbook for N differences against bare writers.

Run from the repository root: `python bench/bench_xlsx_write.py [--differences 50000] [--rounds 3]`.

The report is computed once (synthetic exports -> pipeline.run) and pickled next to the data. Each
variant then runs in a fresh child process, round-robin with a rotated start in each round, and
reports its op time (perf_counter around the write; imports and loading excluded) and its peak RSS
(resource.getrusage(RUSAGE_SELF).ru_maxrss, read in the child). Variants:

- baseline: load the report and build the Differences rows, write nothing (the memory floor);
- statusdiff: render/xlsx.render(report), the whole workbook (Summary, Differences, Statuses,
  Remediation, Inputs), to bytes;
- statusdiff-differences: only the Differences sheet, written by the renderer's own code;
- xlsxwriter: bare xlsxwriter, constant_memory, write_string/write_number, the same rows;
- openpyxl: bare openpyxl write-only workbook, the same rows.

Medians over the rounds; "x bare" is the median of the per-round ratios to the bare writer.
"""

from __future__ import annotations

import argparse
import csv
import gc
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

VARIANTS = ("baseline", "statusdiff", "statusdiff-differences", "xlsxwriter", "openpyxl")
GENERATED_AT = "2026-03-02T09:00:00Z"

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


def build_report(folder: Path, differences: int) -> Path:
    """Compute the report once and pickle it (reused while the exports do not change)."""
    cached = folder / f"report-{differences}.pickle"
    if cached.exists():
        return cached
    from statusdiff.pipeline import Job, run

    files = make_exports(folder / f"exports-{differences}", differences)
    started = time.perf_counter()
    report = run(
        Job(channels=[files["channels"]], statuses=files["statuses"], pairs=files["pairs"]),
        generated_at=GENERATED_AT,
    )
    took = time.perf_counter() - started
    count = sum(len(p.differences) for p in report.comparison.pairs)
    print(
        f"built the report: {len(report.comparison.pairs)} pairs, {count} differences, "
        f"{len(report.plans)} plans in {took:.1f} s",
        file=sys.stderr,
    )
    cached.write_bytes(pickle.dumps(report, protocol=pickle.HIGHEST_PROTOCOL))
    return cached


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


def _differences_only(report: Any) -> bytes:
    import xlsxwriter

    from statusdiff.i18n import Catalog
    from statusdiff.render import xlsx

    out = BytesIO()
    book = xlsxwriter.Workbook(
        out, {"constant_memory": True, "strings_to_formulas": False, "strings_to_urls": False}
    )
    sheet = xlsx._Sheet(book, xlsx._Styles(book), "Differences")
    xlsx._write_differences(Catalog(report.lang), sheet, report)
    book.close()
    return out.getvalue()


def child(variant: str, data: str, *, trace: bool = False) -> None:
    """Run one variant and print its figures as JSON (`trace`: Python allocations, not time)."""
    # NOTE: both writers are imported before the timer, for every variant alike.
    import openpyxl  # noqa: F401
    import xlsxwriter  # noqa: F401

    from statusdiff.render import xlsx

    with open(data, "rb") as handle:  # streamed, so loading leaves no large transient peak
        report = pickle.load(handle)
    rows = difference_rows(report)
    gc.collect()
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    if trace:
        tracemalloc.start()
    started = time.perf_counter()
    if variant == "baseline":
        out = b""
    elif variant == "statusdiff":
        out = xlsx.render(report)
    elif variant == "statusdiff-differences":
        out = _differences_only(report)
    elif variant == "xlsxwriter":
        out = _bare_xlsxwriter(rows)
    elif variant == "openpyxl":
        out = _bare_openpyxl(rows)
    else:
        raise SystemExit(f"unknown variant {variant}")
    op = time.perf_counter() - started
    traced = tracemalloc.get_traced_memory()[1] / 2**20 if trace else None
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        json.dumps(
            {
                "variant": variant,
                "op": op,
                "peak_mb": peak,
                "grew_mb": peak - before,
                "traced_mb": traced,
                "rows": len(rows),
                "bytes": len(out),
            }
        )
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--differences", type=int, default=50_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--variants", default=",".join(VARIANTS))
    parser.add_argument("--data", default=os.path.join(tempfile.gettempdir(), "statusdiff-bench"))
    parser.add_argument("--child", choices=VARIANTS)
    parser.add_argument("--report")
    parser.add_argument("--json", help="also write the raw runs to this file")
    parser.add_argument(
        "--trace",
        action="store_true",
        help="add one untimed pass per variant under tracemalloc (peak Python allocations)",
    )
    args = parser.parse_args()
    if args.child:
        child(args.child, args.report, trace=args.trace)
        return
    data = build_report(Path(args.data), args.differences)
    runs: list[dict[str, Any]] = []
    chosen = tuple(v for v in VARIANTS if v in args.variants.split(","))
    for rnd in range(args.rounds):
        order = chosen[rnd % len(chosen) :] + chosen[: rnd % len(chosen)]
        for variant in order:
            started = time.perf_counter()
            done = subprocess.run(
                [sys.executable, __file__, "--child", variant, "--report", str(data)],
                check=True,
                capture_output=True,
                text=True,
            )
            result = json.loads(done.stdout)
            result["wall"] = time.perf_counter() - started
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
            done = subprocess.run(
                [sys.executable, __file__, "--child", variant, "--report", str(data), "--trace"],
                check=True,
                capture_output=True,
                text=True,
            )
            traced[variant] = json.loads(done.stdout)["traced_mb"]
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
        return f"{statistics.median(op[variant, n] / op[bare, n] for n in rounds):.2f}"

    first = next(iter(by.values()))[0]
    lines = [
        f"{first['rows']:,} differences, {len(rounds)} rounds (medians)",
        "",
        "| variant | op s | whole process s | peak RSS MB | RSS grew during the op MB"
        " | traced peak of the op MB | out MB | × bare xlsxwriter"
        " | × bare openpyxl write-only |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    lines.extend(
        f"| {variant} | {median(variant, 'op'):.2f} | {median(variant, 'wall'):.2f} "
        f"| {median(variant, 'peak_mb'):.0f} | {median(variant, 'grew_mb'):.0f} "
        f"| {(traced or {}).get(variant, float('nan')):.1f} "
        f"| {median(variant, 'bytes') / 1e6:.1f} "
        f"| {ratio(variant, 'xlsxwriter')} | {ratio(variant, 'openpyxl')} |"
        for variant in VARIANTS
        if variant in by
    )
    return "\n".join(lines)


if __name__ == "__main__":
    main()
