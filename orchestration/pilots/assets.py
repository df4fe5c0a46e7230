"""Dagster assets for the pilots.

Two paths lead to the same raw tables, on purpose:

* `landing/pilot_uploads`, partitioned by city (dynamic partitions `pilot_city`, one per
  city with a registered pilot): the sensor runs it for a city when files land there. It
  checks, pseudonymises and archives (or quarantines) that city's files; it writes files
  only, never the DuckDB file, so cities never wait on each other's lock.
* `raw/pilot_*` (unpartitioned): takes in the bundled synthetic pilots and any pending upload
  of every city (the same idempotent intake), then fills the raw tables from the archive in one
  transaction. An all-assets run (`build_warehouse`, `make warehouse`) has no partition key, so
  the partitioned asset stays out of it and this asset does the work: it rebuilds the tables
  from the whole archive, so the same file twice adds nothing, by construction. In a city's
  intake run it appends the archived files the tables do not hold yet (the archive only grows),
  and the dbt pilot models then rebuild the changed pilots only (see `city_of_intake_run`).
"""


import hashlib
import json
from pathlib import Path

import duckdb
from dagster import (
    AssetCheckExecutionContext,
    AssetExecutionContext,
    AssetKey,
    AssetSelection,
    AssetSpec,
    DynamicPartitionsDefinition,
    MaterializeResult,
    MetadataValue,
    asset,
    define_asset_job,
    multi_asset,
)

from orchestration.files import sql
from orchestration.ingestion.asset_factory import SourceGroup
from orchestration.ingestion.load_log import create_raw_schema, record_load
from orchestration.ingestion.loading import SourceFile
from orchestration.pilots import intake, registry
from orchestration.engines.build_file import BUILD_FILE_POOL, Warehouse

GROUP = "pilots"
pilot_city = DynamicPartitionsDefinition(name="pilot_city")
UPLOADS_KEY = AssetKey(["landing", "pilot_uploads"])

REGISTRY_SOURCES = [
    SourceFile(
        table="pilot_programs",
        path="pilots/programs.csv",
        group=GROUP,
        description="Pilot program registry: one row per pilot with its city, topic, design "
        "(randomised, matched_comparison, pre_post), start and end dates and main outcome.",
        select="* replace (lpad(city_geoid, 7, '0') as city_geoid)",
        read_options="header = true, all_varchar = true",
        provenance="Maintained by the project: the pilot data contract's program registry",
    ),
    SourceFile(
        table="pilot_outcome_definitions",
        path="pilots/outcome_definitions.csv",
        group=GROUP,
        description="Outcomes each pilot tracks: type (binary, continuous), the direction that counts as "
        "better, unit, and the threshold that counts as reaching the outcome.",
        select="*",
        read_options="header = true, all_varchar = true",
        provenance="Maintained by the project: the pilot data contract's outcome registry",
    ),
]

RAW_TABLES = intake.TABLES  # their columns: registry.raw_columns, from the contract
LINEAGE = ("is_synthetic boolean, source_row integer, source_sha256 varchar, source_file varchar, "
           "accepted_at timestamptz")
FILES_TABLE = """city_geoid varchar, file_name varchar, sha256 varchar, accepted_at timestamptz,
    is_synthetic boolean, count_participants bigint, count_services bigint, count_outcomes bigint,
    dropped_identifier_columns varchar[], dropped_other_columns varchar[], registered_primary_outcomes varchar"""


def intake_metadata(results: list[intake.CityIntake]) -> dict:
    return {
        "count_accepted_files": MetadataValue.int(sum(len(r.accepted) for r in results)),
        "count_duplicate_files": MetadataValue.int(sum(len(r.duplicates) for r in results)),
        "count_quarantined_files": MetadataValue.int(sum(len(r.quarantined) for r in results)),
        "intake": MetadataValue.md("\n".join(f"- {r.summary()}" for r in results) or "no cities"),
    }


@asset(
    key=UPLOADS_KEY,
    partitions_def=pilot_city,
    group_name=GROUP,
    description="One city's pilot uploads from MOBILITY_HOME/landing/pilots/<city_geoid>/: checked against "
    "the data contract, identifiers dropped, participant ids hashed, then archived by SHA-256 or quarantined "
    "with a report. Run per city by the landing sensor.",
    kinds={"file"},
)
def pilot_uploads(context: AssetExecutionContext) -> MaterializeResult:
    result = intake.process_city(context.partition_key, include_bundled=False)
    context.log.info(result.summary())
    for report in result.quarantined:
        context.log.warning(f"quarantined {report['file']}: {report['breaches'][:3]}")
    return MaterializeResult(metadata=intake_metadata([result]))


