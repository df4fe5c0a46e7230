"""GX's SQL data source on DuckDB: results read while the connection is open, regex rules
in DuckDB's dialect, both engines disposed so a writer can take the file afterwards."""

from pathlib import Path

import duckdb
import pytest

from orchestration.quality.runner import validate
from orchestration.quality.suites import Rule, Suite


@pytest.fixture
def tract_db(tmp_path) -> Path:
    path = tmp_path / "build.duckdb"
    con = duckdb.connect(str(path))
    con.execute("create schema raw")
    con.execute(
        "create table raw.tracts as select * from (values "
        "('01001020100', 41200.0), ('01001020200', null), ('01001020200', 1062314.0), "
        "('6037101110', -5.0), ('36055000100', 30150.0)) as t(tract_geoid, income)"
    )
    con.close()
    return path


def rule(type_, severity="error", **kwargs) -> Rule:
    return Rule(type=type_, kwargs=kwargs, severity=severity, rule=type_)


def run(db: Path, *rules: Rule, parameters=None):
    suite = Suite(schema="raw", table="tracts", description="", rules=rules, files=(db,))
    return validate(suite, db, parameters or {"published_row_count": 0})


def test_aggregate_metrics_match_hand_counts(tract_db):
    result = run(
        tract_db,
        rule("expect_column_values_to_not_be_null", column="income"),
        rule("expect_column_values_to_be_unique", column="tract_geoid"),
        rule("expect_column_values_to_be_between", column="income", min_value=0, max_value=1_000_000),
        rule("expect_table_row_count_to_be_between", min_value=1),
        rule("expect_column_mean_to_be_between", column="income", min_value=0, max_value=1),
    )
    by_type = {o.type: o for o in result.outcomes}
    assert all(o.error is None for o in result.outcomes), [o.error for o in result.outcomes]
    assert by_type["expect_column_values_to_not_be_null"].unexpected_count == 1
    assert by_type["expect_column_values_to_be_unique"].unexpected_count == 2  # both rows of 01001020200
    assert by_type["expect_column_values_to_be_between"].unexpected_count == 2  # 1,062,314 and -5
    assert sorted(by_type["expect_column_values_to_be_between"].sample) == [-5.0, 1062314.0]
    assert by_type["expect_table_row_count_to_be_between"].observed == 5
    assert by_type["expect_column_mean_to_be_between"].observed == pytest.approx((41200 + 1062314 - 5 + 30150) / 4)


def test_regex_rules_run_in_duckdb(tract_db):
    result = run(tract_db, rule("expect_column_values_to_match_regex", column="tract_geoid", regex="^[0-9]{11}$"),
                 rule("expect_column_values_to_not_match_regex", column="tract_geoid", regex="^36"))
    match, no_match = result.outcomes[0], result.outcomes[1]
    if match.type != "expect_column_values_to_match_regex":
        match, no_match = no_match, match
    assert match.error is None and match.unexpected_count == 1 and match.sample == ["6037101110"]
    assert no_match.error is None and no_match.unexpected_count == 1 and no_match.sample == ["36055000100"]


def test_row_count_rule_uses_published_row_count(tract_db):
    drop = rule("expect_table_row_count_to_be_between", min_value={"$PARAMETER": "published_row_count * 0.8"})
    assert run(tract_db, drop, parameters={"published_row_count": 6}).outcomes[0].success  # 5 >= 4.8
    failed = run(tract_db, drop, parameters={"published_row_count": 10}).outcomes[0]  # 5 < 8
    assert not failed.success and failed.observed == 5


def test_sql_rule_returns_whole_rows(tract_db):
    result = run(tract_db, rule("unexpected_rows_expectation", unexpected_rows_query="select * from {batch} where income < 0"))
    outcome = result.outcomes[0]
    assert not outcome.success and outcome.observed == 1
    assert outcome.rows == [{"tract_geoid": "6037101110", "income": -5.0}]


def test_engines_are_disposed_so_a_writer_can_open_the_file(tract_db):
    run(tract_db, rule("expect_table_row_count_to_be_between", min_value=1))
    con = duckdb.connect(str(tract_db))  # read-write, same process: fails if GX still holds the file
    con.execute("insert into raw.tracts values ('01001020300', 1.0)")
    con.close()
    assert run(tract_db, rule("expect_table_row_count_to_be_between", min_value=6)).outcomes[0].success


def test_missing_column_is_reported_not_raised(tract_db):
    outcome = run(tract_db, rule("expect_column_values_to_not_be_null", column="county_geoid")).outcomes[0]
    assert not outcome.success and "county_geoid" in outcome.error


# Reflection cannot map DuckDB's list type (one more reason the warehouse reads duckdb_columns()).
@pytest.mark.filterwarnings("ignore:Did not recognize type 'list':sqlalchemy.exc.SAWarning")
def test_columns_read_from_duckdb_match_gx_reflection(tract_db):
    """The catalog shortcut reports the columns GX's own (slow) reflection reports, with types of the
    same kind (GX compares kinds, not dialect classes)."""
    import great_expectations as gx
    import sqlalchemy

    from orchestration.quality import gx_duckdb

    con = duckdb.connect(str(tract_db))
    con.execute("create table raw.types (a double, b varchar[], c timestamptz, d decimal(18, 3), e bigint, "
                "f date, g boolean, h varchar, i integer, j float)")
    con.close()
    context = gx.get_context(mode="ephemeral")
    with gx_duckdb.duckdb_source(context, "build", tract_db) as source:
        engine = source.get_execution_engine()
        for table in ("tracts", "types"):
            fast = gx_duckdb.duckdb_columns(engine, table, "raw")
            reflected = sqlalchemy.inspect(engine.engine).get_columns(table, schema="raw")
            assert [c["name"] for c in fast] == [c["name"] for c in reflected]
            assert [c["type"]._type_affinity for c in fast] == [c["type"]._type_affinity for c in reflected]
    assert len(fast) == 10
