"""Property tests over generated channels and campaigns: the verdict and plan B."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from statusdiff import ids
from statusdiff.comparison import Rule, compare, verdict
from statusdiff.model import (
    Campaign,
    Channel,
    Kind,
    MemberCounts,
    MemberStatus,
    Pairing,
    ProgramStatus,
    Source,
)
from statusdiff.remediate import Act, OptionKey, apply_plan, plan_all

SRC = Source("generated")
ALPHABET = "aAbBeEnNdDt \u00a0\u2011-'\u2019\u200b\u0301"
labels = st.text(alphabet=ALPHABET, min_size=1, max_size=12)


@st.composite
def channels(draw: st.DrawFn) -> Channel:
    names = draw(st.lists(labels, min_size=1, max_size=7, unique=True))
    statuses = tuple(
        ProgramStatus(
            name,
            draw(st.integers(min_value=1, max_value=90)),
            draw(st.booleans()),
            draw(st.booleans()),
            SRC,
            i,
        )
        for i, name in enumerate(names)
    )
    # Marketo requires a success step.
    if not any(s.success for s in statuses):
        statuses = (statuses[0]._replace(success=True), *statuses[1:])
    return Channel("Generated", None, statuses, SRC)


def make_campaign(n: int, chosen: list[str], responded: list[bool], default_at: int) -> Campaign:
    key = ids.to18(f"7015gQa{n:08d}")
    if not any(responded):
        responded = [True, *responded[1:]]
    statuses = tuple(
        MemberStatus(
            label, responded[i], i == default_at, i + 1, ids.to18(f"01Y5gQa{i:08d}"), SRC, i + 2
        )
        for i, label in enumerate(chosen)
    )
    return Campaign(key, key, f"Campaign {n}", None, statuses, SRC)


@st.composite
def fitting_campaign(draw: st.DrawFn, channel: Channel) -> Campaign:
    names = [s.name for s in channel.statuses]
    chosen = draw(st.lists(st.sampled_from(names), min_size=1, max_size=len(names), unique=True))
    responded = draw(st.lists(st.booleans(), min_size=len(chosen), max_size=len(chosen)))
    default_at = draw(st.integers(min_value=0, max_value=len(chosen) - 1))
    return make_campaign(1, chosen, responded, default_at)


@given(st.data())
def test_a_campaign_built_from_channel_statuses_always_syncs(data: st.DataObject) -> None:
    channel = data.draw(channels())
    campaign = data.draw(fitting_campaign(channel))
    ok, _, diffs, _ = verdict(channel, campaign)
    assert ok
    assert not [d for d in diffs if d.blocking]


@given(st.data())
def test_any_foreign_label_blocks_and_is_reported_exactly_once(data: st.DataObject) -> None:
    channel = data.draw(channels())
    campaign = data.draw(fitting_campaign(channel))
    names = {s.name for s in channel.statuses}
    extra = data.draw(labels.filter(lambda x: x not in names))
    copies = data.draw(st.integers(min_value=1, max_value=3))
    statuses = campaign.statuses + tuple(
        MemberStatus(extra, False, False, 90 + i, None, SRC, 90 + i) for i in range(copies)
    )
    grown = Campaign(campaign.key, campaign.campaign_id, campaign.name, None, statuses, SRC)
    ok, _, diffs, _ = verdict(channel, grown)
    assert not ok
    blocking = [d for d in diffs if d.blocking]
    assert [(d.kind, d.label) for d in blocking] == [(Kind.SALESFORCE_ONLY, extra)]


@given(st.data())
def test_results_do_not_depend_on_row_order(data: st.DataObject) -> None:
    channel = data.draw(channels())
    campaign = data.draw(fitting_campaign(channel))
    extras = data.draw(st.lists(labels, max_size=3, unique=True))
    statuses = campaign.statuses + tuple(
        MemberStatus(x, False, False, 50 + i, None, SRC, 50 + i) for i, x in enumerate(extras)
    )
    shuffled_statuses = data.draw(st.permutations(statuses))
    shuffled_channel = data.draw(st.permutations(channel.statuses))
    a = Campaign(campaign.key, campaign.key, "c", None, statuses, SRC)
    b = Campaign(campaign.key, campaign.key, "c", None, tuple(shuffled_statuses), SRC)
    other = Channel(channel.name, None, tuple(shuffled_channel), SRC)
    ok_a, matches_a, diffs_a, _ = verdict(channel, a)
    ok_b, matches_b, diffs_b, _ = verdict(other, b)
    assert ok_a == ok_b
    assert {m.status.label for m in matches_a} == {m.status.label for m in matches_b}

    def summary(diffs: tuple) -> set[tuple[str, str, bool, str | None]]:  # type: ignore[type-arg]
        return {
            (d.kind.value, d.label, d.blocking, d.near_match.target if d.near_match else None)
            for d in diffs
            if d.kind is not Kind.MARKETO_ONLY or d.blocking
        }

    assert {(k, lb, bl) for k, lb, bl, _ in summary(diffs_a)} == {
        (k, lb, bl) for k, lb, bl, _ in summary(diffs_b)
    }


# -- Plan B ------------------------------------------------------------------------------------

near_variants = st.sampled_from(
    [
        lambda s: s.lower(),
        lambda s: s + " ",
        lambda s: s.replace(" ", "\u00a0"),
        lambda s: s.replace("-", "\u2011"),
        lambda s: s + "\u200b",
        lambda s: s[:-1] if len(s) > 3 else s + "x",
    ]
)


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow])
@given(st.data(), st.sampled_from([Rule.SUBSET, Rule.EXACT]), st.booleans())
def test_plan_b_always_makes_the_pair_sync(
    data: st.DataObject, rule: Rule, with_members: bool
) -> None:
    channel = data.draw(channels())
    names = [s.name for s in channel.statuses]
    kept = data.draw(st.lists(st.sampled_from(names), max_size=len(names), unique=True))
    foreign = data.draw(
        st.lists(
            st.one_of(
                st.sampled_from(["Sent", "Responded", "Meeting Booked", "Not in Program"]),
                st.builds(lambda f, s: f(s), near_variants, st.sampled_from(names)),
                labels,
            ),
            min_size=1,
            max_size=4,
            unique=True,
        ).filter(lambda xs: any(x not in names for x in xs))
    )
    chosen = list(dict.fromkeys([*kept, *foreign]))
    responded = data.draw(st.lists(st.booleans(), min_size=len(chosen), max_size=len(chosen)))
    default_at = data.draw(st.integers(min_value=0, max_value=len(chosen) - 1))
    campaign = make_campaign(7, chosen, responded, default_at)
    members = None
    if with_members:
        counts = data.draw(
            st.lists(
                st.integers(min_value=0, max_value=5), min_size=len(chosen), max_size=len(chosen)
            )
        )
        members = MemberCounts(
            {(campaign.key, label): n for label, n in zip(chosen, counts, strict=True)}, SRC
        )
    comparison = compare(
        [channel],
        [campaign],
        pairings=[Pairing("P", channel.name, campaign.key, SRC)],
        members=members,
        rule=rule,
    )
    pair = comparison.pairs[0]
    if pair.compatible:
        return
    plans = plan_all(comparison)
    option = plans[pair.index].option(OptionKey.B)
    assert option.feasible, option.constraints
    assert option.verified, option.actions
    after = apply_plan(campaign, option)
    ok, _, _, _ = verdict(channel, after, rule=rule)
    assert ok, (campaign.statuses, option.actions)
    assert any(s.default for s in after.statuses)
    assert any(s.responded for s in after.statuses)
    labels_after = [s.label for s in after.statuses]
    assert len(labels_after) == len(set(labels_after))


# -- Change files: what is applied blind never loses anything ----------------------------------


def _rows(data: bytes) -> list[dict[str, str]]:
    import csv
    import io

    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data(), st.sampled_from([Rule.SUBSET, Rule.EXACT]), st.booleans())
def test_blind_change_files_keep_every_member_flag_and_never_delete_a_held_label(
    data: st.DataObject, rule: Rule, covered: bool
) -> None:
    channel = data.draw(channels())
    names = [s.name for s in channel.statuses]
    kept = data.draw(st.lists(st.sampled_from(names), max_size=len(names), unique=True))
    foreign = data.draw(
        st.lists(
            st.one_of(
                st.sampled_from(["Sent", "Responded", "Meeting Booked"]),
                st.builds(lambda f, s: f(s), near_variants, st.sampled_from(names)),
                labels,
            ),
            min_size=1,
            max_size=4,
            unique=True,
        ).filter(lambda xs: any(x not in names for x in xs))
    )
    chosen = list(dict.fromkeys([*kept, *foreign]))
    responded = data.draw(st.lists(st.booleans(), min_size=len(chosen), max_size=len(chosen)))
    default_at = data.draw(st.integers(min_value=0, max_value=len(chosen) - 1))
    counts = data.draw(
        st.lists(st.integers(min_value=0, max_value=4), min_size=len(chosen), max_size=len(chosen))
    )
    with_ids = data.draw(st.booleans())
    _check_blind_files(channel, chosen, responded, default_at, counts, with_ids, rule, covered)


def test_blind_files_never_move_members_onto_a_flag_left_for_review() -> None:
    """Found by the property above: 'a' (responded, 1 member) merges into 'A' (not responded,
    1 member) whose responded flag can only be set in review (it changes A's member). The move
    relied on that flag: it must go to review too, or the moved member loses its flag."""
    channel = Channel("Generated", None, (ProgramStatus("A", 1, True, False, SRC, 0),), SRC)
    _check_blind_files(
        channel, ["A", "a", "Sent"], [False, True, False], 0, [1, 1, 0], True, Rule.SUBSET, True
    )


def _check_blind_files(
    channel: Channel,
    chosen: list[str],
    responded: list[bool],
    default_at: int,
    counts: list[int],
    with_ids: bool,
    rule: Rule,
    covered: bool,
) -> None:
    from statusdiff.pipeline import Report
    from statusdiff.remediate import Risk
    from statusdiff.render.dataloader import render_changes

    campaign = make_campaign(7, chosen, responded, default_at)
    # The org as it really is: members per label, each with an ID.
    org_members: dict[str, str] = {}
    member_ids: dict[tuple[str, str], tuple[str, ...]] = {}
    for i, (label, n) in enumerate(zip(chosen, counts, strict=True)):
        found = tuple(ids.to18(f"00v5gQa{i * 10 + j:08d}") for j in range(n))
        member_ids[(campaign.key, label)] = found
        org_members.update(dict.fromkeys(found, label))
    # The export either covers the campaign, or is another org's (every count unknown); it
    # carries member IDs (moves can be written) or not (a report export).
    key = campaign.key if covered else ids.to18("7015gQa99999999")
    members = MemberCounts(
        {(key, label): n for label, n in zip(chosen, counts, strict=True) if n or covered},
        SRC,
        has_member_ids=with_ids,
        member_ids={(key, lb): v for (_, lb), v in member_ids.items()} if with_ids else {},
    )
    comparison = compare(
        [channel],
        [campaign],
        pairings=[Pairing("P", channel.name, campaign.key, SRC)],
        members=members,
        rule=rule,
    )
    if comparison.pairs[0].compatible:
        return
    plans = plan_all(comparison)
    files = render_changes(Report(comparison, plans, (), "2026-03-02T09:00:00Z"))
    # A lossy action never appears in a file applied blind.
    for name, data_ in files.items():
        if name.endswith(".csv") and "review-" not in name:
            assert {r["review_risk"] for r in _rows(data_)} <= {"exact", "safe"}, name
    lossy = [a for a in plans[1].option(OptionKey.B).actions if a.risk is Risk.LOSSY]
    blind_deletes = {r["Id"] for r in _rows(files.get("CampaignMemberStatus-delete.csv", b""))}
    blind_labels = {
        r["Id"]: r["Label"] for r in _rows(files.get("CampaignMemberStatus-update.csv", b""))
    }
    original = {s.record_id: s.label for s in campaign.statuses}
    for action in lossy:
        assert action.record_id not in blind_deletes
        if action.act is Act.RENAME:
            assert blind_labels.get(action.record_id, action.label) == original[action.record_id]
    # Apply the blind files to the org, in the runbook's order, as Salesforce would.
    statuses = {
        s.record_id: {"Label": s.label, "HasResponded": s.responded, "IsDefault": s.default}
        for s in campaign.statuses
    }

    def flag(label: str) -> bool | None:
        return next(v["HasResponded"] for v in statuses.values() if v["Label"] == label)

    before = {m: flag(label) for m, label in org_members.items()}
    for row in _rows(files.get("CampaignMemberStatus-insert.csv", b"")):
        statuses[f"new-{row['Label']}"] = {
            "Label": row["Label"],
            "HasResponded": row["HasResponded"] == "true",
            "IsDefault": row["IsDefault"] == "true",
        }
    for row in _rows(files.get("CampaignMemberStatus-update.csv", b"")):
        statuses[row["Id"]]["Label"] = row["Label"]
        if row.get("HasResponded"):
            statuses[row["Id"]]["HasResponded"] = row["HasResponded"] == "true"
        if row.get("IsDefault"):
            statuses[row["Id"]]["IsDefault"] = row["IsDefault"] == "true"
    # A rename carries its members along (they hold the status record).
    renamed = {
        old["Label"]: statuses[i]["Label"]
        for i, old in (
            (s.record_id, {"Label": s.label}) for s in campaign.statuses if s.record_id in statuses
        )
    }
    org_members = {m: renamed.get(label, label) for m, label in org_members.items()}
    for row in _rows(files.get("CampaignMember-update.csv", b"")):
        org_members[row["Id"]] = row["Status"]
    for row in _rows(files.get("CampaignMemberStatus-delete.csv", b"")):
        label = statuses[row["Id"]]["Label"]
        assert label not in org_members.values(), f"deletes {label!r}, which members hold"
        del statuses[row["Id"]]
    after = {m: flag(label) for m, label in org_members.items()}
    assert after == before
