"""The HTML report's page budget: which pairs get a section, which only a row, in what order.

`plan_page(report)` is pure: it reads the comparison and the plans and decides, before any view is
built, what the page has room for (see htmlview's docstring for the budget's reasons):

* pairs that will not sync and share the very same statuses and plan share one section; at most
  DETAIL_LIMIT sections (DETAIL_BYTES), the ones that explain the most pairs first;
* group tables share GROUP_ROWS rows, small groups listed whole;
* pairs that will sync get their evidence (statuses side by side) in runs of up to EVIDENCE_RUN
  pairs, EVIDENCE_LIMIT of them at most;
* the table of pairs lists every pair up to LIST_ALL pairs (then only those that do not sync),
  blocked first, then those that cannot be checked, then those that sync.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass

from ..codes import PairState
from ..model import PairResult
from ..pipeline import Report
from ..remediate import OptionKey, Plan

DETAIL_LIMIT = 200
"""Detail sections drawn in full (about 7 kB each); past it, the largest groups are kept."""
DETAIL_BYTES = 2_000_000
"""Bytes the detail sections may take (estimated before they are built), group tables aside."""
GROUP_ROWS = 4000
"""Rows of the group tables of the whole page (about 300 bytes each), shared out so that small
groups are listed whole."""
LIST_ALL = 10_000
"""Runs up to this many pairs list every pair in the summary; bigger ones count those that sync."""
UNRESOLVED_LIMIT = 500
"""Pairings that cannot be checked, explained one by one (all keep their summary row)."""
EVIDENCE_LIMIT = 30
"""Pairs that will sync whose statuses are drawn side by side (the workbook has them all)."""
EVIDENCE_RUN = 300
"""Runs of up to this many pairs draw that evidence; bigger ones keep their bytes for the pairs
that will not sync (the workbook's Statuses sheet has every pair)."""


@dataclass(frozen=True, slots=True)
class PagePlan:
    """What the page shows of each pair, decided before anything is drawn."""

    unresolved: tuple[PairResult, ...]
    """Pairings that cannot be checked."""
    explained: tuple[PairResult, ...]
    """Those explained one by one (UNRESOLVED_LIMIT)."""
    blocked: int
    """Pairs that will not sync and could be checked."""
    groups_total: int
    """Sections they would take (pairs sharing a diagnosis share one)."""
    groups: tuple[tuple[PairResult, ...], ...]
    """The sections drawn, in page order."""
    shares: tuple[int, ...]
    """Rows of each section's group table."""
    detailed: frozenset[int]
    """Pairs (by index) that have a section."""
    anchors: Mapping[int, str]
    """Where each pair is explained on the page (no entry: only its row)."""
    evidenced: tuple[PairResult, ...]
    """Pairs that will sync whose statuses are drawn side by side."""
    evidence_cut: int
    """Pairs that will sync left without them."""
    lists_compatible: bool
    """Whether the table of pairs lists the pairs that will sync."""
    in_summary: tuple[PairResult, ...]
    """The pairs of the table of pairs, in order."""


def _shares(sizes: Sequence[int], budget: int) -> list[int]:
    """Share a budget of rows among groups: the smallest are listed whole, the largest share the
    rest equally (each keeps at least one row)."""
    out = [0] * len(sizes)
    left = budget
    order = sorted(range(len(sizes)), key=lambda i: sizes[i])
    for done, i in enumerate(order):
        out[i] = min(sizes[i], max(1, left // (len(order) - done)))
        left -= out[i]
    return out


def _section_bytes(pair: PairResult, plan: Plan | None) -> int:
    """About what a pair's detail section weighs, before it is built: its status table, its
    options' steps and constraints, and a fixed part (headings, legend of the options)."""
    assert pair.channel is not None and pair.campaign is not None
    rows = len(pair.channel.statuses) + len(pair.campaign.statuses)
    steps = sum(len(o.actions) + len(o.constraints) for o in plan.options) if plan else 0
    # NOTE: a status row is about 250 bytes, and 150 more for the copy buttons of its two labels.
    return 2_500 + 400 * rows + 150 * steps


_RANK = {PairState.WILL_NOT_SYNC: 0, PairState.UNRESOLVED: 1, PairState.WILL_SYNC: 2}


def _summary_rank(pair: PairResult) -> int:
    """Where a pair comes in the table of pairs: blocked, then unchecked, then syncing."""
    return _RANK[pair.state]


def signature(pair: PairResult, plan: Plan | None) -> str:
    """What a pair's section shows beyond the pair's own names: equal means one section.

    Member counts are left out: they differ from clone to clone, so the group's table counts
    them pair by pair and its status table shows their sums.

    NOTE: the key is the repr of a tuple, one string per pair: tens of thousands of nested
    tuples kept alive would each be tracked by the garbage collector, whose full passes over
    an org-scale report cost a second each.
    """
    assert pair.channel is not None and pair.campaign is not None
    statuses = tuple(
        (s.label, s.responded, s.default, s.sort_order) for s in pair.campaign.statuses
    )
    labels = (
        *(m.status.label for m in pair.matches),
        *((d.kind.value, d.label) for d in pair.differences),
    )
    options: tuple[Hashable, ...] = ()
    if plan is not None:
        # NOTE: which option is recommended, and option A's campaigns, depend on the names:
        # a group tells them pair by pair (see fixes).
        options = tuple(
            (
                o.key.value,
                o.feasible,
                o.verified,
                o.constraints,
                # NOTE: record IDs and member counts differ from clone to clone; whether
                # members are counted at all does not (it changes a step's wording).
                ()
                if o.key is OptionKey.A
                else tuple(
                    (
                        a.act.value,
                        a.owner.value,
                        a.label,
                        a.target,
                        a.members is None,
                        a.verify,
                        a.step,
                        a.success,
                        a.responded,
                        a.default,
                        a.sort_order,
                        a.notes,
                    )
                    for a in o.actions
                ),
                bool(o.blast_radius),
            )
            for o in plan.options
        )
    warnings = tuple((w.code, w.label, w.params) for w in pair.warnings)
    return repr((pair.channel.name, pair.tied, statuses, labels, warnings, options))


def plan_page(report: Report) -> PagePlan:
    """Decide what the page shows of each pair (pure: reads the report, builds nothing)."""
    pairs = report.comparison.pairs
    unresolved = tuple(p for p in pairs if p.problem is not None)
    explained = unresolved[:UNRESOLVED_LIMIT]
    groups: dict[str, list[PairResult]] = {}
    for pair in pairs:
        if not pair.compatible and pair.problem is None and pair.channel and pair.campaign:
            key = signature(pair, report.plans.get(pair.index))
            groups.setdefault(key, []).append(pair)
    # NOTE: the sections that explain the most pairs first: one fix to a template then
    # unblocks all its clones. Ties keep the order of the pairs. When every section fits,
    # they keep the order of the pairs.
    ranked = sorted(groups.values(), key=lambda g: (-len(g), g[0].index))
    chosen: list[list[PairResult]] = []
    spent = 0
    for group in ranked:
        cost = _section_bytes(group[0], report.plans.get(group[0].index))
        if len(chosen) >= DETAIL_LIMIT or (chosen and spent + cost > DETAIL_BYTES):
            break
        chosen.append(group)
        spent += cost
    if len(chosen) == len(ranked):
        chosen = list(groups.values())
    shares = _shares([len(g) if len(g) > 1 else 0 for g in chosen], GROUP_ROWS)
    anchors: dict[int, str] = {}
    for group, share in zip(chosen, shares, strict=True):
        if len(group) == 1:
            anchors[group[0].index] = f"p{group[0].index}"
            continue
        for k, pair in enumerate(group):
            anchors[pair.index] = f"p{pair.index}" if k < share else f"g{group[0].index}"
    for pair in explained:
        anchors[pair.index] = f"p{pair.index}"
    syncing = [p for p in pairs if p.compatible and p.channel and p.campaign]
    evidenced = tuple(syncing[:EVIDENCE_LIMIT]) if len(pairs) <= EVIDENCE_RUN else ()
    for pair in evidenced:
        anchors[pair.index] = f"p{pair.index}"
    lists_compatible = len(pairs) <= LIST_ALL
    listed = pairs if lists_compatible else tuple(p for p in pairs if not p.compatible)
    # NOTE: the answer first: pairs that will not sync, then those that cannot be checked,
    # then those that will sync (each in pair order).
    return PagePlan(
        unresolved=unresolved,
        explained=explained,
        blocked=sum(len(g) for g in groups.values()),
        groups_total=len(groups),
        groups=tuple(tuple(g) for g in chosen),
        shares=tuple(shares),
        detailed=frozenset(p.index for g in chosen for p in g),
        anchors=anchors,
        evidenced=evidenced,
        evidence_cut=len(syncing) - len(evidenced),
        lists_compatible=lists_compatible,
        in_summary=tuple(sorted(listed, key=_summary_rank)),
    )
