"""`make warehouse`: run the `build_warehouse` job on the bundled data, then say what was built.

The run is recorded in the Dagster instance under MOBILITY_HOME, so it shows in the UI.
"""

import sys
import time

import duckdb

from orchestration import settings


def summary(db_path) -> str:
    con = duckdb.connect(str(db_path), read_only=True)
    try:
        rows = con.execute(
            """
            select schema_name, table_name, false from duckdb_tables()
            union all
            select schema_name, view_name, true from duckdb_views() where not internal
            order by 1, 2
            """
        ).fetchall()
        lines, current = [], None
        for schema, table, is_view in rows:
            if schema != current:
                lines.append(f"\n{schema}")
                current = schema
            # A view's rows are its table's: counting them would run every staging query again.
            if is_view:
                lines.append(f"  {table:<48} {'view':>10}")
                continue
            count = con.execute(f'select count(*) from "{schema}"."{table}"').fetchone()[0]
            lines.append(f"  {table:<48} {count:>10,} rows")
        return "\n".join(lines)
    finally:
        con.close()


def main() -> int:
    settings.export_environment()
    from dagster import DagsterInstance

    from orchestration.definitions import defs
    from orchestration.quality.checks import warm_workers

    started = time.perf_counter()
    warm_workers()  # the check processes start while the source files load
    with DagsterInstance.get() as instance:
        result = defs.resolve_job_def("build_warehouse").execute_in_process(instance=instance, raise_on_error=False)
    elapsed = time.perf_counter() - started
    if not result.success:
        failed = [event.step_key for event in result.all_events if event.is_step_failure]
        print(f"\nBuild FAILED after {elapsed:.1f} s; failed steps: {', '.join(failed) or 'see the run in the UI'}")
        print("Open the run in the Dagster UI (make ui) for each step's error and check results.")
        return 1
    home = settings.mobility_home()
    print(summary(settings.build_db_path()))
    print(f"\nWarehouse built in {elapsed:.1f} s.")
    print(f"  analysts' file (marts, read-only): {home / 'mobility.duckdb'}")
    print(f"  build file (every schema):         {settings.build_db_path()}")
    print(f"  Data Docs:                         {home / 'docs' / 'index.html'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
