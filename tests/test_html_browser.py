"""The HTML report in headless Chromium: what a person sees, what runs, and what is requested.

These tests need Debian's chromium at /usr/bin/chromium and the playwright package; when either is
missing they fail (scripts/setup installs both), they are never skipped.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, Request, Route, expect, sync_playwright

from statusdiff.pipeline import Job, run
from statusdiff.render import htmlview
from statusdiff.render.html import render

from .conftest import GENERATED_AT, ROOT
from .test_render_html import big_report

pytestmark = pytest.mark.browser

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ARTIFACTS = ROOT / "tests" / "artifacts"
HTML_FIXTURES = "tests/fixtures/html"


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield launched
        launched.close()


def _write(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, job: Job, lang: str = "en") -> Path:
    monkeypatch.chdir(ROOT)
    out = tmp_path / f"report-{lang}.html"
    out.write_bytes(b"".join(render(run(job, generated_at=GENERATED_AT, lang=lang))))
    return out


def _samples() -> Job:
    return Job(
        channels=["samples/marketo-channels.json"],
        statuses="samples/salesforce-member-statuses.csv",
        pairs="samples/program-campaign-pairs.csv",
        members="samples/salesforce-campaign-members.csv",
        campaigns="samples/salesforce-campaigns.csv",
    )


class Opened:
    """A page opened from file://, with every request, dialog and console error it caused."""

    def __init__(self, page: Page, path: Path) -> None:
        self.page = page
        self.url = path.as_uri()
        self.requests: list[str] = []
        self.dialogs: list[str] = []
        self.errors: list[str] = []
        page.route("**/*", self._route)
        page.on("dialog", self._dialog)
        page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: self.errors.append(str(e)))
        page.goto(self.url)

    def _route(self, route: Route, request: Request) -> None:
        self.requests.append(request.url)
        if request.url == self.url:
            route.continue_()
        else:
            route.abort()

    def _dialog(self, dialog: object) -> None:
        self.dialogs.append(str(getattr(dialog, "message", "")))
        getattr(dialog, "dismiss")()  # noqa: B009


@pytest.fixture
def samples(browser: Browser, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Opened]:
    path = _write(tmp_path, monkeypatch, _samples())
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    yield Opened(page, path)
    page.close()


def test_verdict_visible_and_nothing_requested(samples: Opened) -> None:
    page = samples.page
    headline = page.get_by_role("heading", level=1)
    assert headline.inner_text() == "7 pairs: 2 will sync, 5 will not"
    assert headline.is_visible()
    page.wait_for_load_state("networkidle")
    assert samples.requests == [samples.url]
    assert samples.errors == []  # no CSP violation: the inline style and script are allowed


def test_first_screen_screenshot(samples: Opened) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    shot = ARTIFACTS / "report-first-screen.png"
    samples.page.screenshot(path=str(shot))
    assert shot.stat().st_size > 10_000


def test_pair_sections_and_near_miss_highlight(samples: Opened) -> None:
    page = samples.page
    assert page.locator("section.pair").count() == 4
    section = page.locator("#p2")
    section.scroll_into_view_if_needed()
    label = section.locator("tr.r-near td.lbl", has_text="Attended").nth(1)
    assert label.text_content() == "Attended·"
    mark = label.locator("span.chg")
    assert mark.get_attribute("title") == "U+0020 SPACE"
    assert mark.is_visible()
    colour = mark.evaluate("e => getComputedStyle(e).backgroundColor")
    assert colour not in ("rgba(0, 0, 0, 0)", "transparent")
    # the row says it in words, not only in colour
    assert "near miss" in section.locator("tr.r-near").first.inner_text()


def test_filter_and_search_the_summary(samples: Opened) -> None:
    page = samples.page
    rows = page.locator("#pairs tbody tr")
    assert page.locator("#filter").is_visible()
    assert rows.count() == 7
    shown = page.locator("#pairs tbody tr:not([hidden])")
    # NOTE: expect() polls without eval, which the report's Content-Security-Policy forbids.
    page.fill("#filter-q", "newsletter")
    expect(shown).to_have_count(1)
    assert shown.inner_text().startswith("4")
    expect(page.locator("#filter-count")).to_have_text("1 of 7 pairs shown")
    page.fill("#filter-q", "")
    expect(shown).to_have_count(7)
    page.select_option("#filter-state", "ok")
    expect(shown).to_have_count(2)
    assert all("will sync" in shown.nth(i).inner_text() for i in range(2))
    page.select_option("#filter-state", "un")
    expect(shown).to_have_count(1)
    page.fill("#filter-q", "webinar roadmap")
    expect(shown).to_have_count(1)
    page.select_option("#filter-state", "ok")
    expect(shown).to_have_count(0)


