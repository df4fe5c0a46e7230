"""The city's neighbourhoods from lowest to highest opportunity: a dot map of tract population
centres over the city boundary, coloured by quintile within the city, and the ends of the list."""

import json
from html import escape

from orchestration.analysts.brief import Section
from orchestration.analysts.brief.svg import QUINTILES, Dot, dot_map, legend
from orchestration.analysts.brief.words import dollars
from orchestration.settings import source_dir

NAME = "neighbourhoods"
ORDER = 20
OUTCOME = "household_income_at_35_p25"
QUINTILE_NAMES = ["lowest fifth", "second", "middle", "fourth", "highest fifth"]


def boundary(city_geoid: str) -> dict | None:
    """The city's polygon from the bundled TIGER GeoJSON files (`geography/city_boundaries/`)."""
    for path in sorted((source_dir() / "geography" / "city_boundaries").glob("*.json")):
        feature = json.loads(path.read_text(encoding="utf-8"))["features"][0]
        if feature["properties"]["GEOID"] == city_geoid:
            return feature["geometry"]
    return None


def neighbourhood(name: str | None, tract: str, city: str) -> str:
    """The Atlas neighbourhood name; the tract number where the Atlas names only the city."""
    first = (name or "").split(",")[0].strip()
    return first if first and first != city else f"tract {tract}"


def build(con, city) -> Section | None:
    tracts = con.execute(
        "select tract_geoid, atlas_name, population, latitude, longitude, estimate, quintile_in_city, rank_in_city "
        "from marts.tract_opportunity where city_geoid = ? and outcome = ? and race = 'pooled' "
        "and gender = 'pooled' and parent_pctile = 25 and estimate is not null and latitude is not null "
        "and not is_excluded_from_means order by estimate",
        [city.geoid, OUTCOME],
    ).fetchall()
    if not tracts:
        return None
    dots = [Dot(lon, lat, population or 0, QUINTILES[quintile - 1],
                f"{neighbourhood(name, tract, city.name)}: {dollars(estimate)} ({QUINTILE_NAMES[quintile - 1]})")
            for tract, name, population, lat, lon, estimate, quintile, _ in tracts]
    outline = boundary(city.geoid)
    lowest, highest = tracts[:5], tracts[-5:][::-1]

    def rows(selection):
        return "".join(f"<tr><td>{escape(neighbourhood(name, tract, city.name))}</td><td>{tract}</td>"
                       f'<td class="n">{dollars(estimate)}</td></tr>'
                       for tract, name, _, _, _, estimate, _, _ in selection)

    head = '<tr><th>neighbourhood</th><th>tract</th><th class="n">household income at 35</th></tr>'
    html = (
        f"<p>Expected household income at about 35 for children of low-income families, by the neighbourhood "
        f"(census tract) they grew up in: {len(tracts)} neighbourhoods of {escape(city.name)}.</p>"
        f"<figure>{dot_map(outline, dots, f'Opportunity by neighbourhood, {city.name}')}"
        + legend([(colour, name) for colour, name in zip(QUINTILES, QUINTILE_NAMES)])
        + "<figcaption>Each dot is a tract's population centre (Census Bureau), its size the tract's population "
        "(2010), its colour the tract's fifth within the city; the outline is the city boundary (TIGER 2019). "
        "The Atlas tract export publishes no standard errors for these figures.</figcaption></figure>"
        f'<div class="grid"><div><h3>Lowest opportunity</h3><table>{head}{rows(lowest)}</table></div>'
        f"<div><h3>Highest opportunity</h3><table>{head}{rows(highest)}</table></div></div>"
    )
    low, high = tracts[0], tracts[-1]
    summary = [f"Across {city.name}'s neighbourhoods, expected household income at 35 for children of low-income "
               f"families ranges from about {dollars(low[5])} in {neighbourhood(low[1], low[0], city.name)} to about "
               f"{dollars(high[5])} in {neighbourhood(high[1], high[0], city.name)}."]
    return Section("Neighbourhoods from lowest to highest opportunity", html, summary)
