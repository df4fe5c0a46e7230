"""A brief as a reader's browser shows it: headless Chromium with the network off draws every
chart, asks for nothing beyond the file, reflows on a phone (no sideways scrolling at 360 px,
chart text never under 12 px), passes axe-core's WCAG 2.2 AA rules, and prints with a running
header, page numbers and the practice-data mark; the static site's every link resolves."""

import re
import subprocess
import sys
from pathlib import Path

import pytest

from orchestration.analysts.brief import write_brief
from orchestration.analysts.brief.pdf import CHROMIUM_FLAGS, chromium
from orchestration.settings import REPO_ROOT

# axe-core from the npm registry, installed by `make browser` (the test target depends on it).
AXE = REPO_ROOT / ".venv" / "npm" / "node_modules" / "axe-core" / "axe.min.js"
AXE_RULES = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
PLACES = ["Detroit", "Tulsa", "Rochester", "Akron", "0627000"]

CHARTS = """els => els.map(e => {
    const box = e.getBoundingClientRect();
    return {label: e.getAttribute('aria-label'), width: box.width, height: box.height,
            marks: e.querySelectorAll('circle, line, polyline, polygon, rect').length};
})"""
# Rendered size of chart text: its computed font size times the scale of its SVG (1 when a chart
# is laid out from the width, less when a picture is shrunk to fit).
SMALLEST_CHART_TEXT = """() => Math.min(...[...document.querySelectorAll('svg text')].map(e =>
    parseFloat(getComputedStyle(e).fontSize) * e.getScreenCTM().a))"""


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        launched = p.chromium.launch(executable_path=chromium(), args=[*CHROMIUM_FLAGS, "--proxy-server=127.0.0.1:9"])
        yield launched
        launched.close()


@pytest.fixture(scope="module")
def briefs(built_warehouse, tmp_path_factory) -> dict[tuple[str, str], Path]:
    folder = tmp_path_factory.mktemp("briefs")
    return {(place, lang): write_brief(place, output=folder / f"{place}_{lang}.html", lang=lang)
            for place in PLACES for lang in ("en", "es")}


def open_page(browser, path: Path, width: int, events: list | None = None):
    context = browser.new_context(offline=True, viewport={"width": width, "height": 900})
    page = context.new_page()
    if events is not None:
        page.on("request", lambda request: events.append(("request", request.url)))
        page.on("console", lambda message: events.append(("error", message.text)) if message.type == "error" else None)
        page.on("pageerror", lambda error: events.append(("error", str(error))))
    page.goto(path.as_uri(), wait_until="load")
    return page


def test_every_chart_draws_offline_without_errors(briefs, browser, test_home):
    path = briefs[("Tulsa", "en")]
    events = []
    page = open_page(browser, path, 900, events)
    charts = page.eval_on_selector_all("svg.chart, svg.map", CHARTS)
    page.screenshot(path=str(test_home / "brief.png"), full_page=True)
    page.context.close()
    assert events == [("request", path.as_uri())]
    assert len(charts) == 12
    drawn = [c for c in charts if c["width"] > 250 and c["height"] > 100 and c["marks"] > 3]
    assert drawn == charts, [c for c in charts if c not in drawn]
    by_label = {c["label"]: c for c in charts}
    assert by_label["Opportunity by neighbourhood, Tulsa"]["marks"] >= 122 + 1  # every tract, and the boundary


@pytest.mark.parametrize("lang", ["en", "es"])
def test_every_screen_one_column_no_sideways_scroll_and_readable_chart_text(briefs, browser, lang):
    for place in PLACES:
        for width in (360, 390, 1280):
            page = open_page(browser, briefs[(place, lang)], width)
            scroll_width = page.evaluate("document.documentElement.scrollWidth")
            smallest = page.evaluate(SMALLEST_CHART_TEXT)
            columns = page.evaluate("getComputedStyle(document.querySelector('.figures'))"
                                    ".gridTemplateColumns.split(' ').length")
            page.context.close()
            assert scroll_width <= width, (place, lang, width, scroll_width)
            assert smallest >= 12, (place, lang, width, smallest)
            assert columns == (1 if width < 700 else 3), (place, lang, width, columns)


