"""Every code a result carries is an enumeration member with a phrase in English and in French."""

from __future__ import annotations

from enum import StrEnum

import pytest

import statusdiff
from statusdiff.codes import (
    ActionNote,
    AdvisoryCode,
    Constraint,
    Mode,
    PairState,
    Recommendation,
)
from statusdiff.errors import PhraseError
from statusdiff.i18n import LANGUAGES, Catalog, messages
from statusdiff.remediate import PREMISES

from .conftest import GENERATED_AT, SAMPLES

FAMILIES: tuple[tuple[str, type[StrEnum]], ...] = (
    ("advisory", AdvisoryCode),
    ("rec", Recommendation),
    ("constraint", Constraint),
    ("actnote", ActionNote),
    ("mode", Mode),
    ("verdict", PairState),
)


@pytest.mark.parametrize(("family", "enum"), FAMILIES, ids=[f for f, _ in FAMILIES])
def test_every_code_has_an_english_and_a_french_phrase(family: str, enum: type[StrEnum]) -> None:
    catalogue = messages()
    for member in enum:
        key = f"{family}.{member.value}"
        # A countable phrase is written in its CLDR plural forms (key.one, key.other, ...).
        forms = [key] if key in catalogue else [k for k in catalogue if k.startswith(key + ".")]
        assert forms and (key in catalogue or f"{key}.other" in catalogue), key
        for form in forms:
            for lang in LANGUAGES:
                text = catalogue[form].get(lang)
                assert isinstance(text, str) and text.strip(), f"{form} ({lang})"
                assert text != member.value, f"{form} ({lang}) prints the code"


def test_a_code_outside_the_catalogue_fails_loudly() -> None:
    t = Catalog("fr")
    assert t.opt("constraint", Constraint.SF_ONE_CAMPAIGN) == t("constraint.sf_one_campaign")
    with pytest.raises(PhraseError):
        t.opt("constraint", "no_such_constraint")


def test_every_recommendation_has_its_premises() -> None:
    assert set(PREMISES) == {r.value for r in Recommendation}


def test_a_run_carries_only_enumerated_codes() -> None:
    job = statusdiff.Job(
        channels=[str(SAMPLES / "marketo-channels.json")],
        statuses=str(SAMPLES / "salesforce-member-statuses.csv"),
        pairs=str(SAMPLES / "program-campaign-pairs.csv"),
    )
    report = statusdiff.run(job, generated_at=GENERATED_AT)
    comparison = report.comparison
    assert isinstance(comparison.mode, Mode)
    advisories = [w for p in comparison.pairs for w in p.warnings]
    assert advisories, "the samples raise advisories"
    assert all(isinstance(a.code, AdvisoryCode) for a in advisories), advisories
    plans = list(report.plans.values())
    assert plans
    assert all(isinstance(p.reason.code, Recommendation) for p in plans)
    options = [o for p in plans for o in p.options]
    assert all(isinstance(c, Constraint) for o in options for c in o.constraints)
    notes = [n for o in options for a in o.actions for n in a.notes]
    assert notes and all(isinstance(n, ActionNote) for n in notes)


def test_pair_state_display_and_members_come_from_the_result() -> None:
    """The pair state, the campaign's display name and the members per label are properties of
    the result that every renderer reads, with the values the samples hold."""
    base = {
        "channels": [str(SAMPLES / "marketo-channels.json")],
        "statuses": str(SAMPLES / "salesforce-member-statuses.csv"),
        "pairs": str(SAMPLES / "program-campaign-pairs.csv"),
    }
    without = statusdiff.run(statusdiff.Job(**base), generated_at=GENERATED_AT).comparison
    # Without a members export counts are unknown, never zero.
    assert all(p.members_by_label is None for p in without.pairs if p.problem is None)
    job = statusdiff.Job(**base, members=str(SAMPLES / "salesforce-campaign-members.csv"))
    pairs = {p.index: p for p in statusdiff.run(job, generated_at=GENERATED_AT).comparison.pairs}
    assert [pairs[i].state for i in sorted(pairs)] == [
        PairState.WILL_SYNC,
        PairState.WILL_NOT_SYNC,
        PairState.WILL_NOT_SYNC,
        PairState.WILL_NOT_SYNC,
        PairState.WILL_SYNC,
        PairState.WILL_NOT_SYNC,
        PairState.UNRESOLVED,
    ]
    assert pairs[7].campaign_display == pairs[7].campaign_ref == "7015gQa00000099ABA"
    assert pairs[4].campaign_display == "2026 Newsletter"
    # The members export's counts, per label, exactly (samples: make_samples.CAMPAIGNS).
    assert pairs[4].members_by_label == {"Member": 300, "engaged": 41, "Opened": 66}
    assert pairs[2].members_by_label == {
        "Invited": 55,
        "Registered": 30,
        "No-Show": 9,
        "Attended ": 18,
        "Attended On\u2011Demand": 4,
    }
