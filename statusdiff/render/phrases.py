"""Sentences every renderer shares, built from catalogue phrases (never written here in words)."""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

from ..explain import CharChange, NearMatch, char_changes, fold_unicode, position, shown
from ..i18n import Catalog
from ..model import (
    Advisory,
    Comparison,
    Detection,
    Difference,
    Kind,
    Note,
    PairResult,
    Problem,
    Skipped,
    Summary,
    TemplateRecord,
)
from ..remediate import Act, Action, Option, Risk
from ..typetemplates import TemplateCheck, TemplateFix


def yes_no(t: Catalog, value: bool | None) -> str:
    """yes / no / unknown."""
    if value is None:
        return t("value.unknown")
    return t("value.true") if value else t("value.false")


def advisory(t: Catalog, item: Advisory) -> str:
    """One advisory as a sentence."""
    params = dict(item.params)
    if item.label is not None:
        params.setdefault("label", shown(item.label))
    return t(f"advisory.{item.code}", **params)


def note(t: Catalog, item: Note) -> str:
    """One reader note as a sentence (a field code is named, a count picks its plural form)."""
    params = dict(item.params)
    if "field" in params:
        params["field"] = field(t, params["field"])
    return t(f"note.{item.code}", **params)


def field(t: Catalog, name: str) -> str:
    """A field statusdiff reads, named for readers ('campaign' -> 'campagne')."""
    return t(f"field.{name}") if t.has(f"field.{name}") else name


def program_type(t: Catalog, value: str) -> str:
    """A Marketo program type as the Marketo UI names it ('event' -> 'Événement')."""
    key = f"program_type.{value.casefold().replace(' ', '').replace('_', '')}"
    return t(key) if t.has(key) else value


def file_format(t: Catalog, code: str) -> str:
    """A format code of a file as readers say it ('json-rest' -> 'JSON (Marketo REST API …)')."""
    return t(f"format.{code}") if t.has(f"format.{code}") else code


def language(t: Catalog, code: str) -> str:
    """A report language by name ('fr' -> 'français')."""
    return t(f"language.{code}") if t.has(f"language.{code}") else code


def option(t: Catalog, name: str, value: str) -> tuple[str, str]:
    """One option of the audit block as (what it is, its value), named for readers."""
    if name == "rule":
        return t("optname.rule"), t(f"rule.{value}") if t.has(f"rule.{value}") else value
    if t.has(f"optname.{name}"):
        return t(f"optname.{name}"), value
    head, _, rest = name.partition(".")
    if head == "type":
        return t("optname.type", channel=rest), value
    role = t(f"role.{head}") if t.has(f"role.{head}") else head
    what, _, field_name = rest.partition(".")
    if what == "column":
        return t("optname.column", role=role, field=field(t, field_name)), value
    if what in ("sheet", "encoding", "delimiter"):
        return t(f"optname.{what}", role=role), value
    return t("optname.any", name=name), value


def skipped(t: Catalog, item: Skipped) -> str:
    """Why some rows were skipped."""
    return t.opt("skip", item.reason)


def problem(t: Catalog, pair: PairResult) -> str:
    """Why a pairing could not be checked."""
    assert pair.problem is not None
    return t(
        f"problem.{pair.problem.value}",
        channel=pair.channel_name,
        campaign=pair.campaign_ref,
        count=len(pair.candidates),
    )


def channel(t: Catalog, pair: PairResult, *, compared: bool = False) -> str:
    """The pair's channel, or 'tie between …' for a matrix campaign with no single closest one.

    `compared` also names the channel the tied pair's differences were computed against.
    """
    if not pair.tied:
        return pair.channel_name
    channels = ", ".join(pair.tied)
    if compared:
        return t("tie.compared", channels=channels, channel=pair.channel_name)
    return t("tie.between", channels=channels)


def _chars(changes: tuple[object, ...]) -> str:
    return " + ".join(getattr(c, "described") for c in changes)  # noqa: B009


def change(t: Catalog, item: CharChange, label: str, target: str) -> str:
    """One character-level edit: 'U+00A0 NO-BREAK SPACE instead of U+0020 SPACE at position 3'."""
    where = position(item, label, target)
    place = t(f"change.{where}", position=item.label_start + 1)
    text = t(
        f"change.{item.op}",
        label=_chars(item.label_chars),
        target=_chars(item.target_chars),
    )
    return f"{text} ({place})"