def test_axe_core_finds_no_wcag_violation(briefs, browser):
    assert AXE.exists(), "axe-core is missing: run `make browser` (npm install axe-core)"
    for key in (("Detroit", "en"), ("Akron", "en"), ("0627000", "es")):
        for width in (390, 1280):
            page = open_page(browser, briefs[key], width)
            page.add_script_tag(path=str(AXE))
            result = page.evaluate(f"axe.run(document, {{runOnly: {AXE_RULES}}})")
            page.context.close()
            violations = [(v["id"], [n["target"] for n in v["nodes"]][:3]) for v in result["violations"]]
            assert violations == [], (key, width, violations)
            assert len(result["passes"]) > 20  # it ran its rules on the page


def pdf_pages(path: Path) -> list[str]:
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return [re.sub(r"\s+", " ", page) for page in text.split("\f") if page.strip()]


def test_pdf_has_running_header_page_numbers_and_a_practice_mark_on_every_page(built_warehouse, tmp_path):
    target = tmp_path / "detroit.pdf"
    done = subprocess.run([str(Path(sys.executable).parent / "mobility"), "brief", "Detroit", "--format", "pdf",
                           "-o", str(target)], capture_output=True, text=True, timeout=180)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == str(target) and "printing PDF" in done.stderr
    pages = pdf_pages(target)
    assert 6 <= len(pages) <= 16
    date = re.search(r"Data published (\w+ \d+, \d{4})", pages[0]).group(1)
    for number, page in enumerate(pages, start=1):
        assert f"Economic mobility in Detroit, MI - city brief · {date}" in page, number
        assert "Pilot figures: practice data (synthetic)" in page, number
        assert f"Page {number} / {len(pages)}" in page, number
    # A chart's title and its legend are printed on the same page.
    whole = " ".join(pages)
    for title, key in (("Individual income rank at 35 by race, Detroit", "the initiative's other cities"),
                       ("Opportunity by neighbourhood, Detroit", "highest fifth"),
                       ("People enrolled so far, by group", "comparison group")):
        assert title in whole
        assert any(title in page and key in page[page.index(title):] for page in pages), title
    # A place without a pilot has no practice mark.
    akron = tmp_path / "akron.pdf"
    write_brief("Akron", "pdf", akron)
    assert not any("practice data" in page for page in pdf_pages(akron))


def test_site_links_resolve_offline_without_errors(built_warehouse, browser, tmp_path):
    from orchestration.analysts.brief.site import write_site

    written = write_site(tmp_path / "site", ["Akron", "0627000"])
    pages = sorted(p.relative_to(tmp_path / "site").as_posix() for p in written)
    assert len(pages) == 2 * (2 + 11)
    assert {"index.html", "what-works.html", "detroit.html", "akron_oh.html", "fresno_ca.html",
            "es/index.html", "es/what-works.html", "es/fresno_ca.html"} <= set(pages)
    # Follow every link as a reader's click would, from every page: each target loads, each anchor exists.
    site, events, followed = tmp_path / "site", [], set()
    for name in pages:
        page = open_page(browser, site / name, 1000, events)
        links = page.eval_on_selector_all("a[href]", "els => els.map(e => e.href)")
        page.context.close()
        for link in links:
            assert link.startswith(f"file://{site}/"), (name, link)
            if link in followed:
                continue
            followed.add(link)
            url, _, anchor = link.partition("#")
            page = open_page(browser, Path(url.removeprefix("file://")), 1000, events)
            assert page.title(), (name, link)
            assert not anchor or page.query_selector(f"#{anchor}") is not None, (name, link)
            page.context.close()
    # Every page is reached by some link, and the pages asked for nothing but themselves.
    reached = {link.partition("#")[0].removeprefix(f"file://{site}/") for link in followed}
    assert reached == set(pages)
    errors = [e for e in events if e[0] == "error"]
    outside = [url for kind, url in events if kind == "request" and not url.startswith(f"file://{site}/")]
    assert errors == [] and outside == []
    index = (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    assert index.count("<tr>") == 1 + 11 and "$21,800" in index  # Detroit's headline figure
    works = (tmp_path / "site" / "es" / "what-works.html").read_text(encoding="utf-8")
    assert works.count("<tr>") == 1 + 9 and "Qué significa una calificación" in works