def test_readable_without_javascript(
    browser: Browser, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _write(tmp_path, monkeypatch, _samples())
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(path.as_uri())
    assert page.locator("#filter").is_hidden()
    assert page.locator("#pairs tbody tr:visible").count() == 7
    assert page.locator("section.pair").count() == 4
    context.close()


def test_print_layout(samples: Opened) -> None:
    page = samples.page
    page.emulate_media(media="print")
    assert page.locator("#filter").is_hidden()

    def break_before(selector: str) -> str:
        return str(page.locator(selector).evaluate("e => getComputedStyle(e).breakBefore"))

    # the audit alone with the verdict on page 1; then the list; then one pair per page
    assert break_before("#summary") == "page"
    assert break_before("#details") == "page"
    assert break_before("#p2") == "auto"  # right under the section heading
    assert break_before("#p3") == "page"
    row = page.locator("#p2 tr").first
    assert row.evaluate("e => getComputedStyle(e).breakInside") == "avoid"
    pdf = page.pdf(format="A4")
    assert pdf.startswith(b"%PDF") and pdf.count(b"/Type /Page") >= 6


def test_hostile_label_runs_nothing(
    browser: Browser, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    job = Job(
        channels=["samples/marketo-channels.json"],
        statuses=f"{HTML_FIXTURES}/statuses.csv",
        pairs=f"{HTML_FIXTURES}/pairs.csv",
    )
    path = _write(tmp_path, monkeypatch, job)
    page = browser.new_page()
    opened = Opened(page, path)
    page.wait_for_timeout(300)
    assert opened.dialogs == []
    assert page.locator("img").count() == 0
    assert page.locator("svg[onload]").count() == 0
    assert page.locator("script").count() == 1
    assert page.get_by_text("<img src=x onerror=alert(1)>").first.is_visible()
    assert page.get_by_text("<script>alert(2)</script>").first.is_visible()
    assert opened.requests == [opened.url]
    page.close()


def test_french_report(browser: Browser, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = _write(tmp_path, monkeypatch, _samples(), lang="fr")
    page = browser.new_page()
    page.goto(path.as_uri())
    assert page.evaluate("document.documentElement.lang") == "fr"
    # French typography survives the browser: a no-break space before the colon
    assert page.get_by_role("heading", level=1).inner_text() == (
        "7 paires\u00a0: 2 se synchroniseront, 5 non"
    )
    assert page.locator("#filter-count").inner_text() == "7 paires affichées sur 7"
    # the count's plural form follows CLDR in the page too: French 1 and 0 are singular
    page.fill("#filter-q", "newsletter")
    expect(page.locator("#filter-count")).to_have_text("1 paire affichée sur 7")
    page.fill("#filter-q", "nothing like this")
    expect(page.locator("#filter-count")).to_have_text("0 paire affichée sur 7")
    page.close()


def test_abridged_big_report_reads_and_filters(
    browser: Browser, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # a big run's regime (pairs that sync counted by channel, few sections) at 3,000 pairs
    monkeypatch.setattr(htmlview, "LIST_ALL", 1000)
    monkeypatch.setattr(htmlview, "DETAIL_LIMIT", 12)
    monkeypatch.setattr(htmlview, "GROUP_ROWS", 300)
    path = tmp_path / "big.html"
    path.write_bytes(b"".join(render(big_report(3000))))
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    opened = Opened(page, path)
    notice = page.locator(".banner .limited")
    assert notice.is_visible()
    assert "241 are only listed in the table of pairs" in notice.inner_text()
    assert page.locator("table.channels").is_visible()
    assert page.locator("#filter-state option").count() == 3  # no "will sync": none listed
    rows = page.locator("#pairs tbody tr")
    shown = page.locator("#pairs tbody tr:not([hidden])")
    assert rows.count() == 1000
    expect(page.locator("#filter-count")).to_have_text("1,000 of 1,000 pairs shown")
    # a pair left out of the details is found by its label, drawn as it is
    page.fill("#filter-q", "program 2958")
    expect(shown).to_have_count(1)
    cell = shown.locator("td").nth(5)
    # NOTE: summary blocks off screen are skipped by the browser (content-visibility), so the
    # text is read after scrolling to it, with a retrying assertion.
    cell.scroll_into_view_if_needed()
    expect(cell).to_have_text("Attended⍽ ≈ Attended Custom 246")
    assert cell.locator("span.inv").get_attribute("title") == "U+00A0 NO-BREAK SPACE"
    # a pair beyond its group's share of rows links to the group's section
    page.fill("#filter-q", "webinar 1200")
    expect(shown).to_have_count(1)
    shown.locator("a").click()
    expect(page.locator("#g1")).to_be_in_viewport()
    assert opened.requests == [opened.url]
    assert opened.errors == []
    page.close()
