"""Write-audit-publish: the analysts' file holds the audited marts, replaced atomically."""

import json
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from orchestration.dbt.project import dbt_project
from orchestration.pilots.registry import city_counties, pilot_cities
from orchestration.publish.asset import mart_keys
from orchestration.publish.published_file import publish_file, staging_path
from orchestration.quality.checks import CHECK_NAME
from quality_scenarios import sha256


def read(path: Path, sql: str):
    con = duckdb.connect(str(path), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def test_full_build_publishes_marts_and_row_counts(built_warehouse):
    published = built_warehouse.parent / "mobility.duckdb"
    assert read(published, "select count(*) from marts.dim_city") == [(len(city_counties()),)]
    assert read(published, "select city_name from marts.dim_city where city_geoid = '5566000'") == [("Racine",)]
    counts = dict(read(published, "select asset_key, row_count from audit.row_counts"))
    assert counts["raw/atlas_tract_household_income"] == 73_502
    assert "staging/stg_registry__cities" not in counts  # the row-count rule checks raw tables and marts
    assert counts["marts/dim_city"] == len(city_counties())
    schemas = {s for (s,) in read(published, "select distinct schema_name from duckdb_tables()")}
    assert schemas == {"marts", "audit"}  # raw and staging stay in the build file
    assert (built_warehouse.parent / "docs" / "index.html").exists()


def test_the_published_file_carries_what_the_analysts_tools_read(built_warehouse, build_run):
    """Docs as DuckDB comments, each check's result, freshness and the pilot cities: what `mobility`
    shows without opening the build's own state."""
    published = built_warehouse.parent / "mobility.duckdb"
    (comment,) = read(published, "select comment from duckdb_columns() where schema_name = 'marts' "
                      "and table_name = 'dim_city' and column_name = 'population'")[0]
    assert comment.startswith("Latest Census population estimate")
    assert read(published, "select comment is not null and comment <> '' from duckdb_tables() "
                "where schema_name = 'marts' and table_name = 'dim_city'") == [(True,)]
    assert read(published, "select unit from audit.column_units where table_name = 'marts.tract_opportunity' "
                "and column_name = 'latitude'") == [("degrees north",)]
    evaluations = {(e.asset_key.to_user_string(), e.passed) for e in build_run.get_asset_check_evaluations()
                   if e.check_name == CHECK_NAME}  # the checks publish waits for (dbt's own tests gate inside dbt)
    assert set(read(published, "select asset_key, passed from audit.checks")) == evaluations
    freshness = dict(read(published, "select asset_key, late_after_hours from audit.freshness"))
    assert set(freshness) == {"/".join(k.path) for k in mart_keys()} | {"publish"}
    assert set(freshness.values()) == {7 * 24 + 12}
    assert [c for (c,) in read(published, "select city_geoid from audit.pilot_cities order by 1")] == pilot_cities()


def test_publish_depends_on_every_mart_in_the_manifest():
    manifest = json.loads(dbt_project().manifest_path.read_text())
    marts = {(n["schema"], n["name"]) for n in manifest["nodes"].values()
             if n["resource_type"] == "model" and n["original_file_path"].startswith("models/marts/")}
    assert marts and {tuple(k.path) for k in mart_keys()} == marts

    from orchestration.definitions import warehouse_definitions

    publish = warehouse_definitions().resolve_assets_def("publish")
    upstream = {tuple(k.path) for k in publish.dependency_keys}
    assert marts <= upstream
    assert ("raw", "atlas_tract_household_income") in upstream  # every audited asset gates it


def count_in_new_process(path: Path) -> int:
    code = ("import duckdb, sys; con = duckdb.connect(sys.argv[1], read_only=True); "
            "print(con.execute('select count(*) from marts.dim_city').fetchone()[0]); con.close()")
    done = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True, text=True, check=True)
    return int(done.stdout.split()[0])


@pytest.fixture
def build_file(tmp_path) -> Path:
    path = tmp_path / "build.duckdb"
    con = duckdb.connect(str(path))
    con.execute("create schema marts; create schema raw")
    con.execute("create table marts.dim_city as select * from (values ('3915000', 'Cincinnati')) t(city_geoid, city_name)")
    con.execute("create table raw.city_registry as select 1 as id")
    con.close()
    return path


def test_open_analyst_connection_survives_a_publish(build_file, tmp_path):
    target = tmp_path / "mobility.duckdb"
    publish_file(build_file, target, ["dim_city"])
    analyst = duckdb.connect(str(target), read_only=True)
    try:
        assert analyst.execute("select count(*) from marts.dim_city").fetchone() == (1,)

        con = duckdb.connect(str(build_file))
        con.execute("insert into marts.dim_city values ('3921000', 'Dayton')")
        con.close()
        publish_file(build_file, target, ["dim_city"])

        # The open connection keeps reading the version it opened; a new one (another analyst's
        # process: DuckDB shares one open database per path within a process) sees the new one.
        assert analyst.execute("select count(*) from marts.dim_city").fetchone() == (1,)
        assert analyst.execute("select list(city_name order by city_name) from marts.dim_city").fetchone() == (["Cincinnati"],)
        assert count_in_new_process(target) == 2
    finally:
        analyst.close()
    assert count_in_new_process(target) == 2
    assert read(target, "select row_count from audit.row_counts where asset_key = 'raw/city_registry'") == [(1,)]
    assert left_beside(target) == []  # no half-written file left behind


def test_failed_copy_leaves_the_published_file_untouched(build_file, tmp_path):
    target = tmp_path / "mobility.duckdb"
    publish_file(build_file, target, ["dim_city"])
    before = sha256(target)
    with pytest.raises(Exception, match="marts missing from the build file: fact_mobility"):
        publish_file(build_file, target, ["dim_city", "fact_mobility"])
    assert sha256(target) == before
    assert left_beside(target) == []


def left_beside(target: Path) -> list[str]:
    """Files in the analysts' folder other than the published and build files, and in the staging folder."""
    names = [p.name for p in target.parent.iterdir() if p.is_file() and p.name not in ("mobility.duckdb", "build.duckdb")]
    return names + [p.name for p in staging_path(target).parent.iterdir()]


def test_a_publish_removes_what_a_killed_publish_left(build_file, tmp_path):
    target = tmp_path / "mobility.duckdb"
    publish_file(build_file, target, ["dim_city"])
    killed = staging_path(target).with_name("mobility.duckdb.4242.new")
    killed.write_bytes(b"half a database")
    killed.with_name(killed.name + ".wal").write_bytes(b"")
    publish_file(build_file, target, ["dim_city"])
    assert left_beside(target) == []
    assert read(target, "select count(*) from marts.dim_city") == [(1,)]
