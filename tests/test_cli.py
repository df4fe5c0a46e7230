"""The `mobility` command (the console script the project installs) on the session's published
warehouse: read-only SQL, export, status."""

import csv
import json
import os
import shutil
import subprocess
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

import duckdb
import pytest

from orchestration import settings
from orchestration.analysts.status import freshness_state

MOBILITY = str(Path(sys.executable).parent / "mobility")


def mobility(*args: str, home: Path | None = None) -> subprocess.CompletedProcess:
    env = None
    if home is not None:
        env = {**os.environ, "MOBILITY_HOME": str(home), "DAGSTER_HOME": str(settings.dagster_home())}
    return subprocess.run([MOBILITY, *args], capture_output=True, text=True, env=env, timeout=120)


def test_sql_answers_with_the_published_values(built_warehouse):
    done = mobility("sql", "select city_name, population from marts.dim_city where city_geoid = '5566000'")
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == ["city_name  population", "---------  ----------", "Racine          76602",
                                        "(1 row)"]
    as_csv = mobility("sql", "select city_name, round(estimate) as income from marts.city_mobility where "
                      "outcome = 'household_income_at_35_p25' and is_registry_city order by estimate desc limit 2",
                      "--format", "csv")
    assert as_csv.stdout.splitlines() == ["city_name,income", "Tulsa,32655.0", "Newark,28526.0"]
    as_json = mobility("sql", "select city_geoid, county_geoids from marts.dim_city where city_name = 'Lansing'",
                       "--format", "json")
    assert json.loads(as_json.stdout) == [{"city_geoid": "2646000", "county_geoids": ["26065", "26045", "26037"]}]


@pytest.mark.parametrize("statement, message", [
    ("create table marts.mine as select 1", "refused: the analysts' file is read-only"),
    ("delete from marts.dim_city", "refused: the analysts' file is read-only"),
    ("copy (select * from marts.dim_city) to '/tmp/mobility-leak.csv'", "refused: file access is off"),
    ("attach '/tmp/other.duckdb' as other", "refused: file access is off"),
    ("select * from read_csv('/etc/passwd')", "refused: file access is off"),
    ("select * from read_text('/etc/passwd')", "refused: file access is off"),
    ("select * from glob('/etc/*')", "refused: file access is off"),
    ("select * from read_csv('https://example.com/tracts.csv')", "refused: file access is off"),
    ("export database '/tmp/mobility-leak'", "refused: file access is off"),
    ("install httpfs", "refused: file access is off"),
    ("load httpfs", "refused: file access is off"),
    ("insert into marts.dim_city (city_geoid) values ('0000000')", "refused: the analysts' file is read-only"),
    ("update marts.dim_city set population = 0", "refused: the analysts' file is read-only"),
    ("drop table marts.city_mobility", "refused: the analysts' file is read-only"),
    ("set enable_external_access = true", "refused: settings cannot be changed"),
])
def test_sql_refuses_writes_and_file_access_in_one_line(built_warehouse, statement, message):
    done = mobility("sql", statement)
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr.startswith(f"mobility sql: {message}") and done.stderr.count("\n") == 1
    assert not Path("/tmp/mobility-leak.csv").exists() and not Path("/tmp/mobility-leak").exists()


def test_sql_names_the_mistake_in_bad_sql(built_warehouse):
    done = mobility("sql", "select * from marts.no_such_mart")
    assert done.returncode == 1
    assert done.stderr.startswith("mobility sql: Catalog Error: Table with name no_such_mart does not exist")
    assert done.stderr.count("\n") == 1


@pytest.fixture(scope="module")
def exported(built_warehouse, tmp_path_factory) -> Path:
    directory = tmp_path_factory.mktemp("export")
    done = mobility("export", "--format", "csv", str(directory))
    assert done.returncode == 0, done.stderr
    # Progress: one numbered line per file, every mart first, the data dictionary last.
    lines = done.stderr.splitlines()
    assert [line.split("]")[0] for line in lines] == [f"[{i}/{len(lines)}" for i in range(1, len(lines) + 1)]
    con = duckdb.connect(str(built_warehouse.parent / "mobility.duckdb"), read_only=True)
    marts, columns = con.execute("select count(distinct table_name), count(*) from duckdb_columns() "
                                 "where schema_name = 'marts'").fetchone()
    con.close()
    assert sum(" marts." in line for line in lines) == marts
    assert lines[-1].endswith(f"data_dictionary: {columns} columns described")
    return directory


def read_csv(path: Path) -> list[dict]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_export_writes_every_mart_with_its_rows(exported, built_warehouse):
    con = duckdb.connect(str(built_warehouse.parent / "mobility.duckdb"), read_only=True)
    try:
        marts = dict(con.execute("select table_name, estimated_size from duckdb_tables() where schema_name = 'marts'").fetchall())
        counts = {m: con.execute(f"select count(*) from marts.{m}").fetchone()[0] for m in marts}
    finally:
        con.close()
    files = {p.stem for p in exported.glob("*.csv")}
    assert files == set(marts) | {"data_dictionary", "urban_city_mobility", "urban_city_census_indicators"}
    assert {m: len(read_csv(exported / f"{m}.csv")) for m in marts} == counts
    assert counts["dim_city"] == 9 and counts["what_works"] == 9


