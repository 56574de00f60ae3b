"""Remediation: three ways out for every pair that will not sync, checked, and one recommended.

Marketo's own dialog offers them (docs/contract.md §5): A. sync another campaign; B. fix the
Salesforce campaign (one campaign at a time); C. fix the Marketo channel (Admin only, shared by
every program on it). Plans are pure data; plan B is applied in memory and re-verified.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from enum import StrEnum
from itertools import combinations

from .comparison import (
    Advisory,
    Alternative,
    Comparison,
    Difference,
    Kind,
    PairResult,
    names_of,
)
from .explain import Reason
from .model import Campaign, Channel, MemberStatus, ProgramStatus, Source, is_pseudo_status
from .rule import ChannelSide, Rule, blockers, syncs

SALESFORCE_DEFAULTS = frozenset({"Sent", "Responded"})
"""The statuses Salesforce gives every new campaign."""
EVENT_LOCKED = ("Registered", "Waitlisted", "Attended")
"""Event channels map these to system statuses: they cannot be hidden."""
STRONG_NAME_MATCH = 90.0
"""Name similarity (rapidfuzz WRatio, 0–100) from which a free campaign can be a clear twin."""
SHARED_CHANNEL = 2
"""Other programs on the channel (in this run) from which fixing Marketo is discouraged."""
SAME_STATUS_REASONS = frozenset({Reason.NUMBERING, Reason.CASE, Reason.WHITESPACE})
"""A label whose near miss differs only by these is a status the channel already has: option C
never adds it (a duplicate a person cannot tell apart); it points at the existing one, and the
Salesforce label is renamed to it."""


class Owner(StrEnum):
    """Who carries out an action."""

    SALESFORCE = "salesforce_admin"
    MARKETO = "marketo_admin"
    ANYONE = "consultant"


class Act(StrEnum):
    """What an action does."""

    SYNC_OTHER = "sync_other_campaign"
    ADD_STATUS = "add_status"
    SET_DEFAULT = "set_default"
    SET_RESPONDED = "set_responded"
    MOVE_MEMBERS = "move_members"
    RENAME = "rename"
    DELETE = "delete"
    ADD_CHANNEL_STATUS = "add_channel_status"
    USE_CHANNEL_STATUS = "use_channel_status"
    """Option C: the channel already holds this status, numbered, cased or spaced differently:
    the Salesforce label is renamed to it (an exact rename) instead of adding a duplicate."""


class Risk(StrEnum):
    """What an action can lose (docs/contract: every action has a risk class).

    exact: same meaning by construction (a near-miss rename or merge); safe: nothing held by a
    member changes (a delete with a known count of 0, an added status, a new default); lossy: a
    label that holds (or may hold) members moved or renamed onto a status of another meaning, or
    a Responded/success change for members.
    """

    EXACT = "exact"
    SAFE = "safe"
    LOSSY = "lossy"


class Loss(StrEnum):
    """What a lossy action loses, for the sentence that says it."""

    RESPONDERS_LOST = "responders_lost"
    """Members who responded hold a status that no longer says so."""
    RESPONDERS_GAINED = "responders_gained"
    """Members who did not respond hold a status that says they did."""
    MEANING = "meaning"
    """Members are recorded under another status: who held the label can no longer be told."""


# NOTE: renames come before defaults and member moves because every later step names statuses
# by their final labels (and Data Loader updates by record ID are indifferent to the order).
_ORDER = {
    Act.SYNC_OTHER: 0,
    Act.ADD_STATUS: 1,
    Act.RENAME: 2,
    Act.SET_DEFAULT: 3,
    Act.SET_RESPONDED: 4,
    Act.MOVE_MEMBERS: 5,
    Act.DELETE: 6,
    Act.ADD_CHANNEL_STATUS: 7,
    Act.USE_CHANNEL_STATUS: 7,
}


@dataclass(frozen=True, slots=True)
class Action:
    """One step of a plan."""

    act: Act
    owner: Owner
    label: str
    """The status acted on (its current label), or the campaign name for sync_other_campaign."""
    target: str | None = None
    """New label (rename), destination status (move, merge), or campaign ID (sync other)."""
    members: int | None = None
    """Members concerned; None when no members export says."""
    verify: bool = False
    """Usage is unknown: the person must check that no member holds this status first."""
    record_id: str | None = None
    step: int | None = None
    success: bool | None = None
    responded: bool | None = None
    default: bool | None = None
    sort_order: int | None = None
    notes: tuple[str, ...] = ()
    """Catalogue codes: why this step, what to watch for."""
    risk: Risk = Risk.SAFE
    loss: Loss | None = None
    """For a lossy action: what its members lose."""
    guessed: bool = False
    """The mapping is a choice statusdiff made (no near match): a person confirms it first."""
    reason: str = ""
    """Catalogue code of why this step exists (review files show it beside each row)."""

    @property
    def review(self) -> bool:
        """Whether a person must confirm this step before it is applied (lossy or guessed)."""
        return self.risk is Risk.LOSSY or self.guessed


class OptionKey(StrEnum):
    """The three ways out."""

    A = "A"
    B = "B"
    C = "C"


@dataclass(frozen=True, slots=True)
class BlastEntry:
    """Option C seen from another pair on the same channel."""

    pair_index: int
    program: str | None
    campaign: str
    before: bool
    after: bool

    @property
    def change(self) -> str:
        """fixed, broken, still_ok or still_blocked."""
        if self.before == self.after:
            return "still_ok" if self.after else "still_blocked"
        return "fixed" if self.after else "broken"


@dataclass(frozen=True, slots=True)
class Option:
    """One way out, with its steps and what constrains it."""

    key: OptionKey
    feasible: bool
    actions: tuple[Action, ...] = ()
    constraints: tuple[str, ...] = ()
    """Catalogue codes for the real-world limits of this option."""
    verified: bool | None = None
    """Option B: whether the plan, applied in memory, makes the pair sync."""
    alternatives: tuple[Alternative, ...] = ()
    alternatives_total: int = 0
    blast_radius: tuple[BlastEntry, ...] = ()
    """Option C: the other pairs on the channel (all when few, else those whose verdict changes)."""
    shared_by: tuple[str, ...] = ()
    """Option C: the other programs (or campaigns) on this channel in this run (first 50)."""
    shared_total: int = 0
    """Option C: how many other pairs of this run use the channel (0 in matrix mode)."""
    blast_counts: tuple[tuple[str, int], ...] = ()
    """Option C: (fixed | broken | still_ok | still_blocked, pairs) over every other pair."""

    @property
    def lossy(self) -> bool:
        """Whether any step loses information held by members."""
        return any(a.risk is Risk.LOSSY for a in self.actions)

    @property
    def others(self) -> int:
        """Option C: the other pairs of this run on the channel (matrix pairs included)."""
        return sum(n for _, n in self.blast_counts)


@dataclass(frozen=True, slots=True)
class Plan:
    """The remediation of one blocked pair."""

    pair_index: int
    options: tuple[Option, ...]
    recommended: OptionKey
    reason: Advisory
    """Catalogue code and parameters of the one-sentence reason."""

    def option(self, key: OptionKey) -> Option:
        """Return one option by key."""
        return next(o for o in self.options if o.key is key)

    @property
    def ordered(self) -> tuple[Option, ...]:
        """The options with the recommended one first."""
        return tuple(sorted(self.options, key=lambda o: (o.key is not self.recommended, o.key)))


# ------------------------------------------------------------------------------------------------
# Option B: fix the Salesforce campaign
# ------------------------------------------------------------------------------------------------


@dataclass(slots=True)
class _Work:
    """A campaign's statuses while a plan is being built (mutable, private)."""

    labels: list[str]
    by_label: dict[str, MemberStatus]
    members: dict[str, int] | None

    def default(self) -> str | None:
        return next((lb for lb in self.labels if self.by_label[lb].default), None)

    def responded(self) -> list[str]:
        return [lb for lb in self.labels if self.by_label[lb].responded]


