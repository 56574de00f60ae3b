"""Close the ticket: check today's comparison against an earlier JSON report (fix applied?).

Pure: `parse` turns the earlier report's bytes into a Baseline, `check` compares it with today's
computed Comparison. No clock and no console; reading the file is `read`, the only I/O here.

What is checked, per pair of the earlier report (matched to today's pairs by program, channel and
campaign reference, else campaign ID):
- the change of verdict: fixed, still_blocked, still_syncs, broke, new_pair or gone;
- every planned action: the actions of the Data Loader change files when the earlier run wrote
  them (option B of the pairs it covered), otherwise the recommended option's Salesforce and
  Marketo actions: applied, not_applied or applied_differently. Status records are followed by
  their CampaignMemberStatus ID when both exports carry IDs, otherwise by campaign and label;
- unexpected changes: status records added, deleted, renamed or re-flagged (Responded, Default,
  SortOrder) that no planned action explains.
The earlier report is read tolerantly: fields may be added to it (schema version 1 only adds).
"""

from __future__ import annotations

import codecs
import hashlib
import io
import json
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any, BinaryIO, NamedTuple

from .codes import AdvisoryCode
from .errors import InputError, MissingFileError
from .i18n import Catalog
from .model import Act, Advisory, Comparison, Kind, MemberStatus, Owner, PairResult
from .read.sniff import sha256_of

SCHEMA_VERSION = 1
"""The JSON schema version this statusdiff reads (and writes)."""


class BaselineError(InputError):
    """The earlier report cannot be used as a baseline."""


class Change(StrEnum):
    """How a pair's verdict moved since the earlier report."""

    FIXED = "fixed"
    STILL_BLOCKED = "still_blocked"
    STILL_SYNCS = "still_syncs"
    BROKE = "broke"
    NEW_PAIR = "new_pair"
    GONE = "gone"


class State(StrEnum):
    """What became of one planned action."""

    APPLIED = "applied"
    NOT_APPLIED = "not_applied"
    APPLIED_DIFFERENTLY = "applied_differently"


class Edit(StrEnum):
    """An unexpected change to a status record."""

    ADDED = "added"
    DELETED = "deleted"
    RENAMED = "renamed"
    REFLAGGED = "reflagged"


CHECKED = frozenset(
    {
        Act.RENAME,
        Act.DELETE,
        Act.ADD_STATUS,
        Act.SET_DEFAULT,
        Act.SET_RESPONDED,
        Act.MOVE_MEMBERS,
        Act.ADD_CHANNEL_STATUS,
    }
)
"""Actions whose outcome an export shows (syncing another campaign is not a status change).
Act is a StrEnum: the codes read from the earlier JSON compare equal to its members."""
_NEEDS_ID = frozenset({Act.RENAME, Act.DELETE, Act.SET_DEFAULT, Act.SET_RESPONDED})
"""Actions a Data Loader update or delete file can only carry with a record ID."""


class StatusState(NamedTuple):
    """A campaign member status as one export shows it (one per status: a NamedTuple, cheap)."""

    label: str
    record_id: str | None
    responded: bool | None
    default: bool | None
    sort_order: int | None


@dataclass(frozen=True, slots=True)
class Planned:
    """One action the earlier report planned, as its JSON says it."""

    act: str
    owner: str | None
    label: str
    target: str | None = None
    record_id: str | None = None
    members: int | None = None
    responded: bool | None = None
    default: bool | None = None
    sort_order: int | None = None
    step: int | None = None
    success: bool | None = None
    verify: bool = False


@dataclass(frozen=True, slots=True)
class BeforePair:
    """One pair of the earlier report."""

    index: int
    program: str | None
    channel: str
    campaign_ref: str
    campaign_id: str | None
    campaign_name: str | None
    compatible: bool
    problem: str | None
    blocking: int
    statuses: tuple[StatusState, ...]
    """The campaign's statuses as the earlier export held them (matches + Salesforce-only)."""
    planned: tuple[Planned, ...]
    optional: tuple[Planned, ...] = ()
    """Steps written to review files for a pair whose advice was not B: confirmed first, so
    applying them is expected, and leaving them out is no failure."""


