"""GEOIDs at every level keep their leading zeros from file to staging model, and a malformed one
is never padded into a valid-looking one.

Levels and their widths: state 2, county 5, place 7, tract 11, block group 12; the parts files
carry separately: county FIPS 3, place FIPS 5, tract code 6. Loaders pad with `ingest.pad` (SQL)
or `str.zfill` (Python); staging macros put parts together or take them apart.
"""

import csv
import re
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dbt_sql import render
from orchestration.files.bytes import SourceFileError
from orchestration.ingestion.loading import check_geoids, load_source, pad
from orchestration.sources import geography, urban_metrics
from orchestration.sources.census_api import tract_values

WIDTHS = {"state": 2, "county FIPS": 3, "county": 5, "place FIPS": 5, "tract code": 6, "place": 7, "tract": 11,
          "block group": 12}

width = st.sampled_from(sorted(set(WIDTHS.values())))
state = st.integers(1, 78)
county = st.integers(1, 999)
tract = st.integers(1, 999_999)
place = st.integers(1, 99_999)


@pytest.fixture(scope="module")
def con():
    con = duckdb.connect()
    con.execute("set threads = 1")  # a few rows per example: threads only add overhead
    yield con
    con.close()


def padded(con: duckdb.DuckDBPyConnection, values: list, sql_type: str, w: int) -> list:
    con.execute(f"create or replace table t as select unnest(?::{sql_type}[]) as v", [values])
    return [r[0] for r in con.execute(f"select {pad('v', w)} from t").fetchall()]


@settings(max_examples=60)
@given(width.flatmap(lambda w: st.tuples(st.just(w), st.lists(st.integers(0, 10**w - 1), min_size=1, max_size=20))))
def test_an_integer_typed_geoid_gets_its_leading_zeros_back(con, case):
    w, numbers = case
    assert padded(con, numbers, "bigint", w) == [f"{n:0{w}d}" for n in numbers]
    # The Python loaders pad text the same way.
    assert padded(con, [str(n) for n in numbers], "varchar", w) == [str(n).zfill(w) for n in numbers]


GEOID_TEXT = st.text(st.sampled_from("0123456789 -.aO\u0663\uff11"), max_size=14)


@settings(max_examples=80)
@given(width, st.lists(GEOID_TEXT, min_size=1, max_size=12))
def test_the_loader_accepts_exactly_the_values_that_are_1_to_width_ascii_digits(con, w, values):
    """Padding never turns a malformed value (empty, letters, spaces, other scripts' digits,
    too long) into a GEOID that passes the width check."""
    con.execute(f"create or replace table raw_t as select {pad('v', w)} as v from (select unnest(?::varchar[]) as v)", [values])
    bad = [(row, value) for row, value in enumerate(values, start=1) if not re.fullmatch(f"[0-9]{{1,{w}}}", value)]
    if not bad:
        check_geoids(con, "raw_t", {"v": w}, "t.csv")
        return
    with pytest.raises(SourceFileError) as error:
        check_geoids(con, "raw_t", {"v": w}, "t.csv")
    # The report shows the first three as loaded: left-padded with zeros to the width, if shorter.
    shown = [(row, value.rjust(w, "0") if value else value) for row, value in bad[:3]]
    assert str(error.value) == (f"t.csv: column v breaks rule 'GEOID of exactly {w} digits': "
                                + "; ".join(f"data row {r} has {v!r}" for r, v in shown))


@pytest.fixture(scope="module")
def source_dir(tmp_path_factory):
    """A source directory of generated files in place of seeds/ for this module's tests."""
    directory = tmp_path_factory.mktemp("sources")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("MOBILITY_SOURCE_DIR", str(directory))
        yield directory


