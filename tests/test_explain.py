"""Near-miss reasons and character-level explanations, with real look-alike characters."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rapidfuzz.distance import Indel, Levenshtein

from statusdiff import explain as explain_module
from statusdiff.explain import (
    NearMatch,
    Reason,
    apply_folds,
    char_changes,
    code_point,
    explain,
    normalised,
    shown,
    visible,
)

C, W, U, S = Reason.CASE, Reason.WHITESPACE, Reason.UNICODE, Reason.SIMILAR
N = Reason.NUMBERING

CASES = [
    # (Salesforce label, channel statuses, expected target, expected reasons)
    ("attended", ["Attended"], "Attended", (C,)),
    ("Attended ", ["Attended"], "Attended", (W,)),
    (" Attended", ["Attended"], "Attended", (W,)),
    ("No\u00a0Show", ["No Show"], "No Show", (W,)),
    ("No  Show", ["No Show"], "No Show", (W,)),
    ("No\tShow", ["No Show"], "No Show", (W,)),
    ("Attended On\u2011Demand", ["Attended On-Demand"], "Attended On-Demand", (U,)),
    ("Attended \u2013 Contact Me", ["Attended - Contact Me"], "Attended - Contact Me", (U,)),
    ("De\u0301sinscrit", ["Désinscrit"], "Désinscrit", (U,)),
    ("Attended\u200b", ["Attended"], "Attended", (U,)),
    ("\ufeffAttended", ["Attended"], "Attended", (U,)),
    ("Visitor\u2019s Pass", ["Visitor's Pass"], "Visitor's Pass", (U,)),
    ("attended ", ["Attended"], "Attended", (C, W)),
    ("ATTENDED\u00a0ON\u2011DEMAND", ["Attended On-Demand"], "Attended On-Demand", (C, U)),
    ("No-Show", ["No Show"], "No Show", (S,)),
    ("Wait Listed", ["Waitlisted"], "Waitlisted", (C, S)),
    ("Registerd", ["Registered"], "Registered", (S,)),
    ("Atttended", ["Attended", "Registered"], "Attended", (S,)),
    # Same step number, another separator: equal once the step numbers are removed.
    ("01-Member", ["01 - Member"], "01 - Member", (N,)),
    # Numbered statuses (issue 10, finding 7): a leading step number on either side.
    ("3 No Show", ["1 Member", "No Show"], "No Show", (N,)),
    ("No Show", ["1 Member", "3 No Show"], "3 No Show", (N,)),
    ("4 Attended \u2013 Success", ["Attended - Success"], "Attended - Success", (U, N)),
    ("01 - Member", ["Member"], "Member", (N,)),
    ("2) Registered", ["Registered"], "Registered", (N,)),
    ("4: Attended", ["Attended"], "Attended", (N,)),
    ("1.Member", ["Member"], "Member", (N,)),
    ("3 No Show", ["4 No Show"], "4 No Show", (N,)),
    ("3 no show", ["No Show"], "No Show", (C, N)),
    (" 3 No Show", ["No Show"], "No Show", (W, N)),
    ("3 No Shw", ["No Show"], "No Show", (N, S)),
    ("\uff13 No Show", ["No Show"], "No Show", (U, N)),  # a FULLWIDTH DIGIT THREE
    ("registerd ", ["Registered"], "Registered", (C, W, S)),
]


@pytest.mark.parametrize(("label", "statuses", "target", "reasons"), CASES)
def test_reasons(label: str, statuses: list[str], target: str, reasons: tuple[Reason, ...]) -> None:
    near = explain(label, statuses)
    assert near is not None
    assert near.target == target
    assert near.reasons == reasons


NOT_NEAR = [
    ("Sent", ["Invited", "Registered", "Attended"]),
    ("Responded", ["Registered", "Attended"]),
    ("Not Registered", ["Registered"]),
    ("Unregistered", ["Registered"]),
    ("No Show", ["Show"]),
    ("Attended", ["Attended On-Demand"]),
    ("Meeting Booked", ["Visited Booth", "Engaged"]),
    ("Opened", ["Member", "Engaged"]),
    ("Invited", ["Visited"]),
    # A number alone is not a step number; a digit glued to a word is part of the word.
    ("2026", ["2025"]),
    ("3M Webinar", ["Webinar"]),
    ("3 Not Registered", ["Registered"]),
]


@pytest.mark.parametrize(("label", "statuses"), NOT_NEAR)
def test_labels_that_are_not_near_misses(label: str, statuses: list[str]) -> None:
    assert explain(label, statuses) is None


def test_smallest_set_is_preferred_over_similarity() -> None:
    near = explain("attended", ["Attendee", "Attended"])
    assert near is not None
    assert (near.target, near.reasons) == ("Attended", (C,))


def test_character_changes_name_the_code_points() -> None:
    near = explain("Attended On\u2011Demand", ["Attended On-Demand"])
    assert near is not None
    (change,) = near.changes
    assert change.op == "replace"
    assert (change.label_start, change.label_end) == (11, 12)
    assert [c.described for c in change.label_chars] == ["U+2011 NON-BREAKING HYPHEN"]
    assert [c.described for c in change.target_chars] == ["U+002D HYPHEN-MINUS"]


def test_trailing_space_is_a_delete_at_the_end() -> None:
    near = explain("Attended ", ["Attended"])
    assert near is not None
    (change,) = near.changes
    assert (change.op, change.label_start, change.label_end) == ("delete", 8, 9)
    assert change.label_chars[0].described == "U+0020 SPACE"


def test_invisible_characters_are_drawn() -> None:
    assert shown("Attended ") == "Attended·"
    assert shown("No\u00a0Show") == "No⍽Show"
    assert shown("A\u200bB") == "A[ZWSP]B"
    assert shown("No  Show") == "No··Show"
    assert shown("No Show") == "No Show"
    # A decomposed accent is drawn, so "Café" (NFD) and "Café" (NFC) look different...
    assert shown("Cafe\u0301") == "Cafe◌\u0301"
    assert shown("Café") == "Café"
    # ...but marks with no precomposed form (most scripts) are left alone.
    assert shown("क\u093f") == "क\u093f"
    parts = visible("No\u00a0Show")
    assert parts[1][1] is not None and parts[1][1].name == "NO-BREAK SPACE"


def test_control_characters_have_names() -> None:
    assert code_point("\t").name == "CHARACTER TABULATION"
    assert code_point("\x01").name == "<control-0001>"
    assert code_point("\u0301").glyph == "◌\u0301"


def test_step_number_fold_handles_huge_labels() -> None:
    from statusdiff.explain import fold_numbering

    assert fold_numbering("7" * 100_000 + " " * 100_000 + "x") == "x"
    only_number = "1" * 200_000 + " -" + " " * 100_000
    assert fold_numbering(only_number) == only_number
    assert fold_numbering("12" + "-" * 50_000) == "-" * 49_999


# ------------------------------------------------------------------------------------------------
# The prepared search (candidates folded once per channel) equals the plain search
# ------------------------------------------------------------------------------------------------

_CHARS = "aAbBeEnNdDoOtTuUi 3-\u00a0\u2011\u2019'\u200b\u0301.)"


def _negation_differs(wa: frozenset[str], wb: frozenset[str]) -> bool:
    """'Not Attended' / 'Attended', 'Unattended' / 'Attended': by concatenation, the slow way."""
    if (wa ^ wb) & {"not", "no", "non", "never", "pas", "ne", "nicht", "kein", "sin", "sans"}:
        return True
    prefixes = ("un", "non", "dis", "in", "im", "ir", "il", "de")
    return any(x == p + y or y == p + x for x in wa - wb for y in wb - wa for p in prefixes)


def _plain_search(label: str, candidates: tuple[str, ...]) -> NearMatch | None:
    """The near-miss search written the slow, obvious way: fold both sides for every subset."""
    numbered = explain_module._has_digit(label) or any(
        explain_module._has_digit(c) for c in candidates
    )
    subsets = explain_module._SUBSETS if numbered else explain_module._PLAIN_SUBSETS
    for subset in subsets:
        key = apply_folds(label, subset)
        for name in candidates:
            if name != label and apply_folds(name, subset) == key:
                return NearMatch(name, subset, 100.0, char_changes(label, name))
    norm = normalised(label)
    best: tuple[float, str] | None = None
    for name in candidates:
        other = normalised(name)
        words_a = frozenset(w for w in re.split(r"[^\w]+", norm) if w)
        words_b = frozenset(w for w in re.split(r"[^\w]+", other) if w)
        if not norm or not other or _negation_differs(words_a, words_b):
            continue
        if not explain_module._typo_close(norm, other):
            continue
        score = Indel.normalized_similarity(norm, other) * 100
        if score >= explain_module.SIMILARITY_MIN and (best is None or score > best[0]):
            best = (score, name)
    if best is None:
        return None
    score, name = best
    base = Levenshtein.distance(label, name)
    helping = tuple(
        r
        for r in explain_module._ORDER
        if Levenshtein.distance(explain_module._FOLDS[r](label), explain_module._FOLDS[r](name))
        < base
    )
    return NearMatch(name, (*helping, Reason.SIMILAR), round(score, 1), char_changes(label, name))


@settings(max_examples=400)
@given(
    st.text(alphabet=_CHARS, min_size=1, max_size=12),
    st.lists(st.text(alphabet=_CHARS, min_size=1, max_size=12), min_size=1, max_size=6),
)
def test_prepared_search_equals_the_plain_search(label: str, names: list[str]) -> None:
    candidates = tuple(names)
    assert explain(label, candidates) == _plain_search(label, candidates)


def test_prepared_search_keeps_channel_order_among_equal_folds() -> None:
    """Two channel statuses fold alike: the first in channel order is the near match."""
    assert explain("no show", ("No Show", "NO SHOW")) == _plain_search(
        "no show", ("No Show", "NO SHOW")
    )
    found = explain("no show", ("No Show", "NO SHOW"))
    assert found is not None and found.target == "No Show"


@settings(max_examples=300)
@given(
    st.sampled_from(["attended", "un", "non", "dis", "in", "de", "not", "at", "tended"]).flatmap(
        lambda first: st.lists(
            st.sampled_from(["attended", "untended", "nonattended", "disattended", "ended"]),
            max_size=3,
        ).map(lambda rest: frozenset([first, *rest]))
    ),
    st.lists(
        st.sampled_from(["attended", "unattended", "tended", "deattended", "not", "x"]),
        min_size=1,
        max_size=3,
    ).map(frozenset),
)
def test_negation_check_equals_the_plain_one(wa: frozenset[str], wb: frozenset[str]) -> None:
    assert explain_module._negation_differs_words(wa, wb) == _negation_differs(wa, wb)