def near_miss(t: Catalog, label: str, near: NearMatch) -> str:
    """All the edits of a near miss, joined."""
    return "; ".join(change(t, c, label, near.target) for c in near.changes)


def reasons(t: Catalog, near: NearMatch | None) -> str:
    """'case, spaces'."""
    if near is None:
        return ""
    return ", ".join(t(f"reason.{r.value}") for r in near.reasons)


def difference(t: Catalog, diff: Difference) -> str:
    """One difference as a short sentence."""
    if diff.kind is Kind.RESPONDED_MISMATCH:
        return t(
            "advisory.responded_mismatch",
            label=shown(diff.label),
            responded=yes_no(t, diff.status.responded if diff.status else None),
            success=yes_no(t, diff.program_status.success if diff.program_status else None),
        )
    if diff.pseudo:
        return t("pseudo.label")
    if diff.near_match is not None:
        return near_miss(t, diff.label, diff.near_match)
    return t(f"kind.{diff.kind.value}")


def action(t: Catalog, item: Action) -> str:
    """One remediation step as an imperative sentence."""
    key = f"act.{item.act.value}"
    if item.act is Act.RENAME and item.target is not None and _looks_alike(item.label, item.target):
        key += ".lookalike"
    if item.act is Act.MOVE_MEMBERS and item.members is None:
        key += ".unknown"
    if item.act is Act.DELETE and item.verify:
        key += ".verify"
    detail = ""
    if key == "act.rename.lookalike" and item.target is not None:
        detail = "; ".join(
            change(t, c, item.label, item.target) for c in char_changes(item.label, item.target)
        )
    text = t(
        key,
        detail=detail,
        label=shown(item.label),
        target=shown(item.target) if item.target is not None else "",
        members=t.number(item.members) if item.members is not None else "",
        responded=yes_no(t, item.responded),
        success=yes_no(t, item.success),
        step=item.step if item.step is not None else "",
        sort_order=item.sort_order if item.sort_order is not None else "",
    )
    lost = loss(t, item)
    return f"{text} {lost}" if lost else text


def loss(t: Catalog, item: Action) -> str:
    """What a lossy step loses, with how many members ('' for a step that loses nothing)."""
    if item.risk is not Risk.LOSSY:
        return ""
    if item.act is Act.DELETE:
        return t("loss.delete", label=shown(item.label))
    code = item.loss.value if item.loss is not None else "meaning"
    key = f"loss.{code}" if item.members is not None else f"loss.{code}.unknown"
    return t(
        key,
        members=t.number(item.members) if item.members is not None else "",
        label=shown(item.label),
        target=shown(item.target or item.label),
    )


def verified(t: Catalog, option: Option) -> str:
    """The check badge: verified, verified but lossy, or needs a manual step."""
    if option.verified and option.lossy:
        return t("option.verified_lossy")
    return t("option.verified") if option.verified else t("option.unverified")


@lru_cache(maxsize=1 << 14)
def _looks_alike(label: str, target: str) -> bool:
    """Two labels a reader cannot tell apart on screen (look-alike or invisible characters)."""
    return shown(label) == shown(target) or fold_unicode(label) == fold_unicode(target)


def action_notes(t: Catalog, item: Action) -> list[str]:
    """The cautions attached to a step."""
    return [t(f"actnote.{code}", target=shown(item.target or "")) for code in item.notes]


def record_name(t: Catalog, record: TemplateRecord | None) -> str:
    """A template record as the fix names it: its DeveloperName, else its status."""
    if record is None:
        return ""
    if record.developer_name:
        return record.developer_name
    return t("tt.record.unnamed", status=shown(record.status))


def template_fix(t: Catalog, fix: TemplateFix) -> str:
    """One edit of a template record as an imperative sentence."""
    value = fix.value
    shown_value = yes_no(t, value) if isinstance(value, bool) else shown(value or "")
    return t(
        f"tt.fix.{fix.act.value}",
        record=record_name(t, fix.record),
        status=shown(fix.record.status) if fix.record is not None else "",
        value=shown_value,
    )


def role_decision(t: Catalog, d: Detection) -> str:
    """A file's role and how it was decided: 'Salesforce campaigns (recognised by content)'."""
    how = t(f"role_by_short.{d.role_by}")
    if d.layout != "table":
        how += ", " + t(f"layout.{d.layout}")
    return t("role_decision", role=t(f"role.{d.role.value}"), how=how)


