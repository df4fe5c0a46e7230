"""`mobility site DIR`: an offline static site for the whole initiative, in English and Spanish.

    DIR/index.html          the places with their headline figures
    DIR/what-works.html     every pilot: its evidence rating, effect and interval, what a rating means
    DIR/<place>.html        the brief of each place
    DIR/es/...              the same in Spanish

Every page is self-contained (no script, nothing fetched) and links only to pages of the site."""

from html import escape
from pathlib import Path
from typing import Callable

from orchestration.analysts import published
from orchestration.analysts.brief import render, slug
from orchestration.analysts.brief.city import find_city
from orchestration.analysts.brief.headline import headline
from orchestration.analysts.brief.i18n import LOCALES, Lang
from orchestration.analysts.brief.markup import table
from orchestration.analysts.brief.page import document
from orchestration.analysts.brief.sections.pilot import formatter, why

RATINGS = ("meets_without_reservations", "meets_with_reservations", "does_not_meet", "insufficient_data")


def folder(root: Path, lang: str) -> Path:
    return root if lang == "en" else root / lang


def nav(t: Lang, here: str, prefix: str = "") -> dict[str, str]:
    """The site's links from a page named `here` (the other language's copy of the same page)."""
    other = "es" if t.code == "en" else "en"
    twin = f"es/{here}" if t.code == "en" else f"../{here}"
    return {t("site.index"): f"{prefix}index.html", t("site.what_works"): f"{prefix}what-works.html",
            Lang(other)("site.this_language"): twin}


def index_page(con, cities, t: Lang) -> str:
    rows = []
    for city in cities:
        top = headline(con, city, t)
        link = f'<a href="{slug(city)}.html">{escape(city.name)}, {escape(city.state)}</a>'
        rows.append([link, escape(top.sentence)] + [escape(top.figures[0].value) if top.figures else "–"]
                    + [escape(" · ".join(f.value for f in top.figures[1:])) or "–"])
    body = (f"<h1>{escape(t('site.title'))}</h1><p class=\"lede\">{escape(t('site.lede'))}</p>"
            + table([t("site.place"), t("site.headline"), t("site.income35"), t("site.other_figures")], rows, raw=True)
            + f'<p class="note">{escape(t("source.atlas"))} {escape(t("source.urban"))}</p>')
    return document(t("site.title"), body, t, nav(t, "index.html"), escape(t("page.sources")))


def what_works_page(con, t: Lang, places: dict[str, str]) -> str:
    cursor = con.execute("select * from marts.what_works order by city_name")
    columns = [d[0] for d in cursor.description]
    rows, synthetic = [], False
    for values in cursor.fetchall():
        pilot = dict(zip(columns, values))
        pilot["outcome"] = pilot.get("primary_outcome") or pilot.get("main_outcome")
        kind = con.execute("select any_value(outcome_type) from marts.pilot_impact where pilot_id = ? and outcome = ?",
                           [pilot["pilot_id"], pilot["outcome"]]).fetchone()
        pilot["binary"] = bool(kind and kind[0] == "binary")
        synthetic = synthetic or bool(pilot["is_synthetic"])
        fmt = formatter(t, pilot)
        outcome = t.label("outcome", pilot["outcome"])
        effect = (t.change(pilot["effect"], pilot["effect_lb"], pilot["effect_ub"], fmt, outcome)
                  if pilot["effect"] is not None and pilot["effect_lb"] is not None else t("site.no_estimate"))
        name = escape(t.label("pilot_name", pilot["pilot_id"], pilot["pilot_name"]))
        city = escape(pilot.get("city_name") or pilot["city_geoid"])
        place = f'<a href="{places[pilot["city_geoid"]]}.html">{city}</a>' if pilot["city_geoid"] in places else city
        rating = pilot["evidence_rating"] or "insufficient_data"
        rows.append([place, name, escape(t(f"pilot.design.{pilot['design']}")),
                     f"<strong>{escape(t.label('rating', rating))}</strong>", escape(effect),
                     escape(why(t, pilot))])
    meanings = "".join(f"<li><strong>{escape(t.label('rating', r))}</strong>: {escape(t.label('rating_means', r, ''))}</li>"
                       for r in RATINGS)
    mark = f'<div class="synthetic" role="note">{escape(t("page.synthetic"))}</div>' if synthetic else ""
    body = (f"<h1>{escape(t('site.what_works'))}</h1><p class=\"lede\">{escape(t('site.what_works_lede'))}</p>{mark}"
            + table([t("site.place"), t("site.pilot"), t("site.design"), t("site.rating"), t("pilot.effect"),
                     t("site.why")], rows, raw=True)
            + f"<h2 id=\"ratings\">{escape(t('site.ratings'))}</h2><ul>{meanings}</ul>")
    return document(t("site.what_works"), body, t, nav(t, "what-works.html"), escape(t("page.sources")))


def registry_places(con) -> list[str]:
    return [r[0] for r in con.execute("select city_geoid from marts.dim_city order by city_name").fetchall()]


def write_site(root: Path, extra: list[str] | None = None, on_step: Callable[[str], None] = lambda _: None) -> list[Path]:
    written = []
    with published.reader() as con:
        wanted = registry_places(con) + list(extra or ())
        cities = list({c.geoid: c for c in (find_city(con, w) for w in wanted)}.values())
        cities.sort(key=lambda c: c.name)
        places = {c.geoid: slug(c) for c in cities}
        for code in LOCALES:
            t = Lang(code)
            target = folder(root, code)
            target.mkdir(parents=True, exist_ok=True)
            (target / "index.html").write_text(index_page(con, cities, t), encoding="utf-8")
            (target / "what-works.html").write_text(what_works_page(con, t, places), encoding="utf-8")
            written += [target / "index.html", target / "what-works.html"]
    for code in LOCALES:
        for city in cities:
            on_step(f"brief {city.name} ({code}) ...")
            name = f"{places[city.geoid]}.html"
            _, html = render(city.geoid, lang=code, links=nav(Lang(code), name))
            path = folder(root, code) / name
            path.write_text(html, encoding="utf-8")
            written.append(path)
    return written
