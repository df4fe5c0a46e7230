"""Schedules and sensors that keep the marts current without anyone pressing a button."""

import hashlib

from dagster import (
    AssetKey,
    DefaultScheduleStatus,
    DefaultSensorStatus,
    RunRequest,
    ScheduleDefinition,
    SensorEvaluationContext,
    SkipReason,
    sensor,
)

from orchestration.ingest import files_sha256
from orchestration.jobs import build_warehouse_job
from orchestration.sources import declared_files


def stale_tables(instance) -> dict[str, str]:
    """Raw tables whose source file(s) differ from those last loaded, with their hash.

    The hash of the last load is read from Dagster's own materialization metadata, so the
    sensor never opens the warehouse file while a run may be writing it."""
    stale = {}
    for table, files in declared_files().items():
        if not files or not all(f.exists() for f in files):
            continue
        current = files_sha256(files)
        event = instance.get_latest_materialization_event(AssetKey(["raw", table]))
        loaded = event.asset_materialization.metadata.get("sha256") if event else None
        if loaded is None or loaded.value != current:
            stale[table] = current
    return stale


@sensor(
    job=build_warehouse_job,
    minimum_interval_seconds=120,
    default_status=DefaultSensorStatus.RUNNING,
    description="Rebuilds the warehouse when a source file differs from the one last loaded "
    "(a new download dropped into the source directory, or a first start).",
)
def source_files_sensor(context: SensorEvaluationContext):
    stale = stale_tables(context.instance)
    if not stale:
        return SkipReason("every raw table was loaded from the current version of its file")
    state = hashlib.sha256("".join(f"{t}={h}" for t, h in sorted(stale.items())).encode()).hexdigest()
    # The run key makes one run per distinct set of file versions, however often the sensor ticks.
    return RunRequest(run_key=state, tags={"mobility/stale_tables": ",".join(sorted(stale))[:4000]})


weekly_refresh = ScheduleDefinition(
    name="weekly_refresh",
    job=build_warehouse_job,
    cron_schedule="0 6 * * 1",
    execution_timezone="UTC",
    default_status=DefaultScheduleStatus.RUNNING,
    description="Rebuilds everything every Monday, so live sources (Census API) are refreshed "
    "and checks re-run against the latest published marts.",
)
