"""Remediation: options A, B and C with their real constraints, and the recommendation."""

from __future__ import annotations

from statusdiff.comparison import Rule, compare, verdict
from statusdiff.model import Campaign, Channel, Comparison, MemberCounts, Pairing
from statusdiff.remediate import Act, OptionKey, Plan, Risk, apply_plan, plan_all

from .test_compare import SRC, WEBINAR, campaign, channel


def plans_for(
    channels: list[Channel],
    campaigns: list[Campaign],
    pairs: list[tuple[str, str, str]],
    members: dict[tuple[str, str], int] | None = None,
    rule: Rule = Rule.SUBSET,
) -> tuple[Comparison, dict[int, Plan]]:
    comparison = compare(
        channels,
        campaigns,
        pairings=[Pairing(p, ch, ref, SRC) for p, ch, ref in pairs],
        members=None if members is None else MemberCounts(members, SRC),
        rule=rule,
    )
    return comparison, plan_all(comparison)


def steps(plan: Plan, key: OptionKey = OptionKey.B) -> list[tuple[str, str, str | None]]:
    return [(a.act.value, a.label, a.target) for a in plan.option(key).actions]


def test_default_status_that_must_go_is_replaced_first() -> None:
    c = campaign(1, ["Sent", "Invited", "Attended"], default=0)
    _, plans = plans_for([WEBINAR], [c], [("P", "Webinar", c.key)], members={(c.key, "Sent"): 0})
    plan = plans[1]
    # No member holds "Sent", but it is the default: the default moves before the delete.
    assert steps(plan) == [
        ("set_default", "Invited", None),
        ("delete", "Sent", "Invited"),
    ]
    assert plan.option(OptionKey.B).verified


def test_unused_label_is_simply_deleted() -> None:
    c = campaign(1, ["Invited", "Sent", "Attended"], default=0)
    # The export covers the campaign (it appears in it) and no member holds "Sent": a known 0.
    members = {(c.key, "Invited"): 2}
    _, plans = plans_for([WEBINAR], [c], [("P", "Webinar", c.key)], members=members)
    assert steps(plans[1]) == [("delete", "Sent", None)]
    delete = plans[1].option(OptionKey.B).actions[0]
    assert delete.members == 0 and not delete.verify


def test_in_use_label_with_a_members_export_moves_members() -> None:
    webinar = channel(
        "Webinar", [("Invited", 10, False), ("Registered", 20, False), ("Attended", 40, True)]
    )
    c = campaign(
        1,
        ["Invited", "Registered", "Attended", "Meeting Booked"],
        default=0,
        responded=[False, False, True, True],
    )
    members = {(c.key, "Meeting Booked"): 7, (c.key, "Invited"): 3}
    _, plans = plans_for([webinar], [c], [("P", "Webinar", c.key)], members=members)
    move, delete = plans[1].option(OptionKey.B).actions
    assert (move.act, move.label, move.target, move.members, move.verify) == (
        Act.MOVE_MEMBERS,
        "Meeting Booked",
        "Attended",  # a responded status goes to a success status, never demoted
        7,
        False,
    )
    assert (delete.act, delete.label, delete.verify) == (Act.DELETE, "Meeting Booked", False)


def test_in_use_label_without_a_members_export_says_what_to_verify() -> None:
    webinar = channel("Webinar", [("Invited", 10, False), ("Attended", 40, True)])
    c = campaign(
        1, ["Invited", "Attended", "Meeting Booked"], default=0, responded=[False, True, True]
    )
    _, plans = plans_for([webinar], [c], [("P", "Webinar", c.key)])
    option = plans[1].option(OptionKey.B)
    move, delete = option.actions
    assert move.act is Act.MOVE_MEMBERS and move.members is None and move.verify
    assert delete.act is Act.DELETE and delete.verify
    assert "sf_usage_unknown" in option.constraints


def test_rename_onto_a_label_that_exists_merges() -> None:
    c = campaign(1, ["Invited", "Attended", "attended "], default=0, responded=[False, True, True])
    members = {(c.key, "attended "): 5, (c.key, "Attended"): 2}
    _, plans = plans_for([WEBINAR], [c], [("P", "Webinar", c.key)], members=members)
    assert steps(plans[1]) == [
        ("move_members", "attended ", "Attended"),
        ("delete", "attended ", "Attended"),
    ]
    assert all("merge" in a.notes for a in plans[1].option(OptionKey.B).actions)


