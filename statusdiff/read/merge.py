"""Several files of one role read as one: statuses split by business unit or by the row limit,
channels from several REST pages, members from several exports.

The same record in two files is counted once, with a note. The same record with different content
in two files is an error that names both places: one of the exports is stale, and guessing which
would put a wrong label into a plan.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import replace

from ..codes import AdvisoryCode
from ..errors import InputError
from ..i18n import phrase
from ..model import Advisory, Campaign, CampaignInfo, Channel, MemberCounts, MemberStatus, Pairing
from . import Loaded


def channels(parts: Sequence[Loaded[list[Channel]]]) -> tuple[list[Channel], list[Advisory]]:
    """Channels of every file; a name seen again is skipped with a note (the first is used)."""
    out: list[Channel] = []
    notes: list[Advisory] = []
    seen: dict[str, str] = {}
    for part in parts:
        for channel in part.records:
            if channel.name in seen:
                notes.append(
                    Advisory(
                        AdvisoryCode.DUPLICATE_CHANNEL_NAME,
                        channel.name,
                        (("first", seen[channel.name]), ("second", part.detection.file)),
                    )
                )
                continue
            seen[channel.name] = part.detection.file
            out.append(channel)
    return out, notes


def _content(status: MemberStatus) -> tuple[object, ...]:
    return (status.label, status.responded, status.default, status.sort_order)


def _conflict(what: str, first: MemberStatus, second: MemberStatus) -> InputError:
    return InputError(
        phrase(
            "input.differs",
            what=what,
            first=first.source.where(first.row),
            second=second.source.where(second.row),
        ),
        file=second.source.file,
        row=second.row,
        hint=phrase("input.export_again.hint"),
    )


def statuses(parts: Sequence[Loaded[list[Campaign]]]) -> tuple[list[Campaign], list[Advisory]]:
    """Campaigns of every file, a campaign found in several files holding the union of its rows.

    Across files, a status record is the same when its record ID is (or, without IDs, when its
    campaign and label are): it is kept once. Same identity, different content: an error.
    """
    if len(parts) == 1:
        return list(parts[0].records), []
    by_key: dict[str, list[MemberStatus]] = {}
    first_of: dict[str, Campaign] = {}
    seen_ids: dict[str, tuple[str, MemberStatus]] = {}
    dropped: Counter[str] = Counter()
    for part in parts:
        file = part.detection.file
        for campaign in part.records:
            kept = by_key.get(campaign.key)
            if kept is None:
                kept = by_key[campaign.key] = []
                first_of[campaign.key] = campaign
            labels_elsewhere = {
                s.label: s for s in kept if s.source.file != file and s.record_id is None
            }
            for status in campaign.statuses:
                if status.record_id is not None:
                    found = seen_ids.get(status.record_id)
                    if found is not None and found[1].source.file != file:
                        if found[0] != campaign.key or _content(found[1]) != _content(status):
                            raise _conflict(
                                phrase("input.what.record", record=status.record_id),
                                found[1],
                                status,
                            )
                        dropped[file] += 1
                        continue
                    seen_ids.setdefault(status.record_id, (campaign.key, status))
                else:
                    same = labels_elsewhere.get(status.label)
                    if same is not None:
                        if _content(same) != _content(status):
                            raise _conflict(
                                phrase(
                                    "input.what.status",
                                    label=status.label,
                                    campaign=campaign.display,
                                ),
                                same,
                                status,
                            )
                        dropped[file] += 1
                        continue
                kept.append(status)
    out: list[Campaign] = []
    for key, rows in by_key.items():
        first = first_of[key]
        out.append(replace(first, statuses=tuple(rows)))
    notes = [
        Advisory(AdvisoryCode.DUPLICATE_RECORDS, None, (("file", file), ("count", str(n))))
        for file, n in dropped.items()
    ]
    return out, notes


def members(
    parts: Sequence[Loaded[MemberCounts]],
) -> tuple[MemberCounts | None, list[Advisory]]:
    """Member counts of every file, added up.

    With member IDs in every file, a member found in two files is counted once (with a note), and
    a member holding another status in the other file is an error (one export is stale). Without
    IDs the counts add up, and a campaign counted in two files is noted.
    """
    if not parts:
        return None, []
    if len(parts) == 1:
        return parts[0].records, []
    counts: Counter[tuple[str, str]] = Counter()
    ids: dict[tuple[str, str], list[str]] = {}
    with_ids = all(p.records.has_member_ids for p in parts)
    seen: dict[str, tuple[tuple[str, str], str]] = {}
    dropped: Counter[str] = Counter()
    owner: dict[str, str] = {}
    overlap: dict[str, list[str]] = {}
    for part in parts:
        file = part.detection.file
        records = part.records
        for key_label, n in records.counts.items():
            counts[key_label] += n
            key = key_label[0]
            first = owner.setdefault(key, file)
            if first != file and not with_ids:
                files = overlap.setdefault(key, [first])
                if file not in files:
                    files.append(file)
        for key_label, members_ in records.member_ids.items():
            kept = ids.setdefault(key_label, [])
            for member in members_:
                found = seen.get(member)
                if found is None:
                    seen[member] = (key_label, file)
                    kept.append(member)
                elif found[1] == file:
                    kept.append(member)  # twice in one file: as that file says
                elif found[0] != key_label:
                    raise InputError(
                        phrase(
                            "input.member_differs",
                            member=member,
                            first=found[0][1],
                            first_file=found[1],
                            second=key_label[1],
                            second_file=file,
                        ),
                        file=file,
                        hint=phrase("input.export_again.hint"),
                    )
                else:
                    dropped[file] += 1
                    counts[key_label] -= 1
    first_part = parts[0].records
    keyed = {p.records.keyed_by for p in parts}
    merged = MemberCounts(
        {k: n for k, n in counts.items() if n > 0},
        first_part.source,
        has_member_ids=with_ids,
        keyed_by=keyed.pop() if len(keyed) == 1 else "id",
        member_ids=ids if with_ids else {},
    )
    notes = [
        Advisory(
            AdvisoryCode.MEMBERS_IN_SEVERAL_FILES,
            key.removeprefix("name:"),
            (("files", ", ".join(files)),),
        )
        for key, files in overlap.items()
    ]
    notes += [
        Advisory(AdvisoryCode.DUPLICATE_RECORDS, None, (("file", file), ("count", str(n))))
        for file, n in dropped.items()
    ]
    return merged, notes


def campaign_info(
    parts: Sequence[Loaded[list[CampaignInfo]]],
) -> tuple[list[CampaignInfo] | None, list[Advisory]]:
    """Campaign rows of every file; the same campaign twice is kept once, with a note."""
    if not parts:
        return None, []
    if len(parts) == 1:
        return list(parts[0].records), []
    out: list[CampaignInfo] = []
    seen: dict[str, CampaignInfo] = {}
    dropped: Counter[str] = Counter()
    for part in parts:
        for item in part.records:
            if item.campaign_id is None:
                out.append(item)
                continue
            first = seen.get(item.campaign_id)
            if first is None:
                seen[item.campaign_id] = item
                out.append(item)
                continue
            if (first.name, first.type) != (item.name, item.type):
                raise InputError(
                    phrase(
                        "input.differs",
                        what=phrase("input.what.campaign", campaign=item.campaign_id),
                        first=first.source.where(first.row),
                        second=item.source.where(item.row),
                    ),
                    file=item.source.file,
                    row=item.row,
                    hint=phrase("input.export_again.hint"),
                )
            dropped[part.detection.file] += 1
    notes = [
        Advisory(AdvisoryCode.DUPLICATE_RECORDS, None, (("file", file), ("count", str(n))))
        for file, n in dropped.items()
    ]
    return out, notes


def pairs(parts: Sequence[Loaded[list[Pairing]]]) -> list[Pairing] | None:
    """Pairings of every file, in order."""
    if not parts:
        return None
    return [p for part in parts for p in part.records]


__all__ = ["campaign_info", "channels", "members", "pairs", "statuses"]
