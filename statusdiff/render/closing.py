"""Sentences and rows every renderer shares for a --baseline run (never written here in words).

The outcome sentence leads every format: "5 of 5 planned changes applied; all 7 pairs now sync;
1 unexpected change". Then the planned actions with their state, the unexpected changes, and the
pairs then and now.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from ..baseline import ActionCheck, BaselineCheck, Change, PairCheck, State, StatusState, Unexpected
from ..explain import shown
from ..i18n import Catalog
from ..remediate import Act, Action, Owner
from . import phrases


def outcome(t: Catalog, check: BaselineCheck) -> str:
    """The one sentence that closes the ticket."""
    parts = []
    if check.planned:
        text = t.n("closing.planned", check.planned, applied=t.number(check.applied))
        rest = []
        if check.not_applied:
            rest.append(t.n("closing.not_applied", check.not_applied))
        if check.applied_differently:
            rest.append(t.n("closing.applied_differently", check.applied_differently))
        parts.append(text + (f" ({', '.join(rest)})" if rest else ""))
    else:
        parts.append(t("closing.planned.none"))
    pairs = check.now_pairs
    if pairs and check.now_compatible == pairs:
        parts.append(t.n("closing.pairs.all", pairs))
    else:
        parts.append(t.n("closing.pairs.some", pairs, compatible=t.number(check.now_compatible)))
    if check.unexpected:
        parts.append(t.n("closing.unexpected", check.unexpected))
    else:
        parts.append(t("closing.unexpected.none"))
    return t("closing.join").join(parts)


def against(t: Catalog, check: BaselineCheck) -> str:
    """Which earlier report the run was checked against."""
    b = check.baseline
    return t(
        "closing.against",
        file=b.file,
        generated_at=t.moment(b.generated_at) if b.generated_at else t("value.unknown"),
        version=b.tool_version or t("value.unknown"),
        sha256=b.sha256[:12],
    )


def action(t: Catalog, item: ActionCheck) -> str:
    """The planned action as the earlier report said it."""
    p = item.action
    try:
        act = Act(p.act)
    except ValueError:
        return f"{p.act} {shown(p.label)}"
    try:
        owner = Owner(p.owner) if p.owner is not None else Owner.SALESFORCE
    except ValueError:
        owner = Owner.SALESFORCE
    return phrases.action(
        t,
        Action(
            act,
            owner,
            p.label,
            p.target,
            members=p.members,
            verify=p.verify,
            record_id=p.record_id,
            step=p.step,
            success=p.success,
            responded=p.responded,
            default=p.default,
            sort_order=p.sort_order,
        ),
    )


def state(t: Catalog, value: State) -> str:
    """applied, not applied, applied differently."""
    return t(f"closing.state.{value.value}")


def detail(t: Catalog, item: ActionCheck) -> str:
    """What today's export shows of a planned action."""
    if not item.detail:
        return t("closing.detail.as_planned")
    return t(
        f"closing.detail.{item.detail}",
        found=shown(item.found or ""),
        label=shown(item.action.label),
    )


def stated(t: Catalog, item: ActionCheck) -> str:
    """'Rename “A” to “B”. — applied differently: the status is now “C”'."""
    return t(
        "closing.stated", action=action(t, item), state=state(t, item.state), detail=detail(t, item)
    )


def change(t: Catalog, value: Change) -> str:
    """fixed, still blocked, …"""
    return t(f"closing.change.{value.value}")


def verdict(t: Catalog, compatible: bool | None) -> str:
    """A pair's verdict in a then-and-now table."""
    if compatible is None:
        return t("closing.verdict.absent")
    return t("closing.verdict.syncs" if compatible else "closing.verdict.blocked")


def status(t: Catalog, value: StatusState | None) -> str:
    """A status record as an export showed it."""
    if value is None:
        return "—"
    return t(
        "closing.status",
        label=shown(value.label),
        responded=phrases.yes_no(t, value.responded),
        default=phrases.yes_no(t, value.default),
        sort_order=value.sort_order if value.sort_order is not None else t("value.unknown"),
    )


def edit(t: Catalog, item: Unexpected) -> str:
    """added, deleted, renamed, re-flagged."""
    return t(f"closing.edit.{item.change.value}")


@dataclass(frozen=True, slots=True)
class Row:
    """One planned action or unexpected change with the pair it belongs to."""

    pair: PairCheck
    action: ActionCheck | None = None
    unexpected: Unexpected | None = None


def pair_name(check: PairCheck) -> tuple[str, str, str]:
    """(program, channel, campaign) of a pair, today's names first."""
    if check.now is not None:
        now = check.now
        return (now.program or "", now.channel_name, now.campaign_display)
    assert check.before is not None
    b = check.before
    return (b.program or "", b.channel, b.campaign_name or b.campaign_id or b.campaign_ref)


def pair_number(check: PairCheck) -> int:
    """Today's pair index, else the earlier one."""
    if check.now is not None:
        return check.now.index
    assert check.before is not None
    return check.before.index