@dataclass(frozen=True, slots=True)
class Baseline:
    """The earlier report, as much of it as the check needs."""

    file: str
    sha256: str
    generated_at: str | None
    tool_version: str | None
    rule: str | None
    changes_written: bool
    pairs: tuple[BeforePair, ...]


@dataclass(frozen=True, slots=True)
class ActionCheck:
    """One planned action and what today's exports show of it."""

    action: Planned
    state: State
    found: str | None = None
    """The label the acted-on record holds today (None when it is gone or was never there)."""
    detail: str = ""
    """Catalogue code of why (closing.detail.*); empty when applied as planned."""


@dataclass(frozen=True, slots=True)
class Unexpected:
    """A change to a status record that no planned action explains."""

    change: Edit
    before: StatusState | None
    after: StatusState | None

    @property
    def record_id(self) -> str | None:
        """The record's ID, from whichever side knows it."""
        for side in (self.after, self.before):
            if side is not None and side.record_id is not None:
                return side.record_id
        return None


@dataclass(frozen=True, slots=True)
class PairCheck:
    """One pair then and now."""

    change: Change
    before: BeforePair | None
    now: PairResult | None
    actions: tuple[ActionCheck, ...] = ()
    unexpected: tuple[Unexpected, ...] = ()


@dataclass(frozen=True, slots=True)
class BaselineCheck:
    """Everything the check found, for every renderer."""

    baseline: Baseline
    pairs: Mapping[int, PairCheck]
    """Today's pair index -> its check."""
    gone: tuple[PairCheck, ...]
    """Pairs of the earlier report that today's run does not hold."""
    planned: int
    applied: int
    not_applied: int
    applied_differently: int
    unexpected: int
    """Distinct unexpected changes (a campaign shared by two pairs counts once)."""
    now_compatible: int
    now_pairs: int
    notes: tuple[Advisory, ...] = field(default_factory=tuple)

    @property
    def failed(self) -> bool:
        """Whether a planned action was not applied, or applied differently (exit code 1)."""
        return bool(self.not_applied or self.applied_differently)

    @property
    def changes(self) -> dict[str, int]:
        """Pairs per change word, every word present (today's pairs and gone ones)."""
        out = dict.fromkeys((c.value for c in Change), 0)
        for check in (*self.pairs.values(), *self.gone):
            out[check.change.value] += 1
        return out


# ------------------------------------------------------------------------------------------------
# Reading the earlier report
# ------------------------------------------------------------------------------------------------


def read(path: str, lang: str = "en") -> Baseline:
    """Read an earlier JSON report of statusdiff; one clear error for anything else."""
    t = Catalog(lang)
    file = Path(path)
    if not file.is_file():
        raise MissingFileError(t("baseline.error.missing"), file=path, hint=t("baseline.hint.json"))
    digest = sha256_of(file)
    # NOTE: read again as a stream, so a big report never sits in memory whole (see _streamed).
    with file.open("rb") as handle:
        return _parse(handle, path, digest, lang)


class _NotJson(Exception):
    """A pair line of a streamed report is not JSON."""


_STREAMED = b',"pairs":['
"""How the first line of a big (streamed, one pair per line) JSON report ends."""


def _streamed(stream: BinaryIO) -> tuple[Any, Iterator[Any]] | None:
    """A big report read one pair line at a time (memory stays flat), or None for another layout."""
    first = stream.readline().rstrip(b"\r\n")
    if first.startswith(codecs.BOM_UTF8):
        first = first[len(codecs.BOM_UTF8) :]
    if not (first.startswith(b"{") and first.endswith(_STREAMED)):
        return None
    head = json.loads(first[: -len(_STREAMED)] + b"}")

    def pairs() -> Iterator[Any]:
        for line in stream:
            text = line.strip()
            if text.startswith(b"]"):
                return
            if text.startswith(b","):
                text = text[1:]
            if text:
                try:
                    yield json.loads(text)
                except ValueError:
                    raise _NotJson from None
        raise _NotJson

    return head, pairs()


def parse(data: bytes, file: str, lang: str = "en") -> Baseline:
    """Turn the bytes of an earlier report into a Baseline (BaselineError when it is not one)."""
    return _parse(io.BytesIO(data), file, hashlib.sha256(data).hexdigest(), lang)


