"""The HTML report: golden file, single-file safety, escaping, accessibility, catalogue, templates.

The golden file pins the bundled samples' report. To update it after a deliberate change:

    STATUSDIFF_UPDATE_GOLDEN=1 python -m pytest tests/test_render_html.py
"""

from __future__ import annotations

import base64
import dataclasses
import difflib
import hashlib
import os
import re
import shutil
import tomllib
from html.parser import HTMLParser
from pathlib import Path

import pytest
from typer.testing import CliRunner

from statusdiff import ids
from statusdiff.cli import app
from statusdiff.comparison import compare
from statusdiff.errors import RenderError
from statusdiff.i18n import Catalog
from statusdiff.model import Campaign, Channel, MemberStatus, Pairing, ProgramStatus, Source
from statusdiff.pipeline import Job, Report, run
from statusdiff.remediate import plan_all
from statusdiff.render import htmlplan, htmlview
from statusdiff.render import render as render_any
from statusdiff.render.html import render as render_chunks
from statusdiff.render.html import templates_folder

from .conftest import GENERATED_AT, ROOT, sample_args

TEMPLATES = ROOT / "templates"
GOLDEN = ROOT / "tests" / "golden" / "report.html"
CATALOG = ROOT / "statusdiff" / "catalog" / "html.toml"
HTML_FIXTURES = Path("tests") / "fixtures" / "html"


def render(report: Report, templates: Path | None = None) -> bytes:
    """The whole page (the renderer hands it over in chunks)."""
    return b"".join(render_chunks(report, templates=templates))


def sample_job() -> Job:
    """The bundled samples, named relative to the repository root (no machine path in reports)."""
    return Job(
        channels=["samples/marketo-channels.json"],
        statuses="samples/salesforce-member-statuses.csv",
        pairs="samples/program-campaign-pairs.csv",
        members="samples/salesforce-campaign-members.csv",
        campaigns="samples/salesforce-campaigns.csv",
    )


def hostile_job() -> Job:
    """A label and a campaign name that would run script if they were not escaped."""
    return Job(
        channels=["samples/marketo-channels.json"],
        statuses=str(HTML_FIXTURES / "statuses.csv"),
        pairs=str(HTML_FIXTURES / "pairs.csv"),
    )