def _work(campaign: Campaign, members: Mapping[str, int] | None) -> _Work:
    by_label: dict[str, MemberStatus] = {}
    labels: list[str] = []
    for status in campaign.statuses:
        if status.label not in by_label:
            by_label[status.label] = status
            labels.append(status.label)
    return _Work(labels, by_label, None if members is None else dict(members))


def _channel_index(channel: Channel) -> dict[str, ProgramStatus]:
    out: dict[str, ProgramStatus] = {}
    for status in channel.statuses:
        if not is_pseudo_status(status):
            out.setdefault(status.name, status)
    return out


def plan_salesforce(result: PairResult, rule: Rule, members: Mapping[str, int] | None) -> Option:
    """Rename, merge or delete each blocking label so the campaign fits the channel.

    - a near miss is renamed to its channel status, or merged into it when the campaign already
      holds that status (members moved, default moved, then deleted);
    - any other label with no members (and not the default) is deleted;
    - one that holds members or the default is renamed onto a channel status the campaign lacks,
      of the same kind (success for a responded status), so no member is promoted or demoted;
      failing that, its members and the default move to the lowest-step status present on both
      sides, then it is deleted;
    - the campaign keeps a default and at least one responded status throughout.
    """
    assert result.channel is not None and result.campaign is not None
    channel, campaign = result.channel, result.campaign
    chan = _channel_index(channel)
    order = {name: i for i, name in enumerate(names_of(channel))}
    work = _work(campaign, members)
    actions: list[Action] = []
    constraints: list[str] = ["sf_one_campaign"]
    blocking = [d for d in result.differences if d.blocking and d.kind is Kind.SALESFORCE_ONLY]

    def step_of(label: str) -> tuple[int, int]:
        status = chan[label]
        return (status.step if status.step is not None else 1 << 30, order[label])

    def kept(excluding: str) -> list[str]:
        return sorted((lb for lb in work.labels if lb in chan and lb != excluding), key=step_of)

    in_step_order = sorted(chan, key=step_of)

    def absent(success: bool | None = None) -> list[str]:
        """Channel statuses the campaign lacks (visible ones; hidden ones only as a last resort)."""
        found = [
            n
            for n in in_step_order
            if n not in work.labels and (success is None or bool(chan[n].success) == success)
        ]
        visible = [n for n in found if not chan[n].hidden]
        return visible or found

    def members_of(label: str) -> int | None:
        return None if work.members is None else work.members.get(label, 0)

    def rename(label: str, target: str, chosen: bool) -> None:
        status = work.by_label[label]
        notes = ["rename_undocumented"]
        if chosen:
            notes.append("rename_is_a_choice")
        success = chan[target].success
        if status.responded is not None and success is not None and status.responded != success:
            notes.append("responded_differs_after_rename")
        n = members_of(label)
        risk, loss = Risk.EXACT, None
        if chosen:
            # Another meaning: lossy unless no member is known to hold it.
            risk = Risk.SAFE if n == 0 else Risk.LOSSY
            loss = None if n == 0 else _loss(status.responded, success)
        actions.append(
            Action(
                Act.RENAME,
                Owner.SALESFORCE,
                label,
                target,
                members=n,
                record_id=status.record_id,
                notes=tuple(notes),
                risk=risk,
                loss=loss,
                guessed=chosen,
                reason="rename_is_a_choice" if chosen else "near_miss",
            )
        )
        work.labels[work.labels.index(label)] = target
        work.by_label[target] = status._replace(label=target)
        del work.by_label[label]
        if work.members is not None:
            work.members[target] = work.members.pop(label, 0)

    def remove(label: str, destination: str | None, merge: bool) -> None:
        status = work.by_label[label]
        n = members_of(label)
        if destination is not None and status.default:
            actions.append(
                Action(
                    Act.SET_DEFAULT,
                    Owner.SALESFORCE,
                    destination,
                    record_id=work.by_label[destination].record_id,
                    notes=("default_moves",),
                    reason="default_moves",
                )
            )
            work.by_label = {
                lb: s._replace(default=(lb == destination)) for lb, s in work.by_label.items()
            }
        # Salesforce keeps one responded status: decided first, since the flag is set (step
        # order) before members move, and whether moved members keep their flag depends on it.
        flag = None
        if status.responded and not [lb for lb in work.responded() if lb != label]:
            flag = next((lb for lb in kept(label) if chan[lb].success), destination)
        coupled = Risk.SAFE
        held = members_of(flag) if flag is not None else 0
        flag_risk = Risk.SAFE if held == 0 else Risk.LOSSY
        if destination is not None and (n is None or n > 0):
            after = True if flag == destination else work.by_label[destination].responded
            same_flag = status.responded is None or after is None or status.responded == after
            # A near-miss merge keeps the meaning; it is exact only if no member's flag changes,
            # and only if the flag it lands on is set blind too (a lossy flag goes to review: the
            # moved members would land on a status that is not responded yet).
            exact = merge and same_flag and not (flag == destination and flag_risk is Risk.LOSSY)
            move_risk = Risk.EXACT if exact else Risk.LOSSY
            coupled = move_risk
            actions.append(
                Action(
                    Act.MOVE_MEMBERS,
                    Owner.SALESFORCE,
                    label,
                    destination,
                    members=n,
                    verify=n is None,
                    notes=("merge",) if merge else ("members_keep_history",),
                    risk=move_risk,
                    loss=None if move_risk is not Risk.LOSSY else _loss(status.responded, after),
                    reason="merge" if merge else "members_keep_history",
                )
            )
        elif merge:
            coupled = Risk.EXACT
        if flag is not None:
            # Members already on the flagged status become responders (unless none are).
            if flag_risk is Risk.LOSSY:
                coupled = Risk.LOSSY
            actions.append(
                Action(
                    Act.SET_RESPONDED,
                    Owner.SALESFORCE,
                    flag,
                    members=held,
                    record_id=work.by_label[flag].record_id,
                    responded=True,
                    notes=("keep_one_responded",),
                    risk=flag_risk,
                    loss=None if held == 0 else Loss.RESPONDERS_GAINED,
                    reason="keep_one_responded",
                )
            )
            work.by_label[flag] = work.by_label[flag]._replace(responded=True)
        if destination is not None and (n is None or n > 0) and work.members is not None:
            moved = work.members.pop(label, 0)
            work.members[destination] = work.members.get(destination, 0) + moved
        actions.append(
            Action(
                Act.DELETE,
                Owner.SALESFORCE,
                label,
                target=destination,
                members=0 if n is not None else None,
                verify=n is None,
                record_id=status.record_id,
                notes=("merge",) if merge else (),
                # A delete completes its member move and responded flag: it carries their risk.
                risk=coupled,
                reason="merge" if merge else ("members_keep_history" if n != 0 else "unused"),
            )
        )
        work.labels.remove(label)
        del work.by_label[label]

    def priority(diff: Difference) -> tuple[int, int, int]:
        """Near misses first; then the labels that most need a home (default, responded, used)."""
        status = work.by_label[diff.label]
        near = diff.near_match is not None and diff.near_match.target in chan
        used = members_of(diff.label)
        return (0 if near else 1, 0 if status.default else 1, -(used or 0) if used else 0)

    for diff in sorted(blocking, key=priority):
        label = diff.label
        status = work.by_label[label]
        near = diff.near_match.target if diff.near_match is not None else None
        if near is not None and near in chan:
            if near not in work.labels:
                rename(label, near, chosen=False)
            else:
                remove(label, near, merge=True)
            continue
        n = members_of(label)
        only_responded = bool(status.responded) and not [
            lb for lb in work.responded() if lb != label
        ]
        same_kind = absent(bool(status.responded))
        candidates = kept(label)
        preferred = [lb for lb in candidates if bool(chan[lb].success) == bool(status.responded)]
        destination = (preferred or candidates)[0] if (preferred or candidates) else None
        if n == 0 and not status.default and not only_responded:
            remove(label, None, merge=False)
            continue
        keeps_success = any(chan[lb].success for lb in candidates)
        if same_kind and (
            (n is not None and n > 0)
            or destination is None
            or (only_responded and not keeps_success)
        ):
            # Members hold it (or nothing else can take its place): make it the channel status of
            # the same kind that the campaign lacks, so no member is promoted or demoted.
            rename(label, same_kind[0], chosen=True)
            continue
        if destination is None:
            any_absent = absent()
            if not any_absent:
                return Option(
                    OptionKey.B, False, tuple(actions), (*constraints, "sf_no_destination"), False
                )
            rename(label, any_absent[0], chosen=True)
            continue
        remove(label, destination, merge=False)
    if rule is Rule.EXACT:
        for name in absent():
            _add_status(work, chan[name], actions)
    if members is None:
        constraints.append("sf_usage_unknown")
    if any(a.act is Act.RENAME for a in actions):
        constraints.append("rename_undocumented")
    ordered = tuple(sorted(actions, key=lambda a: _ORDER[a.act]))
    return Option(OptionKey.B, True, ordered, tuple(constraints), _verify(result, rule, ordered))