def _parse(stream: BinaryIO, file: str, sha256: str, lang: str) -> Baseline:
    t = Catalog(lang)

    def fail(key: str, hint: str = "baseline.hint.json", **params: Any) -> BaselineError:
        return BaselineError(t(key, **params), file=file, hint=t(hint))

    pairs: Iterator[Any] | None = None
    try:
        streamed = _streamed(stream)
        if streamed is not None:
            doc, pairs = streamed
        else:
            stream.seek(0)
            doc = json.loads(stream.read().decode("utf-8-sig"))
            listed = doc.get("pairs") if isinstance(doc, dict) else None
            pairs = iter(listed) if isinstance(listed, list) else None
    except (UnicodeDecodeError, ValueError):
        raise fail("baseline.error.not_json") from None
    tool = doc.get("tool") if isinstance(doc, dict) else None
    if not isinstance(tool, dict) or tool.get("name") != "statusdiff":
        raise fail("baseline.error.not_statusdiff")
    version = doc.get("schema_version")
    if version != SCHEMA_VERSION:
        raise fail(
            "baseline.error.schema",
            "baseline.hint.schema",
            version=str(version),
            supported=str(SCHEMA_VERSION),
        )
    if pairs is None:
        raise fail("baseline.error.not_statusdiff")
    options = doc.get("options")
    changes_written = isinstance(options, dict) and bool(options.get("changes"))
    before: list[BeforePair] = []
    try:
        for pair in pairs:
            before.append(_pair(pair, len(before), changes_written))
    except _NotJson:
        raise fail("baseline.error.not_json") from None
    except (KeyError, TypeError, ValueError, AttributeError):
        raise fail("baseline.error.pair", number=str(len(before))) from None
    return Baseline(
        file=file,
        sha256=sha256,
        generated_at=_text(doc.get("generated_at")),
        tool_version=_text(tool.get("version")),
        rule=_text(doc.get("rule")),
        changes_written=changes_written,
        pairs=tuple(before),
    )


def _text(value: object) -> str | None:
    return value if isinstance(value, str) else None


def _bool(value: object) -> bool | None:
    return value if isinstance(value, bool) else None


def _int(value: object) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _status(label: object, side: Mapping[str, Any]) -> StatusState:
    if not isinstance(label, str):
        raise TypeError("label")
    return StatusState(
        label,
        _text(side.get("record_id")),
        _bool(side.get("responded")),
        _bool(side.get("default")),
        _int(side.get("sort_order")),
    )


def _planned(action: Mapping[str, Any]) -> Planned:
    label = action["label"]
    if not isinstance(label, str) or not isinstance(action["act"], str):
        raise TypeError("action")
    act = action["act"]
    if act == Act.USE_CHANNEL_STATUS:
        # Option C's rename of a Salesforce label onto the channel's own spelling: a rename.
        act = Act.RENAME
    return Planned(
        act=act,
        owner=_text(action.get("owner")),
        label=label,
        target=_text(action.get("target")),
        record_id=_text(action.get("record_id")),
        members=_int(action.get("members")),
        responded=_bool(action.get("responded")),
        default=_bool(action.get("default")),
        sort_order=_int(action.get("sort_order")),
        step=_int(action.get("step")),
        success=_bool(action.get("success")),
        verify=action.get("verify") is True,
    )


def _options(remediation: Mapping[str, Any]) -> dict[str, Mapping[str, Any]]:
    return {o["key"]: o for o in remediation.get("options") or [] if isinstance(o, dict)}


def _step_key(action: Planned) -> tuple[str, str, str | None, str | None]:
    return (action.act, action.label, action.target, action.record_id)


