"""Data Loader files that apply option B, split into what can be applied blind and what a person
must confirm first, with rollback files, field mappings and a runbook.

A pure renderer of the computed result: member IDs come from the read stage (the same rows as
the counts), never from reading a file again.

- Change files hold only exact and safe steps (near-miss renames and merges, deletes of labels a
  members export proves empty, added statuses, a new default). Lossy steps (members moved or renamed
  onto a status of another meaning, a Responded change for members) and guessed mappings go to
  `review-…` files that RUNBOOK.md lists under "confirm first", each row with its reason.
- Every row carries review columns beside the API fields (campaign ID and name, current and new
  label, reason code, risk class); a Data Loader mapping file (`.sdl`) per CSV maps only the API
  fields, so the review columns are never loaded.
- No empty file and no 0-row step is written.

CSV as Data Loader reads it: UTF-8 with a BOM, CRLF, every field quoted so leading and trailing
spaces of labels survive. Labels are byte-exact. Order: inserts, status updates (default,
responded, renames), member moves (which name their destination by its final label), deletes.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from ..explain import shown
from ..i18n import Catalog
from ..model import Campaign, MemberStatus
from ..pipeline import Report
from ..remediate import Act, Action, OptionKey, Plan, Risk
from . import markdown, phrases

UPDATE = "CampaignMemberStatus-update.csv"
DELETE = "CampaignMemberStatus-delete.csv"
INSERT = "CampaignMemberStatus-insert.csv"
MEMBERS = "CampaignMember-update.csv"
ROLLBACK_UPDATE = "rollback-CampaignMemberStatus-update.csv"
ROLLBACK_INSERT = "rollback-CampaignMemberStatus-insert.csv"
ROLLBACK_MEMBERS = "rollback-CampaignMember-update.csv"
RUNBOOK = "RUNBOOK.md"
REVIEW = "review-"
"""Prefix of the files a person confirms first (lossy or guessed steps)."""

REVIEW_COLUMNS = (
    "review_campaign_id",
    "review_campaign_name",
    "review_current_label",
    "review_new_label",
    "review_reason",
    "review_risk",
)
"""Columns beside the API fields, for the person checking the rows; never mapped (see .sdl)."""

_STATUS_FIELDS = ("Label", "IsDefault", "HasResponded")
_INSERT_FIELDS = ("CampaignId", "Label", "HasResponded", "IsDefault", "SortOrder")
_RISK_ORDER = {Risk.EXACT: 0, Risk.SAFE: 1, Risk.LOSSY: 2}


def review_name(name: str) -> str:
    """The review counterpart of a change file name (rollback files keep their prefix first)."""
    if name.startswith("rollback-"):
        return "rollback-" + REVIEW + name.removeprefix("rollback-")
    return REVIEW + name


def mapping_name(name: str) -> str:
    """The Data Loader mapping file of a change file."""
    return name.removesuffix(".csv") + ".sdl"


def possible_names() -> list[str]:
    """Every file name render_changes may write: the CSVs, blind and review, their mappings, and
    the runbook (checked against the inputs before anything is read)."""
    csvs = [UPDATE, DELETE, INSERT, MEMBERS, ROLLBACK_UPDATE, ROLLBACK_INSERT, ROLLBACK_MEMBERS]
    both = [*csvs, *(review_name(n) for n in csvs)]
    return [*both, *(mapping_name(n) for n in both), RUNBOOK]


def _csv(header: Sequence[str], rows: Iterable[Sequence[object]]) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow(["" if v is None else _cell(v) for v in row])
    return buffer.getvalue().encode("utf-8-sig")


def _cell(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _sdl(t: Catalog, name: str, api_fields: Sequence[str]) -> bytes:
    """A Data Loader field mapping: CSV column on the left, Salesforce field on the right."""
    lines = [f"# {t('runbook.sdl_comment', file=name)}"]
    lines += [f"{api}={api}" for api in api_fields]
    return ("\r\n".join(lines) + "\r\n").encode("utf-8")


@dataclass(slots=True)
class _Row:
    """One review-annotated row: API values, then who and why."""

    api: list[object]
    campaign: Campaign
    current: str | None
    new: str | None
    reasons: list[str]
    risk: Risk

    def cells(self) -> list[object]:
        return [
            *self.api,
            self.campaign.campaign_id,
            self.campaign.name,
            self.current,
            self.new,
            "+".join(dict.fromkeys(self.reasons)),
            self.risk.value,
        ]


@dataclass(slots=True)
class _Update:
    campaign: Campaign
    original: MemberStatus
    changes: dict[str, object] = field(default_factory=dict)
    reasons: list[str] = field(default_factory=list)
    risk: Risk = Risk.EXACT


@dataclass(slots=True)
class _Side:
    """The steps of one kind of file set: blind (exact, safe) or review (lossy, guessed)."""

    updates: dict[str, _Update] = field(default_factory=dict)
    inserts: list[_Row] = field(default_factory=list)
    deletes: list[tuple[MemberStatus, _Row]] = field(default_factory=list)
    moves: list[_Row] = field(default_factory=list)
    rollback_moves: list[_Row] = field(default_factory=list)
    moves_without_ids: int = 0
    listed: list[tuple[Campaign, Action, list[str]]] = field(default_factory=list)


@dataclass(slots=True)
class _Changes:
    blind: _Side = field(default_factory=_Side)
    review: _Side = field(default_factory=_Side)
    manual: list[tuple[str, str, str, Plan | None]] = field(default_factory=list)
    """(program, campaign, why code, the plan whose steps are done by hand)."""
    pairs: list[tuple[str, Campaign, Plan]] = field(default_factory=list)


def _worse(a: Risk, b: Risk) -> Risk:
    return a if _RISK_ORDER[a] >= _RISK_ORDER[b] else b


def _collect(report: Report) -> _Changes:
    out = _Changes()
    evidence = report.comparison.members
    member_ids = evidence.member_ids if evidence is not None else {}
    for pair in report.comparison.pairs:
        plan = report.plans.get(pair.index)
        campaign = pair.campaign
        if plan is None or campaign is None:
            continue
        program = pair.program or "—"
        option = plan.option(OptionKey.B)
        if not option.feasible:
            out.manual.append((program, campaign.display, "not_feasible", None))
            continue
        missing_ids = [
            a.label
            for a in option.actions
            if a.act in (Act.RENAME, Act.DELETE, Act.SET_DEFAULT, Act.SET_RESPONDED)
            and a.record_id is None
        ]
        if missing_ids or campaign.campaign_id is None:
            out.manual.append((program, campaign.display, "no_record_ids", plan))
            continue
        out.pairs.append((program, campaign, plan))
        by_label = {s.label: s for s in campaign.statuses}
        renamed: dict[str, str] = {}
        # A delete is applied blind only when its label is proven empty by then: a known 0, or
        # a member move written in full with member IDs. Otherwise Salesforce would refuse it
        # (members hold the label), so a person moves them and confirms the delete.
        moving = {a.label for a in option.actions if a.act is Act.MOVE_MEMBERS}
        emptied = {
            a.label
            for a in option.actions
            if a.act is Act.MOVE_MEMBERS
            and a.members is not None
            and len(member_ids.get((campaign.key, a.label), ())) == a.members
        }
        for action in option.actions:
            held = action.act is Act.DELETE and (
                action.verify or (action.label in moving and action.label not in emptied)
            )
            side = out.review if action.review or held else out.blind
            why = [action.reason, "delete_needs_moves"] if held else [action.reason]
            side.listed.append((campaign, action, why))
            if action.act is Act.ADD_STATUS:
                side.inserts.append(
                    _Row(
                        [
                            campaign.campaign_id,
                            action.label,
                            action.responded,
                            action.default,
                            action.sort_order,
                        ],
                        campaign,
                        None,
                        action.label,
                        [action.reason],
                        action.risk,
                    )
                )
            elif action.act in (Act.SET_DEFAULT, Act.SET_RESPONDED, Act.RENAME):
                assert action.record_id is not None
                original = by_label[renamed.get(action.label, action.label)]
                update = side.updates.setdefault(action.record_id, _Update(campaign, original))
                update.reasons.append(action.reason)
                update.risk = _worse(update.risk, action.risk)
                if action.act is Act.SET_DEFAULT:
                    update.changes["IsDefault"] = True
                elif action.act is Act.SET_RESPONDED:
                    update.changes["HasResponded"] = True
                else:
                    assert action.target is not None
                    update.changes["Label"] = action.target
                    renamed[action.target] = action.label
            elif action.act is Act.MOVE_MEMBERS:
                assert action.target is not None
                found = member_ids.get((campaign.key, action.label), ())
                if not found:
                    side.moves_without_ids += 1
                for member in found:
                    side.moves.append(
                        _Row(
                            [member, action.target],
                            campaign,
                            action.label,
                            action.target,
                            [action.reason],
                            action.risk,
                        )
                    )
                    side.rollback_moves.append(
                        _Row(
                            [member, action.label],
                            campaign,
                            action.target,
                            action.label,
                            [action.reason],
                            action.risk,
                        )
                    )
            elif action.act is Act.DELETE:
                original = by_label[renamed.get(action.label, action.label)]
                side.deletes.append(
                    (
                        original,
                        _Row(
                            [original.record_id],
                            campaign,
                            original.label,
                            None,
                            why,
                            action.risk,
                        ),
                    )
                )
    return out


def _status_columns(updates: Iterable[_Update]) -> list[str]:
    found = list(updates)
    columns = ["Id"]
    for name, attr in (("Label", "label"), ("IsDefault", "default"), ("HasResponded", "responded")):
        if any(name in u.changes or getattr(u.original, attr) is not None for u in found):
            columns.append(name)
    return columns


def _value(status: MemberStatus, name: str) -> object:
    return {"Label": status.label, "IsDefault": status.default, "HasResponded": status.responded}[
        name
    ]


def render_changes(report: Report) -> dict[str, bytes]:
    """Build every change file (name -> bytes): blind files, review files, mappings, runbook."""
    t = Catalog(report.lang)
    changes = _collect(report)
    files: dict[str, bytes] = {}
    steps: dict[str, list[tuple[str, int]]] = {"blind": [], "review": [], "rollback": []}

    def put(name: str, api: Sequence[str], rows: Sequence[_Row], group: str) -> None:
        if not rows:
            return
        files[name] = _csv([*api, *REVIEW_COLUMNS], [r.cells() for r in rows])
        files[mapping_name(name)] = _sdl(t, name, api)
        steps[group].append((name, len(rows)))

    # Field values row by row as they stand at each point: blind files first, then review files.
    # One set of columns for every status update file, forward and rollback.
    columns = _status_columns([*changes.blind.updates.values(), *changes.review.updates.values()])
    blind_after: dict[str, dict[str, object]] = {}
    # (group, record ID) -> the fields before that group's update: what its rollback restores.
    befores: dict[tuple[str, str], dict[str, object]] = {}
    for sides, group in ((changes.blind, "blind"), (changes.review, "review")):
        forward: list[_Row] = []
        for record_id, update in sides.updates.items():
            before = {c: _value(update.original, c) for c in columns[1:]}
            if group == "review":
                before.update(blind_after.get(record_id, {}))
            befores[(group, record_id)] = before
            after = {**before, **{k: v for k, v in update.changes.items() if k in before}}
            if group == "blind":
                blind_after[record_id] = after
            forward.append(
                _Row(
                    [record_id, *after.values()],
                    update.campaign,
                    update.original.label,
                    str(after.get("Label", update.original.label)),
                    update.reasons,
                    update.risk,
                )
            )
        prefix = "" if group == "blind" else REVIEW
        put(prefix + INSERT, _INSERT_FIELDS, sides.inserts, group)
        put(prefix + UPDATE, columns, forward, group)
        put(prefix + MEMBERS, ("Id", "Status"), sides.moves, group)
        put(prefix + DELETE, ("Id",), [row for _, row in sides.deletes], group)
    # Rollback: review files are undone first (back to the state after the blind files).
    for sides, group in ((changes.review, "review"), (changes.blind, "blind")):
        back: list[_Row] = []
        for record_id, update in sides.updates.items():
            before = befores[(group, record_id)]
            back.append(
                _Row(
                    [record_id, *before.values()],
                    update.campaign,
                    str(update.changes.get("Label", update.original.label)),
                    str(before.get("Label", update.original.label)),
                    update.reasons,
                    update.risk,
                )
            )
        reinserts = [
            _Row(
                [
                    row.campaign.campaign_id,
                    status.label,
                    status.responded,
                    status.default,
                    status.sort_order,
                ],
                row.campaign,
                None,
                status.label,
                row.reasons,
                row.risk,
            )
            for status, row in sides.deletes
        ]

        def name(base: str, review: bool = group == "review") -> str:
            return review_name(base) if review else base

        put(name(ROLLBACK_INSERT), _INSERT_FIELDS, reinserts, "rollback")
        put(name(ROLLBACK_UPDATE), columns, back, "rollback")
        put(name(ROLLBACK_MEMBERS), ("Id", "Status"), sides.rollback_moves, "rollback")
    files[RUNBOOK] = _runbook(t, report, changes, steps).encode("utf-8")
    return files


_STEP_KEYS = {
    INSERT: "runbook.step.insert",
    UPDATE: "runbook.step.update",
    MEMBERS: "runbook.step.members",
    DELETE: "runbook.step.delete",
}
_ROLLBACK_KEYS = {
    ROLLBACK_INSERT: "runbook.rollback.insert",
    ROLLBACK_UPDATE: "runbook.rollback.update",
    ROLLBACK_MEMBERS: "runbook.rollback.members",
}


def _base(name: str) -> str:
    return name.replace(REVIEW, "")


def _runbook(
    t: Catalog, report: Report, changes: _Changes, steps: dict[str, list[tuple[str, int]]]
) -> str:
    lines = [
        f"# {t('runbook.title')}",
        "",
        t("runbook.intro", generated_at=t.moment(report.generated_at), version=report.version),
        "",
        f"## {t('runbook.before')}",
        "",
        f"- {t('runbook.backup')}",
        f"- {t('runbook.settings')}",
        f"- {t('runbook.mapping')}",
        f"- {t('runbook.no_excel')}",
        f"- {t('runbook.rename_caveat')}",
        "",
        f"## {t('runbook.order')}",
        "",
    ]
    if steps["blind"]:
        for number, (name, count) in enumerate(steps["blind"], 1):
            lines.append(
                f"{number}. {t(_STEP_KEYS[name], file=name, count=count)} "
                f"{t('runbook.mapping_file', file=mapping_name(name))}"
            )
    elif changes.review.listed:
        lines.append(t("runbook.nothing_blind"))
    else:
        lines.append(t("runbook.nothing_in_files"))
    lines.append("")
    if changes.blind.moves_without_ids:
        lines += [f"> {t('runbook.moves_manual', count=changes.blind.moves_without_ids)}", ""]
    if changes.review.listed:
        lines += [f"## {t('runbook.review')}", "", t("runbook.review_intro"), ""]
        for number, (name, count) in enumerate(steps["review"], 1):
            lines.append(
                f"{number}. {t(_STEP_KEYS[_base(name)], file=name, count=count)} "
                f"{t('runbook.mapping_file', file=mapping_name(name))}"
            )
        if steps["review"]:
            lines.append("")
        if changes.review.moves_without_ids:
            lines += [f"> {t('runbook.moves_manual', count=changes.review.moves_without_ids)}", ""]
        lines += [f"{t('runbook.review_rows')}", ""]
        for campaign, action, codes in changes.review.listed:
            why = t.join([t.opt("review.reason", code) for code in codes])
            risk = t("runbook.risk_why", risk=t(f"risk.{action.risk.value}"), why=_phrase(why))
            lines.append(
                f"- {_md(campaign.display)} (`{campaign.campaign_id}`) — "
                f"{_phrase(phrases.action(t, action))} *{risk}*"
            )
        lines.append("")
    if steps["rollback"]:
        lines += [f"## {t('runbook.rollback')}", ""]
        for number, (name, _count) in enumerate(steps["rollback"], 1):
            lines.append(f"{number}. {t(_ROLLBACK_KEYS[_base(name)], file=name)}")
        inserted = [n for n, _ in steps["blind"] + steps["review"] if _base(n) == INSERT]
        for extra, name in enumerate(inserted, len(steps["rollback"]) + 1):
            lines.append(f"{extra}. {t('runbook.rollback.inserted', file=name)}")
        lines.append("")
    if changes.pairs:
        lines += [f"## {t('runbook.pairs')}", ""]
    for program, campaign, plan in changes.pairs:
        rec = t(f"option.{plan.recommended.value}")
        lines.append(
            f"- {_md(program)} ⇄ {_md(campaign.display)} "
            f"(`{campaign.campaign_id}`) — {t('runbook.recommended', option=rec)}"
        )
        for number, action in enumerate(plan.option(OptionKey.B).actions, 1):
            mark = f" *({t('runbook.confirm_first')})*" if action.review else ""
            lines.append(f"  {number}. {_phrase(phrases.action(t, action))}{mark}")
    if changes.manual:
        lines += ["", f"## {t('runbook.manual')}", ""]
        for program, name, why, manual_plan in changes.manual:
            pair = f"{_md(program)} ⇄ {_md(name)}"
            lines.append(f"- {t('runbook.pair_why', pair=pair, why=t(f'runbook.why.{why}'))}")
            if manual_plan is None:
                continue
            # Without record IDs Data Loader cannot address the statuses: the same steps, by hand.
            lines.append(f"  {t('runbook.by_hand')}")
            for number, action in enumerate(manual_plan.option(OptionKey.B).actions, 1):
                mark = f" *({t('runbook.confirm_first')})*" if action.review else ""
                lines.append(f"  {number}. {_phrase(phrases.action(t, action))}{mark}")
    return "\n".join(lines) + "\n"


def _md(text: str) -> str:
    """A label as Markdown text: invisible characters drawn, then escaped."""
    return markdown.text(shown(text))


def _phrase(text: str) -> str:
    """A sentence as Markdown text: escaped, line breaks drawn (its labels are already drawn,
    and the no-break spaces of French typography are kept as they are)."""
    return markdown.text(text)