def _add_status(work: _Work, status: ProgramStatus, actions: list[Action]) -> None:
    sort_orders = [s.sort_order for s in work.by_label.values() if s.sort_order is not None]
    sort_order = (max(sort_orders) + 1) if sort_orders else len(work.labels) + 1
    actions.append(
        Action(
            Act.ADD_STATUS,
            Owner.SALESFORCE,
            status.name,
            responded=bool(status.success),
            default=False,
            sort_order=sort_order,
            notes=("responded_from_success",),
            reason="strict_missing",
        )
    )
    work.labels.append(status.name)
    work.by_label[status.name] = MemberStatus(
        status.name,
        bool(status.success),
        False,
        sort_order,
        None,
        Source("<plan>"),
        0,
    )
    if work.members is not None:
        work.members.setdefault(status.name, 0)


def _loss(before: bool | None, after: bool | None) -> Loss:
    """What members lose when their status changes from one responded flag to another."""
    if before and after is False:
        return Loss.RESPONDERS_LOST
    if before is False and after:
        return Loss.RESPONDERS_GAINED
    return Loss.MEANING


def _verify(result: PairResult, rule: Rule, actions: tuple[Action, ...]) -> bool:
    """Apply the plan's emitted actions to the campaign, run the rule on the result, and check
    Salesforce's own rules (at least one status, a default and a responded status)."""
    assert result.channel is not None and result.campaign is not None
    statuses = _apply(result.campaign.statuses, actions)
    labels = frozenset(s.label for s in statuses)
    ok = syncs(labels, ChannelSide.of(result.channel), rule)
    has_default = any(s.default for s in statuses) or all(s.default is None for s in statuses)
    has_responded = any(s.responded for s in statuses) or all(s.responded is None for s in statuses)
    return ok and bool(statuses) and has_default and has_responded


