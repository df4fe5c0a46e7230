"""Jobs data engineers launch from the UI (and `make warehouse` runs)."""

from dagster import AssetSelection, define_asset_job

from orchestration.pilots.assets import PER_CITY_SELECTION, pilot_city_job

build_warehouse_job = define_asset_job(
    name="build_warehouse",
    # The per-city intake is partitioned and runs from its sensor; in this unpartitioned run
    # raw/pilot_* takes in every city's files itself.
    selection=AssetSelection.all() - PER_CITY_SELECTION,
    description="Ingest every source, build every dbt model, run every check.",
)

__all__ = ["build_warehouse_job", "pilot_city_job"]
