"""The place a brief is about, found by name or place GEOID among every place with data in the
published marts: the registry's cities first, then any place the Opportunity Atlas covers."""

from dataclasses import dataclass

import duckdb

HOW_TO_ADD = ("To give a place the registry's city reports, add a row to seeds/city_registry.csv (its 7-digit "
              "place GEOID, name, state and counties; the pilot columns may stay empty) and rebuild with "
              "`make warehouse` (README: Adding a city).")

# Registry cities, then every other place the marts know, with its main county (the county holding
# most of its tracts, where the tract marts cover it) and latest population estimate.
PLACES = """
with registry as (
    select city_geoid, city_name, state_abbr, population, population_year, county_geoids, pilot_name,
           true as is_registry, true as is_large
    from marts.dim_city
),
places as (
    select city_geoid, any_value(city_name) as city_name, any_value(state) as state_abbr,
           bool_or(is_reference_place) as is_large
    from marts.city_mobility
    where city_geoid not in (select city_geoid from registry)
    group by city_geoid
),
main_county as (
    select city_geoid, arg_max(county_geoid, count_tracts) as county_geoid
    from (
        select city_geoid, left(tract_geoid, 5) as county_geoid, count(distinct tract_geoid) as count_tracts
        from marts.tract_opportunity
        where city_geoid in (select city_geoid from places)
        group by all
    )
    group by city_geoid
),
population as (
    select city_geoid, cast(value as bigint) as population, year
    from marts.city_indicators
    where city_geoid in (select city_geoid from places) and metric = 'count_population' and subgroup_type = 'all'
      and value is not null
    qualify row_number() over (partition by city_geoid order by year desc) = 1
)
select city_geoid, city_name, state_abbr, population, population_year, county_geoids, pilot_name, is_registry,
       is_large
from registry
union all
select places.city_geoid, city_name, state_abbr, population.population, population.year,
       [main_county.county_geoid], null, false, is_large
from places
left join main_county using (city_geoid)
left join population using (city_geoid)
"""


@dataclass(frozen=True)
class City:
    geoid: str
    name: str
    state: str
    population: int | None
    population_year: int | None
    county_geoids: tuple[str, ...]
    pilot_name: str | None
    is_registry: bool = True


class Ambiguous(LookupError):
    """A name several places share: the message lists them."""


def to_city(row) -> City:
    geoid, name, state, population, year, counties, pilot, registry, _ = row
    return City(geoid, name, state, population, year, tuple(c for c in counties or () if c), pilot, registry)


def find_city(con: duckdb.DuckDBPyConnection, wanted: str) -> City:
    rows = con.execute(PLACES).fetchall()
    key = " ".join(wanted.strip().lower().split())
    by_geoid = [r for r in rows if r[0] == key or (key.isdigit() and r[0] == key.zfill(7))]
    if by_geoid:
        return to_city(by_geoid[0])
    named = [r for r in rows if key in (r[1].lower(), f"{r[1]}, {r[2]}".lower(), f"{r[1]} {r[2]}".lower())]
    # A registry city first; then the one large place (75,000+) of that name; then the only place.
    for choice in ([r for r in named if r[7]], [r for r in named if r[8]], named):
        if len(choice) == 1:
            return to_city(choice[0])
        if len(choice) > 1:
            choice.sort(key=lambda r: (r[2], r[0]))
            listed = "; ".join(f"{r[1]}, {r[2]} ({r[0]})" for r in choice)
            raise Ambiguous(f"'{wanted}' names {len(choice)} places: {listed}. Give the place GEOID or "
                            f"'{choice[0][1]}, {choice[0][2]}'.")
    registry = ", ".join(f"{r[1]} ({r[0]})" for r in rows if r[7])
    raise LookupError(f"no place '{wanted}' with data in the published marts (a name, 'Name, ST' or a 7-digit "
                      f"place GEOID; registry cities: {registry}). {HOW_TO_ADD}")