def test_near_miss_is_renamed_with_the_undocumented_caveat() -> None:
    c = campaign(1, ["Invited", "Attended "], default=0)
    _, plans = plans_for([WEBINAR], [c], [("P", "Webinar", c.key)])
    option = plans[1].option(OptionKey.B)
    (rename,) = option.actions
    assert (rename.act, rename.label, rename.target) == (Act.RENAME, "Attended ", "Attended")
    assert "rename_undocumented" in rename.notes
    assert "rename_undocumented" in option.constraints
    assert plans[1].recommended is OptionKey.B
    assert plans[1].reason.code == "rec_near_misses"


def test_only_responded_status_that_blocks_keeps_a_responded_status() -> None:
    email = channel("Email", [("Member", 10, False), ("Engaged", 20, True), ("Clicked", 30, True)])
    c = campaign(1, ["Member", "Engaged", "Opened"], default=0, responded=[False, False, True])
    members = {(c.key, "Opened"): 4}
    _, plans = plans_for([email], [c], [("P", "Email", c.key)], members=members)
    option = plans[1].option(OptionKey.B)
    # "Opened" holds the only responded flag and members: it becomes the success status the
    # campaign lacks, so nobody is demoted and a responded status remains.
    assert steps(plans[1]) == [("rename", "Opened", "Clicked")]
    after = apply_plan(c, option)
    assert [s.label for s in after.statuses if s.responded] == ["Clicked"]


def test_only_responded_status_deleted_flags_another_first() -> None:
    email = channel("Email", [("Member", 10, False), ("Engaged", 20, True)])
    c = campaign(1, ["Member", "Engaged", "Opened"], default=0, responded=[False, False, True])
    members = {(c.key, "Member"): 2}
    _, plans = plans_for([email], [c], [("P", "Email", c.key)], members=members)
    option = plans[1].option(OptionKey.B)
    assert steps(plans[1]) == [("set_responded", "Engaged", None), ("delete", "Opened", "Engaged")]
    after = apply_plan(c, option)
    assert any(s.responded for s in after.statuses)


def test_salesforce_defaults_are_mapped_by_kind() -> None:
    tradeshow = channel(
        "Tradeshow", [("Invited", 10, False), ("Visited Booth", 20, True), ("Engaged", 30, True)]
    )
    c = campaign(1, ["Sent", "Responded"], default=0, responded=[False, True])
    members = {(c.key, "Sent"): 120, (c.key, "Responded"): 14}
    _, plans = plans_for([tradeshow], [c], [("P", "Tradeshow", c.key)], members=members)
    assert steps(plans[1]) == [
        ("rename", "Sent", "Invited"),
        ("rename", "Responded", "Visited Booth"),
    ]
    option_b = plans[1].option(OptionKey.B)
    assert all("rename_is_a_choice" in a.notes for a in option_b.actions)
    # Renaming held statuses onto statuses of another meaning is lossy: never recommended over
    # a clean channel fix, and the reason's premises hold (members known, nobody shares).
    assert option_b.lossy and [a.risk for a in option_b.actions] == [Risk.LOSSY, Risk.LOSSY]
    assert plans[1].recommended is OptionKey.C
    assert plans[1].reason.code == "rec_members_hold"
    # With a known 0 members, the Salesforce defaults simply go: B is safe and recommended.
    members = {(c.key, "Invited"): 0, (c.key, "Sent"): 0, (c.key, "Responded"): 0}
    c2 = campaign(
        1,
        ["Sent", "Responded", "Invited", "Visited Booth"],
        default=0,
        responded=[False, True, False, True],
    )
    _, plans = plans_for([tradeshow], [c2], [("P", "Tradeshow", c2.key)], members=members)
    assert not plans[1].option(OptionKey.B).lossy
    assert plans[1].reason.code == "rec_salesforce_defaults"