def write_csv(path: Path, header: list[str], rows: list[list]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows([header, *rows])


def load_and_stage(con, spec, home: Path, macro_call: str) -> list[tuple]:
    """The real loader (read, pad, check) into raw, then the staging macro on it, in DuckDB."""
    load_source(spec, con, home)
    con.execute(f"create or replace view {spec.table} as select * from raw.{spec.table}")
    return con.execute(render(macro_call)).fetchall()


@settings(max_examples=40)
@given(st.lists(st.tuples(state, county, tract, place), min_size=1, max_size=15, unique=True))
def test_tracts_and_places_survive_a_file_that_dropped_their_leading_zeros(con, source_dir, tmp_path_factory, rows):
    """The tract-to-place crosswalk as a spreadsheet saves it (GEOIDs as numbers) loads and stages
    into 11-digit tracts, 5-digit counties and 7-digit places."""
    spec = geography.tract_place(2010)
    write_csv(source_dir / spec.path, ["TRACTID", "TR_VINTAGE", "PLACEID", "PLACE", "PLACE_TYPE", "STATE", "COUNTY"],
              [[int(f"{s}{c:03d}{t:06d}"), 2010, p, "Somewhere", "city", "XX", "Some County"] for s, c, t, p in rows])
    staged = load_and_stage(con, spec, tmp_path_factory.getbasetemp(), "{{ stg_geography__tract_place(2010) }}")
    assert [(r[0], r[2], r[3], r[7]) for r in staged] == [
        (f"{s:02d}{c:03d}{t:06d}", f"{s:02d}{p:05d}", f"{p:05d}", f"{s:02d}{c:03d}") for s, c, t, p in rows]


@settings(max_examples=40)
@given(st.lists(st.tuples(state, county, tract), min_size=1, max_size=15, unique=True))
def test_tract_centres_put_state_and_county_together(con, source_dir, tmp_path_factory, rows):
    spec = geography.tract_centers(2020)
    write_csv(source_dir / spec.path, ["STATEFP", "COUNTYFP", "TRACTCE", "GEOID", "POPULATION", "LATITUDE", "LONGITUDE"],
              [[s, c, t, int(f"{s}{c:03d}{t:06d}"), 1000, 36.1, -95.9] for s, c, t in rows])
    staged = load_and_stage(con, spec, tmp_path_factory.getbasetemp(), "{{ stg_geography__tract_centers(2020) }}")
    assert [(r[0], r[1], r[2]) for r in staged] == [
        (f"{s:02d}{c:03d}{t:06d}", f"{s:02d}{c:03d}", f"{s:02d}") for s, c, t in rows]


@settings(max_examples=40)
@given(st.lists(st.tuples(state, place), min_size=1, max_size=15, unique=True))
def test_urban_places_are_state_and_place_fips(con, source_dir, tmp_path_factory, rows):
    spec = next(s for s in urban_metrics.SOURCES if s.table == "urban_income")
    income = ["pctl_income_20", "pctl_income_50", "pctl_income_80"]
    write_csv(source_dir / spec.path, ["year", "state", "place", *income, *(f"{c}_quality" for c in income)],
              [[2021, s, p, 25000, 50000, 90000, 1, 1, 2] for s, p in rows])
    staged = load_and_stage(con, spec, tmp_path_factory.getbasetemp(), "{{ stg_urban__place_metrics('urban_income') }}")
    assert [r[0] for r in staged] == [f"{s:02d}{p:05d}" for s, p in rows]


@settings(max_examples=60)
@given(st.lists(st.tuples(state, county, tract), min_size=1, max_size=10))
def test_census_api_tracts_are_11_digits_from_unpadded_parts(rows):
    frame = pd.DataFrame([[str(s), str(c), str(t), "17"] for s, c, t in rows],
                         columns=["state", "county", "tract", "B01001_001E"], dtype="string")
    long = tract_values(frame, "acs/acs5", 2023, "response.json")
    assert list(long["tract_geoid"]) == [f"{s:02d}{c:03d}{t:06d}" for s, c, t in rows]

