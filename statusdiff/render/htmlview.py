"""The HTML report's view model: every decision made in Python, so templates only loop and print.

`build(report)` turns a Report into frozen dataclasses of display-ready strings (already in the
report's language, never escaped: the template's autoescape does that). Labels become `Segment`
runs, so invisible characters and the characters of a near miss can be drawn and explained.

Size matters at 50,000 pairs, so repeated data is passed by reference: a pair that will sync is one
summary row and nothing else; pairs that will not sync and share the very same diagnosis and fix
(campaigns cloned from one template) share one detail section that lists them; an advisory shared
by many pairs is written once with the pairs it concerns; option C's blast radius and long lists
are capped, with a count of what was left out.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace

from ..compare import (
    Difference,
    Kind,
    Match,
    PairResult,
)
from ..explain import CharChange, CodePoint, code_point, visible
from ..i18n import Catalog
from ..model import Detection, MemberStatus, ProgramStatus, Role, is_pseudo_status
from ..pipeline import Report
from ..remediate import BlastEntry, Option, Plan
from . import phrases

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

# ------------------------------------------------------------------------------------------------
# The view model
# ------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Segment:
    """A run of a label: plain text, or one character drawn and explained."""

    text: str
    cls: str = ""
    """'' plain; 'inv' an invisible character's glyph; 'chg' a character of a near miss; 'gap' a
    place where the label lacks characters."""
    title: str = ""
    """Code point and Unicode name (or what is missing), shown on hover."""


Label = tuple[Segment, ...]


@dataclass(frozen=True, slots=True)
class Fact:
    """One line of a definition list: a name and its value."""

    name: str
    value: str
    cls: str = ""
    """'mono' to print the value in a fixed-width font (hashes, IDs, times)."""


@dataclass(frozen=True, slots=True)
class InputView:
    """One input file in the audit block: what it is, how it was read, what was left out."""

    role: str
    file: str
    sha256: str
    size: str
    format: tuple[str, ...]
    read: tuple[str, ...]
    columns: str
    skipped: tuple[str, ...]
    notes: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Stat:
    """A number of the verdict banner."""

    value: str
    label: str
    cls: str


@dataclass(frozen=True, slots=True)
class Bar:
    """One part of the banner's proportion bar (inline SVG: widths are attributes, not styles)."""

    x: str
    width: str
    cls: str


@dataclass(frozen=True, slots=True)
class MarkView:
    """A legend entry: the mark (its class draws the icon) and what it means."""

    cls: str
    text: str
    meaning: str


@dataclass(frozen=True, slots=True)
class CharView:
    """A legend entry for a character drawn in the report."""

    glyph: str
    code: str
    name: str


@dataclass(frozen=True, slots=True)
class SummaryRow:
    """One pair in the summary table (the only place a pair that will sync appears)."""

    index: str
    anchor: str
    """'' when the pair has no detail section."""
    program: str
    channel: str
    campaign: str
    state: str
    """ok, no or un: the row's class, used by the filter and the colours."""
    verdict: str
    findings: str
    fix: str


@dataclass(frozen=True, slots=True)
class Chunk:
    """A block of summary rows, printed as its own table.

    NOTE: one table of 50,000 rows takes a browser about ten seconds to lay out as it loads; blocks
    of CHUNK rows, each skipped while off screen (content-visibility), open in about one.
    """

    caption: str
    """The visible caption (the first block only)."""
    label: str
    """The accessible name of the other blocks: which pairs they hold."""
    rows: tuple[SummaryRow, ...]


@dataclass(frozen=True, slots=True)
class StatusRow:
    """One line of a pair's side-by-side table: a channel status, a campaign status, or both."""

    cls: str
    """r-exact, r-near, r-sf, r-mk or r-pseudo (the stylesheet draws an icon for each), plus
    'blk' when the row blocks the sync."""
    mark: str
    reasons: str
    note: str
    status: Label
    step: str
    success: str
    hidden: str
    label: Label
    responded: str
    default: str
    sort_order: str
    members: str


@dataclass(frozen=True, slots=True)
class AlternativeView:
    """A campaign that already fits the channel (option A)."""

    name: str
    campaign_id: str
    score: str


@dataclass(frozen=True, slots=True)
class BlastView:
    """Another pair on the channel, seen through option C."""

    index: str
    anchor: str
    program: str
    campaign: str
    change: str
    cls: str


@dataclass(frozen=True, slots=True)
class Badge:
    """A short tag beside an option's title."""

    text: str
    cls: str


