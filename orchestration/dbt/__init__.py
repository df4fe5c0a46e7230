"""The dbt project as Dagster assets: one step runs `dbt build` for every selected model."""
