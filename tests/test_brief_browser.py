"""A brief as a reader's browser shows it: headless Chromium with the network off draws every
chart, asks for nothing beyond the file and reports no error; `--format pdf` prints it."""

import re
import subprocess
import sys
from pathlib import Path

from orchestration.analysts.brief import write_brief
from orchestration.analysts.brief.pdf import CHROMIUM_FLAGS, chromium

CHARTS = """els => els.map(e => {
    const box = e.getBoundingClientRect();
    return {label: e.getAttribute('aria-label'), width: box.width, height: box.height,
            marks: e.querySelectorAll('circle, line, polyline, polygon, rect').length};
})"""


def test_every_chart_draws_offline_without_errors(built_warehouse, tmp_path, test_home):
    from playwright.sync_api import sync_playwright

    path = write_brief("Tulsa", output=tmp_path / "tulsa.html")
    requests, failed, errors = [], [], []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium(), args=[*CHROMIUM_FLAGS, "--proxy-server=127.0.0.1:9"])
        context = browser.new_context(offline=True, viewport={"width": 900, "height": 1200})
        page = context.new_page()
        page.on("request", lambda request: requests.append(request.url))
        page.on("requestfailed", lambda request: failed.append(request.url))
        page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.goto(path.as_uri(), wait_until="load")
        charts = page.eval_on_selector_all("svg.chart", CHARTS)
        page.screenshot(path=str(test_home / "brief.png"), full_page=True)
        browser.close()
    assert requests == [path.as_uri()] and failed == [] and errors == []
    assert len(charts) == 16
    drawn = [c for c in charts if c["width"] > 250 and c["height"] > 100 and c["marks"] > 3]
    assert drawn == charts, [c for c in charts if c not in drawn]
    by_label = {c["label"]: c for c in charts}
    assert by_label["Opportunity by neighbourhood, Tulsa"]["marks"] >= 122 + 1  # every tract, and the boundary


def test_pdf_is_printed_by_chromium(built_warehouse, tmp_path):
    target = tmp_path / "tulsa.pdf"
    done = subprocess.run([str(Path(sys.executable).parent / "mobility"), "brief", "Tulsa", "--format", "pdf",
                           "-o", str(target)], capture_output=True, text=True, timeout=180)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == str(target)
    assert "printing PDF" in done.stderr
    content = target.read_bytes()
    assert content.startswith(b"%PDF-")
    pages = len(re.findall(rb"/Type\s*/Page[^s]", content))
    assert 3 <= pages <= 10  # a few Letter pages
