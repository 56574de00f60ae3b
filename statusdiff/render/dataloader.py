"""Data Loader files that apply option B to every blocked pair, a runbook, and rollback files.

CSV as Data Loader maps them automatically (API field names), UTF-8 with a BOM, CRLF line ends,
every field quoted so leading and trailing spaces of labels survive. Labels are byte-exact.
Order of operations: inserts, status updates (default, responded, renames), member moves (which
name their destination by its final label), deletes.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from ..comparison import PairResult
from ..explain import shown
from ..i18n import Catalog
from ..model import MemberStatus
from ..pipeline import Report
from ..read import member_ids
from ..remediate import Act, OptionKey, Plan

UPDATE = "CampaignMemberStatus-update.csv"
DELETE = "CampaignMemberStatus-delete.csv"
INSERT = "CampaignMemberStatus-insert.csv"
MEMBERS = "CampaignMember-update.csv"
ROLLBACK_UPDATE = "rollback-CampaignMemberStatus-update.csv"
ROLLBACK_INSERT = "rollback-CampaignMemberStatus-insert.csv"
ROLLBACK_MEMBERS = "rollback-CampaignMember-update.csv"
RUNBOOK = "RUNBOOK.md"


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


@dataclass(slots=True)
class _Changes:
    updates: dict[str, dict[str, object]] = field(default_factory=dict)
    originals: dict[str, MemberStatus] = field(default_factory=dict)
    inserts: list[tuple[str, str, bool | None, bool | None, int | None]] = field(
        default_factory=list
    )
    deletes: list[MemberStatus] = field(default_factory=list)
    moves: list[tuple[str, str, str, int | None]] = field(default_factory=list)
    """(campaign key, from label, to label, members)."""
    manual: list[tuple[PairResult, str]] = field(default_factory=list)
    pairs: list[tuple[PairResult, Plan]] = field(default_factory=list)


def _collect(report: Report) -> _Changes:
    out = _Changes()
    for pair in report.comparison.pairs:
        plan = report.plans.get(pair.index)
        if plan is None or pair.campaign is None:
            continue
        option = plan.option(OptionKey.B)
        if not option.feasible:
            out.manual.append((pair, "not_feasible"))
            continue
        by_label = {s.label: s for s in pair.campaign.statuses}
        missing_ids = [
            a.label
            for a in option.actions
            if a.act in (Act.RENAME, Act.DELETE, Act.SET_DEFAULT, Act.SET_RESPONDED)
            and a.record_id is None
        ]
        if missing_ids or pair.campaign.campaign_id is None:
            out.manual.append((pair, "no_record_ids"))
            continue
        out.pairs.append((pair, plan))
        renamed: dict[str, str] = {}
        for action in option.actions:
            if action.act is Act.ADD_STATUS:
                out.inserts.append(
                    (
                        pair.campaign.campaign_id,
                        action.label,
                        action.responded,
                        action.default,
                        action.sort_order,
                    )
                )
            elif action.act in (Act.SET_DEFAULT, Act.SET_RESPONDED, Act.RENAME):
                assert action.record_id is not None
                original = _original(by_label, renamed, action.label)
                out.originals.setdefault(action.record_id, original)
                row = out.updates.setdefault(action.record_id, {})
                if action.act is Act.SET_DEFAULT:
                    row["IsDefault"] = True
                elif action.act is Act.SET_RESPONDED:
                    row["HasResponded"] = True
                else:
                    assert action.target is not None
                    row["Label"] = action.target
                    renamed[action.target] = action.label
            elif action.act is Act.MOVE_MEMBERS:
                assert action.target is not None
                out.moves.append((pair.campaign.key, action.label, action.target, action.members))
            elif action.act is Act.DELETE:
                out.deletes.append(_original(by_label, renamed, action.label))
    return out


def _original(
    by_label: dict[str, MemberStatus], renamed: dict[str, str], label: str
) -> MemberStatus:
    return by_label[renamed.get(label, label)]


def render_changes(report: Report, *, members_file: str | None = None) -> dict[str, bytes]:
    """Build every change file (name -> bytes); member moves need a members export with IDs."""
    t = Catalog(report.lang)
    changes = _collect(report)
    files: dict[str, bytes] = {}
    has_label = any(s.label is not None for s in changes.originals.values())
    has_default = any(s.default is not None for s in changes.originals.values())
    has_responded = any(s.responded is not None for s in changes.originals.values())
    columns = ["Id"]
    if has_label:
        columns.append("Label")
    if has_default or any("IsDefault" in r for r in changes.updates.values()):
        columns.append("IsDefault")
    if has_responded or any("HasResponded" in r for r in changes.updates.values()):
        columns.append("HasResponded")

    def current(record_id: str, name: str) -> object:
        original = changes.originals[record_id]
        return {
            "Label": original.label,
            "IsDefault": original.default,
            "HasResponded": original.responded,
        }[name]

    update_rows = []
    rollback_rows = []
    for record_id, row in changes.updates.items():
        update_rows.append([record_id, *[row.get(c, current(record_id, c)) for c in columns[1:]]])
        rollback_rows.append([record_id, *[current(record_id, c) for c in columns[1:]]])
    # A status that lost the default because another became default: its rollback restores it.
    files[UPDATE] = _csv(columns, update_rows)
    files[DELETE] = _csv(["Id"], [[s.record_id] for s in changes.deletes])
    files[INSERT] = _csv(
        ["CampaignId", "Label", "HasResponded", "IsDefault", "SortOrder"], changes.inserts
    )
    files[ROLLBACK_UPDATE] = _csv(columns, rollback_rows)
    deleted_keys = {s.record_id for s in changes.deletes}
    campaign_of = {
        s.record_id: pair.campaign.campaign_id
        for pair, _ in changes.pairs
        if pair.campaign is not None
        for s in pair.campaign.statuses
    }
    files[ROLLBACK_INSERT] = _csv(
        ["CampaignId", "Label", "HasResponded", "IsDefault", "SortOrder"],
        [
            [campaign_of.get(s.record_id), s.label, s.responded, s.default, s.sort_order]
            for s in changes.deletes
            if s.record_id in deleted_keys
        ],
    )
    member_rows: list[list[object]] = []
    member_rollback: list[list[object]] = []
    moves_without_ids = 0
    if changes.moves:
        wanted = {(key, source) for key, source, _, _ in changes.moves}
        found = member_ids(members_file, wanted) if members_file else {}
        for key, source, target, _ in changes.moves:
            found_ids = found.get((key, source), [])
            if not found_ids:
                moves_without_ids += 1
            for member in found_ids:
                member_rows.append([member, target])
                member_rollback.append([member, source])
    files[MEMBERS] = _csv(["Id", "Status"], member_rows)
    files[ROLLBACK_MEMBERS] = _csv(["Id", "Status"], member_rollback)
    files[RUNBOOK] = _runbook(
        t, report, changes, len(update_rows), len(member_rows), moves_without_ids
    ).encode("utf-8")
    return files


def _runbook(
    t: Catalog,
    report: Report,
    changes: _Changes,
    updates: int,
    member_updates: int,
    moves_without_ids: int,
) -> str:
    lines = [
        f"# {t('runbook.title')}",
        "",
        t("runbook.intro", generated_at=report.generated_at, version=report.version),
        "",
        f"## {t('runbook.before')}",
        "",
        f"- {t('runbook.backup')}",
        f"- {t('runbook.settings')}",
        f"- {t('runbook.no_excel')}",
        f"- {t('runbook.rename_caveat')}",
        "",
        f"## {t('runbook.order')}",
        "",
        f"1. {t('runbook.step.insert', file=INSERT, count=len(changes.inserts))}",
        f"2. {t('runbook.step.update', file=UPDATE, count=updates)}",
        f"3. {t('runbook.step.members', file=MEMBERS, count=member_updates)}",
        f"4. {t('runbook.step.delete', file=DELETE, count=len(changes.deletes))}",
        "",
    ]
    if moves_without_ids:
        lines += [f"> {t('runbook.moves_manual', count=moves_without_ids)}", ""]
    lines += [
        f"## {t('runbook.rollback')}",
        "",
        f"1. {t('runbook.rollback.insert', file=ROLLBACK_INSERT)}",
        f"2. {t('runbook.rollback.update', file=ROLLBACK_UPDATE)}",
        f"3. {t('runbook.rollback.members', file=ROLLBACK_MEMBERS)}",
        f"4. {t('runbook.rollback.inserted', file=INSERT)}",
        "",
        f"## {t('runbook.pairs')}",
        "",
    ]
    for pair, plan in changes.pairs:
        assert pair.campaign is not None
        rec = t(f"option.{plan.recommended.value}")
        lines.append(
            f"- {_md(pair.program or '—')} ⇄ {_md(pair.campaign.display)} "
            f"(`{pair.campaign.campaign_id}`) — {t('runbook.recommended', option=rec)}"
        )
        for number, action in enumerate(plan.option(OptionKey.B).actions, 1):
            from .phrases import action as say

            lines.append(f"  {number}. {_md(say(t, action))}")
    if changes.manual:
        lines += ["", f"## {t('runbook.manual')}", ""]
        for pair, why in changes.manual:
            name = pair.campaign.display if pair.campaign else pair.campaign_ref
            lines.append(f"- {_md(pair.program or '—')} ⇄ {_md(name)}: {t(f'runbook.why.{why}')}")
    return "\n".join(lines) + "\n"


def _md(text: str) -> str:
    out = shown(text)
    for ch in "\\`*_[]<>|":
        out = out.replace(ch, "\\" + ch)
    return out
