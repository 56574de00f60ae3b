"""Campaign Type member status templates as input: Custom Metadata records or their table.

A folder is searched (recursively, in name order) for Salesforce DX source files that hold
`Campaign_Type_Member_Status` records, recognised by their content (a CustomMetadata document with
a Campaign_Member_Status__c value), whatever their names; other files are passed over. A single file
is such a record, or a table (CSV, XLSX, …) with Campaign Type and Status columns, read like every
other export. Values are kept verbatim: the status is the label new campaigns receive.
"""

from __future__ import annotations

import hashlib
import re
import xml.etree.ElementTree as ET
from pathlib import Path

from ..errors import EmptyFileError, InputError, MissingFileError
from ..i18n import phrase
from ..model import Detection, Note, Role, Source, TemplateRecord, TypeTemplate
from ..values import parse_bool
from .sniff import facts

METADATA_NS = "http://soap.sforce.com/2006/04/metadata"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"
OBJECT = "Campaign_Type_Member_Status"
TYPE_FIELD = "Campaign_Type__c"
STATUS_FIELD = "Campaign_Member_Status__c"
RESPONDED_FIELD = "HasResponded__c"
DEFAULT_FIELD = "IsDefault__c"

_FILE_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_]*\.([A-Za-z][A-Za-z0-9_]*)\.md(?:-meta\.xml)?$")
"""`Type.DeveloperName.md-meta.xml` (source format) or `Type.DeveloperName.md` (metadata format)."""


def _local(tag: object) -> str:
    return str(tag).rsplit("}", 1)[-1]


def _child(element: ET.Element, name: str) -> ET.Element | None:
    return next((c for c in element if _local(c.tag) == name), None)


def looks_like_xml(path: Path) -> bool:
    """Whether a file starts as XML (its first 512 bytes, a BOM allowed)."""
    try:
        with path.open("rb") as handle:
            head = handle.read(512)
    except OSError:
        return False
    return head.removeprefix(b"\xef\xbb\xbf").lstrip().startswith(b"<")


def parse_record(path: Path, shown: str) -> TemplateRecord | None:
    """Read one Custom Metadata record file; None when it is not a Campaign Type status record."""
    try:
        root = ET.parse(path).getroot()
    except ET.ParseError as exc:
        line = exc.position[0] if exc.position else None
        if b"CustomMetadata" in path.read_bytes()[:4096]:
            raise InputError(
                phrase("input.bad_xml", detail=str(exc)),
                file=shown,
                row=line,
                hint=phrase("input.bad_xml.hint"),
            ) from exc
        return None
    if _local(root.tag) != "CustomMetadata":
        return None
    values: dict[str, str | None] = {}
    for item in root:
        if _local(item.tag) != "values":
            continue
        field = _child(item, "field")
        value = _child(item, "value")
        if field is None or field.text is None:
            continue
        if value is None or value.get(f"{{{XSI_NS}}}nil") == "true":
            values[field.text.strip()] = None
        else:
            values[field.text.strip()] = value.text or ""
    if STATUS_FIELD not in values:
        return None
    status = values[STATUS_FIELD]
    campaign_type = values.get(TYPE_FIELD)
    if not status:
        raise InputError(
            phrase("input.record_no_value", field=STATUS_FIELD),
            file=shown,
            hint=phrase("input.record_no_status.hint"),
        )
    if not campaign_type:
        raise InputError(
            phrase("input.record_no_value", field=TYPE_FIELD),
            file=shown,
            hint=phrase("input.record_no_type.hint"),
        )
    flags: dict[str, bool | None] = {}
    for name in (RESPONDED_FIELD, DEFAULT_FIELD):
        raw = values.get(name)
        try:
            flags[name] = parse_bool(raw.strip()) if raw is not None else None
        except InputError as exc:
            exc.file, exc.column = shown, name
            raise
    label_element = _child(root, "label")
    match = _FILE_NAME.match(path.name)
    return TemplateRecord(
        campaign_type,
        status,
        flags[RESPONDED_FIELD],
        flags[DEFAULT_FIELD],
        None,
        match.group(1) if match else None,
        label_element.text if label_element is not None else None,
        Source(shown),
        None,
    )


def _group(records: list[TemplateRecord], source: Source) -> list[TypeTemplate]:
    groups: dict[str, list[TemplateRecord]] = {}
    for record in records:
        groups.setdefault(record.campaign_type, []).append(record)
    return [TypeTemplate(name, tuple(items), source) for name, items in groups.items()]


def read_folder(folder: Path, shown: str) -> tuple[list[TypeTemplate], Detection]:
    """Every Campaign Type member status record under a folder."""
    records: list[TemplateRecord] = []
    digest = hashlib.sha256()
    size = 0
    passed = 0
    files = sorted(p for p in folder.rglob("*") if p.is_file() and not p.name.startswith("."))
    for path in files:
        relative = path.relative_to(folder).as_posix()
        if not looks_like_xml(path):
            passed += 1
            continue
        record = parse_record(path, f"{shown.rstrip('/')}/{relative}")
        if record is None:
            passed += 1
            continue
        data = path.read_bytes()
        digest.update(relative.encode("utf-8") + b"\0" + hashlib.sha256(data).digest())
        size += len(data)
        records.append(record)
    if not records:
        raise EmptyFileError(
            phrase("input.no_records_in_folder", object=OBJECT),
            file=shown,
            hint=phrase("input.no_records_in_folder.hint"),
        )
    notes = (Note("templates_files_passed", (("count", str(passed)),)),) if passed else ()
    templates = _group(records, Source(shown))
    detection = Detection(
        file=shown,
        role=Role.TEMPLATES,
        format="sfdx-source",
        sha256=digest.hexdigest(),
        size=size,
        encoding="utf-8",
        rows_read=len(records),
        records=len(templates),
        notes=notes,
    )
    return templates, detection


def read_record_file(path: Path, shown: str) -> tuple[list[TypeTemplate], Detection]:
    """One record file given on its own."""
    info = facts(path, shown)
    record = parse_record(path, shown)
    if record is None:
        raise InputError(
            phrase("input.not_a_record", object=OBJECT),
            file=shown,
            hint=phrase("input.not_a_record.hint"),
        )
    detection = Detection(
        file=shown,
        role=Role.TEMPLATES,
        format="sfdx-source",
        sha256=info.sha256,
        size=info.size,
        encoding="utf-8",
        rows_read=1,
        records=1,
    )
    return _group([record], Source(shown)), detection


def is_folder(path: Path, shown: str) -> bool:
    """Tell whether a templates input is a folder (missing paths fail here, clearly)."""
    if not path.exists():
        raise MissingFileError(
            phrase("input.path_not_found"), file=shown, hint=phrase("input.not_found.hint")
        )
    return path.is_dir()
