"""The typed model every stage shares: inputs as read, and what the reader guessed about them.

Records that exist once per input row (ProgramStatus, MemberStatus) are NamedTuples: immutable and
typed like the frozen dataclasses used everywhere else, but about twice as cheap to build, which
matters at hundreds of thousands of rows (see bench/).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import NamedTuple


class Role(StrEnum):
    """What an input file holds."""

    CHANNELS = "channels"
    STATUSES = "statuses"
    MEMBERS = "members"
    CAMPAIGNS = "campaigns"
    PAIRS = "pairs"
    TEMPLATES = "templates"
    """Campaign Type member status templates (Custom Metadata records or their CSV)."""


NOT_IN_PROGRAM = "Not in Program"
"""Marketo's step-0 pseudo-status: part of a channel listing, never a program status."""


@dataclass(frozen=True, slots=True)
class Source:
    """One table of one input file: the file as the user named it, and the sheet or table."""

    file: str
    """The path as given on the command line (never resolved, so reports hold no machine paths)."""
    table: str | None = None
    """Sheet name, SQL table or JSON path; None for a plain CSV."""

    def where(self, row: int | None = None) -> str:
        """Render as `file[sheet]:row` for messages."""
        text = self.file if self.table is None else f"{self.file}[{self.table}]"
        return text if row is None else f"{text}:{row}"


class ProgramStatus(NamedTuple):
    """One status of a Marketo channel, verbatim."""

    name: str
    """The status name exactly as exported."""
    step: int | None
    success: bool | None
    hidden: bool
    source: Source
    row: int | None
    """1-based row (or line) in the source; None where the format has no rows (JSON)."""


@dataclass(frozen=True, slots=True)
class Channel:
    """A Marketo program channel and its program statuses, in the order they were read."""

    name: str
    program_type: str | None
    statuses: tuple[ProgramStatus, ...]
    source: Source
    row: int | None = None
    channel_id: int | None = None

    @property
    def program_statuses(self) -> tuple[ProgramStatus, ...]:
        """The real program statuses (without the Not in Program pseudo-status)."""
        return tuple(s for s in self.statuses if not is_pseudo_status(s))

    @property
    def is_event(self) -> bool:
        """Tell whether the channel applies to Event programs (system-mapped statuses)."""
        return (self.program_type or "").casefold().replace(" ", "") in {
            "event",
            "eventwithwebinar",
        }


def is_pseudo_status(status: ProgramStatus) -> bool:
    """Tell whether a channel status is the step-0 'Not in Program' pseudo-status."""
    return status.name == NOT_IN_PROGRAM and status.step in (0, None)


class MemberStatus(NamedTuple):
    """One CampaignMemberStatus row of a Salesforce campaign, verbatim."""

    label: str
    """The label exactly as exported: never trimmed, case-folded or normalised."""
    responded: bool | None
    default: bool | None
    sort_order: int | None
    record_id: str | None
    """18-character CampaignMemberStatus ID, when the export carries it."""
    source: Source
    row: int


@dataclass(frozen=True, slots=True)
class Campaign:
    """A Salesforce campaign and its member statuses, in export order."""

    key: str
    """Identity: the 18-character ID, or 'name:' + name when the export carries no ID."""
    campaign_id: str | None
    name: str | None
    type: str | None
    statuses: tuple[MemberStatus, ...]
    source: Source
    row: int | None = None
    active: bool | None = None
    """IsActive from the Campaign export; None when no export says."""

    @property
    def display(self) -> str:
        """A short human name: the campaign name, else its ID."""
        return self.name if self.name is not None else (self.campaign_id or self.key)


@dataclass(frozen=True, slots=True)
class CampaignInfo:
    """A row of a Campaign export: what names and types the campaigns carry."""

    campaign_id: str | None
    name: str | None
    type: str | None
    source: Source
    row: int
    leads: int | None = None
    """NumberOfLeads ("Leads in Campaign"), when the export carries it."""
    contacts: int | None = None
    """NumberOfContacts ("Contacts in Campaign"), when the export carries it."""

    active: bool | None = None
    """IsActive ("Active" in the UI); None when the export has no such column."""

    @property
    def members(self) -> int | None:
        """Leads + contacts in the campaign, as Salesforce counts them (None when not exported)."""
        if self.leads is None and self.contacts is None:
            return None
        return (self.leads or 0) + (self.contacts or 0)


