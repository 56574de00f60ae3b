"""Cell values: booleans in every spelling, integers, and cells from typed workbooks as text."""

from __future__ import annotations

import datetime as _dt
from typing import Any

from .errors import ValueParseError
from .i18n import phrase

_TRUE = ("true", "t", "yes", "y", "1", "oui", "o", "vrai", "v", "x", "✓", "✔", "☑", "☒", "checked")
_FALSE = ("false", "f", "no", "n", "0", "non", "faux", "✗", "✘", "☐", "-", "unchecked")

BOOLEANS: dict[object, bool | None] = {"": None, True: True, False: False}
"""Every accepted spelling, exact and upper-cased, mapped to its value; workbook booleans (and
the numbers 1 and 0, which compare equal to them) map to themselves."""
for _word in _TRUE:
    for _form in (_word, _word.upper(), _word.capitalize()):
        BOOLEANS[_form] = True
for _word in _FALSE:
    for _form in (_word, _word.upper(), _word.capitalize()):
        BOOLEANS[_form] = False

BOOLEAN_SPELLINGS = "true/false, yes/no, 1/0, oui/non, vrai/faux, x or ✓ (blank = unknown)"


def parse_bool(value: Any) -> bool | None:
    """Read a yes/no cell; blank is None. Raises ValueParseError on anything else."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        if value in (0, 1):
            return bool(value)
        raise ValueParseError(
            phrase("input.not_yes_no", value=repr(value)),
            hint=phrase("input.not_yes_no.hint", spellings=BOOLEAN_SPELLINGS),
        )
    text = str(value)
    found = BOOLEANS.get(text)
    if found is not None or text == "":
        return found
    key = text.strip().casefold()
    if key in BOOLEANS:
        return BOOLEANS[key]
    raise ValueParseError(
        phrase("input.not_yes_no", value=f"'{text}'"),
        hint=phrase("input.not_yes_no.hint", spellings=BOOLEAN_SPELLINGS),
    )


def parse_int(value: Any) -> int | None:
    """Read a whole-number cell (steps, sort orders); blank is None."""
    if isinstance(value, bool):
        raise ValueParseError(
            phrase("input.not_whole", value=repr(value)), hint=phrase("input.not_whole.hint")
        )
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        if value.is_integer():
            return int(value)
        raise ValueParseError(
            phrase("input.not_whole", value=repr(value)), hint=phrase("input.not_whole.hint")
        )
    text = str(value).strip()
    if not text:
        return None
    try:
        return int(text)
    except ValueError:
        pass
    try:
        number = float(text.replace(",", "."))
    except ValueError:
        number = float("nan")
    if number.is_integer():
        return int(number)
    raise ValueParseError(
        phrase("input.not_whole", value=f"'{text}'"), hint=phrase("input.not_whole.hint")
    )


def cell_text(value: Any) -> str:
    """Return a cell as the text a person sees, without touching text cells at all.

    Workbook readers hand over floats for numbers: a label typed as 10 reads "10", not "10.0".
    """
    if isinstance(value, str):
        return value
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, _dt.datetime) and value.time() == _dt.time(0):
        return value.date().isoformat()
    if isinstance(value, _dt.date | _dt.datetime | _dt.time):
        return value.isoformat()
    return str(value)