def ordered(check: BaselineCheck) -> list[PairCheck]:
    """Today's pairs in order, then the gone ones."""
    return [check.pairs[i] for i in sorted(check.pairs)] + list(check.gone)


def action_rows(check: BaselineCheck) -> Iterator[Row]:
    """Every planned action, the ones that failed first."""
    rows = [Row(p, action=a) for p in ordered(check) for a in p.actions]
    rank = {State.NOT_APPLIED: 0, State.APPLIED_DIFFERENTLY: 1, State.APPLIED: 2}
    yield from sorted(rows, key=lambda r: rank[r.action.state] if r.action else 3)


def unexpected_rows(check: BaselineCheck) -> Iterator[Row]:
    """Every unexpected change, by pair."""
    for p in ordered(check):
        for u in p.unexpected:
            yield Row(p, unexpected=u)


# ------------------------------------------------------------------------------------------------
# JSON (schema version 1, fields added only)
# ------------------------------------------------------------------------------------------------


def _side(value: StatusState | None) -> dict[str, Any] | None:
    if value is None:
        return None
    return {
        "label": value.label,
        "record_id": value.record_id,
        "responded": value.responded,
        "default": value.default,
        "sort_order": value.sort_order,
    }


def json_head(t: Catalog, check: BaselineCheck) -> dict[str, Any]:
    """The top-level fields: the baseline, the plan check counts, the outcome, gone pairs."""
    b = check.baseline
    return {
        "baseline": {
            "file": b.file,
            "sha256": b.sha256,
            "generated_at": b.generated_at,
            "tool_version": b.tool_version,
            "changes_written": b.changes_written,
        },
        "plan_check": {
            "planned": check.planned,
            "applied": check.applied,
            "not_applied": check.not_applied,
            "applied_differently": check.applied_differently,
            "unexpected": check.unexpected,
            "changes": check.changes,
            "outcome": outcome(t, check),
        },
        "gone_pairs": [
            {
                "index": g.before.index,
                "program": g.before.program,
                "channel": g.before.channel,
                "campaign_ref": g.before.campaign_ref,
                "campaign_id": g.before.campaign_id,
                "campaign_name": g.before.campaign_name,
                "before": {"compatible": g.before.compatible, "blocking": g.before.blocking},
                "change": g.change.value,
            }
            for g in check.gone
            if g.before is not None
        ],
    }


def json_pair(t: Catalog, check: BaselineCheck, index: int) -> dict[str, Any]:
    """The per-pair fields: before, change, plan_check, unexpected."""
    pair = check.pairs.get(index)
    if pair is None:
        return {}
    before = pair.before
    return {
        "before": None
        if before is None
        else {"compatible": before.compatible, "blocking": before.blocking},
        "change": pair.change.value,
        "plan_check": [
            {
                "action": a.action.act,
                "record_id": a.action.record_id,
                "label": a.action.label,
                "target": a.action.target,
                "state": a.state.value,
                "found": a.found,
                "detail": a.detail or None,
                "message": stated(t, a),
            }
            for a in pair.actions
        ],
        "unexpected": [
            {
                "record_id": u.record_id,
                "change": u.change.value,
                "before": _side(u.before),
                "after": _side(u.after),
            }
            for u in pair.unexpected
        ],
    }


# ------------------------------------------------------------------------------------------------
# Terminal and Markdown
# ------------------------------------------------------------------------------------------------

TERMINAL_LIMIT = 20
"""Failed actions and unexpected changes listed on the terminal (the reports hold them all)."""


def _head(pair: PairCheck) -> str:
    """A pair in a terminal line: 'program · campaign', or the campaign alone (matrix mode)."""
    program, _channel, campaign = pair_name(pair)
    return f"{program} · {campaign}" if program else campaign


def terminal_lines(t: Catalog, check: BaselineCheck) -> Iterator[str]:
    """After the pair list: what was not applied as planned, and what changed unplanned."""
    failed = [r for r in action_rows(check) if r.action and r.action.state is not State.APPLIED]
    for row in failed[:TERMINAL_LIMIT]:
        assert row.action is not None
        yield f"  ✗ {t('sep.colon', head=_head(row.pair), text=stated(t, row.action))}"
    unexpected = list(unexpected_rows(check))
    for row in unexpected[:TERMINAL_LIMIT]:
        assert row.unexpected is not None
        u = row.unexpected
        said = f"{edit(t, u)} {status(t, u.before)} → {status(t, u.after)}"
        yield f"  ! {t('sep.colon', head=_head(row.pair), text=said)}"
    cut = max(0, len(failed) - TERMINAL_LIMIT) + max(0, len(unexpected) - TERMINAL_LIMIT)
    if cut:
        yield f"  … {t.number(cut)}"