def test_shared_channel_option_c_fixes_one_pair_and_breaks_another_under_strict() -> None:
    ch = channel("Webinar", [("Invited", 10, False), ("Attended", 40, True)])
    a = campaign(1, ["Invited", "Attended", "Meeting Booked"], name="A")
    b = campaign(2, ["Invited", "Attended", "Meeting Booked"], name="B")
    c = campaign(3, ["Invited", "Attended"], name="C")
    pairs = [("PA", "Webinar", a.key), ("PB", "Webinar", b.key), ("PC", "Webinar", c.key)]
    # The members export proves that nobody holds "Meeting Booked" in A: deleting it is safe.
    comparison, plans = plans_for([ch], [a, b, c], pairs, members={(a.key, "Invited"): 3})
    option_c = plans[1].option(OptionKey.C)
    (add,) = option_c.actions
    assert (add.act, add.label, add.success) == (Act.ADD_CHANNEL_STATUS, "Meeting Booked", True)
    changes = {e.program: e.change for e in option_c.blast_radius}
    assert changes == {"PB": "fixed", "PC": "still_ok"}
    assert option_c.shared_by == ("PB", "PC")
    assert plans[1].recommended is OptionKey.B
    assert plans[1].reason.code == "rec_shared_channel"
    # Without a members export, B would move members of unknown number: lossy, so C it is.
    _, unknown = plans_for([ch], [a, b, c], pairs)
    assert unknown[1].option(OptionKey.B).lossy
    assert (unknown[1].recommended, unknown[1].reason.code) == (OptionKey.C, "rec_b_lossy")
    # Under the two-sided rule the same channel edit breaks campaign C.
    _, strict = plans_for([ch], [a, b, c], pairs, rule=Rule.EXACT)
    changes = {e.program: e.change for e in strict[1].option(OptionKey.C).blast_radius}
    assert changes == {"PB": "fixed", "PC": "broken"}
    assert comparison.pairs[2].compatible


def test_marketo_fix_is_recommended_when_members_hold_statuses_and_nobody_shares() -> None:
    ch = channel("Webinar", [("Invited", 10, False), ("Attended", 40, True)])
    c = campaign(1, ["Invited", "Attended", "Meeting Booked"])
    members = {(c.key, "Meeting Booked"): 9}
    _, plans = plans_for([ch], [c], [("P", "Webinar", c.key)], members=members)
    assert plans[1].recommended is OptionKey.C
    assert plans[1].reason.code == "rec_members_hold"
    add = plans[1].option(OptionKey.C).actions[0]
    # Suggested step from the Salesforce sort order (3, after Attended's 2): after step 40.
    assert add.step == 50


def test_option_c_notes_event_locks_and_near_duplicates() -> None:
    event = channel("Event", [("Registered", 10, False), ("Attended", 40, True)], "event")
    c = campaign(1, ["Registered", "Atended"])
    _, plans = plans_for([event], [c], [("P", "Event", c.key)])
    option_c = plans[1].option(OptionKey.C)
    assert "mk_event_locked" in option_c.constraints
    assert "mk_near_duplicate" in option_c.actions[0].notes


def test_option_c_never_adds_a_status_the_channel_has_under_another_case() -> None:
    event = channel("Event", [("Registered", 10, False), ("Attended", 40, True)], "event")
    c = campaign(1, ["Registered", "attended"])
    _, plans = plans_for([event], [c], [("P", "Event", c.key)])
    option_c = plans[1].option(OptionKey.C)
    assert [(a.act, a.owner.value, a.label, a.target) for a in option_c.actions] == [
        (Act.USE_CHANNEL_STATUS, "salesforce_admin", "attended", "Attended")
    ]
    assert "mk_existing_status" in option_c.constraints
    # Renaming the label to the status the channel already has makes the pair sync.
    assert option_c.feasible


def test_option_a_recommended_when_a_free_campaign_clearly_is_the_intended_one() -> None:
    blocked = campaign(1, ["Sent"], name="Spring Webinar")
    twin = campaign(2, ["Invited", "Attended"], name="Spring Webinar", ctype="Webinar")
    _, plans = plans_for([WEBINAR], [blocked, twin], [("Spring Webinar", "Webinar", blocked.key)])
    plan = plans[1]
    assert plan.recommended is OptionKey.A
    assert plan.option(OptionKey.A).actions[0].target == twin.campaign_id
    assert plan.ordered[0].key is OptionKey.A


def test_option_a_needs_a_known_type_for_a_clear_twin() -> None:
    blocked = campaign(1, ["Sent"], name="Spring Webinar")
    same_name = campaign(2, ["Invited", "Attended"], name="Spring Webinar")
    _, plans = plans_for(
        [WEBINAR], [blocked, same_name], [("Spring Webinar", "Webinar", blocked.key)]
    )
    option_a = plans[1].option(OptionKey.A)
    # Listed ("also fits"), never proposed: nothing says it is a Webinar campaign.
    assert [a.campaign_key for a in option_a.alternatives] == [same_name.key]
    assert not option_a.feasible and not option_a.actions
    assert "a_no_clear_twin" in option_a.constraints
    assert plans[1].recommended is not OptionKey.A


