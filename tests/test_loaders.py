"""Loaders on small files: clear errors for bad input, the official Opportunity Insights wide
format, both Census Data API JSON forms, and the County Health Rankings and SEDA files."""

import json
import shutil
from pathlib import Path

import duckdb
import pytest
from dagster import AssetKey, materialize

from orchestration.ingestion import loading
from orchestration.files.bytes import SourceFileError
from orchestration.ingestion.loading import load_source
from orchestration.engines.build_file import Warehouse
from orchestration.settings import SEEDS_DIR
from orchestration.sources import atlas, county_health_rankings, seda, source_assets
from orchestration.sources.census_api import CensusApiClient, response_frame, tract_values

COUNTY_OUTCOMES = next(s for s in atlas.SOURCES if s.table == "atlas_county_outcomes")
HOUSEHOLD_INCOME = next(s for s in atlas.SOURCES if s.table == "atlas_tract_household_income")
SOCIAL_CAPITAL = next(s for s in atlas.SOURCES if s.table == "atlas_social_capital_county")
TULSA_2020 = "census/tulsa_api/acs5_2020_tract_tulsa_B05003.json"


@pytest.fixture
def sources(tmp_path, monkeypatch):
    """A private copy of the source directory the test may corrupt."""
    copy = tmp_path / "sources"
    copy.mkdir()
    monkeypatch.setenv("MOBILITY_SOURCE_DIR", str(copy))
    return copy


@pytest.fixture
def warehouse(tmp_path):
    return Warehouse(home=str(tmp_path / "home"))


def copy_source(sources, spec):
    target = sources / spec.path
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(_seed(spec.path), target)
    return target


def _seed(relative):
    return SEEDS_DIR / relative


def load(spec, warehouse):
    with warehouse.connect() as con:
        return load_source(spec, con, Path(warehouse.home))


def materialize_raw(warehouse, tables, run_config=None):
    """Runs the source groups' steps for these raw tables, as a job run would."""
    return materialize(source_assets(), selection=[AssetKey(["raw", t]) for t in tables],
                       resources={"warehouse": warehouse}, run_config=run_config, raise_on_error=False)


def raw_count(warehouse, table):
    con = duckdb.connect(str(warehouse.build_db), read_only=True)
    try:
        return con.execute(f"select count(*) from raw.{table}").fetchone()[0]
    finally:
        con.close()


def test_missing_column_names_file_and_column(sources, warehouse):
    path = copy_source(sources, COUNTY_OUTCOMES)
    lines = path.read_text().splitlines()
    header = lines[0].split(",")
    drop = header.index("kfr_pooled_pooled_p25_se")
    path.write_text("\n".join(",".join(c for i, c in enumerate(l.split(",")) if i != drop) for l in lines) + "\n")
    with pytest.raises(SourceFileError) as error:
        load(COUNTY_OUTCOMES, warehouse)
    message = str(error.value)
    assert "county_outcomes_simple.csv" in message
    assert "kfr_pooled_pooled_p25_se" in message and "missing required column" in message


def test_bad_geoid_names_row_column_and_rule_and_keeps_previous_table(sources, warehouse):
    path = copy_source(sources, HOUSEHOLD_INCOME)
    load(HOUSEHOLD_INCOME, warehouse)
    lines = path.read_text(encoding="utf-8-sig").splitlines()
    lines[3] = "4812102152499," + lines[3].split(",", 1)[1]  # a 13-digit tract on data row 3
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(SourceFileError) as error:
        load(HOUSEHOLD_INCOME, warehouse)
    message = str(error.value)
    assert "tract_kfr_rP_gP_p25.csv" in message and "column tract" in message
    assert "data row 3" in message and "exactly 11 digits" in message
    # the failed load rolled back: the previous table and its 73,502 rows are intact
    assert raw_count(warehouse, "atlas_tract_household_income") == 73_502


def test_missing_file_is_named(sources, warehouse):
    with pytest.raises(SourceFileError, match="county_outcomes_simple.csv: file not found"):
        load(COUNTY_OUTCOMES, warehouse)


