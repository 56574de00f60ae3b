"""Header aliases per role (API names, English and French UI labels) and role detection.

Headers are matched on a key that ignores case, accents, spaces and punctuation, so "Campaign ID",
"CAMPAIGNID", "campaign_id" and "Campaign.Id" are one header. This applies to headers only: cell
values, and labels above all, are never normalised.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from ..i18n import phrase
from ..model import Role

HEADER_MAX_LENGTH = 1_000
"""A cell longer than this is never a header (a huge label must not be folded, char by char)."""


def header_key(text: str) -> str:
    """Fold a header to letters and digits without case or accents."""
    if len(text) > HEADER_MAX_LENGTH:
        return "\x00"  # NOTE: matches no alias and no --column header
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed.casefold() if ch.isalnum())


@dataclass(frozen=True, slots=True)
class FieldSpec:
    """One field a role reads: its aliases and how much a match says about the role."""

    name: str
    aliases: tuple[str, ...]
    weight: int = 1


_CAMPAIGN_ID = (
    "CampaignId",
    "Campaign ID",
    "Campaign.Id",
    "campaign_id",
    "ID de la campagne",
    "ID campagne",
    "Campagne ID",
    "Id de campagne",
    "Identifiant de la campagne",
    "Campaign 18 ID",
    "Campaign ID (18)",
    "Campaign Id 18",
)
_CAMPAIGN_NAME = (
    "Campaign Name",
    "Campaign.Name",
    "Campaign",
    "Nom de la campagne",
    "Nom campagne",
    "Campagne",
)
_CAMPAIGN_TYPE = ("Campaign.Type", "Campaign Type", "Type de campagne")
_DELETED = ("IsDeleted", "Deleted", "Is Deleted", "Supprimé", "Supprime")

ROLE_FIELDS: Mapping[Role, tuple[FieldSpec, ...]] = {
    Role.STATUSES: (
        FieldSpec(
            "label",
            (
                "Label",
                "Member Status",
                "Status Label",
                "Member Status Label",
                "Campaign Member Status",
                "Libellé",
                "Libellé du statut",
                "Statut du membre",
                "Statut de membre",
                "Statut membre",
                "Statut de membre de campagne",
            ),
            3,
        ),
        FieldSpec(
            "record_id",
            (
                "Id",
                "sf_id",
                "Campaign Member Status ID",
                "CampaignMemberStatus ID",
                "Member Status ID",
                "ID du statut de membre de campagne",
                "ID du statut",
            ),
        ),
        FieldSpec("campaign_id", _CAMPAIGN_ID, 2),
        FieldSpec("campaign_name", _CAMPAIGN_NAME, 1),
        FieldSpec("campaign_type", _CAMPAIGN_TYPE, 0),
        FieldSpec(
            "responded", ("HasResponded", "Responded", "Has Responded", "Répondu", "A répondu"), 2
        ),
        FieldSpec(
            "default",
            ("IsDefault", "Is Default", "Default", "Par défaut", "Défaut", "Est par défaut"),
            3,
        ),
        FieldSpec("sort_order", ("SortOrder", "Sort Order", "Ordre de tri", "Ordre", "Tri"), 3),
        FieldSpec("is_deleted", _DELETED, 0),
    ),
    Role.MEMBERS: (
        FieldSpec(
            "status",
            (
                "Status",
                "Member Status",
                "Campaign Member Status",
                "Statut",
                "Statut du membre",
                "Statut de membre",
                "Statut de membre de campagne",
            ),
            2,
        ),
        FieldSpec(
            "member_id",
            ("Id", "Campaign Member ID", "CampaignMember ID", "ID du membre de campagne"),
        ),
        FieldSpec("campaign_id", _CAMPAIGN_ID, 2),
        FieldSpec("campaign_name", _CAMPAIGN_NAME, 1),
        FieldSpec("lead_id", ("LeadId", "Lead ID", "ID de la piste", "ID du prospect"), 3),
        FieldSpec("contact_id", ("ContactId", "Contact ID", "ID du contact"), 3),
        FieldSpec(
            "lead_or_contact_id",
            ("LeadOrContactId", "Lead/Contact ID", "Lead or Contact ID", "ID de piste/contact"),
            3,
        ),
        FieldSpec("email", ("Email", "E-mail", "Adresse e-mail"), 2),
        FieldSpec("first_name", ("FirstName", "First Name", "Prénom"), 2),
        FieldSpec("last_name", ("LastName", "Last Name", "Nom de famille"), 2),
        FieldSpec("responded", ("HasResponded", "Responded", "Répondu"), 0),
        FieldSpec("is_deleted", _DELETED, 0),
    ),
    Role.CAMPAIGNS: (
        FieldSpec(
            "campaign_id",
            ("Id", "sf_id", "Campaign ID", "CampaignId", "ID de la campagne", "Campaign 18 ID"),
            1,
        ),
        FieldSpec("campaign_name", ("Name", "Campaign Name", "Nom", "Nom de la campagne"), 2),
        FieldSpec("campaign_type", ("Type", "Campaign Type", "Type de campagne"), 2),
        FieldSpec("campaign_status", ("Status", "Campaign Status", "Statut"), 0),
        FieldSpec("start_date", ("StartDate", "Start Date", "Date de début"), 1),
        FieldSpec("is_active", ("IsActive", "Active", "Actif", "Active?"), 1),
        FieldSpec(
            "number_of_leads",
            ("NumberOfLeads", "Leads in Campaign", "Pistes dans la campagne"),
            1,
        ),
        FieldSpec(
            "number_of_contacts",
            ("NumberOfContacts", "Contacts in Campaign", "Contacts dans la campagne"),
            1,
        ),
        FieldSpec("parent_id", ("ParentId", "parent_id", "Parent Campaign", "Campagne parente"), 1),
        FieldSpec("is_deleted", _DELETED, 0),
    ),
    Role.CHANNELS: (
        FieldSpec(
            "channel",
            (
                "Channel",
                "Channel Name",
                "Program Channel",
                "Canal",
                "Nom du canal",
                "Canal du programme",
            ),
            3,
        ),
        FieldSpec(
            "status",
            (
                "Status",
                "Program Status",
                "Progression Status",
                "Status Name",
                "Member Status",
                "Statut",
                "Statut du programme",
                "État",
                "État du programme",
                "Nom du statut",
            ),
            1,
        ),
        FieldSpec("step", ("Step", "Étape", "Status Step", "Progression Step"), 3),
        FieldSpec("success", ("Success", "Succès", "Réussite", "Is Success"), 3),
        FieldSpec("hidden", ("Hidden", "Is Hidden", "Masqué", "Caché", "Masquer"), 2),
        FieldSpec(
            "program_type",
            (
                "Program Type",
                "Apply To",
                "Applies To",
                "applicableProgramType",
                "Applicable Program Type",
                "Appliquer à",
                "S'applique à",
                "Type de programme",
            ),
            2,
        ),
        FieldSpec("description", ("Description", "Definition", "Définition"), 0),
    ),
    Role.PAIRS: (
        FieldSpec(
            "program",
            (
                "Program",
                "Program Name",
                "Marketo Program",
                "Programme",
                "Nom du programme",
                "Programme Marketo",
            ),
            3,
        ),
        FieldSpec("program_id", ("Program ID", "Marketo Program ID", "ID du programme"), 1),
        FieldSpec(
            "channel",
            ("Channel", "Program Channel", "Channel Name", "Canal", "Canal du programme"),
            2,
        ),
        FieldSpec(
            "campaign_id",
            (
                "SFDC Campaign ID",
                "Salesforce Campaign ID",
                "Campaign ID",
                "CampaignId",
                "ID de la campagne",
                "ID de campagne Salesforce",
                "ID campagne SFDC",
            ),
            2,
        ),
        FieldSpec(
            "campaign_name",
            (
                "SFDC Campaign",
                "SFDC Campaign Name",
                "Salesforce Campaign",
                "Salesforce Campaign Name",
                "Synced Campaign",
                "Campaign Name",
                "Campaign",
                "Campagne",
                "Campagne Salesforce",
                "Campagne SFDC",
                "Nom de la campagne",
            ),
            2,
        ),
    ),
    # Campaign Type member status templates: the CSV `statusdiff type-templates` writes, or an
    # export of Campaign_Type_Member_Status__mdt records (API names or their field labels).
    Role.TEMPLATES: (
        FieldSpec(
            "campaign_type",
            ("Campaign Type", "Campaign_Type__c", "CampaignType", "Type de campagne"),
            3,
        ),
        FieldSpec(
            "status",
            (
                "Status",
                "Campaign Member Status",
                "Campaign_Member_Status__c",
                "Member Status",
                "Protected Status",
                "Statut",
                "Statut de membre",
                "Statut du membre",
                "Statut de membre de campagne",
            ),
            3,
        ),
        FieldSpec(
            "responded",
            (
                "Responded",
                "HasResponded__c",
                "HasResponded",
                "Has Responded",
                "Is Responded",
                "Répondu",
                "A répondu",
            ),
            1,
        ),
        FieldSpec(
            "default",
            ("Default", "IsDefault__c", "IsDefault", "Is Default", "Par défaut", "Défaut"),
            1,
        ),
        FieldSpec("sort_order", ("Sort Order", "SortOrder", "Ordre de tri", "Ordre"), 1),
        FieldSpec(
            "developer_name",
            ("DeveloperName", "Developer Name", "QualifiedApiName", "Nom de l'API", "Nom d'API"),
            0,
        ),
        FieldSpec("label", ("MasterLabel", "Label", "Libellé"), 0),
    ),
}

REQUIRED: Mapping[Role, tuple[tuple[str, ...], ...]] = {
    # Each inner tuple is "one of these fields".
    Role.STATUSES: (("label",), ("campaign_id", "campaign_name")),
    Role.MEMBERS: (("status",), ("campaign_id", "campaign_name")),
    Role.CAMPAIGNS: (("campaign_id", "campaign_name"), ("campaign_type", "campaign_name")),
    Role.CHANNELS: (("channel",), ("status",)),
    Role.PAIRS: (("channel",), ("campaign_id", "campaign_name")),
    Role.TEMPLATES: (("campaign_type",), ("status",)),
}

GUESSED_ROLES = tuple(role for role in Role if role is not Role.TEMPLATES)
"""Roles a header row can be guessed as. Templates are only read where asked for (their Campaign
Type and Status columns would otherwise claim a Campaign export)."""

_ALIAS_INDEX: Mapping[Role, Mapping[str, str]] = {
    role: {header_key(alias): spec.name for spec in specs for alias in spec.aliases}
    for role, specs in ROLE_FIELDS.items()
}
_WEIGHTS: Mapping[Role, Mapping[str, int]] = {
    role: {spec.name: spec.weight for spec in specs} for role, specs in ROLE_FIELDS.items()
}

IGNORED_HEADERS = frozenset({"_"})
"""Columns dropped on sight: Salesforce Inspector's leading '_' column holds the object type."""