def _receipt_rows(held: set[str] | None = None) -> list[tuple]:
    """The archive's receipts as raw.pilot_files rows, leaving out the files in `held`."""
    rows = []
    for path in sorted(intake.archive_dir().glob("*/*.receipt.json")):
        if held is not None and _file_hash(path) in held:
            continue
        r = json.loads(path.read_text(encoding="utf-8"))
        rows.append((r["city_geoid"], r["file"], r["sha256"], r["accepted_at"], r["is_synthetic"],
                     r["rows"].get("participants", 0), r["rows"].get("services", 0), r["rows"].get("outcomes", 0),
                     r["dropped_identifier_columns"], r["dropped_other_columns"], r.get("registered_primary_outcomes")))
    return rows


def city_of_intake_run(context: AssetExecutionContext | AssetCheckExecutionContext) -> str | None:
    """The city a `pilot_city_intake` run takes in (its partition); None in any other run."""
    return context.run.tags.get("dagster/partition") if context.run.job_name == pilot_city_job.name else None


def rows_a_city_run_changes(city_geoid: str) -> dict[tuple[str, str], str]:
    """Per raw pilot table, the rows a city's intake run can add: that city's. The run's checks
    read only those rows (every other row passed the same rules when it went in and has not
    changed since); rules on the whole table, its row count, still see the whole table."""
    return {("raw", f"pilot_{table}"): f"city_geoid = {sql.text(city_geoid)}" for table in RAW_TABLES}


def _file_hash(path: Path) -> str:
    return path.name.split(".", 1)[0]  # archived as <sha256>.<table>.parquet, <sha256>.receipt.json


def rebuild_raw_tables(con: duckdb.DuckDBPyConnection, new_files_only: bool = False) -> dict[str, int]:
    """Fill the raw pilot tables from the archive: rebuilt from every archived file, or with
    `new_files_only` (and tables that exist), appended with the files they do not hold yet."""
    create_raw_schema(con)
    exists = con.execute("select count(*) from duckdb_tables() where schema_name = 'raw' "
                         "and table_name = 'pilot_files'").fetchone()[0]
    held = {h for (h,) in con.execute("select sha256 from raw.pilot_files").fetchall()} if new_files_only and exists else None
    counts = {}
    for table in RAW_TABLES:
        files = sorted(intake.archive_dir().glob(f"*/*.{table}.parquet"))
        if held is None:
            columns = ", ".join(f"{name} {kind}" for name, kind in registry.raw_columns(table).items())
            con.execute(f"create or replace table raw.pilot_{table} ({columns}, {LINEAGE})")
        added = [f.as_posix() for f in files if held is None or _file_hash(f) not in held]
        if added:
            # Files archived under an older contract lack its newer optional columns: null there.
            con.execute(f"insert into raw.pilot_{table} by name select * from read_parquet(?, union_by_name = true)", [added])
        counts[table] = con.execute(f"select count(*) from raw.pilot_{table}").fetchone()[0]
        # The "hash" of an archive-built table is the digest of the archived files it holds.
        digest = hashlib.sha256("\n".join(f.name for f in files).encode()).hexdigest()
        record_load(con, f"pilot_{table}", intake.archive_dir().as_posix(), digest, counts[table])
    if held is None:
        con.execute(f"create or replace table raw.pilot_files ({FILES_TABLE})")
    rows = _receipt_rows(held)
    if rows:
        con.executemany("insert into raw.pilot_files values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
    counts["files"] = con.execute("select count(*) from raw.pilot_files").fetchone()[0]
    return counts


@multi_asset(
    specs=[
        AssetSpec(AssetKey(["raw", f"pilot_{t}"]), group_name=GROUP, deps=[UPLOADS_KEY], kinds={"duckdb"},
                  description=f"Pilot {t} of every city, pseudonymised, from every archived upload (and the bundled "
                  "synthetic pilots); one row per uploaded row with its file's hash, row and acceptance time.")
        for t in (*RAW_TABLES, "files")
    ],
    name="raw_pilot_tables",
    pool=BUILD_FILE_POOL,
)
def raw_pilot_tables(context: AssetExecutionContext, warehouse: Warehouse):
    results = [intake.process_city(city) for city in registry.pilot_cities()]
    for result in results:
        context.log.info(result.summary())
    with warehouse.connect() as con:
        con.execute("begin transaction")
        try:
            counts = rebuild_raw_tables(con, new_files_only=city_of_intake_run(context) is not None)
            con.execute("commit")
        except Exception:
            con.execute("rollback")
            raise
    shared = intake_metadata(results)
    for table, count in counts.items():
        yield MaterializeResult(
            asset_key=AssetKey(["raw", f"pilot_{table}"]),
            metadata={**shared, "table": MetadataValue.text(f"raw.pilot_{table}"),
                      "dagster/row_count": MetadataValue.int(count)},
        )


registry_sources = SourceGroup("pilot_registry", REGISTRY_SOURCES)
assets = [pilot_uploads, raw_pilot_tables]

# Everything the per-city run refreshes: that city's intake and every pilot table downstream.
PER_CITY_SELECTION = AssetSelection.assets(UPLOADS_KEY)
pilot_city_job = define_asset_job(
    name="pilot_city_intake",
    selection=PER_CITY_SELECTION.downstream(),
    description="Take in one city's new pilot uploads, then rebuild the pilot tables and marts.",
)