def test_data_dictionary_describes_every_column_with_its_unit(exported):
    rows = read_csv(exported / "data_dictionary.csv")
    assert all(r["description"] for r in rows)
    numeric = [r for r in rows if r["data_type"] in ("DOUBLE", "BIGINT", "INTEGER")]
    assert numeric and all(r["unit"] for r in numeric), [r["column_name"] for r in numeric if not r["unit"]]
    by_key = {(r["table_name"], r["column_name"]): r for r in rows}
    assert by_key[("marts.tract_opportunity", "latitude")]["unit"] == "degrees north"
    assert by_key[("marts.city_mobility", "pctl_national")]["unit"] == "percentile 0-100"
    assert by_key[("marts.dim_city", "population")]["description"].startswith("Latest Census population estimate")


def test_urban_style_files_put_city_figures_beside_urban_data(exported):
    rows = read_csv(exported / "urban_city_mobility.csv")
    assert list(rows[0])[:6] == ["state", "place", "place_name", "subgroup_type", "subgroup", "household_income_at_35_p25"]
    tulsa = {r["subgroup"]: r for r in rows if (r["state"], r["place"]) == ("40", "75000")}
    assert set(tulsa) == {"All", "Black, Non-Hispanic", "White, Non-Hispanic"}
    assert round(float(tulsa["All"]["household_income_at_35_p25"])) == 32655
    assert tulsa["All"]["household_income_at_35_p25_quality"] == "1"
    assert round(float(tulsa["All"]["pctl_income_rank_p25"]), 1) == 30.1
    assert round(float(tulsa["Black, Non-Hispanic"]["income_rank_p25"]), 1) == 39.8
    census = read_csv(exported / "urban_city_census_indicators.csv")
    cincinnati_2019 = next(r for r in census if (r["year"], r["state"], r["place"]) == ("2019", "39", "15000"))
    assert float(cincinnati_2019["count_children_under18"]) == 67826
    assert float(cincinnati_2019["count_children_under18_lb"]) < 67826 < float(cincinnati_2019["count_children_under18_ub"])


def test_export_writes_parquet(built_warehouse, tmp_path):
    assert mobility("export", str(tmp_path)).returncode == 0  # parquet is the default
    con = duckdb.connect()
    assert con.execute(f"select count(*) from '{tmp_path / 'what_works.parquet'}'").fetchone() == (9,)
    assert con.execute(f"select count(*) from '{tmp_path / 'data_dictionary.parquet'}' "
                       "where table_name = 'marts.dim_city'").fetchone() == (12,)


def test_status_reports_publication_freshness_uploads_and_checks(build_run, built_warehouse, tmp_path):
    # A copy of the warehouse home with one pending and one quarantined upload for Tulsa.
    home = tmp_path / "home"
    landing = home / "landing" / "pilots" / "4075000"
    (landing / "quarantine").mkdir(parents=True)
    shutil.copy(built_warehouse.parent / "mobility.duckdb", home / "mobility.duckdb")
    (landing / "participants_2025-03.csv").write_text("pilot_id\n")
    (landing / "quarantine" / "outcomes_2025-02.csv").write_text("pilot_id\n")
    (landing / "quarantine" / "outcomes_2025-02.csv.report.json").write_text("{}")
    done = mobility("status", home=home)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0] == f"Analysts' file: {home / 'mobility.duckdb'}"
    assert lines[1].endswith(f"by run {build_run.run_id}")
    assert any(line.split() == ["fresh", "marts/dim_city", *line.split()[2:]] for line in lines)
    assert any(line.split()[:2] == ["fresh", "publish"] for line in lines)
    assert "  Tulsa (4075000)                     1            1" in lines
    assert "  Racine (5566000)                    0            0" in lines
    # The three known warnings of the bundled data, listed first; every other check passed.
    after = lines[lines.index(next(line for line in lines if line.startswith("Checks: "))) + 1:]
    checks = [line.split() for line in after if line.split()[0] in ("passed", "WARN", "ERROR")]
    assert [c[:2] for c in checks[:3]] == [["WARN", "marts/what_works"], ["WARN", "raw/atlas_tract_household_income"],
                                           ["WARN", "raw/census_hamilton_acs_measures"]]
    assert len(checks) > 40 and all(c[0] == "passed" for c in checks[3:])
    assert after[1].strip().startswith("[warning] published pilot evidence comes from real data")


def test_freshness_follows_the_weekly_policy():
    now = datetime(2026, 3, 16, 12, tzinfo=timezone.utc)
    assert freshness_state(now - timedelta(days=7, hours=11), now) == "fresh"
    assert freshness_state(now - timedelta(days=7, hours=13), now) == "late"
    assert freshness_state(now - timedelta(days=14, hours=1), now) == "stale"
    assert freshness_state(None, now) == "never materialized"