def test_option_a_is_no_clear_twin_when_two_campaigns_are_as_close() -> None:
    blocked = campaign(1, ["Sent"], name="Spring Webinar")
    one = campaign(2, ["Invited", "Attended"], name="Spring Webinar", ctype="Webinar")
    two = campaign(3, ["Invited", "Attended"], name="Spring Webinar ", ctype="Webinar")
    _, plans = plans_for(
        [WEBINAR], [blocked, one, two], [("Spring Webinar", "Webinar", blocked.key)]
    )
    assert not plans[1].option(OptionKey.A).feasible
    assert plans[1].recommended is not OptionKey.A


def test_option_a_never_offers_inactive_campaigns_or_campaigns_of_another_type() -> None:
    from statusdiff.model import CampaignInfo

    blocked = campaign(1, ["Sent"], name="Spring Webinar")
    inactive = campaign(2, ["Invited", "Attended"], name="Spring Webinar", ctype="Webinar")
    other_type = campaign(3, ["Invited", "Attended"], name="Spring Webinar", ctype="Tradeshow")
    unknown = campaign(4, ["Invited", "Attended"], name="Webinar template")
    info = [CampaignInfo(inactive.key, None, None, SRC, 2, active=False)]
    comparison = compare(
        [WEBINAR],
        [blocked, inactive, other_type, unknown],
        pairings=[Pairing("Spring Webinar", "Webinar", blocked.key, SRC)],
        campaign_info=info,
    )
    pair = comparison.pairs[0]
    assert [a.campaign_key for a in pair.alternatives] == [unknown.key]
    assert pair.alternatives_total == 1
    assert plan_all(comparison)[1].recommended is not OptionKey.A


def test_option_a_says_when_nothing_fits() -> None:
    c = campaign(1, ["Sent"])
    _, plans = plans_for([WEBINAR], [c], [("P", "Webinar", c.key)])
    option_a = plans[1].option(OptionKey.A)
    assert not option_a.feasible
    assert option_a.constraints == ("a_none_in_exports",)


def test_compatible_pairs_get_no_plan() -> None:
    c = campaign(1, ["Invited", "Attended"])
    comparison, plans = plans_for([WEBINAR], [c], [("P", "Webinar", c.key)])
    assert comparison.pairs[0].compatible
    assert plans == {}


def test_strict_rule_adds_missing_channel_statuses_in_salesforce() -> None:
    c = campaign(1, ["Invited", "Attended"])
    _, plans = plans_for([WEBINAR], [c], [("P", "Webinar", c.key)], rule=Rule.EXACT)
    option = plans[1].option(OptionKey.B)
    (add,) = option.actions
    assert (add.act, add.label, add.responded, add.default) == (
        Act.ADD_STATUS,
        "Registered",
        False,
        False,
    )
    assert add.sort_order == 3
    ok, _, _, _ = verdict(WEBINAR, apply_plan(c, option), rule=Rule.EXACT)
    assert ok


def test_matrix_mode_counts_no_programs_sharing_a_channel() -> None:
    ch = channel("Webinar", [("Invited", 10, False), ("Attended", 40, True)])
    a = campaign(1, ["Invited", "Meeting Booked"])
    b = campaign(2, ["Invited", "Meeting Booked"])
    comparison = compare([ch], [a, b])
    assert comparison.mode == "matrix"
    option_c = plan_all(comparison)[1].option(OptionKey.C)
    assert option_c.shared_by == ()
    assert [e.change for e in option_c.blast_radius] == ["fixed"]


def test_new_channel_statuses_get_their_own_steps_in_sort_order() -> None:
    ch = channel(
        "Webinar",
        [("Invited", 10, False), ("Registered", 20, False), ("Attended", 40, True)],
    )
    c = campaign(
        1,
        ["Invited", "Waitlisted", "Pending", "Registered", "Attended", "Sent", "Opened"],
    )
    _, plans = plans_for([ch], [c], [("P", "Webinar", c.key)])
    steps = {a.label: a.step for a in plans[1].option(OptionKey.C).actions}
    # Between Invited (10) and Registered (20), distinct; after Attended, ten apart.
    assert steps == {"Waitlisted": 15, "Pending": 16, "Sent": 50, "Opened": 60}
    bare = channel("Tradeshow", [("Invited", 10, False), ("Visited Booth", 30, True)])
    d = campaign(2, ["Sent", "Responded"])
    _, plans = plans_for([bare], [d], [("P", "Tradeshow", d.key)])
    assert [a.step for a in plans[1].option(OptionKey.C).actions] == [40, 50]
    assert "mk_event_locked" not in plans[1].option(OptionKey.C).constraints
