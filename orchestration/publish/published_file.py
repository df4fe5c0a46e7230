"""The analysts' file `MOBILITY_HOME/mobility.duckdb`, written whole and renamed into place.

A publish writes the `marts` schema to a new file in `MOBILITY_HOME/publishing` and atomically
renames it over the analysts' file: a run killed before that rename leaves `mobility.duckdb`
byte-for-byte as it was, and an analyst's open read-only connection keeps reading the version
it opened. The file is written in DuckDB's 1.4 storage format (`STORAGE_VERSION`), so every
supported client opens it: DuckDB 1.4 LTS, 1.5 and 2.x (R, DBeaver/JDBC, Python, the CLI).

What analysts' tools need from the build travels inside the file, so that they never open the
build's own state. Every mart and column carries its dbt description as a DuckDB comment (any
client sees it in `duckdb_tables()` and `duckdb_columns()`), and schema `audit` holds:

- `publications`: one row per publish (when, which run), carried on from the previous version;
- `row_counts`: every checked table's rows, the baseline of the row-count rule;
- `column_units`: each mart column's declared unit;
- `checks`: each check's latest result when the file was published;
- `freshness`: when each mart (and this publish) was materialized, and the weekly policy's windows;
- `pilot_cities`: the cities with a pilot, whose landing folders `mobility status` looks into.
"""

import os
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

import duckdb
from dagster import Failure

from orchestration import settings
from orchestration.declarations.dbt_manifest import model_columns, model_description
from orchestration.files import sql
from orchestration.quality.declared_rules import COUNTED

# The oldest storage format the supported clients read: DuckDB 1.4 LTS cannot open newer files.
STORAGE_VERSION = "v1.4.0"


@dataclass(frozen=True)
class Records:
    """What the run knows that the analysts' tools show. Times are UTC and naive, so that every
    client reads them without a time-zone library."""

    # (asset, check, passed, severity, description, evaluated at)
    checks: list[tuple[str, str, bool, str, str, datetime]] = field(default_factory=list)
    # (asset, materialized at or None)
    materialized: list[tuple[str, datetime | None]] = field(default_factory=list)
    late_after: timedelta = timedelta(0)
    stale_after: timedelta = timedelta(0)
    pilot_cities: list[str] = field(default_factory=list)


def write_records(con: duckdb.DuckDBPyConnection, records: Records) -> None:
    con.execute("create table audit.checks (asset_key varchar, check_name varchar, passed boolean, "
                "severity varchar, description varchar, evaluated_at_utc timestamp)")
    con.executemany("insert into audit.checks values (?, ?, ?, ?, ?, ?)", records.checks)
    con.execute("create table audit.freshness (asset_key varchar primary key, materialized_at_utc timestamp, "
                "late_after_hours double, stale_after_hours double)")
    hours = [window.total_seconds() / 3600 for window in (records.late_after, records.stale_after)]
    con.executemany("insert into audit.freshness values (?, ?, ?, ?)",
                    [[asset, moment, *hours] for asset, moment in records.materialized])
    con.execute("create table audit.pilot_cities (city_geoid varchar primary key)")
    con.executemany("insert into audit.pilot_cities values (?)", [[city] for city in records.pilot_cities])


def write_docs(con: duckdb.DuckDBPyConnection, marts: list[str]) -> None:
    """Each mart's and column's description as a comment, and each column's unit, from the dbt
    YAML where they are declared."""
    con.execute("create table audit.column_units (table_name varchar, column_name varchar, unit varchar)")
    for mart in marts:
        table = f"marts.{sql.identifier(mart)}"
        con.execute(f"comment on table {table} is {sql.text(model_description(mart))}")
        present = {name for (name,) in con.execute(
            "select column_name from duckdb_columns() where database_name = 'published' and schema_name = 'marts' "
            "and table_name = ?", [mart]).fetchall()}
        documented = {name: doc for name, doc in model_columns(mart).items() if name in present}
        for column, doc in documented.items():
            con.execute(f"comment on column {table}.{sql.identifier(column)} is {sql.text(doc['description'].strip())}")
        con.executemany("insert into audit.column_units values (?, ?, ?)",
                        [[f"marts.{mart}", column, doc["meta"]["unit"]] for column, doc in documented.items()
                         if doc["meta"].get("unit")])


