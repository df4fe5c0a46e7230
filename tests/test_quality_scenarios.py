"""A corrupted copy of a real input for each class of rule: the check fails naming the column
and the rule, nothing downstream is materialized, and the analysts' file is unchanged."""

import pytest
from dagster import AssetCheckSeverity

from quality_scenarios import home_from, printed_progress, run_downstream_of, seed_text, seeds_with, sha256

ATLAS = "opportunity_atlas/tract_kfr_rP_gP_p25.csv"


@pytest.fixture
def scenario(built_warehouse, tmp_path, monkeypatch):
    """Point the warehouse (and dbt's profile) at a fresh home and the sources at a corrupted copy."""

    def prepare(relative: str, text: str):
        home = home_from(built_warehouse, tmp_path)
        monkeypatch.setenv("MOBILITY_HOME", str(home))
        monkeypatch.setenv("MOBILITY_SOURCE_DIR", str(seeds_with(tmp_path, relative, text)))
        return home

    return prepare


def failed_summary(evaluation) -> str:
    return " ".join(str(v.value) for k, v in evaluation.metadata.items() if k.startswith("failed_"))


def assert_blocked(outcome, check_asset: str, column: str, rule: str, not_materialized: list[str]):
    evaluation = outcome.checks[check_asset]
    assert not evaluation.passed
    assert evaluation.severity == AssetCheckSeverity.ERROR
    text = failed_summary(evaluation)
    assert f"column {column}" in text and rule in text, text
    assert evaluation.description and rule in evaluation.description
    for key in not_materialized:
        assert key not in outcome.materialized, f"{key} was materialized after a failed check"
    assert "publish" not in outcome.materialized
    assert not outcome.success


def test_duplicate_geoid_blocks_staging_and_publish(scenario):
    lines = seed_text(ATLAS).splitlines()
    home = scenario(ATLAS, "\n".join([*lines, lines[1]]) + "\n")  # the first tract twice
    before = sha256(home / "mobility.duckdb")

    outcome = run_downstream_of("atlas_tract_household_income", home)

    assert_blocked(outcome, "raw/atlas_tract_household_income", "tract", "primary key tract is unique",
                   ["staging/stg_atlas__tract_household_income"])
    assert "raw/atlas_tract_household_income" in outcome.materialized  # loaded, audited, refused
    rows = outcome.checks["raw/atlas_tract_household_income"].metadata["failed_1_rows"].value
    assert [r["tract"] for r in rows] == [lines[1].split(",")[0].strip('"').zfill(11)] * 2
    assert sha256(home / "mobility.duckdb") == before

    # The build's output: a line for the check step, then the broken rule and where it is declared.
    printed = printed_progress(outcome)
    (step_line,) = [line for line in printed.splitlines() if line.strip().startswith("raw_expectations")]
    assert "1 failed" in step_line
    failed = printed.split("Failed:")[1]
    assert "raw/atlas_tract_household_income: [error] column tract: primary key tract is unique" in failed
    assert "2 unexpected" in failed
    assert "declared in dbt_project/models/staging/atlas/_atlas__sources.yml" in failed
    assert "Traceback" not in printed and "Full log: build.log" in printed


def test_out_of_range_dollars_block(scenario):
    lines = seed_text(ATLAS).splitlines()
    header, first = lines[0], lines[1].split(",")
    first[-1] = "5000000"  # $5M: a unit fault, not a plausible tract mean
    home = scenario(ATLAS, "\n".join([header, ",".join(first), *lines[2:]]) + "\n")
    before = sha256(home / "mobility.duckdb")

    outcome = run_downstream_of("atlas_tract_household_income", home)

    assert_blocked(outcome, "raw/atlas_tract_household_income", "Household_Income_at_Age_35_rP_gP_p25",
                   "between $0 and $2,000,000", ["staging/stg_atlas__tract_household_income"])
    assert sha256(home / "mobility.duckdb") == before