def apply_plan(campaign: Campaign, option: Option) -> Campaign:
    """Apply option B's actions to a campaign's statuses in memory (what _verify checks)."""
    return replace(campaign, statuses=_apply(campaign.statuses, option.actions))


def _apply(
    before: tuple[MemberStatus, ...], actions: tuple[Action, ...]
) -> tuple[MemberStatus, ...]:
    """The statuses after option B's actions, in order (member moves change no status)."""
    statuses = list(before)
    for action in actions:
        if action.act is Act.RENAME:
            new = action.target or action.label
            statuses = [s._replace(label=new) if s.label == action.label else s for s in statuses]
        elif action.act is Act.DELETE:
            statuses = [s for s in statuses if s.label != action.label]
        elif action.act is Act.SET_DEFAULT:
            statuses = [s._replace(default=s.label == action.label) for s in statuses]
        elif action.act is Act.SET_RESPONDED:
            statuses = [
                s._replace(responded=True) if s.label == action.label else s for s in statuses
            ]
        elif action.act is Act.ADD_STATUS:
            statuses.append(
                MemberStatus(
                    action.label,
                    action.responded,
                    action.default,
                    action.sort_order,
                    None,
                    Source("<plan>"),
                    0,
                )
            )
    return tuple(statuses)


# ------------------------------------------------------------------------------------------------
# Option C: fix the Marketo channel
# ------------------------------------------------------------------------------------------------


