"""Render a Report as JSON, schema version 1 (documented in the README).

Dicts are built field by field, never with asdict(), so the schema is deliberate. Fields are only
ever added; none is renamed. History: 1 = first version.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from ..explain import CharChange, CodePoint
from ..i18n import Catalog
from ..model import Advisory, Detection, Difference, Match, PairResult, TemplateRecord
from ..pipeline import Report
from ..remediate import PREMISES, Action, Option, Plan, Risk, clear_twin
from ..typetemplates import TemplateCheck
from . import phrases

SCHEMA_VERSION = 1


def _cp(c: CodePoint) -> dict[str, Any]:
    return {"char": c.char, "code": c.code, "name": c.name, "invisible": c.invisible}


def _change(c: CharChange) -> dict[str, Any]:
    return {
        "op": c.op,
        "label_start": c.label_start,
        "label_end": c.label_end,
        "target_start": c.target_start,
        "target_end": c.target_end,
        "label_chars": [_cp(x) for x in c.label_chars],
        "target_chars": [_cp(x) for x in c.target_chars],
    }


def _difference(t: Catalog, d: Difference) -> dict[str, Any]:
    near = d.near_match
    out: dict[str, Any] = {
        "kind": d.kind.value,
        "label": d.label,
        "blocking": d.blocking,
        "near_match": near.target if near else None,
        "reasons": [r.value for r in near.reasons] if near else [],
        "similarity": near.score if near else None,
        "changes": [_change(c) for c in near.changes] if near else [],
        "explained": phrases.difference(t, d),
        "members": d.members,
        "pseudo_status": d.pseudo,
    }
    if d.status is not None:
        out["salesforce"] = {
            "record_id": d.status.record_id,
            "responded": d.status.responded,
            "default": d.status.default,
            "sort_order": d.status.sort_order,
            "row": d.status.row,
        }
    if d.program_status is not None:
        out["marketo"] = {
            "step": d.program_status.step,
            "success": d.program_status.success,
            "hidden": d.program_status.hidden,
        }
    return out


def _match(m: Match) -> dict[str, Any]:
    return {
        "label": m.status.label,
        "record_id": m.status.record_id,
        "responded": m.status.responded,
        "default": m.status.default,
        "sort_order": m.status.sort_order,
        "members": m.members,
        "step": m.program_status.step,
        "success": m.program_status.success,
        "hidden": m.program_status.hidden,
    }


def _advisory(t: Catalog, a: Advisory) -> dict[str, Any]:
    return {
        "code": a.code,
        "label": a.label,
        "params": dict(a.params),
        "message": phrases.advisory(t, a),
    }


def _action(t: Catalog, number: int, a: Action) -> dict[str, Any]:
    return {
        "number": number,
        "act": a.act.value,
        "owner": a.owner.value,
        "label": a.label,
        "target": a.target,
        "members": a.members,
        "verify": a.verify,
        "record_id": a.record_id,
        "step": a.step,
        "success": a.success,
        "responded": a.responded,
        "default": a.default,
        "sort_order": a.sort_order,
        "notes": list(a.notes),
        "text": phrases.action(t, a),
        "risk": a.risk.value,
        "loss": None
        if a.risk is not Risk.LOSSY
        else {"code": a.loss.value if a.loss else None, "message": phrases.loss(t, a)},
        "guessed": a.guessed,
        "review": a.review,
        "reason": a.reason,
    }


def _option(t: Catalog, o: Option) -> dict[str, Any]:
    return {
        "key": o.key.value,
        "title": t(f"option.{o.key.value}"),
        "feasible": o.feasible,
        "verified": o.verified,
        "lossy": o.lossy,
        "check": phrases.verified(t, o) if o.feasible and o.verified is not None else None,
        "actions": [_action(t, i, a) for i, a in enumerate(o.actions, 1)],
        # Codes only: the sentences are in the document's top-level "constraints" dictionary.
        "constraints": list(o.constraints),
        # Option A's campaigns are the pair's "alternatives" (not repeated here).
        "alternatives_total": o.alternatives_total,
        "shared_by": list(o.shared_by),
        "shared_total": o.shared_total,
        "blast_counts": dict(o.blast_counts),
        # Other pairs by index (their names are in "pairs"): all when few, else those that change.
        "blast_radius": [
            {"pair": b.pair_index, "before": b.before, "after": b.after, "change": b.change}
            for b in o.blast_radius
        ],
    }


def _plan(t: Catalog, p: Plan) -> dict[str, Any]:
    return {
        "recommended": p.recommended.value,
        "reason": {
            "code": p.reason.code,
            "params": dict(p.reason.params),
            "message": t.opt("rec", p.reason.code, **dict(p.reason.params)),
            "premises": list(PREMISES.get(p.reason.code, ())),
        },
        "options": [_option(t, o) for o in p.options],
    }


def _pair(t: Catalog, p: PairResult, plan: Plan | None) -> dict[str, Any]:
    campaign = p.campaign
    channel = p.channel
    twin = clear_twin(p)
    return {
        "index": p.index,
        "program": p.program,
        "channel": p.channel_name,
        "campaign_ref": p.campaign_ref,
        "campaign_id": campaign.campaign_id if campaign else None,
        "campaign_name": campaign.name if campaign else None,
        "campaign_type": campaign.type if campaign else None,
        "program_type": channel.program_type if channel else None,
        "compatible": p.compatible,
        "problem": p.problem.value if p.problem else None,
        "problem_message": phrases.problem(t, p) if p.problem else None,
        "candidates": list(p.candidates),
        "blocking": p.blocking_count,
        "near_misses": p.near_miss_count,
        "matches": [_match(m) for m in p.matches],
        "differences": [_difference(t, d) for d in p.differences],
        "warnings": [_advisory(t, w) for w in p.warnings],
        "warning_count": p.warning_count,
        "alternatives": [
            {
                "campaign_id": a.campaign_id,
                "campaign_name": a.campaign_name,
                "score": a.score,
                "campaign_type": a.campaign_type,
                "clear_twin": a is twin,
            }
            for a in p.alternatives
        ],
        "alternatives_total": p.alternatives_total,
        # Matrix mode: the channels tied for closest ("channel" is the first, compared with).
        "closest_tied": list(p.tied),
        "source": {"file": p.source.file, "table": p.source.table, "row": p.row}
        if p.source
        else None,
        "remediation": _plan(t, plan) if plan else None,
    }


def input_document(t: Catalog, d: Detection) -> dict[str, Any]:
    """How one input file was read, as the report's `inputs[]` entry (also `inspect --json`)."""
    return {
        "role": d.role.value,
        "role_by": d.role_by,
        "layout": d.layout,
        "file": d.file,
        "sha256": d.sha256,
        "size": d.size,
        "format": d.format,
        "encoding": d.encoding,
        "delimiter": d.delimiter,
        "sheet": d.table,
        "sheets": list(d.tables),
        "header_row": d.header_row,
        "columns": [{"header": h, "field": f} for h, f in d.columns],
        "ignored_columns": list(d.ignored_columns),
        "rows": d.rows_read,
        "records": d.records,
        "rows_skipped": d.rows_skipped,
        "skipped": [
            {"reason": s.reason, "message": phrases.skipped(t, s), "rows": list(s.rows)}
            for s in d.skipped
        ],
        "fill_downs": d.fill_downs,
        "notes": [
            {"code": n.code, "params": dict(n.params), "message": phrases.note(t, n)}
            for n in d.notes
        ],
    }


