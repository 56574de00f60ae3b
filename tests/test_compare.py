"""The verdict (docs/contract.md §1–§4): exact match, advisories, pairing, matrix, alternatives."""

from __future__ import annotations

from collections.abc import Sequence

from statusdiff import ids
from statusdiff.comparison import Rule, compare, verdict
from statusdiff.model import (
    Campaign,
    CampaignInfo,
    Channel,
    Kind,
    MemberCounts,
    MemberStatus,
    Pairing,
    Problem,
    ProgramStatus,
    Source,
)

SRC = Source("test")


def channel(
    name: str,
    statuses: Sequence[tuple[str, int, bool] | tuple[str, int, bool, bool]],
    program_type: str | None = None,
) -> Channel:
    records = tuple(
        ProgramStatus(s[0], s[1], s[2], bool(s[3]) if len(s) > 3 else False, SRC, i)  # type: ignore[misc]
        for i, s in enumerate(statuses, 1)
    )
    return Channel(name, program_type, records, SRC)


def campaign(
    n: int,
    labels: Sequence[str],
    *,
    name: str | None = None,
    ctype: str | None = None,
    responded: Sequence[bool] | None = None,
    default: int | None = 0,
) -> Campaign:
    key = ids.to18(f"7015gQa{n:08d}")
    statuses = tuple(
        MemberStatus(
            label,
            responded[i] if responded is not None else (i == len(labels) - 1),
            None if default is None else i == default,
            i + 1,
            None,
            SRC,
            i + 2,
        )
        for i, label in enumerate(labels)
    )
    return Campaign(key, key, name if name is not None else f"Campaign {n}", ctype, statuses, SRC)


WEBINAR = channel(
    "Webinar",
    [
        ("Not in Program", 0, False),
        ("Invited", 10, False),
        ("Registered", 20, False),
        ("Attended", 40, True),
        ("Do Not Use", 50, True, True),
    ],
)


def test_exact_labels_sync() -> None:
    ok, matches, diffs, _ = verdict(WEBINAR, campaign(1, ["Invited", "Registered", "Attended"]))
    assert ok
    assert [m.status.label for m in matches] == ["Invited", "Registered", "Attended"]
    assert [d.kind for d in diffs] == [Kind.MARKETO_ONLY]  # Do Not Use, hidden, informational
    assert not diffs[0].blocking


def test_no_trim_no_casefold_no_normalisation() -> None:
    for label in ["Attended ", "attended", "Attended\u200b", "Atte\u0301nded"]:
        ok, _, diffs, _ = verdict(WEBINAR, campaign(1, ["Invited", label]))
        assert not ok, label
        blocking = [d for d in diffs if d.blocking]
        assert [d.label for d in blocking] == [label]
        assert blocking[0].kind is Kind.SALESFORCE_ONLY


def test_not_in_program_never_matches() -> None:
    ok, _, diffs, _ = verdict(WEBINAR, campaign(1, ["Invited", "Not in Program"]))
    assert not ok
    (blocking,) = [d for d in diffs if d.blocking]
    assert blocking.label == "Not in Program"
    assert blocking.pseudo


def test_hidden_status_matches_and_is_noted() -> None:
    ok, _, _, warnings = verdict(WEBINAR, campaign(1, ["Invited", "Do Not Use"]))
    assert ok
    assert [(w.code, w.label) for w in warnings] == [("hidden_match", "Do Not Use")]


def test_channel_only_statuses_block_only_under_the_strict_rule() -> None:
    subset = campaign(1, ["Invited", "Attended"])
    ok, _, diffs, _ = verdict(WEBINAR, subset)
    assert ok
    assert {d.label for d in diffs if d.kind is Kind.MARKETO_ONLY} == {"Registered", "Do Not Use"}
    ok, _, diffs, _ = verdict(WEBINAR, subset, rule=Rule.EXACT)
    assert not ok
    # Hidden statuses never block, even under the strict rule.
    assert {d.label for d in diffs if d.blocking} == {"Registered"}


def test_responded_mismatch_is_reported_and_never_blocks() -> None:
    c = campaign(1, ["Invited", "Attended"], responded=[True, False])
    ok, _, diffs, _ = verdict(WEBINAR, c)
    assert ok
    mismatches = [d for d in diffs if d.kind is Kind.RESPONDED_MISMATCH]
    assert [d.label for d in mismatches] == ["Invited", "Attended"]
    assert not any(d.blocking for d in mismatches)


