"""The one catalogue of user-facing report phrases, in English and French.

Every phrase a report shows lives in the catalogue folder `catalog/` beside this module (one TOML
file per part of the product, merged into one table; a key may appear in one file only), keyed by a
stable code, with an `en` and a `fr` text. Templates and renderers never hold phrases of their
own: they call a Catalog. Parameters use str.format names.

Counts pick a plural variant `key.<form>` by the CLDR plural rule of the language, from Babel
(English: 1 is `one`, everything else `other`; French: 0 and 1 are `one`). The forms are CLDR's
categories (zero, one, two, few, many, other); a language writes the forms it needs and `other`
stands for any form it does not write (French `many`, for millions, reads as `other`). Numbers,
percents and dates are formatted by Babel with the language's CLDR data.

French typography (no-break space before : ; ? ! and inside « », U+202F narrow no-break space
before ; ? ! % and inside the quotes, U+00A0 before the colon) is applied by `typeset`, once, to
the catalogue text before its parameters are substituted: labels and other values passed in are
never touched.

The catalogue is strict: a key the code asks for that is missing, a language missing from an
entry (French never falls back to English) or a parameter a phrase needs but is not given raises
PhraseError, a bug the CLI reports as an internal error; it never prints the bare code instead.
"""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from collections.abc import Mapping
from functools import cache, lru_cache
from importlib import resources
from typing import Any

from babel import Locale
from babel.dates import format_date, format_time
from babel.numbers import format_decimal, format_percent

from .errors import PhraseError

LANGUAGES = ("en", "fr")
PLURAL_FORMS = ("zero", "one", "two", "few", "many", "other")
"""CLDR plural categories a catalogue key may end with."""

COUNT_PARAMETERS = ("count", "members", "steps")
"""The parameters that carry the count of a phrase written in plural forms, in this order."""


