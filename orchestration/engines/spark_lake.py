"""The raw tables as Parquet, for engines other than DuckDB (MOBILITY_ENGINE=spark).

Every table of schema `raw` in the build file is written to `$MOBILITY_HOME/lake/raw/<table>/`
(one Parquet file per table) and registered in Spark's metastore as `raw.<table>`, a table over
that folder, so that the dbt sources resolve on Spark as they do on DuckDB (a schema is a
database there). Run it after the raw tables are loaded and before `dbt build` on Spark:

    python -m orchestration.engines.spark_lake
"""

import shutil
import time
from pathlib import Path

import duckdb

from orchestration import settings
from orchestration.files.sql import identifier

RAW_SCHEMA = "raw"


def raw_tables(con: duckdb.DuckDBPyConnection) -> list[str]:
    return [name for (name,) in con.execute(
        "select table_name from information_schema.tables where table_schema = ? and table_type = 'BASE TABLE' "
        "order by table_name", [RAW_SCHEMA]).fetchall()]


def export_parquet(build_db: Path, lake: Path) -> dict[str, Path]:
    """Each raw table to `<lake>/raw/<table>/data.parquet`, replacing what was there."""
    folders: dict[str, Path] = {}
    with duckdb.connect(str(build_db), read_only=True, config=settings.duckdb_config()) as con:
        for table in raw_tables(con):
            folder = lake / RAW_SCHEMA / table
            if folder.exists():
                shutil.rmtree(folder)
            folder.mkdir(parents=True)
            # The path is ours (home and table name), passed as a value, never as SQL text.
            con.execute(f"copy {identifier(RAW_SCHEMA)}.{identifier(table)} to $path (format parquet)",
                        {"path": str(folder / "data.parquet")})
            folders[table] = folder
    return folders


_session = None  # the session spark_session() started in this process, for stop_session()


def spark_session():
    """A local Spark session with the warehouse's settings (the same metastore dbt-spark uses)."""
    global _session
    from pyspark.sql import SparkSession

    settings.spark_home().mkdir(parents=True, exist_ok=True)
    builder = SparkSession.builder.enableHiveSupport()
    for key, value in settings.spark_config().items():
        builder = builder.config(key, value)
    session = builder.getOrCreate()
    # dbt-spark asks for the session again for every statement, and Spark warns each time that
    # only runtime settings apply: hundreds of lines that say nothing. Errors still show.
    session.sparkContext.setLogLevel("ERROR")
    _session = session
    return session


def stop_session() -> None:
    """Stop the session this process started, if any: its JVM lets go of Derby's metastore, which
    the next process to open it (a build, tools/compare_engines.py) needs."""
    global _session
    if _session is not None:
        _session.stop()
        _session = None


def register(spark, folders: dict[str, Path]) -> None:
    """`raw.<table>` over each folder, replacing an earlier registration (the files stay)."""
    spark.sql(f"create database if not exists {RAW_SCHEMA}")
    for table, folder in folders.items():
        spark.sql(f"drop table if exists {RAW_SCHEMA}.`{table}`")
        # The location goes to the catalog as a value, never into SQL text.
        spark.catalog.createTable(f"{RAW_SCHEMA}.`{table}`", path=folder.as_uri(), source="parquet")


def raw_to_spark(spark) -> int:
    """Every raw table of the build file as Parquet, registered in `spark`; how many there are."""
    folders = export_parquet(settings.build_db_path(), settings.lake_dir())
    register(spark, folders)
    return len(folders)


def main() -> None:
    settings.export_environment()
    started = time.monotonic()
    spark = spark_session()
    try:
        tables = raw_to_spark(spark)
    finally:
        spark.stop()
    print(f"{tables} raw tables as Parquet under {settings.lake_dir() / RAW_SCHEMA}, registered in Spark's "
          f"raw database ({time.monotonic() - started:.1f} s)")


if __name__ == "__main__":
    main()
