"""Raw ingestion on the bundled data: every row arrives, GEOIDs are padded, quirks handled."""

import csv
import json

import pytest

from orchestration.settings import source_dir
from orchestration.sources import source_groups

CSV_SOURCES = [s for group in source_groups() for s in group.files if s.reader == "csv"]
LABEL_ROWS = {"geo_county_place_2018": 1}  # Geocorr's second header row of labels is not data


def data_rows(path) -> int:
    """Records in a CSV file, counted by Python's csv module (not by DuckDB), minus the header."""
    with open(path, newline="", encoding="latin-1") as handle:
        return sum(1 for _ in csv.reader(handle)) - 1


@pytest.mark.parametrize("spec", CSV_SOURCES, ids=lambda s: s.table)
def test_raw_row_count_equals_data_rows_of_file(spec, warehouse_sql):
    expected = data_rows(source_dir() / spec.path) - LABEL_ROWS.get(spec.table, 0)
    loaded = warehouse_sql.execute(f"select count(*) from raw.{spec.table}").fetchone()[0]
    assert loaded == expected


def test_household_income_file_has_every_us_tract(warehouse_sql):
    assert warehouse_sql.execute("select count(*) from raw.atlas_tract_household_income").fetchone()[0] == 73_502


def test_json_sources_keep_every_record(warehouse_sql):
    records = len(json.loads((source_dir() / "census/hamilton_acs/acs_measures_2023_tract2020.json").read_text()))
    assert warehouse_sql.execute("select count(*) from raw.census_hamilton_acs_2023").fetchone()[0] == records == 226
    tulsa = ["acs5_2015_tract_tulsa_B05003.json", "acs5_2020_tract_tulsa_B05003.json"]
    tracts = sum(len(json.loads((source_dir() / "census/tulsa_api" / f).read_text())) for f in tulsa)
    # three variables per tract and year
    assert warehouse_sql.execute("select count(*) from raw.census_acs_tract_values").fetchone()[0] == 3 * tracts


def test_alabama_tract_geoid_keeps_its_leading_zero(warehouse_sql):
    # The Atlas export stores Autauga County tract 020100 as the integer 1001020100.
    row = warehouse_sql.execute(
        "select tract, Household_Income_at_Age_35_rP_gP_p25 from raw.atlas_tract_household_income "
        "where tract = '01001020100'"
    ).fetchone()
    assert row is not None and len(row[0]) == 11
    assert warehouse_sql.execute(
        "select tract_geoid, county_geoid from staging.stg_opportunity_insights__tract_race_income_rank "
        "where tract_geoid = '01001020100'"
    ).fetchone() == ("01001020100", "01001")


def test_california_geoids_are_padded_at_every_level(warehouse_sql):
    # Los Angeles County is 06037; Los Angeles city is place 0644000.
    assert warehouse_sql.execute(
        "select count(*) from staging.stg_atlas__county_outcomes where county_geoid = '06037'"
    ).fetchone()[0] == 1
    assert warehouse_sql.execute(
        "select count(*) from staging.stg_atlas__social_capital_county where county_geoid = '06037'"
    ).fetchone()[0] == 1
    assert warehouse_sql.execute(
        "select place_name from staging.stg_census__place_population where place_geoid = '0644000' and year = 2020"
    ).fetchone()[0].startswith("Los Angeles")
    tracts = warehouse_sql.execute(
        "select count(*), min(length(tract_geoid)), max(length(tract_geoid)) "
        "from staging.stg_geography__tract_place_2010 where tract_geoid like '06%'"
    ).fetchone()
    assert tracts[0] > 7000 and tracts[1] == tracts[2] == 11


@pytest.mark.parametrize(
    "model, column, width",
    [
        ("stg_atlas__tract_household_income", "tract_geoid", 11),
        ("stg_geography__tract_centers_2020", "tract_geoid", 11),
        ("stg_census__county_population", "county_geoid", 5),
        ("stg_urban__income", "place_geoid", 7),
        ("stg_geography__county_place_2018", "county_geoid", 5),
        ("stg_registry__cities", "city_geoid", 7),
    ],
)
def test_geoids_have_the_width_of_their_level(model, column, width, warehouse_sql):
    bad = warehouse_sql.execute(
        f"select count(*) from staging.{model} where not regexp_full_match({column}, '[0-9]{{{width}}}')"
    ).fetchone()[0]
    assert bad == 0


def test_mixed_latin1_and_utf8_county_names_decode(warehouse_sql):
    names = warehouse_sql.execute(
        "select distinct county_name from staging.stg_census__county_population where county_geoid = '35013'"
    ).fetchall()
    assert names == [("Doña Ana County",)]


def test_latin1_geocorr_file_decodes_and_skips_label_row(warehouse_sql):
    assert warehouse_sql.execute(
        "select place_name from staging.stg_geography__county_place_2018 where place_geoid = '0639003'"
    ).fetchone()[0] == "La Cañada Flintridge city, CA"
    assert warehouse_sql.execute(
        "select count(*) from raw.geo_county_place_2018 where county14 like 'County%'"
    ).fetchone()[0] == 0


def test_load_is_recorded_with_file_hash(warehouse_sql):
    row = warehouse_sql.execute(
        "select source_file, length(sha256), row_count from raw._ingest_log "
        "where table_name = 'atlas_tract_household_income' order by loaded_at desc limit 1"
    ).fetchone()
    assert row[0].endswith("tract_kfr_rP_gP_p25.csv") and row[1] == 64 and row[2] == 73_502


def test_registry_holds_the_nine_cities(warehouse_sql):
    rows = warehouse_sql.execute(
        "select city_geoid, city_name, county_geoids from marts.dim_city order by city_geoid"
    ).fetchall()
    assert [r[1] for r in rows] == ["New Orleans", "Detroit", "Lansing", "Newark", "Rochester", "Cincinnati",
                                    "Dayton", "Tulsa", "Racine"]
    assert dict((r[1], r[2]) for r in rows)["Tulsa"] == ["40143", "40113", "40131", "40145"]
