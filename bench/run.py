"""statusdiff's benchmark: statusdiff and the bare baselines side by side, with the targets.

    python bench/run.py                 # everything, default sizes (generates bench/data/full once)
    python bench/run.py --small         # a smoke run on tiny data (bench/data/small)
    python bench/run.py --only a,b,f --rounds 3

Tables (see bench/README.md for what each figure means):
  a. read a status XLSX: statusdiff read_statuses vs bare calamine iter_rows      target ≤ 1.3×
  b. read a status CSV: statusdiff read_statuses vs bare csv.reader loop          target ≤ 1.5×
  c. count a members CSV: statusdiff read_members vs bare csv.reader scan         ≤ 2.5×, ≤ 150 MB
  d. statusdiff compare -o r.json -o r.html -o r.xlsx vs the reference pipeline   ≤ 1.2×, ≤ 500 MB,
     HTML ≤ 10 MB, load event in headless Chromium < 3 s, XLSX converts with LibreOffice
  e. compare and plan_all vs reading the files           compare ≤ 0.5× read, + plan_all ≤ 1 s
  f. statusdiff --version / --help start-up                                        ≤ 0.3 s
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from _harness import (  # noqa: E402
    MEMORY_LIMIT_MB,
    Sample,
    Stats,
    Variant,
    fmt,
    fmt_count,
    ratio,
    round_robin,
    stats,
    table,
)

PY = sys.executable
OPS = str(HERE / "_ops.py")
REFERENCE = str(HERE / "reference.py")
GENERATE = str(HERE / "generate.py")
SMALL_SIZES = ("--campaigns", "2000", "--members", "50000")
NEEDED = (
    "channels.json",
    "statuses.csv",
    "statuses.xlsx",
    "members.csv",
    "campaigns.csv",
    "pairs.csv",
)
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@dataclass
class Target:
    """One line of the final summary."""

    section: str
    what: str
    measured: str
    target: str
    met: bool | None
    """None when it could not be measured (a failing variant)."""


TARGETS: list[Target] = []
RESULTS: dict[str, Any] = {}


def say(text: str = "") -> None:
    """Print at once (the runs are long)."""
    print(text, flush=True)


def check(
    section: str, what: str, value: float | None, limit: float, unit: str, *, below: bool = False
) -> None:
    """Record a target: value ≤ limit (or < limit)."""
    if value is None:
        TARGETS.append(
            Target(section, what, "not measured", f"{'<' if below else '≤'} {limit:g}{unit}", None)
        )
        return
    met = value < limit if below else value <= limit
    TARGETS.append(
        Target(section, what, f"{value:.3g}{unit}", f"{'<' if below else '≤'} {limit:g}{unit}", met)
    )


def statusdiff_command() -> list[str]:
    """The installed console script (whole-process timing includes its start-up), else -m."""
    script = Path(PY).parent / "statusdiff"
    if script.exists():
        return [str(script)]
    found = shutil.which("statusdiff")
    return [found] if found else [PY, "-m", "statusdiff"]


# ------------------------------------------------------------------------------------------------
# Data
# ------------------------------------------------------------------------------------------------


def ensure_data(folder: Path, small: bool) -> None:
    """Generate the data set unless every file is there."""
    if all((folder / name).exists() for name in NEEDED):
        return
    sizes = SMALL_SIZES if small else ()
    say(f"generating {'small' if small else 'default-size'} data into {folder} …")
    started = time.perf_counter()
    subprocess.run([PY, GENERATE, "--out", str(folder), "--quiet", *sizes], check=True)
    say(f"  done in {time.perf_counter() - started:.1f}s")


def warm(folder: Path) -> None:
    """Read every input once so all variants start from a warm page cache."""
    for name in NEEDED:
        with (folder / name).open("rb") as handle:
            while handle.read(1 << 20):
                pass


def describe(folder: Path) -> dict[str, Any]:
    """Sizes of the data set, from answers.json and the files."""
    info: dict[str, Any] = {}
    answers = folder / "answers.json"
    if answers.exists():
        with answers.open(encoding="utf-8") as handle:
            head = "".join(handle.readline() for _ in range(4))
        for line in head.splitlines():
            if line.strip().startswith('"summary"'):
                info = json.loads(line.split(":", 1)[1].rstrip(",\n "))
    info["files_mb"] = {n: round((folder / n).stat().st_size / 1e6, 1) for n in NEEDED}
    return info


# ------------------------------------------------------------------------------------------------
# Tables
# ------------------------------------------------------------------------------------------------


TIMEOUT = [3600.0]
"""Per-run time limit in seconds (--timeout)."""


def run_table(
    variants: Sequence[Variant], rounds: int
) -> tuple[dict[str, list[Sample]], dict[str, Stats]]:
    """Round-robin the variants; return the samples and the medians per variant."""
    samples = round_robin(variants, rounds, timeout=TIMEOUT[0], say=say)
    return samples, {v.name: stats(samples[v.name], v.name) for v in variants}


def print_stats(
    results: dict[str, Stats],
    samples: dict[str, list[Sample]],
    base: str,
    metric: str,
    extra: Sequence[str] = (),
) -> None:
    """One row per variant: medians, peak and the ratio to the baseline."""
    headers = ["variant", "op s", "whole s", "cpu s", "peak MB", f"× {base} ({metric})", *extra]
    rows = []
    for name, st in results.items():
        if st.runs == 0:
            rows.append([name, "FAILED", st.error or "", "", "", "", *["" for _ in extra]])
            continue
        r = ratio(samples, name, base, metric)
        rows.append(
            [
                name,
                fmt(st.op),
                fmt(st.whole),
                fmt(st.cpu, 2),
                fmt(st.peak_mb, 0),
                fmt(r, 2),
                *[fmt_count(st.extra.get(k)) for k in extra],
            ]
        )
    say(table(headers, rows))
    say()


def section_read(
    key: str,
    title: str,
    path: Path,
    mine: tuple[str, str],
    base: tuple[str, str],
    limit: float,
    rounds: int,
    peak_limit: float | None = None,
) -> None:
    """a, b and c: statusdiff's reader vs the bare loop, op time."""
    say(f"## {key}. {title}")
    say(f"   file: {path.name} ({path.stat().st_size / 1e6:.1f} MB), {rounds} rounds")
    variants = [
        Variant(mine[0], [PY, OPS, mine[1], str(path)]),
        Variant(base[0], [PY, OPS, base[1], str(path)]),
    ]
    samples, results = run_table(variants, rounds)
    print_stats(results, samples, base[0], "op", extra=("rows",))
    r = ratio(samples, mine[0], base[0], "op")
    check(key, f"{mine[0]} / {base[0]} (op time)", r, limit, "×")
    if peak_limit is not None:
        check(key, f"{mine[0]} peak memory", results[mine[0]].peak_mb, peak_limit, " MB")
    RESULTS[key] = {"stats": {k: asdict(v) for k, v in results.items()}, "ratio": r}


