"""Render a Report as an Excel workbook that an admin can work through line by line.

Sheets, in order: Summary (totals, then one row per pair, with links to its details), Differences
(one row per difference, near misses highlighted character by character), Statuses (both sides of
every blocked pair), Remediation (numbered steps with their owner and an empty Done column), Matrix
(matrix mode only) and Inputs (the audit trail: version, time, options and every input read).

NOTE: the workbook is written by our own streaming writer (`sheetxml`: stdlib zipfile and string
building, 7x faster than xlsxwriter for the same cells; the whole workbook 5-7x faster than with
xlsxwriter, which spent ~88 % of the time in its per-cell code: bench/README_xlsx.md). Memory stays
bounded however many rows there are: rows are spooled as they are written, and only the index of
the distinct strings is kept (capped). Each sheet is written top to bottom, once, and the
cells of a row left to right; Differences and Remediation are written before the Summary that links
to their rows, and the Summary still comes first in the workbook.

Every string is a text cell (`_Sheet.text` or `_Sheet.rich`): the writer has no formula cells, so a
label such as "=1+1" or "@home" stays text, and "<r>x</r>" is escaped like any other text. Control
characters are stored as Excel's _xHHHH_ escapes and a literal _xHHHH_ sequence as _x005F_xHHHH_:
Excel, LibreOffice and calamine read both back as they were; openpyxl returns the control-character
escapes as they are (tests/test_render_xlsx.py). A label holding a literal _xHHHH_ sequence is never
split into highlighted runs (a run boundary inside the sequence could be decoded differently), so
it is written plain, which keeps it exact.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass, fields
from io import BytesIO
from operator import attrgetter
from typing import Any

from ..comparison import Difference, Kind, PairResult
from ..errors import RenderError
from ..explain import NearMatch, shown
from ..i18n import Catalog
from ..model import Detection, MemberStatus, ProgramStatus, is_pseudo_status
from ..pipeline import Report
from ..remediate import Action, Option, OptionKey, Owner, Plan
from . import phrases
from . import sheetxml as sx

MAX_ROWS = sx.MAX_ROWS
"""Rows of an Excel sheet."""
MAX_LINKS = 65_530
"""Hyperlinks Excel accepts on one sheet; further pairs get the row number as plain text."""
LIST_ROWS = 10
"""Skipped row numbers listed per reason on the Inputs sheet."""
LINE_HEIGHT = 15
"""Points per line of an 11-point Calibri row."""
WIDE = 1.15
"""Characters of Calibri text per unit of column width (which is the width of a digit)."""
BLAST_LINES = 5
"""Other pairs whose verdict option C changes, listed by name (all of them are counted)."""
SHARED_STRINGS = True
"""Strings in one shared table (smaller and faster than inline strings: bench/README_xlsx.md)."""
LEVEL = 4
"""zlib level of the zip entries."""

_RICH_UNSAFE = re.compile(r"_[xX][0-9A-Fa-f]{1,4}_")

_GREY = sx.Line(color="A6A6A6")
_DEFAULT = sx.Style(font=sx.Font(name="Calibri", size=11), vertical="top")
"""The workbook's default cell format: cells written without a format (most) get it for free."""
_STATES: dict[str, dict[str, Any]] = {
    "ok": {"fill": "C6EFCE", "color": "006100"},
    "bad": {"fill": "FFC7CE", "color": "9C0006"},
    "near": {"fill": "FFEB9C", "color": "7F4F00"},
    "info": {"fill": "F2F2F2", "color": "595959"},
    "odd": {"fill": "FFF2CC", "color": "7F6000"},
    "unresolved": {"fill": "D9E1F2", "color": "1F3864"},
    "rec": {"fill": "E2EFDA", "bold": True},
    "group": {"fill": "EDEDED", "bold": True, "top": _GREY},
    "input": {"box": _GREY},
}
_KINDS: dict[str, dict[str, Any]] = {
    "text": {},
    "wrap": {"wrap": True},
    "number": {"num_format": "0", "horizontal": "center"},
    "amount": {"num_format": "#,##0", "horizontal": "right"},
    "decimal": {"num_format": "0.0", "horizontal": "right"},
    "center": {"horizontal": "center"},
    "link": {"color": "0563C1", "underline": True},
    "header": {
        "bold": True,
        "color": "FFFFFF",
        "fill": "1F4E78",
        "wrap": True,
        "box": sx.Line(color="8EA9C1"),
    },
    "title": {"bold": True, "size": 14},
    "total_label": {"size": 9, "color": "595959", "wrap": True, "top": sx.Line()},
    "total": {"bold": True, "size": 14, "horizontal": "left", "bottom": sx.Line()},
    "id": {"name": "Consolas", "size": 10},
}
_HIGHLIGHT = {"bold": True, "underline": True, "color": "C00000"}
_RUN = sx.Font(bold=True, underline=True, color="C00000")
"""The font of a highlighted run of a rich string (the other runs keep the cell's font)."""


