"""PDF of a brief: Chromium's own printing, headless, with the network off, driven by Playwright
so every page carries a running header (place, date, and the practice-data mark when the brief
shows synthetic pilot data) and a page number."""

import re
import shutil
from concurrent.futures import ThreadPoolExecutor
import tempfile
from html import escape, unescape
from pathlib import Path

CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run"]
EDGE = "font-family: system-ui, sans-serif; font-size: 9px; color: #334155; width: 100%; margin: 0 12mm;"


def chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
    if not found:
        raise LookupError("a PDF needs headless Chromium: apt-get install chromium (or write --format html)")
    return found


def meta(html: str, name: str) -> str:
    found = re.search(rf'<meta name="{name}" content="([^"]*)"', html)
    return unescape(found.group(1)) if found else ""


def header_and_footer(html: str) -> tuple[str, str]:
    """The running header and the footer, in the brief's own language (from its page)."""
    title = unescape(re.search(r"<title>(.*?)</title>", html, re.S).group(1))
    practice = meta(html, "brief-practice")
    mark = (f'<span style="float: right; color: #7f1d1d; font-weight: 700; border: 1px solid #b91c1c; '
            f'padding: 0 4px;">{escape(practice)}</span>') if practice else ""
    header = f'<div style="{EDGE}"><span>{escape(title)} · {escape(meta(html, "brief-date"))}</span>{mark}</div>'
    footer = (f'<div style="{EDGE} text-align: right;">{escape(meta(html, "brief-page-word"))} '
              f'<span class="pageNumber"></span> / <span class="totalPages"></span></div>')
    return header, footer


def print_pdf(html: str, target: Path) -> None:
    # In a thread of its own: Playwright's synchronous API cannot run inside another one's loop
    # (a caller that already drives a browser).
    with ThreadPoolExecutor(max_workers=1) as worker:
        worker.submit(printed, html, target).result()


def printed(html: str, target: Path) -> None:
    from playwright.sync_api import sync_playwright

    header, footer = header_and_footer(html)
    with tempfile.TemporaryDirectory() as scratch, sync_playwright() as playwright:
        page_file = Path(scratch) / "brief.html"
        page_file.write_text(html, encoding="utf-8")
        browser = playwright.chromium.launch(executable_path=chromium(),
                                             args=[*CHROMIUM_FLAGS, "--proxy-server=127.0.0.1:9"])
        try:
            page = browser.new_context(offline=True).new_page()
            page.goto(page_file.as_uri(), wait_until="load")
            page.pdf(path=str(target.resolve()), format="Letter", print_background=True,
                     display_header_footer=True, header_template=header, footer_template=footer,
                     margin={"top": "18mm", "bottom": "14mm", "left": "12mm", "right": "12mm"})
        finally:
            browser.close()
    if not target.exists():
        raise RuntimeError(f"Chromium could not print {target}")