def _suggest_steps(statuses: list[MemberStatus], result: PairResult) -> dict[str, int]:
    """Place new channel statuses by their Salesforce sort order among the statuses that match.

    A status sorted between two matching ones gets a step between theirs; one sorted after all of
    them (or with no sort order) goes after the channel's last step, ten apart. Steps already used
    are avoided where there is room, so each new status gets its own step.
    """
    assert result.channel is not None
    matched = [
        (m.status.sort_order, m.program_status.step)
        for m in result.matches
        if m.status.sort_order is not None and m.program_status.step is not None
    ]
    steps = [s.step for s in result.channel.program_statuses if s.step is not None]
    taken = set(steps)
    tail = max(steps) if steps else 0
    out: dict[str, int] = {}
    ordered = sorted(
        enumerate(statuses),
        key=lambda item: (item[1].sort_order is None, item[1].sort_order or 0, item[0]),
    )
    for _, status in ordered:
        low = high = None
        if status.sort_order is not None and matched:
            below = [step for so, step in matched if so <= status.sort_order]
            above = [step for so, step in matched if so > status.sort_order]
            low = max(below) if below else None
            high = min(above) if above else None
        if high is None:
            tail = max(tail, low or 0) + 10
            step = tail
        else:
            floor = low if low is not None else 0
            step = floor + (high - floor) // 2 if high - floor >= 2 else max(1, floor)
            while step in taken and step + 1 < high:
                step += 1
        taken.add(step)
        out[status.label] = step
    return out


BLAST_LIST = 10
"""Pairs listed in option C (all when this few, else those whose verdict changes; all counted)."""


def plan_marketo(
    result: PairResult, comparison: Comparison, rule: Rule, context: _Neighbours | None = None
) -> Option:
    """Add the blocking labels to the channel, and show what that does to every pair on it."""
    assert result.channel is not None and result.campaign is not None
    channel = result.channel
    actions = []
    constraints = ["mk_admin_only", "mk_shared_channel", "mk_hide_not_delete", "mk_not_retroactive"]
    added: list[ProgramStatus] = []
    blocking = [
        d for d in result.differences if d.blocking and d.kind is Kind.SALESFORCE_ONLY and d.status
    ]
    existing = [d for d in blocking if _same_status(d)]
    blocking = [d for d in blocking if not _same_status(d)]
    for diff in existing:
        assert diff.near_match is not None
        actions.append(
            Action(
                Act.USE_CHANNEL_STATUS,
                Owner.SALESFORCE,
                diff.label,
                target=diff.near_match.target,
                members=diff.members,
                record_id=diff.status.record_id if diff.status is not None else None,
                risk=Risk.EXACT,
                reason="use_channel_status",
            )
        )
    if existing:
        constraints.append("mk_existing_status")
    steps = _suggest_steps([d.status for d in blocking if d.status is not None], result)
    for diff in blocking:
        assert diff.status is not None
        notes = []
        if diff.near_match is not None:
            notes.append("mk_near_duplicate")
        if diff.pseudo:
            notes.append("mk_pseudo_status")
        step = steps[diff.label]
        success = bool(diff.status.responded)
        actions.append(
            Action(
                Act.ADD_CHANNEL_STATUS,
                Owner.MARKETO,
                diff.label,
                target=diff.near_match.target if diff.near_match else None,
                step=step,
                success=success,
                members=diff.members,
                notes=tuple(notes),
                reason="add_channel_status",
            )
        )
        added.append(ProgramStatus(diff.label, step, success, False, Source("<plan>"), None))
    feasible = not any(d.pseudo for d in result.differences if d.blocking)
    if rule is Rule.EXACT and any(
        d.kind is Kind.MARKETO_ONLY and d.blocking for d in result.differences
    ):
        constraints.append("mk_strict_missing")
        feasible = False
    if channel.is_event and any(s.name in EVENT_LOCKED for s in channel.statuses):
        constraints.append("mk_event_locked")
    ctx = context if context is not None else _Neighbours(comparison)
    added_names = frozenset(s.name for s in added)
    after_side = ctx.side(channel).adding(added_names)
    counts, outcome = ctx.outcome(channel.name, result.index, after_side, rule, added_names)
    others = sum(counts.values())
    listed: list[BlastEntry] = []
    changes_only = others > BLAST_LIST
    for after, group in outcome:
        if changes_only:
            if after == group.before:
                break  # groups whose verdict changes come first; the rest are only counted
            pool = group.blocked_members if after else group.ok_members
        else:
            pool = group.members
        for n in pool:
            if n.index == result.index:
                continue
            listed.append(BlastEntry(n.index, n.program, n.display, n.compatible, after))
            if len(listed) >= BLAST_LIST:
                break
        if len(listed) >= BLAST_LIST:
            break
    groups = ctx.groups(channel.name)
    shared: list[str] = []
    if ctx.programs:
        for group in groups:
            for n in group.members:
                if n.index != result.index:
                    shared.append(n.program or n.display)
                    if len(shared) >= BLAST_LIST:
                        break
            if len(shared) >= BLAST_LIST:
                break
    return Option(
        OptionKey.C,
        feasible,
        tuple(actions),
        tuple(constraints),
        blast_radius=tuple(sorted(listed, key=lambda e: e.pair_index)),
        shared_by=tuple(dict.fromkeys(shared[:BLAST_LIST])),
        shared_total=others if ctx.programs else 0,
        blast_counts=tuple((k, v) for k, v in sorted(counts.items()) if v),
    )


