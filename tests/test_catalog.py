"""The phrase catalogue is complete in both languages, and strict when a phrase is missing."""

from __future__ import annotations

import re
import string
from collections.abc import Iterator
from enum import StrEnum
from pathlib import Path

import pytest
from typer.testing import CliRunner

from statusdiff import cli
from statusdiff.codes import ActionNote, AdvisoryCode, Constraint, Mode, Recommendation
from statusdiff.comparison import Rule
from statusdiff.errors import PhraseError
from statusdiff.explain import Reason
from statusdiff.i18n import LANGUAGES, Catalog, messages
from statusdiff.model import Kind, Problem, Role
from statusdiff.remediate import Act, OptionKey, Owner

from .conftest import ROOT, sample_args

PACKAGE = ROOT / "statusdiff"
TEMPLATES = ROOT / "templates"


def _sources() -> Iterator[tuple[Path, str]]:
    for path in sorted([*PACKAGE.rglob("*.py"), *TEMPLATES.glob("*.j2")]):
        yield path, path.read_text(encoding="utf-8")


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


# ------------------------------------------------------------------------------------------------
# Both languages, every key
# ------------------------------------------------------------------------------------------------


def test_every_phrase_is_in_english_and_in_french() -> None:
    catalogue = messages()
    assert len(catalogue) > 300
    for key, entry in catalogue.items():
        assert set(entry) == set(LANGUAGES), f"{key}: languages {sorted(entry)}"
        for lang in LANGUAGES:
            assert isinstance(entry[lang], str) and entry[lang].strip(), f"{key} ({lang}) empty"
        en, fr = _fields(entry["en"]), _fields(entry["fr"])
        if key.endswith(".one"):  # "l'autre paire": a singular may leave the count unsaid
            en, fr = en - {"n"}, fr - {"n"}
        assert en == fr, f"{key}: parameters differ"


def test_plural_phrases_come_in_pairs() -> None:
    keys = set(messages())
    for key in keys:
        stem, _, variant = key.rpartition(".")
        if variant == "one":
            assert f"{stem}.other" in keys, key
        if variant == "other":
            assert f"{stem}.one" in keys, key


# ------------------------------------------------------------------------------------------------
# Every key the code asks for exists
# ------------------------------------------------------------------------------------------------

_CALL = r"(?:\bt|self\.t|\bcatalog|\bcatalogue|\bt\.n|self\.t\.n|\btn)"
LITERAL = re.compile(_CALL + r"\(\s*(?P<q>[\"'])(?P<key>[A-Za-z0-9_.]+)(?P=q)")
PLURAL = re.compile(r"(?:\.n|\btn)\(\s*(?P<q>[\"'])(?P<key>[A-Za-z0-9_.]+)(?P=q)")
FAMILY = re.compile(_CALL + r"\(\s*f(?P<q>[\"'])(?P<prefix>[A-Za-z0-9_.]+)\.\{")
OPT = re.compile(r"\.opt\(\s*(?P<q>[\"'])(?P<prefix>[A-Za-z0-9_.]+)(?P=q)")

CODES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("advisory", re.compile(r"\bAdvisory\(\s*(\"(?!rec_)[a-z_]+\")")),
    ("rec", re.compile(r"\bAdvisory\(\s*(\"rec_[a-z_]+\")")),
    ("note", re.compile(r"\bNote\(\s*(\"[a-z_]+\")")),
    ("skip", re.compile(r"\bskip\(\s*(\"[a-z_]+\")")),
    ("constraint", re.compile(r"\bconstraints\.append\(\s*(\"[a-z_]+\")")),
    ("constraint", re.compile(r"\bconstraints\s*=\s*\[([^\]]*)\]")),
    ("actnote", re.compile(r"\bnotes\.append\(\s*(\"[a-z_]+\")")),
)
"""Codes the package creates, and the catalogue family that spells each out (the first group of
a pattern holds one quoted code, or a list of them)."""
ENUM_FAMILIES = frozenset({"advisory", "rec", "constraint", "actnote"})
QUOTED = re.compile(r"\"([a-z_]+)\"")

ENUMS: tuple[tuple[str, type[StrEnum]], ...] = (
    ("reason", Reason),
    ("kind", Kind),
    ("problem", Problem),
    ("role", Role),
    ("rule", Rule),
    ("owner", Owner),
    ("option", OptionKey),
    ("act", Act),
    ("advisory", AdvisoryCode),
    ("rec", Recommendation),
    ("constraint", Constraint),
    ("actnote", ActionNote),
    ("mode", Mode),
)
"""Enumerations whose every value has a phrase in a family."""


