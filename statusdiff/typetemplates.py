"""Campaign Type member status templates: campaigns of tomorrow that match by construction.

`generate` turns Marketo channels into the statuses a new Salesforce campaign of the matching Type
needs in order to sync (one TypeTemplate per channel), for the open-source "Campaign Type Member
Status" package (Custom Metadata `Campaign_Type_Member_Status__mdt`) or a Flow. `check` holds
existing templates against their channels with the very rule a campaign is held to (the verdict
and near-miss code of comparison.py), and says how to edit the records so that they fit.

Rules (issue 18): the Type is the channel name (Marketo writes the channel into Campaign Type),
`--type CHANNEL=TYPE` overrides it; Not in Program is never a status; hidden statuses are left out
with a note; Responded is the channel's success flag; exactly one default per Type, the lowest
visible step unless `--default CHANNEL=STATUS` names another; Sort Order follows the steps.
DeveloperNames are valid, unique and deterministic; the status itself is never altered.
Pure: no I/O.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

from .codes import AdvisoryCode
from .comparison import LABEL_LIMIT as STATUS_LIMIT
from .comparison import ChannelFacts, Rule, verdict
from .errors import InputError, UsageError
from .i18n import phrase
from .model import (
    Advisory,
    Campaign,
    Channel,
    Kind,
    MemberStatus,
    PairResult,
    Problem,
    ProgramStatus,
    Source,
    TemplateRecord,
    TypeTemplate,
)

NAME_LIMIT = 40
"""A DeveloperName holds at most 40 characters."""
LABEL_LIMIT = 40
"""A Custom Metadata record's label (MasterLabel) holds at most 40 characters."""
_HASH = 8
"""Hex digits of the suffix that keeps a shortened or clashing DeveloperName unique."""


# ------------------------------------------------------------------------------------------------
# Generating
# ------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Generated:
    """The templates made from channels, and what was noticed on the way (catalogue codes)."""

    templates: tuple[TypeTemplate, ...]
    notes: tuple[Advisory, ...]


def _words(text: str) -> str:
    """ASCII letters and digits of a text, every other run of characters made one underscore."""
    out = []
    for ch in unicodedata.normalize("NFKD", text):
        if unicodedata.combining(ch):
            continue
        out.append(ch if ch.isascii() and ch.isalnum() else "_")
    return re.sub(r"_+", "_", "".join(out)).strip("_")


def _digest(campaign_type: str, status: str, attempt: int) -> str:
    data = f"{campaign_type}\x1f{status}\x1f{attempt}".encode()
    return hashlib.sha256(data).hexdigest()[:_HASH]


def valid_developer_name(name: str) -> bool:
    """Tell whether a name is a valid DeveloperName: starts with a letter, letters, digits and
    single underscores, no underscore at the end, at most 40 characters."""
    return (
        0 < len(name) <= NAME_LIMIT
        and re.fullmatch(r"[A-Za-z][A-Za-z0-9]*(?:_[A-Za-z0-9]+)*", name) is not None
    )


def developer_names(keys: Sequence[tuple[str, str]]) -> list[str]:
    """A valid, unique DeveloperName for each (Campaign Type, status), deterministically.

    The readable form is TYPE_STATUS in ASCII letters and digits (accents dropped, every other
    character an underscore). When it is too long, or already taken (two statuses that differ only
    by punctuation, case or look-alike characters: Salesforce compares API names without case), it
    is shortened and given a suffix from a hash of the exact type and status, so the same inputs
    always give the same names.
    """
    taken: set[str] = set()
    out: list[str] = []
    for campaign_type, status in keys:
        kind = _words(campaign_type) or "Type"
        what = _words(status) or "Status"
        base = f"{kind}_{what}"
        if not base[0].isalpha():
            base = f"T_{base}"
        name = base
        attempt = 0
        # NOTE: Salesforce API names are unique whatever their case ("No_Show" = "no_show").
        while len(name) > NAME_LIMIT or name.lower() in taken or not valid_developer_name(name):
            stem = base[: NAME_LIMIT - _HASH - 1].rstrip("_")
            name = f"{stem}_{_digest(campaign_type, status, attempt)}"
            attempt += 1
        taken.add(name.lower())
        out.append(name)
    return out


def record_label(campaign_type: str, status: str) -> str:
    """The record's label, by the package's convention TYPE-STATUS, cut to 40 characters."""
    return f"{campaign_type}-{status}"[:LABEL_LIMIT]


def _xml_safe(text: str) -> bool:
    """Tell whether XML 1.0 carries a text unchanged (no control characters, no carriage return)."""
    return all(
        ch in "\t\n" or (" " <= ch <= "\ud7ff") or ("\ue000" <= ch <= "\ufffd") or ch > "\uffff"
        for ch in text
    )


