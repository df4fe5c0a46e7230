"""Census Bureau data: ACS tract measures, Census Data API responses, population counts."""


import json
import os
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd
from dagster import Config

from orchestration.files.bytes import check_text_file, files_sha256, SourceFileError, UTF16_BOMS
from orchestration.ingestion.asset_factory import CustomTable, source_file_spec, SourceGroup
from orchestration.ingestion.loading import pad, SourceFile, write_raw_table
from orchestration.settings import source_dir
from orchestration.sources.census_api import CensusApiClient, response_frame, tract_values
from orchestration.sources.city_registry import registry_counties

GROUP = "census"
CSV = "header = true, nullstr = ['NA', ''], sample_size = -1"
CODEC = "Harmonized Historical ACS Measures, geomarker-io/codec (values are ACS 5-year estimates)"
URBAN_POP = "Census Bureau population estimates as compiled by the Urban Institute"


def population(level: str, digits: int, areas: str) -> SourceFile:
    """Population by year of every county or place: state and area codes padded to GEOID digits."""
    return SourceFile(
        table=f"census_{level}_population",
        path=f"census/population/{level}-populations.csv",
        group=GROUP,
        description=f"Population of every {areas} by year (Census estimates).",
        select=f"* replace ({pad('state', 2)} as state, {pad(level, digits)} as {level})",
        read_options=CSV + f", types = {{'state': 'VARCHAR', '{level}': 'VARCHAR'}}",
        provenance=URBAN_POP,
    )


SOURCES = [
    population("county", 3, "county"),
    population("place", 5, "place of 75,000+ people"),
    SourceFile(
        table="census_hamilton_acs_measures",
        path="census/hamilton_acs/hh_acs_measures.csv",
        group=GROUP,
        description="Hamilton County OH tract measures from ACS 5-year 2010-2021 on 2010 "
        "tracts, each estimate with its margin of error (`_moe`, 90%).",
        select=f"* replace ({pad('census_tract_id_2010', 11)} as census_tract_id_2010)",
        read_options=CSV,
        provenance=CODEC,
    ),
    SourceFile(
        table="census_hamilton_acs_2023",
        path="census/hamilton_acs/acs_measures_2023_tract2020.json",
        group=GROUP,
        description="Hamilton County OH tract measures from ACS 5-year 2023 on 2020 tracts "
        "(estimates only).",
        select=f"* replace ({pad('census_tract_id_2020', 11)} as census_tract_id_2020)",
        reader="json",
        read_options="format = 'array'",
        provenance=CODEC,
    ),
]


@dataclass(frozen=True)
class ApiRequest:
    dataset: str
    year: int
    variables: tuple[str, ...]
    bundled_file: str  # the recorded response for the bundled counties


ACS_REQUESTS = [
    ApiRequest("acs/acs5", 2015, ("B05003_001E", "B05003_003E", "B05003_014E"),
               "census/tulsa_api/acs5_2015_tract_tulsa_B05003.json"),
    ApiRequest("acs/acs5", 2020, ("B05003_001E", "B05003_003E", "B05003_014E"),
               "census/tulsa_api/acs5_2020_tract_tulsa_B05003.json"),
]
DECENNIAL_REQUESTS = [
    ApiRequest("dec/pl", 2010, ("P001001",), "census/tulsa_api/dec2010_pl_tract_tulsa_P001.json"),
    ApiRequest("dec/pl", 2020, ("P1_001N",), "census/tulsa_api/dec2020_pl_tract_tulsa_P1.json"),
]


def census_source() -> str:
    return os.environ.get("MOBILITY_CENSUS_SOURCE", "bundled")


class CensusApiConfig(Config):
    """`bundled` reads the recorded responses in seeds/; `api` asks the live Census Data API
    for every registry county (env MOBILITY_CENSUS_SOURCE, CENSUS_API_KEY optional)."""

    source: str = census_source()


def bundled_responses(requests: list[ApiRequest]) -> tuple[pd.DataFrame, list[Path]]:
    frames, files = [], []
    for request in requests:
        path = source_dir() / request.bundled_file
        check_text_file(path, "bundled Census API response")
        data = path.read_bytes()
        try:
            payload = json.loads(data.decode("utf-16" if data.startswith(UTF16_BOMS) else "utf-8-sig"))
        except UnicodeDecodeError as exc:
            raise SourceFileError(f"{path}: not UTF-8 or UTF-16 text at byte {exc.start:,} (rule: a Census API response is "
                                  "JSON text)") from exc
        except json.JSONDecodeError as exc:
            raise SourceFileError(f"{path}: not valid JSON at line {exc.lineno}: {exc.msg}") from exc
        frames.append(tract_values(response_frame(payload, str(path)), request.dataset, request.year, path.name))
        files.append(path)
    return pd.concat(frames, ignore_index=True), files


def live_responses(requests: list[ApiRequest], cache_dir: Path) -> tuple[pd.DataFrame, list[Path]]:
    client = CensusApiClient(cache_dir)
    frames, files = [], []
    for request in requests:
        for county_geoid in registry_counties():
            state, county = county_geoid[:2], county_geoid[2:]
            payload = client.get(request.year, request.dataset, list(request.variables), state, county)
            shown = client.cache_path(request.year, request.dataset, list(request.variables), state, county)
            frames.append(tract_values(response_frame(payload, str(shown)), request.dataset, request.year, shown.name))
            files.append(shown)
    return pd.concat(frames, ignore_index=True), files


def load_api_table(table: str, requests: list[ApiRequest], config: CensusApiConfig,
                   con: duckdb.DuckDBPyConnection, home: Path) -> dict:
    if config.source == "api":
        frame, files = live_responses(requests, home / "cache" / "census_api")
    elif config.source == "bundled":
        frame, files = bundled_responses(requests)
    else:
        raise ValueError(f"census source must be 'bundled' or 'api', not {config.source!r}")

    def create(con: duckdb.DuckDBPyConnection) -> None:
        con.register("incoming", frame)
        con.execute(f"create or replace table raw.{table} as select * from incoming")
        con.unregister("incoming")

    return write_raw_table(con, table, create, ", ".join(str(f) for f in files), files_sha256(files))


def api_table(table: str, requests: list[ApiRequest], description: str, file_description: str) -> CustomTable:
    """A table of Census Data API responses. The recorded responses are watched for changes;
    live answers are refreshed by the weekly schedule instead."""
    return CustomTable(
        table=table,
        group=GROUP,
        description=description,
        file_spec=source_file_spec(table, GROUP, [f"seeds/{r.bundled_file}" for r in requests], file_description),
        files=lambda: [source_dir() / r.bundled_file for r in requests] if census_source() == "bundled" else [],
        load=lambda con, home, config: load_api_table(table, requests, config, con, home),
    )


sources = SourceGroup("census", SOURCES, [
    api_table("census_acs_tract_values", ACS_REQUESTS,
              "ACS 5-year tract estimates from the Census Data API in long form (dataset, year, tract, variable, "
              "value as published). Table B05003: sex by age by nativity and citizenship.",
              "Census Data API responses, ACS 5-year table B05003 (recorded for Tulsa, Osage, Wagoner counties)"),
    api_table("census_decennial_tract_population", DECENNIAL_REQUESTS,
              "Decennial census total population per tract (2010 P001001, 2020 P1_001N) from the Census Data API "
              "in long form.",
              "Census Data API responses, decennial redistricting counts (recorded for the Tulsa counties)"),
], CensusApiConfig)