def test_near_match_and_reverse_link_on_the_channel_side() -> None:
    ok, _, diffs, _ = verdict(WEBINAR, campaign(1, ["Invited", "attended "]))
    assert not ok
    sf = next(d for d in diffs if d.kind is Kind.SALESFORCE_ONLY)
    assert sf.near_match is not None and sf.near_match.target == "Attended"
    mk = next(d for d in diffs if d.kind is Kind.MARKETO_ONLY and d.label == "Attended")
    assert mk.near_match is not None and mk.near_match.target == "attended "


def test_advisories() -> None:
    long_label = "Engaged (r) - Clicked Opened w/in last 2 weeks"
    c = campaign(
        1,
        ["Invited", "Invited", long_label],
        ctype="Webinars",
        responded=[False, False, False],
        default=None,
    )
    ch = channel("Webinar", [("Invited", 10, False), ("Invited", 10, False)])
    members = {"Invited": 3, "Ghost": 2}
    _, _, _, warnings = verdict(ch, c, members=members)
    codes = {(w.code, w.label) for w in warnings}
    assert ("no_responded", None) in codes
    assert ("duplicate_label", "Invited") in codes
    assert ("label_too_long", long_label) in codes
    assert ("duplicate_channel_status", "Invited") in codes
    assert ("type_mismatch", None) in codes
    assert ("undefined_member_status", "Ghost") in codes
    # Default is unknown (no IsDefault column): no claim about it.
    assert ("no_default", None) not in codes
    no_default = campaign(2, ["Invited"], default=5)
    _, _, _, warnings = verdict(ch, no_default)
    assert "no_default" in {w.code for w in warnings}


def test_duplicate_blocking_label_is_reported_once() -> None:
    _, _, diffs, _ = verdict(WEBINAR, campaign(1, ["Invited", "Sent", "Sent"]))
    assert [d.label for d in diffs if d.blocking] == ["Sent"]


def test_pairs_resolve_by_id_and_name_and_report_what_is_missing() -> None:
    a = campaign(1, ["Invited"], name="Spring")
    b = campaign(2, ["Invited"], name="Twin")
    c = campaign(3, ["Invited"], name="Twin")
    pairings = [
        Pairing("P1", "Webinar", a.key[:15], SRC),
        Pairing("P2", "Webinar", "Spring", SRC),
        Pairing("P3", "Webinar", "Twin", SRC),
        Pairing("P4", "Nope", a.key, SRC),
        Pairing("P5", "Webinar", "Autumn", SRC),
        Pairing("P6", "webinar ", " spring", SRC),
    ]
    result = compare([WEBINAR], [a, b, c], pairings=pairings)
    problems = [p.problem for p in result.pairs]
    assert problems == [
        None,
        None,
        Problem.AMBIGUOUS_CAMPAIGN,
        Problem.UNKNOWN_CHANNEL,
        Problem.UNKNOWN_CAMPAIGN,
        None,
    ]
    assert set(result.pairs[2].candidates) == {b.key, c.key}
    loose = {w.code for w in result.pairs[5].warnings}
    assert loose == {"channel_matched_loosely", "campaign_matched_loosely"}
    assert result.summary.unresolved == 3
    assert result.summary.compatible == 3


def test_campaign_export_fills_names_and_types() -> None:
    bare = campaign(1, ["Invited"], name=None)
    bare = Campaign(bare.key, bare.campaign_id, None, None, bare.statuses, SRC)
    info = [CampaignInfo(bare.key, "Spring", "Webinar", SRC, 2)]
    result = compare(
        [WEBINAR], [bare], campaign_info=info, pairings=[Pairing("P", "Webinar", "Spring", SRC)]
    )
    pair = result.pairs[0]
    assert pair.campaign is not None
    assert (pair.campaign.name, pair.campaign.type) == ("Spring", "Webinar")
    assert "type_mismatch" not in {w.code for w in pair.warnings}


def test_members_counts_reach_the_differences() -> None:
    c = campaign(1, ["Invited", "Sent"])
    counts = MemberCounts({(c.key, "Sent"): 4, (c.key, "Invited"): 1}, SRC)
    result = compare([WEBINAR], [c], pairings=[Pairing("P", "Webinar", c.key, SRC)], members=counts)
    sent = next(d for d in result.pairs[0].differences if d.label == "Sent")
    assert sent.members == 4
    assert result.pairs[0].matches[0].members == 1


