"""Marketo channels from API responses: REST JSON (channels.json, byName) and SOAP getChannels."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

from ..errors import InputError, NotATableError, RoleError, StatusDiffError
from ..i18n import phrase
from ..model import Channel, Note, ProgramStatus, Source
from ..safe_text import has_surrogate
from ..values import parse_bool, parse_int


class _DuplicateKey(ValueError):
    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


class _Surrogate(ValueError):
    pass


def _strict_object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """json object hook: refuse duplicate keys (JSON leaves them undefined) and lone surrogates."""
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise _DuplicateKey(key)
        if has_surrogate(key) or (isinstance(value, str) and has_surrogate(value)):
            raise _Surrogate(key)
        if isinstance(value, list) and any(isinstance(v, str) and has_surrogate(v) for v in value):
            raise _Surrogate(key)
        out[key] = value
    return out


def read_json_channels(path: Path, shown: str) -> tuple[list[Channel], list[Note], str]:
    """Read a REST response envelope, a bare list of channels, or one channel object."""
    try:
        return _read_json_channels(path, shown)
    except RecursionError as exc:
        raise InputError(
            phrase("input.json_too_deep"), file=shown, hint=phrase("input.json.hint")
        ) from exc


def _load_json(path: Path, shown: str) -> Any:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(phrase("input.json_not_utf8"), file=shown) from exc
    try:
        return json.loads(text, object_pairs_hook=_strict_object)
    except json.JSONDecodeError as exc:
        raise InputError(
            phrase("input.json_invalid", message=exc.msg, line=exc.lineno, column=exc.colno),
            file=shown,
            row=exc.lineno,
            hint=phrase("input.json_invalid.hint"),
        ) from exc
    except _DuplicateKey as exc:
        raise InputError(
            phrase("input.json_duplicate_key", key=exc.key),
            file=shown,
            hint=phrase("input.json.hint"),
        ) from exc
    except _Surrogate as exc:
        raise InputError(
            phrase("input.json_surrogate", key=str(exc)),
            file=shown,
            hint=phrase("input.json_surrogate.hint"),
        ) from exc
    except ValueError as exc:  # NOTE: integers of more than 4,300 digits
        raise InputError(
            phrase("input.json_huge_number"), file=shown, hint=phrase("input.json.hint")
        ) from exc


def _read_json_channels(path: Path, shown: str) -> tuple[list[Channel], list[Note], str]:
    data = _load_json(path, shown)
    if isinstance(data, str) and has_surrogate(data):
        raise InputError(
            phrase("input.json_surrogate", key=""),
            file=shown,
            hint=phrase("input.json_surrogate.hint"),
        )
    notes: list[Note] = []
    shape = "rest"
    if isinstance(data, dict) and ("result" in data or data.get("success") is False):
        errors = data.get("errors") or []
        if not isinstance(errors, list):
            errors = [errors]
        if data.get("success") is not False and errors:
            raise InputError(
                phrase("input.api_errors", detail=_api_errors(errors)),
                file=shown,
                hint=phrase("input.api_errors.hint"),
            )
        if data.get("success") is False:
            raise InputError(
                phrase("input.api_failed", detail=_api_errors(errors) or "success: false"),
                file=shown,
                hint=phrase("input.api_failed.hint"),
            )
        items = data.get("result")
        base = "result"
        warnings = data.get("warnings") or []
        if not isinstance(warnings, list):
            warnings = [warnings]
        notes.extend(Note("api_warning", (("text", str(warning)),)) for warning in warnings)
    elif isinstance(data, list):
        items, base, shape = data, "", "list"
    elif isinstance(data, dict) and ("progressionStatuses" in data or "name" in data):
        items, base, shape = [data], "", "object"
    else:
        items, base = None, ""
    if isinstance(data, dict) and items is None:
        soap = _soap_like(data)
        if soap is not None:
            return _from_attrib_items(soap, shown, notes), notes, "soap-json"
    if not isinstance(items, list):
        raise RoleError(
            phrase("input.json_no_channels"),
            file=shown,
            hint=phrase("input.json_no_channels.hint"),
        )
    channels = []
    for index, item in enumerate(items):
        where = f"{base}[{index}]" if base else f"[{index}]"
        channels.append(_rest_channel(item, Source(shown, where)))
    if not channels:
        raise InputError(
            phrase("input.no_channel_in_response"),
            file=shown,
            hint=phrase("input.no_channel_in_response.hint"),
        )
    return channels, notes, f"json-{shape}"


def _api_errors(errors: list[Any]) -> str:
    return "; ".join(
        f"{e.get('code', '?')} {e.get('message', '')}".strip() if isinstance(e, dict) else str(e)
        for e in errors[:5]
    )


def _rest_channel(item: Any, source: Source) -> Channel:
    if not isinstance(item, dict) or not isinstance(item.get("name"), str):
        raise InputError(phrase("input.not_a_channel", where=source.table), file=source.file)
    raw_statuses = item.get("progressionStatuses")
    if not isinstance(raw_statuses, list):
        raise InputError(
            phrase("input.no_progression_statuses", where=source.table, name=item["name"]),
            file=source.file,
            hint=phrase("input.no_progression_statuses.hint"),
        )
    statuses = []
    for i, raw in enumerate(raw_statuses):
        where = f"{source.table}.progressionStatuses[{i}]"
        if not isinstance(raw, dict) or not isinstance(raw.get("name"), str):
            raise InputError(phrase("input.status_without_name", where=where), file=source.file)
        try:
            statuses.append(
                ProgramStatus(
                    raw["name"],
                    parse_int(raw.get("step", "") if raw.get("step") is not None else ""),
                    parse_bool(raw.get("success", "") if raw.get("success") is not None else ""),
                    bool(parse_bool(raw.get("hidden") if raw.get("hidden") is not None else "")),
                    source,
                    None,
                )
            )
        except StatusDiffError as exc:
            exc.file = source.file
            exc.message = f"{where}: {exc.message}"
            raise
    channel_id = item.get("id") if isinstance(item.get("id"), int) else None
    ptype = item.get("applicableProgramType")
    return Channel(
        item["name"],
        ptype if isinstance(ptype, str) else None,
        tuple(statuses),
        source,
        None,
        channel_id,
    )


def _soap_like(data: dict[str, Any]) -> list[tuple[str, list[dict[str, str]]]] | None:
    """Find tagStatus/tagValue/attrib structures in a JSON rendering of a SOAP response."""
    found: list[tuple[str, list[dict[str, str]]]] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if "tagValue" in node and isinstance(node["tagValue"], str):
                attribs: list[dict[str, str]] = []
                _collect_attribs(node, attribs)
                found.append((node["tagValue"], attribs))
                return
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(data)
    return found or None


def _collect_attribs(node: Any, out: list[dict[str, str]]) -> None:
    if isinstance(node, dict):
        attrib = node.get("attrib")
        if isinstance(attrib, list):
            out.append(
                {str(a.get("name")): str(a.get("value")) for a in attrib if isinstance(a, dict)}
            )
            return
        for value in node.values():
            _collect_attribs(value, out)
    elif isinstance(node, list):
        for value in node:
            _collect_attribs(value, out)


def _from_attrib_items(
    items: list[tuple[str, list[dict[str, str]]]], shown: str, notes: list[Note]
) -> list[Channel]:
    channels = []
    for index, (name, attribs) in enumerate(items):
        source = Source(shown, f"tagStatus[{index}]")
        statuses = []
        for i, attrib in enumerate(attribs):
            if "Status" not in attrib:
                raise InputError(
                    phrase("input.no_status_attribute", channel=name, number=i + 1), file=shown
                )
            try:
                statuses.append(
                    ProgramStatus(
                        attrib["Status"],
                        parse_int(attrib.get("Step", "")),
                        parse_bool(attrib.get("Success", "")),
                        bool(parse_bool(attrib.get("Hidden", ""))),
                        source,
                        None,
                    )
                )
            except StatusDiffError as exc:
                exc.file = shown
                exc.message = phrase(
                    "input.in_channel_status", channel=name, number=i + 1, message=exc.message
                )
                raise
        channels.append(Channel(name, None, tuple(statuses), source))
    return channels


def read_xml_channels(path: Path, shown: str) -> tuple[list[Channel], list[Note], str]:
    """Read a SOAP getChannels response; when truncated, keep its complete channels and say so."""
    items: list[tuple[str, list[dict[str, str]]]] = []
    root_tag: str | None = None
    notes: list[Note] = []
    current: list[dict[str, str]] = []
    attrib: dict[str, str] = {}
    name = value = None
    try:
        for event, elem in ET.iterparse(str(path), events=("start", "end")):
            tag = elem.tag.rsplit("}", 1)[-1]
            if root_tag is None:
                root_tag = tag
                if tag == "StandardValueSet":
                    raise RoleError(
                        phrase("input.standard_value_set"),
                        file=shown,
                        hint=phrase("input.standard_value_set.hint"),
                    )
            if event == "start":
                if tag == "tagStatus":
                    current = []
                elif tag == "progressionStatus":
                    attrib = {}
                continue
            if tag == "name" and elem.text is not None:
                name = elem.text
            elif tag == "value":
                value = elem.text or ""
            elif tag == "attrib" and name is not None:
                attrib[name] = value or ""
                name = value = None
            elif tag == "progressionStatus":
                current.append(attrib)
            elif tag == "tagStatus":
                label = elem.findtext("{*}tagValue")
                if label is None:
                    label = elem.findtext("tagValue")
                if label is not None:
                    items.append((label, current))
                elem.clear()
    except ET.ParseError as exc:
        line = exc.position[0] if exc.position else 0
        if not items:
            raise NotATableError(
                phrase("input.xml_unreadable", reason=exc),
                file=shown,
                row=line or None,
                hint=phrase("input.xml_unreadable.hint"),
            ) from exc
        notes.append(Note("xml_truncated", (("line", str(line)), ("channels", str(len(items))))))
    if not items:
        raise RoleError(
            phrase("input.xml_no_channels"),
            file=shown,
            hint=phrase("input.xml_no_channels.hint"),
        )
    channels = _from_attrib_items(items, shown, notes)
    return channels, notes, "soap-xml"