@dataclass(frozen=True, slots=True)
class OptionView:
    """One way out, ready to print."""

    key: str
    title: str
    cls: str
    """'rec' for the recommended option, 'nf' for one not possible here."""
    badges: tuple[Badge, ...]
    owner: str
    steps: tuple[str, ...]
    cautions: tuple[str, ...]
    """What to watch for, each once with the steps it concerns."""
    constraints: tuple[str, ...]
    alternatives: tuple[AlternativeView, ...]
    alternatives_more: str
    blast: tuple[BlastView, ...]
    blast_summary: str
    blast_more: str


@dataclass(frozen=True, slots=True)
class MemberView:
    """One pair of a group that shares a diagnosis."""

    index: str
    anchor: str
    program: str
    campaign: str
    campaign_id: str
    campaign_type: str
    source: str


@dataclass(frozen=True, slots=True)
class PairView:
    """A pair that will not sync in full, or several that share the very same diagnosis and fix.

    Pairs share a section when their channel, their campaign's statuses (label, responded,
    default, sort order, members) and their plan are the same: campaigns cloned from one template
    usually are. The section then lists every pair once and explains them once.
    """

    index: str
    anchor: str
    title: str
    facts: tuple[Fact, ...]
    """For a single pair: what its title does not say."""
    members: tuple[MemberView, ...]
    """For a group: every pair it holds (empty for a single pair)."""
    caption: str
    rows: tuple[StatusRow, ...]
    advisories: tuple[str, ...]
    recommendation: str
    options: tuple[OptionView, ...]


@dataclass(frozen=True, slots=True)
class UnresolvedView:
    """A pairing that names something absent from the exports."""

    index: str
    anchor: str
    title: str
    reason: str
    candidates: str
    advisories: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class AdvisoryGroup:
    """One advisory sentence and the pairs that will sync it concerns (listed once)."""

    text: str
    pairs: tuple[tuple[str, str], ...]
    """(pair number, anchor or '') for each pair, up to LIST_LIMIT."""
    more: str


@dataclass(frozen=True, slots=True)
class MatrixCell:
    """One campaign against one channel."""

    text: str
    cls: str


@dataclass(frozen=True, slots=True)
class MatrixRow:
    """One campaign of the matrix."""

    campaign: str
    campaign_id: str
    cells: tuple[MatrixCell, ...]
    closest: str
    fits: str


@dataclass(frozen=True, slots=True)
class MatrixView:
    """The compatibility matrix: campaigns × channels."""

    channels: tuple[str, ...]
    rows: tuple[MatrixRow, ...]
    left_out: str


@dataclass(frozen=True, slots=True)
class Banner:
    """The verdict at the top of the first page."""

    headline: str
    cls: str
    """ok when every pair will sync, no otherwise, empty without pairs."""
    subline: tuple[str, ...]
    stats: tuple[Stat, ...]
    bar: tuple[Bar, ...]
    rule: str
    rule_explained: str
    rule_note: str


@dataclass(frozen=True, slots=True)
class Audit:
    """How the report was made: tool, time, options, and every input as read."""

    facts: tuple[Fact, ...]
    options: tuple[Fact, ...]
    inputs: tuple[InputView, ...]
    notes: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ReportView:
    """Everything the template prints."""

    lang: str
    title: str
    version: str
    generated_at: str
    banner: Banner
    audit: Audit
    marks: tuple[MarkView, ...]
    chars: tuple[CharView, ...]
    has_members: bool
    """Whether a members export was given (the status tables then show a Members column)."""
    sf_span: str
    """How many columns the Salesforce side of a status table spans."""
    chunks: tuple[Chunk, ...]
    """The summary rows, in blocks."""
    total: str
    pairs: tuple[PairView, ...]
    unresolved: tuple[UnresolvedView, ...]
    advisories: tuple[AdvisoryGroup, ...]
    matrix: MatrixView | None


# ------------------------------------------------------------------------------------------------
# Labels drawn character by character
# ------------------------------------------------------------------------------------------------


@dataclass(slots=True)
class _Chars:
    """The code points drawn so far (for the legend): mutable while the view is built."""

    seen: dict[str, CodePoint] = field(default_factory=dict)

    def add(self, cp: CodePoint) -> None:
        self.seen.setdefault(cp.code, cp)


