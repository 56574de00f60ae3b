"""Campaign Type member status templates: generated from channels, and checked as an input.

`statusdiff type-templates` writes Custom Metadata records (Salesforce DX source layout), a
package.xml, a CSV and a README; `compare --type-templates` reads such records (or their CSV, or an
org's) and holds each Type's template against its channel with the campaign rule.
"""

from __future__ import annotations

import csv
import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from typer.testing import CliRunner

from statusdiff.cli import app
from statusdiff.comparison import Rule
from statusdiff.model import Channel, ProgramStatus, Source
from statusdiff.read import read_channels, read_templates
from statusdiff.read.metadata import METADATA_NS, XSI_NS
from statusdiff.render.sfdx import CSV_NAME, MANIFEST, RECORDS_DIR, render_folder
from statusdiff.typetemplates import (
    FixAct,
    check,
    developer_names,
    generate,
    valid_developer_name,
)

from .conftest import FIXTURES, GENERATED_AT, SAMPLES

CHANNEL_SAMPLES = [SAMPLES / "marketo-channels.json", SAMPLES / "marketo-channels-handmade.xlsx"]
TEMPLATES = FIXTURES / "templates"
ORG = TEMPLATES / "org-retrieve"


def _channel(name: str, *statuses: tuple[str, int | None, bool | None, bool]) -> Channel:
    source = Source("test")
    return Channel(
        name,
        "event",
        tuple(
            ProgramStatus(n, step, ok, hidden, source, i)
            for i, (n, step, ok, hidden) in enumerate(statuses, 1)
        ),
        source,
    )


def _generate(runner: CliRunner, out: Path, *args: str) -> None:
    result = runner.invoke(app, ["type-templates", *args, "-o", str(out)])
    assert result.exit_code == 0, result.output + result.stderr


def _compare(runner: CliRunner, templates: Path, *extra: str) -> tuple[int, dict[str, object]]:
    result = runner.invoke(
        app,
        [
            "compare",
            str(SAMPLES / "marketo-channels.json"),
            str(SAMPLES / "salesforce-member-statuses.csv"),
            "--pairs",
            str(SAMPLES / "program-campaign-pairs.csv"),
            "--type-templates",
            str(templates),
            "--generated-at",
            GENERATED_AT,
            "-o",
            "-",
            *extra,
        ],
    )
    assert result.exit_code in (0, 1), result.stderr
    return result.exit_code, json.loads(result.stdout)


# ------------------------------------------------------------------------------------------------
# Generated from every bundled channel sample: read back, they fit their channels
# ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("sample", CHANNEL_SAMPLES, ids=lambda p: p.name)
def test_generated_templates_read_back_and_fit_their_channels(
    runner: CliRunner, tmp_path: Path, sample: Path
) -> None:
    out = tmp_path / "templates"
    _generate(runner, out, str(sample))
    channels = read_channels(sample).records
    for source in (out / RECORDS_DIR, out / CSV_NAME, out):
        templates = read_templates(source).records
        assert {t.campaign_type for t in templates} == {c.name for c in channels}
        checks = check(templates, channels, rule=Rule.EXACT)
        for c in checks:
            assert c.compatible, (source, c.template.campaign_type, c.pair.differences)
            assert c.fixes == ()
            assert not c.pair.warnings, c.pair.warnings


def test_compare_with_generated_templates_reports_them_all_fitting(
    runner: CliRunner, tmp_path: Path
) -> None:
    out = tmp_path / "templates"
    _generate(runner, out, str(SAMPLES / "marketo-channels.json"))
    _, doc = _compare(runner, out)
    templates = doc["templates"]
    assert isinstance(templates, list)
    assert [t["campaign_type"] for t in templates] == [
        "Content Syndication",
        "Email Send",
        "Tradeshow",
        "Webinar",
    ]
    assert all(t["compatible"] and t["checked"] and not t["fix"] for t in templates)
    assert any(i["role"] == "templates" for i in doc["inputs"])  # type: ignore[union-attr]


# ------------------------------------------------------------------------------------------------
# The rules of generation
# ------------------------------------------------------------------------------------------------


