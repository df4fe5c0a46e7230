"""The dbt step: a failing dbt test on an intermediate model skips the models built on it,
fails the step naming the test, and every model that did build is recorded."""

import shutil

import duckdb
import pytest
from dagster import DagsterInstance, materialize

from orchestration.dbt.assets import dbt_model_assets
from orchestration.dbt.project import dbt_resource


def test_failing_dbt_test_skips_children_and_fails_the_step(built_warehouse, tmp_path, monkeypatch):
    home = tmp_path / "home"
    home.mkdir()
    shutil.copy(built_warehouse, home / "build.duckdb")
    monkeypatch.setenv("MOBILITY_HOME", str(home))
    con = duckdb.connect(str(home / "build.duckdb"))
    # A repeated tract breaks int_tract_city's unique (tract, vintage) test.
    con.execute("insert into raw.geo_tract_place_2020 select * from raw.geo_tract_place_2020 where place is not null limit 1")
    con.close()

    with DagsterInstance.ephemeral() as instance:
        result = materialize([dbt_model_assets()], resources={"dbt": dbt_resource()}, instance=instance,
                             raise_on_error=False)

    assert not result.success
    failure = next(e for e in result.all_events if e.is_step_failure).step_failure_data.error.message
    assert "unique_combination_of_columns_int_tract_city_tract_geoid__tract_vintage" in failure
    assert "int_places" in failure  # named among the skipped models
    materialized = {e.asset_key.to_user_string() for e in result.get_asset_materialization_events()}
    assert "intermediate/int_tract_city" in materialized
    assert "intermediate/int_places" not in materialized and "marts/city_mobility" not in materialized
    assert "marts/dim_city" in materialized  # not downstream of the failed test
    failed_checks = [c.check_name for c in result.get_asset_check_evaluations() if not c.passed]
    assert failed_checks == ["unique_combination_of_columns_int_tract_city_tract_geoid__tract_vintage"]


@pytest.mark.parametrize("engine, raw_rows, operator, threads", [
    ("duckdb", 51, None, 1),  # over the threshold: one model at a time
    ("duckdb", 50, None, None),  # not over it: the profile's
    ("duckdb", 51, "2", None),  # the operator's MOBILITY_DBT_THREADS wins
    ("spark", 51, None, None),  # Spark's concurrency is the profile's
])
def test_dbt_builds_one_model_at_a_time_only_when_the_raw_tables_are_large(engine, raw_rows, operator, threads,
                                                                          tmp_path, monkeypatch):
    from orchestration import settings
    from orchestration.engines.engine import by_name

    monkeypatch.setenv("MOBILITY_HOME", str(tmp_path))
    monkeypatch.delenv(settings.DBT_THREADS_ENV, raising=False)
    if operator:
        monkeypatch.setenv(settings.DBT_THREADS_ENV, operator)
    monkeypatch.setattr(settings, "DBT_ONE_MODEL_AT_A_TIME_ROWS", 50)
    con = duckdb.connect(str(tmp_path / "build.duckdb"))
    con.execute("create schema raw")
    con.execute(f"create table raw.big as select range as id from range({raw_rows})")
    con.execute("create table main.other as select range as id from range(100)")  # not raw: not counted
    con.close()
    assert by_name(engine).dbt_threads() == threads
