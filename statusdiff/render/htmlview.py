"""The HTML report's view model: every decision made in Python, so templates only loop and print.

Three parts: the view types (render/htmltypes.py), the page budget decided before anything is built
(render/htmlplan.py, `plan_page(report) -> PagePlan`, pure and tested alone), and the builders here,
which turn the report and its page plan into those types.

`build(report)` turns a Report into frozen dataclasses of display-ready strings (already in the
report's language, never escaped: the template's autoescape does that). Labels become `Segment`
runs, so invisible characters and the characters of a near miss can be drawn and explained.

Size matters at 50,000 pairs, so repeated data is passed by reference and every part of the page
has a budget (the workbook and the JSON report keep everything; the banner says what was left out):

* Pairs that will not sync and share the very same statuses (campaigns cloned from one template)
  share one detail section that lists them. What differs from clone to clone is given pair by
  pair in the group's table: member counts of the blocking labels (the status table shows their
  sums) and, when the names make it differ, the recommended fix and the campaign to sync instead.
* At most DETAIL_LIMIT sections are drawn in full. When there are more, the ones that explain the
  most pairs are kept, largest first: one fix to a template then unblocks all its clones, so these
  sections are worth the most per byte. Every other pair that will not sync keeps its row in the
  table of pairs, with its blocking labels drawn and the recommended fix.
* A pair that will sync is one summary row and nothing else; past LIST_ALL pairs they are counted
  per channel instead of listed.
* An advisory shared by many pairs is written once with the pairs it concerns; option C's blast
  radius and long lists are capped, with a count of what was left out.
"""

from __future__ import annotations

import itertools
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace

from ..codes import PairState
from ..explain import CharChange, CodePoint, code_point, shown, visible
from ..i18n import Catalog
from ..model import (
    Detection,
    Difference,
    Kind,
    Match,
    MemberStatus,
    PairResult,
    ProgramStatus,
    Role,
    is_pseudo_status,
)
from ..pipeline import Report
from ..remediate import Act, Action, BlastEntry, Option, OptionKey, Plan
from . import phrases
from .closing import html_view
from .htmlplan import plan_page
from .htmltypes import (
    AdvisoryGroup,
    AlternativeView,
    Audit,
    Badge,
    Banner,
    Bar,
    BlastView,
    Blocking,
    ChannelRow,
    ChannelsView,
    CharView,
    Chunk,
    EvidenceView,
    Fact,
    InputView,
    Label,
    MarkView,
    MatrixCell,
    MatrixRow,
    MatrixView,
    MemberView,
    OptionView,
    PairView,
    ReportView,
    Segment,
    Stat,
    StatusRow,
    SummaryRow,
    TemplatesView,
    TemplateView,
    UnresolvedView,
)

MATRIX_LIMIT = 500
"""Campaigns shown in the compatibility matrix; the rest are counted, not drawn."""
BLAST_LIMIT = 5
"""Other pairs listed in option C's blast radius (changed verdicts first; all are counted)."""
LIST_LIMIT = 50
"""Items of a long inline list (pairs sharing an advisory, candidate campaigns)."""
ROWS_LIMIT = 20
"""Skipped row numbers listed per reason in the audit block."""
CHUNK = 250
"""Summary rows per block (one table each)."""
SUMMARY_LIMIT = 20_000
"""Rows of the summary table at most (about 230 bytes each)."""
SUMMARY_BYTES = 5_500_000
"""Bytes the summary rows may take (long names and many labels make bigger rows)."""
ADVISORY_LIMIT = 300
"""Distinct advisory sentences on pairs that will sync."""
LABELS_LIMIT = 5
"""Blocking labels drawn in one summary row (the others are counted)."""
CHANNEL_LIMIT = 500
"""Channels in the per-channel count of a big run (most pairs that will not sync first)."""
EVIDENCE_OPEN = 10
"""Up to this many, the evidence of pairs that will sync is shown open; past it, collapsed."""
"""Channels in the per-channel count of a big run (most pairs that will not sync first)."""

# ------------------------------------------------------------------------------------------------
# Labels drawn character by character
# ------------------------------------------------------------------------------------------------


def _label(
    text: str,
    changed: frozenset[int] = frozenset(),
    gaps: Mapping[int, str] | None = None,
) -> Label:
    """Split a label into segments: invisible characters drawn, changed ones marked."""
    out: list[Segment] = []
    plain: list[str] = []
    gaps = gaps or {}

    def flush() -> None:
        if plain:
            out.append(Segment("".join(plain)))
            plain.clear()

    def gap(index: int) -> None:
        if index in gaps:
            flush()
            out.append(Segment("", "gap", gaps[index], "‸"))

    index = 0
    for part, cp in visible(text):
        if cp is not None:
            gap(index)
            flush()
            cls = "inv chg" if index in changed else "inv"
            out.append(Segment(cp.char, cls, cp.described, cp.glyph))
            index += 1
            continue
        for ch in part:
            gap(index)
            if index in changed:
                flush()
                point = code_point(ch)
                if point.invisible:
                    out.append(Segment(ch, "inv chg", point.described, point.glyph))
                else:
                    out.append(Segment(ch, "chg", point.described))
            else:
                plain.append(ch)
            index += 1
    gap(index)
    flush()
    return tuple(out)


def _described(points: Sequence[CodePoint]) -> str:
    return " + ".join(p.described for p in points)