def section_compare(folder: Path, rounds: int) -> None:
    """d: the whole compare command vs the reference pipeline, then checks on its reports."""
    say("## d. statusdiff compare with JSON + HTML + XLSX reports vs the reference pipeline")
    work = folder / "_run"
    full, json_only, ref = work / "statusdiff", work / "statusdiff-json", work / "reference"
    for d in (full, json_only, ref):
        d.mkdir(parents=True, exist_ok=True)
    channels, statuses, pairs = (
        str(folder / n) for n in ("channels.json", "statuses.csv", "pairs.csv")
    )
    sd = [*statusdiff_command(), "compare", channels, statuses, "--pairs", pairs]

    def clean(where: Path) -> Callable[[], None]:
        def run() -> None:
            for f in where.glob("r.*"):
                f.unlink()

        return run

    for stale in (full / "last").glob("r.*"):
        stale.unlink()

    def written(where: Path, *names: str) -> Callable[[], str | None]:
        """Exit code 1 means 'a pair will not sync', but also an uncaught crash: check outputs.

        The reports of a good run are kept in where/last/ for the checks after the table.
        """

        def run() -> str | None:
            absent = [
                n for n in names if not (where / n).exists() or not (where / n).stat().st_size
            ]
            if absent:
                return f"did not write {', '.join(absent)}"
            (where / "last").mkdir(exist_ok=True)
            for n in names:
                (where / n).replace(where / "last" / n)
            return None

        return run

    name_full = "statusdiff compare -o json,html,xlsx"
    name_json = "statusdiff compare -o json (partial)"
    name_ref = "reference pipeline (§8)"
    variants = [
        Variant(
            name_full,
            [*sd, "-o", "r.json", "-o", "r.html", "-o", "r.xlsx", "--quiet"],
            ok_codes=(0, 1),
            cwd=str(full),
            before=clean(full),
            after=written(full, "r.json", "r.html", "r.xlsx"),
        ),
        Variant(
            name_json,
            [*sd, "-o", "r.json", "--quiet"],
            ok_codes=(0, 1),
            cwd=str(json_only),
            before=clean(json_only),
            after=written(json_only, "r.json"),
        ),
        Variant(name_ref, [PY, REFERENCE, channels, statuses, pairs, str(ref)]),
    ]
    say(f"   inputs: channels.json, statuses.csv, pairs.csv; {rounds} rounds; whole-process times")
    samples, results = run_table(variants, rounds)
    print_stats(results, samples, name_ref, "whole")
    ref_stats = results[name_ref]
    if ref_stats.runs:
        stages = ", ".join(
            f"{k} {ref_stats.extra[k]:.2f}s" for k in ("read", "compare", "html", "xlsx")
        )
        say(
            f"   reference stages (median): {stages}; "
            f"HTML {ref_stats.extra.get('html_mb', 0):.1f} MB"
        )
    r_full = ratio(samples, name_full, name_ref, "whole")
    r_json = ratio(samples, name_json, name_ref, "whole")
    check("d", "compare json+html+xlsx / reference (whole process)", r_full, 1.2, "×")
    check("d", "compare json+html+xlsx peak memory", results[name_full].peak_mb, 500, " MB")
    if r_json is not None:
        say(
            f"   partial: JSON-only compare is {r_json:.2f}× the reference "
            "(which also writes HTML + XLSX)"
        )
    say(f"   JSON-only peak memory: {fmt(results[name_json].peak_mb, 0)} MB")
    report: dict[str, Any] = {
        "stats": {k: asdict(v) for k, v in results.items()},
        "ratio": r_full,
        "ratio_json_only": r_json,
    }
    html, xlsx = full / "last" / "r.html", full / "last" / "r.xlsx"
    if results[name_full].error and html.exists():
        say("   (the checks below use the reports of the last successful run)")
    if results[name_full].runs and html.exists():
        size = html.stat().st_size / 1e6
        check("d", "HTML report size", size, 10, " MB")
        load = browser_load(html)
        report["html_mb"], report["load"] = size, load
        say(
            f"   statusdiff HTML: {size:.1f} MB; load event in headless Chromium: {load_text(load)}"
        )
        check("d", "HTML load event in headless Chromium", load.get("load_s"), 3, " s", below=True)
    else:
        why = results[name_full].error or "no r.html"
        say(f"   statusdiff HTML: not produced ({why})")
        check("d", "HTML report size", None, 10, " MB")
        check("d", "HTML load event in headless Chromium", None, 3, " s", below=True)
    if results[name_full].runs and xlsx.exists():
        converted = soffice_converts(xlsx)
        report["soffice"] = converted
        say(
            f"   statusdiff XLSX ({xlsx.stat().st_size / 1e6:.1f} MB) "
            f"with LibreOffice: {converted['detail']}"
        )
        TARGETS.append(
            Target(
                "d",
                "XLSX converts with LibreOffice headless",
                converted["detail"],
                "converts",
                converted["ok"],
            )
        )
    else:
        TARGETS.append(
            Target("d", "XLSX converts with LibreOffice headless", "not produced", "converts", None)
        )
    ref_html = ref / "reference.html"
    if ref_stats.runs and ref_html.exists():
        load = browser_load(ref_html)
        report["reference_load"] = load
        say(
            f"   (context) reference HTML {ref_html.stat().st_size / 1e6:.1f} MB "
            f"loads in {load_text(load)}"
        )
    say()
    RESULTS["d"] = report


