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
import shutil
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

from orchestration import settings
from orchestration.declarations.dbt_manifest import mart_names
from orchestration.engines.build_file import BUILD_FILE_POOL, Warehouse
from orchestration.files import sql
from orchestration.files.bytes import file_sha256
from orchestration.quality import docs
from orchestration.quality.pool import workers

# The layers the row-count rule checks (staging and intermediate are not checked by GX).
COUNTED_SCHEMAS = ("raw", "marts")
# The oldest storage format the supported clients read: DuckDB 1.4 LTS cannot open newer files.
STORAGE_VERSION = "v1.4.0"


def mart_keys() -> list[AssetKey]:
    """Every model under models/marts (pilots included), read from the dbt manifest."""
    return [AssetKey(["marts", name]) for name in mart_names()]


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
                         run_id: str = "", parquet: Path | None = None) -> dict[str, int]:
    """Copy the marts, the row counts of every checked table and the publication log (carried on
    from `previous`) into `target`, a new file in the storage format of `STORAGE_VERSION`. With
    `parquet` (a Spark build) the marts are read from its `<mart>/` folders, the raw tables still
    from the build file, where DuckDB loaded them."""
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
        counted = COUNTED_SCHEMAS if parquet is None else ("raw",)
        for schema, name in relations:
            if schema in counted and not name.startswith("_"):
                rows = con.execute(f'select count(*) from build."{schema}"."{name}"').fetchone()[0]
                con.execute("insert into audit.row_counts values (?, ?)", [f"{schema}/{name}", rows])
        if parquet is not None:
            con.executemany("insert into audit.row_counts values (?, ?)", [[f"marts/{m}", n] for m, n in counts.items()])
        copy_publications(con, previous, run_id)
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
                 parquet: Path | None = None) -> dict[str, int]:
    """Build the new version in the staging folder, then rename it over `target` in one step."""
    staging = staging_path(target)
    staging.parent.mkdir(exist_ok=True)
    # What a killed publish left (publishes run one at a time, in the build_file pool).
    for left in staging.parent.glob(f"{target.name}.*"):
        left.unlink()
    try:
        counts = write_published_copy(build_db, staging, marts, previous=target, run_id=run_id, parquet=parquet)
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


def parquet_dir(home: Path) -> Path:
    """The published marts as Parquet (Spark builds): a link to the current version's folder."""
    return Path(home) / "published" / "parquet"


def write_parquet_marts(home: Path, marts: list[str], run_id: str) -> Path:
    """Each mart from the run's Spark session to `published/versions/<run id>/<mart>/`, a folder
    no reader knows of yet; returns that folder."""
    from orchestration.engines.spark_lake import spark_session

    version = Path(home) / "published" / "versions" / run_id
    shutil.rmtree(version, ignore_errors=True)  # what a killed publish of this run left
    spark = spark_session()
    for mart in marts:
        spark.table(f"marts.`{mart}`").write.parquet(str(version / mart))
    return version


def swap_parquet(home: Path, version: Path) -> None:
    """Point `published/parquet` at `version` in one rename (of a new symbolic link over the old
    one), then remove the versions older than the one it replaced: a reader that resolved the
    link just before keeps its files."""
    link = parquet_dir(home)
    previous = link.resolve() if link.is_symlink() else None
    fresh = link.with_name(f"parquet.{os.getpid()}.new")
    fresh.unlink(missing_ok=True)
    fresh.symlink_to(Path("versions") / version.name, target_is_directory=True)
    os.replace(fresh, link)
    for old in version.parent.iterdir():
        if old != version and old != previous:
            shutil.rmtree(old, ignore_errors=True)


def publish_spark(home: Path, target: Path, marts: list[str], run_id: str) -> dict[str, int]:
    """A Spark build's publish: the marts as Parquet, the analysts' DuckDB file built from those
    Parquet files (so both hold the same rows), then the Parquet link swapped in."""
    version = write_parquet_marts(home, marts, run_id)
    counts = publish_file(Path(home) / "build.duckdb", target, marts, run_id=run_id, parquet=version)
    swap_parquet(home, version)
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
        target = settings.published_db(home)
        marts = [key.path[-1] for key in mart_keys()]
        # Data Docs render in a check process, which has GX loaded, while the file is copied.
        rendered = workers().submit(docs.build_docs, home)
        if settings.engine_name() == "spark":
            counts = publish_spark(home, target, marts, context.run.run_id)
        else:
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