def write_published_copy(build_db: Path, target: Path, marts: list[str], previous: Path | None = None,
                         run_id: str = "", parquet: Path | None = None,
                         records: Records | None = None) -> dict[str, int]:
    """Copy the marts with their docs, the row counts of every checked table, the run's `records`
    and the publication log (carried on from `previous`) into `target`, a new file in the storage
    format of `STORAGE_VERSION`. With `parquet` (a Spark build) the marts are read from its
    `<mart>/` folders, the raw tables still from the build file, where DuckDB loaded them."""
    counts: dict[str, int] = {}
    con = duckdb.connect(config=settings.duckdb_config())
    try:
        con.execute(f"attach {sql.path(target)} as published (storage_version '{STORAGE_VERSION}')")
        con.execute(f"attach {sql.path(build_db)} as build (read_only)")
        con.execute("use published")
        missing = missing_marts(con, marts, parquet)
        if missing:
            built = "build file" if parquet is None else "Spark build's Parquet"
            raise Failure(f"marts missing from the {built}: {', '.join(missing)} (rule: publish every mart)")
        con.execute("create schema marts")
        for mart in marts:
            con.execute(f'create table marts."{mart}" as select * from {mart_relation(mart, parquet)}')
            counts[mart] = con.execute(f'select count(*) from marts."{mart}"').fetchone()[0]
        con.execute("create schema audit")
        con.execute("create table audit.row_counts (asset_key varchar primary key, row_count bigint)")
        relations = con.execute(
            "select schema_name, table_name from duckdb_tables() where database_name = 'build' "
            "union all select schema_name, view_name from duckdb_views() where database_name = 'build'"
        ).fetchall()
        counted = COUNTED if parquet is None else ("raw",)
        for schema, name in relations:
            if schema in counted and not name.startswith("_"):
                rows = con.execute(f'select count(*) from build."{schema}"."{name}"').fetchone()[0]
                con.execute("insert into audit.row_counts values (?, ?)", [f"{schema}/{name}", rows])
        if parquet is not None:
            con.executemany("insert into audit.row_counts values (?, ?)", [[f"marts/{m}", n] for m, n in counts.items()])
        copy_publications(con, previous, run_id)
        write_docs(con, marts)
        write_records(con, records or Records())
        con.execute("detach build")
        con.execute("checkpoint published")
        con.execute("use memory")
        con.execute("detach published")
    finally:
        con.close()
    return counts


def mart_relation(mart: str, parquet: Path | None) -> str:
    """Where a mart is read from: the build file's `marts` schema, or its Parquet folder."""
    if parquet is None:
        return f'build.marts."{mart}"'
    return f"read_parquet({sql.path(parquet / mart / '*.parquet')})"


def missing_marts(con: duckdb.DuckDBPyConnection, marts: list[str], parquet: Path | None) -> list[str]:
    """The marts the build did not produce: a publish must hold every mart or none."""
    if parquet is not None:
        return [m for m in marts if not any((parquet / m).glob("*.parquet"))]
    present = {name for (name,) in con.execute(
        "select table_name from duckdb_tables() where database_name = 'build' and schema_name = 'marts' "
        "union all select view_name from duckdb_views() where database_name = 'build' and schema_name = 'marts'"
    ).fetchall()}
    return [m for m in marts if m not in present]


def copy_publications(con: duckdb.DuckDBPyConnection, previous: Path | None, run_id: str) -> None:
    """`audit.publications`: the previous version's log plus this publish. Times are UTC and
    naive, so that every client reads them without a time-zone library."""
    con.execute("create table audit.publications (published_at_utc timestamp, run_id varchar, "
                "duckdb_version varchar, storage_version varchar)")
    if previous is not None and previous.exists():
        con.execute(f"attach {sql.path(previous)} as previous (read_only)")
        logged = con.execute("select count(*) from duckdb_tables() where database_name = 'previous' "
                             "and schema_name = 'audit' and table_name = 'publications'").fetchone()[0]
        if logged:
            con.execute("insert into audit.publications select * from previous.audit.publications")
        con.execute("detach previous")
    con.execute("insert into audit.publications values (timezone('UTC', now()), ?, ?, ?)",
                [run_id, duckdb.__version__, STORAGE_VERSION])


def staging_path(target: Path) -> Path:
    """Where the next version of `target` is written: a folder of its own on the same file system
    (a rename is atomic only there), so a publish killed halfway leaves nothing where analysts look."""
    return target.parent / "publishing" / f"{target.name}.{os.getpid()}.new"


def publish_file(build_db: Path, target: Path, marts: list[str], run_id: str = "",
                 parquet: Path | None = None, records: Records | None = None) -> dict[str, int]:
    """Build the new version in the staging folder, then rename it over `target` in one step."""
    staging = staging_path(target)
    staging.parent.mkdir(exist_ok=True)
    # What a killed publish left (publishes run one at a time, in the build_file pool).
    for left in staging.parent.glob(f"{target.name}.*"):
        left.unlink()
    try:
        counts = write_published_copy(build_db, staging, marts, previous=target, run_id=run_id, parquet=parquet,
                                      records=records)
        with staging.open("rb") as handle:
            os.fsync(handle.fileno())
        os.replace(staging, target)
    finally:
        staging.unlink(missing_ok=True)
    directory = os.open(target.parent, os.O_RDONLY)
    try:
        os.fsync(directory)
    finally:
        os.close(directory)
    return counts
