"""Sharing work between campaigns cloned from one template (issue 11).

Campaigns with the same status set share one verdict; a pair binds its own records lazily; plans
are made once per shared verdict and bound to each pair's records. Each shortcut must give exactly
what the pair computed alone gives: these tests compare the two over generated clones.
"""

from __future__ import annotations

from collections import Counter

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from statusdiff import ids
from statusdiff.comparison import Rule, compare, verdict
from statusdiff.model import (
    Campaign,
    CampaignInfo,
    Channel,
    Comparison,
    MemberCounts,
    MemberStatus,
    Pairing,
    PairResult,
    ProgramStatus,
    Source,
)
from statusdiff.remediate import Act, OptionKey, Plan, plan, plan_all
from statusdiff.remediate.blast import BLAST_LIST, Neighbours
from statusdiff.rule import ChannelSide, syncs

SRC = Source("generated")
NAMES = (
    "Invited",
    "invited",
    "Registered",
    "Attended",
    "Attended ",
    "No Show",
    "3 No Show",
    "Sent",
)
CHANNEL_NAMES = ("Webinar", "Tradeshow")
Org = tuple[list[Channel], list[Campaign], list[Pairing], MemberCounts, list[CampaignInfo]]
"""Channels, campaigns, pairings, member counts and a Campaign export."""


def _channel(name: str, picked: list[str], success: list[bool]) -> Channel:
    statuses = [ProgramStatus("Not in Program", 0, False, False, SRC, 0)]
    statuses += [
        ProgramStatus(label, 10 * (i + 1), ok, False, SRC, i + 1)
        for i, (label, ok) in enumerate(zip(picked, success, strict=True))
    ]
    if not any(success):
        statuses.append(ProgramStatus("Won", 99, True, False, SRC, 99))
    return Channel(name, None, tuple(statuses), SRC)


def _id(prefix: str, n: int) -> str:
    return ids.to18(f"{prefix}5gQa{n:08d}")


@st.composite
def org(
    draw: st.DrawFn,
) -> tuple[list[Channel], list[Campaign], list[Pairing], MemberCounts, list[CampaignInfo]]:
    channels = []
    for name in CHANNEL_NAMES:
        picked = draw(st.lists(st.sampled_from(NAMES), min_size=1, max_size=5, unique=True))
        success = draw(st.lists(st.booleans(), min_size=len(picked), max_size=len(picked)))
        channels.append(_channel(name, picked, success))
    templates = draw(
        st.lists(
            st.lists(
                st.tuples(st.sampled_from(NAMES), st.booleans(), st.booleans()),
                min_size=1,
                max_size=5,
                unique_by=lambda s: s[0],
            ),
            min_size=1,
            max_size=3,
        )
    )
    campaigns: list[Campaign] = []
    pairings: list[Pairing] = []
    counts: dict[tuple[str, str], int] = {}
    info: list[CampaignInfo] = []
    record = 0
    clones = draw(st.integers(min_value=2, max_value=6))
    for t, template in enumerate(templates):
        for c in range(clones + 1):
            n = t * 100 + c
            key = _id("701", n)
            no_ids = draw(st.booleans()) and c % 3 == 2
            statuses = []
            for i, (label, responded, default) in enumerate(template):
                record += 1
                statuses.append(
                    MemberStatus(
                        label,
                        responded,
                        default if i else True,
                        i + 1 if c % 4 else (i * 7) % 5,
                        None if no_ids else _id("01Y", record),
                        SRC,
                        record,
                    )
                )
                held = draw(st.sampled_from((0, 0, 3)))
                if held:
                    counts[(key, label)] = held
            name = f"FY26 {CHANNEL_NAMES[t % 2]} {t} clone {c}"
            campaigns.append(Campaign(key, key, name, None, tuple(statuses), SRC, n))
            ctype = draw(st.sampled_from((None, CHANNEL_NAMES[0], CHANNEL_NAMES[1], "Email")))
            info.append(CampaignInfo(key, name, ctype, SRC, n, active=draw(st.booleans())))
            if c < clones:  # the last clone of each template stays free (option A)
                program = f"FY26 {CHANNEL_NAMES[t % 2]} {t} clone {c}" if c % 2 else f"P{n}"
                pairings.append(Pairing(program, draw(st.sampled_from(CHANNEL_NAMES)), key, SRC, n))
    return channels, campaigns, pairings, MemberCounts(counts, SRC), info


def _alone(comparison: Comparison) -> dict[int, Plan]:
    context = Neighbours(comparison)
    out = {}
    for result in comparison.pairs:
        found = plan(result, comparison, context)
        if found is not None:
            out[result.index] = found
    return out


