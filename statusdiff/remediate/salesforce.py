"""Option B: fix the Salesforce campaign (one campaign at a time), then verify the plan.

The plan's emitted actions are applied to the campaign in memory (`apply_plan`) and the rule
(rule.syncs) runs on the result: that is what `OptionB.verified` says.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace

from ..codes import ActionNote, Constraint
from ..comparison import ChannelFacts
from ..model import (
    ACTION_ORDER,
    Act,
    Action,
    Campaign,
    Difference,
    Kind,
    Loss,
    MemberStatus,
    Option,
    OptionB,
    OptionKey,
    Owner,
    PairResult,
    ProgramStatus,
    Risk,
    Source,
)
from ..rule import ChannelSide, Rule, syncs


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


def plan_salesforce(result: PairResult, rule: Rule, members: Mapping[str, int] | None) -> OptionB:
    """Rename, merge or delete each blocking label so the campaign fits the channel.

    - a near miss is renamed to its channel status, or merged into it when the campaign already
      holds that status (members moved, default moved, then deleted);
    - any other label with no members (and not the default) is deleted;
    - one that holds members or the default is renamed onto a channel status the campaign lacks,
      of the same kind (success for a responded status), so no member is promoted or demoted;
      failing that, its members and the default move to the lowest-step status present on both
      sides, then it is deleted;
    - the campaign keeps a default and at least one responded status throughout.

    The steps: order the blocking labels (`_Planner.priority`), find each one a home
    (`_Planner.place`), add the missing statuses under --strict (`_Planner.add_missing`), say
    what constrains the plan (`_constraints`), then verify the emitted actions (`_verify`).
    """
    assert result.channel is not None and result.campaign is not None
    facts = _facts(result)
    planner = _Planner(facts, result.campaign, members)
    blocking = [d for d in result.differences if d.blocking and d.kind is Kind.SALESFORCE_ONLY]
    for diff in sorted(blocking, key=planner.priority):
        if not planner.place(diff):
            return OptionB(
                OptionKey.B,
                False,
                tuple(planner.actions),
                (Constraint.SF_ONE_CAMPAIGN, Constraint.SF_NO_DESTINATION),
                False,
            )
    if rule is Rule.EXACT:
        planner.add_missing()
    ordered = tuple(sorted(planner.actions, key=lambda a: ACTION_ORDER[a.act]))
    constraints = _constraints(ordered, members)
    return OptionB(
        OptionKey.B, True, ordered, constraints, _verify(result, rule, ordered, facts.side)
    )


def _facts(result: PairResult) -> ChannelFacts:
    """The channel's facts: the verdict's (computed once per channel), else computed now."""
    verdict = result.verdict
    if verdict is not None and verdict.facts is not None:
        return verdict.facts
    assert result.channel is not None
    return ChannelFacts.of(result.channel)


def _constraints(actions: tuple[Action, ...], members: Mapping[str, int] | None) -> tuple[str, ...]:
    """What limits a feasible Salesforce plan in the real world (catalogue codes)."""
    out = [Constraint.SF_ONE_CAMPAIGN]
    if members is None:
        out.append(Constraint.SF_USAGE_UNKNOWN)
    if any(a.act is Act.RENAME for a in actions):
        out.append(Constraint.RENAME_UNDOCUMENTED)
    return tuple(out)


class _Planner:
    """Option B under construction: the campaign's statuses as the actions so far leave them."""

    def __init__(
        self, facts: ChannelFacts, campaign: Campaign, members: Mapping[str, int] | None
    ) -> None:
        self.chan = facts.by_name
        self.order = facts.order
        self.work = _work(campaign, members)
        self.actions: list[Action] = []
        self.in_step_order = facts.in_step_order

    def step_of(self, label: str) -> tuple[int, int]:
        status = self.chan[label]
        return (status.step if status.step is not None else 1 << 30, self.order[label])

    def kept(self, excluding: str) -> list[str]:
        return sorted(
            (lb for lb in self.work.labels if lb in self.chan and lb != excluding), key=self.step_of
        )

    def absent(self, success: bool | None = None) -> list[str]:
        """Channel statuses the campaign lacks (visible ones; hidden ones only as a last resort)."""
        found = [
            n
            for n in self.in_step_order
            if n not in self.work.labels
            and (success is None or bool(self.chan[n].success) == success)
        ]
        visible = [n for n in found if not self.chan[n].hidden]
        return visible or found

    def members_of(self, label: str) -> int | None:
        return None if self.work.members is None else self.work.members.get(label, 0)

    def rename(self, label: str, target: str, chosen: bool) -> None:
        status = self.work.by_label[label]
        notes = [ActionNote.RENAME_UNDOCUMENTED]
        if chosen:
            notes.append(ActionNote.RENAME_IS_A_CHOICE)
        success = self.chan[target].success
        if status.responded is not None and success is not None and status.responded != success:
            notes.append(ActionNote.RESPONDED_DIFFERS_AFTER_RENAME)
        n = self.members_of(label)
        risk, loss = Risk.EXACT, None
        if chosen:
            # Another meaning: lossy unless no member is known to hold it.
            risk = Risk.SAFE if n == 0 else Risk.LOSSY
            loss = None if n == 0 else _loss(status.responded, success)
        self.actions.append(
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
        self.work.labels[self.work.labels.index(label)] = target
        self.work.by_label[target] = status._replace(label=target)
        del self.work.by_label[label]
        if self.work.members is not None:
            self.work.members[target] = self.work.members.pop(label, 0)

    def remove(self, label: str, destination: str | None, merge: bool) -> None:
        status = self.work.by_label[label]
        n = self.members_of(label)
        if destination is not None and status.default:
            self.actions.append(
                Action(
                    Act.SET_DEFAULT,
                    Owner.SALESFORCE,
                    destination,
                    record_id=self.work.by_label[destination].record_id,
                    notes=(ActionNote.DEFAULT_MOVES,),
                    reason="default_moves",
                )
            )
            self.work.by_label = {
                lb: s._replace(default=(lb == destination)) for lb, s in self.work.by_label.items()
            }
        # Salesforce keeps one responded status: decided first, since the flag is set (step
        # order) before members move, and whether moved members keep their flag depends on it.
        flag = None
        if status.responded and not [lb for lb in self.work.responded() if lb != label]:
            flag = next((lb for lb in self.kept(label) if self.chan[lb].success), destination)
        coupled = Risk.SAFE
        held = self.members_of(flag) if flag is not None else 0
        flag_risk = Risk.SAFE if held == 0 else Risk.LOSSY
        if destination is not None and (n is None or n > 0):
            after = True if flag == destination else self.work.by_label[destination].responded
            same_flag = status.responded is None or after is None or status.responded == after
            # A near-miss merge keeps the meaning; it is exact only if no member's flag changes,
            # and only if the flag it lands on is set blind too (a lossy flag goes to review: the
            # moved members would land on a status that is not responded yet).
            exact = merge and same_flag and not (flag == destination and flag_risk is Risk.LOSSY)
            move_risk = Risk.EXACT if exact else Risk.LOSSY
            coupled = move_risk
            self.actions.append(
                Action(
                    Act.MOVE_MEMBERS,
                    Owner.SALESFORCE,
                    label,
                    destination,
                    members=n,
                    verify=n is None,
                    notes=(ActionNote.MERGE,) if merge else (ActionNote.MEMBERS_KEEP_HISTORY,),
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
            self.actions.append(
                Action(
                    Act.SET_RESPONDED,
                    Owner.SALESFORCE,
                    flag,
                    members=held,
                    record_id=self.work.by_label[flag].record_id,
                    responded=True,
                    notes=(ActionNote.KEEP_ONE_RESPONDED,),
                    risk=flag_risk,
                    loss=None if held == 0 else Loss.RESPONDERS_GAINED,
                    reason="keep_one_responded",
                )
            )
            self.work.by_label[flag] = self.work.by_label[flag]._replace(responded=True)
        if destination is not None and (n is None or n > 0) and self.work.members is not None:
            moved = self.work.members.pop(label, 0)
            self.work.members[destination] = self.work.members.get(destination, 0) + moved
        self.actions.append(
            Action(
                Act.DELETE,
                Owner.SALESFORCE,
                label,
                target=destination,
                members=0 if n is not None else None,
                verify=n is None,
                record_id=status.record_id,
                notes=(ActionNote.MERGE,) if merge else (),
                # A delete completes its member move and responded flag: it carries their risk.
                risk=coupled,
                reason="merge" if merge else ("members_keep_history" if n != 0 else "unused"),
            )
        )
        self.work.labels.remove(label)
        del self.work.by_label[label]

    def priority(self, diff: Difference) -> tuple[int, int, int]:
        """Near misses first; then the labels that most need a home (default, responded, used)."""
        status = self.work.by_label[diff.label]
        near = diff.near_match is not None and diff.near_match.target in self.chan
        used = self.members_of(diff.label)
        return (0 if near else 1, 0 if status.default else 1, -(used or 0) if used else 0)

    def place(self, diff: Difference) -> bool:
        """Give one blocking label a home: rename, merge, move or delete (False: no home)."""
        label = diff.label
        status = self.work.by_label[label]
        near = diff.near_match.target if diff.near_match is not None else None
        if near is not None and near in self.chan:
            if near not in self.work.labels:
                self.rename(label, near, chosen=False)
            else:
                self.remove(label, near, merge=True)
            return True
        n = self.members_of(label)
        only_responded = bool(status.responded) and not [
            lb for lb in self.work.responded() if lb != label
        ]
        same_kind = self.absent(bool(status.responded))
        candidates = self.kept(label)
        preferred = [
            lb for lb in candidates if bool(self.chan[lb].success) == bool(status.responded)
        ]
        destination = (preferred or candidates)[0] if (preferred or candidates) else None
        if n == 0 and not status.default and not only_responded:
            self.remove(label, None, merge=False)
            return True
        keeps_success = any(self.chan[lb].success for lb in candidates)
        if same_kind and (
            (n is not None and n > 0)
            or destination is None
            or (only_responded and not keeps_success)
        ):
            # Members hold it (or nothing else can take its place): make it the channel status of
            # the same kind that the campaign lacks, so no member is promoted or demoted.
            self.rename(label, same_kind[0], chosen=True)
            return True
        if destination is None:
            any_absent = self.absent()
            if not any_absent:
                return False
            self.rename(label, any_absent[0], chosen=True)
            return True
        self.remove(label, destination, merge=False)
        return True

    def add_missing(self) -> None:
        """Under --strict: add every channel status the campaign still lacks."""
        for name in self.absent():
            _add_status(self.work, self.chan[name], self.actions)


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
            notes=(ActionNote.RESPONDED_FROM_SUCCESS,),
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


def _verify(
    result: PairResult,
    rule: Rule,
    actions: tuple[Action, ...],
    side: ChannelSide | None = None,
) -> bool:
    """Apply the plan's emitted actions to the campaign, run the rule on the result, and check
    Salesforce's own rules (at least one status, a default and a responded status)."""
    assert result.channel is not None and result.campaign is not None
    statuses = _apply(result.campaign.statuses, actions)
    labels = frozenset(s.label for s in statuses)
    ok = syncs(labels, side if side is not None else ChannelSide.of(result.channel), rule)
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
