"""Assembles the warehouse's Dagster definitions. Nothing is defined here."""

from dagster import Definitions, map_asset_specs

from orchestration import dbt
from orchestration.automation import publish_automation, source_files_sensor, weekly_refresh, with_policies
from orchestration.jobs import build_warehouse_job, pilot_city_job, run_executor
from orchestration.pilots.sensor import pilot_landing_sensor
from orchestration.publish import publish_asset
from orchestration.quality.checks import CHECK_NAME, expectation_checks
from orchestration.resources import default_warehouse
from orchestration.sources import source_assets

built = [*source_assets(), *dbt.assets]
checks = expectation_checks(built)
assets = map_asset_specs(
    with_policies, [*built, publish_asset([key.asset_key for check in checks for key in check.check_keys], CHECK_NAME)]
)

defs = Definitions(
    assets=assets,
    asset_checks=checks,
    jobs=[build_warehouse_job, pilot_city_job],
    schedules=[weekly_refresh],
    sensors=[source_files_sensor, pilot_landing_sensor, publish_automation],
    resources={"warehouse": default_warehouse(), "dbt": dbt.dbt_resource()},
    executor=run_executor(),
)