def test_bad_files_fail_their_group_step_after_the_good_ones_load(sources, warehouse):
    copy_source(sources, SOCIAL_CAPITAL)
    copy_source(sources, HOUSEHOLD_INCOME).write_text("tract,Name\n1001020100,Autauga\n")
    result = materialize_raw(warehouse, ["atlas_social_capital_county", "atlas_tract_household_income",
                                         "atlas_county_outcomes"])
    assert not result.success
    assert [e.asset_key for e in result.get_asset_materialization_events()] == [
        AssetKey(["raw", "atlas_social_capital_county"])]
    assert raw_count(warehouse, "atlas_social_capital_county") == 3_089
    (failure,) = [e for e in result.all_events if e.is_step_failure]
    assert failure.step_key == "raw__atlas"
    error = failure.step_failure_data.error.cause
    assert error.cls_name == "SourceFileError"
    # every bad file of the group is named, with its column and rule
    assert "tract_kfr_rP_gP_p25.csv: missing required column(s) Household_Income_at_Age_35_rP_gP_p25" in error.message
    assert "county_outcomes_simple.csv: file not found" in error.message


def test_a_loader_failing_unexpectedly_stops_only_its_table_and_names_it(sources, warehouse, monkeypatch):
    copy_source(sources, SOCIAL_CAPITAL)
    copy_source(sources, HOUSEHOLD_INCOME)
    readable = loading.utf8_readable

    def unreadable_disk(path, scratch_dir):  # what no file check can foresee
        if path.name == "tract_kfr_rP_gP_p25.csv":
            raise OSError(5, "Input/output error")
        return readable(path, scratch_dir)

    monkeypatch.setattr(loading, "utf8_readable", unreadable_disk)
    result = materialize_raw(warehouse, ["atlas_social_capital_county", "atlas_tract_household_income"])
    assert not result.success
    assert [e.asset_key for e in result.get_asset_materialization_events()] == [
        AssetKey(["raw", "atlas_social_capital_county"])]
    (failure,) = [e for e in result.all_events if e.is_step_failure]
    assert failure.step_failure_data.error.cause.message.endswith(
        "raw.atlas_tract_household_income could not be loaded: OSError: [Errno 5] Input/output error\n")


# -- Official Opportunity Insights wide files -------------------------------------------------

# Synthetic values in the official tract_outcomes_simple.csv schema (marked synthetic in the
# file name); the real file is 74k tracts x thousands of columns and is not bundled.
SYNTHETIC_WIDE = """state,county,tract,kfr_pooled_pooled_p25,kfr_pooled_pooled_p25_se,kfr_pooled_pooled_p75,kfr_pooled_pooled_p75_se,kfr_black_female_p25,kfr_black_female_p25_se,kfr_pooled_pooled_n,kfr_black_female_n
1,1,20100,0.41,0.02,0.55,0.03,0.37,0.05,519,21
6,37,101110,0.47,0.01,0.60,0.02,,,1200,0
"""


def test_official_wide_file_lands_in_long_form(tmp_path, warehouse):
    path = tmp_path / "synthetic_tract_outcomes_simple.csv"
    path.write_text(SYNTHETIC_WIDE)
    result = materialize_raw(warehouse, ["atlas_tract_outcomes"],
                             {"ops": {"raw__atlas": {"config": {"path": str(path)}}}})
    assert result.success
    con = duckdb.connect(str(warehouse.build_db), read_only=True)
    rows = con.execute(
        "select tract_geoid, outcome, race, gender, parent_pctile, estimate, se, count_children "
        "from raw.atlas_tract_outcomes order by all"
    ).fetchall()
    con.close()
    # the empty (suppressed) Black female cells of the second tract produce no row
    assert rows == [
        ("01001020100", "kfr", "black", "female", 25, 0.37, 0.05, 21.0),
        ("01001020100", "kfr", "pooled", "pooled", 25, 0.41, 0.02, 519.0),
        ("01001020100", "kfr", "pooled", "pooled", 75, 0.55, 0.03, 519.0),
        ("06037101110", "kfr", "pooled", "pooled", 25, 0.47, 0.01, 1200.0),
        ("06037101110", "kfr", "pooled", "pooled", 75, 0.60, 0.02, 1200.0),
    ]


