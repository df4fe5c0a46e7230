"""Pictures of the brief for docs/brief/: for each place and language, the first screen at 1280 px
and at 390 px, the whole page at 1280 px (half scale) and the first printed pages (pdftoppm).

    .venv/bin/python tools/brief_gallery.py [PLACE ...]

Reads the published file of MOBILITY_HOME, as `mobility brief` does; writes docs/brief/."""

import subprocess
import sys
import tempfile
from pathlib import Path

from orchestration.analysts.brief import render, slug
from orchestration.analysts.brief.pdf import CHROMIUM_FLAGS, chromium, print_pdf
from orchestration.settings import REPO_ROOT

PLACES = ["Detroit", "Tulsa", "Rochester", "Akron", "0627000"]
LANGS = {"en": "English", "es": "Spanish"}
TARGET = REPO_ROOT / "docs" / "brief"
PDF_PAGES = 3


def shoot(browser, html: Path, stem: str) -> list[str]:
    names = []
    for width, height, scale, full in ((1280, 900, 1, False), (390, 844, 1, False), (1280, 900, 0.5, True)):
        page = browser.new_context(offline=True, viewport={"width": width, "height": height},
                                   device_scale_factor=scale).new_page()
        page.goto(html.as_uri(), wait_until="load")
        # First screens as PNG (sharp text); the whole page, a long picture, as JPEG.
        name = f"{stem}_{width}{'_page.jpg' if full else '.png'}"
        options = {"type": "jpeg", "quality": 60} if full else {"type": "png"}
        page.screenshot(path=str(TARGET / name), full_page=full, **options)
        page.context.close()
        names.append(name)
    return names


def main(places: list[str]) -> None:
    from playwright.sync_api import sync_playwright

    TARGET.mkdir(parents=True, exist_ok=True)
    rows = []
    with tempfile.TemporaryDirectory() as scratch, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium(), args=CHROMIUM_FLAGS)
        for place in places:
            for lang, language in LANGS.items():
                city, html = render(place, lang=lang)
                stem = f"{slug(city)}_{lang}"
                page_file = Path(scratch) / f"{stem}.html"
                page_file.write_text(html, encoding="utf-8")
                shots = shoot(browser, page_file, stem)
                pdf = Path(scratch) / f"{stem}.pdf"
                print_pdf(html, pdf)
                subprocess.run(["pdftoppm", "-r", "45", "-png", "-f", "1", "-l", str(PDF_PAGES), str(pdf),
                                str(TARGET / f"{stem}_pdf")], check=True)
                pages = sorted(p.name for p in TARGET.glob(f"{stem}_pdf-*.png"))
                rows.append(f"| {city.name}, {city.state} | {language} | [first screen]({shots[0]}) | "
                            f"[first screen]({shots[1]}) | [whole page]({shots[2]}) | "
                            + " ".join(f"[{i + 1}]({name})" for i, name in enumerate(pages)) + " |")
                print(stem, file=sys.stderr)
        browser.close()
    (TARGET / "README.md").write_text(
        "# The city brief on a laptop, a phone and paper\n\n"
        "`mobility brief PLACE [--lang en|es] [--format html|pdf]` writes one self-contained page for any place "
        "with data in the published marts (a name, `Name, ST` or a place GEOID; an ambiguous name lists the "
        "places it could mean). It opens with one sentence and three figures, each with its meaning, interval, "
        "years, dollar year, source and quality flag; then the sections (children's outcomes by race and the "
        "county's estimates beside incarceration, neighbourhoods, what goes with low mobility when the barrier "
        "marts exist, Urban's metrics by pillar, cradle to career, the pilot and its evidence rating). "
        "`mobility site DIR [--city PLACE ...]` writes the registry's cities (and any others named) as an "
        "offline site in both languages, with an index and a What works page.\n\n"
        "Below, five places in English and Spanish as headless Chromium shows them (made by "
        "`tools/brief_gallery.py`). The browser tests check each at 360, 390 and 1280 px (no sideways "
        "scrolling, chart text at least 12 px) and with axe-core (WCAG 2.2 AA). Pilot figures are synthetic "
        "practice data, marked on every printed page.\n\n"
        "| place | language | 1280 px | 390 px | 1280 px, whole page (half scale) | printed pages |\n"
        "|---|---|---|---|---|---|\n" + "\n".join(rows) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main(sys.argv[1:] or PLACES)
