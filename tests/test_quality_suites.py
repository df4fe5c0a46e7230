"""Suites come from the rules declared in the dbt YAML plus the hand-written files in
expectations/; nothing is skipped silently, and no rule is written by hand that has a
declarative home."""

import json
import shutil
from pathlib import Path

import pytest

from orchestration import settings
from orchestration.quality.checks import expectation_checks
from orchestration.quality.suites import SuiteError, load_suites


def test_every_raw_table_and_mart_has_a_suite_and_no_staging_view_is_rechecked():
    from orchestration.definitions import warehouse_definitions

    keys = {tuple(k.path) for a in warehouse_definitions().assets for k in getattr(a, "keys", [])}
    suites = {tuple(s.asset_path) for s in load_suites(settings.EXPECTATIONS_DIR)}
    for layer in ("raw", "marts"):
        missing = {k for k in keys if k[0] == layer} - suites
        assert not missing, f"{layer} assets without a suite: {sorted(missing)}"
    assert not {s for s in suites if s[0] in ("staging", "intermediate")}


def test_hand_written_rules_are_only_cross_table_sql_or_warnings():
    for path in sorted(settings.EXPECTATIONS_DIR.rglob("*.json")):
        for expectation in json.loads(path.read_text())["expectations"]:
            query = expectation["kwargs"].get("unexpected_rows_query", "")
            cross_table = any(f"{schema}." in query for schema in ("raw", "staging", "marts"))
            assert cross_table or expectation["meta"]["severity"] == "warning", (path.name, expectation["meta"]["rule"])


def test_every_suite_becomes_a_blocking_check():
    from orchestration.definitions import warehouse_definitions

    suites = load_suites(settings.EXPECTATIONS_DIR)
    specs = [spec for check in warehouse_definitions().asset_checks for spec in check.check_specs]
    assert len(specs) == len(suites)
    assert all(spec.blocking for spec in specs)


def suite(tmp_path: Path, relative: str, document) -> Path:
    directory = tmp_path / "expectations"
    shutil.copytree(settings.EXPECTATIONS_DIR / "marts", directory / "marts")
    path = directory / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(document if isinstance(document, str) else json.dumps(document))
    return directory


GOOD = {"type": "expect_column_values_to_not_be_null", "kwargs": {"column": "city_geoid"},
        "meta": {"severity": "error", "rule": "city_geoid is always present"}}


def test_suite_for_missing_asset_is_an_error_at_load(tmp_path):
    from orchestration.definitions import warehouse_definitions

    directory = suite(tmp_path, "marts/dim_citty.json", {"name": "marts.dim_citty", "expectations": [GOOD]})
    with pytest.raises(SuiteError, match=r"dim_citty\.json \(asset marts/dim_citty\)"):
        expectation_checks(warehouse_definitions().assets, directory)


@pytest.mark.parametrize(
    ("relative", "document", "message"),
    [
        ("marts/notes.txt", "hello", "not a suite file"),
        ("dim_city.json", {"name": "dim_city", "expectations": [GOOD]}, "not a suite file"),
        ("marts/x.json", "{bad json", "invalid JSON at line 1"),
        ("marts/x.json", {"name": "marts.y", "expectations": [GOOD]}, "the name must be 'marts.x'"),
        ("marts/x.json", {"name": "marts.x", "expectations": [{**GOOD, "meta": {"rule": "r"}}]}, "meta.severity"),
        ("marts/x.json", {"name": "marts.x", "expectations": [{**GOOD, "meta": {"severity": "error"}}]}, "meta.rule"),
        ("marts/x.json", {"name": "marts.x", "expectations": [{**GOOD, "type": "expect_column_to_be_pretty"}]},
         "not a Great Expectations expectation type"),
        ("marts/x.json", {"name": "marts.x", "expectations": [{
            "type": "expect_table_row_count_to_be_between", "kwargs": {"min_value": {"$PARAMETER": "last_count * 0.8"}},
            "meta": {"severity": "error", "rule": "r"}}]}, "unknown parameter"),
    ],
)
def test_malformed_files_are_errors_naming_the_file(tmp_path, relative, document, message):
    directory = suite(tmp_path, relative, document)
    with pytest.raises(SuiteError, match=message) as raised:
        load_suites(directory)
    assert Path(relative).name in str(raised.value)


def test_great_expectations_accepts_every_suite_and_rejects_bad_arguments_naming_the_file(tmp_path):
    for shipped in load_suites(settings.EXPECTATIONS_DIR):
        assert len(shipped.gx_suite().expectations) == len(shipped.rules)
    directory = suite(tmp_path, "marts/dim_city.json", {"name": "marts.dim_city", "expectations": [
        {**GOOD, "type": "expect_column_values_to_be_between", "kwargs": {"min_value": 0}}]})
    bad = next(s for s in load_suites(directory) if s.table == "dim_city")
    with pytest.raises(SuiteError, match=r"dim_city\.json: Great Expectations rejects the suite"):
        bad.gx_suite()
