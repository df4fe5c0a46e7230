"""City briefs: one self-contained HTML file per place for leaders and residents (or its PDF),
in English or Spanish.

A brief opens with what matters (a headline sentence and three figures, `headline.py`), then
sections. Each section is one module in `orchestration/analysts/brief/sections/`, found by itself: it has
a `NAME`, an `ORDER` and `build(con, city, t)`, which reads the published marts and returns a
`Section` (its charts and tables, every fixed text from the language `t`'s catalogue) or None
when the place has no data for it. A new section is one more module there, selectable with
`mobility brief --section`.

The brief reads only the published analysts' file (`orchestration.published`).
"""

import importlib
import pkgutil
import re
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Callable

from orchestration.analysts import published
from orchestration.analysts.brief.city import City, find_city
from orchestration.analysts.brief.i18n import Lang


@dataclass
class Section:
    title: str
    html: str
    synthetic: bool = False  # rests on synthetic data: marked as such on the page and on paper
    anchor: str = ""


def section_modules() -> dict[str, ModuleType]:
    from orchestration.analysts.brief import sections

    found = [importlib.import_module(f"{sections.__name__}.{info.name}") for info in pkgutil.iter_modules(sections.__path__)]
    return {module.NAME: module for module in sorted(found, key=lambda m: m.ORDER)}


def render(city_wanted: str, names: list[str] | None = None, on_step: Callable[[str], None] = lambda _: None,
           lang: str = "en", links: dict[str, str] | None = None) -> tuple[City, str]:
    """The brief's page. `links` (e.g. the other language's file, the site's index) are shown at
    its top."""
    from orchestration.analysts.brief.headline import headline
    from orchestration.analysts.brief.page import page

    t = Lang(lang)
    modules = section_modules()
    unknown = sorted(set(names or ()) - set(modules))
    if unknown:
        raise LookupError(f"no brief section {', '.join(unknown)}; sections: {', '.join(modules)}")
    with published.reader() as con:
        city = find_city(con, city_wanted)
        top = headline(con, city, t)
        built = []
        for name, module in modules.items():
            if names and name not in names:
                continue
            on_step(f"section {name} ...")
            section = module.build(con, city, t)
            if section is not None:
                section.anchor = section.anchor or name
                built.append(section)
        publication = con.execute("select published_at_utc, run_id from audit.publications "
                                  "order by published_at_utc desc limit 1").fetchone()
    return city, page(city, top, built, publication, t, links or {})


def slug(city: City) -> str:
    return re.sub("[^a-z0-9]+", "_", f"{city.name} {city.state}".lower()).strip("_") if not city.is_registry \
        else re.sub("[^a-z0-9]+", "_", city.name.lower()).strip("_")


def default_path(city: City, fmt: str, lang: str = "en") -> Path:
    return Path(f"brief_{slug(city)}{'' if lang == 'en' else '_' + lang}.{fmt}")


def write_brief(city_wanted: str, fmt: str = "html", output: Path | None = None, sections: list[str] | None = None,
                on_step: Callable[[str], None] = lambda _: None, lang: str = "en") -> Path:
    city, html = render(city_wanted, sections, on_step, lang)
    target = output or default_path(city, fmt, lang)
    target.parent.mkdir(parents=True, exist_ok=True)
    if fmt == "pdf":
        from orchestration.analysts.brief.pdf import print_pdf

        on_step("printing PDF with headless Chromium ...")
        print_pdf(html, target)
    else:
        target.write_text(html, encoding="utf-8")
    return target
