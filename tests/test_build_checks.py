"""On the bundled data every check of the full build passes at error level; the warnings that
fail are exactly the known oddities of the published sources, shown but not blocking."""

from dagster import AssetCheckSeverity

from orchestration.quality.checks import CHECK_NAME
from orchestration.quality.suites import load_suites
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