def _record(r: TemplateRecord) -> dict[str, Any]:
    return {
        "developer_name": r.developer_name,
        "label": r.label,
        "status": r.status,
        "responded": r.responded,
        "default": r.default,
        "sort_order": r.sort_order,
        "file": r.source.file,
        "row": r.row,
    }


def _template(t: Catalog, c: TemplateCheck) -> dict[str, Any]:
    p = c.pair
    return {
        "campaign_type": c.template.campaign_type,
        "channel": p.channel_name,
        "compatible": p.compatible,
        "checked": p.problem is None,
        "problem_message": phrases.template_verdict(t, c)[1] if p.problem is not None else None,
        "blocking": p.blocking_count,
        "near_misses": p.near_miss_count,
        "records": [_record(r) for r in c.template.records],
        "differences": [_difference(t, d) for d in p.differences],
        "warnings": [_advisory(t, w) for w in p.warnings],
        "fix": [
            {
                "act": f.act.value,
                "developer_name": f.record.developer_name if f.record else None,
                "status": f.record.status if f.record else None,
                "value": f.value,
                "text": phrases.template_fix(t, f),
            }
            for f in c.fixes
        ],
    }


INDENT_LIMIT = 2_000
"""Up to this many pairs the JSON is indented; beyond, one compact line per pair."""


