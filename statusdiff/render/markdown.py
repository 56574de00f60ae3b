"""Render a Report as a compact Markdown summary to paste into a ticket.

The verdict table first, then for each blocked pair its blocking labels and the recommended steps.
Labels go in code spans with their invisible characters drawn (explain.shown), fenced with more
backticks than they hold; every other piece of data is backslash-escaped, and every `|` inside a
table cell is escaped (GitHub-flavoured tables split on a bare pipe even inside a code span), so a
label can never break a table or start a list, a heading or a link.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator, Sequence

from ..explain import code_point, shown
from ..i18n import Catalog
from ..model import Difference, PairResult
from ..pipeline import Report
from ..remediate import Act, OptionKey, Plan
from . import phrases

_SPECIAL = re.compile(r"([\\`*_\[\]<>|~#&])")

TABLE_LIMIT = 200
"""Rows of the verdict table and of the unresolved list in a big run (only pairs that fail)."""
DETAIL_LIMIT = 50
"""Blocked pairs described in full; a ticket needs the pattern, the workbook holds the rest."""
_TICKS = re.compile(r"`+")


def _visible(text: str) -> str:
    """Draw the characters that would end a line or vanish (controls, line separators)."""
    if text.isprintable():
        return text
    return "".join(
        code_point(ch).glyph if unicodedata.category(ch) in ("Cc", "Zl", "Zp") else ch
        for ch in text
    )


def text(value: str | None) -> str:
    """Any data as inline Markdown text: visible, escaped, safe inside a table cell."""
    if not value:
        return ""
    return _SPECIAL.sub(r"\\\1", _visible(value))


def code(label: str, *, cell: bool = False) -> str:
    """A label as a code span, invisible characters drawn; `cell` escapes pipes for a table."""
    body = shown(label)
    if not body:
        return ""
    fence = "`" * (max((len(run) for run in _TICKS.findall(body)), default=0) + 1)
    pad = " " if body[0] in "` " or body[-1] in "` " else ""
    span = f"{fence}{pad}{body}{pad}{fence}"
    return span.replace("|", "\\|") if cell else span


def table(header: Sequence[str], align: str, rows: Iterable[Sequence[str]]) -> str:
    """A GitHub-flavoured table; `align` has one letter per column (l or r). Cells are ready."""
    rule = ["---:" if a == "r" else "---" for a in align]
    lines = ["| " + " | ".join(header) + " |", "| " + " | ".join(rule) + " |"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def _totals(t: Catalog, report: Report) -> str:
    s = report.comparison.summary
    values = (
        ("pairs", s.pairs),
        ("compatible", s.compatible),
        ("incompatible", s.incompatible),
        ("unresolved", s.unresolved),
        ("blocking_labels", s.blocking_labels),
        ("near_misses", s.near_misses),
        ("warnings", s.warnings),
    )
    header = [text(t(f"md.total.{key}")) for key, _ in values]
    return table(header, "r" * len(values), [[t.number(n) for _, n in values]])


def _verdicts(t: Catalog, report: Report, pairs: Sequence[PairResult]) -> str:
    keys = (
        "pair",
        "program",
        "channel",
        "campaign",
        "verdict",
        "blocking",
        "near_misses",
        "warnings",
        "recommended",
    )

    def rows() -> Iterator[list[str]]:
        for pair in pairs:
            plan = report.plans.get(pair.index)
            resolved = pair.problem is None
            yield [
                str(pair.index),
                text(pair.program),
                text(phrases.channel(t, pair)),
                text(pair.campaign_display),
                text(t(f"md.verdict.{pair.state}")),
                t.number(pair.blocking_count) if resolved else "",
                t.number(pair.near_miss_count) if resolved else "",
                t.number(pair.warning_count),
                text(t(f"option.{plan.recommended.value}")) if plan is not None else "",
            ]

    header = [text(t(f"md.col.{key}")) for key in keys]
    return table(header, "rllllrrrl", rows())


def _why(t: Catalog, diff: Difference) -> str:
    if diff.pseudo or diff.near_match is not None:
        return text(phrases.difference(t, diff))
    return text(t("md.no_near"))


def _blocking(t: Catalog, pair: PairResult) -> str:
    header = [text(t(f"md.col.{key}")) for key in ("label", "members", "near", "why")]
    rows = [
        [
            code(diff.label, cell=True),
            t.number(diff.members) if diff.members is not None else "",
            code(diff.near_match.target, cell=True) if diff.near_match is not None else "",
            _why(t, diff),
        ]
        for diff in pair.blocking
    ]
    return table(header, "lrll", rows)


def _steps(t: Catalog, plan: Plan) -> list[str]:
    option = plan.option(plan.recommended)
    title = t(f"option.{plan.recommended.value}")
    reason = t.opt("rec", plan.reason.code, **dict(plan.reason.params))
    out = [f"**{text(t('md.recommended', option=title))}** — {text(reason)}", ""]
    if not option.actions:
        return [*out, text(t("md.no_steps"))]
    for number, action in enumerate(option.actions, 1):
        owner = text(t(f"owner.{action.owner.value}"))
        out.append(f"{number}. {text(phrases.action(t, action))} *({owner})*")
    if option.verified is False or option.lossy:
        out += ["", f"*{text(phrases.verified(t, option))}*"]
    # What the Salesforce fix would lose, when it is not the one recommended: why it was not.
    b = plan.option(OptionKey.B)
    if plan.recommended is not OptionKey.B and b.lossy:
        out += ["", text(t("md.b_lossy", option=t("option.B"))), ""]
        out += [
            f"- {text(phrases.loss(t, a))}"
            for a in b.actions
            if a.act is not Act.DELETE and phrases.loss(t, a)
        ]
    return out


def _pair(t: Catalog, report: Report, pair: PairResult) -> list[str]:
    who = f"{text(pair.program)} — " if pair.program else ""
    campaign = pair.campaign
    ident = f" ({text(campaign.campaign_id)})" if campaign and campaign.campaign_id else ""
    fields = " · ".join(
        (
            text(
                t(
                    "md.field",
                    name=t("md.col.channel"),
                    value=phrases.channel(t, pair, compared=True),
                )
            ),
            text(t("md.field", name=t("md.col.campaign"), value=pair.campaign_display)) + ident,
        )
    )
    lines = [f"### {pair.index}. {who}{text(pair.campaign_display)}", "", f"*{fields}*", ""]
    lines += [_blocking(t, pair), ""]
    plan = report.plans.get(pair.index)
    if plan is not None:
        lines += [*_steps(t, plan), ""]
    return lines


def _templates(t: Catalog, report: Report) -> list[str]:
    """The Templates section: one row per Campaign Type, then each failing one with its fix."""
    checks = report.templates
    failing = [c for c in checks if c.failing]
    headline = phrases.templates_headline(t, checks)
    keys = ("type", "channel", "verdict", "records", "blocking", "near")
    rows = [
        [
            text(c.template.campaign_type),
            text(c.pair.channel_name),
            text(phrases.template_verdict(t, c)[1]),
            t.number(len(c.template.records)),
            t.number(len(c.pair.blocking)) if c.pair.problem is None else "",
            t.number(c.pair.near_miss_count) if c.pair.problem is None else "",
        ]
        for c in checks
    ]
    lines = [
        f"## {text(t('tt.section'))}",
        "",
        text(t("tt.section.intro")),
        "",
        f"**{text(headline)}**",
        "",
        table([text(t(f"tt.col.{key}")) for key in keys], "lllrrr", rows),
        "",
    ]
    for check in failing[:DETAIL_LIMIT]:
        lines += [f"### {text(check.template.campaign_type)}", "", _blocking(t, check.pair), ""]
        lines += [f"**{text(t('tt.fix.heading'))}**", ""]
        lines += [
            f"{n}. {text(phrases.template_fix(t, fix))}" for n, fix in enumerate(check.fixes, 1)
        ]
        lines += ["", f"*{text(t('tt.fix.regenerate'))}*", ""]
    return lines


def render(report: Report) -> bytes:
    """The Markdown summary, UTF-8, with a final newline."""
    t = Catalog(report.lang)
    comparison = report.comparison
    s = comparison.summary
    headline = phrases.headline(t, s)
    rule = t(f"rule.{comparison.rule.value}.sentence")
    meta = t("md.meta", version=report.version, generated_at=report.generated_at, rule=rule)
    lines: list[str] = []
    if report.closing is not None:
        from .closing import markdown_lines

        # NOTE: with --baseline the document is the comment that closes the ticket: outcome first.
        lines += markdown_lines(t, report.closing)
    lines += [
        f"# {text(t('report.title'))}",
        "",
        f"**{text(headline)}**",
        "",
        f"*{text(meta)}*",
        "",
        _totals(t, report),
        "",
    ]
    if report.templates:
        lines += _templates(t, report)
    lines += [
        f"## {text(t('md.section.verdicts'))}",
        "",
    ]
    # NOTE: a ticket cannot hold 50,000 rows: big runs list only the pairs that fail, and
    # describe the first blocked pairs in full; the JSON and the workbook keep everything.
    listed: Sequence[PairResult] = comparison.pairs
    if len(listed) > TABLE_LIMIT:
        failing = [p for p in listed if not p.compatible]
        listed = failing[:TABLE_LIMIT]
        lines += [
            "*"
            + text(
                t(
                    "md.limited.verdicts",
                    shown=t.number(len(listed)),
                    total=t.number(len(comparison.pairs)),
                )
            )
            + "*",
            "",
        ]
    lines += [_verdicts(t, report, listed), ""]
    blocked = [p for p in comparison.pairs if p.problem is None and p.blocking]
    if blocked:
        lines += [f"## {text(t('md.section.blocked'))}", "", text(t("md.legend")), ""]
        if len(blocked) > DETAIL_LIMIT:
            lines += [
                "*"
                + text(
                    t(
                        "md.limited.detail",
                        shown=t.number(DETAIL_LIMIT),
                        total=t.number(len(blocked)),
                        differences=t("xlsx.sheet.differences"),
                        remediation=t("xlsx.sheet.remediation"),
                    )
                )
                + "*",
                "",
            ]
        for pair in blocked[:DETAIL_LIMIT]:
            lines += _pair(t, report, pair)
    unresolved = [p for p in comparison.pairs if p.problem is not None]
    if unresolved:
        lines += [f"## {text(t('md.section.unresolved'))}", ""]
        lines += [
            f"- **{p.index}.** {text(p.program) or text(p.channel_name)} — "
            f"{text(phrases.problem(t, p))}"
            for p in unresolved[:TABLE_LIMIT]
        ]
        if len(unresolved) > TABLE_LIMIT:
            lines.append(
                f"- *{text(t('md.limited.more', count=t.number(len(unresolved) - TABLE_LIMIT)))}*"
            )
        lines.append("")
    return ("\n".join(lines).rstrip("\n") + "\n").encode("utf-8")
