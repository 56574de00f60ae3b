"""Salesforce record IDs: 15- and 18-character forms and the case checksum between them."""

from __future__ import annotations

from .errors import IdError
from .i18n import phrase

_SUFFIX_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345"

CAMPAIGN_PREFIX = "701"
"""Key prefix of Campaign records."""
MEMBER_STATUS_PREFIX = "01Y"
"""Key prefix of CampaignMemberStatus records."""
MEMBER_PREFIX = "00v"
"""Key prefix of CampaignMember records."""


# Each ID character becomes "1" when it is an upper-case letter A-Z, else "0"; each 5-character
# chunk of that bit string (first character = lowest bit) names one suffix character.
_UPPER_BITS = str.maketrans({chr(c): "1" if 65 <= c <= 90 else "0" for c in range(128)})
_CHUNK_CODE = {format(n, "05b")[::-1]: _SUFFIX_ALPHABET[n] for n in range(32)}


def checksum(id15: str) -> str:
    """Return the 3-character suffix that makes a 15-character ID case-insensitive."""
    bits = id15.translate(_UPPER_BITS)
    return _CHUNK_CODE[bits[0:5]] + _CHUNK_CODE[bits[5:10]] + _CHUNK_CODE[bits[10:15]]


def looks_like_id(text: str) -> bool:
    """Tell whether text has the shape of a Salesforce ID (15 or 18 letters and digits)."""
    return len(text) in (15, 18) and text.isascii() and text.isalnum()


def to18(raw: str) -> str:
    """Return the 18-character form of a Salesforce ID.

    A 15-character ID is case-sensitive and gets its checksum appended. An 18-character ID is
    checked: its suffix must be the checksum of its first 15 characters (compared without case, as
    Salesforce does). An ID whose case was destroyed (all upper or all lower case) is repaired from
    its suffix. Anything else raises IdError.
    """
    if len(raw) == 18 and raw.isascii() and raw.isalnum() and checksum(raw) == raw[15:]:
        return raw  # the common case: a well-formed ID as Salesforce exports it
    if not looks_like_id(raw):
        raise IdError(phrase("input.not_an_id", value=raw), hint=phrase("input.not_an_id.hint"))
    if len(raw) == 15:
        return raw + checksum(raw)
    head, suffix = raw[:15], raw[15:].upper()
    if checksum(head) == suffix:
        return head + suffix
    repaired = _repair_case(head, suffix)
    if repaired is not None:
        return repaired + suffix
    raise IdError(
        phrase("input.bad_checksum", value=raw, expected=checksum(head)),
        hint=phrase("input.bad_checksum.hint"),
    )


def _repair_case(head: str, suffix: str) -> str | None:
    """Restore the letter case of an ID that was upper- or lower-cased wholesale."""
    if head != head.upper() and head != head.lower():
        return None
    if any(ch not in _SUFFIX_ALPHABET for ch in suffix):
        return None
    chars = list(head.lower())
    for chunk, code in enumerate(suffix):
        bits = _SUFFIX_ALPHABET.index(code)
        for i in range(5):
            if bits & (1 << i):
                pos = chunk * 5 + i
                if not chars[pos].isalpha():
                    return None
                chars[pos] = chars[pos].upper()
    fixed = "".join(chars)
    return fixed if checksum(fixed) == suffix else None


def was_repaired(raw: str, id18: str) -> bool:
    """Tell whether to18 had to restore the case of raw."""
    return len(raw) == 18 and raw[:15] != id18[:15]
