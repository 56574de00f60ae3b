"""Plain-text lines for the terminal: the compare summary and what inspect found."""

from __future__ import annotations

from collections.abc import Iterator

from ..comparison import PairResult
from ..i18n import Catalog
from ..model import Detection
from ..pipeline import Report
from . import phrases

LIST_LIMIT = 200
"""Above this many pairs, only blocked pairs are listed (up to this many) unless --all."""


def _pair_line(t: Catalog, report: Report, pair: PairResult) -> list[str]:
    campaign = pair.campaign.display if pair.campaign else pair.campaign_ref
    who = f"{pair.program} · " if pair.program else ""
    head = f"{who}{phrases.channel(t, pair)} ⇄ {campaign}"
    if pair.problem is not None:
        return [f"  ? {head}: {phrases.problem(t, pair)}"]
    if pair.compatible:
        return [f"  ✓ {head}: {t('verdict.will_sync')}"]
    blocking = len(pair.blocking)
    near = len(pair.near_misses)
    text = f"  ✗ {head}: {t('verdict.will_not_sync')} — {blocking} × {t('kind.blocking')}"
    if near:
        text += f", {near} × {t('kind.near_miss')}"
    lines = [text]
    plan = report.plans.get(pair.index)
    if plan is not None:
        reason = t.opt("rec", plan.reason.code, **dict(plan.reason.params))
        lines.append(f"      → {t(f'option.{plan.recommended.value}')}: {reason}")
    return lines


def summary_lines(report: Report, *, all_pairs: bool = False) -> Iterator[str]:
    """One line per pair (or per blocked pair in big runs), then the totals."""
    t = Catalog(report.lang)
    pairs = report.comparison.pairs
    listed = list(pairs)
    cut = 0
    if not all_pairs and len(pairs) > LIST_LIMIT:
        blocked = [p for p in pairs if not p.compatible]
        listed = blocked[:LIST_LIMIT]
        cut = len(pairs) - len(listed)
    for pair in listed:
        yield from _pair_line(t, report, pair)
    if cut:
        yield f"  … {cut} more (--all lists every pair)"
    s = report.comparison.summary
    headline = t(
        "verdict.headline",
        pairs=t.n("verdict.pairs", s.pairs),
        compatible=t.number(s.compatible),
        incompatible=t.number(s.incompatible + s.unresolved),
    )
    extra = []
    if s.unresolved:
        extra.append(t.n("verdict.unresolved", s.unresolved))
    if s.near_misses:
        extra.append(f"{t.number(s.near_misses)} × {t('kind.near_miss')}")
    rule = t(f"rule.{report.comparison.rule.value}")
    yield f"{headline}" + (f" ({'; '.join(extra)})" if extra else "") + f" [{rule}]"


def detection_lines(d: Detection) -> Iterator[str]:
    """What inspect found in one file."""
    t = Catalog("en")
    yield f"{d.file}"
    yield f"  role:       {d.role.value} ({t(f'role.{d.role.value}')})"
    fmt = d.format
    if d.encoding:
        fmt += f", {d.encoding}"
    if d.delimiter:
        fmt += f", delimiter {d.delimiter}"
    yield f"  format:     {fmt}"
    if d.table is not None:
        others = [n for n in d.tables if n != d.table]
        suffix = f" (also: {', '.join(others)})" if others else ""
        yield f"  table:      {d.table}{suffix}"
    if d.header_row is not None:
        yield f"  header row: {d.header_row}"
    if d.columns:
        yield "  columns:"
        for header, name in d.columns:
            yield f"    {header!r:32} → {name}"
    if d.ignored_columns:
        shown = ", ".join(d.ignored_columns[:12])
        more = f" (+{len(d.ignored_columns) - 12})" if len(d.ignored_columns) > 12 else ""
        yield f"  ignored:    {shown}{more}"
    yield f"  rows read:  {d.rows_read}; records: {d.records}"
    for skip in d.skipped:
        rows = ", ".join(str(r) for r in skip.rows[:10])
        more = " …" if len(skip.rows) > 10 else ""
        yield f"  skipped:    {len(skip.rows)} × {phrases.skipped(t, skip)} (rows {rows}{more})"
    if d.fill_downs:
        yield f"  filled down: {d.fill_downs}"
    for n in d.notes:
        yield f"  note:       {phrases.note(t, n)}"
    yield f"  sha256:     {d.sha256}"