def test_missing_column_blocks(scenario):
    relative = "geography/tracts_by_place_centroid_USA_t2010_p2021.csv"
    lines = seed_text(relative).splitlines()
    drop = lines[0].split(",").index("TR_VINTAGE")
    text = "\n".join(",".join(c for i, c in enumerate(line.split(",")) if i != drop) for line in lines) + "\n"
    home = scenario(relative, text)
    before = sha256(home / "mobility.duckdb")

    outcome = run_downstream_of("geo_tract_place_2010", home)

    # The loader requires every column the dbt source declares: the table is never replaced.
    (failure,) = [f for f in outcome.failures if "tracts_by_place_centroid_USA_t2010_p2021.csv" in f]
    assert "missing required column(s) TR_VINTAGE" in failure and "geo_tract_place_2010 needs columns" in failure
    printed = printed_progress(outcome)
    assert "raw__geography" in printed.split("Failed:")[0] and "FAILED" in printed.split("Failed:")[0]
    reported = printed.split("Failed:")[1]
    assert "tracts_by_place_centroid_USA_t2010_p2021.csv: missing required column(s) TR_VINTAGE" in reported
    assert "Traceback" not in reported and 'File "' not in reported
    for key in ("raw/geo_tract_place_2010", "staging/stg_geography__tract_place_2010", "marts/dim_city", "publish"):
        assert key not in outcome.materialized
    assert sha256(home / "mobility.duckdb") == before


def test_broken_foreign_key_stops_the_models(scenario):
    relative = "city_registry.csv"
    text = seed_text(relative).replace("55101", "55999")  # Racine's county: no such county
    home = scenario(relative, text)
    before = sha256(home / "mobility.duckdb")

    outcome = run_downstream_of("city_registry", home)

    assert "raw/city_registry" in outcome.materialized  # well-formed: the break is across tables
    evaluation = outcome.checks["raw/city_registry"]
    assert not evaluation.passed and evaluation.severity == AssetCheckSeverity.ERROR
    assert "every county in county_geoids is a known county" in failed_summary(evaluation)
    assert evaluation.metadata["failed_1_rows"].value[0]["city_name"] == "Racine"
    assert "staging/stg_registry__cities" not in outcome.materialized  # no model ran
    assert "marts/dim_city" not in outcome.materialized
    assert "publish" not in outcome.materialized
    assert sha256(home / "mobility.duckdb") == before


def test_big_row_drop_against_published_version(scenario):
    relative = "geography/tract2020_centers_of_population_national.csv"
    lines = seed_text(relative).splitlines()
    kept = lines[: 1 + (len(lines) - 1) // 10]  # a tenth of the 85,395 tracts
    home = scenario(relative, "\n".join(kept) + "\n")
    before = sha256(home / "mobility.duckdb")

    outcome = run_downstream_of("geo_tract_centers_2020", home)

    evaluation = outcome.checks["raw/geo_tract_centers_2020"]
    assert not evaluation.passed and evaluation.severity == AssetCheckSeverity.ERROR
    assert evaluation.metadata["published_row_count"].value == 85_395
    assert "row count is not down more than 20% from the published version" in failed_summary(evaluation)
    assert "observed 8539" in failed_summary(evaluation)
    assert "staging/stg_geography__tract_centers_2020" not in outcome.materialized
    assert "publish" not in outcome.materialized
    assert sha256(home / "mobility.duckdb") == before


def test_warning_is_shown_and_does_not_block_publish(scenario):
    """The bundled Atlas export itself has two tracts at $1,062,314: a warning, published anyway."""
    home = scenario(ATLAS, seed_text(ATLAS))
    before = sha256(home / "mobility.duckdb")

    outcome = run_downstream_of("atlas_tract_household_income", home)

    evaluation = outcome.checks["raw/atlas_tract_household_income"]
    assert not evaluation.passed and evaluation.severity == AssetCheckSeverity.WARN
    assert evaluation.metadata["count_failed_errors"].value == 0
    assert evaluation.metadata["count_failed_warnings"].value == 1
    assert "2 unexpected" in failed_summary(evaluation) and "1062314" in failed_summary(evaluation)
    assert {"staging/stg_atlas__tract_household_income", "publish"} <= outcome.materialized
    assert outcome.success
    assert sha256(home / "mobility.duckdb") != before  # a new version was published
