"""The city registry: the cities the warehouse reports on. Adding a city is one row in
`seeds/city_registry.csv` (its place GEOID, name, state, counties and pilot topic)."""

import csv

from orchestration.ingestion.asset_factory import SourceGroup
from orchestration.ingestion.loading import pad, SourceFile
from orchestration.settings import source_dir

GROUP = "geography"
REGISTRY_FILE = "city_registry.csv"

SOURCE = SourceFile(
    table="city_registry",
    path=REGISTRY_FILE,
    group=GROUP,
    description="Registry cities: place GEOID (state + place FIPS), name, state, counties "
    "(semicolon-separated county GEOIDs) and the city's pilot topic.",
    select=f"* replace ({pad('city_geoid', 7)} as city_geoid, {pad('state_fips', 2)} as state_fips)",
    read_options="header = true, all_varchar = true",
    provenance="Maintained by the project: What Works Cities Economic Mobility Initiative cities",
)


def registry_counties() -> list[str]:
    """Every county GEOID named in the registry, in file order."""
    with (source_dir() / REGISTRY_FILE).open(newline="", encoding="utf-8") as handle:
        counties = [c for row in csv.DictReader(handle) for c in row["county_geoids"].split(";")]
    return list(dict.fromkeys(c.strip().zfill(5) for c in counties if c.strip()))


sources = SourceGroup("registry", [SOURCE])
