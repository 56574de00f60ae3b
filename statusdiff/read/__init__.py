"""Read exports into the model, and say what was guessed: the input side of statusdiff.

`read(path, role)` accepts any supported file (CSV/TSV/TXT, XLSX/XLSM/XLS/ODS, Marketo REST JSON,
SOAP XML, SQL dumps), finds the sheet and the header row, maps columns, and returns the records with
a Detection. The file is only ever opened for reading.

No process-wide state outlives a call: csv's field size limit is raised for the call only, and the
cyclic garbage collector is left alone unless the caller opts in with `pausing_gc()` (the CLI
does: building a few million small records is faster without collections).
"""

from __future__ import annotations

import gc
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Generic, TypeVar

from ..errors import EmptyFileError, HeaderError, RoleError, StatusDiffError, UsageError
from ..i18n import phrase
from ..limits import DEFAULT as DEFAULT_LIMITS
from ..limits import Limits, check_size, too_big
from ..model import (
    Campaign,
    CampaignInfo,
    Channel,
    Detection,
    MemberCounts,
    Note,
    Pairing,
    Role,
    TypeTemplate,
)
from ..progress import Progress
from ..values import cell_text
from . import records as _records
from .headers import GUESSED_ROLES, best_role, map_headers
from .marketo import read_json_channels, read_xml_channels
from .sniff import detect_encoding, facts, sha256_of
from .tables import (
    EncodingRetry,
    RawTable,
    csv_field_limit,
    sql_tables,
    text_table,
    workbook_tables,
)

T = TypeVar("T")

ROLE_NAMES = {
    Role.CHANNELS: "Marketo channels",
    Role.STATUSES: "Salesforce campaign member statuses (CampaignMemberStatus)",
    Role.MEMBERS: "Salesforce campaign members (CampaignMember)",
    Role.CAMPAIGNS: "Salesforce campaigns (Campaign)",
    Role.PAIRS: "program ↔ campaign pairs",
    Role.TEMPLATES: "Campaign Type member status templates",
}
"""English names of the roles (library use); messages take theirs from the catalogue."""


def _role_name(role: Role) -> str:
    """A role's name in error messages, in the command line's language."""
    return phrase(f"input.role_name.{role.value}")


@dataclass(frozen=True, slots=True)
class Loaded(Generic[T]):
    """Records read from one file, and how they were read."""

    records: T
    detection: Detection


@dataclass(frozen=True, slots=True)
class ReadOptions:
    """Overrides for what the reader would otherwise detect."""

    sheet: str | None = None
    encoding: str | None = None
    delimiter: str | None = None
    limits: Limits = DEFAULT_LIMITS
    """How much the file may hold (see limits.py; `--limit NAME=VALUE`)."""
    columns: Mapping[str, str] | None = None
    """field -> header, for headers no alias table knows."""
    campaign: str | None = None
    """The campaign (ID or name) of a status list that names none (one campaign's statuses)."""
    member_ids: bool = False
    """Keep each member's CampaignMember ID (change files need them, and several members exports
    are merged by them). Off, a members export is only counted: at 2,000,000 rows that saves
    ≈1.3 s and ≈200 MB (bench table c)."""


_PAUSE_GC: ContextVar[bool] = ContextVar("statusdiff_read_pause_gc", default=False)
"""Set by `pausing_gc()`: reads may pause the cyclic collector while they build records."""


@contextmanager
def pausing_gc() -> Iterator[None]:
    """Let the stages of a run inside this block pause the cyclic garbage collector while they
    build records, and freeze what they built (`collector_paused`: the reads, and pipeline.run's
    compare and planning).

    Opt-in, because the collector is process-wide: a library call must not switch it off for the
    other threads of its caller. The CLI opts in. Each stage restores the collector's state, then
    moves what it built (it lives as long as the run) out of the collector's sight with
    `gc.freeze()`. Otherwise every full collection re-scans the ~1M objects of an org-scale read:
    at 50k pairs that was ≈0.2 s of compare's time and ≈1.7 s of planning's.
    """
    token = _PAUSE_GC.set(True)
    try:
        yield
    finally:
        _PAUSE_GC.reset(token)


@contextmanager
def collector_paused() -> Iterator[None]:
    """Inside `pausing_gc()`: pause the cyclic collector for the block, then freeze what it built.

    The records a run builds (what was read, the comparison, the plans) are many small objects
    that live until the run ends and form no cycles. Outside `pausing_gc()` this does nothing.
    """
    if not _PAUSE_GC.get():
        yield
        return
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if was:
            gc.enable()


