"""The files `statusdiff type-templates` writes: Custom Metadata records in a Salesforce DX source
layout with a package.xml, the same templates as a CSV for Flow-based automations, and a README.

The XML is built with the standard library's DOM (never by pasting strings), in the metadata
namespace, with an xsi:type on every value, and read back before it is handed on: a status that
XML cannot carry unchanged is refused rather than altered. The CSV is UTF-8 with a BOM, CRLF line
ends, every field quoted (leading and trailing spaces of a status survive). Statuses are byte-exact.
"""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from xml.dom import minidom

from ..errors import InputError
from ..i18n import Catalog, phrase
from ..model import TemplateRecord, TypeTemplate
from ..read.metadata import (
    DEFAULT_FIELD,
    METADATA_NS,
    OBJECT,
    RESPONDED_FIELD,
    STATUS_FIELD,
    TYPE_FIELD,
    XSI_NS,
)
from ..typetemplates import Generated
from . import phrases
from .markdown import code, table, text

XSD_NS = "http://www.w3.org/2001/XMLSchema"
API_VERSION = "62.0"
"""The Metadata API version written into package.xml and sfdx-project.json."""
PACKAGE_DIR = "force-app"
RECORDS_DIR = f"{PACKAGE_DIR}/main/default/customMetadata"
MANIFEST = "manifest/package.xml"
PROJECT = "sfdx-project.json"
CSV_NAME = "campaign-type-member-statuses.csv"
README = "README.md"
CSV_HEADER = ("Campaign Type", "Status", "Responded", "Default", "Sort Order")


def record_path(record: TemplateRecord) -> str:
    """Where a record goes in the source layout."""
    return f"{RECORDS_DIR}/{OBJECT}.{record.developer_name}.md-meta.xml"


def _document(root_name: str) -> tuple[minidom.Document, minidom.Element]:
    document = minidom.getDOMImplementation().createDocument(METADATA_NS, root_name, None)
    root = document.documentElement
    assert root is not None
    root.setAttribute("xmlns", METADATA_NS)
    return document, root


def _element(
    document: minidom.Document, parent: minidom.Element, name: str, value: str | None = None
) -> minidom.Element:
    element = document.createElementNS(METADATA_NS, name)
    if value is not None:
        element.appendChild(document.createTextNode(value))
    parent.appendChild(element)
    return element


def _bytes(document: minidom.Document) -> bytes:
    data: bytes = document.toprettyxml(indent="    ", encoding="UTF-8")
    return data


def record_xml(record: TemplateRecord) -> bytes:
    """One Campaign_Type_Member_Status record as a source-format .md-meta.xml file."""
    document, root = _document("CustomMetadata")
    root.setAttribute("xmlns:xsi", XSI_NS)
    root.setAttribute("xmlns:xsd", XSD_NS)
    _element(document, root, "label", record.label or record.campaign_type)
    _element(document, root, "protected", "false")
    values: Sequence[tuple[str, str, str]] = (
        (STATUS_FIELD, "xsd:string", record.status),
        (TYPE_FIELD, "xsd:string", record.campaign_type),
        (RESPONDED_FIELD, "xsd:boolean", "true" if record.responded else "false"),
        (DEFAULT_FIELD, "xsd:boolean", "true" if record.default else "false"),
    )
    for field, kind, value in values:
        item = _element(document, root, "values")
        _element(document, item, "field", field)
        element = _element(document, item, "value", value)
        element.setAttributeNS(XSI_NS, "xsi:type", kind)
    data = _bytes(document)
    _read_back(data, record)
    return data


def _read_back(data: bytes, record: TemplateRecord) -> None:
    """Parse the record again and refuse it unless the status and type come back unchanged."""
    root = ET.fromstring(data)
    found = {
        item.findtext(f"{{{METADATA_NS}}}field"): item.findtext(f"{{{METADATA_NS}}}value")
        for item in root.iter(f"{{{METADATA_NS}}}values")
    }
    if found.get(STATUS_FIELD) != record.status or found.get(TYPE_FIELD) != record.campaign_type:
        raise InputError(
            phrase("tt.error.xml_changed", status=record.status),
            file=record.source.where(),
            row=record.row,
            hint=phrase("tt.error.xml_char.hint"),
        )


def package_xml(records: Sequence[TemplateRecord]) -> bytes:
    """The manifest: every record as a CustomMetadata member."""
    document, root = _document("Package")
    types = _element(document, root, "types")
    for record in sorted(records, key=lambda r: r.developer_name or ""):
        _element(document, types, "members", f"{OBJECT}.{record.developer_name}")
    _element(document, types, "name", "CustomMetadata")
    _element(document, root, "version", API_VERSION)
    return _bytes(document)