def _plan_of(
    pair: Mapping[str, Any], changes_written: bool
) -> tuple[tuple[Planned, ...], tuple[Planned, ...]]:
    """The actions the earlier run planned for a pair (see the module's docstring), and the
    optional ones (review-file steps of a pair whose advice was not B)."""
    remediation = pair.get("remediation")
    if not isinstance(remediation, dict):
        return (), ()
    options = _options(remediation)
    fix_b = options.get("B")
    recommended = str(remediation.get("recommended"))
    chosen = options.get(recommended)
    from_chosen = [_planned(x) for x in (chosen or {}).get("actions") or []]
    if changes_written and fix_b is not None and fix_b.get("feasible") is True:
        raw = [a for a in fix_b.get("actions") or [] if isinstance(a, dict)]
        actions = [_planned(a) for a in raw]
        in_files = pair.get("campaign_id") is not None and not any(
            a.act in _NEEDS_ID and a.record_id is None for a in actions
        )
        if in_files:
            if recommended == "B":
                return tuple(a for a in actions if a.act in CHECKED), ()
            # B is not the advice: its blind steps were meant to be applied, its review steps
            # only if someone confirmed them; then the recommended option's steps.
            blind = [
                a
                for x, a in zip(raw, actions, strict=True)
                if x.get("review") is not True and a.act in CHECKED
            ]
            review = [
                a
                for x, a in zip(raw, actions, strict=True)
                if x.get("review") is True and a.act in CHECKED
            ]
            # The advice may repeat a blind step (option C renames a look-alike label the same
            # way B does): one step, counted once.
            steps = {_step_key(a): a for a in blind + [a for a in from_chosen if a.act in CHECKED]}
            return tuple(steps.values()), tuple(review)
    return tuple(a for a in from_chosen if a.act in CHECKED), ()


def _pair(pair: Mapping[str, Any], number: int, changes_written: bool) -> BeforePair:
    planned, optional = _plan_of(pair, changes_written)
    statuses = [_status(m["label"], m) for m in pair.get("matches") or []]
    for diff in pair.get("differences") or []:
        side = diff.get("salesforce")
        if diff.get("kind") == Kind.SALESFORCE_ONLY.value and isinstance(side, dict):
            statuses.append(_status(diff["label"], side))
    index = _int(pair.get("index"))
    compatible = pair["compatible"]
    channel = pair["channel"]
    if not isinstance(compatible, bool) or not isinstance(channel, str):
        raise TypeError("pair")
    return BeforePair(
        index=number + 1 if index is None else index,
        program=_text(pair.get("program")),
        channel=channel,
        campaign_ref=str(pair.get("campaign_ref") or ""),
        campaign_id=_text(pair.get("campaign_id")),
        campaign_name=_text(pair.get("campaign_name")),
        compatible=compatible,
        problem=_text(pair.get("problem")),
        blocking=_int(pair.get("blocking")) or 0,
        statuses=tuple(statuses),
        planned=planned,
        optional=optional,
    )


# ------------------------------------------------------------------------------------------------
# The check
# ------------------------------------------------------------------------------------------------


def _state(status: MemberStatus) -> StatusState:
    return StatusState(
        status.label, status.record_id, status.responded, status.default, status.sort_order
    )


@dataclass(slots=True)
class _Trace:
    """Each earlier status record and the record it is today (None: deleted)."""

    before: list[StatusState]
    now: list[StatusState]
    by_id: bool
    twin: dict[int, int | None]
    """Index in `before` -> index in `now`."""

    def now_of(self, label: str, record_id: str | None) -> StatusState | None:
        """Today's record of an earlier one (by ID, else by its earlier label)."""
        for i, status in enumerate(self.before):
            if (self.by_id and record_id is not None and status.record_id == record_id) or (
                not (self.by_id and record_id is not None) and status.label == label
            ):
                j = self.twin.get(i)
                return None if j is None else self.now[j]
        return None

    def labelled(self, label: str) -> StatusState | None:
        """Today's record with a label."""
        return next((s for s in self.now if s.label == label), None)

    def added(self) -> list[StatusState]:
        """Today's records that were not there before."""
        taken = {j for j in self.twin.values() if j is not None}
        return [s for j, s in enumerate(self.now) if j not in taken]