@dataclass(frozen=True, slots=True)
class MemberCounts:
    """How many CampaignMember rows hold each status, per campaign."""

    counts: Mapping[tuple[str, str], int]
    """(campaign key, status label) -> number of members."""
    source: Source
    has_member_ids: bool = False
    """Whether the export carries CampaignMember IDs (needed to write member moves)."""
    keyed_by: str = "id"
    """'id' when campaigns are identified by ID, 'name' when only by name."""
    member_ids: Mapping[tuple[str, str], Sequence[str]] = field(default_factory=dict)
    """(campaign key, status label) -> CampaignMember IDs (18 characters when they are IDs), read
    with the same rows as the counts (deleted, blank and footer rows left out)."""
    ids_kept: bool = True
    """Whether `member_ids` holds the export's IDs: False when it was only counted
    (read.ReadOptions.member_ids off) although it carries them."""


@dataclass(frozen=True, slots=True)
class Pairing:
    """One line of a program ↔ campaign mapping."""

    program: str | None
    channel: str
    campaign_ref: str
    """The campaign as the mapping names it: an ID (15 or 18) or a name."""
    source: Source
    row: int | None = None


@dataclass(frozen=True, slots=True)
class Note:
    """Something a reader guessed or noticed, as a catalogue key and its parameters."""

    code: str
    params: tuple[tuple[str, str], ...] = ()

    def param(self, name: str) -> str:
        """Return one parameter's value."""
        return dict(self.params)[name]


@dataclass(frozen=True, slots=True)
class Skipped:
    """Rows a reader left out, grouped by why."""

    reason: str
    """Catalogue key: title, blank, footer, totals, deleted, repeated_header."""
    rows: tuple[int, ...]
    """The row numbers (all of them: kept small because these are exceptions)."""


@dataclass(frozen=True, slots=True)
class Detection:
    """Everything a reader found out or guessed about one input: shown by inspect and in reports."""

    file: str
    role: Role
    format: str
    """csv, xlsx, xls, ods, json, soap-xml, sql."""
    sha256: str
    size: int
    encoding: str | None = None
    delimiter: str | None = None
    table: str | None = None
    """Sheet or table read."""
    tables: tuple[str, ...] = ()
    """All sheets or tables the file holds."""
    header_row: int | None = None
    columns: tuple[tuple[str, str], ...] = ()
    """(source header, field) for every mapped column."""
    ignored_columns: tuple[str, ...] = ()
    rows_read: int = 0
    records: int = 0
    """Records produced: statuses, channels, members, campaigns or pairs."""
    skipped: tuple[Skipped, ...] = ()
    fill_downs: int = 0
    notes: tuple[Note, ...] = field(default_factory=tuple)
    role_by: str = "option"
    """How the role was decided: 'option' (named by the caller) or 'content' (by the file's
    format and headers)."""
    layout: str = "table"
    """'table', 'blocks' (one small table per channel) or 'one_campaign' (no campaign column)."""

    @property
    def rows_skipped(self) -> int:
        """Total rows left out."""
        return sum(len(s.rows) for s in self.skipped)


# ------------------------------------------------------------------------------------------------
# Campaign Type member status templates (statusdiff type-templates; compare --type-templates)
# ------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class TemplateRecord:
    """One status a new campaign of a Type gets: a Campaign_Type_Member_Status record."""

    campaign_type: str
    status: str
    """Campaign_Member_Status__c, verbatim: the label every new campaign of the Type receives."""
    responded: bool | None
    default: bool | None
    sort_order: int | None
    developer_name: str | None
    """The record's DeveloperName (from the file name, or a column), when known."""
    label: str | None
    """The record's label (MasterLabel), when known."""
    source: Source
    row: int | None = None


@dataclass(frozen=True, slots=True)
class TypeTemplate:
    """Every template record of one Campaign Type, in the order read (or generated)."""

    campaign_type: str
    records: tuple[TemplateRecord, ...]
    source: Source