def _head(t: Catalog, report: Report) -> dict[str, Any]:
    comparison = report.comparison
    s = comparison.summary
    codes = sorted({c for p in report.plans.values() for o in p.options for c in o.constraints})
    head = {
        "schema_version": SCHEMA_VERSION,
        "tool": {"name": "statusdiff", "version": report.version},
        "generated_at": report.generated_at,
        "lang": report.lang,
        "rule": comparison.rule.value,
        "rule_note": t("rule.undefined"),
        "mode": comparison.mode,
        "options": dict(report.options),
        "inputs": [input_document(t, d) for d in report.inputs],
        "notes": [_advisory(t, n) for n in report.notes],
        "constraints": {code: t.opt("constraint", code) for code in codes},
        "summary": {
            "pairs": s.pairs,
            "compatible": s.compatible,
            "incompatible": s.incompatible,
            "unresolved": s.unresolved,
            "blocking_labels": s.blocking_labels,
            "near_misses": s.near_misses,
            "warnings": s.warnings,
            "remediation": dict(report.recommended_counts),
        },
        # Campaign Type templates (compare --type-templates), before the pairs; [] without.
        "templates": [_template(t, c) for c in report.templates],
    }
    if report.closing is not None:
        from .closing import json_head

        head.update(json_head(t, report.closing))
    return head


def _pairs(t: Catalog, report: Report) -> Iterator[dict[str, Any]]:
    closing = report.closing
    if closing is not None:
        from .closing import json_pair
    for p in report.comparison.pairs:
        pair = _pair(t, p, report.plans.get(p.index))
        if closing is not None:
            pair.update(json_pair(t, closing, p.index))
        yield pair


def _tail(report: Report) -> dict[str, Any]:
    matrix = report.comparison.matrix
    if matrix is None:
        return {}
    return {
        "channels": [
            {"channel": name, "compatible_campaigns": list(matrix.by_channel.get(name, ()))}
            for name in matrix.channels
        ],
        "campaigns": [
            {
                "campaign_id": fit.campaign.campaign_id,
                "campaign_name": fit.campaign.name,
                "compatible_channels": list(fit.compatible_channels),
                "closest_channel": fit.closest_channel,
                "closest_tied": list(fit.closest_tied),
                "closest_blocking": fit.closest_blocking,
                "blocking_by_channel": dict(
                    zip(matrix.channels, matrix.blocking[fit.campaign.key], strict=True)
                ),
            }
            for fit in matrix.fits
        ],
    }


def as_dict(report: Report) -> dict[str, Any]:
    """Build the whole JSON document in memory (small reports, tests, notebooks)."""
    t = Catalog(report.lang)
    return {**_head(t, report), "pairs": list(_pairs(t, report)), **_tail(report)}


def render(report: Report) -> Iterator[bytes]:
    """The JSON report, UTF-8, with a final newline, in chunks (one pair at a time when big)."""
    if len(report.comparison.pairs) <= INDENT_LIMIT:
        text = json.dumps(as_dict(report), ensure_ascii=False, indent=2)
        yield (text + "\n").encode("utf-8")
        return
    t = Catalog(report.lang)

    def dumps(value: Any) -> str:
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))

    head = dumps(_head(t, report))
    yield (head[:-1] + ',"pairs":[\n').encode("utf-8")
    batch: list[str] = []
    for number, pair in enumerate(_pairs(t, report)):
        batch.append(("," if number else "") + dumps(pair))
        if len(batch) == 500:
            yield ("\n".join(batch) + "\n").encode("utf-8")
            batch = []
    if batch:
        yield ("\n".join(batch) + "\n").encode("utf-8")
    tail = "".join(f",{dumps(key)}:{dumps(value)}" for key, value in _tail(report).items())
    yield ("]" + tail + "}\n").encode("utf-8")