@dataclass(frozen=True, slots=True)
class Mapping_:
    """Which column holds which field, for one role."""

    role: Role
    fields: Mapping[str, int]
    """field -> column index."""
    headers: tuple[str, ...]
    score: int

    def missing(self) -> list[str]:
        """Describe the required fields this mapping lacks."""
        return [" or ".join(group) for group in REQUIRED[self.role] if not _has_any(self, group)]

    @property
    def complete(self) -> bool:
        """Tell whether every required field is mapped."""
        return not self.missing()


def _has_any(mapping: Mapping_, group: tuple[str, ...]) -> bool:
    return any(name in mapping.fields for name in group)


def map_headers(
    role: Role, headers: Sequence[str], overrides: Mapping[str, str] | None = None
) -> Mapping_:
    """Map a header row onto a role's fields; explicit overrides (field -> header) win."""
    index = _ALIAS_INDEX[role]
    fields: dict[str, int] = {}
    keys = [header_key(h) for h in headers]
    if overrides:
        for name, wanted in overrides.items():
            wanted_key = header_key(wanted)
            for col, key in enumerate(keys):
                if headers[col] == wanted or key == wanted_key:
                    fields[name] = col
                    break
    taken = set(fields.values())
    for col, key in enumerate(keys):
        if col in taken or headers[col] in IGNORED_HEADERS:
            continue
        found = index.get(key)
        if found is not None and found not in fields:
            fields[found] = col
            taken.add(col)
    weights = _WEIGHTS[role]
    score = sum(weights.get(name, 1) for name in fields)
    return Mapping_(role, fields, tuple(headers), score)


def best_role(headers: Sequence[str]) -> tuple[Mapping_ | None, list[Mapping_]]:
    """Return the complete role mapping that fits a header row best, and every candidate.

    The first item is None when no role is complete, or when two roles tie for best.
    """
    candidates = sorted(
        (map_headers(role, headers) for role in GUESSED_ROLES),
        key=lambda m: m.score,
        reverse=True,
    )
    complete = [m for m in candidates if m.complete]
    if not complete:
        return None, candidates
    if len(complete) > 1 and complete[0].score == complete[1].score:
        return None, candidates
    return complete[0], candidates


def accepted_names(role: Role) -> str:
    """List the header names a role accepts for its required fields (for error messages)."""
    wanted = {name for group in REQUIRED[role] for name in group}
    parts = [
        f"{spec.name}: " + " / ".join(spec.aliases[:4])
        for spec in ROLE_FIELDS[role]
        if spec.name in wanted
    ]
    return phrase("sep.semicolon").join(parts)