def headline(t: Catalog, summary: Summary) -> str:
    """The one verdict sentence every format prints: its numbers are the banner's tiles (will
    sync, will not sync, cannot be checked), so whichever one a consultant copies, they agree."""
    pairs = t.n("verdict.pairs", summary.pairs)
    compatible = t.n("verdict.compatible", summary.compatible)
    incompatible = t.n("verdict.incompatible", summary.incompatible)
    if summary.unresolved:
        return t(
            "verdict.headline.unresolved",
            pairs=pairs,
            compatible=compatible,
            incompatible=incompatible,
            unresolved=t.n("verdict.cannot_check", summary.unresolved),
        )
    return t("verdict.headline", pairs=pairs, compatible=compatible, incompatible=incompatible)


SUGGEST_LIST = 8
"""Up to this many channels (or campaigns) are listed beside a name that is not found."""


def _close(name: str, names: list[str]) -> list[str]:
    """Names near a given one, by a case-blind similarity (only to suggest: never to match).

    rapidfuzz (already used for near misses) ranks in C: an unknown campaign among tens of
    thousands of names costs milliseconds, not difflib's tenth of a second per pair.
    """
    from rapidfuzz import fuzz, process

    folded = {n.casefold(): n for n in names}
    found = process.extract(
        name.casefold(), list(folded), scorer=fuzz.ratio, limit=3, score_cutoff=60
    )
    return [folded[f] for f, _score, _index in found]


def did_you_mean(t: Catalog, comparison: Comparison, pair: PairResult) -> str:
    """For a pairing whose channel or campaign is not found: the nearest names, and the list of
    known ones when it is short ('' when there is nothing useful to say)."""
    if pair.problem is Problem.UNKNOWN_CHANNEL:
        known = [c.name for c in comparison.channels]
        wanted, list_key = pair.channel_name, "suggest.channels"
    elif pair.problem is Problem.UNKNOWN_CAMPAIGN:
        from ..ids import looks_like_id

        # NOTE: IDs all look alike: a missing ID gets no guess, a missing name gets names.
        if looks_like_id(pair.campaign_ref):
            return ""
        known = [c.display for c in comparison.campaigns]
        wanted, list_key = pair.campaign_ref, "suggest.campaigns"
    else:
        return ""
    known = list(dict.fromkeys(known))
    parts = []
    close = [n for n in _close(wanted, known) if n != wanted]
    if close:
        names = t("suggest.or").join(t("suggest.quoted", name=n) for n in close)
        parts.append(t("suggest.did_you_mean", names=names))
    if 0 < len(known) <= SUGGEST_LIST and (pair.problem is Problem.UNKNOWN_CHANNEL or not close):
        parts.append(t(list_key, names=", ".join(known)))
    return " ".join(parts)


def blocking_lines(t: Catalog, pair: PairResult) -> list[str]:
    """Each blocking label of a pair, one line each: its near match when it has one."""
    out = []
    for d in pair.blocking:
        label = shown(d.label)
        if d.kind is Kind.MARKETO_ONLY:
            out.append(t("terminal.blocking.missing", label=label))
        elif d.near_match is not None:
            out.append(
                t(
                    "terminal.blocking.near",
                    label=label,
                    target=shown(d.near_match.target),
                    why=near_miss(t, d.label, d.near_match),
                )
            )
        else:
            out.append(t("terminal.blocking.absent", label=label))
    return out


def template_verdict(t: Catalog, check: TemplateCheck) -> tuple[str, str]:
    """(state, sentence) of one Campaign Type's template: state is 'unchecked' (no channel of
    that name), 'ok' or 'no'; every format prints the same sentence."""
    pair = check.pair
    if pair.problem is not None:
        return "unchecked", t("tt.verdict.unchecked", channel=pair.channel_name)
    if pair.compatible:
        return "ok", t("tt.verdict.ok")
    return "no", t("tt.verdict.no")


def templates_headline(t: Catalog, checks: Sequence[TemplateCheck]) -> str:
    """The Templates section's one sentence: how many Types, how many fit, how many do not."""
    return t(
        "tt.headline",
        templates=t.n("tt.templates", len(checks)),
        ok=t.number(sum(1 for c in checks if c.compatible)),
        no=t.number(sum(1 for c in checks if c.failing)),
    )