@pytest.mark.parametrize(("name", "text", "official", "message"), [
    ("synthetic_tract_outcomes_simple.csv", lambda: SYNTHETIC_WIDE.replace("0.47,0.01", "0.47,n/a"),
     lambda: atlas.TRACT_OUTCOMES, "data row 2 column kfr_pooled_pooled_p25_se has 'n/a'"),
    ("synthetic_analytic_data2024.csv", lambda: SYNTHETIC_CHR.replace("0.7,7,10", "0.7,seven,10"),
     lambda: county_health_rankings.ANALYTIC_DATA, "data row 4 column v021_numerator has 'seven'"),
])
def test_official_files_reject_text_in_a_value_column(tmp_path, warehouse, name, text, official, message):
    path = tmp_path / name
    path.write_text(text())
    with pytest.raises(SourceFileError) as error, warehouse.connect() as con:
        official().load(str(path), con)
    assert name in str(error.value) and message in str(error.value)


def test_no_configured_wide_file_loads_an_empty_table(warehouse, monkeypatch):
    monkeypatch.delenv("MOBILITY_ATLAS_TRACT_OUTCOMES", raising=False)
    with warehouse.connect() as con:
        atlas.TRACT_OUTCOMES.load("", con)
    assert raw_count(warehouse, "atlas_tract_outcomes") == 0


# -- Census Data API -------------------------------------------------------------------------

def as_live_api_form(objects):
    """The live API's list of lists with a header row, built from the stored list of objects."""
    header = list(objects[0].keys())
    return [header] + [[o[h] for h in header] for o in objects]


def test_both_census_json_forms_parse_to_the_same_table():
    stored = json.loads(_seed(TULSA_2020).read_text())
    live = as_live_api_form(stored)
    from_objects = tract_values(response_frame(stored, "stored"), "acs/acs5", 2020, "f")
    from_lists = tract_values(response_frame(live, "live"), "acs/acs5", 2020, "f")
    assert from_objects.equals(from_lists)
    assert len(from_objects) == 3 * len(stored)
    first = from_objects.iloc[0]
    assert (first["tract_geoid"], first["variable"], first["value"]) == ("40143000200", "B05003_001E", stored[0]["B05003_001E"])


def test_census_response_with_ragged_rows_is_rejected():
    with pytest.raises(SourceFileError, match="as many cells as the header"):
        response_frame([["NAME", "B01001_001E", "state", "county", "tract"], ["x", "1", "40"]], "resp.json")


class RecordedApi:
    """Answers with a recorded response and remembers what was asked."""

    def __init__(self, body: bytes):
        self.body = body
        self.urls = []

    def __call__(self, url):
        self.urls.append(url)
        return self.body


def test_api_client_builds_the_request_and_caches_the_response(tmp_path):
    recorded = (_recorded("acs5_2020_B05003_tulsa_county.json")).read_bytes()
    api = RecordedApi(recorded)
    client = CensusApiClient(tmp_path / "cache", key="KEY123", fetch=api)
    variables = ["B05003_001E", "B05003_003E", "B05003_014E"]
    first = client.get(2020, "acs/acs5", variables, "40", "143")
    second = client.get(2020, "acs/acs5", variables, "40", "143")
    assert first == second == json.loads(recorded)
    assert len(api.urls) == 1  # the second answer came from the disk cache
    assert api.urls[0] == (
        "https://api.census.gov/data/2020/acs/acs5?get=NAME%2CB05003_001E%2CB05003_003E%2CB05003_014E"
        "&for=tract%3A%2A&in=state%3A40+county%3A143&key=KEY123"
    )
    assert "KEY123" not in client.cache_path(2020, "acs/acs5", variables, "40", "143").name