@pytest.fixture
def at_root(monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(ROOT)
    return ROOT


@pytest.fixture
def report(at_root: Path) -> Report:
    return run(sample_job(), generated_at=GENERATED_AT)


@pytest.fixture
def page(report: Report) -> str:
    return render(report).decode("utf-8")


@pytest.fixture
def hostile(at_root: Path) -> str:
    return render(run(hostile_job(), generated_at=GENERATED_AT)).decode("utf-8")


# ------------------------------------------------------------------------------------------------
# Golden file and determinism
# ------------------------------------------------------------------------------------------------


def test_golden_samples_report(report: Report) -> None:
    actual = render(report).decode("utf-8")
    if os.environ.get("STATUSDIFF_UPDATE_GOLDEN"):
        GOLDEN.parent.mkdir(parents=True, exist_ok=True)
        GOLDEN.write_text(actual, encoding="utf-8", newline="")
    assert GOLDEN.is_file(), "no golden file: run STATUSDIFF_UPDATE_GOLDEN=1 python -m pytest"
    expected = GOLDEN.read_text(encoding="utf-8")
    if actual != expected:
        diff = difflib.unified_diff(
            expected.splitlines(), actual.splitlines(), "golden", "actual", n=1, lineterm=""
        )
        lines = list(diff)
        shown = "\n".join(lines[:60]) + ("\n…" if len(lines) > 60 else "")
        pytest.fail(
            "the HTML report differs from tests/golden/report.html "
            "(if intended: STATUSDIFF_UPDATE_GOLDEN=1 python -m pytest tests/test_render_html.py)"
            f"\n{shown}",
            pytrace=False,
        )


def test_same_report_gives_same_bytes(report: Report) -> None:
    assert render(report) == render(report)


def test_golden_holds_no_machine_path() -> None:
    text = GOLDEN.read_text(encoding="utf-8")
    assert str(ROOT) not in text
    assert "/tmp/" not in text


def test_dispatch_through_render_package(report: Report) -> None:
    rendered = render_any(report, "html")
    assert not isinstance(rendered, bytes)
    assert b"".join(rendered) == render(report)


def test_rendered_in_chunks(report: Report) -> None:
    chunks = list(render_chunks(report))
    assert chunks and all(isinstance(c, bytes) and c for c in chunks)
    assert b"".join(chunks).decode("utf-8").endswith("</html>\n")


# ------------------------------------------------------------------------------------------------
# One file, nothing loaded
# ------------------------------------------------------------------------------------------------


def _inline(page: str, tag: str) -> str:
    found = re.search(rf"<{tag}>(.*?)</{tag}>", page, re.S)
    assert found is not None, f"no inline <{tag}>"
    return found.group(1)


def _sha(text: str) -> str:
    return base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii")


def test_single_file_with_a_strict_policy(page: str) -> None:
    assert page.startswith("<!DOCTYPE html>")
    assert '<meta charset="utf-8">' in page
    policy = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', page)
    assert policy is not None
    csp = policy.group(1).replace("&#39;", "'")
    assert "default-src 'none'" in csp
    assert f"style-src 'sha256-{_sha(_inline(page, 'style'))}'" in csp
    assert f"script-src 'sha256-{_sha(_inline(page, 'script'))}'" in csp
    assert "img-src data:" in csp
    assert page.index("Content-Security-Policy") < page.index("<style>")


def test_nothing_external(page: str) -> None:
    assert not re.search(r"""(?:src|href|action)\s*=\s*["']?\s*(?:https?:|//)""", page)
    assert "@import" not in page
    assert '<link rel="stylesheet"' not in page
    assert not re.search(r"url\(\s*['\"]?(?!data:)", page)
    assert page.count("<script") == 1
    assert page.count("<style") == 1


# ------------------------------------------------------------------------------------------------
# Content
# ------------------------------------------------------------------------------------------------


def test_header_verdict_and_rule(page: str) -> None:
    t = Catalog("en")
    assert "<h1>7 pairs: 2 will sync, 4 will not, 1 cannot be checked</h1>" in page
    assert t("rule.undefined").replace("“", "&#8220;") in page or t("rule.undefined") in page
    assert t("rule.salesforce-subset") in page
    assert '<html lang="en">' in page


def test_audit_block_names_every_input(report: Report, page: str) -> None:
    audit = page[page.index('id="audit"') : page.index("</main>")]
    for detection in report.inputs:
        assert detection.file in audit
        assert detection.sha256 in audit
        assert detection.format in audit or detection.format.startswith("json-")
    assert "JSON (Marketo REST API response)" in audit
    assert GENERATED_AT in audit
    assert report.version in audit
    # the options are named for readers: the rule by its phrase, never by its code
    assert "Rule chosen (--strict)" in audit
    assert "salesforce-subset" not in audit
    assert "encoding UTF-8 (byte-order mark)" in audit
    # plain words: how many rows made how many records, not "rows read → records"
    assert "27 rows: the statuses of 7 campaigns" in audit
    assert "940 rows: members counted under 21 campaign statuses" in audit
    # the answer first: the audit block ("How this report was made") comes after every pair
    assert page.index('id="summary"') < page.index('id="details"') < page.index('id="audit"')


def test_every_pair_in_the_summary_and_details_for_blocked_only(page: str) -> None:
    summary = page[
        page.index('<div id="pairs"') : page.index("</section>", page.index('id="pairs"'))
    ]
    assert summary.count('<tr class="ok">') == 2
    assert summary.count('<tr class="no">') == 4
    assert summary.count('<tr class="un">') == 1
    assert page.count('<section class="pair"') == 4
    for index in (2, 3, 4, 6):
        assert f'<section class="pair" id="p{index}"' in page
        assert f'href="#p{index}"' in page
    assert '<li id="p7">' in page
    assert "is not in the status export" in page


def test_near_miss_drawn_character_by_character(page: str) -> None:
    section = page[page.index('id="p2"') : page.index('id="p3"')]
    # trailing space of "Attended " drawn as a middle dot, marked, and named on hover
    assert 'Attended<span class="inv chg" title="U+0020 SPACE" data-g="·"> </span>' in section
    # the non-breaking hyphen of "Attended On‑Demand" marked beside the channel's hyphen
    assert '<span class="chg" title="U+2011 NON-BREAKING HYPHEN">' in section
    assert '<span class="chg" title="U+002D HYPHEN-MINUS">-</span>' in section
    legend = page[page.index('id="legend"') :]
    assert "U+2011" in legend and "NON-BREAKING HYPHEN" in legend


def test_rows_marked_with_words_not_only_colour(page: str) -> None:
    section = page[page.index('id="p3"') : page.index('id="p6"')]
    assert '<tr class="r-exact">' in section
    assert '<tr class="r-near blk">' in section
    assert '<tr class="r-sf blk">' in section
    assert '<tr class="r-mk">' in section
    for words in ("exact", "near miss", "Salesforce only", "channel only"):
        assert f'class="mark">{words}' in page


def test_remediation_options_in_order_recommended_marked(page: str) -> None:
    section = page[page.index('id="p2"') : page.index('id="p3"')]
    # options always read A, B, C (issue 13); the recommended one (B here) is marked, not moved
    keys = [k.split("<")[0][:1] for k in section.split('<span class="key">')[1:]]
    assert keys == ["A", "B", "C"]
    first = section.index('<article class="option rec">')
    assert "B. Fix the Salesforce campaign" in section[first : first + 200]
    assert "Rename “Attended·” to “Attended”." in section
    assert "Member statuses belong to each campaign" in section
    # option C states its blast radius, option A its alternatives
    assert "Blast radius:" in section
    assert "Webinar template (do not use)" in section


def test_advisories_listed(page: str) -> None:
    assert "matches a status that is hidden in the channel" in page
    assert "campaign Type is “Email”, not the channel “Email Send”" in page


def test_matrix_mode_is_capped(at_root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    job = Job(
        channels=["samples/marketo-channels.json"],
        statuses="samples/salesforce-member-statuses.csv",
    )
    report = run(job, generated_at=GENERATED_AT)
    assert report.comparison.matrix is not None
    full = render(report).decode("utf-8")
    assert 'id="matrix"' in full
    assert full.count('<th scope="col" class="ch">') == len(report.comparison.matrix.channels)
    monkeypatch.setattr(htmlview, "MATRIX_LIMIT", 2)
    capped = render(report).decode("utf-8")
    assert "The table shows the first 2 of 7 campaigns" in capped


def test_same_diagnosis_shares_one_section(hostile: str) -> None:
    assert '<section class="pair" id="g2"' in hostile
    assert '<tr id="p2">' in hostile and '<tr id="p3">' in hostile
    assert "2 pairs on channel “Webinar” with the very same statuses and fix" in hostile
    assert hostile.count('<section class="pair"') == 3


def test_member_counts_do_not_split_a_group(at_root: Path) -> None:
    job = dataclasses.replace(hostile_job(), members=str(HTML_FIXTURES / "members.csv"))
    page = render(run(job, generated_at=GENERATED_AT)).decode("utf-8")
    # the clones hold 4 and 7 members in "Attended ": still one section, counted pair by pair
    assert page.count('<section class="pair"') == 3
    group = page[page.index('id="g2"') : page.index("</section>", page.index('id="g2"'))]
    assert "2 pairs on channel “Webinar” with the very same statuses and fix" in group
    assert '<th scope="col" class="n lbl">Attended<span class="inv"' in group
    assert 'pairs.csv:3<td class="n">4<tr id="p3">' in group
    assert 'pairs.csv:4<td class="n">7</tbody>' in group
    assert "members: totals over the group’s pairs" in group
    assert '<td class="n">3<td class="n">11<td class="note">' in group  # 4 + 7 in the sum
    assert "Rename “Attended·” to “Attended”." in group


def test_group_gives_each_pair_its_own_fix() -> None:
    # three campaigns copied from one template, each with a spare campaign named after its program
    source = Source("generated")
    channel = Channel(
        "Webinar",
        "webinar",
        (
            ProgramStatus("Invited", 10, False, False, source, 1),
            ProgramStatus("Attended", 20, True, False, source, 2),
        ),
        source,
    )

    def campaign(i: int, name: str, labels: list[str], ctype: str | None = None) -> Campaign:
        key = ids.to18(f"7015gQa{i:08d}")
        statuses = tuple(
            MemberStatus(label, j == 1, j == 0, j + 1, None, source, j)
            for j, label in enumerate(labels)
        )
        return Campaign(key, key, name, ctype, statuses, source)

    campaigns = []
    pairings = []
    for k, topic in enumerate(["Spring Launch", "Data Cloud Summit", "Partner Day"]):
        # A typo (not a spacing difference): option C would add it, so C has a blast radius.
        copy = campaign(k, f"{topic} (copy)", ["Invited", "Atended"])
        # The twins' Type names the channel: each is a clear twin of its program.
        campaigns += [copy, campaign(100 + k, topic, ["Invited", "Attended"], "Webinar")]
        pairings.append(Pairing(topic, "Webinar", copy.key, source))
    comparison = compare([channel], campaigns, pairings=pairings)
    page = render(Report(comparison, plan_all(comparison), (), GENERATED_AT)).decode("utf-8")
    assert page.count('<section class="pair"') == 1
    assert "3 pairs on channel “Webinar” with the very same statuses</span>" in page
    assert '<th scope="col">Recommended fix</th></tr></thead>' in page
    assert '<td>A: sync “Data Cloud Summit” (7015gQa00000101ABA)<tr id="p3">' in page
    assert "A. Sync another campaign: recommended for every pair of the group" in page
    assert "the table of the group’s pairs names it" in page  # option A told in general
    assert "Rename “Atended” to “Attended”." in page  # options B and C are shared
    assert "2 other pairs on this channel: 2 would then sync" in page


def test_invisible_characters_made_visible(hostile: str) -> None:
    section = hostile[hostile.index('id="p4"') :]
    assert 'title="U+200B ZERO WIDTH SPACE" data-g="[ZWSP]">​</span>' in section
    assert 'title="U+00A0 NO-BREAK SPACE" data-g="⍽">\u00a0</span>' in section


def test_empty_report_renders() -> None:
    empty = Report(
        comparison=compare([], [], pairings=[]), plans={}, inputs=(), generated_at=GENERATED_AT
    )
    page = render(empty).decode("utf-8")
    assert "<h1>0 pairs: 0 will sync, 0 will not</h1>" in page
    assert 'class="banner empty"' in page


def test_view_model_is_frozen_dataclasses(report: Report) -> None:
    public = [
        getattr(htmlview, name)
        for name in dir(htmlview)
        if not name.startswith("_") and dataclasses.is_dataclass(getattr(htmlview, name))
    ]
    assert len(public) > 15
    for cls in public:
        assert cls.__dataclass_params__.frozen, cls
    view = htmlview.build(report)
    with pytest.raises(dataclasses.FrozenInstanceError):
        view.title = "changed"  # type: ignore[misc]


def test_french_report(at_root: Path) -> None:
    page = render(run(sample_job(), generated_at=GENERATED_AT, lang="fr")).decode("utf-8")
    assert '<html lang="fr">' in page
    assert "<h1>7 paires\u00a0: 2 se synchroniseront, 4 non, 1 impossible à vérifier</h1>" in page
    assert "Comment ce rapport a été établi" in page


# ------------------------------------------------------------------------------------------------
# Security
# ------------------------------------------------------------------------------------------------


def test_hostile_labels_and_names_are_text(hostile: str) -> None:
    body = hostile[hostile.index("<body>") :]
    assert "<img" not in body
    assert "<svg onload" not in body
    assert body.count("<script") == 1  # ours, at the end
    assert "&lt;img src=x onerror=alert(1)&gt;" in body
    assert "&lt;script&gt;alert(2)&lt;/script&gt;" in body
    assert "&#34;&gt;&lt;svg onload=alert(3)&gt;" in body


def test_hostile_file_name_escaped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    weird = tmp_path / 'a"><b>x.csv'
    shutil.copy(ROOT / HTML_FIXTURES / "statuses.csv", weird)
    job = Job(channels=[str(ROOT / "samples/marketo-channels.json")], statuses=weird.name)
    page = render(run(job, generated_at=GENERATED_AT)).decode("utf-8")
    assert "a&#34;&gt;&lt;b&gt;x.csv" in page
    assert "<b>x.csv" not in page


# ------------------------------------------------------------------------------------------------
# Accessibility basics
# ------------------------------------------------------------------------------------------------


class _Tables(HTMLParser):
    """Collect every table's caption/aria-label, th scopes and th count."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: list[dict[str, object]] = []
        self.stack: list[dict[str, object]] = []
        self.in_thead = False
        self.lang: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "html":
            self.lang = a.get("lang")
        if tag == "table":
            table: dict[str, object] = {
                "label": bool(a.get("aria-label")),
                "caption": False,
                "th": 0,
                "unscoped": 0,
            }
            self.tables.append(table)
            self.stack.append(table)
        elif tag == "caption" and self.stack:
            self.stack[-1]["caption"] = True
        elif tag == "thead":
            self.in_thead = True
        elif tag == "th" and self.stack:
            table = self.stack[-1]
            table["th"] = int(str(table["th"])) + 1
            if not a.get("scope"):
                table["unscoped"] = int(str(table["unscoped"])) + 1

    def handle_endtag(self, tag: str) -> None:
        if tag == "table" and self.stack:
            self.stack.pop()
        elif tag == "thead":
            self.in_thead = False


@pytest.mark.parametrize("which", ["page", "hostile"])
def test_tables_have_headers_scopes_and_captions(
    which: str, request: pytest.FixtureRequest
) -> None:
    parser = _Tables()
    parser.feed(request.getfixturevalue(which))
    assert parser.lang == "en"
    assert len(parser.tables) > 5
    for table in parser.tables:
        assert table["caption"] or table["label"], table
        assert int(str(table["th"])) > 0, table
        assert table["unscoped"] == 0, table


def _luminance(colour: str) -> float:
    value = colour.lstrip("#")
    channels = [int(value[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    """WCAG contrast ratio of two #rrggbb colours."""
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def test_palette_meets_wcag_aa() -> None:
    css = (TEMPLATES / "report.css").read_text(encoding="utf-8")
    var = dict(re.findall(r"--([\w-]+):\s*(#[0-9a-fA-F]{6})", css))
    pairs = [
        ("ink", "paper"),
        ("muted", "paper"),
        ("muted", "surface"),
        ("accent", "paper"),
        ("ok", "paper"),
        ("ok", "ok-bg"),
        ("no", "paper"),
        ("no", "no-bg"),
        ("near", "near-bg"),
        ("near", "paper"),
        ("un", "un-bg"),
        ("info", "info-bg"),
        ("info", "paper"),
        ("hl-ink", "hl"),
        ("muted", "near-bg"),
        ("muted", "no-bg"),
        ("muted", "info-bg"),
        ("ink", "un-bg"),
    ]
    for fg, bg in pairs:
        assert contrast(var[fg], var[bg]) >= 4.5, (fg, bg, contrast(var[fg], var[bg]))


# ------------------------------------------------------------------------------------------------
# Catalogue: every phrase from it, in both languages
# ------------------------------------------------------------------------------------------------

_CALL = re.compile(r"""\b(tn?)\(\s*["']([^"']+)["']""")


def _template_texts() -> dict[str, str]:
    return {p.name: p.read_text(encoding="utf-8") for p in sorted(TEMPLATES.glob("*.j2"))}


def test_template_keys_exist_in_both_languages() -> None:
    messages: dict[str, dict[str, str]] = {}
    for path in (ROOT / "statusdiff" / "catalog").glob("*.toml"):
        messages.update(tomllib.loads(path.read_text(encoding="utf-8")))
    found = 0
    for name, text in _template_texts().items():
        for function, key in _CALL.findall(text):
            found += 1
            keys = [f"{key}.one", f"{key}.other"] if function == "tn" else [key]
            for k in keys:
                assert k in messages, f"{name}: {k} is not in the catalogue"
                assert messages[k].get("en") and messages[k].get("fr"), f"{k} lacks en or fr"
    assert found > 40


def test_html_catalogue_keys_are_prefixed_and_bilingual() -> None:
    data = tomllib.loads(CATALOG.read_text(encoding="utf-8"))
    assert data
    for key, value in data.items():
        assert key.startswith("html."), key
        assert set(value) == {"en", "fr"}, key
        assert value["en"].strip() and value["fr"].strip(), key


def test_templates_hold_no_words() -> None:
    for name, text in _template_texts().items():
        text = re.sub(r"\{#.*?#\}", "", text, flags=re.S)
        text = re.sub(r"\{%.*?%\}|\{\{.*?\}\}", "", text, flags=re.S)
        text = re.sub(r"<!DOCTYPE[^>]*>", "", text)
        text = re.sub(r"<[^>]*>", "", text, flags=re.S)
        words = re.findall(r"[^\W\d_]{2,}", text)
        assert not words, f"{name} holds words outside the catalogue: {words[:10]}"
    css = (TEMPLATES / "report.css").read_text(encoding="utf-8")
    for content in re.findall(r'content:\s*"([^"]*)"', css):
        assert not re.search(r"[^\W\d_]{2,}", content), content


def test_every_html_key_is_used() -> None:
    data = tomllib.loads(CATALOG.read_text(encoding="utf-8"))
    code = "\n".join(_template_texts().values())
    code += (ROOT / "statusdiff" / "render" / "htmlview.py").read_text(encoding="utf-8")
    for key in data:
        base = key.removesuffix(".one").removesuffix(".other")
        stem = base.rsplit(".", 1)[0] + "."
        used = (f'"{base}"', f"'{base}'", f'"{stem}{{', f"'{key}'", f'"{key}"')
        assert any(u in code for u in used), key


# ------------------------------------------------------------------------------------------------
# Templates: found when installed, brandable, and broken copies fail in one line
# ------------------------------------------------------------------------------------------------


def test_bundled_templates_found() -> None:
    folder = templates_folder()
    assert (folder / "report.html.j2").is_file()
    assert templates_folder(Path("elsewhere")) == Path("elsewhere")


def _copy_templates(tmp_path: Path) -> Path:
    folder = tmp_path / "brand"
    shutil.copytree(TEMPLATES, folder)
    return folder


def _compare_with(runner: CliRunner, tmp_path: Path, folder: Path) -> tuple[int, str, Path]:
    out = tmp_path / "report.html"
    result = runner.invoke(app, sample_args("-o", str(out), "--templates", str(folder)))
    return result.exit_code, result.stderr, out


def test_custom_templates_brand_the_report(runner: CliRunner, tmp_path: Path) -> None:
    folder = _copy_templates(tmp_path)
    main = folder / "report.html.j2"
    main.write_text(
        main.read_text(encoding="utf-8").replace("<title>", "<title>ACME Consulting · ", 1),
        encoding="utf-8",
    )
    css = folder / "report.css"
    css.write_text(css.read_text(encoding="utf-8") + "\nh1 { color: #003366; }\n", "utf-8")
    code, stderr, out = _compare_with(runner, tmp_path, folder)
    assert code == 1, stderr
    page = out.read_text(encoding="utf-8")
    assert "<title>ACME Consulting · " in page
    assert f"style-src 'sha256-{_sha(_inline(page, 'style'))}'" in page.replace("&#39;", "'")


@pytest.mark.parametrize(
    ("breakage", "expected"),
    [
        (("{% for r in c.rows %}", "{% for r in c.rows %"), r"report\.html\.j2:\d+: .*syntax"),
        (
            ("{{ view.title }}", "{{ view.no_such_thing }}"),
            r"report\.html\.j2:\d+: .*no_such_thing",
        ),
        (("{{ view.title }}", "{{ t('html.no.such') }}"), r"report\.html\.j2:\d+: .*html\.no"),
        (("{% import", '{% import "_missing.j2" as x %}{% import'), r"_missing\.j2"),
    ],
)
def test_broken_custom_template_is_one_line_exit_2(
    runner: CliRunner, tmp_path: Path, breakage: tuple[str, str], expected: str
) -> None:
    folder = _copy_templates(tmp_path)
    main = folder / "report.html.j2"
    old, new = breakage
    text = main.read_text(encoding="utf-8")
    assert old in text
    main.write_text(text.replace(old, new, 1), encoding="utf-8")
    code, stderr, out = _compare_with(runner, tmp_path, folder)
    assert code == 2
    lines = stderr.strip().splitlines()
    assert len(lines) == 1, stderr
    assert lines[0].startswith("error: ")
    assert re.search(expected, lines[0]), lines[0]
    assert "Traceback" not in stderr
    assert not out.exists()


def test_missing_stylesheet_is_a_render_error(report: Report, tmp_path: Path) -> None:
    folder = _copy_templates(tmp_path)
    (folder / "report.css").unlink()
    with pytest.raises(RenderError, match=r"report\.css"):
        render(report, templates=folder)


def test_stylesheet_cannot_close_its_element(report: Report, tmp_path: Path) -> None:
    folder = _copy_templates(tmp_path)
    (folder / "report.css").write_text("</style><script>alert(1)</script>", "utf-8")
    with pytest.raises(RenderError, match="</style"):
        render(report, templates=folder)


# ------------------------------------------------------------------------------------------------
# Size at scale
# ------------------------------------------------------------------------------------------------


def _big_inputs(folder: Path, n: int) -> Job:
    """n pairs on one channel: most will sync, one in ten has a trailing space in a label."""
    channels = (ROOT / "samples" / "marketo-channels.json").read_text(encoding="utf-8")
    (folder / "channels.json").write_text(channels, encoding="utf-8")
    labels = ["Invited", "Registered", "No Show", "Attended", "Attended On-Demand"]
    status_lines = ["Id,CampaignId,Campaign.Name,Label,HasResponded,IsDefault,SortOrder"]
    pair_lines = ["Program Name,Channel,SFDC Campaign"]
    for k in range(1, n + 1):
        campaign = f"7015gQa{k:08d}ABA"
        name = f"2026-{k % 12 + 1:02d} Webinar: Topic {k}"
        for j, label in enumerate(labels, 1):
            if k % 10 == 0 and label == "Attended":
                label += " "
            status_lines.append(
                f"01Y5gQa{k:06d}{j:02d}EBA,{campaign},{name},{label},false,false,{j}"
            )
        pair_lines.append(f"2026 Webinar - Topic {k},Webinar,{campaign}")
    (folder / "statuses.csv").write_text("\n".join(status_lines) + "\n", encoding="utf-8")
    (folder / "pairs.csv").write_text("\n".join(pair_lines) + "\n", encoding="utf-8")
    return Job(channels=["channels.json"], statuses="statuses.csv", pairs="pairs.csv")


@pytest.mark.slow
def test_pairs_that_sync_cost_few_bytes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    report = run(_big_inputs(tmp_path, 1000), generated_at=GENERATED_AT)
    assert report.comparison.summary.compatible == 900
    page = render(report)
    # 100 blocked pairs share one diagnosis: one detail section lists them all
    assert page.count(b'<section class="pair"') == 1
    assert page.count(b'<tr class="ok">') == 900
    assert len(page) < 250_000


# ------------------------------------------------------------------------------------------------
# Bounded output: big runs summarise, the banner says so
# ------------------------------------------------------------------------------------------------

NBSP_NEAR_MISS = (
    '<code>Attended<span class="inv" title="U+00A0 NO-BREAK SPACE" data-g="⍽">\u00a0</span></code>'
    " ≈ <code>Attended</code>"
)


def big_report(n: int) -> Report:
    """n pairs on one channel, built in memory: two in three will sync. Of those that will not,
    three quarters are clones of three templates with a near miss (three big groups), and the
    others each have a label of their own (one diagnosis each), half of them with a near miss
    too."""
    source = Source("generated")
    steps = (("Not in Program", 0), ("Invited", 10), ("Registered", 20), ("Attended", 30))
    channel = Channel(
        "Webinar",
        "webinar",
        tuple(
            ProgramStatus(name, step, name == "Attended", False, source, row)
            for row, (name, step) in enumerate(steps, 1)
        ),
        source,
    )
    campaigns = []
    pairings = []
    for i in range(n):
        key = ids.to18(f"7015gQa{i:08d}")
        labels = ["Invited", "Registered", "Attended"]
        k = i // 3
        if i % 3 == 0 and k % 4 == 0:
            labels[2] = "Attended "
        elif i % 3 == 0 and k % 4 == 1:
            labels[1] = "Regis\u200btered"
        elif i % 3 == 0 and k % 4 == 2:
            labels.append(f"Custom {k // 4}")
            if k % 8 == 2:
                labels[2] = "Attended\u00a0"
        elif i % 3 == 0:
            labels[2] = "attended"
        statuses = tuple(
            MemberStatus(label, j == 2, j == 0, j + 1, None, source, j)
            for j, label in enumerate(labels)
        )
        campaigns.append(Campaign(key, key, f"2026 Webinar {i}", None, statuses, source))
        pairings.append(Pairing(f"Program {i}", "Webinar", key, source))
    comparison = compare([channel], campaigns, pairings=pairings)
    return Report(comparison, plan_all(comparison), (), GENERATED_AT)


BIG = 3000


@pytest.fixture(scope="module")
def big() -> Report:
    return big_report(BIG)


def _part(page: str, start: str, end: str) -> str:
    return page[page.index(start) : page.index(end, page.index(start))]


def test_big_report_keeps_detail_within_its_budget(big: Report) -> None:
    assert big.comparison.summary.incompatible == 1000
    chunks = list(render_chunks(big))
    assert len(chunks) > 3  # printed as it goes, not held whole
    page = b"".join(chunks).decode("utf-8")
    # every pair keeps its row; 200 sections in full, the three big groups first
    assert page.count('<tr class="ok">') == 2000
    assert page.count('<tr class="no">') == 1000
    assert page.count('<section class="pair"') == htmlplan.DETAIL_LIMIT
    sections = re.findall(r'<section class="pair" id="([gp]\d+)"', page)
    assert sections[:3] == ["g1", "g4", "g10"]
    assert "250 pairs on channel “Webinar” with the very same statuses and fix" in page
    # the banner says plainly what was left out, and where everything is
    banner = _part(page, "<header", "</header>")
    assert "Abridged report" in banner
    assert (
        "To keep this page light, 947 of the 1,000 pairs that will not sync are explained in "
        "full, in 200 sections (the diagnoses shared by the most pairs first); the other 53 are "
        "only listed in the table of pairs, with their blocking labels and recommended fix."
    ) in banner
    assert "The workbook and the JSON report are never abridged" in banner
    assert "counted by channel" not in banner
    details = page[page.index('id="details"') :]
    assert "947 of the 1,000 pairs that will not sync, in 200 sections" in details
    # a pair left out of the details: its row draws its labels, near miss and fix
    row = next(r for r in page.split("<tr ") if r.startswith('class="no"><td>2959<'))
    assert f"<td>{NBSP_NEAR_MISS} <code>Custom 246</code><td>" in row
    assert 'href="#' not in row
    assert row.endswith("<td>C. Fix the Marketo channel")  # B would move members: lossy
    assert page.count(NBSP_NEAR_MISS) == 26
    # the budget: rows of a few hundred bytes, and a fixed allowance for the details
    assert len(page.encode("utf-8")) <= 250 * BIG + htmlplan.DETAIL_LIMIT * 6_000


def test_big_run_counts_pairs_that_sync_by_channel(
    big: Report, monkeypatch: pytest.MonkeyPatch
) -> None:
    # the limits of a 50,000-pair run, scaled down to this one (3,000 / 50,000)
    monkeypatch.setattr(htmlplan, "LIST_ALL", 1000)
    monkeypatch.setattr(htmlplan, "DETAIL_LIMIT", 12)
    monkeypatch.setattr(htmlplan, "GROUP_ROWS", 300)
    page = render(big)
    text = page.decode("utf-8")
    assert text.count('<tr class="ok">') == 0
    assert text.count('<tr class="no">') == 1000
    assert '<option value="ok">' not in text
    channels = _part(text, '<table class="mini channels">', "</table>")
    assert '<th scope="row">Webinar</th><td class="n">3,000<td class="n ok">2,000' in channels
    banner = _part(text, "<header", "</header>")
    assert "The 2,000 pairs that will sync are counted by channel, not listed one by one." in banner
    assert "759 of the 1,000 pairs that will not sync are explained in full" in banner
    assert "the other 241 are only listed in the table of pairs" in banner
    assert "1,000 pairs that will not sync or cannot be checked, one row each." in text
    # a group lists what its share of the rows allows, and counts the rest
    assert text.count("and 150 more pairs, left out to keep the page light") == 3
    assert '<tr id="p1189"><td class="n">1189<' in text
    assert '<a href="#p1189">2026 Webinar 1188</a>' in text
    assert '<a href="#g1">2026 Webinar 1200</a>' in text
    # the budget of the issue: 10 MB for 50,000 pairs
    assert len(page) <= 200 * BIG


def test_summary_rows_are_capped(big: Report, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(htmlview, "SUMMARY_LIMIT", 1200)
    text = render(big).decode("utf-8")
    assert text.count('<tr class="ok">') + text.count('<tr class="no">') == 1200
    assert "lists the first 1,200 of the 3,000 pairs" in text
    assert "1,800 more pairs are left out of this table" in text
    # long names and many labels make bigger rows: the rows also have a budget in bytes
    monkeypatch.setattr(htmlview, "SUMMARY_BYTES", 100_000)
    text = render(big).decode("utf-8")
    rows = text.count('<tr class="ok">') + text.count('<tr class="no">')
    assert 500 < rows < 1000
    assert f"lists the first {rows:,} of the 3,000 pairs" in text
    summary = _part(text, '<div id="pairs"', "</section>")
    assert len(summary.encode("utf-8")) < 110_000


def test_detail_sections_have_a_budget_in_bytes(
    big: Report, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(htmlplan, "DETAIL_BYTES", 60_000)
    text = render(big).decode("utf-8")
    sections = text.count('<section class="pair"')
    assert 3 < sections < 20
    assert f"in {sections} sections (the diagnoses shared by the most pairs first)" in text
    assert len(text[text.index('id="details"') :].encode("utf-8")) < 2 * 60_000 + 300 * 300


def test_unresolved_pairs_are_capped(report: Report, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(htmlplan, "UNRESOLVED_LIMIT", 0)
    page = render(report).decode("utf-8")
    assert '<li id="p7">' not in page
    assert "1 more pairing cannot be checked: it keeps its row in the table of pairs." in page
    assert "Abridged report" in page
    assert '<tr class="un"><td>7<' in page


def test_big_report_in_french(big: Report) -> None:
    text = render(dataclasses.replace(big, lang="fr")).decode("utf-8")
    assert "Rapport abrégé" in text
    assert "947 des 1\u202f000 paires qui ne se synchroniseront pas" in text


def test_matrix_mode_labels_make_sense(at_root: Path) -> None:
    # issue 13: in matrix mode no program is paired and no mapping names the pair
    job = Job(
        channels=["samples/marketo-channels.json"],
        statuses="samples/salesforce-member-statuses.csv",
    )
    report = run(job, generated_at=GENERATED_AT)
    assert report.comparison.mode == "matrix"
    page = render(report).decode("utf-8")
    assert "(no program)" not in page
    assert "Mapping row" not in page
    assert "<dt>Row in the status export</dt>" in page
    assert '<span class="ttl">Webinar ⇄ 2026-04 Webinar: Data Quality</span>' in page


@pytest.mark.parametrize(
    "label", ["Attended ", "No\u00a0Show", "Invited\u200b", "On\u2011Demand", "  x\t", "Cafe\u0301"]
)
def test_label_segments_hold_the_label_exactly(label: str) -> None:
    # issue 13: what is drawn is a glyph beside the text; the text is the label, character for
    # character, so a selection (and the copy button) gives the label back
    drawn = htmlview._label(label)
    assert "".join(s.text for s in drawn) == label
    # U+2011 is visible (a hyphen): it is drawn when it differs, as in a near miss, below
    assert any(s.glyph for s in drawn) or label == "On\u2011Demand"
    marked = htmlview._label(label, frozenset(range(len(label))))
    assert "".join(s.text for s in marked) == label
    legend = htmlview._legend([drawn, marked])
    assert legend and all(c.code.startswith("U+") for c in legend)
