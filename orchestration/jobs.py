"""Jobs data engineers launch from the UI (and `make warehouse` runs)."""

from dagster import AssetSelection, define_asset_job

build_warehouse_job = define_asset_job(
    name="build_warehouse",
    selection=AssetSelection.all(),
    description="Ingest every source, build every dbt model, run every check.",
)