def test_api_client_reports_a_non_json_answer(tmp_path):
    client = CensusApiClient(tmp_path, fetch=RecordedApi(b"error: unknown variable 'B05003_999E'"))
    with pytest.raises(SourceFileError, match="did not answer JSON: \"error: unknown variable"):
        client.get(2020, "acs/acs5", ["B05003_999E"], "40", "143")
    assert not list(tmp_path.glob("*.json"))  # nothing cached


def test_census_asset_in_api_mode_loads_every_registry_county(tmp_path, warehouse, monkeypatch):
    recorded = _recorded("acs5_2020_B05003_tulsa_county.json").read_bytes()
    api = RecordedApi(recorded)
    monkeypatch.setattr("orchestration.sources.census_api._http_get", api)
    result = materialize_raw(warehouse, ["census_acs_tract_values"], {"ops": {"raw__census": {"config": {"source": "api"}}}})
    assert result.success
    # 2 years x 14 registry counties; the recorded answer is Tulsa County's 2020 response
    assert len(api.urls) == 2 * 14
    tracts = len(json.loads(recorded)) - 1
    assert raw_count(warehouse, "census_acs_tract_values") == 28 * tracts * 3


def _recorded(name):
    return Path(__file__).parent / "fixtures" / "census_api" / name


# -- County Health Rankings analytic data and SEDA county long files --------------------------
# Small files in the documented layouts; every value is synthetic (so are the county names).

SYNTHETIC_CHR_LABELS = ("State FIPS Code,County FIPS Code,5-digit FIPS Code,State Abbreviation,Name,Release Year,"
                        "High School Graduation raw value,High School Graduation numerator,"
                        "High School Graduation denominator,High School Graduation CI low,High School Graduation CI high,"
                        "Reading Scores raw value,Reading Scores numerator,Reading Scores denominator,Reading Scores CI low,"
                        "Reading Scores CI high,Reading Scores (Black),Reading Scores (White),Some College raw value,"
                        "Some College numerator,Some College denominator,Some College CI low,Some College CI high,"
                        "Premature Death flag (0 = No Flag/1=Unreliable/2=Suppressed)")
SYNTHETIC_CHR = SYNTHETIC_CHR_LABELS + """
statecode,countycode,fipscode,state,county,year,v021_rawvalue,v021_numerator,v021_denominator,v021_cilow,v021_cihigh,v159_rawvalue,v159_numerator,v159_denominator,v159_cilow,v159_cihigh,v159_race_black,v159_race_white,v069_rawvalue,v069_numerator,v069_denominator,v069_cilow,v069_cihigh,v001_flag
00,000,00000,US,United States,2024,0.9,,,,,3.0,,,,,2.8,3.2,0.6,,,,,0
39,000,39000,OH,Ohio,2024,0.85,,,,,3.1,,,,,2.7,3.3,0.62,,,,,0
39,061,39061,OH,Synthetic Hamilton County,2024,0.8,8000,10000,0.79,0.81,2.9,,,2.8,3.0,2.5,3.2,0.55,5500,10000,0.54,0.56,1
39,113,39113,OH,Synthetic Montgomery County,2024,0.7,7,10,0.4,0.9,,,,,,,,0.5,500,1000,0.47,0.53,
"""

SYNTHETIC_SEDA = """sedacounty,sedacountyname,fips,stateabb,subject,grade,year,gcs_mn_all,gcs_mn_se_all,tot_asmt_all,gcs_mn_blk,gcs_mn_se_blk,tot_asmt_blk,gcs_mn_wht,gcs_mn_se_wht,tot_asmt_wht,gcs_mn_wbg,flag_estasmt_all
39061,Synthetic Hamilton County,39,OH,rla,3,2019,2.75,0.05,9000,2.25,0.1,5,3.25,0.08,4000,1.0,0
39061,Synthetic Hamilton County,39,OH,mth,8,2019,7.5,0.1,8000,,,,8.0,0.12,3500,,0
39061,Synthetic Hamilton County,39,OH,rla,4,2019,3.9,0.05,9000,,,,,,,,0
"""