def _trace(
    before: Sequence[StatusState], now: Sequence[StatusState], plan: Sequence[Planned]
) -> _Trace:
    by_id = (
        bool(before)
        and bool(now)
        and all(s.record_id for s in before)
        and all(s.record_id for s in now)
    )
    twin: dict[int, int | None] = {}
    if by_id:
        where = {s.record_id: j for j, s in enumerate(now)}
        for i, status in enumerate(before):
            twin[i] = where.get(status.record_id)
        return _Trace(list(before), list(now), True, twin)
    # Without IDs a record is its label; a planned rename is followed to its target (or, when
    # neither label is there today, to the one new label most like the target).
    where_label: dict[str, int] = {}
    for j, s in enumerate(now):
        where_label.setdefault(s.label, j)
    before_labels = {s.label for s in before}
    taken: set[int] = set()
    for i, status in enumerate(before):
        same = where_label.get(status.label)
        twin[i] = same
        if same is not None:
            taken.add(same)
    renames = {a.label: a.target for a in plan if a.act == Act.RENAME and a.target is not None}
    planned_new = {a.label for a in plan if a.act == Act.ADD_STATUS} | set(renames.values())
    for i, status in enumerate(before):
        target = renames.get(status.label)
        if twin[i] is not None or target is None:
            continue
        hit = where_label.get(target)
        if hit is not None and hit not in taken and target not in before_labels:
            twin[i] = hit
            taken.add(hit)
            continue
        fresh = [
            k
            for k, s in enumerate(now)
            if k not in taken and s.label not in before_labels and s.label not in planned_new
        ]
        if fresh:
            best = max(fresh, key=lambda k: _likeness(now[k].label, target))
            twin[i] = best
            taken.add(best)
    return _Trace(list(before), list(now), False, twin)


def _likeness(a: str, b: str) -> float:
    from rapidfuzz.fuzz import ratio

    return float(ratio(a.casefold(), b.casefold()))


def _check_action(action: Planned, trace: _Trace, now: PairResult) -> ActionCheck:
    act = action.act
    if act == Act.ADD_CHANNEL_STATUS:
        channel = now.channel
        held = channel is not None and any(s.name == action.label for s in channel.statuses)
        if held:
            return ActionCheck(action, State.APPLIED, action.label)
        return ActionCheck(action, State.NOT_APPLIED, None, "channel_lacks")
    if now.campaign is None:
        return ActionCheck(action, State.NOT_APPLIED, None, "campaign_gone")
    if act == Act.RENAME:
        current = trace.now_of(action.label, action.record_id)
        if current is None:
            if trace.labelled(action.target or "") is not None and not trace.by_id:
                return ActionCheck(action, State.APPLIED, action.target)
            return ActionCheck(action, State.APPLIED_DIFFERENTLY, None, "deleted_instead")
        if current.label == action.target:
            return ActionCheck(action, State.APPLIED, current.label)
        if current.label == action.label:
            return ActionCheck(action, State.NOT_APPLIED, current.label, "still_there")
        return ActionCheck(action, State.APPLIED_DIFFERENTLY, current.label, "renamed_to")
    if act == Act.DELETE:
        current = trace.now_of(action.label, action.record_id)
        if current is None:
            return ActionCheck(action, State.APPLIED)
        if current.label == action.label:
            return ActionCheck(action, State.NOT_APPLIED, current.label, "still_there")
        return ActionCheck(action, State.APPLIED_DIFFERENTLY, current.label, "renamed_to")
    if act == Act.ADD_STATUS:
        current = trace.labelled(action.label)
        if current is None:
            return ActionCheck(action, State.NOT_APPLIED, None, "missing")
        if (
            action.responded is not None
            and current.responded is not None
            and current.responded != action.responded
        ):
            return ActionCheck(
                action, State.APPLIED_DIFFERENTLY, current.label, "responded_differs"
            )
        return ActionCheck(action, State.APPLIED, current.label)
    if act in (Act.SET_DEFAULT, Act.SET_RESPONDED):
        flag = "default" if act == Act.SET_DEFAULT else "responded"
        current = (
            trace.now_of(action.label, action.record_id)
            if trace.by_id and action.record_id is not None
            else trace.labelled(action.label)
        )
        if current is not None and getattr(current, flag) is True:
            return ActionCheck(action, State.APPLIED, current.label)
        found = current.label if current is not None else None
        if act == Act.SET_DEFAULT:
            earlier = [s for s in trace.before if s.default]
            elsewhere = [s for s in trace.now if s.default and s is not current]
            was = {trace.now_of(s.label, s.record_id) for s in earlier} - {None}
            moved = [s for s in elsewhere if s not in was]
            if moved:
                return ActionCheck(
                    action, State.APPLIED_DIFFERENTLY, moved[0].label, "default_elsewhere"
                )
        if current is None:
            return ActionCheck(action, State.NOT_APPLIED, None, "missing")
        return ActionCheck(action, State.NOT_APPLIED, found, "flag_unchanged")
    # move_members: done when the source status is gone, or a members export shows it empty.
    current = trace.now_of(action.label, None)
    if current is None or current.label != action.label:
        return ActionCheck(action, State.APPLIED)
    holding = (now.members_by_label or {}).get(action.label)
    if holding == 0:
        return ActionCheck(action, State.APPLIED, current.label)
    return ActionCheck(
        action,
        State.NOT_APPLIED,
        current.label,
        "members_remain" if holding is not None else "members_unknown",
    )