def _style(props: dict[str, Any]) -> sx.Style:
    """A cell format from its properties (on top of the default: Calibri 11, top-aligned)."""
    base = _DEFAULT.font
    font = sx.Font(
        name=props.get("name", base.name),
        size=props.get("size", base.size),
        bold=props.get("bold", False),
        underline=props.get("underline", False),
        color=props.get("color"),
    )
    box = props.get("box")
    border = (
        sx.Border.box(box)
        if box is not None
        else sx.Border(top=props.get("top"), bottom=props.get("bottom"))
    )
    return sx.Style(
        font=font,
        fill=props.get("fill"),
        border=border if border != sx.Border() else None,
        num_format=props.get("num_format"),
        horizontal=props.get("horizontal"),
        vertical="top",
        wrap=props.get("wrap", False),
    )


class _Styles:
    """The workbook's formats, made once each on first use (an index; 0 is the default)."""

    def __init__(self, book: sx.Workbook) -> None:
        self._book = book
        self._cache: dict[tuple[str, str | None, bool], int] = {}

    def __call__(self, kind: str, state: str | None = None, *, highlight: bool = False) -> int:
        key = (kind, state, highlight)
        found = self._cache.get(key)
        if found is None:
            props = {**_KINDS[kind], **(_STATES[state] if state else {})}
            if highlight:
                props.update(_HIGHLIGHT)
            found = self._book.style(_style(props))
            self._cache[key] = found
        return found


@dataclass(frozen=True, slots=True)
class _Col:
    """One column of a sheet: its header's catalogue key and its width bounds (in characters)."""

    key: str
    least: float
    most: float
    wrap: bool = False
    """Wrapped text: the width is fixed (`most`) and rows grow to show every line."""