def project_json() -> bytes:
    """A minimal sfdx-project.json, so `sf project deploy start` runs in the folder."""
    project = {
        "packageDirectories": [{"path": PACKAGE_DIR, "default": True}],
        "name": "campaign-type-member-statuses",
        "namespace": "",
        "sourceApiVersion": API_VERSION,
    }
    return (json.dumps(project, indent=2) + "\n").encode("utf-8")


def templates_csv(templates: Sequence[TypeTemplate]) -> bytes:
    """Campaign Type, Status, Responded, Default, Sort Order: one line per status."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
    writer.writerow(CSV_HEADER)
    for template in templates:
        for r in template.records:
            writer.writerow(
                (
                    r.campaign_type,
                    r.status,
                    "true" if r.responded else "false",
                    "true" if r.default else "false",
                    "" if r.sort_order is None else str(r.sort_order),
                )
            )
    return buffer.getvalue().encode("utf-8-sig")


def _yes(t: Catalog, value: bool | None) -> str:
    return text(phrases.yes_no(t, value))


def readme(generated: Generated, lang: str, command: str) -> bytes:
    """What was generated, how to deploy it, and what it does not do."""
    t = Catalog(lang)
    records = [r for template in generated.templates for r in template.records]
    lines = [
        f"# {text(t('tt.readme.title'))}",
        "",
        text(
            t(
                "tt.readme.intro",
                records=t.n("tt.records", len(records)),
                types=t.n("tt.types", len(generated.templates)),
            )
        ),
        "",
        *(["```sh", command.replace("\n", " "), "```", ""] if command else []),
        f"## {text(t('tt.readme.files'))}",
        "",
        f"- `{RECORDS_DIR}/` — {text(t('tt.readme.files.records', object=OBJECT))}",
        f"- `{MANIFEST}` — {text(t('tt.readme.files.manifest'))}",
        f"- `{PROJECT}` — {text(t('tt.readme.files.project'))}",
        f"- `{CSV_NAME}` — {text(t('tt.readme.files.csv'))}",
        "",
        f"## {text(t('tt.readme.deploy'))}",
        "",
        text(t("tt.readme.deploy.prerequisite")),
        "",
        "```sh",
        "sf project deploy start --source-dir force-app --target-org ALIAS",
        f"# {t('tt.readme.deploy.or')}",
        f"sf project deploy start --manifest {MANIFEST} --target-org ALIAS",
        "```",
        "",
        text(t("tt.readme.deploy.picklist")),
        "",
        text(t("tt.readme.deploy.check")),
        "",
        "```sh",
        "statusdiff compare channels.json CampaignMemberStatus.csv --type-templates "
        + f"{RECORDS_DIR}",
        "```",
        "",
        f"## {text(t('tt.readme.not'))}",
        "",
        f"- {text(t('tt.readme.not.existing'))}",
        f"- {text(t('tt.readme.not.sort'))}",
        f"- {text(t('tt.readme.not.hidden'))}",
        "",
        f"## {text(t('tt.readme.types'))}",
        "",
    ]
    header = [
        text(t(f"tt.col.{key}")) for key in ("name", "status", "responded", "default", "sort")
    ]
    for template in generated.templates:
        lines += [f"### {text(template.campaign_type)}", ""]
        rows = [
            [
                f"`{r.developer_name}`",
                code(r.status, cell=True),
                _yes(t, r.responded),
                _yes(t, r.default),
                "" if r.sort_order is None else str(r.sort_order),
            ]
            for r in template.records
        ]
        lines += [table(header, "llllr", rows), ""]
    if generated.notes:
        lines += [f"## {text(t('tt.readme.notes'))}", ""]
        lines += [f"- {text(phrases.advisory(t, n))}" for n in generated.notes]
        lines.append("")
    return ("\n".join(lines).rstrip("\n") + "\n").encode("utf-8")


def render_folder(generated: Generated, *, lang: str = "en", command: str = "") -> dict[str, bytes]:
    """Every file of the output folder, by path relative to it."""
    records = [r for template in generated.templates for r in template.records]
    files: dict[str, bytes] = {}
    for record in records:
        files[record_path(record)] = record_xml(record)
    files[MANIFEST] = package_xml(records)
    files[PROJECT] = project_json()
    files[CSV_NAME] = templates_csv(generated.templates)
    files[README] = readme(generated, lang, command)
    return files
