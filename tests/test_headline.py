"""One headline, the same numbers as the tiles, in every format (issue 13, finding 1).

A consultant copies either the headline or a tile into the ticket: they must agree, "cannot be
checked" included, in the HTML, the Markdown, the terminal and the workbook, in English and French.
"""

from __future__ import annotations

import io
import re
from dataclasses import replace

import pytest
from openpyxl import load_workbook

from statusdiff.i18n import Catalog
from statusdiff.model import Summary
from statusdiff.pipeline import Job, Report, run
from statusdiff.render import markdown, phrases, terminal, xlsx
from statusdiff.render.html import render as render_html

from .conftest import GENERATED_AT, ROOT


def _report(monkeypatch: pytest.MonkeyPatch, lang: str) -> Report:
    monkeypatch.chdir(ROOT)
    job = Job(
        channels=["samples/marketo-channels.json"],
        statuses="samples/salesforce-member-statuses.csv",
        pairs="samples/program-campaign-pairs.csv",
        members="samples/salesforce-campaign-members.csv",
        campaigns="samples/salesforce-campaigns.csv",
    )
    return run(job, generated_at=GENERATED_AT, lang=lang)


def _numbers(text: str) -> list[int]:
    return [int(n) for n in re.findall(r"\d+", text)]


EXPECTED = {
    "en": "7 pairs: 2 will sync, 4 will not, 1 cannot be checked",
    "fr": "7 paires\u00a0: 2 se synchroniseront, 4 non, 1 impossible à vérifier",
}


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_headline_and_tiles_agree_in_every_format(
    monkeypatch: pytest.MonkeyPatch, lang: str
) -> None:
    report = _report(monkeypatch, lang)
    s = report.comparison.summary
    tiles = [s.pairs, s.compatible, s.incompatible, s.unresolved]
    assert tiles == [7, 2, 4, 1]
    headline = EXPECTED[lang]
    assert _numbers(headline) == tiles

    # HTML: the h1, and the tiles beside it
    page = b"".join(render_html(report)).decode("utf-8")
    assert f"<h1>{headline}</h1>" in page
    for cls, value in (("ok", s.compatible), ("no", s.incompatible), ("un", s.unresolved)):
        assert re.search(rf'<div class="stat {cls}"><dt>[^<]*</dt><dd>{value}</dd>', page)
    # Markdown: the bold headline, and the totals row
    md = markdown.render(report).decode("utf-8").splitlines()
    assert f"**{headline}**" in md
    # the terminal's last verdict line
    lines = list(terminal.summary_lines(report))
    assert any(line.startswith(headline) for line in lines)
    # the workbook: the title of the Summary sheet and the totals under it
    book = load_workbook(io.BytesIO(xlsx.render(report)))
    sheet = book.worksheets[0]
    assert headline in str(sheet.cell(1, 1).value)
    values = [sheet.cell(3, c).value for c in (1, 4, 5, 6)]
    assert values == tiles


def test_no_unresolved_keeps_the_short_headline() -> None:
    summary = Summary(
        pairs=3,
        compatible=1,
        incompatible=2,
        unresolved=0,
        blocking_labels=2,
        near_misses=0,
        warnings=0,
    )
    assert phrases.headline(Catalog("en"), summary) == "3 pairs: 1 will sync, 2 will not"
    one = replace(summary, pairs=1, compatible=0, incompatible=0, unresolved=1)
    assert phrases.headline(Catalog("fr"), one) == (
        # CLDR: French counts 0 as singular
        "1 paire\u00a0: 0 se synchronisera, 0 non, 1 impossible à vérifier"
    )