def _lines(text: str, width: float) -> int:
    """Lines a wrapped cell of this width needs (Calibri averages a little under one unit)."""
    per_line = max(1, int((width - 1) * WIDE))
    return sum(-(-len(line) // per_line) or 1 for line in text.split("\n"))


class _Sheet:
    """One worksheet written top to bottom: typed cells, exact strings, widths from the content."""

    def __init__(self, book: sx.Workbook, styles: _Styles, name: str) -> None:
        self.ws = book.add_sheet(name)
        self.name = name
        self.styles = styles
        self.row = 0
        self.band = 0
        """A format for the whole current row (group rows): the row's own (applied at next(), for
        its empty cells) and that of its cells written without one."""
        self.lines = 1
        """Lines of text the current row needs (wrapped cells)."""
        self.links = 0
        self.cols: list[_Col] = []
        self.widths: list[float] = []
        self.fits: list[int] = []
        self.ws.ignore_number_as_text = True
        self._string = self.ws.string
        self._number = self.ws.number

    def columns(self, cols: Sequence[_Col]) -> None:
        """Declare the columns (widths grow with the content, within bounds)."""
        self.cols = list(cols)
        self.widths = [c.most if c.wrap else c.least for c in cols]
        self.fits = [max(1, int((c.most - 1) * WIDE)) if c.wrap else int(c.least) - 2 for c in cols]
        """Longest string each column shows without growing (a wrapped one: on one line)."""

    def header(self, t: Catalog, cols: Sequence[_Col] | None = None, *, start: int = 0) -> int:
        """Write a header row of column titles; return its row number."""
        fmt = self.styles("header")
        for col, spec in enumerate(cols if cols is not None else self.cols, start):
            title = t(f"xlsx.col.{spec.key}")
            self._string(col, title, fmt)
            width = (spec.most if spec.wrap else spec.least) or len(title) + 2
            self.lines = max(self.lines, _lines(title, width / WIDE))  # bold: no narrower
        return self.next()

    def next(self) -> int:
        """Move to the next row; return the row just finished."""
        done = self.ws.end_row(LINE_HEIGHT * self.lines if self.lines > 1 else None, self.band)
        self.lines = 1
        self.band = 0
        self.row += 1
        if self.row >= MAX_ROWS:
            raise RenderError(
                f"the '{self.name}' sheet would need more rows than Excel allows",
                hint="use the JSON report for a result this large",
            )
        return done

    def _track(self, col: int, text: str) -> None:
        """Grow a column to fit a string, or the row to show a wrapped one (slow path)."""
        spec = self.cols[col]
        if spec.wrap:
            self.lines = max(self.lines, _lines(text, spec.most))
            return
        size = max(len(line) for line in text.split("\n")) + 2
        if size > self.widths[col]:
            self.widths[col] = min(size, spec.most)
            self.fits[col] = int(self.widths[col]) - 2 if size < spec.most else MAX_ROWS

    def text(self, col: int, value: str | None, fmt: int = 0) -> None:
        """Write a string exactly, as text (never a formula); skip None and ""."""
        if not value:
            return
        self._string(col, value, fmt or self.band)
        if len(value) > self.fits[col] or "\n" in value:
            self._track(col, value)

    def blank(self, col: int, fmt: int) -> None:
        """Write an empty cell that carries a format (a fill, a border)."""
        self.ws.blank(col, fmt)

    def rich(
        self, col: int, value: str, spans: Sequence[tuple[int, int]], fmt: int, whole: int
    ) -> None:
        """Write a label with the characters of `spans` highlighted (whole cell if all differ)."""
        if not spans or _RICH_UNSAFE.search(value):
            self.text(col, value, fmt)
            return
        if spans[0] == (0, len(value)):
            self.text(col, value, whole)
            return
        runs: list[sx.Run] = []
        pos = 0
        for start, end in spans:
            if start > pos:
                runs.append((value[pos:start], None))
            runs.append((value[start:end], _RUN))
            pos = end
        if pos < len(value):
            runs.append((value[pos:], None))
        self.ws.rich(col, runs, fmt)
        if len(value) > self.fits[col]:
            self._track(col, value)

    def number(self, col: int, value: float | None, fmt: int = 0) -> None:
        """Write a number; skip None."""
        if value is not None:
            self._number(col, value, fmt or self.band)

    def link(self, col: int, sheet: _Sheet, row: int, text: str, fmt: int) -> None:
        """Link to a row of another sheet (plain text once the sheet's link budget is spent)."""
        if self.links >= MAX_LINKS:
            self.text(col, text)
            return
        self.links += 1
        self.ws.link(col, text, f"{sx.quote_sheet(sheet.name)}!A{row + 1}", fmt)

    def table(self, first: int, last_col: int, *, freeze: tuple[int, int] | None = None) -> None:
        """Autofilter from header row `first`, freeze below it, repeat it on printed pages."""
        self.ws.autofilter(first, 0, max(first, self.row - 1), last_col)
        top, left = freeze if freeze is not None else (first + 1, 0)
        self.ws.freeze(top, left)
        self.ws.print_titles(first)
        self.ws.print_setup(landscape=True, fit_width=1, fit_height=0)

    def finish(self) -> None:
        """Set the column widths found while writing, and close the sheet."""
        for col, width in enumerate(self.widths):
            self.ws.column_width(col, width)
        self.ws.close()


# ------------------------------------------------------------------------------------------------
# Shared helpers
# ------------------------------------------------------------------------------------------------


def _verdict(pair: PairResult) -> tuple[str, str]:
    """(verdict code, state) of a pair."""
    if pair.problem is not None:
        return "unresolved", "unresolved"
    if pair.compatible:
        return "will_sync", "ok"
    return "will_not_sync", "bad"


def _campaign(pair: PairResult) -> str:
    return pair.campaign.display if pair.campaign is not None else pair.campaign_ref


def _spans(near: NearMatch, side: str) -> list[tuple[int, int]]:
    """The character ranges of one side of a near miss that differ, merged."""
    out: list[tuple[int, int]] = []
    for c in near.changes:
        start, end = (
            (c.label_start, c.label_end) if side == "label" else (c.target_start, c.target_end)
        )
        if start == end:
            continue
        if out and start <= out[-1][1]:
            out[-1] = (out[-1][0], max(end, out[-1][1]))
        else:
            out.append((start, end))
    return out


def _yes_no(t: Catalog, value: bool | None) -> str | None:
    return None if value is None else phrases.yes_no(t, value)


def _state_of(diff: Difference) -> str:
    if diff.kind is Kind.RESPONDED_MISMATCH:
        return "odd"
    if not diff.blocking:
        return "info"
    return "near" if diff.near_match is not None else "bad"


# ------------------------------------------------------------------------------------------------
# Differences
# ------------------------------------------------------------------------------------------------

_DIFF_COLS = (
    _Col("pair", 7, 7),
    _Col("program", 12, 40),
    _Col("channel", 12, 30),
    _Col("campaign", 14, 40),
    _Col("kind", 14, 24),
    _Col("salesforce_label", 16, 40),
    _Col("channel_status", 16, 40),
    _Col("reasons", 10, 30),
    _Col("explained", 30, 110),
    _Col("similarity", 11, 11),
    _Col("members", 10, 10),
    _Col("blocks", 14, 28),
    _Col("record_id", 20, 22),
)


_SAID_DIFF = attrgetter(
    *(f.name for f in fields(Difference) if f.name not in ("members", "status", "program_status"))
)
"""What a difference's sentence depends on, except for a responded mismatch (which also reads
the status records): the key of a cache, because the same labels drift the same way in many
campaigns (bench/data/full: 46,313 differences, 4,882 sentences)."""
_SAID_ACTION = attrgetter(*(f.name for f in fields(Action) if f.name != "record_id"))
"""What a step's sentence and notes depend on: everything but the ID of the record it acts on
(bench/data/full: 69,182 steps, 7,943 sentences)."""


def _explained(t: Catalog, diff: Difference) -> str:
    """A difference spelled out, the label drawn with its invisible characters."""
    if diff.kind is Kind.RESPONDED_MISMATCH:
        return phrases.difference(t, diff)
    if diff.pseudo or diff.near_match is not None:
        what = phrases.difference(t, diff)
    elif diff.kind is Kind.SALESFORCE_ONLY:
        what = t("xlsx.explained.no_near")
    else:
        what = t("xlsx.explained.not_in_campaign")
    return t("xlsx.explained", label=shown(diff.label), what=what)


def _write_differences(t: Catalog, sheet: _Sheet, report: Report) -> dict[int, int]:
    """One row per difference; return the first row of each pair that has any.

    The differing characters of a blocking near miss are highlighted on both sides (rich text);
    a channel status's look-alike (an informational row) is filled but not highlighted, which
    keeps the number of rich strings, by far the slowest cells to write, to one pair per near miss.
    """
    s = sheet.styles
    sheet.columns(_DIFF_COLS)
    sheet.header(t)
    # NOTE: plain cells take the workbook's default format, which costs no XML per cell.
    text = number = amount = ident = decimal = 0
    states = {state: (s("text", state), s("text", state, highlight=True)) for state in _STATES}
    first: dict[int, int] = {}
    kinds = {k: t(f"kind.{k.value}") for k in Kind}
    blocks = {True: t("kind.blocking"), False: t("kind.informational")}
    said: dict[tuple[Any, ...], str] = {}
    for pair in report.comparison.pairs:
        if not pair.differences:
            continue
        first[pair.index] = sheet.row
        campaign = _campaign(pair)
        for diff in pair.differences:
            fill, whole = states[_state_of(diff)]
            near = diff.near_match
            sheet.number(0, pair.index, number)
            sheet.text(1, pair.program, text)
            sheet.text(2, pair.channel_name, text)
            sheet.text(3, campaign, text)
            sheet.text(4, kinds[diff.kind], fill)
            if diff.kind is Kind.MARKETO_ONLY:
                if near is not None:
                    sheet.text(5, near.target, fill)
                else:
                    sheet.blank(5, fill)
                sheet.text(6, diff.label, fill)
            elif near is not None and diff.blocking:
                sheet.rich(5, diff.label, _spans(near, "label"), fill, whole)
                sheet.rich(6, near.target, _spans(near, "target"), fill, whole)
            else:
                sheet.text(5, diff.label, fill)
                if diff.kind is Kind.RESPONDED_MISMATCH:
                    sheet.text(6, diff.label, fill)
                else:
                    sheet.blank(6, fill)
            if near is not None:
                sheet.text(7, phrases.reasons(t, near), text)
            if diff.kind is Kind.RESPONDED_MISMATCH:
                sheet.text(8, _explained(t, diff), text)
            else:
                key = _SAID_DIFF(diff)
                explained = said.get(key)
                if explained is None:
                    explained = said[key] = _explained(t, diff)
                sheet.text(8, explained, text)
            if near is not None:
                sheet.number(9, near.score, decimal)
            sheet.number(10, diff.members, amount)
            sheet.text(11, blocks[diff.blocking], fill)
            if diff.status is not None:
                sheet.text(12, diff.status.record_id, ident)
            sheet.next()
    sheet.table(0, len(_DIFF_COLS) - 1)
    sheet.finish()
    return first


# ------------------------------------------------------------------------------------------------
# Statuses: both sides of every pair that could be checked
# ------------------------------------------------------------------------------------------------

_STATUS_COLS = (
    _Col("pair", 7, 7),
    _Col("campaign", 14, 40),
    _Col("salesforce_label", 16, 40),
    _Col("responded", 10, 12),
    _Col("default", 10, 12),
    _Col("sort_order", 9, 9),
    _Col("members", 10, 10),
    _Col("state", 16, 26),
    _Col("channel_status", 16, 40),
    _Col("step", 7, 7),
    _Col("success", 9, 12),
    _Col("hidden", 9, 12),
    _Col("channel", 12, 30),
)


@dataclass(frozen=True, slots=True)
class _Side:
    """One line of the side-by-side view: a Salesforce status, a channel status, or both."""

    status: MemberStatus | None
    members: int | None
    program_status: ProgramStatus | None
    kind: str
    """Catalogue suffix of kind.*: match, near_miss, salesforce_only, marketo_only, ..."""
    state: str


def _sides(pair: PairResult) -> list[_Side]:
    """Align a campaign's statuses with its channel's: exact and near matches share a line."""
    assert pair.channel is not None and pair.campaign is not None
    channel: dict[str, ProgramStatus] = {}
    for ps in pair.channel.statuses:
        if not is_pseudo_status(ps):
            channel.setdefault(ps.name, ps)
    matches = {m.status.label: m for m in pair.matches}
    odd = {d.label for d in pair.differences if d.kind is Kind.RESPONDED_MISMATCH}
    only = {d.label: d for d in pair.differences if d.kind is Kind.SALESFORCE_ONLY}
    extra = {d.label: d for d in pair.differences if d.kind is Kind.MARKETO_ONLY}
    used: set[str] = set()
    out: list[_Side] = []
    for status in pair.campaign.statuses:
        match = matches.get(status.label)
        if match is not None:
            used.add(match.program_status.name)
            mismatch = status.label in odd
            kind = "responded_mismatch" if mismatch else "match"
            out.append(
                _Side(
                    status, match.members, match.program_status, kind, "odd" if mismatch else "ok"
                )
            )
            continue
        diff = only.get(status.label)
        near = diff.near_match if diff is not None else None
        members = diff.members if diff is not None else None
        target = channel.get(near.target) if near is not None else None
        if target is not None:
            used.add(target.name)
            out.append(_Side(status, members, target, "near_miss", "near"))
        else:
            blocking = diff is None or diff.blocking
            state = "bad" if blocking else "info"
            out.append(_Side(status, members, None, "salesforce_only", state))
    for ps in sorted(channel.values(), key=lambda p: (p.step is None, p.step or 0)):
        if ps.name in used:
            continue
        diff = extra.get(ps.name)
        state = "bad" if diff is not None and diff.blocking else "info"
        out.append(_Side(None, None, ps, "marketo_only", state))
    return out


def _write_statuses(t: Catalog, sheet: _Sheet, report: Report) -> None:
    """Both sides of every checked pair (blocked or not), side by side, each pair opening with a
    grey band."""
    s = sheet.styles
    sheet.columns(_STATUS_COLS)
    sheet.header(t)
    text = number = amount = center = 0  # the default format: no XML per cell
    band, band_number = s("text", "group"), s("number", "group")
    fills = {state: s("text", state) for state in _STATES}
    kinds = {k: t(f"kind.{k}") for k in ("match", "near_miss", "salesforce_only", "marketo_only")}
    kinds["responded_mismatch"] = t("kind.responded_mismatch")
    yes_no = {True: phrases.yes_no(t, True), False: phrases.yes_no(t, False)}
    for pair in report.comparison.pairs:
        # NOTE: pairs that sync are listed too: their matches, one by one, are the evidence a
        # ticket attaches (issue 13).
        if pair.problem is not None or pair.channel is None or pair.campaign is None:
            continue
        campaign = _campaign(pair)
        for i, side in enumerate(_sides(pair)):
            first = i == 0
            if first:
                sheet.band = band
            fill = fills[side.state]
            sheet.number(0, pair.index, band_number if first else number)
            sheet.text(1, campaign, band if first else text)
            status, ps = side.status, side.program_status
            if status is not None:
                sheet.text(2, status.label, fill)
                if status.responded is not None:
                    sheet.text(3, yes_no[status.responded], center)
                if status.default is not None:
                    sheet.text(4, yes_no[status.default], center)
                sheet.number(5, status.sort_order, number)
                sheet.number(6, side.members, amount)
            else:
                sheet.blank(2, fill)
            sheet.text(7, kinds[side.kind], fill)
            if ps is not None:
                sheet.text(8, ps.name, fill)
                sheet.number(9, ps.step, number)
                if ps.success is not None:
                    sheet.text(10, yes_no[ps.success], center)
                sheet.text(11, yes_no[ps.hidden], center)
            else:
                sheet.blank(8, fill)
            sheet.text(12, pair.channel_name, band if first else text)
            sheet.next()
    sheet.table(0, len(_STATUS_COLS) - 1)
    sheet.finish()


# ------------------------------------------------------------------------------------------------
# Remediation
# ------------------------------------------------------------------------------------------------

_REM_COLS = (
    _Col("pair", 7, 7),
    _Col("program", 12, 36),
    _Col("campaign", 14, 36),
    _Col("option", 18, 48),
    _Col("number", 7, 7),
    _Col("owner", 12, 22),
    _Col("action", 60, 60, wrap=True),
    _Col("label", 16, 40),
    _Col("target", 16, 40),
    _Col("members", 10, 10),
    _Col("record_id", 20, 22),
    _Col("notes", 60, 60, wrap=True),
    _Col("done", 8, 10),
)


def _option_notes(t: Catalog, option: Option) -> str:
    """What constrains an option, and what else it offers or touches."""
    lines = [t.opt("constraint", code) for code in option.constraints]
    if option.alternatives:
        lines.append(
            t(
                "xlsx.note.alternatives",
                shown=t.number(len(option.alternatives)),
                total=t.number(option.alternatives_total),
            )
        )
        lines += [
            f"  {a.campaign_name or a.campaign_key} ({a.campaign_id or a.campaign_key})"
            for a in option.alternatives
        ]
    if option.blast_counts:
        lines.append(t("xlsx.note.blast"))
        changes = dict(option.blast_counts)
        lines += [
            f"  {t(f'blast.{change}')}: {t.number(n)}"
            for change, n in sorted(changes.items(), key=lambda item: _BLAST_ORDER[item[0]])
        ]
        worth = [b for b in option.blast_radius if b.before != b.after][:BLAST_LINES]
        lines += [
            f"  {b.pair_index}. {b.program or b.campaign}: {t(f'blast.{b.change}')}" for b in worth
        ]
    return "\n".join(lines)


_BLAST_ORDER = {"broken": 0, "fixed": 1, "still_blocked": 2, "still_ok": 3}


def _option_status(t: Catalog, plan: Plan, option: Option) -> str:
    parts = []
    if not option.feasible:
        parts.append(t("option.not_feasible"))
    elif option.verified is True:
        parts.append(t("option.verified"))
    elif option.verified is False:
        parts.append(t("option.unverified"))
    if option.key is plan.recommended:
        parts.append(t.opt("rec", plan.reason.code, **dict(plan.reason.params)))
    return " — ".join(parts)


def _write_remediation(t: Catalog, sheet: _Sheet, report: Report) -> dict[int, int]:
    """The steps of every option of every plan; return the first row of each pair's plan.

    Each option opens with a grey band (its title, whether it was checked, its constraints); the
    recommended option comes first, its title marked and filled green on every one of its rows.
    """
    s = sheet.styles
    sheet.columns(_REM_COLS)
    sheet.header(t)
    text = number = amount = ident = 0  # the default format: no XML per cell
    wrap = s("wrap")
    band, band_wrap, band_number = s("text", "group"), s("wrap", "group"), s("number", "group")
    chosen_fmt, done = s("text", "rec"), s("text", "input")
    owners = {o: t(f"owner.{o.value}") for o in Owner}
    said: dict[tuple[Any, ...], tuple[str, str]] = {}
    first: dict[int, int] = {}
    for pair in report.comparison.pairs:
        plan = report.plans.get(pair.index)
        if plan is None:
            continue
        first[pair.index] = sheet.row
        campaign = _campaign(pair)
        for option in sorted(plan.options, key=lambda o: o.key.value):
            chosen = option.key is plan.recommended
            title = t(f"option.{option.key.value}")
            if chosen:
                title = t("xlsx.option.recommended", option=title)
            sheet.band = band
            sheet.number(0, pair.index, band_number)
            sheet.text(1, pair.program, band)
            sheet.text(2, campaign, band)
            sheet.text(3, title, chosen_fmt if chosen else band)
            sheet.text(6, _option_status(t, plan, option), band_wrap)
            sheet.text(11, _option_notes(t, option), band_wrap)
            sheet.next()
            for step, action in enumerate(option.actions, 1):
                key = _SAID_ACTION(action)
                sentences = said.get(key)
                if sentences is None:
                    notes = "\n".join(phrases.action_notes(t, action))
                    sentences = said[key] = (phrases.action(t, action), notes)
                sheet.number(0, pair.index, number)
                sheet.text(1, pair.program, text)
                sheet.text(2, campaign, text)
                sheet.text(3, title, chosen_fmt if chosen else text)
                sheet.number(4, step, number)
                sheet.text(5, owners[action.owner], text)
                sheet.text(6, sentences[0], wrap)
                sheet.text(7, action.label, text)
                sheet.text(8, action.target, text)
                sheet.number(9, action.members, amount)
                sheet.text(10, action.record_id, ident)
                sheet.text(11, sentences[1], wrap)
                sheet.blank(12, done)
                sheet.next()
    sheet.table(0, len(_REM_COLS) - 1)
    sheet.finish()
    return first


# ------------------------------------------------------------------------------------------------
# Summary
# ------------------------------------------------------------------------------------------------

_SUMMARY_COLS = (
    _Col("pair", 7, 7),
    _Col("program", 14, 40),
    _Col("channel", 12, 30),
    _Col("campaign_id", 12, 22),
    _Col("campaign_name", 16, 40),
    _Col("verdict", 16, 28),
    _Col("blocking", 11, 11),
    _Col("near_misses", 13, 13),
    _Col("warnings", 13, 13),
    _Col("recommended", 16, 34),
    _Col("why", 50, 50, wrap=True),
    _Col("notes", 50, 50, wrap=True),
    _Col("details", 12, 16),
    _Col("steps", 12, 16),
)


def totals(report: Report) -> list[tuple[int, str, int]]:
    """The Summary sheet's totals: (column, catalogue key, value), above the column they sum."""
    s = report.comparison.summary
    counts = dict(report.recommended_counts)
    recommended = {key: counts[key.value] for key in OptionKey}
    return [
        (0, "pairs", s.pairs),
        (3, "compatible", s.compatible),
        (4, "incompatible", s.incompatible),
        (5, "unresolved", s.unresolved),
        (6, "blocking_labels", s.blocking_labels),
        (7, "near_misses", s.near_misses),
        (8, "warnings", s.warnings),
        *((9 + i, f"recommended.{key.value}", recommended[key]) for i, key in enumerate(OptionKey)),
    ]


def _headline(t: Catalog, report: Report) -> str:
    return phrases.headline(t, report.comparison.summary)


def _write_summary(
    t: Catalog,
    sheet: _Sheet,
    report: Report,
    links: tuple[_Sheet, dict[int, int], _Sheet, dict[int, int]],
) -> None:
    """Totals on top, then one row per pair with links to its differences and its steps."""
    s = sheet.styles
    diff_sheet, diff_rows, rem_sheet, rem_rows = links
    sheet.columns(_SUMMARY_COLS)
    title = t("xlsx.title", title=t("report.title"), headline=_headline(t, report))
    sheet.text(0, title, s("title"))
    sheet.next()
    cells = totals(report)
    for col, key, _ in cells:
        name = key.split(".")[0]
        label = (
            t("xlsx.total.recommended", key=key.split(".")[1])
            if name == "recommended"
            else t(f"xlsx.total.{key}")
        )
        sheet.ws.string(col, label, s("total_label"))
    sheet.next()
    for col, _, value in cells:
        sheet.number(col, value, s("total"))
    sheet.next()
    header = sheet.header(t)
    text, wrap, number, ident = 0, s("wrap"), s("number"), s("id")
    link = s("link")
    for pair in report.comparison.pairs:
        code, state = _verdict(pair)
        campaign = pair.campaign
        plan = report.plans.get(pair.index)
        sheet.number(0, pair.index, number)
        sheet.text(1, pair.program, text)
        sheet.text(2, pair.channel_name, text)
        sheet.text(3, campaign.campaign_id if campaign is not None else None, ident)
        sheet.text(4, campaign.display if campaign is not None else pair.campaign_ref, text)
        sheet.text(5, t(f"xlsx.verdict.{code}"), s("text", state))
        if pair.problem is None:
            sheet.number(6, len(pair.blocking), number)
            sheet.number(7, len(pair.near_misses), number)
        sheet.number(8, pair.warning_count, number)
        if plan is not None:
            sheet.text(9, t(f"option.{plan.recommended.value}"), text)
            sheet.text(10, t.opt("rec", plan.reason.code, **dict(plan.reason.params)), wrap)
        notes = [phrases.problem(t, pair)] if pair.problem is not None else []
        notes += [phrases.advisory(t, w) for w in pair.warnings]
        sheet.text(11, "\n".join(notes), wrap)
        row = diff_rows.get(pair.index)
        if row is not None:
            sheet.link(12, diff_sheet, row, t("xlsx.link.row", row=row + 1), link)
        row = rem_rows.get(pair.index)
        if row is not None:
            sheet.link(13, rem_sheet, row, t("xlsx.link.row", row=row + 1), link)
        sheet.next()
    sheet.table(header, len(_SUMMARY_COLS) - 1, freeze=(header + 1, 2))
    sheet.finish()


# ------------------------------------------------------------------------------------------------
# Matrix and Inputs
# ------------------------------------------------------------------------------------------------

_MATRIX_COLS = (
    _Col("campaign_id", 12, 22),
    _Col("campaign_name", 16, 40),
    _Col("fits", 11, 11),
    _Col("closest", 14, 30),
    _Col("closest_blocking", 12, 12),
)


def _write_matrix(t: Catalog, sheet: _Sheet, report: Report) -> None:
    """Every campaign against every channel: blocking labels, green where it would sync."""
    matrix = report.comparison.matrix
    assert matrix is not None
    s = sheet.styles
    channels = [_Col(f"channel:{i}", 9, 24) for i in range(len(matrix.channels))]
    sheet.columns((*_MATRIX_COLS, *channels))
    fmt = s("header")
    for col, spec in enumerate(_MATRIX_COLS):
        sheet.ws.string(col, t(f"xlsx.col.{spec.key}"), fmt)
    base = len(_MATRIX_COLS)
    for i, name in enumerate(matrix.channels):
        sheet.text(base + i, name, fmt)
    sheet.next()
    number, ident, text = s("number"), s("id"), 0
    fits, misses = s("number", "ok"), s("number", "bad")
    for fit in matrix.fits:
        campaign = fit.campaign
        sheet.text(0, campaign.campaign_id, ident)
        sheet.text(1, campaign.name if campaign.name is not None else campaign.display, text)
        sheet.number(2, len(fit.compatible_channels), number)
        sheet.text(3, fit.closest_channel, text)
        sheet.number(4, fit.closest_blocking, number)
        for i, blocking in enumerate(matrix.blocking[campaign.key]):
            sheet.number(base + i, blocking, fits if blocking == 0 else misses)
        sheet.next()
    sheet.table(0, base + len(matrix.channels) - 1, freeze=(1, 2))
    sheet.finish()


_INPUT_COLS = (
    _Col("role", 16, 30),
    _Col("file", 60, 60, wrap=True),
    _Col("format", 8, 10),
    _Col("encoding", 10, 14),
    _Col("delimiter", 10, 10),
    _Col("sheet", 12, 30),
    _Col("header_row", 9, 9),
    _Col("rows_read", 10, 12),
    _Col("records", 10, 12),
    _Col("rows_skipped", 10, 12),
    _Col("skipped", 40, 40, wrap=True),
    _Col("reader_notes", 50, 50, wrap=True),
    _Col("sha256", 20, 66),
    _Col("size", 12, 14),
)


def _skipped(t: Catalog, d: Detection) -> str:
    lines = []
    for skip in d.skipped:
        rows = ", ".join(str(r) for r in skip.rows[:LIST_ROWS])
        if len(skip.rows) > LIST_ROWS:
            rows += ", …"
        why = phrases.skipped(t, skip)
        lines.append(t("xlsx.skipped", count=t.number(len(skip.rows)), why=why, rows=rows))
    return "\n".join(lines)


def _write_inputs(t: Catalog, sheet: _Sheet, report: Report) -> None:
    """The audit trail: what ran, when, with which options, on which files."""
    s = sheet.styles
    comparison = report.comparison
    sheet.columns(_INPUT_COLS)
    sheet.header(t, (_Col("item", 0, 0), _Col("value", 0, 0)))
    rule = comparison.rule.value
    run: list[tuple[str, str]] = [
        (t("xlsx.run.tool"), f"statusdiff {report.version}"),
        (t("xlsx.run.generated_at"), report.generated_at),
        (t("xlsx.run.lang"), report.lang),
        (t("xlsx.run.rule"), t(f"rule.{rule}")),
        (t("xlsx.run.rule_explained"), t(f"rule.{rule}.explained")),
        (t("xlsx.run.exact_match"), t("rule.undefined")),
        (t("xlsx.run.mode"), t.opt("mode", comparison.mode)),
    ]
    run += [(t("xlsx.run.option", name=name), value) for name, value in report.options]
    run += [
        (t("xlsx.run.note"), phrases.advisory(t, n)) for n in (*report.notes, *comparison.notes)
    ]
    item, value = s("text", "group"), s("wrap")
    for name, said in run:
        sheet.text(0, name, item)
        sheet.text(1, said, value)
        sheet.next()
    sheet.next()
    header = sheet.header(t)
    text, wrap, number, ident, amount = 0, s("wrap"), s("number"), s("id"), s("amount")
    for d in report.inputs:
        sheet.text(0, t.opt("role", d.role.value), text)
        sheet.text(1, d.file, wrap)
        sheet.text(2, d.format, text)
        sheet.text(3, d.encoding, text)
        sheet.text(4, shown(d.delimiter) if d.delimiter is not None else None, text)
        sheet.text(5, d.table, text)
        sheet.number(6, d.header_row, number)
        sheet.number(7, d.rows_read, amount)
        sheet.number(8, d.records, amount)
        sheet.number(9, d.rows_skipped, amount)
        sheet.text(10, _skipped(t, d), wrap)
        sheet.text(11, "\n".join(phrases.note(t, n) for n in d.notes), wrap)
        sheet.text(12, d.sha256, ident)
        sheet.number(13, d.size, amount)
        sheet.next()
    sheet.ws.autofilter(header, 0, max(header, sheet.row - 1), len(_INPUT_COLS) - 1)
    sheet.ws.freeze(1, 0)
    sheet.ws.print_setup(landscape=True, fit_width=1, fit_height=0)
    sheet.finish()


# ------------------------------------------------------------------------------------------------
# The workbook
# ------------------------------------------------------------------------------------------------


def _created(generated_at: str) -> dt.datetime:
    """The report's time as a naive UTC datetime for the document properties."""
    try:
        when = dt.datetime.fromisoformat(generated_at)
    except ValueError:
        return dt.datetime(1970, 1, 1)
    if when.tzinfo is not None:
        when = when.astimezone(dt.UTC).replace(tzinfo=None)
    return when


def sheet_names(t: Catalog, report: Report) -> list[str]:
    """The sheets of the workbook, in order."""
    keys = ["summary", "differences", "statuses", "remediation"]
    if report.comparison.matrix is not None:
        keys.append("matrix")
    keys.append("inputs")
    return [t(f"xlsx.sheet.{key}") for key in keys]


def render(report: Report) -> bytes:
    """The workbook as bytes: the same report gives the same bytes (document properties and zip
    entries carry the report's time)."""
    t = Catalog(report.lang)
    out = BytesIO()
    book = sx.Workbook(
        out,
        properties=sx.Properties(
            created=_created(report.generated_at),
            title=t("report.title"),
            subject=_headline(t, report),
            creator="statusdiff",
            description=f"statusdiff {report.version}",
        ),
        default=_DEFAULT,
        shared_strings=SHARED_STRINGS,
        level=LEVEL,
    )
    styles = _Styles(book)
    names = sheet_names(t, report)
    summary, differences, statuses, remediation = (_Sheet(book, styles, name) for name in names[:4])
    matrix = _Sheet(book, styles, names[4]) if report.comparison.matrix is not None else None
    inputs = _Sheet(book, styles, names[-1])
    diff_rows = _write_differences(t, differences, report)
    _write_statuses(t, statuses, report)
    rem_rows = _write_remediation(t, remediation, report)
    _write_summary(t, summary, report, (differences, diff_rows, remediation, rem_rows))
    if matrix is not None:
        _write_matrix(t, matrix, report)
    _write_inputs(t, inputs, report)
    book.active = 0
    book.close()
    return out.getvalue()
