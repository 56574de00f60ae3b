"""Cell values: booleans in every spelling, whole numbers, workbook cells as text."""

from __future__ import annotations

import datetime as dt

import pytest

from statusdiff.errors import ValueParseError
from statusdiff.values import cell_text, parse_bool, parse_int


@pytest.mark.parametrize(
    "text",
    [
        "true",
        "TRUE",
        "True",
        "1",
        "yes",
        "Yes",
        "Y",
        "oui",
        "Oui",
        "OUI",
        "vrai",
        "Vrai",
        "x",
        "X",
        "✓",
        "✔",
        " true ",
    ],
)
def test_true_spellings(text: str) -> None:
    assert parse_bool(text) is True


@pytest.mark.parametrize(
    "text", ["false", "FALSE", "0", "no", "No", "N", "non", "Non", "faux", "Faux", "✗", "-"]
)
def test_false_spellings(text: str) -> None:
    assert parse_bool(text) is False


def test_blank_is_unknown_and_typed_cells_pass_through() -> None:
    assert parse_bool("") is None
    assert parse_bool(True) is True
    assert parse_bool(0.0) is False


@pytest.mark.parametrize("text", ["maybe", "2", "oui!", "yes please"])
def test_other_text_is_refused(text: str) -> None:
    with pytest.raises(ValueParseError, match="not a yes/no value"):
        parse_bool(text)


def test_whole_numbers() -> None:
    assert parse_int("10") == 10
    assert parse_int(" 20 ") == 20
    assert parse_int("30.0") == 30
    assert parse_int("30,0") == 30
    assert parse_int(40.0) == 40
    assert parse_int("") is None
    with pytest.raises(ValueParseError):
        parse_int("1.5")
    with pytest.raises(ValueParseError):
        parse_int("first")
    with pytest.raises(ValueParseError):
        parse_int(True)


def test_cell_text_keeps_text_and_prints_numbers_as_people_see_them() -> None:
    assert cell_text("Attended ") == "Attended "
    assert cell_text(10.0) == "10"
    assert cell_text(1.5) == "1.5"
    assert cell_text(True) == "TRUE"
    assert cell_text(dt.datetime(2026, 3, 2)) == "2026-03-02"
    assert cell_text(None) == ""
