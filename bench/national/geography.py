"""Which real places, counties and tracts a generated data set covers.

Bundled files are read with the loaders' own declarations, so GEOIDs come out padded exactly as
the warehouse pads them.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

import duckdb
import numpy as np

from orchestration import settings
from orchestration.ingestion.loading import reader_sql
from orchestration.sources import source_groups

FULL_CITIES = 100  # pilot cities at scale 1
FULL_PARTICIPANTS = 20_000  # participants per pilot city at scale 1


def read_seed(con: duckdb.DuckDBPyConnection, table: str) -> str:
    """SQL selecting a bundled raw table as its loader would create it."""
    spec = next(s for g in source_groups() for s in g.files if s.table == table)
    return f"(select {spec.select} from {reader_sql(spec, settings.SEEDS_DIR / spec.path)} where {spec.where})"


@dataclass(frozen=True)
class City:
    geoid: str
    name: str
    state_abbr: str
    counties: tuple[str, ...]
    tracts: tuple[str, ...]  # 2010 tracts whose centroid lies in the place


@dataclass(frozen=True)
class Selection:
    scale: float
    cities: list[City]
    participants_per_city: int
    counties: set[str]
    tracts_2010: list[str]
    tracts_2020: list[str]


def select(scale: float, rng: np.random.Generator) -> Selection:
    """The registry's cities first, then other places of 75,000+ people in a seeded order; then
    whole counties until a share `scale` of the 2010 tracts is covered."""
    con = duckdb.connect()
    registry = [r[0] for r in con.execute(f"select city_geoid from {read_seed(con, 'city_registry')}").fetchall()]
    places = con.execute(f"""
        with crosswalk as (
            select left(TRACTID, 2) || PLACEID as city_geoid, PLACE as name, STATE as state_abbr, TRACTID as tract
            from {read_seed(con, 'geo_tract_place_2010')}
            where PLACEID is not null
        ),
        large as (
            select distinct state || place as city_geoid from {read_seed(con, 'census_place_population')}
            where population >= 75000
        )
        select city_geoid, min(name), min(state_abbr), list(distinct left(tract, 5) order by left(tract, 5)),
               list(tract order by tract)
        from crosswalk
        where city_geoid in (select city_geoid from large) or city_geoid in (select unnest(?))
        group by city_geoid
        having count(*) >= 10
        order by city_geoid
    """, [registry]).fetchall()
    by_geoid = {g: City(g, n, s, tuple(c), tuple(t)) for g, n, s, c, t in places}
    others = [g for g in sorted(by_geoid) if g not in registry]
    order = registry + [others[i] for i in rng.permutation(len(others))]
    count = max(1, min(len(order), round(FULL_CITIES * math.sqrt(scale))))
    cities = [by_geoid[g] for g in order[:count]]

    tracts = con.execute(f"select GEOID, left(GEOID, 5) from {read_seed(con, 'geo_tract_centers_2010')} "
                         "order by GEOID").fetchall()
    per_county: dict[str, list[str]] = {}
    for tract, county in tracts:
        per_county.setdefault(county, []).append(tract)
    counties = {c for city in cities for c in city.counties}
    rest = sorted(set(per_county) - counties)
    wanted = scale * len(tracts)
    for i in rng.permutation(len(rest)):
        if sum(len(per_county[c]) for c in counties) >= wanted:
            break
        counties.add(rest[i])
    tracts_2020 = [r[0] for r in con.execute(
        f"select GEOID from {read_seed(con, 'geo_tract_centers_2020')} where left(GEOID, 5) in (select unnest(?)) "
        "order by GEOID", [sorted(counties)]).fetchall()]
    con.close()
    return Selection(
        scale=scale,
        cities=cities,
        participants_per_city=max(50, round(FULL_PARTICIPANTS * math.sqrt(scale))),
        counties=counties,
        tracts_2010=sorted(t for c in counties for t in per_county[c]),
        tracts_2020=tracts_2020,
    )


def copy_seeds(target: Path, replaced: set[str]) -> None:
    """The bundled source files under `target`, as hard links where the file system allows
    (they are never modified), except those the generator writes itself."""
    for path in sorted(settings.SEEDS_DIR.rglob("*")):
        relative = path.relative_to(settings.SEEDS_DIR)
        if path.is_dir() or relative.as_posix() in replaced or relative.parts[:2] == ("pilots", "synthetic"):
            continue
        destination = target / relative
        destination.parent.mkdir(parents=True, exist_ok=True)
        destination.unlink(missing_ok=True)
        try:
            destination.hardlink_to(path)
        except OSError:
            destination.write_bytes(path.read_bytes())
