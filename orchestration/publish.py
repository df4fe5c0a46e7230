"""Write-audit-publish: the analysts' file `MOBILITY_HOME/mobility.duckdb`.

Ingestion and dbt write the build file; checks audit it; `publish` runs only after every mart
and its checks have passed. It writes the `marts` schema (plus `audit.row_counts`, the
baseline of the row-count rule) to a new file in `MOBILITY_HOME/publishing` and atomically
renames it over the analysts' file. A failed check anywhere in the run, or a run killed before
that rename, leaves `mobility.duckdb` byte-for-byte as it was; an analyst's open read-only
connection keeps reading the version it opened.

The file is written in DuckDB's 1.4 storage format (`STORAGE_VERSION`), so every supported
client opens it: DuckDB 1.4 LTS, 1.5 and 2.x (R, DBeaver/JDBC, Python, the CLI). Each publish
appends a row to `audit.publications` (when, from which Dagster run).
"""


import os
from datetime import datetime, timezone
from pathlib import Path
from typing import Sequence

import duckdb
from dagster import (
    AssetCheckKey,
    AssetCheckSeverity,
    AssetExecutionContext,
    AssetKey,
    AssetsDefinition,
    Failure,
    MaterializeResult,
    MetadataValue,
    asset,
)

from orchestration import dbt, settings, sql
from orchestration.ingest import file_sha256
from orchestration.quality import docs
from orchestration.quality.baseline import published_db
from orchestration.quality.pool import workers
from orchestration.resources import BUILD_FILE_POOL, Warehouse

# The layers the row-count rule checks (staging and intermediate are not checked by GX).
COUNTED_SCHEMAS = ("raw", "marts")
# The oldest storage format the supported clients read: DuckDB 1.4 LTS cannot open newer files.
STORAGE_VERSION = "v1.4.0"


def mart_keys() -> list[AssetKey]:
    """Every model under models/marts (pilots included), read from the dbt manifest."""
    return sorted((k for a in dbt.assets for k in a.keys if k.path[0] == "marts"), key=lambda k: k.to_user_string())


def failed_checks(context: AssetExecutionContext, check_keys: Sequence[AssetCheckKey]) -> list[str]:
    """Checks whose latest evaluation (in this run or, for a check this run did not execute,
    an earlier one) failed with ERROR severity."""
    latest = context.instance.event_log_storage.get_latest_asset_check_execution_by_key(list(check_keys))
    failed = []
    for key, record in latest.items():
        evaluation = record.event.dagster_event.event_specific_data if record.event else None
        if evaluation is not None and not evaluation.passed and evaluation.severity == AssetCheckSeverity.ERROR:
            failed.append(f"{key.asset_key.to_user_string()}:{key.name}")
    return sorted(failed)


def write_published_copy(build_db: Path, target: Path, marts: list[str], previous: Path | None = None,
                         run_id: str = "") -> dict[str, int]:
    """Copy the marts, the row counts of every checked table and the publication log (carried on
    from `previous`) into `target`, a new file in the storage format of `STORAGE_VERSION`."""
    counts: dict[str, int] = {}
    con = duckdb.connect(config=settings.duckdb_config())
    try:
        con.execute(f"attach {sql.path(target)} as published (storage_version '{STORAGE_VERSION}')")
        con.execute(f"attach {sql.path(build_db)} as build (read_only)")
        con.execute("use published")
        present = {name for (name,) in con.execute(
            "select table_name from duckdb_tables() where database_name = 'build' and schema_name = 'marts' "
            "union all select view_name from duckdb_views() where database_name = 'build' and schema_name = 'marts'"
        ).fetchall()}
        missing = [m for m in marts if m not in present]
        if missing:
            raise Failure(f"marts missing from the build file: {', '.join(missing)} (rule: publish every mart)")
        con.execute("create schema marts")
        for mart in marts:
            con.execute(f'create table marts."{mart}" as select * from build.marts."{mart}"')
            counts[mart] = con.execute(f'select count(*) from marts."{mart}"').fetchone()[0]
        con.execute("create schema audit")
        con.execute("create table audit.row_counts (asset_key varchar primary key, row_count bigint)")
        relations = con.execute(
            "select schema_name, table_name from duckdb_tables() where database_name = 'build' "
            "union all select schema_name, view_name from duckdb_views() where database_name = 'build'"
        ).fetchall()
        for schema, name in relations:
            if schema in COUNTED_SCHEMAS and not name.startswith("_"):
                rows = con.execute(f'select count(*) from build."{schema}"."{name}"').fetchone()[0]
                con.execute("insert into audit.row_counts values (?, ?)", [f"{schema}/{name}", rows])
        copy_publications(con, previous, run_id)
        con.execute("detach build")
        con.execute("checkpoint published")
        con.execute("use memory")
        con.execute("detach published")
    finally:
        con.close()
    return counts


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


def publish_file(build_db: Path, target: Path, marts: list[str], run_id: str = "") -> dict[str, int]:
    """Build the new version in the staging folder, then rename it over `target` in one step."""
    staging = staging_path(target)
    staging.parent.mkdir(exist_ok=True)
    # What a killed publish left (publishes run one at a time, in the build_file pool).
    for left in staging.parent.glob(f"{target.name}.*"):
        left.unlink()
    try:
        counts = write_published_copy(build_db, staging, marts, previous=target, run_id=run_id)
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


def publish_asset(audited: Sequence[AssetKey], check_name: str) -> AssetsDefinition:
    """The `publish` asset. It depends on every mart and on every audited asset, so that in a run
    it starts only after every blocking check has passed, wherever the asset sits in the graph."""
    check_keys = [AssetCheckKey(key, check_name) for key in audited]
    deps = sorted(set(mart_keys()) | set(audited), key=lambda k: k.to_user_string())

    @asset(
        key=AssetKey(["publish"]),
        group_name="publish",
        deps=deps,
        kinds={"duckdb"},
        pool=BUILD_FILE_POOL,
        description="The analysts' file MOBILITY_HOME/mobility.duckdb: the audited marts, replaced "
        "atomically once every mart and every check has passed.",
    )
    def publish(context: AssetExecutionContext, warehouse: Warehouse) -> MaterializeResult:
        failed = failed_checks(context, check_keys)
        if failed:
            raise Failure(
                f"not published: error-level checks failed: {', '.join(failed)}",
                metadata={"failed_checks": MetadataValue.text(", ".join(failed))},
            )
        home = Path(warehouse.home)
        target = published_db(home)
        marts = [key.path[-1] for key in mart_keys()]
        # Data Docs render in a check process, which has GX loaded, while the file is copied.
        rendered = workers().submit(docs.build_docs, home)
        counts = publish_file(home / "build.duckdb", target, marts, run_id=context.run.run_id)
        index = rendered.result()
        return MaterializeResult(
            metadata={
                "path": MetadataValue.path(str(target)),
                "sha256": MetadataValue.text(file_sha256(target)),
                "published_at": MetadataValue.timestamp(datetime.now(timezone.utc)),
                "marts": MetadataValue.md("\n".join(f"- `marts.{m}`: {n:,} rows" for m, n in counts.items())),
                "data_docs": MetadataValue.path(str(index)),
            }
        )

    return publish