def _integer(value: object) -> int | None:
    """A count given as an int or as digits (possibly formatted: "5 084", "5,084")."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str):
        digits = re.sub(r"[\s,.\u00a0\u202f]", "", value)
        if digits.isdigit():
            return int(digits)
    return None


__all__ = ["LANGUAGES", "PLURAL_FORMS", "Catalog", "PhraseError", "messages", "typeset"]

_FR_RULES: tuple[tuple[re.Pattern[str], str], ...] = (
    # Any space (or none, after a word, a closing quote or bracket or a parameter) before
    # ; ? ! becomes one narrow no-break space, when the mark ends a clause.
    (re.compile(r"(?:(?<=[\w»)\]}’])|[ \u00a0\u202f]+)([;?!])(?=\s|$|[»)\]])"), "\u202f\\1"),
    # Before a colon ending a clause: a no-break space.
    (re.compile(r"(?:(?<=[\w»)\]}’])|[ \u00a0\u202f]+):(?=\s|$)"), "\u00a0:"),
    # Inside « »: narrow no-break spaces.
    (re.compile(r"«[ \u00a0\u202f]*"), "«\u202f"),
    (re.compile(r"[ \u00a0\u202f]*»"), "\u202f»"),
    # Before a percent sign that follows a number or a parameter: a no-break space (CLDR's).
    (re.compile(r"(?<=[\d}])[ \u202f]?%"), "\u00a0%"),
)


def typeset(text: str, lang: str) -> str:
    """Apply the typography of a language to catalogue text (French: no-break spaces).

    The one place French spacing is decided. Call it on catalogue text only, never on a label:
    Catalog does, on each phrase before its parameters are substituted.
    """
    if lang != "fr":
        return text
    for pattern, replacement in _FR_RULES:
        text = pattern.sub(replacement, text)
    return text


@lru_cache(maxsize=1)
def messages() -> Mapping[str, Mapping[str, str]]:
    """Load the catalogue (key -> {language: text}) from every file of catalog/."""
    folder = resources.files("statusdiff").joinpath("catalog")
    merged: dict[str, Mapping[str, str]] = {}
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if not entry.name.endswith(".toml"):
            continue
        data = tomllib.loads(entry.read_text(encoding="utf-8"))
        for key, value in data.items():
            if not isinstance(value, dict):
                continue
            if key in merged:
                raise ValueError(f"catalogue key {key!r} is defined twice (in {entry.name})")
            merged[key] = value
    check_plural_forms(merged)
    return merged


def check_plural_forms(catalogue: Mapping[str, Mapping[str, str]]) -> None:
    """Every plural form (key.zero … key.many) needs its key.other, in every language: CLDR's
    `other` is the form every language has, and stands for the forms a language does not write."""
    for key, entry in catalogue.items():
        stem, _, form = key.rpartition(".")
        if form not in PLURAL_FORMS or form == "other":
            continue
        other = catalogue.get(f"{stem}.other")
        if other is None:
            raise ValueError(f"catalogue key {key!r} is a plural form without {stem}.other")
        missing = [lang for lang in entry if not other.get(lang)]
        if missing:
            raise ValueError(f"{stem}.other has no {missing[0]!r} text for {key!r}")


@cache
def _locale(lang: str) -> Locale:
    return Locale.parse(lang)


@lru_cache(maxsize=1 << 16)
def _plural_form(lang: str, count: int) -> str:
    """The CLDR plural category of a count in a language (Babel)."""
    return str(_locale(lang).plural_form(count))


@lru_cache(maxsize=1 << 16)
def _integer_text(value: int, lang: str) -> str:
    # NOTE: cached: big runs format the same small counts hundreds of thousands of times, and
    # Babel takes ~9 µs a call.
    return format_decimal(value, format="#,##0", locale=lang)


@lru_cache(maxsize=1 << 12)
def _decimal(value: float, lang: str) -> str:
    return format_decimal(value, format="#,##0.0", locale=lang)


@lru_cache(maxsize=4096)
def _typeset_cached(text: str, lang: str) -> str:
    return typeset(text, lang)


class Catalog:
    """Phrases of one language."""

    def __init__(self, lang: str = "en") -> None:
        if lang not in LANGUAGES:
            raise ValueError(f"unknown language {lang!r}; use one of {', '.join(LANGUAGES)}")
        self.lang = lang
        self._messages = messages()

    def has(self, key: str) -> bool:
        """Tell whether the catalogue holds a key."""
        return key in self._messages

    def __call__(self, key: str, /, **params: Any) -> str:
        """Return the phrase for key, formatted with params.

        A key written only in plural forms (key.one, key.other...) takes its form from an integer
        `count` parameter, which is then formatted as a number.
        """
        entry = self._messages.get(key)
        if entry is None and f"{key}.other" in self._messages:
            name = next((p for p in COUNT_PARAMETERS if p in params), "count")
            count = _integer(params.get(name))
            if count is None:
                raise PhraseError(f"phrase {key!r} has plural forms: give an integer {name}")
            return self(self._form(key, count), **{**params, name: self.number(count)})
        if entry is None:
            raise PhraseError(f"phrase {key!r} is not in the catalogue")
        text = entry.get(self.lang)
        if not isinstance(text, str) or not text:
            raise PhraseError(f"phrase {key!r} has no {self.lang!r} text in the catalogue")
        text = _typeset_cached(text, self.lang)
        if not params:
            return text
        try:
            return text.format(**params)
        except (KeyError, IndexError) as exc:
            raise PhraseError(
                f"phrase {key!r} ({self.lang}) needs the parameter {exc}, not given"
            ) from None

    def n(self, key: str, count: int, /, **params: Any) -> str:
        """Return the plural variant of a phrase for a count, by the CLDR rule of the language.

        `key.<form>` where form is the CLDR category of the count (Babel); `key.other` when the
        catalogue does not write that form for this language.
        """
        return self(self._form(key, count), n=self.number(count), **params)

    def _form(self, key: str, count: int) -> str:
        """The catalogue key of the CLDR plural form of a count (key.other when not written)."""
        form = _plural_form(self.lang, abs(count))
        entry = self._messages.get(f"{key}.{form}")
        if entry is None or not entry.get(self.lang):
            form = "other"
        return f"{key}.{form}"

    def number(self, value: int | float) -> str:
        """Format a number for the language with CLDR data (French: 5 084, 48,4)."""
        if isinstance(value, float) and not value.is_integer():
            return _decimal(round(value, 1), self.lang)
        return _integer_text(int(value), self.lang)

    def percent(self, value: float) -> str:
        """Format a percentage given out of 100 (48.4 -> "48.4%", French "48,4 %")."""
        return format_percent(round(value / 100, 3), locale=self.lang, decimal_quantization=False)

    def moment(self, iso: str) -> str:
        """A UTC time stamp (ISO 8601) for a running sentence: "30/11/2026 à 15:46 UTC".

        Audit blocks keep the ISO text; an unreadable stamp is shown as it is.
        """
        try:
            when = dt.datetime.fromisoformat(iso.replace("Z", "+00:00"))
        except ValueError:
            return iso
        if when.tzinfo is not None:
            when = when.astimezone(dt.UTC)
        return self(
            "date.moment",
            date=format_date(when, self("date.format"), locale=self.lang),
            time=format_time(when, "HH:mm", locale=self.lang),
        )

    def join(self, items: list[str]) -> str:
        """Join clauses with the language's semicolon ("a; b", French "a ; b")."""
        return self("sep.semicolon").join(items)

    def opt(self, prefix: str, code: str, /, **params: Any) -> str:
        """Return the phrase of a code of a family (prefix.code); a missing one is a PhraseError."""
        return self(f"{prefix}.{code}", **params)


_cli_lang = ["en"]


def set_cli_language(lang: str) -> None:
    """Choose the language of command-line messages (errors, notices): compare's --lang."""
    _cli_lang[0] = lang if lang in LANGUAGES else "en"


def phrase(key: str, /, **params: Any) -> str:
    """A command-line message from the catalogue, in the language set by set_cli_language."""
    return Catalog(_cli_lang[0])(key, **params)
