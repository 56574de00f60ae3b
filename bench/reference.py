"""The reference pipeline of perf-anchors §8 (i): what a plain script does with the same inputs.

    python bench/reference.py CHANNELS.json STATUSES.csv PAIRS.csv OUT_DIR

stdlib csv read → per-campaign set compare (exact, then normalised, then a rapidfuzz suggestion
memoised per label and channel) → jinja2 autoescape HTML of every paired campaign, streamed with
`stream().dump()` → openpyxl write-only XLSX with one row per status row (about 300k): the
reference's openpyxl variant, the same library statusdiff's workbook is written with.
It is the yardstick for `statusdiff compare ... -o r.json -o r.html -o r.xlsx` (target ≤ 1.2×).
Prints one `BENCH {json}` line with the time of each stage.
"""

from __future__ import annotations

import csv
import json
import re
import sys
import time
import unicodedata
from pathlib import Path
from typing import Any, NamedTuple

import jinja2
from _result import result_line
from openpyxl import Workbook
from rapidfuzz import fuzz, process, utils

_SUFFIX = "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345"
_SPACES = re.compile(r"\s+")
NOT_IN_PROGRAM = "Not in Program"

TEMPLATE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Member status check</title>
<style>
body{font:14px/1.4 system-ui,sans-serif;margin:2em}section{margin:1em 0;border-top:1px solid #ccc}
.ko h2{color:#a00}.ok h2{color:#060}td{padding:0 .6em}.x{color:#a00;font-weight:bold}
</style></head><body>
<h1>Marketo ⇄ Salesforce member statuses</h1>
<p>{{ pairs }} pairs: {{ compatible }} will sync, {{ blocked }} will not,
{{ unresolved }} unresolved.</p>
{% for r in results %}<section class="{{ 'ok' if r.ok else 'ko' }}"><h2>{{ r.program }}</h2>
<p>{{ r.campaign }} ({{ r.campaign_id }}) · channel {{ r.channel }} · {{ r.verdict }}</p>
<table>{% for row in r.rows %}<tr><td{% if not row.matched %} class="x"{% endif %}>\
{{ row.label }}</td><td>{{ 'responded' if row.responded else '' }}</td><td>{{ row.note }}</td></tr>\
{% endfor %}</table>
</section>
{% endfor %}</body></html>
"""


class Row(NamedTuple):
    """One Salesforce label of a paired campaign."""

    label: str
    responded: bool
    matched: bool
    note: str


class Result(NamedTuple):
    """One pair."""

    program: str
    channel: str
    campaign_id: str
    campaign: str
    ok: bool
    verdict: str
    rows: list[Row]


def to18(raw: str) -> str:
    """15-character ID → 18 (18 stays as is)."""
    if len(raw) != 15:
        return raw
    out = ""
    for chunk in range(3):
        bits = sum(
            1 << i for i, ch in enumerate(raw[chunk * 5 : chunk * 5 + 5]) if "A" <= ch <= "Z"
        )
        out += _SUFFIX[bits]
    return raw + out


def normalise(label: str) -> str:
    """Case, white space and unicode look-alikes folded."""
    return _SPACES.sub(" ", unicodedata.normalize("NFKC", label)).strip().casefold()


def read(channels_path: str, statuses_path: str, pairs_path: str) -> tuple[Any, Any, Any]:
    """Channels {name: {status: success}}, campaigns {id: (name, {label: responded})}, pairs."""
    doc = json.loads(Path(channels_path).read_text(encoding="utf-8"))
    channels: dict[str, dict[str, bool]] = {}
    for item in doc["result"]:
        channels[item["name"]] = {
            s["name"]: bool(s.get("success"))
            for s in item["progressionStatuses"]
            if not (s["name"] == NOT_IN_PROGRAM and s.get("step") in (0, None))
        }
    campaigns: dict[str, tuple[str, dict[str, bool]]] = {}
    with open(statuses_path, encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        header = next(reader)
        ci, ni = header.index("CampaignId"), header.index("Campaign.Name")
        li, ri = header.index("Label"), header.index("HasResponded")
        for row in reader:
            entry = campaigns.get(row[ci])
            if entry is None:
                entry = campaigns[row[ci]] = (row[ni], {})
            entry[1][row[li]] = row[ri] == "true"
    with open(pairs_path, encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        next(reader)
        pairs = [(program, channel, to18(ref.strip())) for program, channel, ref in reader]
    return channels, campaigns, pairs


def compare(channels: Any, campaigns: Any, pairs: Any) -> list[Result]:
    """Per pair: exact set difference, then a normalised match or a fuzzy suggestion."""
    normal: dict[str, dict[str, str]] = {
        name: {normalise(s): s for s in statuses} for name, statuses in channels.items()
    }
    memo: dict[tuple[str, str], str] = {}
    results = []
    for program, channel_name, cid in pairs:
        channel = channels.get(channel_name)
        campaign = campaigns.get(cid)
        if channel is None or campaign is None:
            results.append(Result(program, channel_name, cid, "", False, "unresolved", []))
            continue
        name, labels = campaign
        rows = []
        blocking = 0
        for label, responded in labels.items():
            if label in channel:
                rows.append(Row(label, responded, True, ""))
                continue
            blocking += 1
            key = (label, channel_name)
            note = memo.get(key)
            if note is None:
                near = normal[channel_name].get(normalise(label))
                if near is None:
                    hit = process.extractOne(
                        label,
                        list(channel),
                        scorer=fuzz.WRatio,
                        processor=utils.default_process,
                        score_cutoff=80,
                    )
                    near = hit[0] if hit else None
                note = memo[key] = f"did you mean {near}?" if near else "not in the channel"
            rows.append(Row(label, responded, False, note))
        rows.extend(Row(s, channel[s], True, "missing") for s in channel if s not in labels)
        verdict = "will sync" if not blocking else f"will not sync: {blocking} label(s)"
        results.append(Result(program, channel_name, cid, name, not blocking, verdict, rows))
    return results


def write_html(path: Path, results: list[Result]) -> None:
    """All pairs, autoescaped, streamed to the file."""
    env = jinja2.Environment(autoescape=True, trim_blocks=False)
    template = env.from_string(TEMPLATE)
    with path.open("w", encoding="utf-8") as handle:
        template.stream(
            results=results,
            pairs=len(results),
            compatible=sum(r.ok for r in results),
            blocked=sum(not r.ok and r.rows != [] for r in results),
            unresolved=sum(r.rows == [] for r in results),
        ).dump(handle)


def write_xlsx(path: Path, results: list[Result]) -> int:
    """One row per label of every pair, openpyxl write-only (rows streamed to the file)."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Statuses")
    sheet.append(["Program", "Channel", "Campaign ID", "Label", "Sync", "Note"])
    row_no = 0
    append = sheet.append
    for r in results:
        for row in r.rows:
            row_no += 1
            append(
                [
                    r.program,
                    r.channel,
                    r.campaign_id,
                    row.label,
                    "yes" if row.matched else "BLOCKS",
                    row.note,
                ]
            )
    book.save(str(path))
    return row_no


def main(argv: list[str]) -> int:
    """Run the four stages and report their times."""
    channels_path, statuses_path, pairs_path, out_dir = argv
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    channels, campaigns, pairs = read(channels_path, statuses_path, pairs_path)
    t1 = time.perf_counter()
    results = compare(channels, campaigns, pairs)
    t2 = time.perf_counter()
    write_html(out / "reference.html", results)
    t3 = time.perf_counter()
    rows = write_xlsx(out / "reference.xlsx", results)
    t4 = time.perf_counter()
    result_line(
        t4 - t0,
        read=t1 - t0,
        compare=t2 - t1,
        html=t3 - t2,
        xlsx=t4 - t3,
        xlsx_rows=rows,
        html_mb=(out / "reference.html").stat().st_size / 1e6,
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