def _check_blast(comparison: Comparison, pair: PairResult, found: Plan) -> None:
    """Option C's blast radius against a slow count of its own: every other pair on the channel
    checked before and after the statuses option C adds."""
    assert pair.channel is not None
    option = found.option(OptionKey.C)
    if pair.tied:
        return
    added = frozenset(a.label for a in option.actions if a.act is Act.ADD_CHANNEL_STATUS)
    side = ChannelSide.of(pair.channel)
    others = {}
    for other in comparison.pairs:
        if other.index == pair.index or other.campaign is None or other.channel is None:
            continue
        if other.channel.name != pair.channel.name:
            continue
        labels = frozenset(s.label for s in other.campaign.statuses)
        before = syncs(labels, side, comparison.rule)
        after = syncs(labels, side.adding(added), comparison.rule)
        others[other.index] = (before, after)
    changes = Counter(
        ("still_ok" if a else "broken") if b else ("fixed" if a else "still_blocked")
        for b, a in others.values()
    )
    assert dict(option.blast_counts) == {k: v for k, v in changes.items() if v}
    assert option.shared_total == len(others)
    listed = option.blast_radius
    assert [e.pair_index for e in listed] == sorted(e.pair_index for e in listed)
    assert all(others[e.pair_index] == (e.before, e.after) for e in listed)
    changed = sum(1 for b, a in others.values() if b != a)
    expected = len(others) if len(others) <= BLAST_LIST else min(BLAST_LIST, changed)
    assert len(listed) == expected
    assert len(option.shared_by) <= BLAST_LIST


def _eager(pair: PairResult, rule: Rule) -> tuple[object, ...]:
    """The pair's records as the per-pair verdict gives them."""
    assert pair.channel is not None and pair.campaign is not None
    return verdict(pair.channel, pair.campaign, rule=rule, members=pair.member_counts)[:3]


@settings(max_examples=60, suppress_health_check=[HealthCheck.too_slow])
@given(org(), st.sampled_from(Rule), st.booleans(), st.booleans())
def test_shared_work_equals_each_pair_alone(
    drawn: Org,
    rule: Rule,
    with_members: bool,
    with_info: bool,
) -> None:
    channels, campaigns, pairings, members, info = drawn
    comparison = compare(
        channels,
        campaigns,
        pairings=pairings,
        members=members if with_members else None,
        campaign_info=info if with_info else None,
        rule=rule,
    )
    summary = comparison.summary
    # The summary was counted from the shared verdicts before any pair bound its records.
    assert summary.blocking_labels == sum(len(p.blocking) for p in comparison.pairs)
    assert summary.near_misses == sum(len(p.near_misses) for p in comparison.pairs)
    assert summary.warnings == sum(
        len(p.warnings) + sum(1 for d in p.differences if d.kind == "responded_mismatch")
        for p in comparison.pairs
    )
    for pair in comparison.pairs:
        if pair.verdict is not None:
            ok, matches, differences = _eager(pair, rule)
            assert (pair.compatible, pair.matches, pair.differences) == (ok, matches, differences)

    shared, alone = plan_all(comparison), _alone(comparison)
    assert list(shared) == list(alone)  # in pair order, as renderers list them
    for index, found in shared.items():
        assert found == alone[index]
        a, b = found.option(OptionKey.A), alone[index].option(OptionKey.A)
        assert (a.alternatives, a.alternatives_total) == (b.alternatives, b.alternatives_total)
        pair = comparison.pairs[index - 1]
        _check_blast(comparison, pair, found)
        own = {s.record_id for s in pair.campaign.statuses} if pair.campaign else set()
        for option in found.options:
            for action in option.actions:
                # Every record an action names is one of this pair's campaign's own statuses.
                assert action.record_id is None or action.record_id in own


def test_clones_share_one_verdict_and_bind_their_own_records() -> None:
    """Three clones of one template: one verdict object, three sets of records, and the plans'
    record IDs each the pair's own."""
    channel = _channel("Webinar", ["Invited", "Attended"], [False, True])
    campaigns = []
    for n in range(3):
        key = _id("701", n)
        statuses = (
            MemberStatus("Sent", False, True, 1, _id("01Y", 10 * n + 1), SRC, 1),
            MemberStatus("Attended ", True, False, 2, _id("01Y", 10 * n + 2), SRC, 2),
        )
        campaigns.append(Campaign(key, key, f"Clone {n}", None, statuses, SRC))
    comparison = compare(
        [channel],
        campaigns,
        pairings=[Pairing(f"P{n}", "Webinar", c.key, SRC, n) for n, c in enumerate(campaigns)],
    )
    verdicts = {id(p.verdict) for p in comparison.pairs}
    assert len(verdicts) == 1
    first = comparison.pairs[0].differences[0].status
    second = comparison.pairs[1].differences[0].status
    assert first is not None and second is not None and first.record_id != second.record_id
    plans = plan_all(comparison)
    for pair in comparison.pairs:
        assert pair.campaign is not None
        own = {s.record_id for s in pair.campaign.statuses}
        renames = [a for a in plans[pair.index].option(OptionKey.B).actions if a.record_id]
        assert renames and all(a.record_id in own for a in renames)
