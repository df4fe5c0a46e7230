"""Dagster code for the mobility warehouse: ingestion, dbt models, checks and publishing."""
