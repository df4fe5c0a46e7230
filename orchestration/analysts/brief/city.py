"""The city a brief is about, found by name or place GEOID among the registry cities."""

from dataclasses import dataclass

import duckdb


@dataclass(frozen=True)
class City:
    geoid: str
    name: str
    state: str
    population: int
    population_year: int
    county_geoids: tuple[str, ...]
    pilot_name: str | None


def find_city(con: duckdb.DuckDBPyConnection, wanted: str) -> City:
    rows = con.execute("select city_geoid, city_name, state_abbr, population, population_year, county_geoids, "
                       "pilot_name from marts.dim_city order by city_name").fetchall()
    key = wanted.strip().lower()
    for row in rows:
        if key in (row[0], row[1].lower(), f"{row[1]}, {row[2]}".lower()):
            return City(row[0], row[1], row[2], row[3], row[4], tuple(row[5]), row[6])
    known = ", ".join(f"{r[1]} ({r[0]})" for r in rows)
    raise LookupError(f"no registry city '{wanted}'; known: {known}")