def markdown_lines(t: Catalog, check: BaselineCheck) -> list[str]:
    """The comment that closes the ticket: outcome, failed and applied actions, unexpected
    changes, pairs then and now. Cells are escaped by the Markdown renderer's helpers."""
    from .markdown import code, table, text

    lines = [
        f"# {text(t('closing.md.title'))}",
        "",
        f"**{text(outcome(t, check))}**",
        "",
        f"*{text(against(t, check))}*",
        "",
        f"## {text(t('closing.section.actions'))}",
        "",
    ]
    rows = list(action_rows(check))
    if rows:
        header = [
            text(t(f"closing.col.{k}")) for k in ("pair", "campaign", "action", "state", "detail")
        ]
        body = []
        for row in rows:
            assert row.action is not None
            _program, _channel, campaign = pair_name(row.pair)
            body.append(
                [
                    str(pair_number(row.pair)),
                    text(campaign),
                    text(action(t, row.action)),
                    text(state(t, row.action.state)),
                    text(detail(t, row.action)),
                ]
            )
        lines += [table(header, "rllll", body), ""]
    else:
        lines += [text(t("closing.none.actions")), ""]
    lines += [f"## {text(t('closing.section.unexpected'))}", ""]
    unexpected = list(unexpected_rows(check))
    if unexpected:
        header = [
            text(t(f"closing.col.{k}")) for k in ("pair", "campaign", "record", "edit", "was", "is")
        ]
        body = []
        for row in unexpected:
            u = row.unexpected
            assert u is not None
            _program, _channel, campaign = pair_name(row.pair)
            body.append(
                [
                    str(pair_number(row.pair)),
                    text(campaign),
                    code(u.record_id, cell=True) if u.record_id else "",
                    text(edit(t, u)),
                    text(status(t, u.before)),
                    text(status(t, u.after)),
                ]
            )
        lines += [table(header, "rlllll", body), ""]
    else:
        lines += [text(t("closing.none.unexpected")), ""]
    lines += [f"## {text(t('closing.section.pairs'))}", ""]
    header = [
        text(t(f"closing.col.{k}"))
        for k in ("pair", "program", "channel", "campaign", "before", "now", "change")
    ]
    body = []
    for pair in ordered(check):
        program, channel, campaign = pair_name(pair)
        body.append(
            [
                str(pair_number(pair)),
                text(program),
                text(channel),
                text(campaign),
                text(verdict(t, pair.before.compatible if pair.before else None)),
                text(verdict(t, pair.now.compatible if pair.now else None)),
                text(change(t, pair.change)),
            ]
        )
    lines += [table(header, "rllllll", body), ""]
    return lines


# ------------------------------------------------------------------------------------------------
# HTML view model (printed by templates/report.html.j2)
# ------------------------------------------------------------------------------------------------

_GOOD = {
    Change.FIXED: "ok",
    Change.STILL_SYNCS: "ok",
    Change.BROKE: "no",
    Change.STILL_BLOCKED: "no",
}


@dataclass(frozen=True, slots=True)
class HtmlRow:
    """One table row: a CSS class (ok, no or empty) and its cells, already text."""

    cls: str
    cells: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class HtmlView:
    """The closing section of the HTML report."""

    outcome: str
    cls: str
    """ok when every planned action was applied and every pair syncs, no otherwise."""
    against: str
    actions: tuple[HtmlRow, ...]
    unexpected: tuple[HtmlRow, ...]
    pairs: tuple[HtmlRow, ...]


def html_view(t: Catalog, check: BaselineCheck) -> HtmlView:
    """Build the closing section's rows."""
    actions = []
    for row in action_rows(check):
        assert row.action is not None
        _program, _channel, campaign = pair_name(row.pair)
        actions.append(
            HtmlRow(
                "ok" if row.action.state is State.APPLIED else "no",
                (
                    str(pair_number(row.pair)),
                    campaign,
                    action(t, row.action),
                    detail(t, row.action),
                    state(t, row.action.state),
                ),
            )
        )
    unexpected = []
    for row in unexpected_rows(check):
        u = row.unexpected
        assert u is not None
        _program, _channel, campaign = pair_name(row.pair)
        unexpected.append(
            HtmlRow(
                "",
                (
                    str(pair_number(row.pair)),
                    campaign,
                    u.record_id or "",
                    edit(t, u),
                    status(t, u.before),
                    status(t, u.after),
                ),
            )
        )
    pairs = []
    for pair in ordered(check):
        program, channel, campaign = pair_name(pair)
        pairs.append(
            HtmlRow(
                _GOOD.get(pair.change, ""),
                (
                    str(pair_number(pair)),
                    program,
                    channel,
                    campaign,
                    change(t, pair.change),
                    verdict(t, pair.before.compatible if pair.before else None),
                    verdict(t, pair.now.compatible if pair.now else None),
                ),
            )
        )
    good = not check.failed and check.now_pairs > 0 and check.now_compatible == check.now_pairs
    return HtmlView(
        outcome=outcome(t, check),
        cls="ok" if good else "no",
        against=against(t, check),
        actions=tuple(actions),
        unexpected=tuple(unexpected),
        pairs=tuple(pairs),
    )
