"""Generate org-scale Marketo and Salesforce exports for the benchmark, with the planted answers.

Deterministic: the same options (and --seed) always give byte-identical files. Run from the
repository root:

    python bench/generate.py                      # default sizes into bench/data/full
    python bench/generate.py --campaigns 200 --members 2000 --out bench/data/small

Files written into --out:

* channels.json   Marketo REST shape (GET /rest/asset/v1/channels.json), with "Not in Program"
* statuses.csv    CampaignMemberStatus, Data Loader style (every field quoted, 18-char IDs)
* statuses.xlsx   the same rows (xlsxwriter constant_memory; real booleans and numbers)
* members.csv     CampaignMember: Id, CampaignId, LeadId, ContactId, Status
* campaigns.csv   Campaign: Id, Name, Type
* pairs.csv       Program Name, Channel, SFDC Campaign (campaign IDs, some 15-char)
* answers.json    the planted truth: per campaign and per pair, what blocks and why

Campaign status sets drift the way real orgs do: about 60 % are exact copies of their channel's
statuses; the rest carry near misses (case, whitespace, unicode, similar: the classes of
statusdiff's explain.py), leftover "Sent"/"Responded" defaults, a missing status, extra statuses
with no near match ("Meeting Booked"), or a shuffled order.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import random
import re
import sys
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rapidfuzz.distance import Indel, Levenshtein

HERE = Path(__file__).resolve().parent
DEFAULT_OUT = HERE / "data" / "full"
DEFAULT_SEED = 20260302
MODES = ("realistic", "independent", "distinct")
FILES = (
    "channels.json",
    "statuses.csv",
    "statuses.xlsx",
    "members.csv",
    "campaigns.csv",
    "pairs.csv",
    "answers.json",
)

# ------------------------------------------------------------------------------------------------
# Salesforce IDs: 3-char key prefix, 2-char pod, reserved "0", 9 base-62 digits, 3-char checksum
# ------------------------------------------------------------------------------------------------

_B62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
_B62_3 = [a + b + c for a in _B62 for b in _B62 for c in _B62]
_CUBE = 62**3
_SUFFIX = "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345"
_UPPER_BITS = str.maketrans({ch: ("1" if "A" <= ch <= "Z" else "0") for ch in _B62})
_OFFSETS = {
    "701": 62**8 * 3 + 62**5 * 17 + 4_211,  # Campaign
    "01Y": 62**8 * 5 + 62**6 * 9 + 77_013,  # CampaignMemberStatus
    "00v": 62**8 * 2 + 62**6 * 41 + 5_501,  # CampaignMember
    "00Q": 62**8 * 7 + 62**7 * 3 + 190_211,  # Lead
    "003": 62**8 * 4 + 62**6 * 25 + 33_907,  # Contact
}
_STRIDE = 37


def checksum(id15: str) -> str:
    """The 3-character case checksum of a 15-character ID (same as statusdiff.ids.checksum)."""
    bits = id15.translate(_UPPER_BITS)
    return (
        _SUFFIX[int(bits[4::-1], 2)]
        + _SUFFIX[int(bits[9:4:-1], 2)]
        + _SUFFIX[int(bits[14:9:-1], 2)]
    )


def sfid(prefix: str, number: int) -> str:
    """A valid 18-character Salesforce ID: the number-th record of a key prefix."""
    n = _OFFSETS[prefix] + number * _STRIDE
    id15 = (
        prefix
        + "5g0"
        + _B62_3[n // (_CUBE * _CUBE) % _CUBE]
        + _B62_3[n // _CUBE % _CUBE]
        + _B62_3[n % _CUBE]
    )
    return id15 + checksum(id15)


# ------------------------------------------------------------------------------------------------
# Channels
# ------------------------------------------------------------------------------------------------

# (channel, program type, campaign Type, ordered pool of (status, success))
ARCHETYPES: tuple[tuple[str, str, str, tuple[tuple[str, bool], ...]], ...] = (
    (
        "Webinar",
        "event",
        "Webinar",
        (
            ("Invited", False),
            ("Registered", False),
            ("Attended", True),
            ("No Show", False),
            ("Attended On-Demand", True),
            ("Waitlisted", False),
            ("Follow-up Requested", True),
            ("Disqualified", False),
            ("Engaged", True),
        ),
    ),
    (
        "Tradeshow",
        "event",
        "Trade Show",
        (
            ("Invited", False),
            ("Visited Booth", True),
            ("Pre-Registered", False),
            ("Engaged", True),
            ("Scanned at Booth", True),
            ("Meeting Scheduled", True),
            ("Attended Session", True),
            ("Sales Follow-up", True),
            ("No Show", False),
        ),
    ),
    (
        "Email Send",
        "email",
        "Email",
        (
            ("Member", False),
            ("Delivered", False),
            ("Opened", False),
            ("Clicked", True),
            ("Replied", True),
            ("Converted", True),
            ("Bounced", False),
            ("Forwarded", True),
        ),
    ),
    (
        "Content Syndication",
        "program",
        "Content Syndication",
        (
            ("Member", False),
            ("Downloaded", True),
            ("Lead Accepted", True),
            ("Lead Rejected", False),
            ("Nurtured", False),
            ("Sales Qualified", True),
            ("Opportunity", True),
            ("Closed Won", True),
        ),
    ),
    (
        "Online Advertising",
        "program",
        "Advertisement",
        (
            ("Member", False),
            ("Clicked Ad", True),
            ("Filled Out Form", True),
            ("Inquiry", True),
            ("Marketing Qualified", True),
            ("Opportunity Created", True),
            ("Retargeted", False),
        ),
    ),
    (
        "Nurture",
        "nurture",
        "Nurture",
        (
            ("Member", False),
            ("Engaged", True),
            ("Exhausted", False),
            ("Paused", False),
            ("Re-Engaged", True),
            ("Sales Accepted", True),
            ("Handed to Sales", True),
            ("Recycled", False),
        ),
    ),
    (
        "Field Event",
        "event",
        "Field Event",
        (
            ("Invited", False),
            ("Registered", False),
            ("Confirmed", False),
            ("Attended", True),
            ("Cancelled", False),
            ("No Show", False),
            ("VIP Attended", True),
            ("Dinner Guest", True),
            ("Waitlisted", False),
        ),
    ),
    (
        "Direct Mail",
        "program",
        "Direct Mail",
        (
            ("Member", False),
            ("Mailed", False),
            ("Delivered", False),
            ("Returned to Sender", False),
            ("Scanned QR Code", True),
            ("Called In", True),
            ("Appointment Set", True),
            ("Gift Redeemed", True),
        ),
    ),
    (
        "Partner Referral",
        "program",
        "Partner",
        (
            ("Member", False),
            ("Referred", False),
            ("Accepted by Sales", True),
            ("Rejected by Sales", False),
            ("Converted", True),
            ("Closed Won", True),
            ("Registered Deal", True),
        ),
    ),
    (
        "Web Content",
        "content",
        "Website",
        (
            ("Member", False),
            ("Visited", True),
            ("Downloaded", True),
            ("Shared", True),
            ("Subscribed", True),
            ("Watched Video", True),
            ("Requested Pricing", True),
        ),
    ),
    (
        "Roadshow",
        "event",
        "Roadshow",
        (
            ("Invited", False),
            ("Registered", False),
            ("Attended", True),
            ("No Show", False),
            ("Met with Account Executive", True),
            ("Waitlisted", False),
            ("Breakfast Guest", True),
        ),
    ),
    (
        "Customer Event",
        "event",
        "Customer Event",
        (
            ("Invited", False),
            ("RSVP Yes", False),
            ("RSVP No", False),
            ("Attended", True),
            ("No Show", False),
            ("Customer Reference", True),
            ("Advocate Signed Up", True),
        ),
    ),
    (
        "Sponsorship",
        "program",
        "Sponsorship",
        (
            ("Member", False),
            ("Logo Placement", False),
            ("Booth Visit", True),
            ("Speaking Slot", True),
            ("Lead Received", True),
            ("Lead Qualified", True),
        ),
    ),
    (
        "Virtual Event",
        "event",
        "Virtual Event",
        (
            ("Invited", False),
            ("Registered", False),
            ("Joined Live", True),
            ("Watched Replay", True),
            ("No Show", False),
            ("Asked a Question", True),
            ("Visited Virtual Booth", True),
            ("Waitlisted", False),
        ),
    ),
    (
        "Paid Social",
        "program",
        "Social Media",
        (
            ("Member", False),
            ("Lead Form Submitted", True),
            ("Engaged with Ad", True),
            ("Marketing Qualified", True),
            ("Retargeted", False),
            ("Opportunity Created", True),
        ),
    ),
)
REGIONS = ("", " - EMEA", " - APAC", " (Partner)", " - NA", " - LATAM")

LEFTOVER = (("Sent", False), ("Responded", True))
"""The two statuses Salesforce gives every new campaign."""
EXTRA_POOL: tuple[tuple[str, bool], ...] = (
    ("Meeting Booked", True),
    ("Demo Requested", True),
    ("Unsubscribed", False),
    ("Out of Office", False),
    ("Wrong Contact", False),
    ("Left Company", False),
    ("Trial Started", True),
    ("Competitor", False),
    ("Partner Lead", True),
    ("Hot Lead", True),
)
TOPICS = (
    "Pipeline Hygiene",
    "Data Quality",
    "Forecasting 101",
    "Customer Stories",
    "Product Launch",
    "Security Deep Dive",
    "Roadmap Preview",
    "AI in Marketing",
    "Partner Summit",
    "Executive Briefing",
    "Onboarding Series",
    "Pricing Update",
)


@dataclass(frozen=True)
class ChannelDef:
    """A Marketo channel: name, type and its program statuses (name, success, hidden)."""

    channel_id: int
    name: str
    program_type: str
    campaign_type: str
    statuses: tuple[tuple[str, bool, bool], ...]

    @property
    def names(self) -> tuple[str, ...]:
        """Every program status name (hidden ones too)."""
        return tuple(name for name, _, _ in self.statuses)

    @property
    def visible(self) -> tuple[tuple[str, bool], ...]:
        """The statuses a campaign copies: (name, success) of the visible ones."""
        return tuple((name, success) for name, success, hidden in self.statuses if not hidden)


def make_channels(count: int, per_campaign: int, rng: random.Random) -> list[ChannelDef]:
    """`count` channels built from the archetypes, about `per_campaign` visible statuses each."""
    out = []
    for i in range(count):
        base, ptype, ctype, pool = ARCHETYPES[i % len(ARCHETYPES)]
        region = REGIONS[(i // len(ARCHETYPES)) % len(REGIONS)]
        round_no = i // (len(ARCHETYPES) * len(REGIONS))
        name = base + region + (f" {round_no + 1}" if round_no else "")
        k = per_campaign + rng.choice((-2, -1, 0, 0, 1, 2))
        k = max(min(3, len(pool)), min(k, len(pool)))
        statuses = [(s, success, False) for s, success in pool[:k]]
        if not any(success for _, success, _ in statuses):
            statuses[-1] = (statuses[-1][0], True, False)
        if i % 5 == 3:
            statuses.append(("Do Not Use", False, True))
        out.append(ChannelDef(1000 + i, name, ptype, ctype, tuple(statuses)))
    return out


def channels_document(channels: Sequence[ChannelDef]) -> dict[str, Any]:
    """The REST response of GET /rest/asset/v1/channels.json."""
    result = []
    for ch in channels:
        statuses = [
            {
                "name": "Not in Program",
                "step": 0,
                "description": None,
                "hidden": False,
                "success": False,
            }
        ]
        for step, (name, success, hidden) in enumerate(ch.statuses, 1):
            statuses.append(
                {
                    "name": name,
                    "step": step * 10,
                    "description": None,
                    "hidden": hidden,
                    "success": success,
                }
            )
        result.append(
            {
                "id": ch.channel_id,
                "name": ch.name,
                "applicableProgramType": ch.program_type,
                "progressionStatuses": statuses,
                "createdAt": "2024-05-14T08:30:00Z+0000",
                "updatedAt": "2026-01-20T16:45:12Z+0000",
            }
        )
    return {
        "success": True,
        "errors": [],
        "requestId": "bench#0000000000001",
        "warnings": [],
        "result": result,
    }


# ------------------------------------------------------------------------------------------------
# Near misses, as statusdiff's explain.py classes them
# ------------------------------------------------------------------------------------------------

_SPACES = re.compile(r"\s+")
_NEGATIONS = frozenset({"not", "no", "non", "never", "pas", "ne", "nicht", "kein", "sin", "sans"})
_DASH_LOOKALIKES = ("\u2011", "\u2010", "\u2013", "\u2212")
_ZERO_WIDTH = ("\u200b", "\u200c", "\u2060", "\u00ad")
_KEYBOARD = {
    "a": "qs",
    "b": "vn",
    "c": "xv",
    "d": "sf",
    "e": "wr",
    "f": "dg",
    "g": "fh",
    "h": "gj",
    "i": "uo",
    "j": "hk",
    "k": "jl",
    "l": "k",
    "m": "n",
    "n": "bm",
    "o": "ip",
    "p": "o",
    "q": "w",
    "r": "et",
    "s": "ad",
    "t": "ry",
    "u": "yi",
    "v": "cb",
    "w": "qe",
    "x": "zc",
    "y": "tu",
    "z": "x",
}


def _norm(text: str) -> str:
    """Case-fold and collapse white space (statusdiff's `normalised` for plain ASCII labels)."""
    return _SPACES.sub(" ", text).strip(" ").casefold()


def _typo_limit(a: str, b: str) -> int:
    return max(1, min(3, min(len(a), len(b)) // 4))


def far_from(label: str, names: Sequence[str]) -> bool:
    """True when no fold and no typo relates an ASCII label to any of names (no near match)."""
    mine = _norm(label)
    return all(
        Levenshtein.distance(mine, other) > _typo_limit(mine, other)
        for other in (_norm(n) for n in names)
    )


def _case_variant(name: str, rng: random.Random) -> str | None:
    options = [name.lower(), name.upper(), name[0].swapcase() + name[1:]]
    words = name.split(" ")
    if len(words) > 1:
        options.append(" ".join([words[0], *(w.lower() for w in words[1:])]))
    options = [o for o in options if o != name]
    return rng.choice(options) if options else None


def _whitespace_variant(name: str, rng: random.Random) -> str | None:
    options = [name + " ", " " + name, name + "  "]
    if " " in name:
        options.append(name.replace(" ", "\u00a0", 1))
        options.append(name.replace(" ", "  ", 1))
    return rng.choice(options)


def _unicode_variant(name: str, rng: random.Random) -> str | None:
    if "-" in name and rng.random() < 0.8:
        return name.replace("-", rng.choice(_DASH_LOOKALIKES))
    if rng.random() < 0.2 and "A" <= name[0] <= "Z":
        return chr(ord(name[0]) + 0xFEE0) + name[1:]  # fullwidth first letter
    at = rng.randrange(1, len(name))
    return name[:at] + rng.choice(_ZERO_WIDTH) + name[at:]


def _similar_variant(name: str, others: Sequence[str], rng: random.Random) -> str | None:
    """A one- or two-edit typo of name that explain.py calls `similar` and matches name only."""
    target = _norm(name)
    if len(target) < 6:
        return None
    words = [
        (i, w)
        for i, w in enumerate(name.split(" "))
        if len(w) >= 5 and w.isalpha() and w[1:].islower() and w.lower() not in _NEGATIONS
    ]
    if not words:
        return None
    for _ in range(12):
        index, word = rng.choice(words)
        at = rng.randrange(1, len(word) - 1)
        how = rng.choice(("delete", "double", "swap", "key"))
        if how == "delete":
            typo = word[:at] + word[at + 1 :]
        elif how == "double":
            typo = word[: at + 1] + word[at:]
        elif how == "swap":
            typo = word[:at] + word[at + 1] + word[at] + word[at + 2 :]
        else:
            typo = word[:at] + rng.choice(_KEYBOARD.get(word[at], "e")) + word[at + 1 :]
        if typo == word:
            continue
        parts = name.split(" ")
        parts[index] = typo
        label = " ".join(parts)
        mine = _norm(label)
        distance = Levenshtein.distance(mine, target)
        if distance == 0 or distance > _typo_limit(mine, target):
            continue
        if Indel.normalized_similarity(mine, target) * 100 < 80:
            continue
        if not all(
            Levenshtein.distance(mine, _norm(o)) > _typo_limit(mine, _norm(o))
            for o in others
            if o != name
        ):
            continue
        return label
    return None


REASON_WEIGHTS = (("case", 30), ("whitespace", 25), ("unicode", 20), ("similar", 25))


def near_variant(
    name: str, reason: str, channel_names: Sequence[str], rng: random.Random
) -> str | None:
    """A label that is a near miss of `name` for exactly the one reason, or None."""
    if reason == "case":
        variant = _case_variant(name, rng)
    elif reason == "whitespace":
        variant = _whitespace_variant(name, rng)
    elif reason == "unicode":
        variant = _unicode_variant(name, rng)
    else:
        variant = _similar_variant(name, channel_names, rng)
    if variant is None or variant in channel_names:
        return None
    return variant


# ------------------------------------------------------------------------------------------------
# Campaigns
# ------------------------------------------------------------------------------------------------

DRIFT_WEIGHTS = (
    ("leftover", 30),
    ("leftover_only", 6),
    ("missing", 26),
    ("extra", 26),
    ("missing_extra", 6),
    ("reordered", 6),
)
"""How the drifted campaigns that are not near misses drift (relative weights)."""


@dataclass
class CampaignPlan:
    """One campaign: its statuses as exported and what statusdiff should say about them."""

    number: int
    campaign_id: str
    name: str
    program: str
    channel: ChannelDef
    kind: str
    statuses: list[tuple[str, bool, bool]] = field(default_factory=list)
    """(label, responded, default) in SortOrder."""
    near: list[dict[str, Any]] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    extra: list[str] = field(default_factory=list)
    paired: bool = True
    pair_ref: str = ""
    template: int | None = None
    """Realistic mode: the number of the template this campaign was cloned from."""
    drift: str | None = None
    """How this campaign departs from its template (realistic) or was made unique (distinct)."""

    @property
    def blocking(self) -> list[str]:
        """Labels that are not channel statuses (exact, code point for code point)."""
        names = set(self.channel.names)
        return [label for label, _, _ in self.statuses if label not in names]


def _pick(weights: Sequence[tuple[str, int]], rng: random.Random) -> str:
    return rng.choices([k for k, _ in weights], weights=[w for _, w in weights])[0]


def _kinds(campaigns: int, mismatch: float, near: float, rng: random.Random) -> list[str]:
    near = min(near, mismatch)
    n_near = round(campaigns * near)
    n_drift = max(0, round(campaigns * mismatch) - n_near)
    kinds = ["near_miss"] * n_near
    kinds += [_pick(DRIFT_WEIGHTS, rng) for _ in range(n_drift)]
    kinds += ["exact"] * (campaigns - len(kinds))
    rng.shuffle(kinds)
    return kinds


def _with_default(rows: list[tuple[str, bool]], default: str) -> list[tuple[str, bool, bool]]:
    return [(label, responded, label == default) for label, responded in rows]


def _plant(
    rows: list[tuple[str, bool]],
    indexes: Sequence[int],
    reasons: Sequence[str],
    names: Sequence[str],
    rng: random.Random,
) -> tuple[int, str, str] | None:
    """Find a status to turn into a near miss: the first reason any status allows wins."""
    labels = {label for label, _ in rows}
    for reason in reasons:
        for index in indexes:
            variant = near_variant(rows[index][0], reason, names, rng)
            if variant is not None and variant not in labels:
                return index, variant, reason
    return None


def plan_campaign(number: int, channel: ChannelDef, kind: str, rng: random.Random) -> CampaignPlan:
    """Decide one campaign's statuses for its kind of drift."""
    year = 24 + number % 3
    quarter = 1 + (number // 3) % 4
    topic = TOPICS[number % len(TOPICS)]
    name = f"FY{year} Q{quarter} {channel.name}: {topic} #{number:06d}"
    program = f"FY{year} Q{quarter} {channel.name} - {topic} #{number:06d}"
    plan = CampaignPlan(number, sfid("701", number), name, program, channel, kind)
    rows = list(channel.visible)
    default = rows[0][0]
    names = channel.names
    if kind == "near_miss":
        wanted = 2 if len(rows) >= 3 and rng.random() < 0.2 else 1
        for _ in range(wanted):
            first = _pick(REASON_WEIGHTS, rng)
            others = [r for r, _ in REASON_WEIGHTS if r != first]
            rng.shuffle(others)
            untouched = [i for i, row in enumerate(rows) if row[0] in names]
            rng.shuffle(untouched)
            found = _plant(rows, untouched, (first, *others), names, rng)
            if found is None:
                break
            index, variant, reason = found
            target = rows[index][0]
            rows[index] = (variant, rows[index][1])
            if target == default:
                default = variant
            plan.near.append(
                {"label": variant, "target": target, "reason": reason, "reasons": [reason]}
            )
        if not plan.near:
            plan.kind = kind = "exact"
    elif kind in ("leftover", "leftover_only"):
        if kind == "leftover_only":
            added = list(LEFTOVER)
            plan.missing = [label for label, _ in rows]
            rows = []
        else:
            added = rng.choice((list(LEFTOVER), list(LEFTOVER), list(LEFTOVER), [LEFTOVER[0]]))
            if rng.random() < 0.2:
                added = [LEFTOVER[1]]
        added = [a for a in added if far_from(a[0], names)]
        rows = added + rows
        if any(label == "Sent" for label, _ in added):
            default = "Sent"
        plan.extra = [label for label, _ in added]
    if kind in ("missing", "missing_extra"):
        successes = [label for label, success in rows if success]
        removable = [
            i
            for i, (label, success) in enumerate(rows)
            if i > 0 and not (success and len(successes) == 1)
        ]
        if removable:
            gone = rows.pop(rng.choice(removable))
            plan.missing.append(gone[0])
    if kind in ("extra", "missing_extra"):
        pool = [e for e in EXTRA_POOL if e[0] not in names and far_from(e[0], names)]
        for extra in rng.sample(pool, min(len(pool), 1 if rng.random() < 0.75 else 2)):
            at = len(rows) if rng.random() < 0.7 else rng.randrange(1, len(rows) + 1)
            rows.insert(at, extra)
            plan.extra.append(extra[0])
    if kind == "reordered":
        rng.shuffle(rows)
    plan.statuses = _with_default(rows, default)
    return plan


def plan_campaigns(
    channels: Sequence[ChannelDef], options: argparse.Namespace, rng: random.Random
) -> list[CampaignPlan]:
    """Every campaign, with its channel and drift, the way --mode asks."""
    if options.mode == "realistic":
        return _cloned_campaigns(channels, options, rng)
    plans = _independent_campaigns(channels, options, rng)
    if options.mode == "distinct":
        _make_distinct(plans, random.Random(options.seed + 4))
    return plans


def _independent_campaigns(
    channels: Sequence[ChannelDef], options: argparse.Namespace, rng: random.Random
) -> list[CampaignPlan]:
    """Every campaign drawn on its own (mode `independent`, the generator's first behaviour)."""
    kinds = _kinds(options.campaigns, options.mismatch_share, options.near_miss_share, rng)
    plans = []
    for number, kind in enumerate(kinds, 1):
        channel = channels[rng.randrange(len(channels))]
        plan = plan_campaign(number, channel, kind, rng)
        plan.paired = rng.random() >= options.unpaired_share
        plan.pair_ref = plan.campaign_id[:15] if rng.random() < 0.1 else plan.campaign_id
        plans.append(plan)
    return plans


# ------------------------------------------------------------------------------------------------
# Realistic mode: campaigns cloned from a few hundred templates, some clones drifting
# ------------------------------------------------------------------------------------------------

CLONE_DRIFTS = (("renamed", 30), ("added", 30), ("case", 20), ("space", 20))
"""How a drifting clone departs from its template (relative weights)."""


def _cloned_campaigns(
    channels: Sequence[ChannelDef], options: argparse.Namespace, rng: random.Random
) -> list[CampaignPlan]:
    """Campaigns cloned from `--templates` templates (a few are cloned far more than others).

    The templates drift from their channels like independent campaigns do (same shares); then a
    `--clone-drift-share` of the clones drift from their template: a label renamed to one with no
    near match, an added label, or a case or space slip on a channel status.
    """
    count = max(1, min(options.templates, options.campaigns))
    kinds = _kinds(count, options.mismatch_share, options.near_miss_share, rng)
    templates = []
    for number, kind in enumerate(kinds, 1):
        channel = channels[rng.randrange(len(channels))]
        templates.append(plan_campaign(number, channel, kind, rng))
    # Skewed reuse: the org's favourite templates are cloned most (Zipf-like weights).
    cum: list[float] = []
    acc = 0.0
    for rank in range(1, count + 1):
        acc += 1.0 / rank
        cum.append(acc)
    picks = rng.choices(range(count), cum_weights=cum, k=options.campaigns)
    plans = []
    for number, pick in enumerate(picks, 1):
        plan = _clone(templates[pick], number, pick + 1)
        if rng.random() < options.clone_drift_share:
            _drift_clone(plan, _pick(CLONE_DRIFTS, rng), rng)
        plan.paired = rng.random() >= options.unpaired_share
        plan.pair_ref = plan.campaign_id[:15] if rng.random() < 0.1 else plan.campaign_id
        plans.append(plan)
    return plans


def _clone(template: CampaignPlan, number: int, template_no: int) -> CampaignPlan:
    """A new campaign (own ID, name and program) with the template's statuses and answers."""
    channel = template.channel
    year = 24 + number % 3
    quarter = 1 + (number // 3) % 4
    topic = TOPICS[number % len(TOPICS)]
    return CampaignPlan(
        number,
        sfid("701", number),
        f"FY{year} Q{quarter} {channel.name}: {topic} #{number:06d}",
        f"FY{year} Q{quarter} {channel.name} - {topic} #{number:06d}",
        channel,
        template.kind,
        statuses=list(template.statuses),
        near=[dict(n) for n in template.near],
        missing=list(template.missing),
        extra=list(template.extra),
        template=template_no,
    )


def _drift_clone(plan: CampaignPlan, drift: str, rng: random.Random) -> None:
    """Make one clone depart from its template; the answers follow. No change if none fits."""
    names = plan.channel.names
    labels = [label for label, _, _ in plan.statuses]
    near_labels = {n["label"] for n in plan.near}
    if drift in ("renamed", "added"):
        pool = [
            e for e, _ in EXTRA_POOL if e not in names and e not in labels and far_from(e, names)
        ]
        if not pool:
            return
        new = rng.choice(pool)
        if drift == "added":
            at = rng.randrange(1, len(labels) + 1)
            plan.statuses.insert(at, (new, rng.random() < 0.5, False))
        else:
            at = rng.randrange(len(labels))
            old, responded, default = plan.statuses[at]
            plan.statuses[at] = (new, responded, default)
            if old in near_labels:
                plan.near = [n for n in plan.near if n["label"] != old]
            elif old in plan.extra:
                plan.extra.remove(old)
            if old in names:
                plan.missing.append(old)
        plan.extra.append(new)
        plan.drift = drift
        return
    reason = "case" if drift == "case" else "whitespace"
    untouched = [i for i, label in enumerate(labels) if label in names]
    rng.shuffle(untouched)
    for at in untouched:
        target, responded, default = plan.statuses[at]
        variant = near_variant(target, reason, names, rng)
        if variant is None or variant in labels:
            continue
        plan.statuses[at] = (variant, responded, default)
        plan.near.append(
            {"label": variant, "target": target, "reason": reason, "reasons": [reason]}
        )
        plan.drift = drift
        return


# ------------------------------------------------------------------------------------------------
# Distinct mode: the worst case for sharing verdicts, every campaign's status set its own
# ------------------------------------------------------------------------------------------------


def _make_distinct(plans: Sequence[CampaignPlan], rng: random.Random) -> None:
    """Give every campaign whose status set (labels with flags) was seen before a label of its own.

    The label is an extra status with no near match ("Meeting Booked #000123"), so such a
    campaign blocks: a status set of one's own cannot be an exact copy of a channel.
    """
    seen: set[frozenset[tuple[str, bool, bool]]] = set()
    for plan in plans:
        key = frozenset(plan.statuses)
        if key in seen:
            names = plan.channel.names
            labels = {label for label, _, _ in plan.statuses}
            pool = [e for e, _ in EXTRA_POOL if e not in labels]
            base = rng.choice(pool) if pool else "Campaign Status"
            new = f"{base} #{plan.number:06d}"
            if not far_from(new, names):
                new = f"Campaign Status #{plan.number:06d}"
            plan.statuses.append((new, rng.random() < 0.5, False))
            plan.extra.append(new)
            plan.drift = "unique"
            key = frozenset(plan.statuses)
        seen.add(key)


def distinct_sets(plans: Sequence[CampaignPlan]) -> tuple[int, int]:
    """Distinct status sets (labels with their Responded and Default flags) among the campaigns,
    and distinct (channel, status set) among the paired ones: what a verdict depends on."""
    sets = {frozenset(p.statuses) for p in plans}
    paired = {(p.channel.name, frozenset(p.statuses)) for p in plans if p.paired}
    return len(sets), len(paired)


# ------------------------------------------------------------------------------------------------
# Writers
# ------------------------------------------------------------------------------------------------


def _csv_writer(handle: Any) -> Any:
    return csv.writer(handle, quoting=csv.QUOTE_ALL, lineterminator="\n")


STATUS_HEADER = (
    "Id",
    "CampaignId",
    "Campaign.Name",
    "Label",
    "HasResponded",
    "IsDefault",
    "SortOrder",
)


def status_rows(
    plans: Sequence[CampaignPlan],
) -> Iterator[tuple[str, str, str, str, bool, bool, int]]:
    """Every CampaignMemberStatus row, in campaign order."""
    n = 0
    for plan in plans:
        for order, (label, responded, default) in enumerate(plan.statuses, 1):
            n += 1
            yield (sfid("01Y", n), plan.campaign_id, plan.name, label, responded, default, order)


def write_statuses_csv(path: Path, plans: Sequence[CampaignPlan]) -> int:
    """statuses.csv: Data Loader style, every field quoted."""
    n = 0
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = _csv_writer(handle)
        writer.writerow(STATUS_HEADER)
        for rid, cid, name, label, responded, default, order in status_rows(plans):
            flags = ("true" if responded else "false", "true" if default else "false")
            writer.writerow((rid, cid, name, label, *flags, order))
            n += 1
    return n


def write_statuses_xlsx(path: Path, plans: Sequence[CampaignPlan]) -> None:
    """statuses.xlsx: the same rows, streamed with xlsxwriter constant_memory."""
    import xlsxwriter

    book = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    book.set_properties({"created": dt.datetime(2026, 3, 2, 9, 0, 0), "author": "statusdiff bench"})
    sheet = book.add_worksheet("CampaignMemberStatus")
    for col, header in enumerate(STATUS_HEADER):
        sheet.write_string(0, col, header)
    write_string, write_boolean, write_number = (
        sheet.write_string,
        sheet.write_boolean,
        sheet.write_number,
    )
    for row, (rid, cid, name, label, responded, default, order) in enumerate(status_rows(plans), 1):
        write_string(row, 0, rid)
        write_string(row, 1, cid)
        write_string(row, 2, name)
        write_string(row, 3, label)
        write_boolean(row, 4, responded)
        write_boolean(row, 5, default)
        write_number(row, 6, order)
    book.close()


def _member_counts(plans: Sequence[CampaignPlan], total: int, rng: random.Random) -> list[int]:
    """Members per campaign: skewed (log-normal), 6 % of campaigns empty, summing to total."""
    weights = [0.0 if rng.random() < 0.06 else rng.lognormvariate(0.0, 1.0) for _ in plans]
    if not any(weights):
        weights = [1.0] * len(plans)
    scale = total / sum(weights)
    counts = [int(w * scale) for w in weights]
    missing = total - sum(counts)
    live = [i for i, w in enumerate(weights) if w > 0]
    for i in rng.choices(live, k=missing):
        counts[i] += 1
    return counts


def write_members_csv(
    path: Path, plans: Sequence[CampaignPlan], total: int, rng: random.Random
) -> None:
    """members.csv: CampaignMember rows whose statuses are drawn from each campaign's labels."""
    counts = _member_counts(plans, total, rng)
    leads = max(1, total // 3)
    contacts = max(1, total // 6)
    number = 0
    chunk = 2000
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = _csv_writer(handle)
        writer.writerow(("Id", "CampaignId", "LeadId", "ContactId", "Status"))
        for start in range(0, len(plans), chunk):
            rows: list[tuple[str, str]] = []
            for plan, count in zip(
                plans[start : start + chunk], counts[start : start + chunk], strict=True
            ):
                if not count:
                    continue
                labels = [label for label, _, _ in plan.statuses]
                cum = []
                acc = 0.0
                for i in range(len(labels)):
                    acc += 0.6**i
                    cum.append(acc)
                cid = plan.campaign_id
                rows.extend((cid, label) for label in rng.choices(labels, cum_weights=cum, k=count))
            rng.shuffle(rows)
            out = []
            random_ = rng.random
            randrange = rng.randrange
            for cid, label in rows:
                number += 1
                if random_() < 0.67:
                    lead, contact = sfid("00Q", randrange(leads)), ""
                else:
                    lead, contact = "", sfid("003", randrange(contacts))
                out.append((sfid("00v", number), cid, lead, contact, label))
            writer.writerows(out)


def write_campaigns_csv(path: Path, plans: Sequence[CampaignPlan]) -> None:
    """campaigns.csv: Id, Name, Type."""
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = _csv_writer(handle)
        writer.writerow(("Id", "Name", "Type"))
        writer.writerows((p.campaign_id, p.name, p.channel.campaign_type) for p in plans)


@dataclass(frozen=True)
class PairRow:
    """One line of pairs.csv and what statusdiff should say about it."""

    program: str
    channel: str
    ref: str
    campaign: CampaignPlan | None


def pair_rows(
    plans: Sequence[CampaignPlan], channels: Sequence[ChannelDef], stale: float, rng: random.Random
) -> list[PairRow]:
    """Paired campaigns in campaign order, with stale pairs (deleted campaigns) mixed in."""
    rows = [PairRow(p.program, p.channel.name, p.pair_ref, p) for p in plans if p.paired]
    for i in range(round(len(plans) * stale)):
        number = len(plans) + 1 + i
        channel = channels[rng.randrange(len(channels))]
        rows.insert(
            rng.randrange(len(rows) + 1),
            PairRow(
                f"FY23 Q4 {channel.name} - Retired Program #{number:06d}",
                channel.name,
                sfid("701", number),
                None,
            ),
        )
    return rows


def write_pairs_csv(path: Path, rows: Sequence[PairRow]) -> None:
    """pairs.csv: Program Name, Channel, SFDC Campaign."""
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = _csv_writer(handle)
        writer.writerow(("Program Name", "Channel", "SFDC Campaign"))
        writer.writerows((r.program, r.channel, r.ref) for r in rows)


def answers_document(
    options: argparse.Namespace,
    channels: Sequence[ChannelDef],
    plans: Sequence[CampaignPlan],
    pairs: Sequence[PairRow],
    status_count: int,
) -> dict[str, Any]:
    """The planted truth."""
    campaigns = []
    for p in plans:
        near_labels = {n["label"] for n in p.near}
        campaigns.append(
            {
                "id": p.campaign_id,
                "name": p.name,
                "channel": p.channel.name,
                "kind": p.kind,
                "template": p.template,
                "drift": p.drift,
                "paired": p.paired,
                "blocks": bool(p.blocking),
                "blocking": p.blocking,
                "near_misses": p.near,
                "no_near_match": [b for b in p.blocking if b not in near_labels],
                "missing": p.missing,
                "labels": [label for label, _, _ in p.statuses],
            }
        )
    pair_docs = []
    for row_no, pair in enumerate(pairs, 1):
        p = pair.campaign
        pair_docs.append(
            {
                "index": row_no,
                "program": pair.program,
                "channel": pair.channel,
                "campaign_ref": pair.ref,
                "campaign_id": None if p is None else p.campaign_id,
                "problem": "unknown_campaign" if p is None else None,
                "blocks": True if p is None else bool(p.blocking),
                "blocking": [] if p is None else p.blocking,
                "near_misses": [] if p is None else p.near,
            }
        )
    resolved = [d for d in pair_docs if d["problem"] is None]
    kinds: dict[str, int] = {}
    drifts: dict[str, int] = {}
    for p in plans:
        kinds[p.kind] = kinds.get(p.kind, 0) + 1
        if p.drift is not None:
            drifts[p.drift] = drifts.get(p.drift, 0) + 1
    status_sets, channel_sets = distinct_sets(plans)
    reasons: dict[str, int] = {}
    for p in plans:
        for n in p.near:
            reasons[n["reason"]] = reasons.get(n["reason"], 0) + 1
    return {
        "generator": {
            "seed": options.seed,
            "campaigns": options.campaigns,
            "mode": options.mode,
            "templates": options.templates if options.mode == "realistic" else None,
            "clone_drift_share": options.clone_drift_share if options.mode == "realistic" else None,
            "statuses_per_campaign": options.statuses_per_campaign,
            "members": options.members,
            "mismatch_share": options.mismatch_share,
            "near_miss_share": options.near_miss_share,
            "unpaired_share": options.unpaired_share,
            "stale_pair_share": options.stale_pair_share,
            "channels": options.channels,
            "formats": sorted(options.formats),
        },
        "rule": "salesforce-subset",
        "summary": {
            "channels": len(channels),
            "campaigns": len(plans),
            "status_rows": status_count,
            "member_rows": options.members,
            "mode": options.mode,
            "distinct_status_sets": status_sets,
            "distinct_channel_status_sets": channel_sets,
            "kinds": dict(sorted(kinds.items())),
            "drifts": dict(sorted(drifts.items())),
            "near_miss_reasons": dict(sorted(reasons.items())),
            "pairs": len(pair_docs),
            "compatible": sum(1 for d in resolved if not d["blocks"]),
            "incompatible": sum(1 for d in resolved if d["blocks"]),
            "unresolved": len(pair_docs) - len(resolved),
            "blocking_labels": sum(len(d["blocking"]) for d in resolved),
            "near_misses": sum(len(d["near_misses"]) for d in resolved),
        },
        "campaigns": campaigns,
        "pairs": pair_docs,
    }


def _dump_lines(doc: dict[str, Any]) -> str:
    """JSON with one campaign or pair per line: diffable, greppable, still one document."""
    parts = []
    for key, value in doc.items():
        if isinstance(value, list):
            body = ",\n".join("    " + json.dumps(v, ensure_ascii=False) for v in value)
            parts.append(f'  "{key}": [\n{body}\n  ]')
        else:
            parts.append(f'  "{key}": ' + json.dumps(value, ensure_ascii=False))
    return "{\n" + ",\n".join(parts) + "\n}\n"


# ------------------------------------------------------------------------------------------------
# Command line
# ------------------------------------------------------------------------------------------------


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    """Options (every size is an option; the defaults are the org-scale benchmark)."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--mode",
        choices=MODES,
        default="realistic",
        help="realistic: campaigns cloned from --templates templates, some clones drifting; "
        "independent: every campaign drawn on its own; distinct: independent, and every status "
        "set made unique (the worst case for sharing verdicts)",
    )
    parser.add_argument(
        "--templates", type=int, default=300, help="realistic mode: campaign templates"
    )
    parser.add_argument(
        "--clone-drift-share",
        type=float,
        default=0.1,
        help="realistic mode: clones that drift from their template",
    )
    parser.add_argument("--campaigns", type=int, default=50_000)
    parser.add_argument("--statuses-per-campaign", type=int, default=6)
    parser.add_argument("--members", type=int, default=2_000_000, help="member rows")
    parser.add_argument("--mismatch-share", type=float, default=0.4, help="campaigns that drift")
    parser.add_argument(
        "--near-miss-share", type=float, default=0.15, help="campaigns with near misses"
    )
    parser.add_argument(
        "--unpaired-share", type=float, default=0.05, help="campaigns absent from pairs.csv"
    )
    parser.add_argument(
        "--stale-pair-share",
        type=float,
        default=0.002,
        help="pairs naming a deleted campaign (relative to campaigns)",
    )
    parser.add_argument("--channels", type=int, default=30)
    parser.add_argument(
        "--formats", default="csv,xlsx", help="statuses export formats: csv, xlsx or both"
    )
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--quiet", action="store_true")
    args = parser.parse_args(argv)
    args.formats = {f.strip().lower() for f in args.formats.split(",") if f.strip()}
    unknown = args.formats - {"csv", "xlsx"}
    if unknown or not args.formats:
        parser.error(f"--formats takes csv and/or xlsx, not {','.join(sorted(unknown)) or '∅'}")
    if args.campaigns < 1 or args.channels < 1 or args.members < 0:
        parser.error("--campaigns and --channels must be positive, --members not negative")
    if args.templates < 1:
        parser.error("--templates must be positive")
    return args


def generate(args: argparse.Namespace) -> dict[str, Any]:
    """Write every file; return the summary of the answers."""
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    say = (lambda *_: None) if args.quiet else (lambda *a: print(*a, file=sys.stderr, flush=True))
    started = time.perf_counter()

    def step(what: str) -> None:
        say(f"  {time.perf_counter() - started:6.1f}s  {what}")

    # One random stream per part, so that one size does not shift another part's draws.
    channels = make_channels(args.channels, args.statuses_per_campaign, random.Random(args.seed))
    plans = plan_campaigns(channels, args, random.Random(args.seed + 1))
    pairs = pair_rows(plans, channels, args.stale_pair_share, random.Random(args.seed + 2))
    status_sets, channel_sets = distinct_sets(plans)
    step(
        f"planned {len(channels)} channels, {len(plans)} campaigns ({args.mode}: "
        f"{status_sets} distinct status sets, {channel_sets} distinct channel + status sets "
        f"among the paired), {len(pairs)} pairs"
    )
    text = json.dumps(channels_document(channels), indent=2, ensure_ascii=False) + "\n"
    (out / "channels.json").write_text(text, encoding="utf-8")
    status_count = sum(len(p.statuses) for p in plans)
    if "csv" in args.formats:
        write_statuses_csv(out / "statuses.csv", plans)
        step(f"statuses.csv ({status_count} rows)")
    if "xlsx" in args.formats:
        write_statuses_xlsx(out / "statuses.xlsx", plans)
        step("statuses.xlsx")
    write_campaigns_csv(out / "campaigns.csv", plans)
    write_pairs_csv(out / "pairs.csv", pairs)
    write_members_csv(out / "members.csv", plans, args.members, random.Random(args.seed + 3))
    step(f"members.csv ({args.members} rows)")
    doc = answers_document(args, channels, plans, pairs, status_count)
    (out / "answers.json").write_text(_dump_lines(doc), encoding="utf-8")
    step("answers.json")
    return doc["summary"]


def main(argv: Sequence[str] | None = None) -> int:
    """Generate the data set."""
    args = parse_args(argv)
    summary = generate(args)
    if not args.quiet:
        print(json.dumps(summary, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
