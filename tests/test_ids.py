"""Salesforce IDs: the 18-character checksum, validation, repair, and matching rules."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from statusdiff import ids
from statusdiff.comparison import compare
from statusdiff.errors import IdError
from statusdiff.model import Campaign, Channel, MemberStatus, Pairing, ProgramStatus, Source

# Verified vectors (domain guide Part 2 §4.3). The jbaylor gist's a0D30000001n7Pi -> …EAC is wrong.
VECTORS = {
    "00558000001N0Ke": "00558000001N0KeAAK",
    "70130000001tcyI": "70130000001tcyIAAQ",
    "a0BA0000000L2ZC": "a0BA0000000L2ZCMA0",
    "AAaAAbbBBBCcCCC": "AAaAAbbBBBCcCCC123",
    "80120000000tEst": "80120000000tEstAAE",
    "a0D30000001n7Pi": "a0D30000001n7PiEAI",
}


@pytest.mark.parametrize(("id15", "id18"), sorted(VECTORS.items()))
def test_known_vectors(id15: str, id18: str) -> None:
    assert ids.to18(id15) == id18
    assert ids.to18(id18) == id18
    # The suffix is case-insensitive.
    assert ids.to18(id18[:15] + id18[15:].lower()) == id18


def test_wrong_suffix_is_an_error() -> None:
    with pytest.raises(IdError, match="wrong checksum suffix"):
        ids.to18("70130000001tcyIAAA")


@pytest.mark.parametrize("raw", ["", "7013000000", "70130000001tcy!", "70130000001tcyIAAQX"])
def test_malformed_ids(raw: str) -> None:
    with pytest.raises(IdError, match="not a Salesforce ID"):
        ids.to18(raw)


def test_case_destroyed_18_character_id_is_repaired_from_its_suffix() -> None:
    assert ids.to18("70130000001TCYIAAQ") == "70130000001tcyIAAQ"
    assert ids.to18("a0ba0000000l2zcma0") == "a0BA0000000L2ZCMA0"
    assert ids.was_repaired("70130000001TCYIAAQ", "70130000001tcyIAAQ")


ALNUM = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"


@given(st.text(alphabet=ALNUM, min_size=15, max_size=15))
def test_checksum_round_trip(id15: str) -> None:
    id18 = ids.to18(id15)
    assert id18[:15] == id15
    assert ids.to18(id18) == id18
    # Upper- or lower-casing the whole ID destroys its case; the suffix restores it.
    assert ids.to18(id18.upper()) == id18
    assert ids.to18(id18.lower()) == id18


def _campaign(key: str) -> Campaign:
    source = Source("t.csv")
    status = MemberStatus("Sent", False, True, 1, None, source, 2)
    return Campaign(key, key, None, None, (status,), source)


def test_15_and_18_character_ids_of_one_campaign_pair_up() -> None:
    source = Source("t.csv")
    channel = Channel("Email", None, (ProgramStatus("Sent", 10, False, False, source, 1),), source)
    id18 = ids.to18("7015g000001WbQ1")
    result = compare(
        [channel],
        [_campaign(id18)],
        pairings=[
            Pairing("P15", "Email", "7015g000001WbQ1", source),
            Pairing("P18", "Email", id18, source),
        ],
    )
    assert [p.compatible for p in result.pairs] == [True, True]
    assert {p.campaign.key for p in result.pairs if p.campaign} == {id18}


def test_15_character_ids_differing_in_case_are_two_campaigns() -> None:
    source = Source("t.csv")
    channel = Channel("Email", None, (ProgramStatus("Sent", 10, False, False, source, 1),), source)
    upper = ids.to18("7015g000001WbQ1")
    lower = ids.to18("7015g000001wbQ1")
    assert upper != lower
    result = compare(
        [channel],
        [_campaign(upper)],
        pairings=[Pairing("P", "Email", "7015g000001wbQ1", source)],
    )
    assert result.pairs[0].problem is not None
    assert result.pairs[0].problem.value == "unknown_campaign"
