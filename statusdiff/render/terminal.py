"""Plain-text lines for the terminal: the compare summary and what inspect found."""

from __future__ import annotations

from collections.abc import Iterator

from ..explain import shown
from ..i18n import Catalog
from ..model import Detection, PairResult
from ..pipeline import Report
from ..remediate import Act, OptionKey
from ..typetemplates import TemplateCheck
from . import phrases

LIST_LIMIT = 200
"""Above this many pairs, only blocked pairs are listed (up to this many) unless --all."""


def _pair_line(t: Catalog, report: Report, pair: PairResult) -> list[str]:
    campaign = pair.campaign_display
    who = f"{pair.program} · " if pair.program else ""
    head = f"{who}{phrases.channel(t, pair)} ⇄ {campaign}"
    if report.closing is not None and pair.index in report.closing.pairs:
        from .closing import change

        head += f" [{change(t, report.closing.pairs[pair.index].change)}]"
    if pair.problem is not None:
        hint = phrases.did_you_mean(t, report.comparison, pair)
        text = phrases.problem(t, pair) + (f" — {hint}" if hint else "")
        return [f"  ? {t('sep.colon', head=head, text=text)}"]
    if pair.compatible:
        return [f"  ✓ {t('sep.colon', head=head, text=t('verdict.will_sync'))}"]
    verdict = t("summary.not_sync", verdict=t("verdict.will_not_sync"), counts=_counts(t, pair))
    lines = [f"  ✗ {t('sep.colon', head=head, text=verdict)}"]
    if len(report.comparison.pairs) == 1:
        # NOTE: one pair: say which labels block, with their near match, one line each (a batch
        # run keeps one line per pair; its reports say the labels).
        lines += [f"      · {line}" for line in phrases.blocking_lines(t, pair)]
    plan = report.plans.get(pair.index)
    if plan is not None:
        reason = t.opt("rec", plan.reason.code, **dict(plan.reason.params))
        option = t(f"option.{plan.recommended.value}")
        lines.append(f"      → {t('sep.colon', head=option, text=reason)}")
        # Every lossy step of the Salesforce plan is said, with its members, whatever is chosen.
        for step in plan.option(OptionKey.B).actions:
            lost = phrases.loss(t, step)
            if lost and step.act is not Act.DELETE:
                lines.append(f"        {t('sep.colon', head='⚠ B', text=lost)}")
    return lines


def _counts(t: Catalog, pair: PairResult) -> str:
    """'3 blocking labels, 3 of them near misses' (French: '3 libellés bloquants, dont 3 …')."""
    blocking = t.n("summary.blocking", pair.blocking_count)
    if not pair.near_miss_count:
        return blocking
    return t(
        "summary.counts", blocking=blocking, near=t.n("summary.near_misses", pair.near_miss_count)
    )


def _fix_lines(t: Catalog, check: TemplateCheck) -> Iterator[str]:
    for fix in check.fixes:
        yield f"      → {phrases.template_fix(t, fix)}"


def template_lines(report: Report) -> Iterator[str]:
    """Campaign Type templates first (compare --type-templates): one line each, then the fix."""
    if not report.templates:
        return
    t = Catalog(report.lang)
    yield t("tt.term.heading")
    for check in report.templates:
        pair = check.pair
        head = f"{check.template.campaign_type} ⇄ {pair.channel_name}"
        state, sentence = phrases.template_verdict(t, check)
        if state != "no":
            mark = "?" if state == "unchecked" else "✓"
            yield f"  {mark} {t('sep.colon', head=head, text=sentence)}"
            continue
        verdict = t("summary.not_sync", verdict=sentence, counts=_counts(t, pair))
        yield f"  ✗ {t('sep.colon', head=head, text=verdict)}"
        for diff in pair.blocking:
            said = phrases.difference(t, diff)
            yield f"      {t('sep.colon', head=repr(shown(diff.label)), text=said)}"
        yield from _fix_lines(t, check)


def summary_lines(report: Report, *, all_pairs: bool = False) -> Iterator[str]:
    """One line per pair (or per blocked pair in big runs), then the totals."""
    t = Catalog(report.lang)
    closing = report.closing
    if closing is not None:
        from .closing import outcome

        yield outcome(t, closing)
    if any(d.role_by == "content" for d in report.inputs):
        yield t("summary.roles")
        for d in report.inputs:
            yield f"  {d.file} → {phrases.role_decision(t, d)}"
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
        yield f"  {t.n('summary.more', cut)}"
    if closing is not None:
        from .closing import terminal_lines

        yield from terminal_lines(t, closing)
    s = report.comparison.summary
    headline = phrases.headline(t, s)
    extra = []
    if s.near_misses:
        extra.append(t.n("summary.total_near_misses", s.near_misses))
    rule = t(f"rule.{report.comparison.rule.value}.sentence")
    yield t("summary.headline_more", headline=headline, extra=t.join(extra)) if extra else headline
    yield "  " + t("html.banner.rule", rule=rule)
    # A members export that proves nothing changes every plan: say it where it is seen.
    for item in report.notes:
        if item.code in ("members_cover_none", "members_export_empty"):
            yield f"  ⚠ {phrases.advisory(t, item)}"


def _field(t: Catalog, name: str, value: str = "") -> str:
    """One line of inspect: its label from the catalogue, values aligned after the header row's."""
    label = t(f"inspect.field.{name}")
    width = len(t("inspect.field.header_row"))
    return f"  {label:<{width}} {value}" if value else f"  {label}"


def detection_lines(d: Detection, lang: str = "en") -> Iterator[str]:
    """What inspect found in one file, in the language of inspect --lang."""
    t = Catalog(lang)
    yield f"{d.file}"
    yield _field(t, "role", f"{d.role.value} ({t(f'role.{d.role.value}')})")
    yield _field(t, "role_by", t(f"role_by.{d.role_by}", layout=t(f"layout.{d.layout}")))
    fmt = d.format
    if d.encoding:
        fmt += f", {d.encoding}"
    if d.delimiter:
        fmt += ", " + t("inspect.delimiter", delimiter=d.delimiter)
    yield _field(t, "format", fmt)
    if d.table is not None:
        others = [n for n in d.tables if n != d.table]
        suffix = f" ({t('inspect.also', tables=', '.join(others))})" if others else ""
        yield _field(t, "table", f"{d.table}{suffix}")
    if d.header_row is not None:
        yield _field(t, "header_row", str(d.header_row))
    if d.columns:
        yield _field(t, "columns")
        for header, name in d.columns:
            yield f"    {header!r:32} → {name}"
    if d.ignored_columns:
        shown = ", ".join(d.ignored_columns[:12])
        more = f" (+{len(d.ignored_columns) - 12})" if len(d.ignored_columns) > 12 else ""
        yield _field(t, "ignored", f"{shown}{more}")
    yield _field(t, "rows_read", t("inspect.rows_records", rows=d.rows_read, records=d.records))
    for skip in d.skipped:
        rows = ", ".join(str(r) for r in skip.rows[:10])
        more = " …" if len(skip.rows) > 10 else ""
        said = t(
            "inspect.skipped_rows",
            n=len(skip.rows),
            what=phrases.skipped(t, skip),
            rows=rows,
            more=more,
        )
        yield _field(t, "skipped", said)
    if d.fill_downs:
        yield _field(t, "filled_down", str(d.fill_downs))
    for n in d.notes:
        yield _field(t, "note", phrases.note(t, n))
    yield _field(t, "sha256", d.sha256)
