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
from statusdiff.render import htmlplan
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
    assert headline.inner_text() == "7 pairs: 2 will sync, 4 will not, 1 cannot be checked"
    assert headline.is_visible()
    page.wait_for_load_state("networkidle")
    assert samples.requests == [samples.url]
    assert samples.errors == []  # no CSP violation: the inline style and script are allowed


def test_pair_sections_and_near_miss_highlight(samples: Opened) -> None:
    page = samples.page
    assert page.locator("section.pair").count() == 4
    section = page.locator("#p2")
    section.scroll_into_view_if_needed()
    label = section.locator("tr.r-near td.lbl", has_text="Attended").nth(1)
    # the glyph of the trailing space is drawn by the stylesheet: the text is the label itself
    assert label.locator(".l").text_content() == "Attended "
    assert (
        label.locator("span.chg").evaluate("e => getComputedStyle(e, '::before').content") == '"·"'
    )
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

    # the answer on page 1, then the pairs flow on, each kept whole, no page left near empty
    assert break_before("#summary") == "auto"
    assert break_before("#p3") == "auto"
    for pair in ("#p2", "#p3", "#p4", "#p6"):
        assert page.locator(pair).evaluate("e => getComputedStyle(e).breakInside") == "avoid"
    row = page.locator("#p2 tr").first
    assert row.evaluate("e => getComputedStyle(e).breakInside") == "avoid"
    # the audit block is collapsed on screen and expanded on paper
    assert page.locator("#audit-body").evaluate("e => e.classList.contains('closed')")
    assert page.locator("#audit-body").is_visible()
    assert page.locator(".copy").first.is_hidden()


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
        "7 paires\u00a0: 2 se synchroniseront, 4 non, 1 impossible à vérifier"
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
    monkeypatch.setattr(htmlplan, "LIST_ALL", 1000)
    monkeypatch.setattr(htmlplan, "DETAIL_LIMIT", 12)
    monkeypatch.setattr(htmlplan, "GROUP_ROWS", 300)
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
    expect(cell).to_have_text("Attended\u00a0 ≈ Attended Custom 246")
    assert cell.locator("span.inv").get_attribute("title") == "U+00A0 NO-BREAK SPACE"
    # a pair beyond its group's share of rows links to the group's section
    page.fill("#filter-q", "webinar 1200")
    expect(shown).to_have_count(1)
    shown.locator("a").click()
    expect(page.locator("#g1")).to_be_in_viewport()
    assert opened.requests == [opened.url]
    assert opened.errors == []
    page.close()


# ------------------------------------------------------------------------------------------------
# Issue 13: the answer first, exact copy, any screen, paper
# ------------------------------------------------------------------------------------------------

WIDTHS = (1366, 420)


def _page_at(browser: Browser, path: Path, width: int) -> Page:
    page = browser.new_page(viewport={"width": width, "height": 900})
    page.goto(path.as_uri())
    return page


def _shot(page: Page, name: str, *, full: bool = False) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    shot = ARTIFACTS / name
    page.screenshot(path=str(shot), full_page=full)
    assert shot.stat().st_size > 10_000
    return shot


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_first_screen_is_the_answer(
    browser: Browser, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, lang: str
) -> None:
    path = _write(tmp_path, monkeypatch, _samples(), lang=lang)
    page = _page_at(browser, path, 1366)
    _shot(page, f"first-screen-{lang}-1366.png")
    headline = page.get_by_role("heading", level=1).inner_text()
    tiles = {
        cls: page.locator(f".stats .stat.{cls} dd").first.inner_text() for cls in ("ok", "no", "un")
    }
    # one headline, and its numbers are the tiles' numbers, "cannot be checked" included
    numbers = [int(n) for n in __import__("re").findall(r"\d+", headline)]
    assert numbers == [7, int(tiles["ok"]), int(tiles["no"]), int(tiles["un"])] == [7, 2, 4, 1]
    # the first blocked pair's name and fix are on the first screen, without scrolling
    first = page.locator("#pairs tbody tr.no").first
    assert page.locator("#pairs tbody tr").first.get_attribute("class") == "no"
    for cell in (first.locator("td").nth(3), first.locator("td").nth(6)):
        box = cell.bounding_box()
        assert box is not None and box["y"] + box["height"] <= 900
        assert cell.inner_text().strip()
    # the audit block comes last and starts collapsed
    assert page.locator("#audit-body").is_hidden()
    page.locator("#audit-toggle").click()
    assert page.locator("#audit-body").is_visible()
    page.close()