def load_text(load: dict[str, Any]) -> str:
    """'1.23 s (goto 1.30 s)' or the error."""
    if "error" in load:
        return f"failed ({load['error']})"
    return (
        f"{load['load_s']:.2f} s (page.goto wall {load['goto_s']:.2f} s, median of {load['runs']})"
    )


def browser_load(path: Path, repeats: int = 3) -> dict[str, Any]:
    """Time to the load event of a local HTML file in headless Chromium (navigation timing)."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as exc:
        return {"error": f"playwright not installed ({exc})"}
    loads, gotos = [], []
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
            try:
                for _ in range(repeats):
                    page = browser.new_page()
                    started = time.perf_counter()
                    page.goto(path.resolve().as_uri(), wait_until="load", timeout=180_000)
                    gotos.append(time.perf_counter() - started)
                    end = page.evaluate(
                        "() => performance.getEntriesByType('navigation')[0].loadEventEnd"
                    )
                    loads.append(end / 1000)
                    page.close()
            finally:
                browser.close()
    except Exception as exc:  # the browser's trouble must not end the benchmark
        return {"error": str(exc).splitlines()[0]}
    return {"load_s": statistics.median(loads), "goto_s": statistics.median(gotos), "runs": repeats}


def soffice_converts(path: Path) -> dict[str, Any]:
    """Convert an XLSX to CSV with LibreOffice headless, in a private profile."""
    office = shutil.which("soffice") or shutil.which("libreoffice")
    if office is None:
        return {"ok": None, "detail": "LibreOffice not installed"}
    with tempfile.TemporaryDirectory() as tmp:
        profile = Path(tmp) / "profile"
        out = Path(tmp) / "out"
        cmd = [
            office,
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--convert-to",
            "csv",
            "--outdir",
            str(out),
            str(path),
        ]
        started = time.perf_counter()
        try:
            done = subprocess.run(cmd, capture_output=True, text=True, timeout=1200)
        except subprocess.TimeoutExpired:
            return {"ok": False, "detail": "timed out after 1200 s"}
        seconds = time.perf_counter() - started
        produced = out / (path.stem + ".csv")
        if done.returncode == 0 and produced.exists() and produced.stat().st_size > 0:
            with produced.open("rb") as handle:
                lines = sum(chunk.count(b"\n") for chunk in iter(lambda: handle.read(1 << 20), b""))
            return {
                "ok": True,
                "detail": f"converts ({lines} CSV lines, {seconds:.1f} s)",
                "seconds": seconds,
            }
        why = (done.stderr or done.stdout).strip().splitlines()
        return {
            "ok": False,
            "detail": f"failed (exit {done.returncode}: {why[-1] if why else 'no output'})",
        }


DISTINCT_SIZES = ("--mode", "distinct", "--members", "200000", "--formats", "csv")
"""Table e's worst case: every status set distinct, so no verdict or plan is shared
(bench/data/distinct, generated once)."""


def section_stages(folder: Path, rounds: int) -> None:
    """e: read, compare and plan_all timed apart inside one process (pipeline.load, then
    comparison.compare, then remediate.plan_all, as pipeline.run does)."""
    say("## e. compare and plan_all vs reading the files (pipeline.load, compare, plan_all)")
    files = [str(folder / n) for n in ("channels.json", "statuses.csv", "pairs.csv")]
    more = [str(folder / n) for n in ("members.csv", "campaigns.csv")]
    distinct = HERE / "data" / "distinct"
    if not (distinct / "statuses.csv").exists():
        say(f"generating table e's worst case into {distinct} …")
        subprocess.run(
            [PY, GENERATE, "--out", str(distinct), "--quiet", *DISTINCT_SIZES], check=True
        )
    worst = [str(distinct / n) for n in ("channels.json", "statuses.csv", "pairs.csv")]
    name_d = "channels + statuses + pairs"
    name_all = "… + members + campaigns"
    name_worst = "worst case: every status set distinct"
    variants = [
        Variant(name_d, [PY, OPS, "statusdiff-stages", "plan", *files]),
        Variant(name_all, [PY, OPS, "statusdiff-stages", "plan", *files, *more]),
        Variant(name_worst, [PY, OPS, "statusdiff-stages", "plan", *worst]),
    ]
    samples, results = run_table(variants, rounds)
    rows = []
    report: dict[str, Any] = {}
    figures: dict[str, tuple[float, float]] = {}
    for name, st in results.items():
        if not st.runs:
            rows.append([name, "FAILED", st.error or "", "", "", "", ""])
            continue
        ok = [s for s in samples[name] if s.ok and s.extra.get("read")]
        frac = statistics.median(s.extra["compare"] / s.extra["read"] for s in ok)
        both = statistics.median(s.extra["compare"] + s.extra["plan"] for s in ok)
        figures[name] = (frac, both)
        rows.append(
            [
                name,
                fmt(st.extra.get("read")),
                fmt(st.extra.get("compare")),
                f"{frac:.2f}",
                fmt(st.extra.get("plan")),
                fmt(both),
                fmt(st.peak_mb, 0),
            ]
        )
        report[name] = {"stats": asdict(st), "compare_over_read": frac, "compare_plus_plan": both}
    headers = ["inputs", "read s", "compare s", "compare / read", "plan_all s", "compare + plan s"]
    say(table([*headers, "peak MB"], rows))
    frac, both = figures.get(name_d, (None, None))
    check("e", "compare / read", frac, 0.5, "×")
    check("e", "compare + plan_all", both, 1, " s")
    st = results[name_d]
    check(
        "e",
        "compare stage (anchor: < 1 s)",
        st.extra.get("compare") if st.runs else None,
        1,
        " s",
        below=True,
    )
    say()
    RESULTS["e"] = report


def section_startup(rounds: int) -> None:
    """f: start-up of the CLI, whole process."""
    say("## f. start-up (whole process)")
    sd = statusdiff_command()
    variants = [
        Variant("python -c pass", [PY, "-c", "pass"]),
        Variant("statusdiff --version", [*sd, "--version"]),
        Variant("statusdiff --help", [*sd, "--help"]),
        Variant("python -c 'import statusdiff.cli'", [PY, "-c", "import statusdiff.cli"]),
    ]
    samples, results = run_table(variants, rounds)
    print_stats(results, samples, "python -c pass", "whole")
    for name in ("statusdiff --version", "statusdiff --help"):
        st = results[name]
        check("f", f"{name} (whole process)", st.whole if st.runs else None, 0.3, " s")
    RESULTS["f"] = {k: asdict(v) for k, v in results.items()}


MATRIX_SIZES = (
    *("--campaigns", "20000", "--channels", "20"),
    *("--members", "20000", "--formats", "csv"),
)
"""Table g's data: 20,000 campaigns × 20 channels (bench/data/matrix20k, generated once)."""