def read(
    path: str | Path,
    role: Role | None = None,
    options: ReadOptions | None = None,
    progress: Progress | None = None,
) -> Loaded[Any]:
    """Read one input file as the given role (or the role its headers show)."""
    with csv_field_limit():
        return _read(path, role, options, progress)


def _read(
    path: str | Path,
    role: Role | None,
    options: ReadOptions | None,
    progress: Progress | None,
) -> Loaded[Any]:
    options = options or ReadOptions()
    shown = str(path)
    file_path = Path(path)
    info = facts(file_path, shown)
    advance = None
    if progress is not None:
        total = info.size if info.kind == "text" else None
        advance = progress.stage(shown, total)
    if info.kind in ("json", "xml"):
        if role not in (None, Role.CHANNELS):
            if info.kind == "xml" and _xml_root(file_path) == "StandardValueSet":
                read_xml_channels(file_path, shown)  # raises the StandardValueSet explanation
            raise RoleError(
                phrase(f"input.{info.kind}_is_channels", role=_role_name(role)),
                file=shown,
                hint=phrase("input.export_as_table"),
            )
        reader = read_json_channels if info.kind == "json" else read_xml_channels
        check_size(file_path, shown, options.limits)
        channels, notes, fmt = reader(file_path, shown)
        check_lengths(channels, options.limits, shown)
        detection = Detection(
            file=shown,
            role=Role.CHANNELS,
            format=fmt,
            sha256=info.sha256,
            size=info.size,
            encoding="utf-8",
            rows_read=sum(len(c.statuses) for c in channels),
            records=len(channels),
            notes=tuple(notes),
            role_by="option" if role is not None else "content",
        )
        return Loaded(channels, detection)
    if info.kind == "text":
        try:
            return _read_text(file_path, shown, role, options, advance, None)
        except EncodingRetry:
            # The start of the file looked like UTF-8 and a later byte is not: read it again as
            # Windows-1252 (or Latin-1), saying where UTF-8 broke.
            fallback = detect_encoding(file_path, None, whole_file=True)
            return _read_text(file_path, shown, role, options, advance, fallback)
    if info.kind == "workbook":
        assert info.workbook_format is not None
        tables = workbook_tables(file_path, shown, info.workbook_format, advance, options.limits)
        fmt = info.workbook_format
    else:
        tables = sql_tables(file_path, shown, options.limits)
        fmt = "sql"
    return _build(tables, file_path, shown, role, options, info.sha256, info.size, fmt)


def _read_text(
    path: Path,
    shown: str,
    role: Role | None,
    options: ReadOptions,
    advance: Any,
    fallback: tuple[str, tuple[Note, ...]] | None,
) -> Loaded[Any]:
    table = text_table(
        path,
        shown,
        encoding=fallback[0] if fallback else options.encoding,
        delimiter=options.delimiter,
        advance=advance,
    )
    if fallback is not None:
        table.notes = [
            *fallback[1],
            *(n for n in table.notes if n.code != "encoding_forced"),
        ]
    return _build([table], path, shown, role, options, "", path.stat().st_size, table.format)


