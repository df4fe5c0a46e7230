"""Schedules, sensors and policies that keep the marts current without anyone pressing a button.

On by default: `source_files_sensor`, `pilot_landing_sensor` (orchestration/pilots/sensor.py),
the `weekly_refresh` schedule and `publish_automation`. Marts and `publish` carry a freshness
policy, so the UI marks them stale when the weekly refresh has not happened.
"""

import hashlib
from datetime import timedelta

from dagster import (
    AssetKey,
    AssetSpec,
    AutomationCondition,
    AutomationConditionSensorDefinition,
    DefaultScheduleStatus,
    DefaultSensorStatus,
    RunRequest,
    ScheduleDefinition,
    FreshnessPolicy,
    SensorEvaluationContext,
    SkipReason,
    sensor,
)

from orchestration.files.bytes import files_sha256
from orchestration.runs.jobs import build_warehouse_job
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


# Refreshed every Monday: late once the refresh is half a day overdue, failing after a second
# missed week.
WEEKLY_FRESHNESS = FreshnessPolicy.time_window(fail_window=timedelta(days=14), warn_window=timedelta(days=7, hours=12))

PUBLISH_KEY = AssetKey(["publish"])

# `publish` also follows marts that change outside a full run (one mart re-materialized from the
# UI, a failed check fixed and re-run): once every blocking check upstream has passed and no
# upstream run is in progress, the analysts' file is published again. A schedule cannot see that.
PUBLISH_CONDITION = AutomationCondition.eager() & AutomationCondition.all_deps_blocking_checks_passed()

publish_automation = AutomationConditionSensorDefinition(
    "publish_automation",
    target=[PUBLISH_KEY],
    default_status=DefaultSensorStatus.RUNNING,
    minimum_interval_seconds=60,
    description="Publishes the analysts' file again when marts changed since the last publish and every "
    "blocking check upstream has passed.",
)


def with_policies(spec: AssetSpec) -> AssetSpec:
    """Freshness policies on every mart and on `publish`; the declarative condition on `publish`."""
    if spec.key == PUBLISH_KEY:
        return spec.replace_attributes(freshness_policy=WEEKLY_FRESHNESS, automation_condition=PUBLISH_CONDITION)
    if spec.key.path[0] == "marts":
        return spec.replace_attributes(freshness_policy=WEEKLY_FRESHNESS)
    return spec