def test_matrix_mode_closest_channel_and_ties() -> None:
    email = channel("Email", [("Member", 10, False), ("Engaged", 20, True)])
    alpha = channel("Alpha", [("Member", 10, False), ("Engaged", 20, True)])
    c1 = campaign(1, ["Invited", "Attended"])
    c2 = campaign(2, ["Member", "Engaged"])
    c3 = campaign(3, ["Member", "Sent"])
    result = compare([WEBINAR, email, alpha], [c1, c2, c3])
    assert result.mode == "matrix"
    assert result.matrix is not None
    fits = {f.campaign.key: f for f in result.matrix.fits}
    assert fits[c1.key].compatible_channels == ("Webinar",)
    assert fits[c1.key].closest_channel == "Webinar"
    assert fits[c2.key].compatible_channels == ("Email", "Alpha")
    # Ties are ties: no name, export order or missing-status count picks one of them.
    assert fits[c2.key].closest_channel is None
    assert fits[c2.key].closest_tied == ("Email", "Alpha")
    assert fits[c3.key].closest_channel is None
    assert fits[c3.key].closest_tied == ("Email", "Alpha")
    assert fits[c3.key].closest_blocking == 1
    assert fits[c1.key].closest_tied == ()
    tied_pair = next(p for p in result.pairs if p.campaign is not None and p.campaign.key == c3.key)
    assert (tied_pair.channel_name, tied_pair.tied) == ("Email", ("Email", "Alpha"))
    assert result.matrix.by_channel["Webinar"] == (c1.key,)
    assert dict(zip(result.matrix.channels, result.matrix.blocking[c3.key], strict=True)) == {
        "Webinar": 2,
        "Email": 1,
        "Alpha": 1,
    }
    assert result.summary.pairs == 3


def test_alternatives_are_compatible_unpaired_and_ranked_by_name() -> None:
    blocked = campaign(1, ["Sent"], name="Spring Webinar 2026")
    twin = campaign(2, ["Invited", "Attended"], name="Spring Webinar 2026 (copy)")
    other = campaign(3, ["Invited"], name="Autumn Gala")
    taken = campaign(4, ["Invited"], name="Spring Webinar 2026 v2")
    wrong = campaign(5, ["Sent"], name="Spring Webinar 2026 v3")
    pairings = [
        Pairing("Spring Webinar 2026", "Webinar", blocked.key, SRC),
        Pairing("Taken", "Webinar", taken.key, SRC),
    ]
    result = compare([WEBINAR], [blocked, twin, other, taken, wrong], pairings=pairings)
    alternatives = result.pairs[0].alternatives
    assert [a.campaign_key for a in alternatives] == [twin.key, other.key]
    assert alternatives[0].score > alternatives[1].score
    assert result.pairs[0].alternatives_total == 2


def test_matrix_ties_are_broken_by_type_then_blocking_labels_then_near_misses() -> None:
    one = channel("One", [("Member", 10, False), ("Engaged", 20, True)])
    two = channel("Two", [("Member", 10, False), ("Registered", 20, True)])
    typed = campaign(1, ["Sent", "Opened"], ctype="Two")
    near = campaign(2, ["Registerd", "Opened"])
    result = compare([one, two], [typed, near])
    assert result.matrix is not None
    fits = {f.campaign.key: f for f in result.matrix.fits}
    # Same number of changes: the campaign's Type names a channel.
    assert (fits[typed.key].closest_channel, fits[typed.key].closest_tied) == ("Two", ())
    # Same number of changes, no Type: the channel with a near miss is closer.
    assert (fits[near.key].closest_channel, fits[near.key].closest_blocking) == ("Two", 2)
    # Under --strict, missing channel statuses count as changes; among equals, fewer blocking
    # labels decide. One: "Sent" blocks, "Engaged" is missing (2 changes, 1 blocking label);
    # Four: "Engaged" and "Opened" are missing (2 changes, no blocking label).
    four = channel(
        "Four",
        [("Member", 10, False), ("Sent", 20, False), ("Engaged", 30, True), ("Opened", 40, True)],
    )
    strict = campaign(3, ["Member", "Sent"])
    result = compare([one, four], [strict], rule=Rule.EXACT)
    assert result.matrix is not None
    (fit,) = result.matrix.fits
    assert result.matrix.blocking[strict.key] == (2, 2)
    assert (fit.closest_channel, fit.closest_tied, fit.closest_blocking) == ("Four", (), 2)