def _build(
    tables: list[RawTable],
    file_path: Path,
    shown: str,
    role: Role | None,
    options: ReadOptions,
    sha256: str,
    size: int,
    fmt: str,
) -> Loaded[Any]:
    """Find the table and header, build the records, and say how they were read."""
    try:
        located = _choose(tables, role, options, shown)
        found_role = located.mapping.role
        if found_role is Role.MEMBERS and options.member_ids:
            located = replace(located, member_ids=True)
        log = _records.new_log()
        with collector_paused():
            result = _records.BUILDERS[found_role](located, log)
        if fmt == "sql" and found_role is Role.STATUSES:
            result = _records.sql_campaign_names(tables, located, result)
    finally:
        for table in tables:
            table.close()
    table = located.table
    check_lengths(result, options.limits, table.source.where())
    if not sha256:
        sha256 = table.digest() or sha256_of(file_path)
    count = len(result.counts) if isinstance(result, MemberCounts) else len(result)
    # NOTE: a members export with a header and no rows is valid (a campaign set without
    # members): the builder notes it, and no count it gives is trusted as known.
    empty_members = any(n.code == "members_export_empty" for n in log.notes)
    if count == 0 and not empty_members:
        raise EmptyFileError(
            phrase("input.no_data_rows", row=located.header_row),
            file=table.source.where(),
            hint=phrase("input.no_data_rows.hint"),
        )
    notes = [*table.notes, *log.notes]
    if fmt in ("xlsx", "xlsm", "xls", "ods") and not shown.lower().endswith(fmt):
        notes.insert(0, Note("content_is_workbook", (("format", fmt),)))
    detection = Detection(
        file=shown,
        role=found_role,
        format=fmt,
        sha256=sha256,
        size=size,
        encoding=table.encoding,
        delimiter=table.delimiter,
        table=table.source.table,
        tables=table.tables,
        header_row=located.header_row,
        columns=located.columns(),
        ignored_columns=located.ignored(),
        rows_read=log.rows_read,
        records=count,
        skipped=log.frozen_skips(),
        fill_downs=log.fill_downs,
        notes=tuple(notes),
        role_by="option" if role is not None else "content",
        layout=located.layout,
    )
    return Loaded(result, detection)


def check_lengths(records: Any, limits: Limits, shown: str) -> None:
    """Refuse a label or name longer than the label limit (far above any real one)."""
    most = limits.label

    def over(text: str | None, row: int | None) -> None:
        if text is not None and len(text) > most:
            error = too_big("label", f"{len(text):,}", most, "label", shown)
            error.row = row
            raise error

    if isinstance(records, MemberCounts):
        for _, status in records.counts:
            over(status, None)
        return
    for record in records:
        if isinstance(record, Channel):
            over(record.name, record.row)
            for program_status in record.statuses:
                over(program_status.name, program_status.row)
        elif isinstance(record, Campaign):
            over(record.name, record.row)
            over(record.type, record.row)
            for member_status in record.statuses:
                over(member_status.label, member_status.row)
        elif isinstance(record, CampaignInfo):
            over(record.name, record.row)
            over(record.type, record.row)
        elif isinstance(record, Pairing):
            over(record.program, record.row)
            over(record.channel, record.row)
            over(record.campaign_ref, record.row)


def _xml_root(path: Path) -> str | None:
    """The local name of an XML file's root element (None when unreadable)."""
    import xml.etree.ElementTree as ET

    try:
        for _, elem in ET.iterparse(str(path), events=("start",)):
            return str(elem.tag).rsplit("}", 1)[-1]
    except ET.ParseError:
        return None
    return None


def _choose(
    tables: list[RawTable], role: Role | None, options: ReadOptions, shown: str
) -> _records.Located:
    """Pick the sheet (or SQL table) whose header fits the role best; --sheet forces one."""
    if options.sheet is not None:
        chosen = [t for t in tables if t.source.table == options.sheet]
        if not chosen and options.sheet.isdigit() and 0 < int(options.sheet) <= len(tables):
            chosen = [tables[int(options.sheet) - 1]]
        if not chosen:
            names = ", ".join(f"'{t.source.table}'" for t in tables)
            raise UsageError(
                phrase("input.no_sheet", sheet=options.sheet, sheets=names),
                file=shown,
                hint=phrase("input.no_sheet.hint"),
            )
        tables = chosen
    found: list[_records.Located] = []
    errors: list[StatusDiffError] = []
    for table in tables:
        try:
            found.append(_records.locate(table, role, options.columns))
        except HeaderError as exc:
            other = _other_layout(table, role, options)
            if other is None:
                errors.append(exc)
            else:
                found.append(other)
    if not found and role is None:
        guess = _closest_role(tables)
        if guess is not None:
            # Say what the file lacks for the role it comes closest to ("missing label"); when
            # that role's header is found after all, the file fits no role clearly: say so below.
            _choose(tables, guess, options, shown)
    if not found:
        if len(tables) == 1:
            _explain_other_role(tables[0], role, shown)
            raise errors[0]
        names = ", ".join(f"'{t.source.table}'" for t in tables)
        wanted = _role_name(role) if role else phrase("input.any_export")
        raise HeaderError(
            phrase("input.no_sheet_header", wanted=wanted, sheets=names),
            file=shown,
            hint=phrase("input.no_sheet_header.hint"),
        )
    hidden = {t.source.table for t in tables if any(n.code == "hidden_sheet" for n in t.notes)}
    found.sort(key=lambda loc: (loc.table.source.table in hidden, -loc.mapping.score))
    best = found[0]
    if role is not None:
        _refuse_other_role(best, role, shown)
    return best


