"""Tell what a file is from its bytes (not its name), and how a text table is encoded and split."""

from __future__ import annotations

import codecs
import csv
import errno
import hashlib
import io
import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path

from ..errors import EmptyFileError, InputError, MissingFileError, NotATableError, WorkbookError
from ..i18n import phrase
from ..model import Note

PEEK = 64 * 1024

# (magic bytes, code of the phrase input.not_a_table.CODE)
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "png"),
    (b"\xff\xd8\xff", "jpeg"),
    (b"GIF87a", "gif"),
    (b"GIF89a", "gif"),
    (b"%PDF-", "pdf"),
    (b"\x1f\x8b", "gzip"),
    (b"7z\xbc\xaf\x27\x1c", "7z"),
    (b"Rar!\x1a\x07", "rar"),
    (b"MZ", "exe"),
    (b"\x7fELF", "elf"),
    (b"SQLite format 3\x00", "sqlite"),
)

_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP = b"PK\x03\x04"
_SEP_LINE = re.compile(r"^sep=(.)\r?\n", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class FileFacts:
    """What the bytes of a file say."""

    kind: str
    """'text', 'json', 'xml', 'sql', 'workbook'."""
    size: int
    sha256: str
    workbook_format: str | None = None
    """xlsx, xls, ods (from the container, not the name)."""


def check_file(path: Path, shown: str) -> None:
    """Raise a clear error unless path is a readable, non-empty regular file."""
    try:
        info = os.stat(path)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise MissingFileError(
                phrase("input.symlink_loop"), file=shown, hint=phrase("input.symlink_loop.hint")
            ) from exc
        if exc.errno in (errno.ENOENT, errno.ENOTDIR):
            raise MissingFileError(
                phrase("input.not_found"), file=shown, hint=phrase("input.not_found.hint")
            ) from exc
        raise MissingFileError(
            phrase("input.cannot_open", reason=exc.strerror or str(exc)), file=shown
        ) from exc
    if stat.S_ISDIR(info.st_mode):
        raise MissingFileError(
            phrase("input.is_folder"), file=shown, hint=phrase("input.is_folder.hint")
        )
    if not stat.S_ISREG(info.st_mode):
        raise MissingFileError(
            phrase("input.not_regular"), file=shown, hint=phrase("input.not_regular.hint")
        )
    if not os.access(path, os.R_OK):
        raise MissingFileError(phrase("input.permission_denied"), file=shown)
    if info.st_size == 0:
        raise EmptyFileError(phrase("input.empty"), file=shown, hint=phrase("input.empty.hint"))


def sha256_of(path: Path) -> str:
    """Hash a file without holding it in memory."""
    with path.open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def facts(path: Path, shown: str) -> FileFacts:
    """Classify a file by its first bytes.

    Text tables get no SHA-256 here: it is computed while their rows are read (one pass, not two).
    """
    check_file(path, shown)
    size = path.stat().st_size
    with path.open("rb") as handle:
        head = handle.read(PEEK)
    kind = _text_kind(head)
    digest = "" if kind == "text" else sha256_of(path)
    if head.startswith(_ZIP):
        return FileFacts("workbook", size, digest, _zip_format(path, shown))
    if head.startswith(_OLE2):
        if _is_encrypted_ole(path):
            raise WorkbookError(
                phrase("input.encrypted"), file=shown, hint=phrase("input.encrypted.hint")
            )
        return FileFacts("workbook", size, digest, "xls")
    for magic, what in _MAGIC:
        if head.startswith(magic):
            raise NotATableError(
                phrase(f"input.not_a_table.{what}"),
                file=shown,
                hint=phrase("input.bad_csv.hint"),
            )
    stripped = _strip_bom(head).lstrip()
    if not _has_bom(head) and b"\x00" in head[:4096] and not _looks_utf16(head):
        raise NotATableError(
            phrase("input.binary"),
            file=shown,
            hint=phrase("input.binary.hint"),
        )
    del stripped
    return FileFacts(kind, size, digest)


def _text_kind(head: bytes) -> str:
    """text, json, xml or sql, from the first bytes of a file that is not a binary format."""
    if _looks_utf16(head) or head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "text"
    stripped = _strip_bom(head).lstrip()
    if stripped.startswith((b"{", b"[")):
        return "json"
    if stripped.startswith(b"<"):
        return "xml"
    upper = stripped[:200].upper()
    if upper.startswith((b"CREATE TABLE", b"INSERT INTO", b"BEGIN TRANSACTION", b"PRAGMA", b"--")):
        return "sql"
    return "text"


def _zip_format(path: Path, shown: str) -> str:
    import zipfile

    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
    except zipfile.BadZipFile as exc:
        raise WorkbookError(
            phrase("input.damaged_workbook"),
            file=shown,
            hint=phrase("input.damaged_workbook.hint"),
        ) from exc
    if "content.xml" in names and "mimetype" in names:
        return "ods"
    if any(n.startswith("xl/") for n in names):
        if "xl/vbaProject.bin" in names:
            return "xlsm"
        return "xlsx"
    raise NotATableError(
        phrase("input.zip_not_workbook"),
        file=shown,
        hint=phrase("input.zip_not_workbook.hint"),
    )


def _is_encrypted_ole(path: Path) -> bool:
    with path.open("rb") as handle:
        head = handle.read(4 * 1024 * 1024)
    return "EncryptedPackage".encode("utf-16-le") in head


def _has_bom(head: bytes) -> bool:
    return head.startswith(
        (codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE, codecs.BOM_UTF32_LE)
    )


def _strip_bom(head: bytes) -> bytes:
    for bom in (codecs.BOM_UTF8, codecs.BOM_UTF32_LE, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):
        if head.startswith(bom):
            return head[len(bom) :]
    return head


def _looks_utf16(head: bytes) -> bool:
    """Tell whether BOM-less bytes are UTF-16 text: NULs on every other byte of ASCII."""
    sample = head[:4096]
    if len(sample) < 4:
        return False
    even_nul = sample[0::2].count(0)
    odd_nul = sample[1::2].count(0)
    half = len(sample) // 2
    return max(even_nul, odd_nul) > 0.4 * half and min(even_nul, odd_nul) < 0.05 * half


@dataclass(frozen=True, slots=True)
class TextDialect:
    """How a text table is encoded and delimited."""

    encoding: str
    delimiter: str
    skip_sep_line: bool
    notes: tuple[Note, ...]


def detect_encoding(
    path: Path, forced: str | None = None, *, whole_file: bool = True
) -> tuple[str, tuple[Note, ...]]:
    """Find the encoding: a BOM decides; else UTF-8 if the file decodes; else cp1252.

    With whole_file=False only the first 64 KiB are checked: the caller then reads the file as
    UTF-8 and starts again with the fallback if a later byte is not UTF-8 (one pass, not two).
    """
    if forced:
        try:
            info = codecs.lookup(forced)
        except LookupError as exc:
            raise InputError(
                phrase("input.unknown_encoding", encoding=forced),
                hint=phrase("input.unknown_encoding.hint"),
            ) from exc
        if not getattr(info, "_is_text_encoding", True):
            # NOTE: rot13, base64, zlib… are codecs, but not text encodings of bytes.
            raise InputError(
                phrase("input.not_text_encoding", encoding=forced),
                hint=phrase("input.not_text_encoding.hint"),
            )
        return forced, (Note("encoding_forced", (("encoding", forced),)),)
    with path.open("rb") as handle:
        head = handle.read(PEEK)
        if head.startswith(codecs.BOM_UTF8):
            return "utf-8-sig", (Note("bom", (("encoding", "UTF-8"),)),)
        if head.startswith(codecs.BOM_UTF32_LE):
            return "utf-32", (Note("bom", (("encoding", "UTF-32"),)),)
        if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            endian = "LE" if head.startswith(codecs.BOM_UTF16_LE) else "BE"
            return "utf-16", (Note("bom", (("encoding", f"UTF-16 {endian}"),)),)
        if _looks_utf16(head):
            encoding = "utf-16-le" if head[1::2].count(0) > head[0::2].count(0) else "utf-16-be"
            return encoding, (Note("utf16_no_bom", (("encoding", encoding.upper()),)),)
        if not whole_file:
            try:
                codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
            except UnicodeDecodeError as exc:
                return _single_byte_fallback(path, max(exc.start, 0))
            return "utf-8", ()
        handle.seek(0)
        decoder = codecs.getincrementaldecoder("utf-8")()
        offset = 0
        while True:
            chunk = handle.read(1 << 20)
            try:
                decoder.decode(chunk, final=not chunk)
            except UnicodeDecodeError as exc:
                bad = offset + max(exc.start, 0)
                return _single_byte_fallback(path, bad)
            if not chunk:
                break
            offset += len(chunk)
    return "utf-8", ()


_STRAY = re.compile("[\udc80-\udcff]")
_NON_ASCII = re.compile("[^\x00-\x7f\udc80-\udcff]")


def _refuse_mixed_utf8(path: Path, bad_offset: int) -> None:
    """A file that is UTF-8 but for a few bytes is an error, not a Windows-1252 file.

    Decoding it all as cp1252 would turn every correct "é" into "Ã©" (mojibake in every output).
    The file counts as UTF-8 when its valid multi-byte UTF-8 characters outnumber its stray bytes.
    """
    decoder = codecs.getincrementaldecoder("utf-8")(errors="surrogateescape")
    valid = stray = 0
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            text = decoder.decode(chunk)
            valid += len(_NON_ASCII.findall(text))
            stray += len(_STRAY.findall(text))
        text = decoder.decode(b"", final=True)
        stray += len(_STRAY.findall(text))
    if valid == 0 or valid < stray:
        return
    with path.open("rb") as handle:
        before = handle.read(bad_offset + 1)
    line = before.count(b"\n") + 1
    start = before.rfind(b"\n") + 1
    column = len(before[start:bad_offset].decode("utf-8", errors="replace")) + 1
    raise InputError(
        phrase(
            "input.stray_bytes",
            byte=f"0x{before[bad_offset]:02X}",
            column=column,
            stray=stray,
            valid=valid,
        ),
        file=str(path),
        row=line,
        hint=phrase("input.stray_bytes.hint"),
    )


def _single_byte_fallback(path: Path, bad_offset: int) -> tuple[str, tuple[Note, ...]]:
    _refuse_mixed_utf8(path, bad_offset)
    with path.open("rb") as handle:
        data_ok = True
        decoder = codecs.getincrementaldecoder("cp1252")()
        while chunk := handle.read(1 << 20):
            try:
                decoder.decode(chunk)
            except UnicodeDecodeError:
                data_ok = False
                break
    encoding = "cp1252" if data_ok else "latin-1"
    return encoding, (Note("not_utf8", (("offset", str(bad_offset)), ("encoding", encoding))),)


_CANDIDATES = (",", ";", "\t", "|")


def detect_delimiter(sample: str, forced: str | None = None) -> tuple[str, bool, tuple[Note, ...]]:
    """Pick the delimiter that splits the sample into the most rows of one consistent width.

    Returns the delimiter, whether an Excel `sep=` first line declared it, and notes.
    """
    match = _SEP_LINE.match(sample)
    if forced:
        return (
            forced,
            bool(match),
            (Note("delimiter_forced", (("delimiter", shown_delimiter(forced)),)),),
        )
    if match:
        delim = match.group(1)
        return delim, True, (Note("sep_line", (("delimiter", shown_delimiter(delim)),)),)
    cut = sample.rfind("\n")
    text = sample if cut < 0 else sample[: cut + 1]
    best: tuple[int, int, int] = (-1, -1, 0)
    chosen = ","
    for order, delim in enumerate(_CANDIDATES):
        widths: dict[int, int] = {}
        try:
            for i, row in enumerate(csv.reader(io.StringIO(text, newline=""), delimiter=delim)):
                if i >= 200:
                    break
                if len(row) > 1:
                    widths[len(row)] = widths.get(len(row), 0) + 1
        except csv.Error:
            continue
        if not widths:
            continue
        width, count = max(widths.items(), key=lambda kv: (kv[1], kv[0]))
        score = (count, width, -order)
        if score > best:
            best = score
            chosen = delim
    return chosen, False, ()


def shown_delimiter(delim: str) -> str:
    """Name a delimiter for people (TAB rather than an invisible character)."""
    return {"\t": "TAB", " ": "SPACE"}.get(delim, delim)