def section_matrix(rounds: int) -> None:
    """g: matrix mode (no pairs file), every campaign against every channel, vs reading."""
    say("## g. matrix mode: 20,000 campaigns × 20 channels (compare vs reading the status file)")
    folder = HERE / "data" / "matrix20k"
    if not (folder / "statuses.csv").exists():
        say(f"generating table g's data into {folder} …")
        subprocess.run([PY, GENERATE, "--out", str(folder), "--quiet", *MATRIX_SIZES], check=True)
    files = [str(folder / n) for n in ("channels.json", "statuses.csv")]
    variant = Variant("matrix (no pairs)", [PY, OPS, "statusdiff-matrix", *files])
    samples, results = run_table([variant], rounds)
    st = results[variant.name]
    if not st.runs:
        say(f"   matrix: FAILED {st.error}")
        check("g", "matrix compare / read", None, 2, "×")
        return
    fractions = [
        s.extra["compare"] / s.extra["read"]
        for s in samples[variant.name]
        if s.ok and s.extra.get("read")
    ]
    frac = statistics.median(fractions)
    say(
        table(
            ["inputs", "read s", "compare s", "compare / read", "peak MB"],
            [
                [
                    variant.name,
                    fmt(st.extra.get("read")),
                    fmt(st.extra.get("compare")),
                    f"{frac:.2f}",
                    fmt(st.peak_mb, 0),
                ]
            ],
        )
    )
    say()
    check("g", "matrix compare / read", frac, 2, "×")
    RESULTS["g"] = {"stats": asdict(st), "compare_over_read": frac}


