"""Why two labels differ: near-miss reasons and character-level edits (never used for the verdict).

Reasons, from docs/contract.md §2, each a fold applied to both labels:
- case: equal after case-folding;
- whitespace: equal after collapsing runs of white space (any Unicode space, tab, NBSP) to one
  space and stripping both ends;
- unicode: equal after NFKC, dash look-alikes folded to '-', quote look-alikes to ' or ", and
  zero-width characters removed;
- numbering: equal after removing a leading step number on either side ("3 No Show", "01 - Member",
  "2) Registered", "4: Attended"): ASCII digits followed by `.`, `)`, `-` or `:` (spaces allowed
  around it) or by white space; never when nothing would be left ("2026" stays "2026");
- similar: none of those folds (nor any combination) makes them equal, yet after all three the
  labels are a typo apart: Levenshtein distance at most max(1, min(3, n // 4)) where n is the
  shorter length, a similarity of at least 80 %, and no negation that one has and the other lacks
  ("Registered" is never a near miss of "Not Registered" or "Unregistered").

`reasons` is the smallest set of folds that makes the labels equal, trying smaller sets first and,
within a size, case before whitespace before unicode before numbering. For `similar`, the folds
that bring the two labels closer (fewer edits) are listed before it.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache
from itertools import combinations

from rapidfuzz.distance import Indel, Levenshtein


class Reason(StrEnum):
    """Why a blocking label is a near miss of a channel status."""

    CASE = "case"
    WHITESPACE = "whitespace"
    UNICODE = "unicode"
    NUMBERING = "numbering"
    SIMILAR = "similar"


_SPACES = re.compile(r"\s+")
_DASHES = dict.fromkeys(
    [0x2010, 0x2011, 0x2012, 0x2013, 0x2014, 0x2015, 0x2212, 0xFE58, 0xFE63, 0xFF0D], "-"
)
_QUOTES = {
    **dict.fromkeys([0x2018, 0x2019, 0x201A, 0x201B, 0x2032, 0x02BC, 0xFF07], "'"),
    **dict.fromkeys([0x201C, 0x201D, 0x201E, 0x201F, 0x2033, 0xFF02], '"'),
}
ZERO_WIDTH = frozenset({0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF, 0x00AD})
_TRANSLATE = {**_DASHES, **_QUOTES, **dict.fromkeys(ZERO_WIDTH, None)}
_NEGATIONS = frozenset({"not", "no", "non", "never", "pas", "ne", "nicht", "kein", "sin", "sans"})
_NEG_PREFIXES = ("un", "non", "dis", "in", "im", "ir", "il", "de")
_NEG_PREFIX_SET = frozenset(_NEG_PREFIXES)

SIMILARITY_MIN = 80.0
"""Lowest similarity (percent, Indel-normalised) for `similar`."""


def fold_case(text: str) -> str:
    """Case-fold (Unicode full case folding)."""
    return text.casefold()


def fold_whitespace(text: str) -> str:
    """Collapse every run of white space to one space and strip both ends."""
    return _SPACES.sub(" ", text).strip(" ")


def fold_unicode(text: str) -> str:
    """NFKC, fold dash and quote look-alikes, drop zero-width characters."""
    return unicodedata.normalize("NFKC", text).translate(_TRANSLATE)


# NOTE: possessive quantifiers: one anchored match, never any backtracking (linear in the label).
_STEP_NUMBER = re.compile(r"[0-9]++(?:\s*+[.):\-]|\s)\s*+")


def fold_numbering(text: str) -> str:
    """Remove a leading step number ('3 No Show', '01 - Member', '2) Registered', '4: Attended').

    Nothing is removed when nothing would be left: a label that is only a number stays itself.
    """
    if not text[:1].isdigit():
        return text
    found = _STEP_NUMBER.match(text)
    if found is None or found.end() == len(text):
        return text
    return text[found.end() :]


_FOLDS: dict[Reason, Callable[[str], str]] = {
    Reason.UNICODE: fold_unicode,
    Reason.WHITESPACE: fold_whitespace,
    Reason.CASE: fold_case,
    Reason.NUMBERING: fold_numbering,
}
_ORDER = (Reason.CASE, Reason.WHITESPACE, Reason.UNICODE, Reason.NUMBERING)
_SUBSETS: tuple[tuple[Reason, ...], ...] = tuple(
    subset for size in range(1, len(_ORDER) + 1) for subset in combinations(_ORDER, size)
)
_PLAIN_SUBSETS = tuple(s for s in _SUBSETS if Reason.NUMBERING not in s)
"""The subsets worth trying when no label holds a digit: numbering cannot change anything."""
_ASCII_DIGIT = re.compile(r"[0-9]")
_APPLY_ORDER = (Reason.UNICODE, Reason.WHITESPACE, Reason.CASE, Reason.NUMBERING)
"""Unicode first (dash look-alikes become '-'), whitespace before numbering (leading spaces go
first), numbering last."""


def apply_folds(text: str, reasons: Sequence[Reason]) -> str:
    """Apply folds in a fixed order (unicode, whitespace, case, numbering), however named."""
    for reason in _APPLY_ORDER:
        if reason in reasons:
            text = _FOLDS[reason](text)
    return text


def normalised(text: str) -> str:
    """All four folds: the form labels are compared in for `similar`."""
    return apply_folds(text, _ORDER)


@dataclass(frozen=True, slots=True)
class CodePoint:
    """One character, with what a person needs to see it."""

    char: str
    code: str
    """U+00A0."""
    name: str
    """NO-BREAK SPACE."""
    glyph: str
    """How reports draw it: a middle dot for a space, a mark for NBSP, a tag for zero-width."""
    invisible: bool

    @property
    def described(self) -> str:
        """'U+00A0 NO-BREAK SPACE'."""
        return f"{self.code} {self.name}"


_CONTROL_NAMES = {
    0x09: "CHARACTER TABULATION",
    0x0A: "LINE FEED",
    0x0D: "CARRIAGE RETURN",
    0x0B: "LINE TABULATION",
    0x0C: "FORM FEED",
}
_GLYPHS = {
    0x20: "·",
    0xA0: "⍽",
    0x09: "→",
    0x0A: "↵",
    0x0D: "␍",
    0x200B: "[ZWSP]",
    0x200C: "[ZWNJ]",
    0x200D: "[ZWJ]",
    0x2060: "[WJ]",
    0xFEFF: "[BOM]",
    0x00AD: "[SHY]",
}


@lru_cache(maxsize=4096)
def code_point(char: str) -> CodePoint:
    """Describe one character."""
    cp = ord(char)
    name = unicodedata.name(char, "") or _CONTROL_NAMES.get(cp, f"<control-{cp:04X}>")
    category = unicodedata.category(char)
    invisible = category in ("Zs", "Zl", "Zp", "Cc", "Cf") or cp in _GLYPHS
    if cp in _GLYPHS:
        glyph = _GLYPHS[cp]
    elif category == "Zs":
        glyph = "␣"
    elif category in ("Cc", "Cf", "Zl", "Zp"):
        glyph = f"[U+{cp:04X}]"
    elif category.startswith("M"):
        glyph = "◌" + char
    else:
        glyph = char
    return CodePoint(char, f"U+{cp:04X}", name, glyph, invisible)


@dataclass(frozen=True, slots=True)
class CharChange:
    """One edit that turns part of the Salesforce label into part of the channel status."""

    op: str
    """replace, insert (into the label), delete (from the label)."""
    label_start: int
    label_end: int
    target_start: int
    target_end: int
    label_chars: tuple[CodePoint, ...]
    target_chars: tuple[CodePoint, ...]


def char_changes(label: str, target: str) -> tuple[CharChange, ...]:
    """The code-point edits from label to target (Levenshtein alignment)."""
    out = []
    for op in Levenshtein.opcodes(label, target):
        if op.tag == "equal":
            continue
        out.append(
            CharChange(
                op.tag,
                op.src_start,
                op.src_end,
                op.dest_start,
                op.dest_end,
                tuple(code_point(c) for c in label[op.src_start : op.src_end]),
                tuple(code_point(c) for c in target[op.dest_start : op.dest_end]),
            )
        )
    return tuple(out)


def position(change: CharChange, label: str, target: str) -> str:
    """Say where an edit sits: 'leading', 'trailing' or 'inner'."""
    at_start = change.label_start == 0 and change.target_start == 0
    if at_start and (change.label_end < len(label) or change.target_end < len(target)):
        return "leading"
    if change.label_end == len(label) and change.target_end == len(target):
        return "trailing"
    return "inner"


@dataclass(frozen=True, slots=True)
class NearMatch:
    """The channel status a blocking label was most likely meant to be, and why they differ."""

    target: str
    reasons: tuple[Reason, ...]
    score: float
    """Similarity of the normalised forms, 0–100."""
    changes: tuple[CharChange, ...]


def _words(text: str) -> list[str]:
    return [w for w in re.split(r"[^\w]+", text) if w]


def _negation_differs_words(wa: frozenset[str], wb: frozenset[str]) -> bool:
    """Whether two labels' words differ by a negation ('Attended' / 'Not Attended')."""
    if (wa ^ wb) & _NEGATIONS:
        return True
    for x in wa - wb:
        for y in wb - wa:
            # x is a negating prefix + y (or y one + x): 'unattended' / 'attended'
            if len(x) > len(y):
                if x.endswith(y) and x[: len(x) - len(y)] in _NEG_PREFIX_SET:
                    return True
            elif len(y) > len(x) and y.endswith(x) and y[: len(y) - len(x)] in _NEG_PREFIX_SET:
                return True
    return False


