"""Jobs data engineers launch from the UI (and `make warehouse` runs), and the executor they run on."""

from dagster import AssetSelection, ExecutorDefinition, define_asset_job, in_process_executor

from orchestration import settings
from orchestration.pilots.assets import PER_CITY_SELECTION, pilot_city_job

build_warehouse_job = define_asset_job(
    name="build_warehouse",
    # The per-city intake is partitioned and runs from its sensor; in this unpartitioned run
    # raw/pilot_* takes in every city's files itself.
    selection=AssetSelection.all() - PER_CITY_SELECTION,
    description="Ingest every source, build every dbt model, run every check.",
)


def run_executor() -> ExecutorDefinition:
    """The executor every job runs on, chosen by `MOBILITY_EXECUTOR`.

    By default one process runs the whole run: a process per step costs about 4 s here, and the
    steps share one DuckDB file that only one writer may hold at a time. `k8s` runs each step in
    a pod of its own; the `build_file` pool still lets one step at a time open the file.
    """
    if settings.executor_name() == "k8s":
        from dagster_k8s import k8s_job_executor  # imported only here: it loads the Kubernetes client

        return k8s_job_executor
    return in_process_executor


__all__ = ["build_warehouse_job", "pilot_city_job", "run_executor"]
