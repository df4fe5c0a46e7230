"""The place's neighbourhoods from lowest to highest opportunity: a map of tract population centres
(over the city boundary where one is bundled), each fifth with its own colour and shape, and the
ends of the list."""

import json
from functools import cache

from orchestration import settings
from orchestration.analysts.brief import Section
from orchestration.analysts.brief.markup import chart_figure, table
from orchestration.analysts.brief.svg import QUINTILES, SHAPES, Dot, dot_map, key_swatch, legend

NAME = "neighbourhoods"
ORDER = 20
OUTCOME = "household_income_at_35_p25"

TRACTS = """
select tract_geoid, atlas_name, population, latitude, longitude, estimate, quintile_in_city
from marts.tract_opportunity
where city_geoid = ? and outcome = ? and race = 'pooled' and gender = 'pooled' and parent_pctile = 25
  and estimate is not null and latitude is not null and not is_excluded_from_means
order by estimate
"""


@cache
def boundaries() -> dict[str, dict]:
    """City polygons from the bundled TIGER GeoJSON files (`geography/city_boundaries/`), by GEOID."""
    folder = settings.source_dir() / "geography" / "city_boundaries"
    found = {}
    for path in sorted(folder.glob("*.json")):
        feature = json.loads(path.read_text(encoding="utf-8"))["features"][0]
        found[feature["properties"]["GEOID"]] = feature["geometry"]
    return found


def neighbourhood(name: str | None, tract: str, city: str, t) -> str:
    """The Atlas neighbourhood name; the tract number where the Atlas names only the city."""
    first = (name or "").split(",")[0].strip()
    return first if first and first != city else t("neighbourhoods.tract", tract=tract)


def build(con, city, t) -> Section | None:
    tracts = con.execute(TRACTS, [city.geoid, OUTCOME]).fetchall()
    if not tracts:
        return None
    fifths = [t(f"neighbourhoods.fifth.{q}") for q in range(1, 6)]
    dots = [Dot(lon, lat, population or 0, quintile,
                f"{neighbourhood(name, tract, city.name, t)}: {t.dollars(estimate)} ({fifths[quintile - 1]})")
            for tract, name, population, lat, lon, estimate, quintile in tracts]
    outline = boundaries().get(city.geoid)
    lowest, highest = tracts[:5], tracts[-5:][::-1]

    def rows(selection):
        return [[neighbourhood(name, tract, city.name, t), tract, t.dollars(estimate)]
                for tract, name, _, _, _, estimate, _ in selection]

    head = [t("neighbourhoods.name"), t("neighbourhoods.tract_head"), t("neighbourhoods.income")]
    counts = [sum(1 for r in tracts if r[6] == q) for q in range(1, 6)]
    desc = t("neighbourhoods.desc", count=len(tracts), low=t.dollars(tracts[0][5]), high=t.dollars(tracts[-1][5]),
             fifths="; ".join(f"{name}: {n}" for name, n in zip(fifths, counts)))
    caption = t("neighbourhoods.caption") + " " + (t("neighbourhoods.outline") if outline else t("neighbourhoods.no_outline"))
    keys = legend([(key_swatch(colour, kind), name) for colour, kind, name in zip(QUINTILES, SHAPES, fifths)])
    low, high = tracts[0], tracts[-1]
    html = (
        f"<p>{t('neighbourhoods.intro', count=len(tracts), city=city.name)}</p>"
        f"<p>{t('neighbourhoods.range', low=t.dollars(low[5]), low_name=neighbourhood(low[1], low[0], city.name, t), high=t.dollars(high[5]), high_name=neighbourhood(high[1], high[0], city.name, t))}</p>"
        + chart_figure(t("neighbourhoods.map", city=city.name),
                       dot_map(outline, dots, t("neighbourhoods.map", city=city.name), desc), keys,
                       caption + " " + t("source.atlas"))
        + f'<div class="grid"><div>{table(head, rows(lowest), {2}, t("neighbourhoods.lowest"))}</div>'
        f'<div>{table(head, rows(highest), {2}, t("neighbourhoods.highest"))}</div></div>'
    )
    return Section(t("neighbourhoods.title"), html)