def _raw_changes(trace: _Trace) -> list[Unexpected]:
    out: list[Unexpected] = []
    for i, status in enumerate(trace.before):
        j = trace.twin.get(i)
        if j is None:
            out.append(Unexpected(Edit.DELETED, status, None))
            continue
        after = trace.now[j]
        if after.label != status.label:
            out.append(Unexpected(Edit.RENAMED, status, after))
        if any(
            getattr(status, name) is not None
            and getattr(after, name) is not None
            and getattr(status, name) != getattr(after, name)
            for name in ("responded", "default", "sort_order")
        ):
            out.append(Unexpected(Edit.REFLAGGED, status, after))
    out.extend(Unexpected(Edit.ADDED, None, s) for s in trace.added())
    return out


def _concerns(action: Planned, status: StatusState, by_id: bool) -> bool:
    """Whether a planned action was about an earlier status record."""
    if by_id and action.record_id is not None:
        return action.record_id == status.record_id
    return action.label == status.label


def _explained(item: Unexpected, plan: Sequence[Planned], by_id: bool) -> bool:
    before, after = item.before, item.after
    if item.change is Edit.ADDED:
        assert after is not None
        return any(
            a.act in (Act.ADD_STATUS, Act.RENAME)
            and (a.label if a.act == Act.ADD_STATUS else a.target) == after.label
            for a in plan
        )
    assert before is not None
    if item.change in (Edit.DELETED, Edit.RENAMED):
        return any(a.act in (Act.RENAME, Act.DELETE) and _concerns(a, before, by_id) for a in plan)
    assert after is not None
    unexplained = []
    if (
        before.default is not None
        and after.default is not None
        and before.default != after.default
        and not any(a.act == Act.SET_DEFAULT for a in plan)
    ):
        unexplained.append("default")
    if (
        before.responded is not None
        and after.responded is not None
        and before.responded != after.responded
        and not any(
            a.act == Act.SET_RESPONDED and (_concerns(a, before, by_id) or a.label == after.label)
            for a in plan
        )
    ):
        unexplained.append("responded")
    if (
        before.sort_order is not None
        and after.sort_order is not None
        and before.sort_order != after.sort_order
    ):
        unexplained.append("sort_order")
    return not unexplained


def _key(program: str | None, channel: str, ref: str) -> tuple[str | None, str, str]:
    return (program, channel, ref)


def _change(before: BeforePair, now: PairResult) -> Change:
    if before.compatible:
        return Change.STILL_SYNCS if now.compatible else Change.BROKE
    return Change.FIXED if now.compatible else Change.STILL_BLOCKED


def _campaign_key(pair: BeforePair) -> str:
    return pair.campaign_id or f"ref:{pair.campaign_ref}"