# ------------------------------------------------------------------------------------------------
# Main
# ------------------------------------------------------------------------------------------------


def versions() -> str:
    """The versions that matter for the figures."""
    from importlib.metadata import PackageNotFoundError, version

    parts = [f"Python {platform.python_version()}", f"{os.cpu_count()} CPU"]
    for package in ("statusdiff", "python-calamine", "openpyxl", "jinja2", "rapidfuzz", "typer"):
        try:
            parts.append(f"{package} {version(package)}")
        except PackageNotFoundError:
            parts.append(f"{package} (missing)")
    return ", ".join(parts)


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    """Options."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, help="data folder (generated when files are missing)")
    parser.add_argument("--only", default="a,b,c,d,e,f,g", help="tables to run, e.g. a,b,f")
    parser.add_argument("--rounds", type=int, help="rounds per table (default 5; 2 with --small)")
    parser.add_argument("--small", action="store_true", help="tiny data, for a smoke run")
    parser.add_argument(
        "--save", type=Path, help="write the figures as JSON (default DATA/results.json)"
    )
    parser.add_argument(
        "--timeout", type=float, default=3600, help="seconds one run may take (default 3600)"
    )
    parser.add_argument(
        "--memory-limit",
        type=int,
        default=8192,
        help="MB of address space one run may use (default 8192; 0 = no limit)",
    )
    args = parser.parse_args(argv)
    args.only = {k.strip().lower() for k in args.only.split(",") if k.strip()}
    unknown = args.only - set("abcdefg")
    if unknown:
        parser.error(f"--only takes letters a to g, not {','.join(sorted(unknown))}")
    if args.data is None:
        args.data = HERE / "data" / ("small" if args.small else "full")
    if args.rounds is None:
        args.rounds = 2 if args.small else 5
    if args.rounds < 1:
        parser.error("--rounds must be at least 1")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    """Run the chosen tables and print the summary of targets."""
    args = parse_args(argv)
    folder: Path = args.data.resolve()
    TIMEOUT[0] = args.timeout
    MEMORY_LIMIT_MB[0] = args.memory_limit
    ensure_data(folder, args.small)
    warm(folder)
    info = describe(folder)
    say(f"# statusdiff benchmark ({time.strftime('%Y-%m-%d %H:%M')})")
    say(f"{versions()}")
    say(
        f"data: {folder} — {info.get('campaigns', '?')} campaigns, {info.get('status_rows', '?')} "
        f"status rows, {info.get('member_rows', '?')} member rows, {info.get('pairs', '?')} pairs"
    )
    say(
        f"status sets ({info.get('mode', '?')} mode): {info.get('distinct_status_sets', '?')} "
        f"distinct, {info.get('distinct_channel_status_sets', '?')} distinct (channel, set) "
        "among the paired campaigns"
    )
    say(f"rounds: {args.rounds}; every run is a fresh process; medians; × = median per-round ratio")
    say()
    rounds = args.rounds
    if "a" in args.only:
        section_read(
            "a",
            "read the status XLSX",
            folder / "statuses.xlsx",
            ("statusdiff read_statuses", "statusdiff-read-statuses"),
            ("calamine iter_rows", "calamine-iter-rows"),
            1.3,
            rounds,
        )
    if "b" in args.only:
        section_read(
            "b",
            "read the status CSV",
            folder / "statuses.csv",
            ("statusdiff read_statuses", "statusdiff-read-statuses"),
            ("csv.reader loop", "csv-reader-scan"),
            1.5,
            rounds,
        )
    if "c" in args.only:
        section_read(
            "c",
            "count the members CSV",
            folder / "members.csv",
            ("statusdiff read_members", "statusdiff-read-members"),
            ("csv.reader scan", "csv-reader-scan"),
            2.5,
            rounds,
            peak_limit=150,
        )
    if "d" in args.only:
        section_compare(folder, rounds)
    if "e" in args.only:
        section_stages(folder, rounds)
    if "f" in args.only:
        section_startup(max(rounds, 9))
    if "g" in args.only:
        section_matrix(rounds)
    say("## Targets")
    marks = {True: "met", False: "MISSED", None: "not measured"}
    say(
        table(
            ["", "figure", "measured", "target", ""],
            [[t.section, t.what, t.measured, t.target, marks[t.met]] for t in TARGETS],
        )
    )
    save = args.save or folder / "results.json"
    RESULTS["targets"] = [asdict(t) for t in TARGETS]
    RESULTS["data"] = info
    RESULTS["versions"] = versions()
    save.write_text(json.dumps(RESULTS, indent=2, default=str) + "\n", encoding="utf-8")
    say(f"\nfigures saved to {save}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
