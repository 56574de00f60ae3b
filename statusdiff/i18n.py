"""The one catalogue of user-facing report phrases, in English and French.

Every phrase a report shows lives in the catalogue folder `catalog/` beside this module (one TOML
file per part of the product, merged into one table; a key may appear in one file only), keyed by a
stable code, with an `en` and a `fr` text. Templates and renderers never hold phrases of their
own: they call a Catalog. Parameters use str.format names; counts pick `.one` / `.other`
variants (French counts 0 and 1 as singular, English only 1).

The catalogue is strict: a key the code asks for that is missing, a language missing from an
entry (French never falls back to English) or a parameter a phrase needs but is not given raises
PhraseError, a bug the CLI reports as an internal error; it never prints the bare code instead.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from functools import lru_cache
from importlib import resources
from typing import Any

from .errors import PhraseError

LANGUAGES = ("en", "fr")

__all__ = ["LANGUAGES", "Catalog", "PhraseError", "messages"]


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
    return merged


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
        """Return the phrase for key, formatted with params."""
        entry = self._messages.get(key)
        if entry is None:
            raise PhraseError(f"phrase {key!r} is not in the catalogue")
        text = entry.get(self.lang)
        if not isinstance(text, str) or not text:
            raise PhraseError(f"phrase {key!r} has no {self.lang!r} text in the catalogue")
        if not params:
            return text
        try:
            return text.format(**params)
        except (KeyError, IndexError) as exc:
            raise PhraseError(
                f"phrase {key!r} ({self.lang}) needs the parameter {exc}, not given"
            ) from None

    def n(self, key: str, count: int, /, **params: Any) -> str:
        """Return the singular or plural phrase for a count (key.one / key.other)."""
        singular = count == 1 or (self.lang == "fr" and count == 0)
        return self(f"{key}.{'one' if singular else 'other'}", n=self.number(count), **params)

    def number(self, value: int | float) -> str:
        """Format a number for the language (thin space thousands in French)."""
        if isinstance(value, float) and not value.is_integer():
            text = f"{value:,.1f}"
        else:
            text = f"{int(value):,}"
        if self.lang == "fr":
            return text.replace(",", "\u202f").replace(".", ",")
        return text

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
