"""On the bundled data every check of the full build passes at error level; the warnings that
fail are exactly the known oddities of the published sources, shown but not blocking."""

from dagster import AssetCheckSeverity

from orchestration.quality.checks import CHECK_NAME, balanced_groups
from orchestration.quality.suites import Rule, Suite, load_suites
from orchestration.settings import EXPECTATIONS_DIR

# Published values kept as published: two Atlas tracts top-coded at $1,062,314 (one lies in a
# place, so tract_opportunity shows it too), ACS annotation codes in the Hamilton County margins
# of error, and the bundled pilots being synthetic.
KNOWN_WARNINGS = {
    "raw/atlas_tract_household_income",
    "marts/tract_opportunity",
    "raw/census_hamilton_acs_measures",
    "marts/what_works",
}


def evaluations(build_run):
    """The Great Expectations checks (dbt's own tests run as checks of other names)."""
    return {"/".join(e.asset_key.path): e for e in build_run.get_asset_check_evaluations() if e.check_name == CHECK_NAME}


def test_every_suite_was_evaluated_in_the_build(build_run):
    assert set(evaluations(build_run)) == {"/".join(s.asset_path) for s in load_suites(EXPECTATIONS_DIR)}


def test_only_the_known_warnings_fail_and_none_blocks(build_run):
    failed = {key: e for key, e in evaluations(build_run).items() if not e.passed}
    assert set(failed) == KNOWN_WARNINGS
    assert {e.severity for e in failed.values()} == {AssetCheckSeverity.WARN}


def test_top_coded_atlas_incomes_are_named_in_the_warning(build_run):
    warning = evaluations(build_run)["raw/atlas_tract_household_income"]
    assert warning.description.startswith("[warning] column Household_Income_at_Age_35_rP_gP_p25")
    assert "2 unexpected" in warning.description and "1062314" in warning.description


def suite(table: str, rules: int) -> Suite:
    rule = Rule(type="expect_column_values_to_not_be_null", kwargs={"column": "x"}, severity="error", rule="x")
    return Suite(schema="raw", table=table, description="", rules=(rule,) * rules, files=())


def test_check_processes_share_the_large_tables_by_their_rows():
    suites = [suite("outcomes", 2), suite("services", 2), suite("registry", 20), suite("tracts", 20), suite("places", 20)]
    # Estimated seconds: 0.14 + 0.017 x rules + 0.34 per million rows = 5.61, 1.87, 0.48, 0.48, 0.48.
    rows = [16_000_000, 5_000_000, 100, 100, 100]
    groups = [[s.table for s in g] for g in balanced_groups(suites, rows, 2)]
    assert groups == [["outcomes"], ["services", "registry", "tracts", "places"]]
    # Before any publish no table has a count: by expectations alone (0.17 s for 2, 0.48 s for 20).
    groups = [[s.table for s in g] for g in balanced_groups(suites, [None] * 5, 2)]
    assert groups == [["registry", "places"], ["tracts", "outcomes", "services"]]
    assert [[s.table for s in g] for g in balanced_groups(suites[:1], rows[:1], 4)] == [["outcomes"]]