def _same_status(diff: Difference) -> bool:
    """Whether a blocking label is a channel status numbered, cased or spaced differently."""
    near = diff.near_match
    return near is not None and not diff.pseudo and set(near.reasons) <= SAME_STATUS_REASONS


@dataclass(frozen=True, slots=True)
class _Neighbour:
    index: int
    program: str | None
    display: str
    compatible: bool


@dataclass(slots=True)
class _Group:
    """The pairs of one channel that share a campaign label set."""

    labels: frozenset[str]
    missing: frozenset[str]
    """The labels of the set the channel lacks (what blocks under Rule.SUBSET)."""
    before: bool
    """Whether these pairs sync now (the rule, under the comparison's rule)."""
    members: list[_Neighbour] = field(default_factory=list)
    ok_members: list[_Neighbour] = field(default_factory=list)
    blocked_members: list[_Neighbour] = field(default_factory=list)
    indices: set[int] = field(default_factory=set)

    @property
    def ok(self) -> int:
        return len(self.ok_members)

    @property
    def blocked(self) -> int:
        return len(self.blocked_members)


SUBSET_SEARCH = 10
"""Up to this many added statuses, option C finds the pairs it fixes by looking up subsets."""


class _Neighbours:
    """The resolved pairs of a comparison, per channel and per distinct label set.

    Option C re-checks every other pair on a channel. Grouping pairs by label set, and indexing
    the groups by the labels the channel lacks, turns that into a few dictionary lookups per
    plan (under the one-sided rule, adding statuses fixes exactly the groups whose missing labels
    are all added, and breaks nothing) instead of one verdict per pair, which is quadratic.
    """

    def __init__(self, comparison: Comparison) -> None:
        self.programs = comparison.mode != "matrix"
        """Matrix pairs are hypothetical (closest channel), not programs sharing a channel."""
        self._sides: dict[str, ChannelSide] = {}
        rule = comparison.rule
        by_channel: dict[str, dict[frozenset[str], _Group]] = {}
        for pair in comparison.pairs:
            if pair.channel is None or pair.campaign is None:
                continue
            labels = frozenset(s.label for s in pair.campaign.statuses)
            groups = by_channel.setdefault(pair.channel.name, {})
            group = groups.get(labels)
            if group is None:
                side = self.side(pair.channel)
                group = groups[labels] = _Group(
                    labels,
                    blockers(labels, side, Rule.SUBSET).salesforce,
                    syncs(labels, side, rule),
                )
            neighbour = _Neighbour(pair.index, pair.program, pair.campaign.display, pair.compatible)
            group.members.append(neighbour)
            (group.ok_members if pair.compatible else group.blocked_members).append(neighbour)
            group.indices.add(pair.index)
        self._by_channel = {name: list(groups.values()) for name, groups in by_channel.items()}
        self._by_missing: dict[str, dict[frozenset[str], list[_Group]]] = {}
        for name, channel_groups in self._by_channel.items():
            index: dict[frozenset[str], list[_Group]] = {}
            for member in channel_groups:
                index.setdefault(member.missing, []).append(member)
            self._by_missing[name] = index
        self._totals = {
            name: (sum(g.ok for g in groups), sum(g.blocked for g in groups))
            for name, groups in self._by_channel.items()
        }

    def side(self, channel: Channel) -> ChannelSide:
        """The rule's view of a channel, computed once."""
        found = self._sides.get(channel.name)
        if found is None:
            found = self._sides[channel.name] = ChannelSide.of(channel)
        return found

    def groups(self, channel: str) -> list[_Group]:
        """The label-set groups of one channel."""
        return self._by_channel.get(channel, [])

    def outcome(
        self,
        channel: str,
        own: int,
        side: ChannelSide,
        rule: Rule,
        added: frozenset[str],
    ) -> tuple[dict[str, int], Iterator[tuple[bool, _Group]]]:
        """Count how adding statuses (`side`: the channel after) changes every other pair.

        Groups whose verdict changes come first. Under the one-sided rule with few additions,
        the groups fixed are those whose blocking labels are all added (nothing can break);
        otherwise the rule runs on every group against the channel after.
        """
        groups = self.groups(channel)
        if rule is Rule.SUBSET and len(added) <= SUBSET_SEARCH:
            index = self._by_missing.get(channel, {})
            fixed: list[_Group] = []
            for size in range(1, len(added) + 1):
                for subset in combinations(sorted(added), size):
                    fixed.extend(index.get(frozenset(subset), ()))
            ok_total, blocked_total = self._totals[channel]
            own_fixed = any(own in g.indices for g in fixed)
            fixed_blocked = sum(g.blocked for g in fixed)
            counts = {
                "fixed": fixed_blocked - own_fixed,
                "broken": 0,
                "still_ok": ok_total,
                "still_blocked": blocked_total - fixed_blocked - (not own_fixed),
            }
            fixed_ids = {id(g) for g in fixed}

            def lazily() -> Iterator[tuple[bool, _Group]]:
                yield from ((True, g) for g in fixed)
                yield from ((g.before, g) for g in groups if id(g) not in fixed_ids)

            return counts, lazily()
        outcome = [
            (syncs(g.labels, side, rule), g)
            for g in groups
        ]
        outcome.sort(key=lambda item: item[0] == item[1].before)
        counts = {"fixed": 0, "broken": 0, "still_ok": 0, "still_blocked": 0}
        for after, group in outcome:
            ok, blocked = group.ok, group.blocked
            if own in group.indices:
                blocked -= 1  # the pair itself is blocked
            counts["still_ok" if after else "broken"] += ok
            counts["fixed" if after else "still_blocked"] += blocked
        return counts, iter(outcome)