def _pairs(values: Sequence[str] | None, option: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for value in values or []:
        left, sep, right = value.partition("=")
        if not sep or not left or not right:
            raise UsageError(
                phrase("tt.error.pair_option", option=option, value=value),
                hint=phrase("tt.error.pair_option.hint", option=option),
            )
        out[left] = right
    return out


def parse_types(values: Sequence[str] | None) -> dict[str, str]:
    """--type CHANNEL=TYPE options as a mapping (the channel name is taken as written)."""
    return _pairs(values, "--type")


def parse_defaults(values: Sequence[str] | None) -> dict[str, str]:
    """--default CHANNEL=STATUS options as a mapping."""
    return _pairs(values, "--default")


def generate(
    channels: Sequence[Channel],
    *,
    types: Mapping[str, str] | None = None,
    defaults: Mapping[str, str] | None = None,
    only: Sequence[str] | None = None,
) -> Generated:
    """The template of every channel (or of the channels named in `only`)."""
    types = dict(types or {})
    defaults = dict(defaults or {})
    by_name = {c.name: c for c in channels}
    for option, mapping in (("--type", types), ("--default", defaults)):
        for name in mapping:
            if name not in by_name:
                raise UsageError(
                    phrase("tt.error.no_channel", option=option, channel=name),
                    hint=phrase("tt.error.no_channel.hint", channels=", ".join(by_name)),
                )
    selected = list(by_name.values())
    if only:
        for name in only:
            if name not in by_name:
                raise UsageError(
                    phrase("tt.error.no_channel", option="--channel", channel=name),
                    hint=phrase("tt.error.no_channel.hint", channels=", ".join(by_name)),
                )
        selected = [by_name[name] for name in dict.fromkeys(only)]
    notes: list[Advisory] = []
    made: list[tuple[str, list[tuple[ProgramStatus, bool, int]], Source]] = []
    owner: dict[str, str] = {}
    for channel in selected:
        campaign_type = types.get(channel.name, channel.name)
        if campaign_type in owner:
            raise UsageError(
                phrase(
                    "tt.error.type_twice",
                    type=campaign_type,
                    first=owner[campaign_type],
                    second=channel.name,
                ),
                hint=phrase("tt.error.type_twice.hint"),
            )
        owner[campaign_type] = channel.name
        # One status per name, no Not in Program, in step order: what every verdict reads.
        facts = ChannelFacts.of(channel)
        hidden = [s for s in facts.by_name.values() if s.hidden]
        visible = [s for s in facts.by_step if not s.hidden]
        if hidden:
            notes.append(
                Advisory(
                    "tt.hidden_left_out",
                    None,
                    (
                        ("channel", channel.name),
                        ("statuses", ", ".join(f"'{s.name}'" for s in hidden)),
                    ),
                )
            )
        if not visible:
            notes.append(Advisory("tt.no_visible", None, (("channel", channel.name),)))
            continue
        for text, where in ((campaign_type, channel.row), *((s.name, s.row) for s in visible)):
            if not _xml_safe(text):
                bad = next(ch for ch in text if not _xml_safe(ch))
                raise InputError(
                    phrase("tt.error.xml_char", text=text, code=f"U+{ord(bad):04X}"),
                    file=channel.source.where(),
                    row=where,
                    hint=phrase("tt.error.xml_char.hint"),
                )
        names = [s.name for s in visible]
        wanted = defaults.get(channel.name)
        if wanted is None:
            default = names[0]
        elif wanted in names:
            default = wanted
        else:
            key = (
                "tt.error.default_hidden"
                if wanted in {s.name for s in hidden}
                else ("tt.error.default_unknown")
            )
            raise UsageError(
                phrase(key, channel=channel.name, status=wanted),
                hint=phrase("tt.error.default.hint", statuses=", ".join(f"'{n}'" for n in names)),
            )
        if wanted is not None:
            notes.append(Advisory("tt.default_chosen", default, (("channel", channel.name),)))
        if any(s.success is None for s in visible):
            notes.append(Advisory("tt.success_unknown", None, (("channel", channel.name),)))
        if not any(s.success for s in visible):
            notes.append(Advisory("tt.no_responded", None, (("channel", channel.name),)))
        notes.extend(
            Advisory(AdvisoryCode.LABEL_TOO_LONG, s.name, (("length", str(len(s.name))),))
            for s in visible
            if len(s.name) > STATUS_LIMIT
        )
        made.append(
            (
                campaign_type,
                [(s, s.name == default, number) for number, s in enumerate(visible, 1)],
                channel.source,
            )
        )
    keys = [(campaign_type, s.name) for campaign_type, rows, _ in made for s, _, _ in rows]
    names_iter = iter(developer_names(keys))
    templates = []
    for campaign_type, rows, source in made:
        records = tuple(
            TemplateRecord(
                campaign_type,
                s.name,
                bool(s.success),
                is_default,
                number,
                next(names_iter),
                record_label(campaign_type, s.name),
                s.source,
                s.row,
            )
            for s, is_default, number in rows
        )
        templates.append(TypeTemplate(campaign_type, records, source))
    return Generated(tuple(templates), tuple(notes))


# ------------------------------------------------------------------------------------------------
# Checking
# ------------------------------------------------------------------------------------------------


class FixAct(StrEnum):
    """One edit to the template records."""

    SET_STATUS = "set_status"
    """Change Campaign_Member_Status__c to the channel status it was meant to be."""
    DELETE = "delete"
    """Delete the record (its status is no channel status; or add it to the channel instead)."""
    ADD = "add"
    """Add a record for a channel status (two-sided rule)."""
    SET_RESPONDED = "set_responded"
    SET_DEFAULT = "set_default"


@dataclass(frozen=True, slots=True)
class TemplateFix:
    """An edit that makes a template fit its channel, record by record."""

    act: FixAct
    record: TemplateRecord | None
    """The record edited or deleted (None for an added one)."""
    value: str | bool | None = None
    """The new status (set_status, add) or flag (set_responded, set_default)."""


@dataclass(frozen=True, slots=True)
class TemplateCheck:
    """One Type's template held against its channel."""

    template: TypeTemplate
    pair: PairResult
    """The verdict, as for a campaign (channel None and problem set when no channel fits)."""
    fixes: tuple[TemplateFix, ...] = ()

    @property
    def compatible(self) -> bool:
        """Whether new campaigns of this Type will sync (no channel: not checked, not failing)."""
        return self.pair.compatible

    @property
    def failing(self) -> bool:
        """Whether the template was checked and does not fit its channel."""
        return self.pair.problem is None and not self.pair.compatible


def as_campaign(template: TypeTemplate) -> Campaign:
    """A template seen as the campaign it creates (so the campaign rule applies unchanged)."""
    statuses = tuple(
        MemberStatus(r.status, r.responded, r.default, r.sort_order, None, r.source, r.row or 0)
        for r in template.records
    )
    return Campaign(
        "type:" + template.campaign_type,
        None,
        template.campaign_type,
        template.campaign_type,
        statuses,
        template.source,
        None,
    )


def _fixes(template: TypeTemplate, pair: PairResult) -> tuple[TemplateFix, ...]:
    by_status = {r.status: r for r in template.records}
    out: list[TemplateFix] = []
    for diff in pair.differences:
        record = by_status.get(diff.label)
        if diff.kind is Kind.SALESFORCE_ONLY and diff.blocking and record is not None:
            near = diff.near_match
            if near is not None and not diff.pseudo and near.target not in by_status:
                out.append(TemplateFix(FixAct.SET_STATUS, record, near.target))
            else:
                out.append(TemplateFix(FixAct.DELETE, record))
        elif diff.kind is Kind.MARKETO_ONLY and diff.blocking:
            out.append(TemplateFix(FixAct.ADD, None, diff.label))
        elif diff.kind is Kind.RESPONDED_MISMATCH and record is not None:
            success = diff.program_status.success if diff.program_status else None
            if success is not None:
                out.append(TemplateFix(FixAct.SET_RESPONDED, record, success))
    deleted = {f.record.status for f in out if f.act is FixAct.DELETE and f.record is not None}
    kept = [r for r in template.records if r.status not in deleted]
    defaults = [r for r in kept if r.default]
    if len(defaults) > 1:
        out.extend(TemplateFix(FixAct.SET_DEFAULT, r, False) for r in defaults[1:])
    elif not defaults and kept:
        first = min(kept, key=lambda r: (r.sort_order is None, r.sort_order or 0))
        out.append(TemplateFix(FixAct.SET_DEFAULT, first, True))
    return tuple(out)


def check(
    templates: Sequence[TypeTemplate],
    channels: Sequence[Channel],
    *,
    rule: Rule = Rule.SUBSET,
    types: Mapping[str, str] | None = None,
) -> tuple[TemplateCheck, ...]:
    """Hold each Type's template against its channel: the channel the Type names (or the one
    `types` maps onto it), with the rule campaigns are held to."""
    by_name: dict[str, Channel] = {}
    for item in channels:
        by_name.setdefault(item.name, item)
    of_type = {campaign_type: name for name, campaign_type in (types or {}).items()}
    out = []
    for number, template in enumerate(templates, 1):
        channel_name = of_type.get(template.campaign_type, template.campaign_type)
        channel = by_name.get(channel_name)
        campaign = as_campaign(template)
        first = template.records[0] if template.records else None
        if channel is None:
            pair = PairResult(
                number,
                None,
                channel_name,
                template.campaign_type,
                None,
                campaign,
                False,
                problem=Problem.UNKNOWN_CHANNEL,
                source=first.source if first else template.source,
                row=first.row if first else None,
            )
            out.append(TemplateCheck(template, pair))
            continue
        ok, matches, diffs, warnings = verdict(channel, campaign, rule=rule)
        pair = PairResult(
            number,
            None,
            channel.name,
            template.campaign_type,
            channel,
            campaign,
            ok,
            matches=matches,
            differences=diffs,
            warnings=warnings,
            source=first.source if first else template.source,
            row=first.row if first else None,
        )
        out.append(TemplateCheck(template, pair, _fixes(template, pair)))
    return tuple(out)