def _near_sides(
    t: Catalog, label: str, target: str, changes: Sequence[CharChange]
) -> tuple[Label, Label]:
    """Both sides of a near miss, with the differing characters marked on each."""
    on_label: set[int] = set()
    on_target: set[int] = set()
    gaps: dict[int, str] = {}
    for change in changes:
        on_label.update(range(change.label_start, change.label_end))
        on_target.update(range(change.target_start, change.target_end))
        if change.op == "insert":
            gaps[change.label_start] = t(
                "change.insert", label="", target=_described(change.target_chars)
            )
    return (
        _label(label, frozenset(on_label), gaps),
        _label(target, frozenset(on_target)),
    )


def _legend(labels: Iterable[Label]) -> tuple[CharView, ...]:
    """The characters drawn in these labels, once each, in code point order (the legend)."""
    seen: dict[str, CodePoint] = {}
    for label in labels:
        for segment in label:
            if segment.cls and segment.cls != "gap":
                point = code_point(segment.text)
                seen.setdefault(point.code, point)
    return tuple(
        CharView(cp.glyph, cp.code, cp.name)
        for cp in sorted(seen.values(), key=lambda c: ord(c.char))
    )


# ------------------------------------------------------------------------------------------------
# Building
# ------------------------------------------------------------------------------------------------


def _a_key(plan: Plan) -> str:
    """Option A of a plan: the campaigns it offers (they depend on the pair's names)."""
    a = plan.option(OptionKey.A)
    return repr(
        (tuple((x.label, x.target) for x in a.actions), a.alternatives, a.alternatives_total)
    )


def _fix_key(plan: Plan) -> str:
    """What of a plan a group may not share: the recommendation and option A's campaigns."""
    return repr((plan.recommended.value, plan.reason, _a_key(plan)))


def _row_bytes(row: SummaryRow) -> int:
    """About what a summary row weighs once printed (tags, names, labels drawn)."""
    size = 60 + sum(
        len(text)
        for text in (
            row.index,
            row.program,
            row.channel,
            row.campaign,
            row.verdict,
            row.findings,
            row.fix,
        )
    )
    if row.anchor:
        size += 16 + len(row.anchor)
    for b in row.labels:
        size += 16 if b.target else 14
        for segment in (*b.label, *b.target):
            size += len(segment.text) + (len(segment.title) + 30 if segment.cls else 0)
    return size


_STATE_CLASS = {
    PairState.WILL_SYNC: "ok",
    PairState.WILL_NOT_SYNC: "no",
    PairState.UNRESOLVED: "un",
}
"""The CSS class of a pair's state."""
_TALLY = {PairState.WILL_SYNC: 0, PairState.WILL_NOT_SYNC: 1, PairState.UNRESOLVED: 2}
"""Column of a pair's state in the per-channel tally (will sync, will not, unresolved)."""


def _option_order(option: Option) -> str:
    """Options always in the order A, B, C: the recommended one is marked, not moved."""
    return option.key.value


