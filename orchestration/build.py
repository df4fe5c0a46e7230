"""`make warehouse`: run the `build_warehouse` job on the bundled data, printing one line per
step as it finishes, then say what was built (or what broke, and where to look).

`python -m orchestration.build --pilot-city GEOID` runs what the landing sensor starts for a
city with new uploads (`pilot_city_intake`): that city's intake, then the pilot tables, their
checks and a publish.

The run is recorded in the Dagster instance under MOBILITY_HOME, so it shows in the UI; every
event is also written to a log file under MOBILITY_HOME/logs.
"""

import argparse
import logging
import multiprocessing.util
import os
import sys
import time
import uuid

import duckdb

from orchestration import settings
from orchestration.pilots import registry
from orchestration.quality import pool
from orchestration.runs.instance import prepare_instance


def summary(db_path) -> str:
    """Rows per table, per schema; views (whose rows are their tables') are only counted."""
    con = duckdb.connect(str(db_path), read_only=True, config=settings.duckdb_config())
    try:
        names = con.execute("select schema_name, table_name from duckdb_tables() order by 1, 2").fetchall()
        tables = [(schema, table, con.execute(f'select count(*) from "{schema}"."{table}"').fetchone()[0])
                  for schema, table in names]
        views = dict(con.execute(
            "select schema_name, count(*) from duckdb_views() where not internal group by 1").fetchall())
    finally:
        con.close()
    lines, current = [], None
    for schema, table, rows in tables:
        if schema != current:
            lines.append(f"\n{schema}" + (f" ({views[schema]} views)" if schema in views else ""))
            current = schema
        lines.append(f"  {table:<48} {rows:>10,} rows")
    lines += [f"\n{schema} ({n} views)" for schema, n in sorted(views.items()) if schema not in {t[0] for t in tables}]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m orchestration.build")
    parser.add_argument("--pilot-city", metavar="GEOID", help="take in this city's pilot uploads only")
    city = parser.parse_args(argv).pilot_city
    started = time.perf_counter()
    if city and city not in registry.pilot_cities():
        print(f"{city} is not the place GEOID of a city with a pilot in pilots/programs.csv", file=sys.stderr)
        return 2
    prepare_instance()
    pool.warm_in_background()  # the check processes load GX while this one loads the definitions
    from dagster import DagsterInstance

    from orchestration.dbt.assets import preload_in_background
    from orchestration.definitions import warehouse_definitions
    from orchestration.pilots.assets import pilot_city
    from orchestration.runs.progress import Progress
    from orchestration.runs.recovery import fail_abandoned_runs

    preload_in_background()
    home = settings.mobility_home()
    run_id = str(uuid.uuid4())
    log_file = home / "logs" / f"{run_id}.log"
    log_file.parent.mkdir(parents=True, exist_ok=True)
    progress = Progress()
    what = f"the pilot uploads of city {city}" if city else "the warehouse"
    print(f"Building {what} in {home} (run {run_id[:8]}; watch it in the UI with `make ui`)")
    job = warehouse_definitions().resolve_job_def("pilot_city_intake" if city else "build_warehouse")
    job = job.with_logger_defs({"progress": progress.logger_def()})
    with DagsterInstance.get() as instance:
        for line in fail_abandoned_runs(instance):
            print(line)
        if city:
            instance.add_dynamic_partitions(pilot_city.name, [city])
        result = job.execute_in_process(
            instance=instance, raise_on_error=False, run_id=run_id, partition_key=city,
            run_config={"loggers": {"progress": {"config": {"log_file": str(log_file)}}}},
        )
    if settings.engine_name() == "spark":
        from orchestration.engines.spark_lake import stop_session

        stop_session()
    elapsed = time.perf_counter() - started
    progress.report(log_file)
    if not result.success:
        print(f"\nBuild FAILED after {elapsed:.1f} s. The published file was left as it was.")
        print(f"Each step's error and check results: `make ui`, then Runs -> {run_id[:8]}.")
        return 1
    print(summary(settings.build_db_path()))
    print(f"\nWarehouse built in {elapsed:.1f} s.")
    print(f"  analysts' file (marts, read-only): {home / 'mobility.duckdb'}")
    if settings.engine_name() == "spark":
        print(f"  marts as Parquet (built on Spark):  {home / 'published' / 'parquet'}")
    print(f"  build file (every schema):         {settings.build_db_path()}")
    print(f"  Data Docs:                         {home / 'docs' / 'index.html'}")
    return 0


def leave(code: int) -> None:
    """Exit without Python's own teardown of dbt's and Dagster's objects: it takes seconds and
    writes nothing, since every file is closed by now and the check processes are stopped.
    multiprocessing's own exit steps still run: they remove its socket folder and semaphores."""
    pool.shutdown()
    multiprocessing.util._exit_function()  # private, but what a normal exit runs
    logging.shutdown()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


if __name__ == "__main__":
    leave(main())