def _typo_close(a: str, b: str) -> bool:
    shorter = min(len(a), len(b))
    limit = max(1, min(3, shorter // 4))
    return Levenshtein.distance(a, b, score_cutoff=limit) <= limit


NEAR_MISS_MAX_LENGTH = 1_000
"""Labels longer than this (Salesforce holds 765) get no near-miss search: it would cost time
growing with the length and no typo or fold of a channel status is that long."""


def explain(label: str, candidates: Sequence[str]) -> NearMatch | None:
    """Find the near match of a label among channel status names (in channel order), or None."""
    if len(label) > NEAR_MISS_MAX_LENGTH:
        return None
    return _explain(label, tuple(c for c in candidates if len(c) <= NEAR_MISS_MAX_LENGTH))


def _has_digit(text: str) -> bool:
    """Whether a fold could leave an ASCII digit in text (the other folds never make one)."""
    if _ASCII_DIGIT.search(text) is not None:
        return True
    return (
        not text.isascii() and _ASCII_DIGIT.search(unicodedata.normalize("NFKC", text)) is not None
    )


@lru_cache(maxsize=1 << 12)
def _any_digit(candidates: tuple[str, ...]) -> bool:
    return any(_has_digit(name) for name in candidates)


@dataclass(frozen=True, slots=True)
class _Candidates:
    """A channel's status names prepared once for every label explained against them."""

    names: tuple[str, ...]
    subsets: tuple[tuple[Reason, ...], ...]
    """The fold subsets worth trying for these names (numbering only if a name holds a digit)."""
    folded: dict[tuple[Reason, ...], dict[str, tuple[str, ...]]]
    """Subset -> folded form -> the names with that form, in channel order."""
    normal: tuple[str, ...]
    """Each name with all four folds (`normalised`)."""
    words: tuple[frozenset[str], ...]
    """The words of each normalised name (for the negation check)."""


@lru_cache(maxsize=1 << 10)
def _prepare(candidates: tuple[str, ...], numbered: bool) -> _Candidates:
    subsets = _SUBSETS if numbered else _PLAIN_SUBSETS
    folded: dict[tuple[Reason, ...], dict[str, tuple[str, ...]]] = {}
    for subset in subsets:
        table: dict[str, tuple[str, ...]] = {}
        for name in candidates:
            key = apply_folds(name, subset)
            table[key] = (*table.get(key, ()), name)
        folded[subset] = table
    normal = tuple(normalised(name) for name in candidates)
    return _Candidates(
        candidates, subsets, folded, normal, tuple(frozenset(_words(n)) for n in normal)
    )


def _chain(subsets: Sequence[tuple[Reason, ...]]) -> tuple[tuple[tuple[Reason, ...], ...], ...]:
    """(subset in apply order, the same without its last fold, the fold) for each subset, smaller
    subsets first: a subset's form is its last fold applied to the smaller one's form."""
    out = []
    for subset in sorted(subsets, key=len):
        ordered = tuple(r for r in _APPLY_ORDER if r in subset)
        out.append((ordered, ordered[:-1], (ordered[-1],)))
    return tuple(out)


_CHAINS = {True: _chain(_SUBSETS), False: _chain(_PLAIN_SUBSETS)}
_IN_APPLY_ORDER = {subset: tuple(r for r in _APPLY_ORDER if r in subset) for subset in _SUBSETS}


def _label_folds(label: str, numbered: bool) -> dict[tuple[Reason, ...], str]:
    """The label under every fold subset worth trying, keyed by the subset in apply order."""
    done: dict[tuple[Reason, ...], str] = {(): label}
    for ordered, rest, (last,) in _CHAINS[numbered]:
        done[ordered] = _FOLDS[last](done[rest])
    return done


@lru_cache(maxsize=1 << 15)
def _explain(label: str, candidates: tuple[str, ...]) -> NearMatch | None:
    if not candidates:
        return None
    # NOTE: without a digit anywhere, every subset with numbering repeats a smaller one.
    numbered = _has_digit(label) or _any_digit(candidates)
    prepared = _prepare(candidates, numbered)
    forms = _label_folds(label, numbered)
    for subset in prepared.subsets:
        for name in prepared.folded[subset].get(forms[_IN_APPLY_ORDER[subset]], ()):
            if name != label:
                return NearMatch(name, subset, 100.0, char_changes(label, name))
    norm = normalised(label)
    best: tuple[float, int, str] | None = None
    words = frozenset(_words(norm)) if norm else frozenset()
    for index, name in enumerate(candidates):
        other = prepared.normal[index]
        if not norm or not other or _negation_differs_words(words, prepared.words[index]):
            continue
        if not _typo_close(norm, other):
            continue
        score = Indel.normalized_similarity(norm, other) * 100
        if score < SIMILARITY_MIN:
            continue
        if best is None or score > best[0]:
            best = (score, index, name)
    if best is None:
        return None
    score, _, name = best
    base = Levenshtein.distance(label, name)
    helping = tuple(
        r for r in _ORDER if Levenshtein.distance(_FOLDS[r](label), _FOLDS[r](name)) < base
    )
    return NearMatch(name, (*helping, Reason.SIMILAR), round(score, 1), char_changes(label, name))


def visible(text: str) -> list[tuple[str, CodePoint | None]]:
    """Split a label into runs for display: (plain text, None) or (glyph, its code point)."""
    return list(_visible(text))


@lru_cache(maxsize=1 << 14)
def _visible(text: str) -> tuple[tuple[str, CodePoint | None], ...]:
    """Labels repeat across thousands of pairs: their display runs are computed once."""
    plain_ascii = text.isascii() and text.isprintable()
    if plain_ascii and " " not in (text[:1] + text[-1:]) and "  " not in text:
        return ((text, None),) if text else ()
    out: list[tuple[str, CodePoint | None]] = []
    plain: list[str] = []
    for index, ch in enumerate(text):
        cp = code_point(ch)
        show = (
            cp.invisible
            and (ch != " " or index == 0 or index == len(text) - 1 or _double_space(text, index))
        ) or _composable(text, index)
        if show:
            if plain:
                out.append(("".join(plain), None))
                plain = []
            out.append((cp.glyph, cp))
        else:
            plain.append(ch)
    if plain:
        out.append(("".join(plain), None))
    return tuple(out)


def _composable(text: str, index: int) -> bool:
    """A combining mark that NFC would fold into the letter before it (a decomposed accent)."""
    if index == 0 or not unicodedata.combining(text[index]):
        return False
    return len(unicodedata.normalize("NFC", text[index - 1 : index + 1])) == 1


def _double_space(text: str, index: int) -> bool:
    return (index > 0 and text[index - 1].isspace()) or (
        index + 1 < len(text) and text[index + 1].isspace()
    )


@lru_cache(maxsize=1 << 14)
def shown(text: str) -> str:
    """A label as plain text with its invisible characters drawn (for Markdown, terminals)."""
    return "".join(part for part, _ in _visible(text))
