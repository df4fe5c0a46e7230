"""How much the quality gate costs: share of a full build's wall time spent in checks, and
GX's SQL path (DuckDB) against its pandas path on the real tables.

    MOBILITY_HOME=/tmp/bench-home .venv/bin/python bench/quality_checks.py

Builds the whole warehouse from the bundled data in MOBILITY_HOME (a fresh temporary home if
unset), then validates every suite both ways. Prints figures; asserts nothing.
"""

import os
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

if "MOBILITY_HOME" not in os.environ:
    os.environ["MOBILITY_HOME"] = tempfile.mkdtemp(prefix="mobility-bench-")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from orchestration import settings  # noqa: E402

settings.export_environment()


def build() -> None:
    from dagster import DagsterEventType, DagsterInstance

    from orchestration.definitions import defs

    started = time.perf_counter()
    with DagsterInstance.ephemeral() as instance:
        result = defs.get_job_def("build_warehouse").execute_in_process(instance=instance, raise_on_error=False)
    wall = time.perf_counter() - started
    steps = {e.step_key: e.event_specific_data.duration_ms / 1000 for e in result.all_events
             if e.event_type in (DagsterEventType.STEP_SUCCESS, DagsterEventType.STEP_FAILURE)}
    checks = sum(v for k, v in steps.items() if k.endswith("_expectations"))
    count = sum(1 for k in steps if k.endswith("_expectations"))
    print(f"full build: {wall:.1f} s wall, success={result.success}")
    print(f"  {count} check steps: {checks:.1f} s = {checks / wall:.0%} of wall time "
          f"(mean {checks / max(count, 1):.2f} s per suite)")
    for key in ("dbt_staging", "dbt_marts", "publish"):
        print(f"  {key}: {steps.get(key, 0):.1f} s")
    other = sum(v for k, v in steps.items() if not k.endswith("_expectations") and not k.startswith("dbt_") and k != "publish")
    print(f"  ingestion steps: {other:.1f} s; orchestration overhead: {wall - sum(steps.values()):.1f} s")


def sql_vs_pandas() -> None:
    import duckdb
    import great_expectations as gx

    from orchestration.quality.runner import outcome, quiet_gx, validate
    from orchestration.quality.suites import load_suites

    quiet_gx()
    db = settings.build_db_path()
    suites = load_suites(settings.EXPECTATIONS_DIR)
    sql_time = pandas_time = 0.0
    differences = 0
    for suite in suites:
        started = time.perf_counter()
        sql_run = validate(suite, db, {"published_row_count": 0})
        sql_time += time.perf_counter() - started

        started = time.perf_counter()
        con = duckdb.connect(str(db), read_only=True)
        frame = con.execute(f'select * from "{suite.schema}"."{suite.table}"').df()
        con.close()
        context = gx.get_context(mode="ephemeral")
        from great_expectations.data_context.types.base import ProgressBarsConfig

        context.variables.progress_bars = ProgressBarsConfig(globally=False)
        batch = context.data_sources.add_pandas("frames").add_dataframe_asset(suite.table).add_batch_definition_whole_dataframe("all")
        # SQL rules exist only on SQL data sources.
        column_rules = tuple(r for r in suite.rules if r.type != "unexpected_rows_expectation")
        gx_suite = context.suites.add(replace(suite, rules=column_rules).gx_suite())
        definition = context.validation_definitions.add(gx.ValidationDefinition(name=suite.name, data=batch, suite=gx_suite))
        pandas_result = definition.run(batch_parameters={"dataframe": frame}, expectation_parameters={"published_row_count": 0})
        pandas_time += time.perf_counter() - started

        pandas_by_rule = {(o.type, o.rule): o.success for o in map(outcome, pandas_result.results)}
        differences += sum(1 for o in sql_run.outcomes if (o.type, o.rule) in pandas_by_rule
                           and pandas_by_rule[(o.type, o.rule)] != o.success)
    print(f"{len(suites)} suites, {sum(len(s.rules) for s in suites)} expectations, validated outside Dagster:")
    print(f"  SQL on DuckDB: {sql_time:.1f} s; pandas (read + validate, SQL rules left out): {pandas_time:.1f} s")
    print(f"  expectations whose verdict differs between the two: {differences}")


if __name__ == "__main__":
    print(f"MOBILITY_HOME={settings.mobility_home()}")
    build()
    sql_vs_pandas()