def _found(pattern: re.Pattern[str], group: str | int) -> dict[str, Path]:
    out: dict[str, Path] = {}
    for path, text in _sources():
        for match in pattern.finditer(text):
            out.setdefault(match.group(group), path)
    return out


def test_every_literal_key_in_the_code_exists() -> None:
    keys = set(messages())
    literal = _found(LITERAL, "key")
    plural = _found(PLURAL, "key")
    assert len(literal) > 150, "the scan finds the phrase calls"
    assert len(plural) > 10
    missing = [
        f"{key} ({path.relative_to(ROOT)})"
        for key, path in literal.items()
        if key not in plural and key not in keys and f"{key}.other" not in keys
    ]
    missing += [
        f"{key}.one/.other ({path.relative_to(ROOT)})"
        for key, path in plural.items()
        if not {f"{key}.one", f"{key}.other"} <= keys
    ]
    assert not missing, missing


def test_every_family_of_keys_in_the_code_exists() -> None:
    prefixes = {
        ".".join(parts[:i])
        for parts in (k.split(".") for k in messages())
        for i in range(1, len(parts))
    }
    families = {**_found(FAMILY, "prefix"), **_found(OPT, "prefix")}
    assert {"advisory", "note", "rec", "constraint", "reason"} <= set(families)
    missing = [
        f"{p} ({path.relative_to(ROOT)})" for p, path in families.items() if p not in prefixes
    ]
    assert not missing, missing


def test_every_code_the_package_creates_has_a_phrase() -> None:
    keys = set(messages())
    checked = 0
    missing = []
    for family, pattern in CODES:
        found = _found(pattern, 1)
        # Families with an enumeration (statusdiff/codes.py) are checked member by member by
        # test_every_enum_value_has_a_phrase; the scan finds their remaining literal codes.
        assert found or family in ENUM_FAMILIES, f"no {family} code found: stale scan pattern"
        codes = {code: path for text, path in found.items() for code in QUOTED.findall(text)}
        for code, path in codes.items():
            checked += 1
            if f"{family}.{code}" not in keys and f"{family}.{code}.other" not in keys:
                missing.append(f"{family}.{code} ({path.relative_to(ROOT)})")
    assert checked > 20  # the rest are enumerations (statusdiff/codes.py)
    assert not missing, missing


def test_every_enum_value_has_a_phrase() -> None:
    keys = set(messages())
    missing = [
        f"{family}.{member.value}"
        for family, enum in ENUMS
        for member in enum
        if f"{family}.{member.value}" not in keys and f"{family}.{member.value}.other" not in keys
    ]
    missing += [
        f"rule.{r.value}.explained" for r in Rule if f"rule.{r.value}.explained" not in keys
    ]
    assert not missing, missing


# ------------------------------------------------------------------------------------------------
# Strictness
# ------------------------------------------------------------------------------------------------


def test_a_missing_phrase_raises_instead_of_printing_the_code() -> None:
    t = Catalog("en")
    with pytest.raises(PhraseError, match=r"no\.such\.key"):
        t("no.such.key")
    with pytest.raises(PhraseError):
        t.opt("advisory", "no_such_code")
    with pytest.raises(PhraseError):
        t.n("no.such.count", 2)


def test_a_phrase_without_its_parameter_raises() -> None:
    with pytest.raises(PhraseError, match=r"verdict\.headline"):
        Catalog("fr")("verdict.headline", pairs="2 paires")


def test_french_never_falls_back_to_english(monkeypatch: pytest.MonkeyPatch) -> None:
    catalogue = dict(messages())
    catalogue["report.title"] = {"en": catalogue["report.title"]["en"]}
    t = Catalog("fr")
    monkeypatch.setattr(t, "_messages", catalogue)
    with pytest.raises(PhraseError, match="'fr'"):
        t("report.title")
    assert Catalog("en")("report.title") == messages()["report.title"]["en"]


def test_the_cli_reports_a_missing_phrase_as_an_internal_error(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    import statusdiff.i18n as i18n

    # the samples have a pairing that cannot be checked: their headline says so (issue 13)
    broken = {k: v for k, v in messages().items() if k != "verdict.headline.unresolved"}
    monkeypatch.setattr(i18n, "messages", lambda: broken)
    out = tmp_path / "report.md"
    result = CliRunner().invoke(cli.app, sample_args("-o", str(out)))
    # An internal error (exit 3, not 2: the input is fine): one line, the details in a file.
    assert result.exit_code == 3
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: internal error")
    assert "Traceback" not in result.output
    crash = Path(lines[0].split("details are in ", 1)[1].split(";", 1)[0])
    assert "verdict.headline" in crash.read_text(encoding="utf-8")
    crash.unlink()
    assert not out.exists()
