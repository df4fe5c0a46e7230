"""The engine seam: what differs between the engines that build the models, in one place.

`current()` is the engine `MOBILITY_ENGINE` names, chosen once per process. Everything else
asks it (how to quote, where the raw tables are, how the checks run, how marts are published)
and never tests an engine's name. Raw tables are always loaded, and checked, by DuckDB: the
build file holds them whatever engine builds the models (`for_schema`).
"""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path
from typing import Any, Callable

from orchestration import settings


class Engine:
    """DuckDB: the models are built in the build file, the checks run in the check processes
    (which never import pyspark), and publishing copies the marts from the build file."""

    name = "duckdb"
    quote_mark = '"'
    # dbt's credentials class of the engine's adapter (module, class): the build preloads it.
    dbt_credentials = ("dbt.adapters.duckdb.credentials", "DuckDBCredentials")
    # Whether the marts' checks run in the run's own process (with its session) rather than in
    # the check processes.
    checks_in_process = False
    # Whether GX's `{batch}` may differ from the table (a DataFrame), so a merged rule keeps it.
    batch_is_a_frame = False

    def quoted(self, identifier: str) -> str:
        """`identifier` in this engine's SQL, its quote character doubled inside."""
        mark = self.quote_mark
        return mark + identifier.replace(mark, mark + mark) + mark

    def listed_outside(self, values: str, known: str) -> str:
        """The condition that the list `values` names a value outside the one-column query `known`."""
        return f"exists (select 1 from unnest({values}) as listed(item) where item not in {known})"

    def prepare_check_process(self) -> None:
        """Run first in each check process: GX imports pyspark when it can, which costs seconds and
        prints pyspark's warnings, though a DuckDB build never validates a DataFrame."""
        import sys

        sys.modules.setdefault("pyspark", None)  # `import pyspark` now raises ImportError

    def dbt_threads(self) -> int | None:
        """How many models dbt builds at once; None: the profile's (MOBILITY_DBT_THREADS, else 2).
        One when the raw tables are large (settings.DBT_ONE_MODEL_AT_A_TIME_ROWS) and the operator
        chose nothing."""
        if os.environ.get(settings.DBT_THREADS_ENV):
            return None
        from orchestration.engines.build_file import default_warehouse

        with default_warehouse().connect() as con:
            (rows,) = con.execute("select coalesce(sum(estimated_size), 0) from duckdb_tables() "
                                  "where schema_name = 'raw'").fetchone()
        return 1 if rows > settings.DBT_ONE_MODEL_AT_A_TIME_ROWS else None

    def before_dbt(self, log: Callable[[str], None]) -> None:
        """Make the raw tables readable by dbt on this engine."""

    def after_dbt(self) -> None:
        """dbt-duckdb keeps the file open after an in-process run, and the check processes open it
        next (https://github.com/duckdb/dbt-duckdb/issues/616: its maintainer's workaround)."""
        from dbt.adapters.duckdb.connections import DuckDBConnectionManager

        DuckDBConnectionManager.close_all_connections()

    def table_frame(self, schema: str, table: str) -> Any:
        """The table as the in-process checks read it (engines with `checks_in_process`)."""
        raise NotImplementedError(f"the {self.name} engine's checks read the build file")

    def write_marts(self, home: Path, marts: list[str], run_id: str) -> Path | None:
        """Write the marts where the analysts' file is built from; None: from the build file."""
        return None

    def swap_marts(self, home: Path, version: Path | None) -> None:
        """Make the marts `write_marts` wrote current, once the analysts' file is in place."""

    def finish(self) -> None:
        """Release what the run held (a Spark session and its metastore)."""

    def outputs(self, home: Path) -> dict[str, Path]:
        """What a finished build leaves besides the analysts' file, for its summary."""
        return {}


class SparkEngine(Engine):
    """Spark (dbt-spark, pyspark local mode): the raw tables are copied as Parquet and registered
    in Spark's `raw` database; dbt, the marts' checks and publishing share one session in the
    run's process (Derby's embedded metastore admits one JVM)."""

    name = "spark"
    quote_mark = "`"  # a double-quoted word is a string in Spark SQL
    dbt_credentials = ("dbt.adapters.spark.connections", "SparkCredentials")
    checks_in_process = True
    batch_is_a_frame = True

    def listed_outside(self, values: str, known: str) -> str:
        # Spark cannot unnest in a correlated subquery: the list minus every known value.
        return f"size(array_except({values}, (select collect_set(item) from {known} as known(item)))) > 0"

    def prepare_check_process(self) -> None:
        pass

    def dbt_threads(self) -> int | None:
        return None

    def before_dbt(self, log: Callable[[str], None]) -> None:
        import time

        from orchestration.engines import spark_lake

        started = time.monotonic()
        tables = spark_lake.raw_to_spark(spark_lake.spark_session())
        log(f"{tables} raw tables as Parquet, registered in Spark ({time.monotonic() - started:.1f} s)")

    def after_dbt(self) -> None:
        pass

    def table_frame(self, schema: str, table: str) -> Any:
        from orchestration.engines.spark_lake import spark_session

        return spark_session().table(f"{schema}.{table}")

    def write_marts(self, home: Path, marts: list[str], run_id: str) -> Path | None:
        from orchestration.engines.spark_lake import write_parquet_marts

        return write_parquet_marts(home, marts, run_id)

    def swap_marts(self, home: Path, version: Path | None) -> None:
        from orchestration.engines.spark_lake import swap_parquet

        swap_parquet(home, version)

    def finish(self) -> None:
        from orchestration.engines.spark_lake import stop_session

        stop_session()

    def outputs(self, home: Path) -> dict[str, Path]:
        from orchestration.engines.spark_lake import parquet_dir

        return {"marts as Parquet (built on Spark)": parquet_dir(home)}


ENGINES = {engine.name: engine for engine in (Engine(), SparkEngine())}


def by_name(name: str) -> Engine:
    return ENGINES[name]


@cache
def current() -> Engine:
    """The engine MOBILITY_ENGINE names (DuckDB by default), chosen once."""
    return ENGINES[settings.engine_name()]


def for_schema(schema: str) -> Engine:
    """The engine that holds, and checks, a table of `schema`: raw tables are loaded by DuckDB
    whatever engine builds the models."""
    return ENGINES[Engine.name] if schema == "raw" else current()