# ------------------------------------------------------------------------------------------------
# Option A and the recommendation
# ------------------------------------------------------------------------------------------------


def clear_twin(result: PairResult) -> Alternative | None:
    """The free campaign that clearly is the one the program meant, or None.

    A clear twin is the best-named alternative when its name similarity is at least
    STRONG_NAME_MATCH, no other alternative reaches that similarity, and its Type is known and
    names the channel (or its program type). Alternatives are already plausible (not inactive, not
    of another type): see comparison.plausible.
    """
    if not result.alternatives:
        return None
    best = result.alternatives[0]
    if best.score < STRONG_NAME_MATCH or not best.type_agrees:
        return None
    if any(alt.score >= STRONG_NAME_MATCH for alt in result.alternatives[1:]):
        return None
    return best


def plan_other_campaign(result: PairResult) -> Option:
    """Sync a campaign of the export that already fits the channel: proposed for a clear twin only.

    Other plausible campaigns are listed ("also fits") but never proposed as a step.
    """
    twin = clear_twin(result)
    actions = (
        (
            Action(
                Act.SYNC_OTHER,
                Owner.ANYONE,
                twin.campaign_name or twin.campaign_key,
                target=twin.campaign_id,
                reason="sync_other_campaign",
            ),
        )
        if twin is not None
        else ()
    )
    if twin is not None:
        constraints: tuple[str, ...] = ("a_one_to_one", "a_plausible_only")
    elif result.alternatives:
        constraints = ("a_one_to_one", "a_plausible_only", "a_no_clear_twin")
    else:
        constraints = ("a_none_in_exports",)
    return Option(
        OptionKey.A,
        twin is not None,
        actions,
        constraints,
        alternatives=result.alternatives,
        alternatives_total=result.alternatives_total,
    )


PREMISES: dict[str, tuple[str, ...]] = {
    "rec_sync_other": ("a_feasible",),
    "rec_near_misses": ("b_verified", "b_not_lossy", "all_near_misses"),
    "rec_shared_channel": ("b_verified", "b_not_lossy", "channel_shared"),
    "rec_salesforce_defaults": ("b_verified", "b_not_lossy", "only_salesforce_defaults"),
    "rec_one_campaign": ("b_verified", "b_not_lossy"),
    "rec_members_hold": (
        "b_lossy",
        "c_feasible",
        "channel_not_shared",
        "members_known",
        "no_near_misses",
    ),
    "rec_b_lossy": ("b_lossy", "c_feasible"),
    "rec_b_lossy_other": ("b_lossy", "c_not_feasible", "a_feasible"),
    "rec_lossy_only": ("b_lossy", "c_not_feasible", "a_not_feasible"),
    "rec_only_marketo": ("b_not_clean", "c_feasible"),
    "rec_only_other": ("b_not_clean", "c_not_feasible", "a_feasible"),
    "rec_manual": ("b_not_clean", "c_not_feasible", "a_not_feasible"),
    "rec_tied_channel": ("channel_tied", "b_not_clean", "c_not_feasible"),
}
"""What each recommendation reason claims (its premise codes). tests/test_remediate.py derives
every premise from the plan itself and fails on a contradiction."""