def check(baseline: Baseline, comparison: Comparison, lang: str = "en") -> BaselineCheck:
    """Compare an earlier report with today's comparison."""
    t = Catalog(lang)
    by_ref: dict[tuple[str | None, str, str], list[BeforePair]] = {}
    by_id: dict[tuple[str | None, str, str], list[BeforePair]] = {}
    for old in baseline.pairs:
        by_ref.setdefault(_key(old.program, old.channel, old.campaign_ref), []).append(old)
        if old.campaign_id is not None:
            by_id.setdefault(_key(old.program, old.channel, old.campaign_id), []).append(old)
    used: set[int] = set()

    def take(candidates: list[BeforePair] | None) -> BeforePair | None:
        for candidate in candidates or []:
            if id(candidate) not in used:
                used.add(id(candidate))
                return candidate
        return None

    matched: dict[int, BeforePair | None] = {}
    for now in comparison.pairs:
        found = take(by_ref.get(_key(now.program, now.channel_name, now.campaign_ref)))
        if found is None and now.campaign is not None and now.campaign.campaign_id is not None:
            found = take(by_id.get(_key(now.program, now.channel_name, now.campaign.campaign_id)))
        matched[now.index] = found
    # The matrix (no pairing) pairs each campaign with its closest channel, which a fix may
    # change: a campaign left unmatched is then followed by itself.
    loose: dict[str, list[BeforePair]] = {}
    for old in baseline.pairs:
        if old.program is None and id(old) not in used:
            loose.setdefault(old.campaign_ref, []).append(old)
    for now in comparison.pairs:
        if matched[now.index] is None and now.program is None:
            matched[now.index] = take(loose.get(now.campaign_ref))
    if baseline.pairs and comparison.pairs and not any(matched.values()):
        raise BaselineError(
            t("baseline.error.foreign"), file=baseline.file, hint=t("baseline.hint.foreign")
        )
    # Planned actions explain changes on their campaign, whichever pair planned them.
    plans_by_campaign: dict[str, list[Planned]] = {}
    for earlier in baseline.pairs:
        plans_by_campaign.setdefault(_campaign_key(earlier), []).extend(
            (*earlier.planned, *earlier.optional)
        )
    checks: dict[int, PairCheck] = {}
    seen_unexpected: set[tuple[str, Edit, StatusState | None, StatusState | None]] = set()
    for now in comparison.pairs:
        before = matched[now.index]
        if before is None:
            checks[now.index] = PairCheck(Change.NEW_PAIR, None, now)
            continue
        plan = before.planned
        explaining = plans_by_campaign.get(_campaign_key(before), list(plan))
        today = [_state(s) for s in now.campaign.statuses] if now.campaign is not None else []
        if (
            not explaining
            and len(today) == len(before.statuses)
            and set(today) == set(before.statuses)
        ):
            # Nothing planned and nothing changed: most pairs of a big run.
            checks[now.index] = PairCheck(_change(before, now), before, now)
            continue
        trace = _trace(before.statuses, today, explaining)
        actions = tuple(_check_action(a, trace, now) for a in plan)
        # Review steps someone confirmed and applied count as planned and applied; the fix then
        # went through Salesforce, and the channel edits of the advice are no longer owed.
        confirmed = tuple(
            c
            for c in (_check_action(a, trace, now) for a in before.optional)
            if c.state is State.APPLIED
        )
        if confirmed:
            actions = tuple(
                c for c in actions if c.action.owner != Owner.MARKETO or c.state is State.APPLIED
            )
        actions += confirmed
        unexpected: tuple[Unexpected, ...] = ()
        if before.statuses and now.campaign is not None:
            unexpected = tuple(
                u for u in _raw_changes(trace) if not _explained(u, explaining, trace.by_id)
            )
        for item in unexpected:
            seen_unexpected.add((_campaign_key(before), item.change, item.before, item.after))
        checks[now.index] = PairCheck(_change(before, now), before, now, actions, unexpected)
    gone = tuple(PairCheck(Change.GONE, b, None) for b in baseline.pairs if id(b) not in used)
    states = [a.state for c in checks.values() for a in c.actions]
    summary = comparison.summary
    return BaselineCheck(
        baseline=baseline,
        pairs=checks,
        gone=gone,
        planned=len(states),
        applied=states.count(State.APPLIED),
        not_applied=states.count(State.NOT_APPLIED),
        applied_differently=states.count(State.APPLIED_DIFFERENTLY),
        unexpected=len(seen_unexpected),
        now_compatible=summary.compatible,
        now_pairs=summary.pairs,
        notes=tuple(_notes(baseline, comparison)),
    )


def _notes(baseline: Baseline, comparison: Comparison) -> Iterable[Advisory]:
    """What makes the two runs less comparable: channels gone by name, another rule."""
    today = {c.name for c in comparison.channels}
    earlier = sorted({p.channel for p in baseline.pairs if p.problem != "unknown_channel"})
    for name in earlier:
        if name not in today:
            yield Advisory(AdvisoryCode.BASELINE_CHANNEL_GONE, name, (("channel", name),))
    if baseline.rule is not None and baseline.rule != comparison.rule.value:
        yield Advisory(
            AdvisoryCode.BASELINE_RULE_DIFFERS,
            None,
            (("before", baseline.rule), ("now", comparison.rule.value)),
        )


read_baseline = read
"""Library name of `read` (statusdiff.read_baseline)."""
check_baseline = check
"""Library name of `check` (statusdiff.check_baseline)."""