def test_rules_no_pseudo_status_hidden_left_out_success_default_and_order() -> None:
    channels = read_channels(SAMPLES / "marketo-channels.json").records
    generated = generate(channels)
    by_type = {t.campaign_type: t for t in generated.templates}
    webinar = by_type["Webinar"]
    assert [r.status for r in webinar.records] == [
        "Invited",
        "Registered",
        "No Show",
        "Attended",
        "Attended On-Demand",
    ]
    assert all(r.status != "Not in Program" for t in generated.templates for r in t.records)
    assert [r.responded for r in webinar.records] == [False, False, False, True, True]
    assert [r.default for r in webinar.records] == [True, False, False, False, False]
    assert [r.sort_order for r in webinar.records] == [1, 2, 3, 4, 5]
    syndication = by_type["Content Syndication"]
    assert [r.status for r in syndication.records] == ["Member", "Downloaded"]
    hidden = [n for n in generated.notes if n.code == "tt.hidden_left_out"]
    assert len(hidden) == 1 and dict(hidden[0].params)["channel"] == "Content Syndication"
    assert "'Do Not Use'" in dict(hidden[0].params)["statuses"]
    for template in generated.templates:
        assert sum(1 for r in template.records if r.default) == 1


def test_sort_order_follows_steps_not_the_order_read() -> None:
    channel = _channel(
        "Webinar",
        ("Attended", 40, True, False),
        ("Not in Program", 0, False, False),
        ("Registered", 20, False, False),
        ("Retired", 10, False, True),
        ("Invited", 15, False, False),
    )
    (template,) = generate([channel]).templates
    assert [(r.status, r.sort_order, r.default) for r in template.records] == [
        ("Invited", 1, True),
        ("Registered", 2, False),
        ("Attended", 3, False),
    ]


