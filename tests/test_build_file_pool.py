"""Two runs that write the build file, requested together (as a sensor's run and a manual run
are), both complete: their steps queue in the `build_file` pool instead of failing on DuckDB's
single-writer lock."""

import os
import shutil
import subprocess
import sys

from dagster import DagsterEventType, DagsterInstance, DagsterRunStatus

from orchestration import settings
from orchestration.runs.instance import write_instance_settings
from orchestration.engines.build_file import BUILD_FILE_POOL

# One run: the registry load, then the pilot intake and the rebuild of the raw pilot tables (a
# write transaction on the build file of a few seconds): the real assets, in separate steps.
RUN = """
import sys
from orchestration.runs.instance import prepare_instance
prepare_instance()
from dagster import AssetKey, DagsterInstance, materialize
from orchestration.pilots.assets import raw_pilot_tables
from orchestration.engines.build_file import default_warehouse
from orchestration.sources.city_registry import sources

with DagsterInstance.get() as instance:
    result = materialize([*sources.assets, raw_pilot_tables], instance=instance, raise_on_error=False,
                         selection=[AssetKey(["raw", "city_registry"]), *raw_pilot_tables.keys],
                         resources={"warehouse": default_warehouse()}, tags={"requested_by": sys.argv[1]})
sys.exit(0 if result.success else 1)
"""


def test_two_runs_requested_together_both_complete(built_warehouse, tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    shutil.copy(built_warehouse, home / "build.duckdb")
    shutil.copytree(built_warehouse.parent / "archive", home / "archive")
    (home / "dbt_target").mkdir()
    shutil.copy(settings.dbt_target_dir() / "manifest.json", home / "dbt_target")  # the loader's declarations
    env = {**os.environ, "MOBILITY_HOME": str(home), "DAGSTER_HOME": str(home / "dagster")}
    # The instance exists before its runs (as under `make ui`): two processes must not both create it.
    (home / "dagster").mkdir()
    write_instance_settings(home / "dagster" / "dagster.yaml")
    DagsterInstance.from_config(str(home / "dagster")).dispose()
    runs = [subprocess.Popen([sys.executable, "-c", RUN, who], cwd=settings.REPO_ROOT, env=env,
                             stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
            for who in ("pilot_landing_sensor", "data engineer")]
    outputs = [run.communicate(timeout=300)[0] for run in runs]
    assert [run.returncode for run in runs] == [0, 0], outputs[0][-3000:] + outputs[1][-3000:]

    with DagsterInstance.from_config(str(home / "dagster")) as instance:
        records = instance.get_run_records()
        assert sorted(r.dagster_run.tags["requested_by"] for r in records) == ["data engineer", "pilot_landing_sensor"]
        assert {r.dagster_run.status for r in records} == {DagsterRunStatus.SUCCESS}
        intervals, blocked = [], []
        for record in records:
            events = instance.all_logs(record.dagster_run.run_id)
            starts = {e.step_key: e.timestamp for e in events if e.dagster_event_type == DagsterEventType.STEP_START}
            ends = {e.step_key: e.timestamp for e in events if e.dagster_event_type == DagsterEventType.STEP_SUCCESS}
            intervals += [(starts[step], ends[step]) for step in starts]
            blocked += [e.message for e in events if BUILD_FILE_POOL in (e.message or "") and "blocked" in e.message.lower()]
    # Four steps in all, never two at once; one run waited for the other's step.
    assert len(intervals) == 4
    intervals.sort()
    assert all(end <= next_start for (_, end), (next_start, _) in zip(intervals, intervals[1:]))
    assert blocked, "no step waited for the build_file pool"
