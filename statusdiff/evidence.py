"""Member counts with their evidence: which campaigns a members export really covers.

A count of members per status is *known* only when the export is proven to cover the campaign:
the campaign appears in it, or the Campaign export's NumberOfLeads + NumberOfContacts equals the
member rows found (0 included). Otherwise it is *unknown*, and plans must move members first or
ask to verify (docs/contract: "Member counts carry evidence"). A known count of 0 is the only
thing that lets a plan delete a label outright.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from .codes import AdvisoryCode
from .model.inputs import Campaign, CampaignInfo, MemberCounts


@dataclass(frozen=True, slots=True)
class CampaignWarning:
    """Why one campaign's member counts are unknown (catalogue code and parameters)."""

    code: AdvisoryCode
    params: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True, slots=True)
class MemberEvidence:
    """What a members export proves, per campaign of the status export."""

    known: Mapping[str, Mapping[str, int]]
    """Campaign key -> (label -> members) for the campaigns whose counts are known."""
    member_ids: Mapping[tuple[str, str], Sequence[str]] = field(default_factory=dict)
    """(campaign key, label) -> CampaignMember IDs, for known campaigns only."""
    warnings: Mapping[str, CampaignWarning] = field(default_factory=dict)
    """Campaign key -> why its counts are unknown although the export covers other campaigns."""
    run_note: AdvisoryCode | None = None
    """Run-level catalogue code: members_cover_none (shares no campaign) or members_export_empty."""

    def counts(self, key: str) -> Mapping[str, int] | None:
        """Members per label of one campaign, or None when unknown."""
        return self.known.get(key)


def member_evidence(
    members: MemberCounts | None,
    campaigns: Mapping[str, Campaign],
    info: Iterable[CampaignInfo] | None = None,
) -> MemberEvidence | None:
    """Decide, campaign by campaign, whether the members export's counts can be trusted."""
    if members is None:
        return None
    name_to_key: dict[str, str] = {}
    if members.keyed_by == "name":
        for campaign in campaigns.values():
            if campaign.name is not None:
                name_to_key.setdefault("name:" + campaign.name, campaign.key)
    counts: dict[str, dict[str, int]] = defaultdict(dict)
    ids: dict[tuple[str, str], Sequence[str]] = {}
    for (key, label), n in members.counts.items():
        key = name_to_key.get(key, key)
        counts[key][label] = counts[key].get(label, 0) + n
    for (key, label), listed in members.member_ids.items():
        target = (name_to_key.get(key, key), label)
        before = ids.get(target)
        # NOTE: shared, not copied (millions of IDs); merged only when two keys name one campaign.
        ids[target] = listed if before is None else [*before, *listed]
    if not members.counts:
        return MemberEvidence({}, run_note=AdvisoryCode.MEMBERS_EXPORT_EMPTY)
    if not any(key in counts for key in campaigns):
        return MemberEvidence({}, run_note=AdvisoryCode.MEMBERS_COVER_NONE)
    totals: dict[str, int] = {}
    for item in info or ():
        if item.campaign_id is not None and item.members is not None:
            totals.setdefault(item.campaign_id, item.members)
    known: dict[str, dict[str, int]] = {}
    warnings: dict[str, CampaignWarning] = {}
    for key in campaigns:
        found = counts.get(key)
        rows = sum(found.values()) if found else 0
        expected = totals.get(key)
        if expected is not None and expected != rows:
            warnings[key] = CampaignWarning(
                AdvisoryCode.MEMBERS_TOTALS_DISAGREE,
                (("found", str(rows)), ("expected", str(expected))),
            )
        elif found is not None or expected == rows:
            known[key] = found or {}
        else:
            warnings[key] = CampaignWarning(AdvisoryCode.MEMBERS_NOT_IN_EXPORT)
    return MemberEvidence(
        known,
        {k: v for k, v in ids.items() if k[0] in known},
        warnings,
    )