class _Builder:
    """Builds a ReportView from a Report (one use)."""

    def __init__(self, report: Report) -> None:
        self.report = report
        self.t = Catalog(report.lang)
        self.labels: dict[str, Label] = {}
        """Labels drawn, each split once (a cache: the legend is read from it at the end)."""
        self.near: dict[tuple[str, str], tuple[Label, Label]] = {}
        """Both sides of each near miss drawn (a cache, as labels)."""
        self.has_members = any(d.role is Role.MEMBERS for d in report.inputs)
        plan = self.page = plan_page(report)
        self.unresolved = plan.unresolved
        self.explained = plan.explained
        self.blocked = plan.blocked
        self.groups_total = plan.groups_total
        self.groups = plan.groups
        self.shares = plan.shares
        self.detailed = plan.detailed
        self.anchors = plan.anchors
        self.evidenced = plan.evidenced
        self.evidence_cut = plan.evidence_cut
        self.lists_compatible = plan.lists_compatible
        self.in_summary = plan.in_summary

    # -- small helpers ---------------------------------------------------------------------------

    def number(self, value: int | None) -> str:
        return "" if value is None else self.t.number(value)

    def plain(self, text: str) -> Label:
        """A label with its invisible characters drawn (labels recur: each is split once)."""
        found = self.labels.get(text)
        if found is None:
            found = self.labels[text] = _label(text)
        return found

    def anchor(self, index: int) -> str:
        """Where a pair is explained on the page ('' when only its summary row shows it)."""
        return self.anchors.get(index, "")

    def listed(self, items: Sequence[str], limit: int = LIST_LIMIT) -> str:
        """'a, b, c' with 'and N more' past the limit."""
        text = ", ".join(items[:limit])
        if len(items) > limit:
            text += " " + self.t.n("html.more", len(items) - limit)
        return text

    def pair_title(self, pair: PairResult) -> str:
        channel = phrases.channel(self.t, pair, compared=True)
        if not pair.program:
            # NOTE: matrix mode pairs no program: the title says channel ⇄ campaign, nothing else.
            return self.t(
                "html.pair.title_no_program", channel=channel, campaign=pair.campaign_display
            )
        return self.t(
            "html.pair.title",
            program=pair.program,
            channel=channel,
            campaign=pair.campaign_display,
        )

    # -- banner and audit ------------------------------------------------------------------------

    def banner(self, rows_cut: int) -> Banner:
        t = self.t
        s = self.report.comparison.summary
        headline = phrases.headline(t, s)
        subline = []
        if s.near_misses:
            subline.append(t.n("html.stat.near_misses_sentence", s.near_misses))
        stats = tuple(
            Stat(t.number(value), t.n(f"html.stat.{name}", value), cls)
            for value, name, cls in (
                (s.compatible, "will_sync", "ok"),
                (s.incompatible, "will_not_sync", "no"),
                (s.unresolved, "unresolved", "un"),
                (s.blocking_labels, "blocking_labels", "no"),
                (s.near_misses, "near_misses", "near"),
                (s.warnings, "advisories", "info"),
            )
        )
        bar = []
        x = 0.0
        for value, cls in ((s.compatible, "ok"), (s.incompatible, "no"), (s.unresolved, "un")):
            if not s.pairs or not value:
                continue
            width = 100.0 * value / s.pairs
            bar.append(Bar(f"{x:.3f}%", f"{width:.3f}%", cls))
            x += width
        if not s.pairs:
            cls = "empty"
        elif s.compatible == s.pairs:
            cls = "ok"
        else:
            cls = "no"
        rule = self.report.comparison.rule.value
        return Banner(
            headline,
            cls,
            tuple(subline),
            stats,
            tuple(bar),
            t(f"rule.{rule}.sentence"),
            t(f"rule.{rule}.explained"),
            t("rule.undefined"),
            self.limited(rows_cut),
        )

    def limited(self, rows_cut: int) -> tuple[str, ...]:
        """What the page leaves out to stay light, said plainly (nothing for a small run)."""
        t = self.t
        lines = []
        summarised = self.blocked - len(self.detailed)
        if summarised:
            lines.append(
                t.n(
                    "html.limited.detail",
                    summarised,
                    shown=t.number(len(self.detailed)),
                    total=t.number(self.blocked),
                    sections=t.number(len(self.groups)),
                )
            )
        compatible = self.report.comparison.summary.compatible
        if not self.lists_compatible and compatible:
            lines.append(t.n("html.limited.compatible", compatible))
        if rows_cut:
            lines.append(
                t.n(
                    "html.limited.rows",
                    rows_cut,
                    shown=t.number(len(self.in_summary) - rows_cut),
                    total=t.number(len(self.in_summary)),
                )
            )
        if len(self.explained) < len(self.unresolved):
            lines.append(
                t.n(
                    "html.limited.unresolved",
                    len(self.unresolved) - len(self.explained),
                    shown=t.number(len(self.explained)),
                )
            )
        if lines:
            lines.append(t("html.limited.full"))
        return tuple(lines)

    def input_view(self, d: Detection) -> InputView:
        t = self.t
        fmt = phrases.file_format(t, d.format)
        if d.encoding:
            fmt += f" · {d.encoding}"
        if d.delimiter:
            fmt += " · " + t("html.input.delimiter", delimiter=_delimiter(d.delimiter))
        formats = [fmt]
        if d.table is not None:
            others = [n for n in d.tables if n != d.table]
            sheet = t("html.input.sheet", sheet=d.table)
            if others:
                sheet += " " + t("html.input.other_sheets", sheets=self.listed(others, 10))
            formats.append(sheet)
        if d.header_row is not None:
            formats.append(t("html.input.header_row", row=t.number(d.header_row)))
        read = [
            t(
                "html.input.rows_make",
                rows=t.n("html.input.rows", d.rows_read),
                records=t.n(f"html.input.made.{d.role.value}", d.records),
            )
        ]
        if d.fill_downs:
            read.append(t.n("html.input.fill_downs", d.fill_downs))
        if d.ignored_columns:
            read.append(t("html.input.ignored", columns=self.listed(list(d.ignored_columns), 12)))
        columns = ", ".join(f"{header} → {phrases.field(t, name)}" for header, name in d.columns)
        skipped = tuple(
            t(
                "html.input.skipped_reason",
                count=len(s.rows),
                reason=phrases.skipped(t, s),
                rows=self.listed([str(r) for r in s.rows], ROWS_LIMIT),
            )
            for s in d.skipped
        )
        return InputView(
            role=phrases.role_decision(t, d),
            file=d.file,
            sha256=d.sha256,
            size=t.n("html.input.bytes", d.size),
            format=tuple(formats),
            read=tuple(read),
            columns=columns,
            skipped=skipped,
            notes=tuple(phrases.note(t, n) for n in d.notes),
        )

    def audit(self) -> Audit:
        t = self.t
        report = self.report
        comparison = report.comparison
        facts = (
            Fact(t("html.audit.tool"), t("html.audit.tool_version", version=report.version)),
            Fact(t("html.audit.generated_at"), report.generated_at, cls="mono"),
            Fact(t("html.audit.mode"), t(f"mode.{comparison.mode}")),
            Fact(t("html.audit.rule"), t(f"rule.{comparison.rule.value}")),
            Fact(t("html.audit.language"), phrases.language(t, report.lang)),
        )
        options = tuple(
            Fact(*phrases.option(t, name, value), cls="mono") for name, value in report.options
        )
        notes = tuple(phrases.advisory(t, n) for n in (*report.notes, *comparison.notes))
        return Audit(facts, options, tuple(self.input_view(d) for d in report.inputs), notes)

    # -- summary table ---------------------------------------------------------------------------

    def summary_row(self, pair: PairResult) -> SummaryRow:
        t = self.t
        state, verdict = _STATE_CLASS[pair.state], t(f"verdict.{pair.state.value}")
        findings = []
        if pair.problem is None and not pair.compatible:
            findings.append(t.n("html.findings.blocking", pair.blocking_count))
            if pair.near_miss_count:
                findings.append(t.n("html.findings.near_misses", pair.near_miss_count))
        # NOTE: counted as Summary.warnings counts them, so the rows add up to the banner.
        if pair.warning_count:
            findings.append(t.n("html.findings.advisories", pair.warning_count))
        plan = self.report.plans.get(pair.index)
        fix = t(f"option.{plan.recommended.value}") if plan is not None else ""
        labels: tuple[Blocking, ...] = ()
        if state == "no" and pair.index not in self.detailed:
            # NOTE: no detail section: the row says what blocks, in place of the counts.
            blocking = pair.blocking
            labels = tuple(self.blocking(d) for d in blocking[:LABELS_LIMIT])
            findings = []
            if len(blocking) > LABELS_LIMIT:
                findings.append(t.n("html.more", len(blocking) - LABELS_LIMIT))
        return SummaryRow(
            str(pair.index),
            self.anchor(pair.index),
            pair.program or "",
            phrases.channel(t, pair),
            pair.campaign_display,
            state,
            verdict,
            ", ".join(findings),
            fix,
            labels,
        )

    def summary_rows(self) -> tuple[tuple[SummaryRow, ...], int]:
        """The rows of the summary table, as many as its budget holds, and how many pairs of the
        table were left out."""
        rows: list[SummaryRow] = []
        spent = 0
        for pair in self.in_summary[:SUMMARY_LIMIT]:
            row = self.summary_row(pair)
            spent += _row_bytes(row)
            if spent > SUMMARY_BYTES and rows:
                break
            rows.append(row)
        return tuple(rows), len(self.in_summary) - len(rows)

    def blocking(self, diff: Difference) -> Blocking:
        """A blocking label drawn for a summary row: invisible characters shown, near miss named."""
        if diff.kind is Kind.MARKETO_ONLY:
            return Blocking(self.plain(diff.label), (), "mk")
        near = diff.near_match
        target = self.plain(near.target) if near is not None else ()
        return Blocking(self.plain(diff.label), target)

    # -- one pair in full ------------------------------------------------------------------------

    def status_rows(
        self, pair: PairResult, totals: Mapping[str, int | None] | None = None
    ) -> tuple[StatusRow, ...]:
        """Align the channel's statuses with the campaign's: channel order, then Salesforce only.

        `totals` replaces the pair's member counts (a group shows the sums over its pairs).
        """
        t = self.t
        assert pair.channel is not None and pair.campaign is not None
        matches: dict[str, Match] = {m.status.label: m for m in pair.matches}
        sf_only: dict[str, Difference] = {}
        mk_only: dict[str, Difference] = {}
        responded: dict[str, Difference] = {}
        for d in pair.differences:
            target = {
                Kind.SALESFORCE_ONLY: sf_only,
                Kind.MARKETO_ONLY: mk_only,
                Kind.RESPONDED_MISMATCH: responded,
            }[d.kind]
            target.setdefault(d.label, d)
        attached: dict[str, list[MemberStatus]] = defaultdict(list)
        pseudo: list[MemberStatus] = []
        loose: list[MemberStatus] = []
        for status in pair.campaign.statuses:
            diff = sf_only.get(status.label)
            if status.label in matches:
                attached[status.label].append(status)
            elif diff is not None and diff.pseudo:
                pseudo.append(status)
            elif diff is not None and diff.near_match is not None:
                attached[diff.near_match.target].append(status)
            else:
                loose.append(status)
        members = dict(totals) if totals is not None else pair.label_members
        rows: list[StatusRow] = []
        names: set[str] = set()
        for channel_status in pair.channel.statuses:
            if is_pseudo_status(channel_status):
                if pseudo:
                    rows.extend(
                        self.row_sf(s, sf_only[s.label], members, channel_status) for s in pseudo
                    )
                else:
                    rows.append(
                        self.row(
                            "pseudo",
                            t("html.mark.pseudo"),
                            "",
                            "",
                            channel_status,
                            None,
                            None,
                        )
                    )
                continue
            if channel_status.name in names:
                continue
            names.add(channel_status.name)
            held = attached.get(channel_status.name, [])
            for status in held:
                if status.label in matches:
                    mismatch = responded.get(status.label)
                    note = phrases.difference(t, mismatch) if mismatch is not None else ""
                    rows.append(
                        self.row(
                            "exact",
                            t("kind.match"),
                            "",
                            note,
                            channel_status,
                            status,
                            members.get(status.label),
                        )
                    )
                else:
                    rows.append(self.row_sf(status, sf_only[status.label], members, channel_status))
            if not held:
                diff = mk_only.get(channel_status.name)
                blocking = diff is not None and diff.blocking
                rows.append(
                    self.row(
                        "mk",
                        t("kind.marketo_only"),
                        "",
                        t("kind.blocking") if blocking else t("kind.informational"),
                        channel_status,
                        None,
                        None,
                        blocking=blocking,
                    )
                )
        rows.extend(self.row_sf(s, sf_only[s.label], members, None) for s in loose)
        return tuple(rows)

    def row_sf(
        self,
        status: MemberStatus,
        diff: Difference,
        members: Mapping[str, int | None],
        channel_status: ProgramStatus | None,
    ) -> StatusRow:
        """A blocking Salesforce label: a near miss beside its channel status, or alone."""
        t = self.t
        near = diff.near_match
        n = members.get(status.label)
        if diff.pseudo:
            return self.row(
                "sf",
                t("kind.salesforce_only"),
                "",
                t("pseudo.label"),
                channel_status,
                status,
                n,
                blocking=True,
            )
        if near is not None and channel_status is not None:
            key = (status.label, near.target)
            sides = self.near.get(key)
            if sides is None:
                sides = self.near[key] = _near_sides(t, status.label, near.target, near.changes)
            label, target = sides
            return self.row(
                "near",
                t("kind.near_miss"),
                phrases.reasons(t, near),
                phrases.near_miss(t, status.label, near),
                channel_status,
                status,
                n,
                blocking=True,
                label=label,
                target=target,
            )
        return self.row(
            "sf", t("kind.salesforce_only"), "", t("kind.blocking"), None, status, n, blocking=True
        )

    def row(
        self,
        kind: str,
        mark: str,
        reasons: str,
        note: str,
        channel_status: ProgramStatus | None,
        status: MemberStatus | None,
        members: int | None,
        *,
        blocking: bool = False,
        label: Label | None = None,
        target: Label | None = None,
    ) -> StatusRow:
        """One line of the side-by-side table."""
        t = self.t
        cs, ss = channel_status, status
        if target is None:
            target = self.plain(cs.name) if cs is not None else ()
        if label is None:
            label = self.plain(ss.label) if ss is not None else ()
        return StatusRow(
            cls=f"r-{kind}" + (" blk" if blocking else ""),
            mark=mark,
            reasons=reasons,
            note=note,
            status=target,
            step=self.number(cs.step) if cs is not None else "",
            success=phrases.yes_no(t, cs.success) if cs is not None else "",
            hidden=phrases.yes_no(t, cs.hidden) if cs is not None else "",
            label=label,
            responded=phrases.yes_no(t, ss.responded) if ss is not None else "",
            default=phrases.yes_no(t, ss.default) if ss is not None else "",
            sort_order=self.number(ss.sort_order) if ss is not None else "",
            members=self.number(members),
        )

    def blast(
        self, option: Option, group: frozenset[int]
    ) -> tuple[tuple[BlastView, ...], str, str]:
        """Option C's effect on the other pairs of the channel: counted, then the first few.

        The pairs of the same group are counted but not listed: the section already lists them,
        and they share the fix.
        """
        t = self.t
        entries = option.blast_radius
        # NOTE: the plan lists a few pairs (those whose verdict changes, when there are many) but
        # counts them all: the counts are what the summary says.
        counts = Counter(dict(option.blast_counts)) or Counter(b.change for b in entries)
        if not counts:
            return (), "", ""
        order = {"broken": 0, "fixed": 1, "still_blocked": 2, "still_ok": 3}
        parts = [
            t.n(f"html.blast.{change}", counts[change])
            for change in ("fixed", "broken", "still_blocked", "still_ok")
            if counts[change]
        ]
        summary = t(
            "html.blast.summary",
            total=t.n("html.blast.total", sum(counts.values())),
            parts=", ".join(parts),
        )
        if len(group) > 1:
            summary += " " + t.n("html.blast.group", len(group) - 1)
        listed: list[BlastEntry] = sorted(
            (b for b in entries if b.pair_index not in group),
            key=lambda b: (order[b.change], b.pair_index),
        )
        shown = tuple(
            BlastView(
                str(b.pair_index),
                self.anchor(b.pair_index),
                b.program or "",
                b.campaign,
                t(f"blast.{b.change}"),
                b.change,
            )
            for b in listed[:BLAST_LIMIT]
        )
        cut = len(listed) - BLAST_LIMIT
        return shown, summary, t.n("html.more", cut) if cut > 0 else ""

    def step(self, action: Action, grouped: bool) -> str:
        """One step; in a group, members are counted pair by pair in the group's table instead."""
        t = self.t
        if grouped and action.act is Act.MOVE_MEMBERS and action.members is not None:
            text = t(
                "html.act.move_members.group",
                label=shown(action.label),
                target=shown(action.target or ""),
            )
            lost = phrases.loss(t, action._replace(members=None))
            return f"{text} {lost}" if lost else text
        return phrases.action(t, action)

    def option_view(self, option: Option, recommended: bool, group: frozenset[int]) -> OptionView:
        t = self.t
        badges = []
        if recommended:
            badges.append(Badge(t("option.recommended"), "rec"))
        if not option.feasible:
            badges.append(Badge(t("option.not_feasible"), "nf"))
        elif option.verified is True:
            badges.append(Badge(phrases.verified(t, option), "unv" if option.lossy else "ver"))
        elif option.verified is False:
            badges.append(Badge(t("option.unverified"), "unv"))
        owners = list(dict.fromkeys(t(f"owner.{a.owner.value}") for a in option.actions))
        steps = tuple(self.step(a, len(group) > 1) for a in option.actions)
        concerned: dict[str, list[str]] = {}
        for number, action in enumerate(option.actions, 1):
            for note in phrases.action_notes(t, action):
                concerned.setdefault(note, []).append(t.number(number))
        cautions = tuple(
            t.n("html.option.caution", len(numbers), steps=", ".join(numbers), text=note)
            for note, numbers in concerned.items()
        )
        alternatives = tuple(
            AlternativeView(
                a.campaign_name or a.campaign_key,
                a.campaign_id or "",
                t.percent(a.score),
            )
            for a in option.alternatives
        )
        more_alternatives = option.alternatives_total - len(option.alternatives)
        blast, blast_summary, blast_more = self.blast(option, group)
        return OptionView(
            key=option.key.value,
            title=t(f"option.{option.key.value}"),
            cls="rec" if recommended else ("" if option.feasible else "nf"),
            badges=tuple(badges),
            owner=", ".join(owners),
            steps=steps,
            cautions=cautions,
            constraints=tuple(t.opt("constraint", c) for c in option.constraints),
            alternatives=alternatives,
            alternatives_more=t.n("html.more", more_alternatives) if more_alternatives > 0 else "",
            blast=blast,
            blast_summary=blast_summary,
            blast_more=blast_more,
            # NOTE: campaigns listed without a clear twin are "also fits", never a proposal.
            alternatives_caption=t("html.option.also_fits")
            if option.key is OptionKey.A and not option.feasible and alternatives
            else "",
        )

    def member_view(self, pair: PairResult, counted: Sequence[str], fix: bool) -> MemberView:
        campaign = pair.campaign
        counts = pair.label_members if counted else {}
        return MemberView(
            index=str(pair.index),
            anchor=f"p{pair.index}",
            program=pair.program or "",
            campaign=pair.campaign_display,
            campaign_id=(campaign.campaign_id or "") if campaign is not None else "",
            campaign_type=(campaign.type or "") if campaign is not None else "",
            source=pair.source.where(pair.row) if pair.source is not None else "",
            counts=tuple(self.number(counts.get(label)) for label in counted),
            fix=self.pair_fix(self.report.plans.get(pair.index)) if fix else "",
        )

    @staticmethod
    def totals(group: Sequence[PairResult]) -> dict[str, int | None]:
        """The members of each status summed over a group's pairs (None when none is counted)."""
        sums: dict[str, int | None] = {}
        for pair in group:
            for label, n in pair.label_members.items():
                before = sums.get(label)
                sums[label] = before if n is None else (before or 0) + n
        return sums

    def pair_fix(self, plan: Plan | None) -> str:
        """A pair's recommended fix in a group's table: the option, and the campaign to sync
        instead when that is the fix."""
        t = self.t
        if plan is None:
            return ""
        title = t(f"option.{plan.recommended.value}")
        if plan.recommended is OptionKey.A:
            for action in plan.option(OptionKey.A).actions:
                if action.act is Act.SYNC_OTHER:
                    return t(
                        "html.group.fix_other",
                        key=plan.recommended.value,
                        campaign=action.label,
                        id=action.target or "",
                    )
        return title

    def fixes(
        self, group: Sequence[PairResult], plan: Plan
    ) -> tuple[str, tuple[OptionView, ...], bool]:
        """A section's recommendation and options, and whether its table gives each pair's fix.

        A group shares its statuses, and so options B and C; which option is recommended, and
        the campaigns option A offers, can differ from pair to pair (they depend on the names).
        Then no option is marked for the whole group unless all pairs agree, option A is told in
        general, and the table of the group's pairs gives each pair's fix.
        """
        t = self.t
        indexes = frozenset(p.index for p in group)
        plans = [self.report.plans.get(p.index) for p in group[1:]]
        first = _fix_key(plan)
        shared = all(other is not None and _fix_key(other) == first for other in plans)
        if shared:
            return (
                t.opt("rec", plan.reason.code, **dict(plan.reason.params)),
                tuple(
                    self.option_view(o, o.key is plan.recommended, indexes)
                    for o in sorted(plan.options, key=_option_order)
                ),
                False,
            )
        agreed = {(o.recommended, o.reason) for o in plans if o is not None}
        agreed.add((plan.recommended, plan.reason))
        keys = {key for key, _ in agreed}
        if len(agreed) == 1:
            recommendation = t.opt("rec", plan.reason.code, **dict(plan.reason.params))
        elif len(keys) == 1:
            recommendation = t("html.group.rec_same", option=t(f"option.{plan.recommended.value}"))
        else:
            recommendation = t("html.group.rec_per_pair")
        a_shared = all(other is not None and _a_key(other) == _a_key(plan) for other in plans)
        ordered = sorted(plan.options, key=_option_order)
        options = []
        for option in ordered:
            view = self.option_view(option, len(keys) == 1 and option.key in keys, indexes)
            if option.key is OptionKey.A and option.feasible and not a_shared:
                view = replace(
                    view,
                    steps=(t("html.group.option_a"),),
                    alternatives=(),
                    alternatives_more="",
                )
            options.append(view)
        return recommendation, tuple(options), True

    def pair_view(self, group: Sequence[PairResult], share: int) -> PairView:
        """One section: a pair, or a group of pairs that share everything but their names.

        A group lists its first `share` pairs (the page's budget of group rows, shared out).
        """
        t = self.t
        pair = group[0]
        plan = self.report.plans.get(pair.index)
        assert pair.channel is not None and pair.campaign is not None
        channel, campaign = pair.channel, pair.campaign
        facts = []
        members: tuple[MemberView, ...] = ()
        members_more = ""
        count_labels: tuple[Label, ...] = ()
        totals = None
        options: tuple[OptionView, ...] = ()
        recommendation = ""
        per_pair = False
        if plan is not None:
            recommendation, options, per_pair = self.fixes(group, plan)
        if channel.program_type:
            facts.append(
                Fact(t("html.col.program_type"), phrases.program_type(t, channel.program_type))
            )
        if len(group) == 1:
            # NOTE: program, channel and campaign names are in the title; facts add what it lacks.
            if campaign.campaign_id:
                facts.append(Fact(t("html.col.campaign_id"), campaign.campaign_id, cls="mono"))
            if campaign.type:
                facts.append(Fact(t("html.col.campaign_type"), campaign.type))
            if pair.source is not None:
                # NOTE: in matrix mode no mapping names the pair: the row is the campaign's own,
                # in the status export.
                matrix = self.report.comparison.mode == "matrix"
                key = "html.col.source_statuses" if matrix else "html.col.source"
                facts.append(Fact(t(key), pair.source.where(pair.row), cls="mono"))
            title = self.pair_title(pair)
            anchor = f"p{pair.index}"
            caption = t("html.pair.caption", channel=channel.name, campaign=campaign.display)
        else:
            counted: list[str] = []
            if self.has_members:
                counted = list(
                    dict.fromkeys(
                        d.label
                        for d in pair.differences
                        if d.blocking and d.kind is Kind.SALESFORCE_ONLY
                    )
                )
                count_labels = tuple(self.plain(label) for label in counted)
                totals = self.totals(group)
            members = tuple(self.member_view(p, counted, per_pair) for p in group[:share])
            if len(group) > share:
                members_more = t.n("html.group.more", len(group) - share)
            key = "html.group.title_statuses" if per_pair else "html.group.title"
            title = t.n(key, len(group), channel=phrases.channel(t, pair))
            anchor = f"g{pair.index}"
            key = "html.group.caption_totals" if self.has_members else "html.group.caption"
            caption = t(key, channel=channel.name)
        return PairView(
            index=str(pair.index),
            anchor=anchor,
            title=title,
            facts=tuple(facts),
            members=members,
            members_more=members_more,
            count_labels=count_labels,
            per_pair_fix=per_pair,
            caption=caption,
            rows=self.status_rows(pair, totals),
            advisories=tuple(phrases.advisory(t, w) for w in pair.warnings),
            recommendation=recommendation,
            options=options,
        )

    def pair_views(self) -> tuple[PairView, ...]:
        """The detail sections: pairs that will not sync, grouped when they share a diagnosis."""
        return tuple(
            self.pair_view(g, share) for g, share in zip(self.groups, self.shares, strict=True)
        )

    def evidence_view(self, pair: PairResult) -> EvidenceView:
        """A pair that will sync: its statuses side by side, each match drawn."""
        assert pair.channel is not None and pair.campaign is not None
        caption = self.t(
            "html.pair.caption", channel=pair.channel.name, campaign=pair.campaign.display
        )
        return EvidenceView(
            str(pair.index),
            f"p{pair.index}",
            self.pair_title(pair),
            caption,
            self.status_rows(pair),
        )

    def unresolved_view(self, pair: PairResult) -> UnresolvedView:
        t = self.t
        candidates = (
            t("html.unresolved.candidates", ids=self.listed(list(pair.candidates)))
            if pair.candidates
            else phrases.did_you_mean(t, self.report.comparison, pair)
        )
        return UnresolvedView(
            str(pair.index),
            f"p{pair.index}",
            self.pair_title(pair),
            phrases.problem(t, pair),
            candidates,
            tuple(phrases.advisory(t, w) for w in pair.warnings),
        )

    def advisory_groups(self, pairs: Iterable[PairResult]) -> tuple[tuple[AdvisoryGroup, ...], str]:
        """Advisories of the pairs that will sync, each sentence once with its pairs (the first
        ADVISORY_LIMIT sentences; the others are counted)."""
        t = self.t
        groups: dict[str, list[int]] = {}
        for pair in pairs:
            texts = [phrases.advisory(t, w) for w in pair.warnings]
            texts.extend(
                phrases.difference(t, d)
                for d in pair.differences
                if d.kind is Kind.RESPONDED_MISMATCH
            )
            for text in dict.fromkeys(texts):
                groups.setdefault(text, []).append(pair.index)
        shown = tuple(
            AdvisoryGroup(
                text,
                tuple((str(i), self.anchor(i)) for i in indexes[:LIST_LIMIT]),
                t.n("html.more", len(indexes) - LIST_LIMIT) if len(indexes) > LIST_LIMIT else "",
            )
            for text, indexes in list(groups.items())[:ADVISORY_LIMIT]
        )
        cut = len(groups) - len(shown)
        return shown, t.n("html.advisories.more", cut) if cut > 0 else ""

    def channels(self) -> ChannelsView | None:
        """Big runs: every pair counted by channel and verdict (most pairs that will not sync
        first), in place of a row for each pair that will sync."""
        if self.lists_compatible:
            return None
        t = self.t
        counts: dict[str, list[int]] = {}
        for pair in self.report.comparison.pairs:
            counts.setdefault(pair.channel_name, [0, 0, 0])[_TALLY[pair.state]] += 1
        order = sorted(counts.items(), key=lambda item: (-item[1][1], -sum(item[1]), item[0]))
        rows = tuple(
            ChannelRow(
                name,
                t.number(sum(tally)),
                t.number(tally[0]),
                t.number(tally[1]),
                t.number(tally[2]),
            )
            for name, tally in order[:CHANNEL_LIMIT]
        )
        cut = len(order) - len(rows)
        return ChannelsView(rows, t.n("html.channels.more", cut) if cut > 0 else "")

    def matrix(self) -> MatrixView | None:
        t = self.t
        matrix = self.report.comparison.matrix
        if matrix is None:
            return None
        rows = []
        for fit in matrix.fits[:MATRIX_LIMIT]:
            cells = tuple(
                MatrixCell("✓", "ok") if n == 0 else MatrixCell(t.number(n), "no")
                for n in matrix.blocking[fit.campaign.key]
            )
            closest = fit.closest_channel or ""
            if fit.closest_channel is not None and fit.closest_blocking:
                closest = t.n("html.matrix.closest", fit.closest_blocking, channel=closest)
            elif fit.closest_tied:
                channels = self.listed(list(fit.closest_tied), 5)
                closest = (
                    t.n("html.matrix.tie", fit.closest_blocking, channels=channels)
                    if fit.closest_blocking
                    else t("tie.between", channels=channels)
                )
            rows.append(
                MatrixRow(
                    fit.campaign.display,
                    fit.campaign.campaign_id or "",
                    cells,
                    closest,
                    self.listed(list(fit.compatible_channels), 5)
                    if fit.compatible_channels
                    else t("html.none"),
                )
            )
        cut = len(matrix.fits) - len(rows)
        left_out = (
            t("html.matrix.left_out", shown=t.number(len(rows)), total=t.number(len(matrix.fits)))
            if cut
            else ""
        )
        return MatrixView(matrix.channels, tuple(rows), left_out)

    def chunks(self, rows: Sequence[SummaryRow]) -> tuple[Chunk, ...]:
        """Cut the summary rows into blocks of CHUNK."""
        t = self.t
        total = t.number(len(rows))
        if not self.lists_compatible:
            caption = t("html.summary.caption_blocked", total=total)
        elif len(self.detailed) < self.blocked:
            caption = t("html.summary.caption_limited", total=total)
        else:
            caption = t("html.summary.caption", total=total)
        out = []
        for start in range(0, len(rows), CHUNK):
            block = tuple(rows[start : start + CHUNK])
            if start == 0:
                out.append(Chunk(caption, "", block))
                continue
            label = t(
                "html.summary.part",
                first=t.number(start + 1),
                last=t.number(start + len(block)),
                total=total,
            )
            out.append(Chunk("", label, block))
        return tuple(out)

    def templates(self) -> TemplatesView | None:
        """The Templates section: every Type's template beside its channel, with the fix."""
        t = self.t
        checks = self.report.templates
        if not checks:
            return None
        items = []
        for number, check in enumerate(checks, 1):
            pair = check.pair
            state, verdict = phrases.template_verdict(t, check)
            cls = {"unchecked": "un"}.get(state, state)
            rows = self.status_rows(pair) if pair.problem is None else ()
            items.append(
                TemplateView(
                    anchor=f"tpl-{number}",
                    title=check.template.campaign_type,
                    channel=pair.channel_name,
                    cls=cls,
                    verdict=verdict,
                    caption=t(
                        "tt.caption", type=check.template.campaign_type, channel=pair.channel_name
                    ),
                    rows=rows,
                    advisories=tuple(phrases.advisory(t, w) for w in pair.warnings),
                    fixes=tuple(phrases.template_fix(t, f) for f in check.fixes),
                )
            )
        return TemplatesView(phrases.templates_headline(t, checks), tuple(items))

    def marks(self) -> tuple[MarkView, ...]:
        t = self.t
        return (
            MarkView("r-exact", t("kind.match"), t("html.legend.exact")),
            MarkView("r-near", t("kind.near_miss"), t("html.legend.near")),
            MarkView("r-sf", t("kind.salesforce_only"), t("html.legend.sf")),
            MarkView("r-mk", t("kind.marketo_only"), t("html.legend.mk")),
            MarkView("r-pseudo", t("html.mark.pseudo"), t("rule.not_in_program")),
        )

    def build(self) -> ReportView:
        t = self.t
        report = self.report
        comparison = report.comparison
        rows, rows_cut = self.summary_rows()
        pairs = self.pair_views()
        unresolved = tuple(self.unresolved_view(p) for p in self.explained)
        cut = len(self.unresolved) - len(self.explained)
        unresolved_more = t.n("html.unresolved.more", cut) if cut > 0 else ""
        advisories, advisories_more = self.advisory_groups(
            p for p in comparison.pairs if p.compatible
        )
        summary_more = t.n("html.summary.more", rows_cut) if rows_cut else ""
        details_note = ""
        if len(self.detailed) < self.blocked:
            details_note = t.n(
                "html.details.limited",
                len(self.groups),
                shown=t.number(len(self.detailed)),
                total=t.number(self.blocked),
            )
        templates = self.templates()
        evidence = tuple(self.evidence_view(p) for p in self.evidenced)
        # NOTE: the legend lists the characters of the labels drawn above, so it is read last.
        chars = _legend(
            itertools.chain(self.labels.values(), *(sides for sides in self.near.values()))
        )
        has_members = self.has_members
        return ReportView(
            lang=report.lang,
            title=t("report.title"),
            version=report.version,
            generated_at=report.generated_at,
            banner=self.banner(rows_cut),
            audit=self.audit(),
            marks=self.marks(),
            chars=chars,
            has_members=has_members,
            sf_span="5" if has_members else "4",
            chunks=self.chunks(rows),
            total=t.number(len(rows)),
            pairs=pairs,
            unresolved=unresolved,
            advisories=advisories,
            matrix=self.matrix(),
            lists_compatible=self.lists_compatible,
            channels=self.channels(),
            summary_more=summary_more,
            details_note=details_note,
            unresolved_more=unresolved_more,
            advisories_more=advisories_more,
            templates=templates,
            closing=html_view(t, report.closing) if report.closing is not None else None,
            evidence=evidence,
            evidence_open=len(evidence) <= EVIDENCE_OPEN,
            evidence_more=(
                t.n("html.compatible.limited", self.evidence_cut) if self.evidence_cut else ""
            ),
        )


def _delimiter(value: str) -> str:
    """A delimiter as printed: itself, or its code point and name when it cannot be seen."""
    point = code_point(value) if len(value) == 1 else None
    return point.described if point is not None and point.invisible else value


def build(report: Report) -> ReportView:
    """Build the view model of a report."""
    return _Builder(report).build()
