"""The one rule (statusdiff/rule.py) and the verdict shared per distinct status set (issue 11)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from statusdiff import comparison, explain
from statusdiff.comparison import compare
from statusdiff.model import Action, MemberCounts, OptionB, Owner, Pairing
from statusdiff.remediate import Act, OptionKey, apply_plan, plan_all
from statusdiff.rule import ChannelSide, Rule, blockers, blocking_count, syncs

from .test_compare import SRC, WEBINAR, campaign, channel

SIDE = ChannelSide.of(WEBINAR)


def test_the_channel_side_holds_hidden_statuses_but_never_the_pseudo_status() -> None:
    assert SIDE.names == {"Invited", "Registered", "Attended", "Do Not Use"}
    assert SIDE.visible == {"Invited", "Registered", "Attended"}


@pytest.mark.parametrize(
    ("labels", "rule", "salesforce", "marketo"),
    [
        ({"Invited", "Attended"}, Rule.SUBSET, set(), set()),
        ({"Invited", "Attended"}, Rule.EXACT, set(), {"Registered"}),
        ({"Invited", "Not in Program"}, Rule.SUBSET, {"Not in Program"}, set()),
        ({"invited", "Attended "}, Rule.SUBSET, {"invited", "Attended "}, set()),
        ({"Invited", "Registered", "Attended", "Do Not Use"}, Rule.EXACT, set(), set()),
        ({"Invited", "Registered", "Attended"}, Rule.EXACT, set(), set()),
    ],
)
def test_what_blocks(labels: set[str], rule: Rule, salesforce: set[str], marketo: set[str]) -> None:
    found = blockers(frozenset(labels), SIDE, rule)
    assert (set(found.salesforce), set(found.marketo)) == (salesforce, marketo)
    assert found.syncs is (not salesforce and not marketo)
    assert blocking_count(frozenset(labels), SIDE, rule) == found.count
    assert syncs(frozenset(labels), SIDE, rule) is found.syncs


def test_option_c_sees_the_channel_with_its_additions() -> None:
    after = SIDE.adding({"Sent"})
    assert syncs(frozenset({"Invited", "Sent"}), after, Rule.SUBSET)
    assert not syncs(frozenset({"Invited", "Attended"}), after, Rule.EXACT)


@pytest.mark.parametrize("rule", list(Rule))
def test_every_pair_verdict_and_the_matrix_are_the_rule(rule: Rule) -> None:
    campaigns = [
        campaign(1, ["Invited", "Registered", "Attended"]),
        campaign(2, ["Invited", "Sent", "Responded"]),
        campaign(3, ["Invited", "attended"]),
        campaign(4, ["Invited", "Registered", "Attended", "Do Not Use"]),
        campaign(5, ["Not in Program", "Invited"]),
    ]
    other = channel("Email", [("Sent", 10, False), ("Opened", 20, True), ("Clicked", 30, True)])
    pairings = [Pairing(f"P{c.key}", "Webinar", c.key, SRC) for c in campaigns]
    result = compare([WEBINAR, other], campaigns, pairings=pairings, rule=rule)
    for pair in result.pairs:
        assert pair.campaign is not None
        labels = frozenset(s.label for s in pair.campaign.statuses)
        assert pair.compatible is syncs(labels, SIDE, rule)
        assert {d.label for d in pair.blocking} == set(
            blockers(labels, SIDE, rule).salesforce
        ) | set(blockers(labels, SIDE, rule).marketo)
    matrix = compare([WEBINAR, other], campaigns, rule=rule).matrix
    assert matrix is not None
    sides = {"Webinar": SIDE, "Email": ChannelSide.of(other)}
    for c in campaigns:
        labels = frozenset(s.label for s in c.statuses)
        expected = tuple(blocking_count(labels, sides[name], rule) for name in matrix.channels)
        assert matrix.blocking[c.key] == expected


def test_campaigns_with_one_status_set_share_one_verdict_and_keep_their_own_records() -> None:
    a = campaign(1, ["Invited", "Sent"])
    b = campaign(2, ["Invited", "Sent"])
    c = campaign(3, ["Invited", "Sent"], responded=[True, False])  # other flags: its own verdict
    b = replace(
        b,
        statuses=tuple(
            s._replace(record_id=f"01Y5gQa0000000{i}") for i, s in enumerate(b.statuses)
        ),
    )
    counts = MemberCounts({(a.key, "Sent"): 4, (b.key, "Sent"): 9}, SRC)
    pairings = [Pairing(f"P{n}", "Webinar", x.key, SRC) for n, x in enumerate((a, b, c))]
    result = compare([WEBINAR], [a, b, c], pairings=pairings, members=counts)
    pa, pb, pc = result.pairs
    assert pa.verdict is not None and pa.verdict is pb.verdict
    assert pc.verdict is not pa.verdict
    # The shared verdict is bound to each campaign's own records and member counts.
    sent_a = next(d for d in pa.differences if d.label == "Sent")
    sent_b = next(d for d in pb.differences if d.label == "Sent")
    assert sent_a.status is a.statuses[1] and sent_b.status is b.statuses[1]
    assert (sent_a.members, sent_b.members) == (4, 9)
    assert sent_b.status is not None and sent_b.status.record_id == "01Y5gQa00000001"
    # Channel-only differences name no campaign record: shared objects.
    assert pa.differences[-1] is pb.differences[-1]


def test_near_misses_are_explained_once_per_label_and_channel(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    calls: list[str] = []
    real = explain.explain

    def counting(label: str, candidates: tuple[str, ...]) -> explain.NearMatch | None:
        calls.append(label)
        return real(label, candidates)

    monkeypatch.setattr(comparison, "explain", counting)
    campaigns = [
        campaign(n, ["Invited", "attended"], responded=[False, n % 2 == 0]) for n in range(6)
    ]
    pairings = [Pairing(f"P{c.key}", "Webinar", c.key, SRC) for c in campaigns]
    result = compare([WEBINAR], campaigns, pairings=pairings)
    assert all(p.near_misses for p in result.pairs)
    assert calls == ["attended"]


def test_option_b_is_verified_on_its_emitted_actions() -> None:
    c = campaign(1, ["Invited", "Sent", "attended"])
    pairings = [Pairing("P", "Webinar", c.key, SRC)]
    for rule in Rule:
        result = compare([WEBINAR], [c], pairings=pairings, rule=rule)
        option = plan_all(result)[1].option(OptionKey.B)
        assert isinstance(option, OptionB) and option.verified is True
        after = frozenset(s.label for s in apply_plan(c, option).statuses)
        assert syncs(after, SIDE, rule)
    # Verification reads the actions, not the planner's working copy: drop the rename and the
    # same plan no longer verifies.
    from statusdiff.remediate.salesforce import _verify

    pair = compare([WEBINAR], [c], pairings=pairings).pairs[0]
    option = plan_all(compare([WEBINAR], [c], pairings=pairings))[1].option(OptionKey.B)
    assert _verify(pair, Rule.SUBSET, option.actions)
    fewer = tuple(a for a in option.actions if a.act is not Act.RENAME)
    assert len(fewer) < len(option.actions)
    assert not _verify(pair, Rule.SUBSET, fewer)
    # Salesforce's own rule: a plan that deletes every status does not verify.
    wipe = tuple(Action(Act.DELETE, Owner.SALESFORCE, s.label) for s in c.statuses)
    assert not _verify(pair, Rule.SUBSET, wipe)