def _recommend(result: PairResult, a: Option, b: Option, c: Option) -> tuple[OptionKey, Advisory]:
    blocking = [d for d in result.differences if d.blocking and d.kind is Kind.SALESFORCE_ONLY]
    labels = {d.label for d in blocking}
    twin = clear_twin(result) if a.feasible else None
    if twin is not None:
        return OptionKey.A, Advisory(
            "rec_sync_other",
            twin.campaign_name,
            (("campaign", twin.campaign_name or twin.campaign_key),),
        )
    # NOTE: every other pair on the channel counts (matrix pairs too), not only named programs.
    shared = c.others
    if b.feasible and b.verified and not b.lossy:
        if blocking and all(d.near_match is not None for d in blocking):
            return OptionKey.B, Advisory("rec_near_misses", None, (("count", str(len(blocking))),))
        if shared >= SHARED_CHANNEL:
            return OptionKey.B, Advisory("rec_shared_channel", None, (("count", str(shared)),))
        if labels and labels <= SALESFORCE_DEFAULTS:
            return OptionKey.B, Advisory("rec_salesforce_defaults")
        return OptionKey.B, Advisory("rec_one_campaign")
    if b.feasible and b.verified:
        # A lossy Salesforce plan is never recommended over a non-lossy C or A.
        lossy = str(sum(1 for x in b.actions if x.risk is Risk.LOSSY))
        if c.feasible:
            counts = [d.members for d in blocking]
            in_use = sum(n or 0 for n in counts)
            near = any(d.near_match is not None for d in blocking)
            if shared == 0 and in_use > 0 and None not in counts and not near:
                return OptionKey.C, Advisory("rec_members_hold", None, (("members", str(in_use)),))
            return OptionKey.C, Advisory("rec_b_lossy", None, (("steps", lossy),))
        if a.feasible:
            return OptionKey.A, Advisory("rec_b_lossy_other", None, (("steps", lossy),))
        return OptionKey.B, Advisory("rec_lossy_only", None, (("steps", lossy),))
    if c.feasible:
        return OptionKey.C, Advisory("rec_only_marketo")
    if a.feasible:
        return OptionKey.A, Advisory("rec_only_other")
    return OptionKey.B, Advisory("rec_manual")


def plan(
    result: PairResult, comparison: Comparison, context: _Neighbours | None = None
) -> Plan | None:
    """Plan the three options for one pair that will not sync (None for pairs that will)."""
    if result.compatible or result.channel is None or result.campaign is None:
        return None
    if result.tied:
        return _tied_plan(result)
    a = plan_other_campaign(result)
    b = plan_salesforce(result, comparison.rule, members_from_matches(result))
    c = plan_marketo(result, comparison, comparison.rule, context)
    key, reason = _recommend(result, a, b, c)
    return Plan(result.index, (a, b, c), key, reason)


def _tied_plan(result: PairResult) -> Plan:
    """A matrix campaign with no single closest channel: no channel-specific fix is planned.

    Renaming Salesforce labels towards one of the tied channels, or adding statuses to it, would
    pick a channel the evidence does not pick. The plan says so and asks for the program's channel.
    """
    a = plan_other_campaign(result)
    b = Option(OptionKey.B, False, (), ("tied_channel",), None)
    c = Option(OptionKey.C, False, (), ("tied_channel",))
    reason = Advisory(
        "rec_tied_channel",
        None,
        (("channels", ", ".join(result.tied)), ("count", str(len(result.tied)))),
    )
    return Plan(result.index, (a, b, c), OptionKey.B, reason)


def plan_all(comparison: Comparison) -> dict[int, Plan]:
    """Plan every blocked pair, by pair index."""
    plans = {}
    context = _Neighbours(comparison)
    for result in comparison.pairs:
        found = plan(result, comparison, context)
        if found is not None:
            plans[result.index] = found
    return plans


def members_from_matches(result: PairResult) -> dict[str, int] | None:
    """Recover the members counts a pair was compared with (None when unknown)."""
    counts: dict[str, int] = {}
    for m in result.matches:
        if m.members is None:
            return None
        counts[m.status.label] = m.members
    for d in result.differences:
        if d.kind is Kind.SALESFORCE_ONLY:
            if d.members is None:
                return None
            counts[d.label] = d.members
    return counts
