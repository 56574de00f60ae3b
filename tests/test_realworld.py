"""Files published by others (tests/fixtures/realworld/SOURCES.md): read, or refused clearly."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from statusdiff import ids
from statusdiff.comparison import compare
from statusdiff.errors import NotATableError, RoleError
from statusdiff.explain import Reason, explain
from statusdiff.model import Kind, Role
from statusdiff.read import read, read_campaigns, read_channels, read_members, read_statuses

from .conftest import REALWORLD


def test_rest_browse_sample() -> None:
    loaded = read_channels(REALWORLD / "marketo-rest-channels-browse-adobe-docs-sample.json")
    assert [c.name for c in loaded.records] == ["Blog", "Online Advertising"]
    blog = loaded.records[0]
    assert [(s.name, s.step, s.success) for s in blog.statuses] == [
        ("Not in Program", 0, False),
        ("Invited", 10, False),
        ("Visited Booth", 20, False),
        ("Influenced", 30, True),
    ]
    assert blog.program_type == "program"
    assert blog.channel_id == 3


def test_rest_by_name_sample_with_trailing_blank_line() -> None:
    loaded = read_channels(REALWORLD / "marketo-rest-channel-byname-adobe-docs-sample.json")
    assert [c.name for c in loaded.records] == ["Online Advertising"]


def test_amp_labs_fixture_with_type_and_no_description() -> None:
    loaded = read_channels(REALWORLD / "marketo-rest-channels-amp-labs-test-fixture.json")
    (channel,) = loaded.records
    assert [s.name for s in channel.program_statuses] == ["Filled-out Form", "Influenced"]


def test_truncated_soap_response_keeps_complete_channels_and_says_so() -> None:
    loaded = read_channels(REALWORLD / "marketo-soap-getchannels-response-adobe-docs-sample.xml")
    assert [c.name for c in loaded.records] == ["Blog", "Tradeshow", "Webinar"]
    webinar = loaded.records[2]
    names = [s.name for s in webinar.statuses]
    assert "Attended On-demand" in names and "Wait Listed" in names
    assert len(webinar.statuses) == 9
    (note,) = loaded.detection.notes
    assert note.code == "xml_truncated"
    assert note.param("channels") == "3"


def test_npsp_statuses_and_campaigns_from_sql_dumps() -> None:
    statuses = read_statuses(REALWORLD / "npsp-trailhead-dataset-campaignmemberstatus-excerpt.sql")
    assert statuses.detection.format == "sql"
    assert statuses.detection.table == "CampaignMemberStatus"
    assert len(statuses.records) == 17
    assert sum(len(c.statuses) for c in statuses.records) == 54
    first = statuses.records[0]
    assert [(s.label, s.default, s.responded) for s in first.statuses] == [
        ("Sent", True, False),
        ("Responded", False, True),
    ]
    campaigns = read_campaigns(REALWORLD / "npsp-trailhead-dataset-campaign-excerpt.sql")
    assert len(campaigns.records) == 17
    assert "Fundraisng" in {c.type for c in campaigns.records}


def test_npsp_campaigns_block_against_adobe_channels_with_type_advisory() -> None:
    channels = read_channels(REALWORLD / "marketo-rest-channels-browse-adobe-docs-sample.json")
    statuses = read_statuses(REALWORLD / "npsp-trailhead-dataset-campaignmemberstatus-excerpt.sql")
    info = read_campaigns(REALWORLD / "npsp-trailhead-dataset-campaign-excerpt.sql")
    result = compare(channels.records, statuses.records, campaign_info=info.records)
    assert result.summary.compatible == 0
    first = result.pairs[0]
    blocking = [d.label for d in first.differences if d.blocking]
    assert blocking[:2] == ["Sent", "Responded"]
    assert "type_mismatch" in {w.code for w in first.warnings}


def test_data_cloud_workshop_exports() -> None:
    campaigns = read_campaigns(
        REALWORLD / "sfdc-campaign-dataloader-export-data-cloud-workshop.csv"
    )
    assert len(campaigns.records) == 8
    names = [c.name for c in campaigns.records]
    assert names.count("Home Loan Special - July 2023") == 2
    members = read_members(
        REALWORLD / "sfdc-campaignmember-dataloader-export-data-cloud-workshop.csv"
    )
    assert sum(members.records.counts.values()) == 68
    assert {label for _, label in members.records.counts} == {"Sent"}
    assert members.records.has_member_ids


def test_markdown_pages_are_refused_as_markdown() -> None:
    # Issue 15, point 12: a Markdown page was sniffed as CSV and its prose quoted as a header.
    with pytest.raises(NotATableError) as caught:
        read(REALWORLD / "gitlab-handbook-campaign-type-member-status-tables.md", Role.CHANNELS)
    assert caught.value.message == "this is a Markdown page, not an exported table"


@pytest.mark.parametrize("org", ["gusto", "turbonomic", "illumina", "ita-minimal"])
def test_standard_value_sets_are_refused_as_statuses(org: str) -> None:
    path = REALWORLD / f"sfdc-standardvalueset-campaignmemberstatus-{org}.xml"
    with pytest.raises(RoleError) as caught:
        read(path, Role.STATUSES)
    assert "StandardValueSet" in caught.value.message


def _vocabulary(org: str) -> list[str]:
    tree = ET.parse(REALWORLD / f"sfdc-standardvalueset-campaignmemberstatus-{org}.xml")
    return [e.text or "" for e in tree.iter() if e.tag.endswith("}label")]


def test_real_vocabularies_near_misses() -> None:
    """Real org picklists hold the drift statusdiff explains: dashes, spaces, typos, case."""
    illumina = _vocabulary("illumina")
    assert "Attended – Contact Me" in illumina
    near = explain("Attended – Contact Me", ("Attended - Contact Me",))
    assert near is not None and near.reasons == (Reason.UNICODE,)
    assert near.changes[0].label_chars[0].code == "U+2013"
    doubled = next(label for label in illumina if "Booth  Contact" in label)
    near = explain(doubled, ("Visited Booth Contact Me",))
    assert near is not None and near.reasons == (Reason.WHITESPACE,)
    turbonomic = _vocabulary("turbonomic")
    for typo in ("Atteded", "Atttended"):
        assert typo in turbonomic
        near = explain(typo, ("Attended", "Registered"))
        assert near is not None and near.target == "Attended"
        assert near.reasons == (Reason.SIMILAR,)
    gusto = _vocabulary("gusto")
    assert {"No Show", "No - Show", "No- Show"} <= set(gusto)
    near = explain("No- Show", ("No Show",))
    assert near is not None and Reason.SIMILAR in near.reasons


def test_real_vocabulary_ids_in_exports_pass_checksums() -> None:
    statuses = read_statuses(REALWORLD / "npsp-trailhead-dataset-campaignmemberstatus-excerpt.sql")
    for campaign in statuses.records:
        assert campaign.campaign_id is not None
        assert ids.to18(campaign.campaign_id) == campaign.campaign_id
        for status in campaign.statuses:
            assert status.record_id is not None and status.record_id.startswith("01Y")


def test_inconsistent_responded_in_npsp_is_reported() -> None:
    """NPSP's "RSVP Yes" is responded in three campaigns and not in "Event: October 2019"."""
    from statusdiff.model import Channel, ProgramStatus, Source

    source = Source("event channel")
    event = Channel(
        "Event",
        "event",
        tuple(
            ProgramStatus(name, step, success, False, source, step)
            for name, step, success in [
                ("Sent", 10, False),
                ("RSVP Yes", 20, True),
                ("RSVP No", 20, False),
                ("No Show", 30, False),
                ("Attended", 40, True),
                ("Cancelled", 30, False),
                ("Responded", 20, True),
            ]
        ),
        source,
    )
    statuses = read_statuses(REALWORLD / "npsp-trailhead-dataset-campaignmemberstatus-excerpt.sql")
    result = compare([event], statuses.records)
    mismatched = {
        status.record_id
        for pair in result.pairs
        for d in pair.differences
        if d.kind is Kind.RESPONDED_MISMATCH and d.label == "RSVP Yes"
        for status in (d.status,)
        if status is not None
    }
    assert mismatched == {"01Y6g000000gti4EAA"}
    assert all(
        not d.blocking
        for pair in result.pairs
        for d in pair.differences
        if d.kind is Kind.RESPONDED_MISMATCH
    )