def _label(
    text: str,
    chars: _Chars,
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
            out.append(Segment("‸", "gap", gaps[index]))

    index = 0
    for part, cp in visible(text):
        if cp is not None:
            gap(index)
            flush()
            chars.add(cp)
            out.append(Segment(cp.glyph, "inv chg" if index in changed else "inv", cp.described))
            index += 1
            continue
        for ch in part:
            gap(index)
            if index in changed:
                flush()
                point = code_point(ch)
                chars.add(point)
                cls = "inv chg" if point.invisible else "chg"
                out.append(Segment(point.glyph, cls, point.described))
            else:
                plain.append(ch)
            index += 1
    gap(index)
    flush()
    return tuple(out)


def _described(points: Sequence[CodePoint]) -> str:
    return " + ".join(p.described for p in points)


def _near_sides(
    t: Catalog, label: str, target: str, changes: Sequence[CharChange], chars: _Chars
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
        _label(label, chars, frozenset(on_label), gaps),
        _label(target, chars, frozenset(on_target)),
    )


# ------------------------------------------------------------------------------------------------
# Building
# ------------------------------------------------------------------------------------------------


class _Builder:
    """Builds a ReportView from a Report (one use)."""

    def __init__(self, report: Report) -> None:
        self.report = report
        self.t = Catalog(report.lang)
        self.chars = _Chars()
        self.detailed = {
            p.index
            for p in report.comparison.pairs
            if not p.compatible and p.problem is None and p.channel and p.campaign
        }
        self.unresolved = {p.index for p in report.comparison.pairs if p.problem is not None}

    # -- small helpers ---------------------------------------------------------------------------

    def number(self, value: int | None) -> str:
        return "" if value is None else self.t.number(value)

    def anchor(self, index: int) -> str:
        return f"p{index}" if index in self.detailed or index in self.unresolved else ""

    def listed(self, items: Sequence[str], limit: int = LIST_LIMIT) -> str:
        """'a, b, c' with 'and N more' past the limit."""
        text = ", ".join(items[:limit])
        if len(items) > limit:
            text += " " + self.t.n("html.more", len(items) - limit)
        return text

    def campaign_name(self, pair: PairResult) -> str:
        return pair.campaign.display if pair.campaign is not None else pair.campaign_ref

    def pair_title(self, pair: PairResult) -> str:
        return self.t(
            "html.pair.title",
            program=pair.program or self.t("html.no_program"),
            channel=pair.channel_name,
            campaign=self.campaign_name(pair),
        )

    # -- banner and audit ------------------------------------------------------------------------

    def banner(self) -> Banner:
        t = self.t
        s = self.report.comparison.summary
        blocked = s.incompatible + s.unresolved
        headline = t(
            "verdict.headline",
            pairs=t.n("verdict.pairs", s.pairs),
            compatible=t.number(s.compatible),
            incompatible=t.number(blocked),
        )
        subline = []
        if s.unresolved:
            subline.append(t.n("verdict.unresolved", s.unresolved))
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
            t(f"rule.{rule}"),
            t(f"rule.{rule}.explained"),
            t("rule.undefined"),
        )

    def input_view(self, d: Detection) -> InputView:
        t = self.t
        fmt = d.format
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
                "html.input.rows_records",
                rows=t.n("html.input.rows_read", d.rows_read),
                records=t.n("html.input.records", d.records),
            )
        ]
        if d.fill_downs:
            read.append(t.n("html.input.fill_downs", d.fill_downs))
        if d.ignored_columns:
            read.append(t("html.input.ignored", columns=self.listed(list(d.ignored_columns), 12)))
        columns = ", ".join(f"{header} → {name}" for header, name in d.columns)
        skipped = tuple(
            t(
                "html.input.skipped_reason",
                count=t.number(len(s.rows)),
                reason=phrases.skipped(t, s),
                rows=self.listed([str(r) for r in s.rows], ROWS_LIMIT),
            )
            for s in d.skipped
        )
        return InputView(
            role=t(f"role.{d.role.value}"),
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
            Fact(t("html.audit.language"), report.lang),
        )
        options = tuple(Fact(name, value, cls="mono") for name, value in report.options)
        notes = tuple(phrases.advisory(t, n) for n in (*report.notes, *comparison.notes))
        return Audit(facts, options, tuple(self.input_view(d) for d in report.inputs), notes)

    # -- summary table ---------------------------------------------------------------------------

    def summary_row(self, pair: PairResult) -> SummaryRow:
        t = self.t
        if pair.problem is not None:
            state, verdict = "un", t("verdict.unresolved")
        elif pair.compatible:
            state, verdict = "ok", t("verdict.will_sync")
        else:
            state, verdict = "no", t("verdict.will_not_sync")
        findings = []
        if pair.problem is None and not pair.compatible:
            findings.append(t.n("html.findings.blocking", len(pair.blocking)))
            if pair.near_misses:
                findings.append(t.n("html.findings.near_misses", len(pair.near_misses)))
        # NOTE: counted as Summary.warnings counts them, so the rows add up to the banner.
        if pair.warning_count:
            findings.append(t.n("html.findings.advisories", pair.warning_count))
        plan = self.report.plans.get(pair.index)
        fix = t(f"option.{plan.recommended.value}") if plan is not None else ""
        return SummaryRow(
            str(pair.index),
            self.anchor(pair.index),
            pair.program or "",
            pair.channel_name,
            self.campaign_name(pair),
            state,
            verdict,
            ", ".join(findings),
            fix,
        )

    # -- one pair in full ------------------------------------------------------------------------

    def status_rows(self, pair: PairResult) -> tuple[StatusRow, ...]:
        """Align the channel's statuses with the campaign's: channel order, then Salesforce only."""
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
        members = {m.status.label: m.members for m in pair.matches}
        members.update({d.label: d.members for d in sf_only.values()})
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
            label, target = _near_sides(t, status.label, near.target, near.changes, self.chars)
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
            target = _label(cs.name, self.chars) if cs is not None else ()
        if label is None:
            label = _label(ss.label, self.chars) if ss is not None else ()
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
        if not entries:
            return (), "", ""
        order = {"broken": 0, "fixed": 1, "still_blocked": 2, "still_ok": 3}
        counts = Counter(b.change for b in entries)
        parts = [
            t.n(f"html.blast.{change}", counts[change])
            for change in ("fixed", "broken", "still_blocked", "still_ok")
            if counts[change]
        ]
        summary = t(
            "html.blast.summary",
            total=t.n("html.blast.total", len(entries)),
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

    def option_view(self, option: Option, recommended: bool, group: frozenset[int]) -> OptionView:
        t = self.t
        badges = []
        if recommended:
            badges.append(Badge(t("option.recommended"), "rec"))
        if not option.feasible:
            badges.append(Badge(t("option.not_feasible"), "nf"))
        elif option.verified is True:
            badges.append(Badge(t("option.verified"), "ver"))
        elif option.verified is False:
            badges.append(Badge(t("option.unverified"), "unv"))
        owners = list(dict.fromkeys(t(f"owner.{a.owner.value}") for a in option.actions))
        steps = tuple(phrases.action(t, a) for a in option.actions)
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
                t("html.percent", value=t.number(a.score)),
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
        )

    def signature(self, pair: PairResult, plan: Plan | None) -> Hashable:
        """What a pair's section shows beyond the pair's own names: equal means one section."""
        assert pair.channel is not None and pair.campaign is not None
        statuses = tuple(
            (s.label, s.responded, s.default, s.sort_order) for s in pair.campaign.statuses
        )
        members = (
            *((m.status.label, m.members) for m in pair.matches),
            *((d.kind.value, d.label, d.members) for d in pair.differences),
        )
        options: tuple[Hashable, ...] = ()
        recommended: Hashable = None
        if plan is not None:
            recommended = (plan.recommended, plan.reason)
            options = tuple(
                (
                    o.key,
                    o.feasible,
                    o.verified,
                    o.constraints,
                    tuple(replace(a, record_id=None) for a in o.actions),
                    o.alternatives,
                    o.alternatives_total,
                    bool(o.blast_radius),
                )
                for o in plan.options
            )
        return (pair.channel.name, statuses, members, pair.warnings, recommended, options)

    def member_view(self, pair: PairResult) -> MemberView:
        campaign = pair.campaign
        return MemberView(
            index=str(pair.index),
            anchor=f"p{pair.index}",
            program=pair.program or "",
            campaign=self.campaign_name(pair),
            campaign_id=(campaign.campaign_id or "") if campaign is not None else "",
            campaign_type=(campaign.type or "") if campaign is not None else "",
            source=pair.source.where(pair.row) if pair.source is not None else "",
        )

    def pair_view(self, group: Sequence[PairResult], plan: Plan | None) -> PairView:
        """One section: a pair, or a group of pairs that share everything but their names."""
        t = self.t
        pair = group[0]
        assert pair.channel is not None and pair.campaign is not None
        channel, campaign = pair.channel, pair.campaign
        indexes = frozenset(p.index for p in group)
        facts = []
        members: tuple[MemberView, ...] = ()
        if channel.program_type:
            facts.append(Fact(t("html.col.program_type"), channel.program_type))
        if len(group) == 1:
            # NOTE: program, channel and campaign names are in the title; facts add what it lacks.
            if campaign.campaign_id:
                facts.append(Fact(t("html.col.campaign_id"), campaign.campaign_id, cls="mono"))
            if campaign.type:
                facts.append(Fact(t("html.col.campaign_type"), campaign.type))
            if pair.source is not None:
                facts.append(Fact(t("html.col.source"), pair.source.where(pair.row), cls="mono"))
            title = self.pair_title(pair)
            anchor = f"p{pair.index}"
            caption = t("html.pair.caption", channel=channel.name, campaign=campaign.display)
        else:
            members = tuple(self.member_view(p) for p in group)
            title = t.n("html.group.title", len(group), channel=channel.name)
            anchor = f"g{pair.index}"
            caption = t("html.group.caption", channel=channel.name)
        advisories = tuple(phrases.advisory(t, w) for w in pair.warnings)
        options: tuple[OptionView, ...] = ()
        recommendation = ""
        if plan is not None:
            recommendation = t.opt("rec", plan.reason.code, **dict(plan.reason.params))
            options = tuple(
                self.option_view(o, o.key is plan.recommended, indexes) for o in plan.ordered
            )
        return PairView(
            index=str(pair.index),
            anchor=anchor,
            title=title,
            facts=tuple(facts),
            members=members,
            caption=caption,
            rows=self.status_rows(pair),
            advisories=advisories,
            recommendation=recommendation,
            options=options,
        )

    def pair_views(self) -> tuple[PairView, ...]:
        """The detail sections: pairs that will not sync, grouped when they share a diagnosis."""
        plans = self.report.plans
        groups: dict[Hashable, list[PairResult]] = {}
        for pair in self.report.comparison.pairs:
            if pair.index in self.detailed:
                key = self.signature(pair, plans.get(pair.index))
                groups.setdefault(key, []).append(pair)
        return tuple(self.pair_view(g, plans.get(g[0].index)) for g in groups.values())

    def unresolved_view(self, pair: PairResult) -> UnresolvedView:
        t = self.t
        candidates = (
            t("html.unresolved.candidates", ids=self.listed(list(pair.candidates)))
            if pair.candidates
            else ""
        )
        return UnresolvedView(
            str(pair.index),
            f"p{pair.index}",
            self.pair_title(pair),
            phrases.problem(t, pair),
            candidates,
            tuple(phrases.advisory(t, w) for w in pair.warnings),
        )

    def advisory_groups(self, pairs: Iterable[PairResult]) -> tuple[AdvisoryGroup, ...]:
        """Advisories of the pairs that will sync, each sentence once with its pairs."""
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
        return tuple(
            AdvisoryGroup(
                text,
                tuple((str(i), self.anchor(i)) for i in indexes[:LIST_LIMIT]),
                t.n("html.more", len(indexes) - LIST_LIMIT) if len(indexes) > LIST_LIMIT else "",
            )
            for text, indexes in groups.items()
        )

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
        out = []
        for start in range(0, len(rows), CHUNK):
            block = tuple(rows[start : start + CHUNK])
            if start == 0:
                out.append(Chunk(t("html.summary.caption", total=total), "", block))
                continue
            label = t(
                "html.summary.part",
                first=t.number(start + 1),
                last=t.number(start + len(block)),
                total=total,
            )
            out.append(Chunk("", label, block))
        return tuple(out)

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
        rows = tuple(self.summary_row(p) for p in comparison.pairs)
        pairs = self.pair_views()
        unresolved = tuple(
            self.unresolved_view(p) for p in comparison.pairs if p.index in self.unresolved
        )
        advisories = self.advisory_groups(p for p in comparison.pairs if p.compatible)
        # NOTE: the legend lists the characters drawn above, so it is built last.
        chars = tuple(
            CharView(cp.glyph, cp.code, cp.name)
            for cp in sorted(self.chars.seen.values(), key=lambda c: ord(c.char))
        )
        has_members = any(d.role is Role.MEMBERS for d in report.inputs)
        return ReportView(
            lang=report.lang,
            title=t("report.title"),
            version=report.version,
            generated_at=report.generated_at,
            banner=self.banner(),
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
        )


def _delimiter(value: str) -> str:
    """A delimiter as printed: itself, or its code point and name when it cannot be seen."""
    point = code_point(value) if len(value) == 1 else None
    return point.described if point is not None and point.invisible else value


def build(report: Report) -> ReportView:
    """Build the view model of a report."""
    return _Builder(report).build()
