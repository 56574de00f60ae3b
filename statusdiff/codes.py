"""The codes a result carries, as enumerations (one catalogue phrase each, in English and French).

They are StrEnums: a code compares equal to its text and is written as its text, so the JSON output
and every catalogue key (`advisory.<code>`, `rec.<code>`, `constraint.<code>`, `actnote.<code>`,
`mode.<code>`) are unchanged. tests/test_codes.py checks that every member has a phrase in both
languages.
"""

from __future__ import annotations

from enum import StrEnum


class AdvisoryCode(StrEnum):
    """Warnings that never block (catalogue family `advisory`)."""

    ALTERNATIVES_PARTLY_RANKED = "alternatives_partly_ranked"
    BASELINE_CHANNEL_GONE = "baseline_channel_gone"
    BASELINE_RULE_DIFFERS = "baseline_rule_differs"
    CAMPAIGN_MATCHED_LOOSELY = "campaign_matched_loosely"
    CHANNEL_MATCHED_LOOSELY = "channel_matched_loosely"
    DUPLICATE_CHANNEL_NAME = "duplicate_channel_name"
    DUPLICATE_CHANNEL_STATUS = "duplicate_channel_status"
    DUPLICATE_LABEL = "duplicate_label"
    DUPLICATE_RECORDS = "duplicate_records"
    HIDDEN_MATCH = "hidden_match"
    LABEL_TOO_LONG = "label_too_long"
    MEMBERS_COVER_NONE = "members_cover_none"
    MEMBERS_EXPORT_EMPTY = "members_export_empty"
    MEMBERS_IN_SEVERAL_FILES = "members_in_several_files"
    MEMBERS_NOT_IN_EXPORT = "members_not_in_export"
    MEMBERS_TOTALS_DISAGREE = "members_totals_disagree"
    NO_DEFAULT = "no_default"
    NO_RESPONDED = "no_responded"
    TYPE_MISMATCH = "type_mismatch"
    UNDEFINED_MEMBER_STATUS = "undefined_member_status"


class Recommendation(StrEnum):
    """Why one option is recommended (catalogue family `rec`; premises in remediate.PREMISES)."""

    SYNC_OTHER = "rec_sync_other"
    NEAR_MISSES = "rec_near_misses"
    SHARED_CHANNEL = "rec_shared_channel"
    SALESFORCE_DEFAULTS = "rec_salesforce_defaults"
    ONE_CAMPAIGN = "rec_one_campaign"
    MEMBERS_HOLD = "rec_members_hold"
    B_LOSSY = "rec_b_lossy"
    B_LOSSY_OTHER = "rec_b_lossy_other"
    LOSSY_ONLY = "rec_lossy_only"
    ONLY_MARKETO = "rec_only_marketo"
    ONLY_OTHER = "rec_only_other"
    MANUAL = "rec_manual"
    TIED_CHANNEL = "rec_tied_channel"


class Constraint(StrEnum):
    """The real-world limits of an option (catalogue family `constraint`)."""

    A_ONE_TO_ONE = "a_one_to_one"
    A_PLAUSIBLE_ONLY = "a_plausible_only"
    A_NO_CLEAR_TWIN = "a_no_clear_twin"
    A_NONE_IN_EXPORTS = "a_none_in_exports"
    SF_ONE_CAMPAIGN = "sf_one_campaign"
    SF_NO_DESTINATION = "sf_no_destination"
    SF_USAGE_UNKNOWN = "sf_usage_unknown"
    RENAME_UNDOCUMENTED = "rename_undocumented"
    MK_ADMIN_ONLY = "mk_admin_only"
    MK_SHARED_CHANNEL = "mk_shared_channel"
    MK_HIDE_NOT_DELETE = "mk_hide_not_delete"
    MK_NOT_RETROACTIVE = "mk_not_retroactive"
    MK_EXISTING_STATUS = "mk_existing_status"
    MK_STRICT_MISSING = "mk_strict_missing"
    MK_EVENT_LOCKED = "mk_event_locked"
    TIED_CHANNEL = "tied_channel"


class ActionNote(StrEnum):
    """Why a step, what to watch for (catalogue family `actnote`)."""

    RENAME_UNDOCUMENTED = "rename_undocumented"
    RENAME_IS_A_CHOICE = "rename_is_a_choice"
    RESPONDED_DIFFERS_AFTER_RENAME = "responded_differs_after_rename"
    DEFAULT_MOVES = "default_moves"
    KEEP_ONE_RESPONDED = "keep_one_responded"
    MERGE = "merge"
    MEMBERS_KEEP_HISTORY = "members_keep_history"
    RESPONDED_FROM_SUCCESS = "responded_from_success"
    MK_NEAR_DUPLICATE = "mk_near_duplicate"
    MK_PSEUDO_STATUS = "mk_pseudo_status"


class Mode(StrEnum):
    """How pairs were formed (catalogue family `mode`)."""

    SINGLE = "single"
    """One pair given on the command line."""
    PAIRS = "pairs"
    """A pairs file."""
    MATRIX = "matrix"
    """No pairs: every campaign against every channel (closest channel kept)."""


class PairState(StrEnum):
    """What a pair comes to (catalogue family `verdict`)."""

    WILL_SYNC = "will_sync"
    WILL_NOT_SYNC = "will_not_sync"
    UNRESOLVED = "unresolved"
    """The channel or the campaign could not be found (or the name is ambiguous)."""