def test_type_and_default_overrides(runner: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "t"
    _generate(
        runner,
        out,
        str(SAMPLES / "marketo-channels.json"),
        "--type",
        "Webinar=Webinars (Marketo)",
        "--default",
        "Webinar=Registered",
        "--channel",
        "Webinar",
    )
    (template,) = read_templates(out / RECORDS_DIR).records
    assert template.campaign_type == "Webinars (Marketo)"
    assert [r.status for r in template.records if r.default] == ["Registered"]
    names = sorted(p.name for p in (out / RECORDS_DIR).iterdir())
    assert "Campaign_Type_Member_Status.Webinars_Marketo_Registered.md-meta.xml" in names
    assert len(names) == 5
    channels = read_channels(SAMPLES / "marketo-channels.json").records
    (fits,) = check([template], channels, types={"Webinar": "Webinars (Marketo)"})
    assert fits.compatible and fits.pair.channel_name == "Webinar"


def test_csv_reads_back_exactly(tmp_path: Path) -> None:
    tricky = [
        "Attended ",
        " Registered",
        "No\u00a0Show",
        'Said "yes", then; left',
        "=SUM(1)",
        "De\u0301sinscrit",
        "Café ☕",
        "Attended On\u2011Demand",
        "x" * 45,
    ]
    channel = _channel(
        "Event", *((s, (i + 1) * 10, i % 2 == 0, False) for i, s in enumerate(tricky))
    )
    generated = generate([channel])
    files = render_folder(generated)
    path = tmp_path / CSV_NAME
    path.write_bytes(files[CSV_NAME])
    (back,) = read_templates(path).records
    assert [(r.status, r.responded, r.default, r.sort_order) for r in back.records] == [
        (r.status, r.responded, r.default, r.sort_order) for r in generated.templates[0].records
    ]
    assert [r.status for r in back.records] == tricky
    assert files[CSV_NAME].startswith(b'\xef\xbb\xbf"Campaign Type","Status"')
    with path.open(encoding="utf-8-sig", newline="") as handle:
        assert next(csv.reader(handle)) == [
            "Campaign Type",
            "Status",
            "Responded",
            "Default",
            "Sort Order",
        ]
    assert any(n.code == "label_too_long" for n in generated.notes)


# ------------------------------------------------------------------------------------------------
# The XML: well-formed, in the metadata namespace, xsi:type on each value, labels byte-exact
# ------------------------------------------------------------------------------------------------


def test_records_are_well_formed_metadata_with_typed_values(tmp_path: Path) -> None:
    statuses = ["Attended ", "No\u00a0Show", "R&D <Lab>", "Visitor’s", "Ünïcode"]
    channel = _channel("Web & Events", *((s, i, i == 1, False) for i, s in enumerate(statuses)))
    files = render_folder(generate([channel]))
    records = {k: v for k, v in files.items() if k.startswith(RECORDS_DIR)}
    assert len(records) == len(statuses)
    seen = []
    for name, data in records.items():
        assert data.startswith(b'<?xml version="1.0" encoding="UTF-8"?>')
        assert b'xmlns:xsd="http://www.w3.org/2001/XMLSchema"' in data
        root = ET.fromstring(data)
        assert root.tag == f"{{{METADATA_NS}}}CustomMetadata"
        assert root.findtext(f"{{{METADATA_NS}}}protected") == "false"
        values = root.findall(f"{{{METADATA_NS}}}values")
        fields = {}
        for item in values:
            value = item.find(f"{{{METADATA_NS}}}value")
            assert value is not None
            kind = value.get(f"{{{XSI_NS}}}type")
            assert kind in ("xsd:string", "xsd:boolean"), (name, kind)
            fields[item.findtext(f"{{{METADATA_NS}}}field")] = (kind, value.text)
        assert set(fields) == {
            "Campaign_Member_Status__c",
            "Campaign_Type__c",
            "HasResponded__c",
            "IsDefault__c",
        }
        assert fields["Campaign_Type__c"] == ("xsd:string", "Web & Events")
        assert fields["HasResponded__c"][0] == "xsd:boolean"
        seen.append(fields["Campaign_Member_Status__c"][1])
        label = root.findtext(f"{{{METADATA_NS}}}label")
        assert label is not None and len(label) <= 40 and label.startswith("Web & Events-")
    assert sorted(seen) == sorted(statuses)
    manifest = ET.fromstring(files[MANIFEST])
    members = [m.text for m in manifest.iter(f"{{{METADATA_NS}}}members")]
    expected = sorted(
        "Campaign_Type_Member_Status." + n.split("Campaign_Type_Member_Status.")[1][:-12]
        for n in records
    )
    assert members == expected
    assert manifest.findtext(f"{{{METADATA_NS}}}types/{{{METADATA_NS}}}name") == "CustomMetadata"


def test_a_status_xml_cannot_carry_is_refused(runner: CliRunner, tmp_path: Path) -> None:
    sheet = tmp_path / "channels.csv"
    sheet.write_text(
        "Channel,Status,Step,Success\nWebinar,Invited,10,no\nWebinar,Bad\x01Status,20,yes\n"
    )
    result = runner.invoke(app, ["type-templates", str(sheet), "-o", str(tmp_path / "out")])
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1
    assert "U+0001" in result.stderr and result.stderr.startswith(f"error: {sheet}:3:")
    assert not (tmp_path / "out").exists()


# ------------------------------------------------------------------------------------------------
# DeveloperNames: valid, unique and deterministic whatever the labels
# ------------------------------------------------------------------------------------------------


def test_developer_names_valid_unique_deterministic() -> None:
    statuses = [
        "No Show",
        "No-Show",
        "No\u2011Show",
        "No_Show",
        "No  Show",
        "no show",
        "Ñó Shöw",
        "!!!",
        "",
        "123 Go",
        "出席",
        "Attended — On-Demand (replay) / 2026 edition, with extra words",
        "Attended — On-Demand (replay) / 2026 edition, with more words",
        "__Trailing__",
        "Ｆｕｌｌｗｉｄｔｈ",
    ]
    keys = [("Webinar", s) for s in statuses] + [("7 Événements", "Invited"), ("", "Invited")]
    names = developer_names(keys)
    assert len({n.lower() for n in names}) == len(names)  # unique, as Salesforce compares them
    for name in names:
        assert valid_developer_name(name), name
        assert len(name) <= 40 and "__" not in name and not name.endswith("_")
    assert names == developer_names(keys)
    assert names[0] == "Webinar_No_Show"
    # Look-alikes, punctuation, case and accents: the same readable stem, a hash suffix each.
    for name in names[1:7]:
        assert re.fullmatch(r"Webinar_(No_Show|no_show)_[0-9a-f]{8}", name), name
    assert names[7] == "Webinar_Status"  # nothing readable left
    assert re.fullmatch(r"Webinar_Status_[0-9a-f]{8}", names[8])
    assert names[9] == "Webinar_123_Go"
    assert re.fullmatch(r"Webinar_Status_[0-9a-f]{8}", names[10])
    assert names[11] != names[12] and names[11].startswith("Webinar_Attended_On_Demand_")
    assert names[13] == "Webinar_Trailing"
    assert names[14] == "Webinar_Fullwidth"
    assert names[15] == "T_7_Evenements_Invited"
    assert names[16] == "Type_Invited"
    # The same status keeps its name whatever comes after it.
    assert developer_names(keys[:1]) == names[:1]


def test_valid_developer_name_rejects_what_salesforce_rejects() -> None:
    for bad in ("", "1abc", "_a", "a_", "a__b", "a-b", "é", "a" * 41):
        assert not valid_developer_name(bad), bad
    assert valid_developer_name("Webinar_No_Show")


# ------------------------------------------------------------------------------------------------
# Existing templates as an input: near misses reported with their reason, and the fix
# ------------------------------------------------------------------------------------------------


def test_org_template_with_a_trailing_space_is_a_near_miss(runner: CliRunner) -> None:
    code, doc = _compare(runner, ORG)
    assert code == 1
    templates = {t["campaign_type"]: t for t in doc["templates"]}  # type: ignore[union-attr]
    webinar = templates["Webinar"]
    assert webinar["compatible"] is False and webinar["blocking"] == 1
    (diff,) = [d for d in webinar["differences"] if d["blocking"]]
    assert diff["label"] == "Attended " and diff["near_match"] == "Attended"
    assert diff["reasons"] == ["whitespace"]
    (fix,) = webinar["fix"]
    assert fix["act"] == "set_status" and fix["developer_name"] == "Webinar_Attended"
    assert fix["status"] == "Attended " and fix["value"] == "Attended"
    # The renamed record file was recognised by its content, the other metadata passed over.
    assert "Attended On-Demand" in {r["status"] for r in webinar["records"]}
    assert templates["Tradeshow"]["compatible"] is True
    partner = templates["Partner"]
    assert partner["checked"] is False and "Partner" in partner["problem_message"]
    (detection,) = [i for i in doc["inputs"] if i["role"] == "templates"]  # type: ignore[union-attr]
    assert detection["records"] == 3
    assert detection["notes"][0]["code"] == "templates_files_passed"


def test_only_failing_templates_set_the_exit_code(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(
        app,
        [
            "compare",
            str(SAMPLES / "marketo-channels.json"),
            str(SAMPLES / "salesforce-member-statuses.csv"),
            "--channel",
            "Webinar",
            "--campaign",
            "2026-03 Webinar: Pipeline Hygiene",
            "--type-templates",
            str(TEMPLATES / "templates-soql-export.csv"),
        ],
    )
    assert result.exit_code == 0, result.output
    result = runner.invoke(
        app,
        [
            "compare",
            str(SAMPLES / "marketo-channels.json"),
            str(SAMPLES / "salesforce-member-statuses.csv"),
            "--channel",
            "Webinar",
            "--campaign",
            "2026-03 Webinar: Pipeline Hygiene",
            "--type-templates",
            str(TEMPLATES / "templates-excel-fr.csv"),
        ],
    )
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert lines[0] == "Templates:"
    assert lines[1].startswith("  ✗ Webinar ⇄ Webinar: new campaigns of this Type will not sync")
    assert any("set Campaign_Member_Status__c from “No-Show” to “No Show”" in x for x in lines)


def test_french_excel_templates_and_strict_rule_add_missing_statuses(runner: CliRunner) -> None:
    _, doc = _compare(runner, TEMPLATES / "templates-excel-fr.csv", "--strict", "--lang", "fr")
    (webinar,) = doc["templates"]  # type: ignore[misc]
    acts = [(f["act"], f["status"], f["value"]) for f in webinar["fix"]]
    assert ("set_status", "No-Show", "No Show") in acts
    assert ("add", None, "Attended On-Demand") in acts
    assert all(f["text"] for f in webinar["fix"])
    assert "remplacer" in webinar["fix"][0]["text"]


def test_default_fixes_keep_exactly_one_default(tmp_path: Path) -> None:
    path = tmp_path / "templates.csv"
    path.write_text(
        "Campaign Type,Status,Responded,Default,Sort Order\n"
        "Tradeshow,Invited,false,true,1\n"
        "Tradeshow,Visited Booth,true,true,2\n"
        "Email Send,Member,false,false,1\n"
        "Email Send,Engaged,false,false,2\n",
        encoding="utf-8",
    )
    channels = read_channels(SAMPLES / "marketo-channels.json").records
    checks = {c.template.campaign_type: c for c in check(read_templates(path).records, channels)}
    trade = checks["Tradeshow"]
    assert trade.compatible
    assert [(f.act, f.record.status if f.record else None, f.value) for f in trade.fixes] == [
        (FixAct.SET_DEFAULT, "Visited Booth", False)
    ]
    email = checks["Email Send"]
    assert [(f.act, f.record.status if f.record else None, f.value) for f in email.fixes] == [
        (FixAct.SET_RESPONDED, "Engaged", True),
        (FixAct.SET_DEFAULT, "Member", True),
    ]


def test_reports_put_the_templates_section_before_the_pairs(
    runner: CliRunner, tmp_path: Path
) -> None:
    html, md = tmp_path / "r.html", tmp_path / "r.md"
    result = runner.invoke(
        app,
        [
            "compare",
            str(SAMPLES / "marketo-channels.json"),
            str(SAMPLES / "salesforce-member-statuses.csv"),
            "--pairs",
            str(SAMPLES / "program-campaign-pairs.csv"),
            "--type-templates",
            str(ORG),
            "-o",
            str(html),
            "-o",
            str(md),
            "--generated-at",
            GENERATED_AT,
        ],
    )
    assert result.exit_code == 1
    page = html.read_text(encoding="utf-8")
    assert page.index('id="templates"') < page.index('id="summary"')
    section = page[page.index('id="templates"') : page.index('id="summary"')]
    assert 'class="pill no"' in section and 'class="pill ok"' in section
    assert "Webinar_Attended: set Campaign_Member_Status__c" in section
    assert "U+0020 SPACE" in section
    text = md.read_text(encoding="utf-8")
    assert text.index("## Templates") < text.index("## Verdict per pair")
    assert "`Attended·`" in text


def test_reports_without_templates_are_unchanged(runner: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "r.json"
    html = tmp_path / "r.html"
    args = [
        "compare",
        str(SAMPLES / "marketo-channels.json"),
        str(SAMPLES / "salesforce-member-statuses.csv"),
        "-o",
        str(out),
        "-o",
        str(html),
    ]
    runner.invoke(app, args)
    assert json.loads(out.read_text(encoding="utf-8"))["templates"] == []
    assert 'id="templates"' not in html.read_text(encoding="utf-8")


# ------------------------------------------------------------------------------------------------
# The command: files, README, determinism, errors
# ------------------------------------------------------------------------------------------------


def test_folder_layout_readme_and_determinism(runner: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "t"
    result = runner.invoke(
        app, ["type-templates", str(SAMPLES / "marketo-channels.json"), "-o", str(out)]
    )
    assert result.exit_code == 0
    assert "wrote 12 records for 4 Campaign Types" in result.stdout
    assert "'Do Not Use' left out" in result.stdout
    first = {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    assert {"README.md", "sfdx-project.json", MANIFEST, CSV_NAME} <= set(first)
    assert (
        f"{RECORDS_DIR}/Campaign_Type_Member_Status.Webinar_Attended_On_Demand.md-meta.xml" in first
    )
    project = json.loads(first["sfdx-project.json"])
    assert project["packageDirectories"] == [{"path": "force-app", "default": True}]
    readme = first["README.md"].decode("utf-8")
    assert "sf project deploy start --source-dir force-app" in readme
    assert "compare --changes" in readme
    assert "`Attended On-Demand`" in readme
    runner.invoke(app, ["type-templates", str(SAMPLES / "marketo-channels.json"), "-o", str(out)])
    again = {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    assert again == first
    fr = tmp_path / "fr"
    runner.invoke(
        app,
        ["type-templates", str(SAMPLES / "marketo-channels.json"), "-o", str(fr), "--lang", "fr"],
    )
    assert "## Déployer" in (fr / "README.md").read_text(encoding="utf-8")


def test_stale_records_in_the_folder_are_pointed_out(runner: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "t"
    stale = out / RECORDS_DIR / "Campaign_Type_Member_Status.Webinar_Old.md-meta.xml"
    stale.parent.mkdir(parents=True)
    stale.write_text("<x/>", encoding="utf-8")
    result = runner.invoke(
        app, ["type-templates", str(SAMPLES / "marketo-channels.json"), "-o", str(out)]
    )
    assert result.exit_code == 0
    assert "holds 1 other record file this run did not write" in result.stdout
    assert stale.exists()
    # A narrower second run: the records of the first run are ours (removed by the write, never
    # counted); only the foreign file is said, and set_cli_language makes its errors French.
    result = runner.invoke(
        app,
        [
            "type-templates",
            str(SAMPLES / "marketo-channels.json"),
            "-o",
            str(out),
            "--channel",
            "Webinar",
        ],
    )
    assert result.exit_code == 0
    assert "holds 1 other record file this run did not write" in result.stdout
    result = runner.invoke(
        app, ["type-templates", str(tmp_path / "nope.json"), "-o", str(out), "--lang", "fr"]
    )
    assert result.exit_code == 2
    assert "fichier introuvable" in result.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--default", "Webinar=Nope"], "--default names 'Nope', which is no status"),
        (["--default", "Content Syndication=Do Not Use"], "a hidden status of the channel"),
        (["--type", "Webinr=Webinar"], "--type names the channel 'Webinr'"),
        (["--type", "Webinar"], "--type 'Webinar' is not CHANNEL=VALUE"),
        (["--type", "Webinar=Tradeshow"], "would both write Campaign Type 'Tradeshow'"),
        (["--channel", "Nope"], "--channel names the channel 'Nope'"),
    ],
)
def test_bad_options_fail_in_one_line(
    runner: CliRunner, tmp_path: Path, args: list[str], message: str
) -> None:
    result = runner.invoke(
        app,
        [
            "type-templates",
            str(SAMPLES / "marketo-channels.json"),
            "-o",
            str(tmp_path / "o"),
            *args,
        ],
    )
    assert result.exit_code == 2
    assert result.stderr.startswith("error: ") and result.stderr.count("\n") == 1
    assert message in result.stderr
    assert " — " in result.stderr


def test_output_that_is_a_file_is_refused(runner: CliRunner, tmp_path: Path) -> None:
    target = tmp_path / "file.txt"
    target.write_text("x", encoding="utf-8")
    result = runner.invoke(
        app, ["type-templates", str(SAMPLES / "marketo-channels.json"), "-o", str(target)]
    )
    assert result.exit_code == 2
    assert "type-templates writes a folder" in result.stderr


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("templates-no-type.csv", r"templates-no-type\.csv:3: template row names no Campaign Type"),
        ("broken-record", r"Webinar_Invited\.md-meta\.xml:22: not well-formed XML"),
        ("nowhere", r"nowhere: file or folder not found"),
    ],
)
def test_bad_template_inputs_fail_in_one_line(runner: CliRunner, name: str, message: str) -> None:
    result = runner.invoke(
        app,
        [
            "compare",
            str(SAMPLES / "marketo-channels.json"),
            str(SAMPLES / "salesforce-member-statuses.csv"),
            "--type-templates",
            str(TEMPLATES / name),
        ],
    )
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert re.search(message, result.stderr), result.stderr


def test_a_folder_without_records_says_so(runner: CliRunner, tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("nothing here", encoding="utf-8")
    result = runner.invoke(
        app,
        [
            "compare",
            str(SAMPLES / "marketo-channels.json"),
            str(SAMPLES / "salesforce-member-statuses.csv"),
            "--type-templates",
            str(tmp_path),
        ],
    )
    assert result.exit_code == 2
    assert "no Campaign_Type_Member_Status records in this folder" in result.stderr


def test_compare_type_option_names_the_channel_of_a_type(runner: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "t"
    _generate(
        runner,
        out,
        str(SAMPLES / "marketo-channels.json"),
        "--type",
        "Webinar=Webinars",
        "--channel",
        "Webinar",
    )
    _, unmapped = _compare(runner, out / CSV_NAME)
    (item,) = unmapped["templates"]  # type: ignore[misc]
    assert item["checked"] is False and item["channel"] == "Webinars"
    _, mapped = _compare(runner, out / CSV_NAME, "--type", "Webinar=Webinars")
    (item,) = mapped["templates"]  # type: ignore[misc]
    assert item["checked"] is True and item["compatible"] is True
    assert item["channel"] == "Webinar" and item["campaign_type"] == "Webinars"
    assert mapped["options"]["type.Webinar"] == "Webinars"  # type: ignore[index]
    # The Type differs from the channel: Marketo writes the channel into Type on sync.
    assert [w["code"] for w in item["warnings"]] == ["type_mismatch"]


def test_inspect_reads_templates_when_asked(runner: CliRunner) -> None:
    result = runner.invoke(app, ["inspect", "--role", "templates", str(ORG), "--json"])
    assert result.exit_code == 0, result.stderr
    (found,) = json.loads(result.stdout)
    assert found["role"] == "templates" and found["format"] == "sfdx-source"
    assert found["rows"] == 9 and found["records"] == 3
    result = runner.invoke(
        app, ["inspect", "--role", "templates", str(TEMPLATES / "templates-soql-export.csv")]
    )
    assert result.exit_code == 0
    assert "'Campaign_Member_Status__c'      → status" in result.stdout
    assert "'DeveloperName'                  → developer_name" in result.stdout


def test_labels_without_a_near_match_and_not_in_program_are_deleted(tmp_path: Path) -> None:
    path = tmp_path / "templates.csv"
    path.write_text(
        "Campaign Type,Status,Responded,Default,Sort Order\n"
        "Email Send,Not in Program,false,false,0\n"
        "Email Send,Member,false,true,1\n"
        "Email Send,Sent,false,false,2\n"
        "Email Send,Engaged,true,false,3\n",
        encoding="utf-8",
    )
    channels = read_channels(SAMPLES / "marketo-channels.json").records
    (result,) = check(read_templates(path).records, channels)
    assert result.failing and len(result.pair.blocking) == 2
    assert {d.label: d.pseudo for d in result.pair.blocking} == {
        "Not in Program": True,
        "Sent": False,
    }
    assert [(f.act, f.record.status if f.record else None) for f in result.fixes] == [
        (FixAct.DELETE, "Not in Program"),
        (FixAct.DELETE, "Sent"),
    ]


def test_usage_errors_follow_lang(runner: CliRunner, tmp_path: Path) -> None:
    """Its own usage errors came from an English catalogue fixed at import."""
    args = ["type-templates", str(SAMPLES / "marketo-channels.json"), "-o", str(tmp_path / "t")]
    result = runner.invoke(app, [*args, "--default", "Webinar=Nope", "--lang", "fr"])
    assert result.exit_code == 2
    assert "n’est pas un statut du canal" in result.stderr
    result = runner.invoke(app, [*args, "--default", "Webinar=Nope"])
    assert "which is no status of the channel" in result.stderr
