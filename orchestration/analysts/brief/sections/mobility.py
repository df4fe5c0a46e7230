"""Upward mobility of the city's children by race: the city against every large US city and
against the other cities of the initiative; the county's official estimates with intervals."""

from html import escape

from orchestration.analysts.brief import Section
from orchestration.analysts.brief.svg import Row, dot_rows
from orchestration.analysts.brief.words import about, ordinal

NAME = "mobility"
ORDER = 10
RACES = {"pooled": "All children", "black": "Black", "hisp": "Hispanic", "white": "White", "asian": "Asian",
         "natam": "Native American", "other": "Other"}
OUTCOME = "income_rank_p25"  # individual income rank at about 35, children of 25th-percentile parents
COUNTY_OUTCOME = "household_income_rank_p25"


def rank(value: float) -> str:
    return f"{value:.1f}"


def city_rows(con, city) -> list[Row]:
    rows = con.execute(
        """
        with places as (
            select race, estimate, is_registry_city, city_geoid
            from marts.city_mobility
            where outcome = ? and gender = 'pooled' and parent_pctile = 25 and estimate is not null
        ),
        national as (
            select race, quantile_cont(estimate, [0.1, 0.25, 0.5, 0.75, 0.9]) as band
            from marts.city_mobility
            where outcome = ? and gender = 'pooled' and parent_pctile = 25 and is_reference_place
              and estimate is not null
            group by race
        )
        select places.race, places.estimate, city.lb, city.ub, national.band,
               list(others.estimate order by others.estimate) filter (where others.city_geoid is not null)
        from places
        inner join marts.city_mobility as city
            on city.city_geoid = places.city_geoid and city.outcome = ? and city.race = places.race
            and city.gender = 'pooled' and city.parent_pctile = 25
        left join national on national.race = places.race
        left join places as others
            on others.race = places.race and others.is_registry_city and others.city_geoid <> places.city_geoid
        where places.city_geoid = ?
        group by all
        """,
        [OUTCOME, OUTCOME, OUTCOME, city.geoid],
    ).fetchall()
    order = list(RACES)
    return [Row(RACES[race], value, lb, ub, tuple(band) if band else None, tuple(others or ()))
            for race, value, lb, ub, band, others in sorted(rows, key=lambda r: order.index(r[0]))]


def county_rows(con, city) -> tuple[str, list[Row]]:
    rows = con.execute(
        "select county_name, race, estimate * 100, lb * 100, ub * 100 from marts.county_mobility "
        "where county_geoid = ? and outcome = ? and gender = 'pooled' and parent_pctile = 25 "
        "and se is not null and not suppressed",
        [city.county_geoids[0], COUNTY_OUTCOME],
    ).fetchall()
    order = list(RACES)
    rows.sort(key=lambda r: order.index(r[1]) if r[1] in order else len(order))
    name = rows[0][0] if rows else city.county_geoids[0]
    return name, [Row(RACES.get(race, race), value, lb, ub) for _, race, value, lb, ub in rows]


def build(con, city) -> Section | None:
    rows = city_rows(con, city)
    if not rows:
        return None
    pctl = con.execute("select pctl_national from marts.city_mobility where city_geoid = ? and outcome = ? "
                       "and race = 'pooled' and gender = 'pooled' and parent_pctile = 25", [city.geoid, OUTCOME]).fetchone()
    county, official = county_rows(con, city)
    everyone = next((r for r in rows if r.label == RACES["pooled"]), rows[0])
    summary = [f"Children from low-income families who grew up in {city.name} reach about the "
               f"{ordinal(everyone.value)} percentile of the national income distribution at about 35"
               + (f", higher than {pctl[0]:.0f}% of large US cities." if pctl and pctl[0] is not None else ".")]
    by_race = {r.label: r for r in rows}
    if RACES["black"] in by_race and RACES["white"] in by_race:
        gap = by_race[RACES["white"]].value - by_race[RACES["black"]].value
        size = round(abs(gap))
        summary.append(f"Among children from low-income families, White children reach about {size} percentile "
                       f"point{'s' if size != 1 else ''} {'higher' if gap > 0 else 'lower'} on the national ladder "
                       "than Black children.")
    html = [
        "<p>Where do children from low-income families (parents at the 25th percentile) end up as adults? "
        "Each row places the city's children on the national income ladder at about age 35 (percentile rank, "
        "0-100).</p>",
        f"<figure>{dot_rows(rows, rank, f'Income rank at 35 by race, {city.name}')}"
        "<figcaption>Orange dot: this city. Grey bands: the middle 50% and 80% of the 486 US cities of 75,000+ "
        "people, with their median. Open circles: the other cities of the initiative. The bundled tract files "
        "publish no standard errors, so the city figures carry no interval.</figcaption></figure>",
    ]
    if official:
        html.append(
            f"<h3>{escape(county)}: official estimates with 95% intervals</h3>"
            f"<figure>{dot_rows(official, rank, f'Household income rank at 35 by race, {county}')}"
            "<figcaption>Opportunity Insights' county estimates (household income rank, 0-100) with their "
            "published standard errors: the bar is the 95% interval.</figcaption></figure>"
        )
        first = official[0]
        summary.append(f"In {county}, the official estimate for {first.label.lower()} is "
                       f"{about(first.value, rank, first.lb, first.ub)} on the household income ladder.")
    return Section("Upward mobility for the city's children", "".join(html), summary)
