"""The warehouse built on Spark (`MOBILITY_ENGINE=spark`) is the DuckDB warehouse.

One real build on Spark (`python -m orchestration.build`, as `make warehouse` runs it) in a home
of its own: every mart it publishes as Parquet has the rows of the session's DuckDB build, numbers
within 1e-9 relative (orchestration/engines/compare.py, as tools/compare_engines.py compares), and
the analysts' DuckDB file it publishes holds the same marts. Then a broken mart on Spark fails
its blocking check: the marts' real suites validate Spark DataFrames through GX's Spark engine.
"""

import os
from pathlib import Path

import duckdb
import pytest

from build_process import Build
from orchestration import settings
from orchestration.files import sql
from orchestration.engines.compare import compare, fetched
from orchestration.publish.asset import parquet_dir
from orchestration.quality.runner import validate_frames
from orchestration.quality.suites import load_suites

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def spark_home(tmp_path_factory) -> Path:
    """A home built and published by `MOBILITY_ENGINE=spark python -m orchestration.build`."""
    home = tmp_path_factory.mktemp("spark") / "home"
    home.mkdir()
    env = {**os.environ, "MOBILITY_HOME": str(home), "DAGSTER_HOME": str(home / "dagster"), "MOBILITY_ENGINE": "spark"}
    build = Build(home, env, "spark-build")
    code = build.finish()
    assert code == 0, build.output[-4000:]
    assert "Warehouse built in" in build.output
    return home


def duckdb_marts(con: duckdb.DuckDBPyConnection) -> list[str]:
    """The marts a DuckDB file holds: what each engine's build must have published alike."""
    return [name for (name,) in con.execute(
        "select table_name from information_schema.tables where table_schema = 'marts' order by 1").fetchall()]


def test_every_mart_on_spark_is_the_duckdb_mart(spark_home: Path, built_warehouse: Path):
    parquet = parquet_dir(spark_home)
    assert parquet.is_symlink() and parquet.resolve().parent.name == "versions"
    with duckdb.connect(str(built_warehouse), read_only=True) as duck, duckdb.connect() as lake:
        marts = duckdb_marts(duck)
        assert len(marts) == 14 and "dim_city" in marts and "what_works" in marts
        assert sorted(p.name for p in parquet.iterdir()) == marts
        verdicts = {}
        for mart in marts:
            columns, rows = fetched(duck.execute(f'select * from marts."{mart}"'))
            spark_columns, spark_rows = fetched(lake.execute(f"select * from read_parquet({sql.path(parquet / mart / '*.parquet')})"))
            assert rows, f"marts.{mart} is empty on DuckDB"
            verdicts[mart] = compare(mart, columns, rows, spark_columns, spark_rows)
    assert verdicts == {mart: "match" for mart in marts}


def test_the_analysts_file_of_a_spark_build_holds_its_parquet_marts(spark_home: Path, built_warehouse: Path):
    published = spark_home / "mobility.duckdb"
    with duckdb.connect(str(published), read_only=True) as con, duckdb.connect(str(built_warehouse), read_only=True) as duck:
        marts = duckdb_marts(con)
        assert marts == duckdb_marts(duck)
        counts = dict(con.execute("select asset_key, row_count from audit.row_counts").fetchall())
        for mart in marts:
            rows = con.execute(f'select count(*) from marts."{mart}"').fetchone()[0]
            assert rows == duck.execute(f'select count(*) from marts."{mart}"').fetchone()[0] == counts[f"marts/{mart}"]
        assert counts["raw/city_registry"] == duck.execute("select count(*) from raw.city_registry").fetchone()[0]
        assert con.execute("select count(*) from audit.publications").fetchone()[0] == 1
        tulsa = con.execute("select city_name, state_abbr from marts.dim_city where city_geoid = '4075000'").fetchone()
    assert tulsa == ("Tulsa", "OK")


@pytest.fixture(scope="module")
def spark(spark_home: Path):
    """A Spark session on the Spark build's metastore (the build's JVM has ended by now)."""
    from orchestration.engines.spark_lake import spark_session

    home = os.environ["MOBILITY_HOME"]
    os.environ["MOBILITY_HOME"] = str(spark_home)  # the metastore and tables of that home
    try:
        session = spark_session()
    finally:
        os.environ["MOBILITY_HOME"] = home
    yield session
    session.stop()


def dim_city_suite():
    """The real suite of marts.dim_city, its SQL written for Spark, as a Spark build loads it."""
    return next(s for s in load_suites(settings.EXPECTATIONS_DIR, engine="spark") if s.name == "marts.dim_city")


def test_a_broken_mart_on_spark_fails_its_blocking_check(spark):
    suite = dim_city_suite()
    assert any("`" in str(rule.kwargs.get("unexpected_rows_query", "")) for rule in suite.rules)
    good = spark.table("marts.dim_city")
    rows = good.count()
    duplicated = good.unionByName(good.where("city_geoid = '4075000'"))
    too_big = good.selectExpr("* except (population)", "population * 1000 as population").select(*good.columns)
    runs = validate_frames([(suite, {"published_row_count": rows}, frame) for frame in (good, duplicated, too_big)])
    passed, duplicate, out_of_range = runs
    assert not passed.blocking and passed.failed("warning") == [] and len(passed.outcomes) == len(suite.rules)
    assert duplicate.blocking
    assert [(o.type, o.column, o.unexpected_count) for o in duplicate.failed("error")] == [
        ("expect_column_values_to_be_unique", "city_geoid", 2)] * 2
    assert {o.rule for o in duplicate.failed("error")} == {"primary key city_geoid is unique", "city_geoid is unique"}
    assert duplicate.failed("error")[0].sample == ["4075000", "4075000"]
    assert out_of_range.blocking
    failed = [(o.type, o.column) for o in out_of_range.failed("error")]
    assert failed == [("expect_column_values_to_be_between", "population")]
    assert out_of_range.failed("error")[0].unexpected_count == rows


def test_a_mart_that_lost_rows_on_spark_fails_the_row_count_rule(spark):
    suite = dim_city_suite()
    good = spark.table("marts.dim_city")
    [run] = validate_frames([(suite, {"published_row_count": good.count() * 2}, good)])
    assert run.blocking
    assert [o.type for o in run.failed("error")] == ["expect_table_row_count_to_be_between"]
    assert run.failed("error")[0].observed == good.count()
