"""City briefs: one self-contained HTML file per city for leaders and residents (or its PDF).

A brief is a page of sections. Each section is one module in `orchestration/analysts/brief/sections/`,
found by itself: it has a `NAME`, an `ORDER` and `build(con, city)`, which reads the published
marts and returns a `Section` (its charts and tables, and the plain-language sentences the
page's summary opens with) or None when the city has no data for it. A new section (say a
cradle-to-career one) is one more module there, selectable with `mobility brief --section`.
"""

import importlib
import pkgutil
import re
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Callable

from orchestration.analysts import published
from orchestration.analysts.brief.city import City, find_city


@dataclass
class Section:
    title: str
    html: str
    summary: list[str] = field(default_factory=list)
    synthetic: bool = False  # rests on synthetic data: labelled as such on the page


def section_modules() -> dict[str, ModuleType]:
    from orchestration.analysts.brief import sections

    found = [importlib.import_module(f"{sections.__name__}.{info.name}") for info in pkgutil.iter_modules(sections.__path__)]
    return {module.NAME: module for module in sorted(found, key=lambda m: m.ORDER)}


def render(city_wanted: str, names: list[str] | None = None, on_step: Callable[[str], None] = lambda _: None) -> tuple[City, str]:
    from orchestration.analysts.brief.page import page

    modules = section_modules()
    unknown = sorted(set(names or ()) - set(modules))
    if unknown:
        raise LookupError(f"no brief section {', '.join(unknown)}; sections: {', '.join(modules)}")
    with published.reader() as con:
        city = find_city(con, city_wanted)
        built = []
        for name, module in modules.items():
            if names and name not in names:
                continue
            on_step(f"section {name} ...")
            section = module.build(con, city)
            if section is not None:
                built.append(section)
        publication = con.execute("select published_at_utc, run_id from audit.publications "
                                  "order by published_at_utc desc limit 1").fetchone()
    return city, page(city, built, publication)


def default_path(city: City, fmt: str) -> Path:
    return Path(f"brief_{re.sub('[^a-z0-9]+', '_', city.name.lower())}.{fmt}")


def write_brief(city_wanted: str, fmt: str = "html", output: Path | None = None, sections: list[str] | None = None,
                on_step: Callable[[str], None] = lambda _: None) -> Path:
    city, html = render(city_wanted, sections, on_step)
    target = output or default_path(city, fmt)
    target.parent.mkdir(parents=True, exist_ok=True)
    if fmt == "pdf":
        from orchestration.analysts.brief.pdf import print_pdf

        on_step("printing PDF with headless Chromium ...")
        print_pdf(html, target)
    else:
        target.write_text(html, encoding="utf-8")
    return target