def _closest_role(tables: list[RawTable]) -> Role | None:
    """The role whose fields the best header row of any table matches most (None: no field)."""
    best: tuple[int, Role] | None = None
    for table in tables:
        for row in table.head:
            headers = [cell_text(c) for c in row]
            for role in GUESSED_ROLES:
                score = map_headers(role, headers).score
                if score and (best is None or score > best[0]):
                    best = (score, role)
    return best[1] if best is not None else None


def _other_layout(
    table: RawTable, role: Role | None, options: ReadOptions
) -> _records.Located | None:
    """A table without the usual header: channel blocks, or one campaign's statuses."""
    if role in (None, Role.CHANNELS):
        blocks = _records.locate_blocks(table)
        if blocks is not None:
            return blocks
    if role in (None, Role.STATUSES):
        return _records.locate_one_campaign(table, options.columns, options.campaign)
    return None


def _explain_other_role(table: RawTable, role: Role | None, shown: str) -> None:
    """When a header does not fit the expected role, say which role it does fit."""
    if role is None:
        return
    try:
        other = _records.locate(table, None)
    except HeaderError:
        return
    if other.mapping.role != role:
        raise RoleError(
            phrase(
                "input.looks_like",
                found=_role_name(other.mapping.role),
                expected=_role_name(role),
            ),
            file=shown,
            hint=phrase("input.looks_like.hint"),
        )


def _refuse_other_role(located: _records.Located, role: Role, shown: str) -> None:
    headers = [str(h) for h in located.mapping.headers]
    best, _ = best_role(headers)
    if best is not None and best.role != role and best.score > located.mapping.score + 2:
        raise RoleError(
            phrase("input.looks_like", found=_role_name(best.role), expected=_role_name(role)),
            file=shown,
            hint=phrase("input.looks_like.hint"),
        )


def read_channels(path: str | Path, options: ReadOptions | None = None) -> Loaded[list[Channel]]:
    """Read Marketo channel definitions."""
    return read(path, Role.CHANNELS, options)


def read_statuses(path: str | Path, options: ReadOptions | None = None) -> Loaded[list[Campaign]]:
    """Read Salesforce CampaignMemberStatus rows, grouped by campaign."""
    return read(path, Role.STATUSES, options)


def read_members(path: str | Path, options: ReadOptions | None = None) -> Loaded[MemberCounts]:
    """Read a CampaignMember export as counts per (campaign, status).

    Each member's CampaignMember ID is kept too (`records.member_ids`, which change files need)
    only with `ReadOptions(member_ids=True)`; `pipeline.Job` asks for them by default.
    """
    return read(path, Role.MEMBERS, options)


def read_campaigns(
    path: str | Path, options: ReadOptions | None = None
) -> Loaded[list[CampaignInfo]]:
    """Read a Campaign export (IDs, names, types)."""
    return read(path, Role.CAMPAIGNS, options)


def read_pairs(path: str | Path, options: ReadOptions | None = None) -> Loaded[list[Pairing]]:
    """Read a program ↔ campaign mapping."""
    return read(path, Role.PAIRS, options)


def read_templates(
    path: str | Path, options: ReadOptions | None = None
) -> Loaded[list[TypeTemplate]]:
    """Read Campaign Type member status templates: a folder of Custom Metadata records, one
    record file, or a table (the CSV `statusdiff type-templates` writes, or an export)."""
    from . import metadata

    shown = str(path)
    file_path = Path(path)
    if metadata.is_folder(file_path, shown):
        templates, detection = metadata.read_folder(file_path, shown)
        return Loaded(templates, detection)
    # NOTE: decided on the first bytes (facts() would hash the whole file, then reading it
    # hashes it again).
    if metadata.looks_like_xml(file_path):
        templates, detection = metadata.read_record_file(file_path, shown)
        return Loaded(templates, detection)
    return read(file_path, Role.TEMPLATES, options)


__all__ = [
    "ROLE_NAMES",
    "Loaded",
    "ReadOptions",
    "collector_paused",
    "pausing_gc",
    "read",
    "read_campaigns",
    "read_channels",
    "read_members",
    "read_pairs",
    "read_statuses",
    "read_templates",
]