def load_optional(warehouse, step, table, path):
    result = materialize_raw(warehouse, [table], {"ops": {step: {"config": {"path": str(path)}}}})
    assert result.success
    con = duckdb.connect(str(warehouse.build_db), read_only=True)
    try:
        return con.execute(f"select * exclude (source_file) from raw.{table} order by all").fetchall()
    finally:
        con.close()


def test_county_health_rankings_file_lands_in_long_form(tmp_path, warehouse):
    path = tmp_path / "synthetic_analytic_data2024.csv"
    path.write_text(SYNTHETIC_CHR)
    rows = load_optional(warehouse, "raw__county_health_rankings", "chr_county_measures", path)
    # national and state rows are left out; empty cells and flags produce nothing
    assert rows == [
        ("39061", 2024, "v021", "all", 0.8, 0.79, 0.81, 8000.0, 10000.0),
        ("39061", 2024, "v069", "all", 0.55, 0.54, 0.56, 5500.0, 10000.0),
        ("39061", 2024, "v159", "all", 2.9, 2.8, 3.0, None, None),
        ("39061", 2024, "v159", "black", 2.5, None, None, None, None),
        ("39061", 2024, "v159", "white", 3.2, None, None, None, None),
        ("39113", 2024, "v021", "all", 0.7, 0.4, 0.9, 7.0, 10.0),
        ("39113", 2024, "v069", "all", 0.5, 0.47, 0.53, 500.0, 1000.0),
    ]


def test_county_health_rankings_file_with_one_header_row_reads_too(tmp_path, warehouse):
    path = tmp_path / "synthetic_analytic_data2024.csv"
    path.write_text(SYNTHETIC_CHR.split("\n", 1)[1])
    assert len(load_optional(warehouse, "raw__county_health_rankings", "chr_county_measures", path)) == 7




def test_seda_county_long_file_lands_in_long_form(tmp_path, warehouse):
    path = tmp_path / "synthetic_seda_county_long_gcs.csv"
    path.write_text(SYNTHETIC_SEDA)
    rows = load_optional(warehouse, "raw__seda", "seda_county_scores", path)
    # the White-Black gap column (wbg) and flags are not subgroups
    assert rows == [
        ("39061", "mth", 8, 2019, "all", 7.5, 0.1, 8000.0),
        ("39061", "mth", 8, 2019, "wht", 8.0, 0.12, 3500.0),
        ("39061", "rla", 3, 2019, "all", 2.75, 0.05, 9000.0),
        ("39061", "rla", 3, 2019, "blk", 2.25, 0.1, 5.0),
        ("39061", "rla", 3, 2019, "wht", 3.25, 0.08, 4000.0),
        ("39061", "rla", 4, 2019, "all", 3.9, 0.05, 9000.0),
    ]


def test_seda_district_file_is_rejected_naming_the_missing_column(tmp_path, warehouse):
    path = tmp_path / "synthetic_seda_admindist_long_gcs.csv"
    path.write_text(SYNTHETIC_SEDA.replace("sedacounty,", "sedaadmin,", 1))
    with pytest.raises(SourceFileError) as error, warehouse.connect() as con:
        seda.COUNTY_LONG.load(str(path), con)
    assert "synthetic_seda_admindist_long_gcs.csv: missing required column(s) sedacounty" in str(error.value)


def test_no_configured_official_files_load_empty_tables(warehouse, monkeypatch):
    monkeypatch.delenv("MOBILITY_CHR_ANALYTIC_DATA", raising=False)
    monkeypatch.delenv("MOBILITY_SEDA_COUNTY_LONG", raising=False)
    result = materialize_raw(warehouse, ["chr_county_measures", "seda_county_scores"])
    assert result.success
    assert raw_count(warehouse, "chr_county_measures") == raw_count(warehouse, "seda_county_scores") == 0