# What overflows: an element wider inside than its box (outside of boxes that scroll sideways),
# a page wider than the screen, and words of letters broken across two lines.
_OVERFLOW = """() => {
  const bad = [];
  const scrolls = e => { for (let a = e; a; a = a.parentElement) {
      const o = getComputedStyle(a).overflowX; if (o === 'auto' || o === 'scroll') return true; }
    return false; };
  if (document.documentElement.scrollWidth > window.innerWidth + 1)
    bad.push('page ' + document.documentElement.scrollWidth);
  for (const e of document.querySelectorAll('main *, header *, header')) {
    if (!e.getClientRects().length || scrolls(e)) continue;
    const o = getComputedStyle(e).overflowX;
    if (e.scrollWidth > e.clientWidth + 1 && e.clientWidth > 0 && o !== 'visible')
      bad.push('box ' + e.tagName + '.' + e.className + ': ' + e.textContent.slice(0, 40));
    const r = e.getBoundingClientRect();
    const p = e.parentElement && e.parentElement.getBoundingClientRect();
    if (p && !scrolls(e.parentElement) && r.right > p.right + 1
        && getComputedStyle(e).position !== 'absolute')
      bad.push('out ' + e.tagName + '.' + e.className + ': ' + e.textContent.slice(0, 40));
  }
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const range = document.createRange();
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    if (!n.parentElement || !n.parentElement.getClientRects().length) continue;
    if (n.parentElement.closest('code, .mono, .lbl, .sha, .file, script, style')) continue;
    const re = /\\p{L}{2,}/gu; let m;
    while ((m = re.exec(n.data))) {
      range.setStart(n, m.index); range.setEnd(n, m.index + m[0].length);
      const lines = new Set(Array.from(range.getClientRects()).map(x => Math.round(x.top)));
      const where = n.parentElement.tagName + '.' + n.parentElement.className;
      if (lines.size > 1) bad.push('word ' + m[0] + ' in ' + where);
    }
  }
  return bad;
}"""


@pytest.mark.parametrize("lang", ["en", "fr"])
@pytest.mark.parametrize("width", WIDTHS)
def test_any_screen_nothing_overflows(
    browser: Browser, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, lang: str, width: int
) -> None:
    path = _write(tmp_path, monkeypatch, _samples(), lang=lang)
    # NOTE: sections off screen are skipped by the browser (content-visibility) until scrolled
    # to; the test lays them all out, so that every one is measured and in the screenshots.
    context = browser.new_context(viewport={"width": width, "height": 900}, bypass_csp=True)
    page = context.new_page()
    page.goto(path.as_uri())
    page.add_style_tag(content=".chunk, .pair { content-visibility: visible !important; }")
    page.locator("#audit-toggle").click()
    _shot(page, f"screen-{lang}-{width}.png")
    _shot(page, f"page-{lang}-{width}.png", full=True)
    assert page.evaluate(_OVERFLOW) == []
    context.close()


COPY_LABELS = ("Invited\u200b", "No\u00a0Show", "Attended ", "Attended On\u2011Demand")


@pytest.fixture
def copy_page(browser: Browser, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Page]:
    job = Job(
        channels=["samples/marketo-channels.json"],
        statuses=f"{HTML_FIXTURES}/copy-statuses.csv",
        pairs=f"{HTML_FIXTURES}/copy-pairs.csv",
    )
    path = _write(tmp_path, monkeypatch, job)
    context = browser.new_context(permissions=["clipboard-read", "clipboard-write"])
    page = context.new_page()
    page.goto(path.as_uri())
    yield page
    context.close()


_CELL = """label => {
  const l = Array.from(document.querySelectorAll('#p1 td.lbl .l'))
    .find(e => e.textContent === label);
  return l ? l.parentElement : null;
}"""


@pytest.mark.parametrize("label", COPY_LABELS)
def test_selecting_a_label_copies_it_exactly(copy_page: Page, label: str) -> None:
    cell = copy_page.evaluate_handle(_CELL, label).as_element()
    assert cell is not None
    copy_page.locator("#p1").scroll_into_view_if_needed()
    # what a person does: select the cell (triple click selects its whole text)
    copied = cell.evaluate(
        """c => { const s = getSelection(); s.removeAllRanges(); const r = document.createRange();
                  r.selectNodeContents(c); s.addRange(r); return s.toString(); }"""
    )
    assert [hex(ord(c)) for c in copied] == [hex(ord(c)) for c in label]
    # the drawn marks are there to see, but not in the text
    assert cell.evaluate("c => c.querySelector('.inv, .chg') !== null") or label == "Attended "


@pytest.mark.parametrize("label", COPY_LABELS)
def test_copy_button_copies_the_label(copy_page: Page, label: str) -> None:
    cell = copy_page.evaluate_handle(_CELL, label).as_element()
    assert cell is not None
    button = cell.query_selector("button.copy")
    assert button is not None and button.is_visible()
    button.click()
    expect(copy_page.locator("button.copy.done")).to_have_count(1)
    copied = copy_page.evaluate("navigator.clipboard.readText()")
    assert [hex(ord(c)) for c in copied] == [hex(ord(c)) for c in label]


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_demo_prints_on_four_pages(
    browser: Browser, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, lang: str
) -> None:
    path = _write(tmp_path, monkeypatch, _samples(), lang=lang)
    page = browser.new_page()
    page.goto(path.as_uri())
    page.emulate_media(media="print")
    pdf = page.pdf(format="A4")
    (ARTIFACTS / f"report-{lang}.pdf").write_bytes(pdf)
    assert pdf.startswith(b"%PDF")
    pages = pdf.count(b"/Type /Page") - pdf.count(b"/Type /Pages")
    assert 2 <= pages <= 4
    page.close()
