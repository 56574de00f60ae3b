"""Text for the terminal: control characters shown escaped, so a label cannot drive the terminal.

Files keep every character exactly; only what is printed on stdout/stderr goes through `shown`.
An ESC (U+001B) becomes the four characters `\\x1b`, a right-to-left override becomes `U+202E`.
"""

from __future__ import annotations

import re

_UNSAFE = re.compile(
    "["
    "\x00-\x1f\x7f-\x9f"  # C0, DEL, C1 controls (ESC, CSI, BEL, CR, LF, TAB…)
    "\u00ad\u0600-\u0605\u061c\u06dd\u070f\u180e"  # format characters
    "\u200b-\u200f\u2028-\u202e\u2060-\u2064\u2066-\u206f"  # zero-width, bidi, line separators
    "\ufeff\ufff9-\ufffb"
    "\ud800-\udfff"  # lone surrogates (cannot be encoded at all)
    "\U000e0001\U000e0020-\U000e007f"  # tag characters
    "]"
)


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"U+{code:04X}"


def shown(text: str) -> str:
    """The text with every control, format and bidi character written out as an escape."""
    return _UNSAFE.sub(_escape, text) if _UNSAFE.search(text) else text


def has_surrogate(text: str) -> bool:
    """Whether text holds a lone surrogate (only JSON escapes or undecodable argv produce one)."""
    if text.isascii():
        return False
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def _json_escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    if code > 0xFFFF:
        code -= 0x10000
        return f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}"
    return f"\\u{code:04x}"


_UNSAFE_IN_JSON = re.compile(_UNSAFE.pattern.replace("\x00-\x1f", "\x00-\x08\x0b\x0c\x0e-\x1f"))
"""As _UNSAFE, less TAB, LF and CR: json.dumps escapes those inside strings, so raw ones are
the document's own white space."""


def json_shown(text: str) -> str:
    """JSON text with those characters as \\u escapes: the same data, safe on a terminal."""
    return _UNSAFE_IN_JSON.sub(_json_escape, text) if _UNSAFE_IN_JSON.search(text) else text
