"""The warehouse's Dagster definitions, assembled when Dagster loads them, never at import.

Nothing is defined here: sources and pilots (`sources/`, `pilots/`), the dbt models (`dbt/`),
their checks (`quality/`), `publish`, and how runs start (`runs/`).
"""

from functools import cache

import dagster as dg

from orchestration.dbt.assets import dbt_model_assets
from orchestration.dbt.project import dbt_resource
from orchestration.engines.build_file import default_warehouse
from orchestration.pilots.sensor import pilot_landing_sensor
from orchestration.publish.asset import publish_asset
from orchestration.quality.checks import CHECK_NAME, expectation_checks
from orchestration.runs.automation import publish_automation, source_files_sensor, weekly_refresh, with_policies
from orchestration.runs.instance import prepare_instance
from orchestration.runs.jobs import build_warehouse_job, pilot_city_job, run_executor
from orchestration.sources import source_assets


@cache
def warehouse_definitions() -> dg.Definitions:
    """Every asset, check, job, schedule and sensor, with the resources they use; the Dagster
    instance's folder and settings are made first."""
    prepare_instance()
    built = [*source_assets(), dbt_model_assets()]
    checks = expectation_checks(built)
    audited = [key.asset_key for check in checks for key in check.check_keys]
    return dg.Definitions(
        assets=dg.map_asset_specs(with_policies, [*built, publish_asset(audited, CHECK_NAME)]),
        asset_checks=checks,
        jobs=[build_warehouse_job, pilot_city_job],
        schedules=[weekly_refresh],
        sensors=[source_files_sensor, pilot_landing_sensor, publish_automation],
        resources={"warehouse": default_warehouse(), "dbt": dbt_resource()},
        executor=run_executor(),
    )


@dg.definitions
def defs() -> dg.Definitions:
    return warehouse_definitions()
